"""The roadmap: when each action of a plan is ready, which phases of the electoral calendar it
is in time for, and how its benefit splits between this cycle and the next (rules in
:mod:`cyberready.prioritize`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from cyberready.models.assessment import PhaseWindow
from cyberready.models.vocab import PHASES, Phase
from cyberready.prioritize._actions import Action
from cyberready.prioritize._benefit import Benefit

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.workspace import Workspace

MILESTONES: Final[tuple[tuple[Phase, str], ...]] = (
    ("voter_registration", "before registration"),
    ("voting", "before polling day"),
    ("results_publication", "before results"),
)
"""(phase, label) of the roadmap's milestones; an action ready after all of them waits."""
NEXT_CYCLE: Final = "next cycle"
UNSCHEDULED: Final = "unscheduled"
"""The milestone of every action when ``emb.yaml`` gives no phase windows nor election date."""


@dataclass(frozen=True)
class RoadmapEntry:
    """When one action is ready and which phases it is in time for."""

    action: Action
    ready: dt.date
    milestone: str
    """``before registration``, ``before polling day``, ``before results`` or ``next cycle``."""
    in_time_for: tuple[str, ...]
    """Phases (with a window in emb.yaml, or polling day from the election date) that start
    after the action is ready, by start date (:func:`in_time_phases`)."""
    benefit: float | None = None
    """The action's benefit in the plan (marginal), weight points."""
    this_cycle: float | None = None
    """The part of :attr:`benefit` in time for this cycle (:func:`cycle_split`)."""
    next_cycle: float | None = None
    """The rest: what the action protects only from the next cycle on."""
    quick_win: bool = False


@dataclass(frozen=True)
class Roadmap:
    """Actions placed against the phase windows of ``emb.yaml``."""

    start: dt.date
    milestones: tuple[tuple[str, str, dt.date], ...]
    """(label, phase, date) of each milestone after the start, by date."""
    entries: tuple[RoadmapEntry, ...]
    begun: tuple[tuple[str, str, dt.date], ...] = ()
    """(label, phase, date) of each milestone on or before the start: already under way."""

    def by_milestone(self) -> dict[str, list[RoadmapEntry]]:
        """Entries grouped by milestone, in milestone order (``next cycle`` last; only
        ``unscheduled`` without a calendar)."""
        out: dict[str, list[RoadmapEntry]] = {label: [] for label, _, _ in self.milestones}
        out[NEXT_CYCLE if self.milestones or self.begun else UNSCHEDULED] = []
        for e in self.entries:
            out.setdefault(e.milestone, []).append(e)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per action."""
        import pandas as pd

        rows = [
            {
                "action": e.action.id,
                "control": e.action.control,
                "title": e.action.title,
                "weeks": e.action.weeks,
                "ready": e.ready,
                "milestone": e.milestone,
                "in_time_for": ", ".join(e.in_time_for),
                "benefit": e.benefit,
                "benefit_this_cycle": e.this_cycle,
                "benefit_next_cycle": e.next_cycle,
                "quick_win": e.quick_win,
            }
            for e in self.entries
        ]
        return pd.DataFrame(rows, columns=_ROADMAP_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "start": self.start.isoformat(),
            "milestones": [
                {"label": lb, "phase": ph, "date": d.isoformat()} for lb, ph, d in self.milestones
            ],
            "begun": [
                {"label": lb, "phase": ph, "date": d.isoformat()} for lb, ph, d in self.begun
            ],
            "entries": [
                {
                    "action": e.action.id,
                    "ready": e.ready.isoformat(),
                    "milestone": e.milestone,
                    "in_time_for": list(e.in_time_for),
                    "benefit": e.benefit,
                    "benefit_this_cycle": e.this_cycle,
                    "benefit_next_cycle": e.next_cycle,
                    "quick_win": e.quick_win,
                }
                for e in self.entries
            ],
        }

    def _repr_html_(self) -> str:
        marks = ", ".join(f"{html.escape(lb)} {d}" for lb, _, d in self.milestones)
        head = f"<p><b>Roadmap</b> from {self.start} ({marks or 'no phase windows'})</p>"
        return head + self.to_frame().to_html(index=False, na_rep="", escape=True)


_ROADMAP_COLUMNS: Final = [
    "action",
    "control",
    "title",
    "weeks",
    "ready",
    "milestone",
    "in_time_for",
    "benefit",
    "benefit_this_cycle",
    "benefit_next_cycle",
    "quick_win",
]


def plan_start(ws: Workspace) -> dt.date:
    """The day a plan starts unless told otherwise: the assessment's ``as_of`` (the state the
    plan improves on), else ``emb.yaml``'s ``as_of``, else today."""
    if ws.assessment is not None:
        return ws.assessment.as_of
    return ws.emb.as_of or dt.date.today()


def ready_date(start: dt.date, weeks: float) -> dt.date:
    """The day an action started on ``start`` is in place: ``weeks`` later (whole days, up).

    >>> ready_date(dt.date(2026, 11, 1), 4)
    datetime.date(2026, 11, 29)
    """
    return start + dt.timedelta(days=math.ceil(weeks * 7 - 1e-9))


def _milestones(
    phases: Mapping[Phase, PhaseWindow], election_day: dt.date | None
) -> tuple[tuple[str, str, dt.date], ...]:
    out = []
    for phase, label in MILESTONES:
        window = phases.get(phase)
        when = window.start if window is not None else None
        if when is None and phase == "voting":
            when = election_day
        if when is not None:
            out.append((label, phase, when))
    return tuple(sorted(out, key=lambda t: t[2]))


def in_time_phases(
    ready: dt.date,
    phases: Mapping[Phase, PhaseWindow],
    election_day: dt.date | None = None,
) -> tuple[Phase, ...]:
    """The phases an action ready on ``ready`` is in time for: those that start after it
    (``ready < start``), by start date. A phase counts only with a window in ``emb.yaml``;
    ``voting`` without one starts on ``election_day``. The one rule behind the roadmap's
    milestones, the cycle split of benefits and the reports' "in place before".

    >>> w = {"voter_registration": PhaseWindow(start=dt.date(2026, 12, 1),
    ...                                        end=dt.date(2027, 1, 31))}
    >>> in_time_phases(dt.date(2026, 11, 30), w, dt.date(2027, 3, 14))
    ('voter_registration', 'voting')
    >>> in_time_phases(dt.date(2026, 12, 1), w, dt.date(2027, 3, 14))
    ('voting',)
    """
    starts: dict[Phase, dt.date] = {p: w.start for p, w in phases.items()}
    if "voting" not in starts and election_day is not None:
        starts["voting"] = election_day
    order = sorted(starts.items(), key=lambda kv: (kv[1], PHASES.index(kv[0])))
    return tuple(p for p, start in order if ready < start)


def cycle_split(
    benefit: Benefit,
    in_time: Collection[str],
    *,
    function_phase: Mapping[str, Sequence[str]],
    scenario_phase: Mapping[str, Sequence[str]],
) -> tuple[float, float]:
    """A benefit's (this cycle, next cycle) parts, given the phases the action is in time for
    (:func:`in_time_phases`). They add up to ``benefit.value``.

    Each part of the benefit belongs to phases: a function's part (``by_function``) to the
    phases the function is delivered in, a scenario's public-trust part (``trust_by_scenario``)
    to the phases the scenario targets (its public incidents and the functions it fails happen
    there). A part that belongs to several phases is shared evenly among them, and each phase's
    share counts this cycle when the action is in time for that phase; the rest protects only
    from the next cycle on.

    >>> b = Benefit(0.5, 0.01, 1000, by_function={"reg": 0.2, "vote": 0.1}, trust=0.2,
    ...             trust_by_scenario={"deface": 0.2})
    >>> cycle_split(b, ("voting",), function_phase={"reg": ("voter_registration",),
    ...             "vote": ("voting",)}, scenario_phase={"deface": ("voter_registration",
    ...             "voting")})
    (0.2, 0.3)
    """

    def share(phases: Sequence[str]) -> float:
        return sum(p in in_time for p in phases) / len(phases) if phases else 0.0

    this = sum(v * share(function_phase.get(f, ())) for f, v in benefit.by_function.items())
    this += sum(v * share(scenario_phase.get(s, ())) for s, v in benefit.trust_by_scenario.items())
    later = benefit.value - this
    if abs(later) <= 1e-12 * max(1.0, abs(benefit.value)):  # rounding, not a next-cycle part
        return float(benefit.value), 0.0
    return float(this), float(later)


def schedule(
    actions: Sequence[Action],
    *,
    start: dt.date,
    phases: Mapping[Phase, PhaseWindow],
    election_day: dt.date | None = None,
    benefits: Mapping[str, Benefit] | None = None,
    function_phase: Mapping[str, str | Sequence[str]] | None = None,
    scenario_phase: Mapping[str, Sequence[str]] | None = None,
    quick_win_weeks: float = 4,
    quick_win_usd: float = 10_000,
) -> Roadmap:
    """Place actions against the electoral calendar (rules in :mod:`cyberready.prioritize`).

    Parameters
    ----------
    actions
        The actions, all starting on ``start``.
    start
        The plan's start date.
    phases
        Phase windows (``emb.yaml`` ``phases``).
    election_day
        Polling day, used when ``phases`` has no ``voting`` window.
    benefits
        Action id -> its benefit (with ``by_function`` and ``trust_by_scenario``), to split it
        into this cycle's part and the next cycle's (:func:`cycle_split`), and to flag quick
        wins. Without any phase window or election date nothing is known to be late: the
        whole benefit counts this cycle.
    function_phase
        Function id -> the phase (or phases) it is delivered in; a function's benefit is
        shared evenly among them.
    scenario_phase
        Scenario id -> the phases it targets; its public-trust part is shared evenly among
        them.
    quick_win_weeks, quick_win_usd
        Most weeks and most cost (high end) of a quick win.

    Examples
    --------
    >>> import numpy as np
    >>> a = Action("X-01", 4, None, np.array([0]), np.array([1]), weeks=6)
    >>> day = dt.date
    >>> w = {"voter_registration": PhaseWindow(start=day(2026, 12, 1), end=day(2027, 1, 31)),
    ...      "voting": PhaseWindow(start=day(2027, 3, 14), end=day(2027, 3, 14))}
    >>> e = schedule([a], start=dt.date(2026, 11, 1), phases=w).entries[0]
    >>> e.ready, e.milestone, e.in_time_for
    (datetime.date(2026, 12, 13), 'before polling day', ('voting',))
    """
    known = _milestones(phases, election_day)
    marks = tuple(m for m in known if m[2] > start)
    begun = tuple(m for m in known if m[2] <= start)
    fphases = {
        f: (p,) if isinstance(p, str) else tuple(p) for f, p in (function_phase or {}).items()
    }
    entries = []
    for a in actions:
        ready = ready_date(start, a.weeks)
        milestone = next(
            (lb for lb, _, d in marks if ready < d), NEXT_CYCLE if known else UNSCHEDULED
        )
        in_time = in_time_phases(ready, phases, election_day)
        b = benefits.get(a.id) if benefits is not None else None
        this = later = None
        quick = False
        if b is not None:
            this, later = (
                cycle_split(b, in_time, function_phase=fphases, scenario_phase=scenario_phase or {})
                if phases or election_day is not None
                else (b.value, 0.0)
            )
            quick = (
                b.low > 0
                and this > 0
                and bool(in_time)
                and a.weeks <= quick_win_weeks
                and a.cost.high <= quick_win_usd
            )
        entries.append(
            RoadmapEntry(
                action=a,
                ready=ready,
                milestone=milestone,
                in_time_for=in_time,
                benefit=b.value if b is not None else None,
                this_cycle=this,
                next_cycle=later,
                quick_win=quick,
            )
        )
    return Roadmap(start=start, milestones=marks, entries=tuple(entries), begun=begun)

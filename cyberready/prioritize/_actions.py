"""Costs and candidate actions: what raising a control touches, and what it costs.

The rules (one candidate per control and per distinct override selector, the goal, the cost of
one action and of several on the same control) are stated once in :mod:`cyberready.prioritize`.
Actions change the per-asset levels the engine reads (:func:`apply_actions`) and the assessment
the readiness scores read (:func:`raised_assessment`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt

from cyberready.models import Answer, Assessment, Override, Selector
from cyberready.posture import AssetLevels, asset_levels

if TYPE_CHECKING:
    from cyberready.workspace import Workspace

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
CostBasis = Literal["low", "mid", "high"]
"""Which end of a cost range counts: the low end, the midpoint or the high end."""


@dataclass(frozen=True)
class CostRange:
    """A cost in USD, as a ``[low, high]`` range; rankings use :attr:`mid`."""

    low: float
    high: float

    @property
    def mid(self) -> float:
        """Midpoint of the range."""
        return (self.low + self.high) / 2

    def at(self, basis: CostBasis) -> float:
        """The low end, the midpoint or the high end."""
        if basis == "low":
            return self.low
        if basis == "high":
            return self.high
        if basis == "mid":
            return self.mid
        raise ValueError(f"cost basis {basis!r}: expected low, mid or high")

    def __add__(self, other: CostRange) -> CostRange:
        return CostRange(self.low + other.low, self.high + other.high)

    def __sub__(self, other: CostRange) -> CostRange:
        return CostRange(self.low - other.low, self.high - other.high)

    def describe(self) -> str:
        """``$12,000–$30,000`` (or one figure when low = high)."""
        if math.isclose(self.low, self.high):
            return usd(self.low)
        return f"{usd(self.low)}–{usd(self.high)}"


def usd(value: float) -> str:
    """``$12,000``: whole dollars with thousands separators, as every table shows them."""
    return f"${value:,.0f}"


ZERO_COST: Final = CostRange(0.0, 0.0)
"""The cost of doing nothing (the start of every sum of costs)."""


@dataclass(frozen=True, eq=False)
class Action:
    """Raise one control to ``level`` on some assets.

    ``positions`` are the rows (in the resolved system) of the assets raised — those where the
    control applies, is not ``n/a`` and sits below ``level`` — and ``counts`` the items each
    stands for. Two actions are equal when their :attr:`id` is.
    """

    control: str
    level: int
    selector: Selector | None
    positions: IntArray
    counts: IntArray
    framework: str = ""
    title: str = ""
    fixed_usd: tuple[float, float] = (0.0, 0.0)
    per_asset_usd: tuple[float, float] = (0.0, 0.0)
    weeks: float = 0.0
    techniques: frozenset[str] = frozenset()
    recovers: float = 0.0
    reassures: float = 0.0
    """The control's ``reassures`` when this action raises its organisation-wide level (the
    level reassurance reads); 0 otherwise."""
    verifies: float = 0.0
    """The control's chance of catching an alteration at full strength (0: it does not
    verify)."""
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    from_levels: tuple[int, int] = (0, 0)
    """Lowest and highest current level over the assets raised."""
    unassessed: bool = False
    """True when the control has no answer (its level 0 is an assumption)."""

    @cached_property
    def id(self) -> str:
        """``CONTROL>level`` or ``CONTROL>level@selector``, e.g. ``ECBS-VR-03>4@tags=hq``."""
        base = f"{self.control}>{self.level}"
        return base if self.selector is None else f"{base}@{self.selector.describe()}"

    @property
    def scope(self) -> str:
        """``everywhere it applies`` or the selector, in words."""
        return "everywhere it applies" if self.selector is None else self.selector.describe()

    @property
    def n_assets(self) -> int:
        """Assets (nodes) raised."""
        return len(self.positions)

    @property
    def items(self) -> int:
        """Items raised (asset ``count`` included)."""
        return int(self.counts.sum())

    @property
    def cost(self) -> CostRange:
        """``cost_usd + per_asset_usd × items``, as a range."""
        n = self.items
        return CostRange(
            self.fixed_usd[0] + self.per_asset_usd[0] * n,
            self.fixed_usd[1] + self.per_asset_usd[1] * n,
        )

    @property
    def csf(self) -> tuple[str, ...]:
        """NIST CSF 2.0 subcategories the control references."""
        return self.references.get("nist-csf-2.0", ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Action) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Action({self.id!r}, {self.n_assets} assets, {self.cost.describe()})"


def plan_cost(actions: Iterable[Action]) -> CostRange:
    """Cost of doing several actions together.

    Actions on the same control share one fixed cost and pay per asset once, over the union
    of the assets they raise (so an action on a subset of what another covers adds nothing).

    Examples
    --------
    >>> import numpy as np
    >>> a = Action("X-01", 4, None, np.array([0, 1]), np.array([1, 10]),
    ...            fixed_usd=(100, 200), per_asset_usd=(1, 2))
    >>> plan_cost([a]).describe()
    '$111–$222'
    >>> b = Action("X-01", 4, Selector(ids=("a",)), np.array([0]), np.array([1]),
    ...            fixed_usd=(100, 200), per_asset_usd=(1, 2))
    >>> plan_cost([a, b]) == plan_cost([a])
    True
    """
    by_control: dict[str, list[Action]] = {}
    for a in actions:
        by_control.setdefault(a.control, []).append(a)
    total = ZERO_COST
    for group in by_control.values():
        if len(group) == 1:
            total = total + group[0].cost
            continue
        pos = np.concatenate([a.positions for a in group])
        cnt = np.concatenate([a.counts for a in group])
        _, first = np.unique(pos, return_index=True)
        items = int(cnt[first].sum())
        fixed_lo = max(a.fixed_usd[0] for a in group)
        fixed_hi = max(a.fixed_usd[1] for a in group)
        per_lo = max(a.per_asset_usd[0] for a in group)
        per_hi = max(a.per_asset_usd[1] for a in group)
        total = total + CostRange(fixed_lo + per_lo * items, fixed_hi + per_hi * items)
    return total


def _make_action(
    ws: Workspace,
    levels: AssetLevels,
    row: int,
    goal: int,
    selector: Selector | None,
    mask: BoolArray,
) -> Action:
    ctl = levels.controls[row]
    found = ws.library.control(ctl.id)
    fw_id = found[0].id if found else ""
    positions = np.flatnonzero(mask).astype(np.int64)
    current = levels.levels[row][positions]
    effort = ctl.effort
    return Action(
        control=ctl.id,
        level=goal,
        selector=selector,
        positions=positions,
        counts=ws.resolved.counts[positions].astype(np.int64),
        framework=fw_id,
        title=ctl.title,
        fixed_usd=(float(effort.cost_usd[0]), float(effort.cost_usd[1])),
        per_asset_usd=(
            (float(effort.per_asset_usd[0]), float(effort.per_asset_usd[1]))
            if effort.per_asset_usd is not None
            else (0.0, 0.0)
        ),
        weeks=float(effort.weeks),
        techniques=ctl.effects.techniques,
        recovers=float(ctl.effects.recovers),
        reassures=(
            float(ctl.effects.reassures) if ctl.organization_wide and selector is None else 0.0
        ),
        verifies=(
            float(ctl.effects.verifies.probability) if ctl.effects.verifies is not None else 0.0
        ),
        references=MappingProxyType(dict(ctl.references)),
        from_levels=(int(current.min()), int(current.max())) if len(current) else (goal, goal),
        unassessed=ctl.id in levels.unanswered,
    )


def _goal(ws: Workspace, control_id: str) -> int:
    answers = ws.assessment.answers if ws.assessment is not None else {}
    ans = answers.get(control_id)
    return ans.target if ans is not None and ans.target is not None else 4


def candidate_actions(ws: Workspace, levels: AssetLevels | None = None) -> list[Action]:
    """Every candidate action of a workspace (rules in :mod:`cyberready.prioritize`), sorted by id.

    Parameters
    ----------
    ws
        The EMB workspace.
    levels
        Current per-asset levels (default: :func:`cyberready.posture.asset_levels`).

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> ids = [a.id for a in candidate_actions(ws)]
    >>> "ECBS-VR-03>4@tags=regional-office" in ids
    True
    """
    levels = asset_levels(ws) if levels is None else levels
    overrides: dict[str, list[Selector]] = {}
    for ov in ws.assessment.overrides if ws.assessment is not None else ():
        sels = overrides.setdefault(ov.control, [])
        if ov.select not in sels:
            sels.append(ov.select)
    out: list[Action] = []
    for row, ctl in enumerate(levels.controls):
        goal = _goal(ws, ctl.id)
        cur = levels.levels[row]
        below = levels.applicable[row] & (cur >= 0) & (cur < goal)
        if not below.any():
            continue
        out.append(_make_action(ws, levels, row, goal, None, below))
        seen = [below]
        for sel in overrides.get(ctl.id, []):
            mask = below & ws.resolved.mask(sel)
            if not mask.any() or any(np.array_equal(mask, s) for s in seen):
                continue
            seen.append(mask)
            out.append(_make_action(ws, levels, row, goal, sel, mask))
    return sorted(out, key=lambda a: a.id)


def raise_control(
    ws: Workspace,
    control_id: str,
    level: int,
    selector: Selector | None = None,
    *,
    levels: AssetLevels | None = None,
) -> Action:
    """An action raising ``control_id`` to ``level`` everywhere it applies, or on ``selector``.

    Assets already at or above ``level`` and ``n/a`` assets are not touched (and not paid for).
    Raises ``KeyError`` naming the control when it is not an in-scope EMB control, and
    ``ValueError`` when the level is not 1–4.
    """
    if not 1 <= level <= 4:
        raise ValueError(f"level must be 1–4, got {level}")
    levels = asset_levels(ws) if levels is None else levels
    row = levels.index(control_id)
    cur = levels.levels[row]
    mask = levels.applicable[row] & (cur >= 0) & (cur < level)
    if selector is not None:
        mask &= ws.resolved.mask(selector)
    return _make_action(ws, levels, row, level, selector, mask)


def apply_actions(levels: AssetLevels, actions: Iterable[Action]) -> AssetLevels:
    """The per-asset levels after the actions (order does not matter: levels only rise).

    An organisation-wide action on an organisation-wide control also raises the control's
    organisation-wide level (which drives reassurance, trial model step 8), unless it is ``n/a``.
    """
    out = levels
    for a in sorted(set(actions), key=lambda x: x.id):
        if len(a.positions):
            out = out.raised(a.control, a.level, a.positions)
        row = out.index(a.control)
        if a.selector is None and out.controls[row].organization_wide and out.org_levels[row] >= 0:
            org = out.org_levels.copy()
            org[row] = max(int(org[row]), a.level)
            out = replace(out, org_levels=org)
    return out


def raised_assessment(
    assessment: Assessment, actions: Iterable[Action], ids: Sequence[str]
) -> Assessment:
    """The assessment as it would read after the actions (for readiness scores and for users).

    An organisation-wide action raises the answer (an unanswered control gets one, with
    evidence source ``none``) and every override of the control that sits below the goal; an
    action on a selector pins the assets it raises with an ``ids`` override at the goal (taking
    those assets out of any other ``ids`` override of the control, so none conflict). ``ids``
    are the resolved system's asset ids, by row.
    """
    answers = dict(assessment.answers)
    overrides = list(assessment.overrides)
    for a in sorted(set(actions), key=lambda x: (x.selector is not None, x.id)):
        if a.selector is None:
            ans = answers.get(a.control)
            if ans is None:
                answers[a.control] = Answer(level=a.level, notes="what-if: raised by an action")
            elif ans.level != "n/a" and ans.level < a.level:
                answers[a.control] = ans.model_copy(update={"level": a.level})
            overrides = [
                ov.model_copy(update={"level": a.level})
                if ov.control == a.control and ov.level != "n/a" and ov.level < a.level
                else ov
                for ov in overrides
            ]
            continue
        if not len(a.positions):
            continue
        touched = {ids[int(i)] for i in a.positions}
        kept: list[Override] = []
        for ov in overrides:
            if ov.control == a.control and ov.select.ids and touched & set(ov.select.ids):
                rest = tuple(i for i in ov.select.ids if i not in touched)
                if rest:
                    kept.append(
                        ov.model_copy(update={"select": ov.select.model_copy(update={"ids": rest})})
                    )
                continue
            kept.append(ov)
        kept.append(
            Override(
                select=Selector(ids=tuple(sorted(touched))),
                control=a.control,
                level=a.level,
                notes=f"what-if: {a.id}",
            )
        )
        overrides = kept
    return assessment.model_copy(update={"answers": answers, "overrides": tuple(overrides)})

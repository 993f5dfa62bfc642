"""What a portfolio keeps of one EMB, and how one EMB is assessed for it.

Each EMB goes through :func:`cyberready.assess` (no graph analyses) and only its donor view
(:func:`cyberready.report.views.donor_view`) and donor-safe numbers are kept: an
:class:`EmbRecord`. Everything here runs on a worker, so nothing else of the workspace ever
crosses a process boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from cyberready.errors import InputError, Problem

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult
    from cyberready.engine import CompiledScenario, SimulationResult
    from cyberready.engine.kernel import BlockOutput
    from cyberready.report.models import DonorView
    from cyberready.report.redaction import Term
    from cyberready.workspace import Workspace

WITHHELD: Final = "[withheld]"
"""What a sensitive term is replaced with in a record's text."""


@dataclass(frozen=True)
class RunSettings:
    """How each EMB is assessed. ``screen_trials`` None: a tenth of ``trials`` (at least 100,
    at most ``trials``, :func:`cyberready.prioritize.screening_trials`), the screening pass of
    the priorities."""

    trials: int = 10_000
    seed: int = 0
    screen_trials: int | None = None
    priorities: bool = True
    locale: str = "en"

    @property
    def screening(self) -> int:
        """Trials per scenario when screening candidate actions (and for the leaders and the
        plan: a portfolio runs the screening pass only)."""
        from cyberready.prioritize import screening_trials

        return screening_trials(self.trials, self.screen_trials)

    def assess(self, ws: Workspace, simulation: bool | SimulationResult = True) -> AssessmentResult:
        """:func:`cyberready.assess` of one EMB with these settings (no graph analyses: the
        donor view does not use them)."""
        from cyberready.assess import assess

        return assess(
            ws,
            trials=self.trials,
            seed=self.seed,
            screen_trials=self.screening,
            priority_trials=self.screening,
            simulation=simulation,
            priorities=self.priorities,
            graph=False,
        )


@dataclass(frozen=True)
class FunctionLoss:
    """One election function of one EMB: chance of failing this cycle and expected loss
    (weight points, the functions' part of expected loss). The title is scrubbed like the
    donor view's."""

    title: str
    phases: tuple[str, ...]
    weight: int
    p_fail: float
    expected_loss: float


@dataclass(frozen=True)
class EmbRecord:
    """What a portfolio keeps of one EMB: its donor view and donor-safe numbers only.

    ``expected_loss`` is the EMB's total (weight points, public trust included);
    ``trust_loss`` its public-trust part and ``functions`` the functions' part, by function.
    """

    view: DonorView
    region: str | None
    functions: tuple[FunctionLoss, ...]
    expected_loss: float
    trust_loss: float
    assets: int
    """Nodes in the system model (for throughput figures; never rendered)."""
    sensitive: tuple[Term, ...] = field(default=(), compare=False, repr=False)
    """The EMB's sensitive terms (asset ids and labels, evidence, notes; never rendered): the
    portfolio report is read back and refused if its text holds one."""
    own_titles: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(title, kind) of the EMB-written titles its view shows (its own frameworks, domains,
    controls and scenarios); anonymised, they become generic labels."""

    @property
    def emb(self) -> str:
        """The EMB's id (its alias when anonymised)."""
        return self.view.meta.emb_id


def load_or_problems(path: str) -> Workspace | list[Problem]:
    """Load a workspace; problems are returned, not raised (they cross process boundaries)."""
    from cyberready.workspace import load_workspace

    try:
        return load_workspace(Path(path))
    except InputError as err:
        return list(err.problems)


def compile_in_scope(ws: Workspace, scenario_id: str) -> CompiledScenario:
    """One in-scope scenario bound to the workspace's posture (as :func:`cyberready.simulate`
    binds it)."""
    from cyberready.engine import compile_scenario
    from cyberready.posture import build_posture

    return compile_scenario(ws.resolved, ws.library.scenarios[scenario_id], build_posture(ws))


def record_of(result: AssessmentResult, locale: str) -> EmbRecord:
    """What the portfolio keeps of an assessment: the donor view and donor-safe numbers."""
    from cyberready.report.views import donor_view, redactor

    ws = result.workspace
    sim = result.simulation
    view = donor_view(result, locale=locale)
    red = redactor(ws, locale)
    n = len(ws.resolved.functions)
    loss = np.zeros(n)
    cycle = np.zeros(n)
    if sim is not None:
        for s in sim.scenarios.values():
            loss += s.loss_by_function
        cycle = sim.cycle_probability
    functions = tuple(
        FunctionLoss(
            title=red.scrub(fn.title, WITHHELD),
            phases=fn.phases,
            weight=fn.weight,
            p_fail=float(cycle[i]),
            expected_loss=float(loss[i]),
        )
        for i, fn in enumerate(ws.resolved.functions)
    )
    return EmbRecord(
        view=view,
        region=ws.emb.region,
        functions=functions,
        expected_loss=sim.expected_loss if sim is not None else 0.0,
        trust_loss=sim.trust_loss if sim is not None else 0.0,
        assets=ws.resolved.n_assets,
        sensitive=tuple(red.terms.values()),
        own_titles=own_titles(ws),
    )


def own_titles(ws: Workspace) -> tuple[tuple[str, str], ...]:
    """(title, kind) of the workspace's own (not shipped) frameworks, domains, controls and
    scenarios (a scenario's translated titles too)."""
    lib = ws.library
    out: list[tuple[str, str]] = []
    for fid, fw in lib.frameworks.items():
        if lib.is_shipped("framework", fid):
            continue
        out.append((fw.title, "framework"))
        out += [(d.title, "domain") for d in fw.domains]
        out += [(c.title, "control") for c in fw.controls]
    for sid, sc in lib.scenarios.items():
        if not lib.is_shipped("scenario", sid):
            # its title in every language it gives, since a report names it in its own
            out += [(sc.title, "scenario")]
            out += [(t.title, "scenario") for t in sc.translations.values() if t.title]
    return tuple(out)


def finish_emb(
    ws: Workspace,
    compiled: Mapping[str, CompiledScenario],
    parts: Mapping[str, Sequence[BlockOutput]],
    settings: RunSettings,
) -> EmbRecord:
    """An EMB's record from its scenarios' trial ranges, run elsewhere (a cluster): the
    engine's combine, then :func:`cyberready.assess` with that simulation."""
    from cyberready.engine import combine, simulation_result

    results = (combine(parts[sid], compiled[sid], seed=settings.seed, emb=ws.emb) for sid in parts)
    sim = simulation_result(ws, results, trials=settings.trials, seed=settings.seed)
    return record_of(settings.assess(ws, sim), settings.locale)


def assess_emb(path: str | Path, settings: RunSettings) -> EmbRecord | list[Problem]:
    """Assess one EMB workspace in this process (:func:`cyberready.assess`): its
    :class:`EmbRecord`, or its problems. The record is identical whichever executor produced
    it."""
    ws = load_or_problems(str(path))
    if isinstance(ws, list):
        return ws
    return record_of(settings.assess(ws), settings.locale)


def scenarios_in_scope(ws: Workspace | list[Problem]) -> tuple[str, ...] | list[Problem]:
    """The scenario ids in scope of a loaded workspace, or its problems."""
    if isinstance(ws, list):
        return ws
    return tuple(s.id for s in ws.scenarios)

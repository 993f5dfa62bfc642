"""The benefit model: expected losses of sets of actions on fixed trials (common random
numbers), and which scenarios an action can change at all (rules in :mod:`cyberready.prioritize`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np

from cyberready.engine.results import Z95, trial_losses, trust_losses
from cyberready.models import Scenario
from cyberready.posture import AssetLevels, Posture, asset_levels
from cyberready.prioritize._actions import Action, FloatArray, IntArray, apply_actions
from cyberready.workspace import ResolvedSystem

if TYPE_CHECKING:
    from cyberready.engine import CompiledScenario, ScenarioGraph, ScenarioResult
    from cyberready.workspace import Workspace


class Runner(Protocol):
    """Simulates trials ``0..trials-1`` of one scenario under a posture, for the EMB (its
    effective likelihood and public-confidence weight). The engine's runner is the default;
    tests may pass another."""

    def __call__(
        self, scenario: Scenario, posture: Posture, trials: int, seed: int
    ) -> ScenarioResult: ...


@dataclass(frozen=True)
class Benefit:
    """A drop in expected loss (weight points), estimated with common random numbers.

    ``by_scenario`` splits :attr:`value` by scenario; ``by_function`` and :attr:`trust` split
    it into the functions' part and the public-trust part (together they add up to it);
    ``p_cycle`` is the drop in each function's chance of failing this cycle
    (``1 - prod_s (1 - likelihood_s P_s(f))``), in probability units.
    """

    value: float
    se: float
    trials: int
    by_scenario: Mapping[str, float] = field(default_factory=dict)
    by_function: Mapping[str, float] = field(default_factory=dict)
    p_cycle: Mapping[str, float] = field(default_factory=dict)
    trust: float = 0.0
    """The drop in the public-trust part of expected loss (weight points)."""
    trust_by_scenario: Mapping[str, float] = field(default_factory=dict)
    """:attr:`trust` split by scenario (the roadmap credits it to the scenario's phases)."""

    @property
    def low(self) -> float:
        """Lower end of the 95% interval."""
        return self.value - Z95 * self.se

    @property
    def high(self) -> float:
        """Upper end of the 95% interval."""
        return self.value + Z95 * self.se

    @property
    def exact_zero(self) -> bool:
        """True when no trial changed at all."""
        return self.value == 0.0 and self.se == 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "value": self.value,
            "se": self.se,
            "low": self.low,
            "high": self.high,
            "trials": self.trials,
            "by_scenario": dict(self.by_scenario),
            "by_function": dict(self.by_function),
            "trust": self.trust,
            "trust_by_scenario": dict(self.trust_by_scenario),
            "p_cycle": dict(self.p_cycle),
        }


@dataclass(frozen=True)
class _Outcome:
    loss: FloatArray
    """Per-trial loss (:func:`cyberready.engine.results.trial_losses`)."""
    p: FloatArray
    """Per-function failure probability given an attempt."""
    likelihood: float
    """The scenario's effective likelihood."""
    trust_loss: float
    """The public-trust part of the expected loss."""


@dataclass(frozen=True)
class _Trials:
    """What a run of one scenario gives that the losses need, before reassurance: reassurance
    scales the public-confidence units of every trial and changes nothing else, so one run
    serves every reassurance factor."""

    failed: FloatArray
    """Per trial: weights of the failed functions."""
    confidence: IntArray
    """Per trial: public-confidence units (public events + failed functions)."""
    p: FloatArray
    likelihood: float
    weight: float
    """The EMB's public-confidence weight."""

    @property
    def trials(self) -> int:
        return len(self.confidence)

    @classmethod
    def of(cls, r: ScenarioResult) -> _Trials:
        return cls(
            failed=r.failed_weight,
            confidence=r.confidence,
            p=r.p_fail,
            likelihood=r.likelihood,
            weight=r.public_confidence_weight,
        )

    def with_rows(
        self, fail_time: FloatArray, confidence: IntArray, weights: FloatArray
    ) -> _Trials:
        """The same scenario's trials with other per-trial rows, computed as
        :class:`~cyberready.engine.ScenarioResult` computes them (so the same rows give the
        same bits)."""
        failures = np.isfinite(fail_time)
        counts = np.asarray(failures.sum(axis=0), dtype=np.int64)
        return _Trials(
            failed=np.asarray(failures.astype(np.float64) @ weights),
            confidence=confidence,
            p=counts / len(confidence),
            likelihood=self.likelihood,
            weight=self.weight,
        )

    def outcome(self, reassurance: float) -> _Outcome:
        trust = trust_losses(self.confidence, reassurance)
        return _Outcome(
            loss=trial_losses(self.likelihood, self.failed, trust, self.weight),
            p=self.p,
            likelihood=self.likelihood,
            trust_loss=float(self.likelihood * self.weight * trust.mean()),
        )


@dataclass(frozen=True)
class _Rows:
    """The per-trial rows of one scenario under one set of actions, for trials ``0..n-1``: kept
    so that the run can be extended to more trials, and so that later runs of the same scenario
    can reuse its unchanged trials."""

    compiled: CompiledScenario | None
    """The binding that made them (None with a runner other than the engine's)."""
    fail_time: FloatArray
    confidence: IntArray
    template: _Trials
    """The run's trials as first computed (likelihood and weight for every extension)."""

    @property
    def trials(self) -> int:
        return len(self.confidence)


def variance_of_mean(per_trial: FloatArray) -> float:
    """The squared standard error of a per-trial mean (0 with a single trial). Scenarios are
    independent, so a sum of their means has the sum of these as its variance."""
    return float(per_trial.var(ddof=1)) / len(per_trial) if len(per_trial) > 1 else 0.0


_POSTURE_CACHE: Final = 32
"""Postures kept by a :class:`LossModel` (each holds a few arrays per technique)."""


def _posture_after(levels: AssetLevels, actions: frozenset[Action]) -> Posture:
    """The posture once ``actions`` are done on top of ``levels``."""
    return (apply_actions(levels, actions) if actions else levels).posture()


def _can_cost_trust(scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the public-confidence impact ``C`` can be above 0 in the scenario: a public
    effect, or an effect that can fail a function of one of its phases."""
    if any(e.effective_visibility == "public" for e in scenario.effects):
        return True
    fails = any(e.type in ("disrupt", "alter", "leak") for e in scenario.effects)
    phases = set(scenario.phases)
    return fails and any(phases.intersection(fn.phases) for fn in system.functions)


def _changes_trials(action: Action, scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the action can change what happens in the scenario's trials (failures,
    compromises, public events): everything but reassurance."""
    used = {r.technique for r in scenario.entry} | {r.technique for r in scenario.propagation}
    if action.techniques & used:
        return True
    if action.recovers > 0 and any(e.type == "disrupt" for e in scenario.effects):
        return True
    if action.verifies > 0 and len(action.positions):
        for e in scenario.effects:
            if e.type == "alter" and system.mask(e.targets)[action.positions].any():
                return True
    return False


def _touches(action: Action, scenario: Scenario, system: ResolvedSystem) -> bool:
    """True when the action can change the scenario's losses (see :mod:`cyberready.prioritize`)."""
    if _changes_trials(action, scenario, system):
        return True
    return action.reassures > 0 and _can_cost_trust(scenario, system)


def no_effect_reason(action: Action) -> str:
    """Why an action touches no in-scope scenario, in words (for the readiness list)."""
    what = []
    if action.techniques:
        what.append("uses a technique it mitigates or detects")
    if action.verifies > 0:
        what.append("alters an asset it verifies")
    if action.recovers > 0:
        what.append("disrupts an asset")
    if action.reassures > 0:
        what.append("can cause a public incident or a failure")
    if not what:
        return (
            "it has no simulated effect (nothing it mitigates, detects, verifies, recovers "
            "or reassures)"
        )
    return "no in-scope scenario " + " or ".join(what)


class LossModel:
    """Expected losses of sets of actions on fixed trials (common random numbers).

    Each scenario is simulated once per distinct set of the actions that can change its trials
    (see :mod:`cyberready.prioritize`), and cached, so evaluating many overlapping sets is cheap.
    Reassurance only scales each trial's public-confidence units, so an action that only
    reassures re-weighs the cached trials instead of re-running them. Build one with
    :func:`loss_model`.
    """

    def __init__(
        self,
        system: ResolvedSystem,
        levels: AssetLevels,
        scenarios: Sequence[Scenario],
        trials: int,
        seed: int,
        runner: Runner,
        *,
        reuse: bool = True,
    ) -> None:
        self.system = system
        self.levels = levels
        self.scenarios = {s.id: s for s in scenarios}
        self.weights = np.array([float(f.weight) for f in system.functions])
        self.function_ids = tuple(f.id for f in system.functions)
        self.trials = trials
        self.seed = seed
        self.runner = runner
        self.runs = 0
        self.reuse = reuse and isinstance(runner, EngineRunner)
        self._rows: dict[str, dict[frozenset[str], _Rows]] = {}
        self._cache: dict[tuple[str, frozenset[str], int], _Outcome] = {}
        self._trials: dict[tuple[str, frozenset[str], int], _Trials] = {}
        # the same set of actions matters to several scenarios: keep the postures of the last
        # few sets (sets of actions compare by their ids, so equal sets share one posture);
        # the cache holds the levels, not the model, so the model is freed as soon as unused
        self._posture: Callable[[frozenset[Action]], Posture] = functools.lru_cache(
            maxsize=_POSTURE_CACHE
        )(functools.partial(_posture_after, levels))
        self._scope: dict[str, frozenset[str]] = {}
        self._simulated: dict[str, frozenset[str]] = {}
        self._reassurances: dict[frozenset[str], float] = {}
        # only the organisation-wide reassuring controls decide the reassurance factor: the
        # posture of these rows gives it, multiplied in the same order as the full posture's
        calm = [
            c
            for c, ctl in enumerate(levels.controls)
            if ctl.effects.reassures and ctl.organization_wide
        ]
        self._calm_levels = AssetLevels(
            control_ids=tuple(levels.control_ids[c] for c in calm),
            controls=tuple(levels.controls[c] for c in calm),
            effectiveness=levels.effectiveness[calm],
            levels=levels.levels[calm],
            applicable=levels.applicable[calm],
            org_levels=levels.org_levels[calm],
        )

    def scenarios_of(self, action: Action) -> frozenset[str]:
        """Ids of the scenarios the action can change."""
        return self._where(action, _touches, self._scope)

    def outcome(self, sid: str, actions: frozenset[Action], trials: int | None = None) -> _Outcome:
        """Per-trial losses and per-function failure probabilities of one scenario, on its
        first ``trials`` trials (default: all of the model's)."""
        n = self._count(trials)
        rel = frozenset(a for a in actions if sid in self.scenarios_of(a))
        key = (sid, frozenset(a.id for a in rel), n)
        got = self._cache.get(key)
        if got is None:
            run = self._run(sid, self._changing(sid, rel), n)
            got = self._cache[key] = run.outcome(self._reassurance(rel))
        return got

    def _count(self, trials: int | None) -> int:
        if trials is None:
            return self.trials
        if not 1 <= trials <= self.trials:
            raise ValueError(f"trials must be 1..{self.trials}, got {trials}")
        return trials

    def _changing(self, sid: str, actions: Iterable[Action]) -> frozenset[Action]:
        """The actions whose change the scenario's trials see: the set its run is kept under."""
        return frozenset(a for a in actions if sid in self._changed_by(a))

    def _changed_by(self, action: Action) -> frozenset[str]:
        """Ids of the scenarios whose trials the action changes (reassurance aside)."""
        return self._where(action, _changes_trials, self._simulated)

    def _where(
        self,
        action: Action,
        test: Callable[[Action, Scenario, ResolvedSystem], bool],
        cache: dict[str, frozenset[str]],
    ) -> frozenset[str]:
        got = cache.get(action.id)
        if got is None:
            got = frozenset(s.id for s in self.scenarios.values() if test(action, s, self.system))
            cache[action.id] = got
        return got

    def _run(self, sid: str, actions: frozenset[Action], n: int) -> _Trials:
        """The scenario's first ``n`` trials under the actions (each set of actions is run
        once, and extended when more trials are asked for)."""
        ids = frozenset(a.id for a in actions)
        got = self._trials.get((sid, ids, n))
        if got is None:
            rows = self._rows_for(sid, ids, actions, n)
            if rows.trials == n:
                got = (
                    rows.template
                    if rows.template.trials == n
                    else rows.template.with_rows(rows.fail_time, rows.confidence, self.weights)
                )
            else:
                got = rows.template.with_rows(rows.fail_time[:n], rows.confidence[:n], self.weights)
            self._trials[(sid, ids, n)] = got
        return got

    def _checked(self, sid: str, result: ScenarioResult, trials: int) -> ScenarioResult:
        if result.fail_time.shape != (trials, len(self.weights)):
            raise ValueError(
                f"runner returned shape {result.fail_time.shape} for {sid}, expected "
                f"({trials}, {len(self.weights)})"
            )
        return result

    def _rows_for(self, sid: str, ids: frozenset[str], actions: frozenset[Action], n: int) -> _Rows:
        """The kept rows of the scenario under the actions, run (or extended) to at least
        ``n`` trials."""
        kept = self._rows.setdefault(sid, {})
        rows = kept.get(ids)
        if rows is not None and rows.trials >= n:
            return rows
        self.runs += 1
        if not self.reuse:  # another runner: run trials 0..n-1 again
            result = self._checked(
                sid, self.runner(self.scenarios[sid], self._posture(actions), n, self.seed), n
            )
            rows = _Rows(None, result.fail_time, result.confidence, _Trials.of(result))
        else:
            rows = self._run_reusing(sid, ids, actions, rows, n)
        kept[ids] = rows
        return rows

    def _run_reusing(
        self,
        sid: str,
        ids: frozenset[str],
        actions: frozenset[Action],
        rows: _Rows | None,
        n: int,
    ) -> _Rows:
        """Trials ``have..n-1`` with the engine (``have``: the trials already in ``rows``),
        reusing the trials of the closest earlier run (the kept run with the most of these
        actions and no other, run at least as far) that the new posture cannot change
        (:func:`cyberready.engine.rerun_changed`): the same rows as a full run, bit for bit."""
        if ids:  # the run without actions, as far: always a reference
            self._rows_for(sid, frozenset(), frozenset(), n)
        return self._rows_reusing(sid, ids, self._bound(sid, actions, rows), rows, n)

    def _bound(self, sid: str, actions: frozenset[Action], rows: _Rows | None) -> CompiledScenario:
        """The scenario compiled under the actions (kept with their rows)."""
        assert isinstance(self.runner, EngineRunner)
        if rows is not None and rows.compiled is not None:
            return rows.compiled
        return self.runner.bind(self.scenarios[sid], self._posture(actions))

    def _rows_reusing(
        self,
        sid: str,
        ids: frozenset[str],
        c: CompiledScenario,
        rows: _Rows | None,
        n: int,
    ) -> _Rows:
        """:meth:`_run_reusing` once the reference run exists; reads the kept runs and changes
        nothing, so several may run at once (:meth:`prefetch`)."""
        from cyberready.engine import rerun_changed, run_compiled, run_range

        assert isinstance(self.runner, EngineRunner)
        have = 0 if rows is None else rows.trials
        kept = self._rows[sid]
        near = [k for k, r in kept.items() if k < ids and r.trials >= n]
        new = None
        if near:
            ref = kept[max(near, key=lambda k: (len(k), sorted(k)))]
            assert ref.compiled is not None
            new = rerun_changed(
                ref.compiled,
                c,
                ref.fail_time[have:n],
                ref.confidence[have:n],
                self.seed,
                start=have,
            )
        if rows is None:
            if new is not None:
                template = kept[frozenset()].template
                trials = template.with_rows(new[0], new[1], c.graph.function_weights)
            else:
                result = self._checked(
                    sid,
                    run_compiled(c, n, self.seed, paths=False, emb=self.runner.emb),
                    n,
                )
                new = (result.fail_time, result.confidence)
                trials = _Trials.of(result)
            return _Rows(c, new[0], new[1], trials)
        if new is None:
            part = run_range(c, have, n, self.seed, paths=False)
            new = (part.fail_time, part.confidence)
        return _Rows(
            c,
            np.concatenate([rows.fail_time, new[0]]),
            np.concatenate([rows.confidence, new[1]]),
            rows.template,
        )

    def prefetch(self, sets: Iterable[frozenset[Action]], trials: int | None = None) -> None:
        """Run at once what :meth:`outcome` of every scenario under each set of actions, on
        its first ``trials`` trials, would run one after the other, so that the benefits
        asked for next are read from the cache.

        The runs the sets need (beyond the run without actions, which goes first) are
        independent of each other: each reuses the kept run it would find now, they are done
        on :func:`~cyberready.engine.numba_kernel.worker_threads` threads at once (each
        running its blocks on as many, so the last runs still use every CPU) and kept in the
        sets' order. A run's rows do not depend on which kept run it reuses
        (:func:`cyberready.engine.rerun_changed`), so no number depends on this, nor on the
        number of threads. Does nothing with one thread, or with a runner other than the
        engine's.
        """
        from cyberready.engine.numba_kernel import worker_threads

        threads = worker_threads()
        if not self.reuse or threads == 1:
            return
        n = self._count(trials)
        wanted: dict[tuple[str, frozenset[str]], frozenset[Action]] = {}
        for actions in sets:
            for sid in sorted(self.scenarios):
                rel = self._changing(sid, actions)
                ids = frozenset(a.id for a in rel)
                rows = self._rows.get(sid, {}).get(ids)
                if ids and (rows is None or rows.trials < n):
                    wanted.setdefault((sid, ids), rel)
        if len(wanted) < 2:
            return
        for sid in sorted({sid for sid, _ in wanted}):
            self._rows_for(sid, frozenset(), frozenset(), n)
        keys = list(wanted)
        kept = [self._rows[sid].get(ids) for sid, ids in keys]
        bound = [
            self._bound(sid, wanted[sid, ids], rows)
            for (sid, ids), rows in zip(keys, kept, strict=True)
        ]

        def run(k: int) -> _Rows:
            sid, ids = keys[k]
            return self._rows_reusing(sid, ids, bound[k], kept[k], n)

        with ThreadPoolExecutor(max_workers=min(threads, len(keys))) as pool:
            done = list(pool.map(run, range(len(keys))))
        for (sid, ids), rows in zip(keys, done, strict=True):
            self.runs += 1
            self._rows[sid][ids] = rows

    def _reassurance(self, actions: Iterable[Action]) -> float:
        """The reassurance factor once ``actions`` are done (their reassuring ones count)."""
        calm = frozenset(a for a in actions if a.reassures > 0)
        ids = frozenset(a.id for a in calm)
        got = self._reassurances.get(ids)
        if got is None:
            lv = apply_actions(self._calm_levels, calm) if calm else self._calm_levels
            got = self._reassurances[ids] = lv.posture().reassurance
        return got

    def loss(
        self, actions: frozenset[Action] = frozenset(), trials: int | None = None
    ) -> tuple[float, float]:
        """Expected loss under the actions, and its standard error (on the first ``trials``
        trials; default: all)."""
        mean = var = 0.0
        for sid in sorted(self.scenarios):
            loss = self.outcome(sid, actions, trials).loss
            mean += float(loss.mean())
            var += variance_of_mean(loss)
        return mean, math.sqrt(var)

    def value(self, actions: frozenset[Action], trials: int | None = None) -> float:
        """Benefit of the actions against none (means only; for plan search)."""
        total = 0.0
        for sid in sorted(self._affected(actions)):
            base = self.outcome(sid, frozenset(), trials).loss
            total += float((base - self.outcome(sid, actions, trials).loss).mean())
        return total

    def _affected(self, actions: Iterable[Action]) -> set[str]:
        out: set[str] = set()
        for a in actions:
            out |= self.scenarios_of(a)
        return out

    def benefit(
        self,
        actions: frozenset[Action],
        base: frozenset[Action] = frozenset(),
        trials: int | None = None,
    ) -> Benefit:
        """Drop in expected loss from ``base`` to ``base | actions`` (paired per trial), on the
        first ``trials`` trials of every scenario (default: all of the model's)."""
        n = self._count(trials)
        after = base | actions
        value = var = trust = 0.0
        by_scenario: dict[str, float] = {}
        trust_by_scenario: dict[str, float] = {}
        by_function = np.zeros(len(self.weights))
        changed = self._affected(actions)
        for sid in sorted(changed):
            o0, o1 = self.outcome(sid, base, n), self.outcome(sid, after, n)
            d = o0.loss - o1.loss
            m = float(d.mean())
            value += m
            var += variance_of_mean(d)
            by_scenario[sid] = m
            by_function += o0.likelihood * self.weights * (o0.p - o1.p)
            trust_by_scenario[sid] = o0.trust_loss - o1.trust_loss
            trust += trust_by_scenario[sid]
        p_cycle: dict[str, float] = {}
        if changed:
            keep0 = np.ones(len(self.weights))
            keep1 = np.ones(len(self.weights))
            for sid in self.scenarios:
                o0, o1 = self.outcome(sid, base, n), self.outcome(sid, after, n)
                keep0 *= 1.0 - o0.likelihood * o0.p
                keep1 *= 1.0 - o1.likelihood * o1.p
            p_cycle = {
                f: float(keep1[k] - keep0[k])
                for k, f in enumerate(self.function_ids)
                if keep1[k] != keep0[k]
            }
        return Benefit(
            value=value,
            se=math.sqrt(var),
            trials=n,
            by_scenario=MappingProxyType(by_scenario),
            by_function=MappingProxyType(
                {f: float(v) for f, v in zip(self.function_ids, by_function, strict=True) if v}
            ),
            p_cycle=MappingProxyType(p_cycle),
            trust=trust,
            trust_by_scenario=MappingProxyType({k: v for k, v in trust_by_scenario.items() if v}),
        )


class EngineRunner:
    """The default :class:`Runner`: the engine's run over trials ``0..n-1`` and its combine
    (:func:`cyberready.engine.run_compiled`), one scenario at a time, for the workspace's EMB.

    Each scenario is compiled once (:func:`cyberready.engine.prepare`) and re-bound to each
    posture, so a what-if costs one kernel run (attack paths are not traced). A
    :class:`LossModel` with this runner also reuses the trials a what-if cannot change.
    """

    def __init__(self, ws: Workspace) -> None:
        self.resolved = ws.resolved
        self.emb = ws.emb
        self._graphs: dict[str, ScenarioGraph] = {}

    def bind(self, scenario: Scenario, posture: Posture) -> CompiledScenario:
        """The scenario compiled under the posture."""
        from cyberready.engine import prepare

        graph = self._graphs.get(scenario.id)
        if graph is None:
            graph = self._graphs[scenario.id] = prepare(self.resolved, scenario)
        return graph.bind(posture)

    def __call__(
        self, scenario: Scenario, posture: Posture, trials: int, seed: int
    ) -> ScenarioResult:
        from cyberready.engine import run_compiled

        return run_compiled(self.bind(scenario, posture), trials, seed, paths=False, emb=self.emb)


def engine_runner(ws: Workspace) -> Runner:
    """The default :class:`Runner` (:class:`EngineRunner`)."""
    return EngineRunner(ws)


def selected_scenarios(ws: Workspace, ids: Sequence[str] | None) -> list[Scenario]:
    from cyberready.errors import InputError, Problem, did_you_mean

    in_scope = ws.scenarios
    if ids is None:
        return in_scope
    by_id = {s.id: s for s in in_scope}
    problems = [
        Problem(
            file="<scenarios>",
            field="scenarios",
            value=s,
            message=f"{s!r} is not a scenario in scope",
            hint=did_you_mean(s, by_id),
        )
        for s in ids
        if s not in by_id
    ]
    if problems:
        raise InputError(problems)
    return [by_id[s] for s in sorted(set(ids))]


def loss_model(
    ws: Workspace,
    *,
    trials: int = 10_000,
    seed: int = 0,
    scenarios: Sequence[str] | None = None,
    runner: Runner | None = None,
    levels: AssetLevels | None = None,
) -> LossModel:
    """A :class:`LossModel` of the workspace's in-scope scenarios, on fixed trials.

    Examples
    --------
    >>> import cyberready
    >>> from cyberready.prioritize import candidate_actions
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> m = loss_model(ws, trials=200, seed=1)
    >>> a, b = candidate_actions(ws)[:2]
    >>> m.value(frozenset({a, b})) >= max(m.value(frozenset({a})), m.value(frozenset({b}))) - 1e-12
    True
    """
    levels = asset_levels(ws) if levels is None else levels
    return LossModel(
        ws.resolved,
        levels,
        selected_scenarios(ws, scenarios),
        trials,
        seed,
        runner or engine_runner(ws),
    )

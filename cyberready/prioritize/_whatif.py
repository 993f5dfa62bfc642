"""What if: apply some actions, re-simulate with the engine before and after on the same
trials, and pair the two trial by trial (common random numbers).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import numpy as np

from cyberready.engine.results import Z95
from cyberready.models import Assessment, Selector
from cyberready.posture import AssetLevels, asset_levels
from cyberready.prioritize._actions import (
    Action,
    CostRange,
    apply_actions,
    candidate_actions,
    plan_cost,
    raise_control,
    raised_assessment,
)
from cyberready.prioritize._benefit import Benefit, selected_scenarios, variance_of_mean

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.engine import SimulationResult
    from cyberready.workspace import Workspace


@dataclass(frozen=True)
class WhatIf:
    """New simulation results with some actions applied, and today's, on the same trials.

    ``baseline`` and ``results`` are the engine's :class:`~cyberready.engine.SimulationResult`
    before and after (paths, per-asset compromise, confidence: everything ``simulate`` gives);
    ``benefit`` is the paired drop in expected loss, with its standard error.
    """

    actions: tuple[Action, ...]
    baseline: SimulationResult
    results: SimulationResult
    benefit: Benefit
    cost: CostRange
    levels: AssetLevels
    """Per-asset levels after the actions."""
    assessment: Assessment | None
    """The assessment as it would read after the actions (None without one)."""

    @property
    def trials(self) -> int:
        """Trials per scenario."""
        return self.results.trials

    @property
    def seed(self) -> int:
        """The seed of both simulations."""
        return self.results.seed

    @property
    def before(self) -> float:
        """Expected loss today (weight points)."""
        return self.baseline.expected_loss

    @property
    def after(self) -> float:
        """Expected loss with the actions."""
        return self.results.expected_loss

    @property
    def before_se(self) -> float:
        """Standard error of :attr:`before`."""
        return _loss_se(self.baseline)

    @property
    def after_se(self) -> float:
        """Standard error of :attr:`after`."""
        return _loss_se(self.results)

    @property
    def p_before(self) -> dict[str, float]:
        """Function -> chance of failing this cycle, today."""
        return dict(
            zip(self.baseline.function_ids, self.baseline.cycle_probability.tolist(), strict=True)
        )

    @property
    def p_after(self) -> dict[str, float]:
        """Function -> chance of failing this cycle, with the actions."""
        return dict(
            zip(self.results.function_ids, self.results.cycle_probability.tolist(), strict=True)
        )

    @property
    def loss_before(self) -> dict[str, float]:
        """Scenario -> expected loss today."""
        return {k: r.expected_loss for k, r in self.baseline.scenarios.items()}

    @property
    def loss_after(self) -> dict[str, float]:
        """Scenario -> expected loss with the actions."""
        return {k: r.expected_loss for k, r in self.results.scenarios.items()}

    def to_frame(self, by: Literal["scenario", "function"] = "scenario") -> pd.DataFrame:
        """Expected loss per scenario (default), or chance of failing this cycle per function."""
        import pandas as pd

        if by == "scenario":
            before, after = self.loss_before, self.loss_after
            cols = ["scenario", "loss_before", "loss_after", "drop"]
            rows = [[s, before[s], after[s], before[s] - after[s]] for s in before]
        elif by == "function":
            before, after = self.p_before, self.p_after
            cols = ["function", "p_before", "p_after", "drop"]
            rows = [[f, before[f], after[f], before[f] - after[f]] for f in before]
        else:
            raise ValueError(f"by={by!r}: expected scenario or function")
        return pd.DataFrame(rows, columns=cols)

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>What if</b> {html.escape(', '.join(a.id for a in self.actions))}: expected "
            f"loss {self.before:.3f} → {self.after:.3f} (drop {self.benefit.value:.3f} ± "
            f"{Z95 * self.benefit.se:.3f}; {self.trials:,} trials, seed {self.seed}); cost "
            f"{self.cost.describe()}</p>"
        )
        return head + self.to_frame().to_html(
            index=False, float_format=lambda v: f"{v:.4f}", escape=True
        )


def _loss_se(result: SimulationResult) -> float:
    var = 0.0
    for r in result.scenarios.values():
        var += variance_of_mean(r.trial_loss)
    return math.sqrt(var)


def paired_benefit(before: SimulationResult, after: SimulationResult) -> Benefit:
    """The drop in expected loss from ``before`` to ``after``, paired trial by trial.

    Both must come from the same scenarios, trials and seed (common random numbers): the
    per-trial loss differences give the mean and its standard error, scenario by scenario
    (independent campaigns, so variances add).
    """
    if (before.trials, before.seed, tuple(before.scenarios)) != (
        after.trials,
        after.seed,
        tuple(after.scenarios),
    ):
        raise ValueError("paired_benefit needs the same scenarios, trials and seed")
    value = var = trust = 0.0
    by_scenario: dict[str, float] = {}
    trust_by_scenario: dict[str, float] = {}
    by_function = np.zeros(len(before.function_ids))
    for sid, r0 in before.scenarios.items():
        r1 = after.scenarios[sid]
        d = r0.trial_loss - r1.trial_loss
        by_scenario[sid] = float(d.mean())
        value += by_scenario[sid]
        var += variance_of_mean(d)
        by_function += r0.loss_by_function - r1.loss_by_function
        trust_by_scenario[sid] = r0.trust_loss - r1.trust_loss
        trust += trust_by_scenario[sid]
    p_drop = before.cycle_probability - after.cycle_probability
    return Benefit(
        value=value,
        se=math.sqrt(var),
        trials=before.trials,
        by_scenario=MappingProxyType({k: v for k, v in by_scenario.items() if v}),
        by_function=MappingProxyType(
            {f: float(v) for f, v in zip(before.function_ids, by_function, strict=True) if v}
        ),
        p_cycle=MappingProxyType(
            {f: float(v) for f, v in zip(before.function_ids, p_drop, strict=True) if v}
        ),
        trust=trust,
        trust_by_scenario=MappingProxyType({k: v for k, v in trust_by_scenario.items() if v}),
    )


def _parse_selector(text: str) -> Selector:
    parts: dict[str, tuple[str, ...]] = {}
    for chunk in text.split(" & "):
        name, sep, values = chunk.partition("=")
        if not sep or name not in ("ids", "types", "tags", "exposure", "data"):
            raise ValueError(f"cannot read selector {text!r}")
        parts[name] = tuple(v for v in values.split(",") if v)
    return Selector.model_validate(parts)


def _resolve_actions(
    ws: Workspace, levels: AssetLevels, actions: Iterable[Action | str]
) -> tuple[Action, ...]:
    from cyberready.errors import InputError, Problem, did_you_mean

    known = {a.id: a for a in candidate_actions(ws, levels)}
    out: list[Action] = []
    problems: list[Problem] = []
    for k, item in enumerate(actions):
        if isinstance(item, Action):
            out.append(item)
            continue
        if item in known:
            out.append(known[item])
            continue
        control, sep, rest = item.partition(">")
        level_text, _, sel_text = rest.partition("@")
        try:
            if not sep or not level_text.isdigit():
                raise ValueError("expected CONTROL>LEVEL or CONTROL>LEVEL@SELECTOR")
            selector = _parse_selector(sel_text) if sel_text else None
            out.append(raise_control(ws, control, int(level_text), selector, levels=levels))
        except (KeyError, ValueError) as err:
            problems.append(
                Problem(
                    file="<actions>",
                    field=f"actions[{k}]",
                    value=item,
                    message=str(err).strip("'\""),
                    hint=did_you_mean(item, known),
                )
            )
    if problems:
        raise InputError(problems, f"{len(problems)} unknown action(s)")
    return tuple(dict.fromkeys(out))


def what_if(
    ws: Workspace,
    actions: Iterable[Action | str],
    *,
    trials: int = 10_000,
    seed: int = 0,
    scenarios: Sequence[str] | None = None,
) -> WhatIf:
    """Apply actions and re-simulate the in-scope scenarios, before and after on the same trials.

    Parameters
    ----------
    ws
        The EMB workspace.
    actions
        :class:`Action` objects, or action ids: a candidate's id (``ECBS-VR-03>4``,
        ``ECBS-VR-03>4@tags=regional-office``) or any ``CONTROL>LEVEL[@SELECTOR]``. Unknown
        ones are all reported at once (:class:`~cyberready.errors.InputError`).
    trials, seed
        Trials per scenario and the seed (use a seed other than the plan's to check it).
    scenarios
        Scenario ids (default: every scenario in scope).

    Returns
    -------
    WhatIf
        The engine's results before and after, the paired benefit, the cost, and the levels and
        assessment as they would be.

    Examples
    --------
    >>> import cyberready
    >>> ws = cyberready.load_workspace(cyberready.example_path())
    >>> w = what_if(ws, ["ECBS-VR-03>4"], trials=200, seed=7)
    >>> w.after <= w.before
    True
    """
    from cyberready.engine import simulate

    levels = asset_levels(ws)
    chosen = _resolve_actions(ws, levels, actions)
    ids = [s.id for s in selected_scenarios(ws, scenarios)]
    after_levels = apply_actions(levels, chosen)
    before = simulate(ws, ids, trials=trials, seed=seed, posture=levels.posture())
    after = simulate(ws, ids, trials=trials, seed=seed, posture=after_levels.posture())
    assessment = (
        raised_assessment(ws.assessment, chosen, ws.resolved.ids)
        if ws.assessment is not None
        else None
    )
    return WhatIf(
        actions=chosen,
        baseline=before,
        results=after,
        benefit=paired_benefit(before, after),
        cost=plan_cost(chosen),
        levels=after_levels,
        assessment=assessment,
    )

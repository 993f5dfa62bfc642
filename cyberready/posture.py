"""From answers to step probabilities: per-asset control levels and the posture.

The rule is step 1 of docs/trial-model.md.

Two layers, so what-if analysis (priorities) can change levels without reloading anything:

* :class:`AssetLevels` — for every in-scope ``subject: emb`` control, its level on every asset
  (an ``int8`` row: ``-1`` when the control is ``n/a`` there or does not apply to the asset's
  type; unanswered counts as ``0``), built from the answers, the overrides (the most specific
  selector wins: ids > tags > sites/operators > types > exposure/data) and each control's
  ``applies_to``.
  :meth:`AssetLevels.raised` returns a copy with one control raised.
* :class:`Posture` — what the engine reads: per technique, the per-asset success factor
  ``prod_c (1 - mitigates_c[t] * eff(L_c))`` and detection chance
  ``1 - prod_c (1 - detects_c[t] * eff(L_c))``; the per-asset recovery factor
  ``prod_c (1 - recovers_c * eff(L_c))``; the per-asset verification chance
  ``1 - prod_c (1 - verifies_c.probability * eff(L_c))`` with, per asset, the recheck laws of the
  verifying controls that act there (``eff(L_c) > 0``); and the organisation-wide reassurance
  factor ``prod_c (1 - reassures_c * eff(L_c))``. ``eff`` is each control's framework's
  ``maturity_scale.effectiveness`` (or the control's own ``effectiveness`` curve).

>>> import cyberready
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> levels = asset_levels(ws)
>>> posture = levels.posture()
>>> bool((posture.success_factor("phishing") <= 1).all())
True

**Threat context** (:func:`effective_likelihood`): an EMB's own view of how likely each campaign
is (``emb.yaml`` ``threat_context``).

The shipped scenarios carry a *base* likelihood, for a threat of medium level. An EMB may set
its threat actors' levels (none, low, medium, high) and, for any scenario, a likelihood of its
own with a rationale. The **effective likelihood** ``L`` is then:

* the scenario's entry in ``threat_context.scenarios``, as written, when there is one;
* else, with a threat context, ``min(base × m, max(base, 0.95))`` where ``m`` is the multiplier
  of the scenario actor's level (none 0, low 0.3, medium 1, high 2; an unlisted actor is
  medium) — the cap only limits a raise, so a base above 0.95 is never lowered by it;
* else (no threat context) the base likelihood exactly.

``L`` is what expected loss, the cycle probability and the priorities use.

>>> from cyberready.models import Scenario, ThreatContext
>>> sc = Scenario.model_validate({
...     "schema_version": 1, "kind": "scenario", "id": "x", "title": "X", "actor": "government",
...     "objective": "availability", "phases": ["voting"], "likelihood": 0.2,
...     "entry": [{"select": "type:network", "technique": "t", "probability": 1,
...                "time": {"fixed": 1}}],
...     "effects": [{"type": "deface"}]})
>>> effective_likelihood(sc, None).value
0.2
>>> ctx = ThreatContext(source="assessment", actors={"government": "low"})
>>> round(effective_likelihood(sc, ctx).value, 6), effective_likelihood(sc, ctx).origin
(0.06, 'actor')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt

from cyberready.models import (
    Assessment,
    Control,
    Framework,
    Scenario,
    Selector,
    ThreatContext,
    TimeDistribution,
)
from cyberready.workspace import ResolvedSystem

if TYPE_CHECKING:
    from cyberready.workspace import Workspace

__all__ = [
    "ACTOR_MULTIPLIER",
    "CAP",
    "AssetLevels",
    "Likelihood",
    "Origin",
    "Posture",
    "asset_levels",
    "build_posture",
    "effective_likelihood",
]

FloatArray = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

NA = -1
"""The level code of ``n/a`` (and of a control that does not apply to an asset's type)."""


@dataclass(frozen=True, eq=False)
class Posture:
    """What the engine needs from the controls, per asset.

    Techniques no control touches are absent from the mappings: their success factor is 1 and
    their detection chance 0 everywhere (see :meth:`success_factor`, :meth:`detection`).
    """

    n_assets: int
    success: Mapping[str, FloatArray] = field(default_factory=dict)
    """Technique -> per-asset factor on step success, in [0, 1]."""
    detect: Mapping[str, FloatArray] = field(default_factory=dict)
    """Technique -> per-asset chance that a compromise by it is detected, in [0, 1]."""
    recovery: FloatArray | None = None
    """Per-asset factor on outage durations, in [0, 1] (None: 1 everywhere)."""
    reassurance: float = 1.0
    """Factor on public-confidence impact, from organisation-wide controls."""
    verify: FloatArray | None = None
    """Per-asset chance that an alteration is caught by verification (None: 0 everywhere)."""
    rechecks: tuple[TimeDistribution, ...] = ()
    """The distinct recheck-time laws of the verifying controls."""
    recheck_at: BoolArray | None = None
    """``[len(rechecks), assets]``: which laws act at each asset (a verifying control with
    effectiveness above 0 there); a caught alteration keeps the asset out for the shortest."""

    @classmethod
    def neutral(cls, n_assets: int) -> Posture:
        """No control has any effect (every level 0)."""
        return cls(n_assets=n_assets)

    def success_factor(self, technique: str) -> FloatArray:
        """Per-asset factor on the base success probability of ``technique``."""
        got = self.success.get(technique)
        return np.ones(self.n_assets) if got is None else got

    def detection(self, technique: str) -> FloatArray:
        """Per-asset chance that a compromise by ``technique`` is detected."""
        got = self.detect.get(technique)
        return np.zeros(self.n_assets) if got is None else got

    def recovery_factor(self) -> FloatArray:
        """Per-asset factor on outage durations."""
        return np.ones(self.n_assets) if self.recovery is None else self.recovery

    def verification(self) -> FloatArray:
        """Per-asset chance that an alteration is caught by verification."""
        return np.zeros(self.n_assets) if self.verify is None else self.verify


@dataclass(frozen=True, eq=False)
class AssetLevels:
    """Levels of every in-scope ``subject: emb`` control on every asset.

    ``levels[c, i]`` is control ``control_ids[c]``'s level on asset ``i``: 0–4, or ``-1`` when the
    control is ``n/a`` there or does not apply to the asset's type (``applicable[c, i]`` tells
    which). Unanswered controls are level 0 (listed in ``unanswered``).

    ``org_levels[c]`` is the *organisation-wide level* of control ``c``, used for the
    reassurance factor of controls whose ``applies_to`` is ``organization``: it is the answer's
    level (``-1`` for n/a or for controls that are not organisation-wide; 0 unanswered).
    Asset overrides do not apply to it — reassurance is about the public, not an asset.
    """

    control_ids: tuple[str, ...]
    controls: tuple[Control, ...]
    effectiveness: FloatArray
    """``[n_controls, 5]``: each control's effectiveness curve (its own, else its
    framework's)."""
    levels: Int8Array
    applicable: BoolArray
    org_levels: Int8Array
    unanswered: frozenset[str] = frozenset()

    @cached_property
    def _index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.control_ids)}

    @property
    def n_assets(self) -> int:
        """Number of assets."""
        return int(self.levels.shape[1])

    def index(self, control_id: str) -> int:
        """Row of a control (KeyError naming the control when it is not in scope)."""
        try:
            return self._index[control_id]
        except KeyError:
            raise KeyError(f"control {control_id!r} is not an in-scope EMB control") from None

    def level(self, control_id: str) -> Int8Array:
        """Per-asset levels of one control (a read-only view)."""
        row: Int8Array = self.levels[self.index(control_id)]
        row.flags.writeable = False
        return row

    def raised(
        self,
        control_id: str,
        level: int,
        positions: npt.ArrayLike | None = None,
    ) -> AssetLevels:
        """A copy with ``control_id`` raised to at least ``level`` (never lowered).

        ``positions`` (asset rows) limits the change; by default every asset where the control
        applies. Assets whose type the control does not apply to stay ``-1``; an ``n/a`` answer
        on an applicable asset is replaced (the what-if is "put the control in place"). The
        organisation-wide level is raised too when ``positions`` is None.
        """
        if not 0 <= level <= 4:
            raise ValueError(f"level must be 0–4, got {level}")
        c = self.index(control_id)
        where = self.applicable[c].copy()
        if positions is not None:
            sel = np.zeros(self.n_assets, dtype=bool)
            sel[np.asarray(positions, dtype=np.int64)] = True
            where &= sel
        levels = self.levels.copy()
        levels[c] = np.where(where, np.maximum(levels[c], np.int8(level)), levels[c])
        org = self.org_levels.copy()
        if positions is None and self.controls[c].organization_wide:
            org[c] = max(int(org[c]), level)
        return AssetLevels(
            control_ids=self.control_ids,
            controls=self.controls,
            effectiveness=self.effectiveness,
            levels=levels,
            applicable=self.applicable,
            org_levels=org,
            unanswered=self.unanswered - {control_id},
        )

    def strength(self, c: int) -> FloatArray:
        """Per-asset effectiveness of control row ``c`` (0 where ``-1``)."""
        table = np.concatenate(([0.0], self.effectiveness[c]))
        out: FloatArray = table[self.levels[c].astype(np.int64) + 1]
        return out

    def posture(self) -> Posture:
        """The :class:`Posture` these levels give.

        Products run over the controls in their order here (framework order, then file order),
        so the same levels always give bit-identical factors.
        """
        n = self.n_assets
        success: dict[str, FloatArray] = {}
        undetected: dict[str, FloatArray] = {}
        recovery: FloatArray | None = None
        unverified: FloatArray | None = None
        rechecks: dict[TimeDistribution, BoolArray] = {}
        reassurance = 1.0
        for c, ctl in enumerate(self.controls):
            eff = ctl.effects
            if eff.empty:
                continue
            per_asset = eff.mitigates or eff.detects or eff.recovers or eff.verifies is not None
            strength = self.strength(c) if per_asset else None
            for tech, reduction in sorted(eff.mitigates.items()):
                assert strength is not None
                cur = success.setdefault(tech, np.ones(n))
                cur *= 1.0 - reduction * strength
            for tech, chance in sorted(eff.detects.items()):
                assert strength is not None
                cur = undetected.setdefault(tech, np.ones(n))
                cur *= 1.0 - chance * strength
            if eff.recovers:
                assert strength is not None
                if recovery is None:
                    recovery = np.ones(n)
                recovery *= 1.0 - eff.recovers * strength
            if eff.verifies is not None:
                assert strength is not None
                if unverified is None:
                    unverified = np.ones(n)
                unverified *= 1.0 - eff.verifies.probability * strength
                acts = rechecks.setdefault(eff.verifies.recheck, np.zeros(n, dtype=bool))
                acts |= strength > 0
            if eff.reassures and ctl.organization_wide:
                org = int(self.org_levels[c])
                org_eff = 0.0 if org < 0 else float(self.effectiveness[c, org])
                reassurance *= 1.0 - eff.reassures * org_eff
        detect = {t: 1.0 - v for t, v in undetected.items()}
        return Posture(
            n_assets=n,
            success=success,
            detect=detect,
            recovery=recovery,
            reassurance=reassurance,
            verify=None if unverified is None else 1.0 - unverified,
            rechecks=tuple(rechecks),
            recheck_at=np.array(list(rechecks.values())).reshape(len(rechecks), n)
            if rechecks
            else None,
        )


def _controls_in_scope(frameworks: Iterable[Framework]) -> list[tuple[Framework, Control]]:
    return [(fw, c) for fw in frameworks for c in fw.controls if fw.subject_of(c) == "emb"]


def levels_from(
    system: ResolvedSystem,
    frameworks: Sequence[Framework],
    assessment: Assessment | None,
) -> AssetLevels:
    """Build :class:`AssetLevels` from resolved assets, in-scope frameworks and answers.

    Overrides are applied from the least to the most specific selector (ids > tags >
    sites/operators > types > exposure/data), so the most specific one wins; equally specific
    overrides that overlap and disagree are rejected when the workspace is loaded.
    """
    pairs = _controls_in_scope(frameworks)
    n = system.n_assets
    answers = assessment.answers if assessment is not None else {}
    overrides = assessment.overrides if assessment is not None else ()
    levels = np.zeros((len(pairs), n), dtype=np.int8)
    applicable = np.zeros((len(pairs), n), dtype=bool)
    org = np.full(len(pairs), NA, dtype=np.int8)
    eff = np.zeros((len(pairs), 5))
    unanswered: set[str] = set()
    by_control: dict[str, list[tuple[int, Selector, int]]] = {}
    for k, ov in enumerate(overrides):
        lv = NA if ov.level == "n/a" else int(ov.level)
        by_control.setdefault(ov.control, []).append((k, ov.select, lv))
    for c, (fw, ctl) in enumerate(pairs):
        eff[c] = fw.curve_of(ctl)
        answer = answers.get(ctl.id)
        if answer is None:
            base = 0
            unanswered.add(ctl.id)
        else:
            base = NA if answer.level == "n/a" else int(answer.level)
        applies = system.mask(ctl.applies_selector)
        if ctl.organization_wide:
            org[c] = base
        row = np.full(n, base, dtype=np.int8)
        for _k, sel, lv in sorted(
            by_control.get(ctl.id, []), key=lambda t: (t[1].specificity(), t[0])
        ):
            row[system.mask(sel)] = lv
        row[~applies] = NA
        levels[c] = row
        applicable[c] = applies
    return AssetLevels(
        control_ids=tuple(ctl.id for _, ctl in pairs),
        controls=tuple(ctl for _, ctl in pairs),
        effectiveness=eff,
        levels=levels,
        applicable=applicable,
        org_levels=org,
        unanswered=frozenset(unanswered),
    )


def asset_levels(ws: Workspace) -> AssetLevels:
    """Per-asset levels of the workspace's in-scope EMB controls (see :class:`AssetLevels`)."""
    return levels_from(ws.resolved, ws.frameworks, ws.assessment)


def build_posture(ws: Workspace) -> Posture:
    """The workspace's :class:`Posture`: ``asset_levels(ws).posture()``."""
    return asset_levels(ws).posture()


# --------------------------------------------------------------------------- threat context

ACTOR_MULTIPLIER: Final = {"none": 0.0, "low": 0.3, "medium": 1.0, "high": 2.0}
"""Factor on a scenario's base likelihood for each actor level."""
CAP: Final = 0.95
"""A raise by an actor level never takes a likelihood above this (or above the base)."""

Origin = Literal["generic", "actor", "emb"]


@dataclass(frozen=True)
class Likelihood:
    """A scenario's effective likelihood for one EMB and where it came from."""

    value: float
    """The effective likelihood ``L``, 0–1."""
    base: float
    """The scenario's own (generic) likelihood."""
    origin: Origin
    """``generic`` (no threat context), ``actor`` (base × the actor level's multiplier) or
    ``emb`` (the EMB's own figure for this scenario)."""
    actor: str
    level: str | None = None
    """The actor's level in the threat context (None without one)."""
    rationale: str = ""
    """The EMB's rationale, for ``emb``."""

    def describe(self) -> str:
        """Where the figure comes from, in a few words."""
        if self.origin == "emb":
            return f"set by the EMB: {self.rationale}"
        if self.origin == "actor":
            return (
                f"base {self.base:g} × {ACTOR_MULTIPLIER[self.level or 'medium']:g} "
                f"({self.actor.replace('_', ' ')}: {self.level})"
            )
        return "generic (no threat context)"


def effective_likelihood(scenario: Scenario, context: ThreatContext | None) -> Likelihood:
    """The effective likelihood of ``scenario`` under ``context`` (see the module docstring)."""
    base = scenario.likelihood
    if context is None:
        return Likelihood(value=base, base=base, origin="generic", actor=scenario.actor)
    level = context.actors.get(scenario.actor, "medium")
    own = context.scenarios.get(scenario.id)
    if own is not None:
        return Likelihood(
            value=own.likelihood,
            base=base,
            origin="emb",
            actor=scenario.actor,
            level=level,
            rationale=own.rationale,
        )
    value = min(base * ACTOR_MULTIPLIER[level], max(base, CAP))
    return Likelihood(value=value, base=base, origin="actor", actor=scenario.actor, level=level)

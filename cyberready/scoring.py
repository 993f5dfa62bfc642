"""Readiness scores (docs/scoring.md): per control, domain, framework and overall, on 0–100.

The rules, stated once (``docs/scoring.md`` says the same for readers of reports):

* **Control score** = level / 4 × 100. An *unassessed* control (no answer) scores 0 and is
  listed as unassessed — visibly, never silently. An ``n/a`` control has no score and is left
  out of every mean (it never counts as 0).
* **Domain, framework and overall scores** = the mean of control scores weighted by each
  control's ``weight`` (1–5), over the controls that are not ``n/a``. *Overall* is that mean over
  the ``subject: emb`` controls of **every framework in scope**, pooled (not a mean of the
  framework scores), so a framework with more controls weighs more. ``subject: platform``
  controls are never in EMB scores: they are scored in platform scorecards, one per company,
  by the same rules. ``subject: partner`` controls (practices of the EMB's international
  partners, e.g. donor coordination) are answered in the EMB's assessment but kept out of every
  EMB score: they get a score of their own, ``partners``, by the same rules.
* **Coverage** = share of the controls that have an answer (a level or ``n/a``).
* **Tier**: the framework's ``tiers`` (highest ``min`` at or below the score). Overall uses the
  tiers shared by every framework in scope, or the default tiers when they differ.
* **Targets**: a control with a target level has ``gap`` = max(0, target - level) × 25 points.
  An aggregate's target is the weighted mean of max(target score, score) — controls without a
  target are held at their current score — and its gap is target - score.
* **Asset spread**: a level can differ per asset (``overrides``; the most specific selector
  wins). Each control shows the min–max of the levels that hold on the assets it applies to
  (its ``applies_to`` types, or every asset for ``organization``): the answer's level (0 if
  unassessed) where no override matches, the override's level where one does. An aggregate's
  spread is the weighted mean computed with every control at its lowest level, and at its
  highest. An organisation-level score therefore cannot hide an asset group at level 0.
* **Confidence** (evidence behind the answers): each answer's evidence source has a weight —
  ``test`` 1.0, ``observation`` 0.8, ``document`` 0.6, ``interview`` 0.4, ``none`` 0 (and an
  unassessed control 0). An aggregate's confidence is the weighted mean of those weights over
  its non-``n/a`` controls, named **High** (≥ 0.75), **Medium** (≥ 0.5) or **Low**. The score
  band is score ± (1 - confidence) × 25 points, clipped to 0–100: an answer backed only by
  an interview may be off by more than half a maturity level; one checked by a test is taken
  as exact. The confidence never changes the score itself.

Everything here is pure: it takes models (and a :class:`~cyberready.workspace.ResolvedSystem`
for the asset spread) and returns frozen results, which render as pandas DataFrames
(:meth:`Readiness.to_frame`) and as tables in Jupyter.

Examples
--------
>>> import cyberready
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> r = cyberready.score(ws)
>>> 0 <= r.overall.score <= 100
True
>>> sorted(r.to_frame().columns)[:3]
['confidence', 'control', 'domain']
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from cyberready.errors import AssessmentError, Problem, did_you_mean
from cyberready.models import Answer, Assessment, Control, Framework, Override, PlatformScorecard
from cyberready.models.assessment import Level
from cyberready.models.framework import DEFAULT_TIERS, Tier

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.workspace import ResolvedSystem, Workspace

__all__ = [
    "CONFIDENCE_BANDS",
    "LEVEL_POINTS",
    "SOURCE_WEIGHTS",
    "AggregateScore",
    "AssetGroup",
    "ControlScore",
    "PlatformReadiness",
    "Readiness",
    "aggregate",
    "confidence_band",
    "score",
    "score_controls",
    "score_platform",
]

LEVEL_POINTS: Final = 25.0
"""Points per maturity level: level 4 = 100."""

SOURCE_WEIGHTS: Final[Mapping[str, float]] = MappingProxyType(
    {"test": 1.0, "observation": 0.8, "document": 0.6, "interview": 0.4, "none": 0.0}
)
"""How much each evidence source is trusted, 0–1 (an unassessed control counts 0)."""

CONFIDENCE_BANDS: Final[tuple[tuple[float, str], ...]] = ((0.75, "High"), (0.5, "Medium"))
"""(lowest confidence, name), highest first; below the last is ``Low``."""

Status = Literal["answered", "n/a", "unassessed"]
Scope = Literal["overall", "framework", "domain", "partner"]


def confidence_band(confidence: float | None) -> str | None:
    """``High``, ``Medium`` or ``Low`` for a confidence in [0, 1] (None stays None).

    >>> confidence_band(0.8), confidence_band(0.6), confidence_band(0.4)
    ('High', 'Medium', 'Low')
    """
    if confidence is None:
        return None
    for lowest, name in CONFIDENCE_BANDS:
        if confidence + 1e-9 >= lowest:
            return name
    return "Low"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AssetGroup:
    """The applicable assets of one control that share a level (the answer's, or an override's).

    ``override`` is the position of the deciding override in the assessment's ``overrides``;
    ``None`` means no override matched and the answer's level holds. ``items`` counts what the
    assets stand for (their ``count``), ``assets`` the nodes.
    """

    framework: str
    control: str
    group: str
    override: int | None
    level: Level
    assets: int
    items: int


@dataclass(frozen=True)
class ControlScore:
    """One control's answer and score. ``score`` is None for ``n/a`` and 0 when unassessed."""

    framework: str
    domain: str
    control: str
    title: str
    weight: int
    status: Status
    level: Level | None
    score: float | None
    source: str
    confidence: float | None
    target: int | None
    gap: float | None
    spread: tuple[int, int] | None
    """(lowest, highest) level over the applicable assets; None without a system or assets."""
    groups: tuple[AssetGroup, ...] = ()

    @property
    def counted(self) -> bool:
        """True when the control enters means (it is not ``n/a``)."""
        return self.status != "n/a"


@dataclass(frozen=True)
class AggregateScore:
    """A weighted score over a set of controls: a domain, a framework, or everything in scope."""

    scope: Scope
    framework: str
    domain: str
    title: str
    score: float | None
    """Weighted mean of the non-``n/a`` control scores; None when every control is ``n/a``."""
    tier: str | None
    controls: int
    answered: int
    """Controls with an answer, ``n/a`` included."""
    not_applicable: int
    unassessed: tuple[str, ...]
    coverage: float | None
    """answered / controls; None for an empty set."""
    confidence: float | None
    confidence_band: str | None
    band: tuple[float, float] | None
    """(low, high): score ± (1 - confidence) × 25, clipped to 0–100."""
    spread: tuple[float, float] | None
    """Score with every control at its lowest asset level, and at its highest."""
    target: float | None
    gap: float | None

    @property
    def label(self) -> str:
        """``overall``, ``partner``, the framework id, or ``framework/domain``."""
        if self.scope in ("overall", "partner"):
            return self.scope
        return self.framework if self.scope == "framework" else f"{self.framework}/{self.domain}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "scope": self.scope,
            "framework": self.framework,
            "domain": self.domain,
            "title": self.title,
            "score": self.score,
            "tier": self.tier,
            "controls": self.controls,
            "answered": self.answered,
            "not_applicable": self.not_applicable,
            "unassessed": list(self.unassessed),
            "coverage": self.coverage,
            "confidence": self.confidence,
            "confidence_band": self.confidence_band,
            "band": list(self.band) if self.band else None,
            "spread": list(self.spread) if self.spread else None,
            "target": self.target,
            "gap": self.gap,
        }


_AGG_COLUMNS = [
    "scope",
    "framework",
    "domain",
    "title",
    "score",
    "tier",
    "controls",
    "answered",
    "not_applicable",
    "n_unassessed",
    "coverage",
    "confidence",
    "confidence_band",
    "band_low",
    "band_high",
    "spread_low",
    "spread_high",
    "target",
    "gap",
]


def _agg_row(a: AggregateScore, **extra: object) -> dict[str, object]:
    return {
        **extra,
        "scope": a.scope,
        "framework": a.framework,
        "domain": a.domain,
        "title": a.title,
        "score": a.score,
        "tier": a.tier,
        "controls": a.controls,
        "answered": a.answered,
        "not_applicable": a.not_applicable,
        "n_unassessed": len(a.unassessed),
        "coverage": a.coverage,
        "confidence": a.confidence,
        "confidence_band": a.confidence_band,
        "band_low": a.band[0] if a.band else None,
        "band_high": a.band[1] if a.band else None,
        "spread_low": a.spread[0] if a.spread else None,
        "spread_high": a.spread[1] if a.spread else None,
        "target": a.target,
        "gap": a.gap,
    }


_CONTROL_COLUMNS = [
    "framework",
    "domain",
    "control",
    "title",
    "weight",
    "status",
    "level",
    "score",
    "source",
    "confidence",
    "target",
    "gap",
    "spread_min",
    "spread_max",
]


def _control_row(c: ControlScore, **extra: object) -> dict[str, object]:
    return {
        **extra,
        "framework": c.framework,
        "domain": c.domain,
        "control": c.control,
        "title": c.title,
        "weight": c.weight,
        "status": c.status,
        "level": c.level if isinstance(c.level, int) else None,
        "score": c.score,
        "source": c.source,
        "confidence": c.confidence,
        "target": c.target,
        "gap": c.gap,
        "spread_min": c.spread[0] if c.spread else None,
        "spread_max": c.spread[1] if c.spread else None,
    }


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame with nullable integer columns for levels and counts, floats for scores."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    ints = {"level", "spread_min", "spread_max", "assets", "items", "override", "weight"}
    ints |= {"controls", "answered", "not_applicable", "n_unassessed"}
    if "status" in df.columns:  # a control's target is a level; an aggregate's is a score
        ints.add("target")
    for col in df.columns:
        if col in ints:
            df[col] = df[col].astype("Int64")
        elif col in _FLOAT_COLUMNS:
            df[col] = df[col].astype("float64")
    return df


_FLOAT_COLUMNS = frozenset(
    {"score", "confidence", "gap", "coverage", "band_low", "band_high", "spread_low"}
    | {"spread_high", "target"}
)


@dataclass(frozen=True)
class PlatformReadiness:
    """One technology company's platform scorecard, scored like an EMB's framework."""

    company: str
    framework: str
    as_of: dt.date
    total: AggregateScore
    domains: tuple[AggregateScore, ...]
    controls: tuple[ControlScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "company": self.company,
            "framework": self.framework,
            "as_of": self.as_of.isoformat(),
            "total": self.total.to_dict(),
            "domains": [d.to_dict() for d in self.domains],
            "controls": [_control_row(c) for c in self.controls],
        }


FrameBy = Literal["control", "asset_group", "domain", "framework", "platform", "partner"]


@dataclass(frozen=True)
class Readiness:
    """Readiness of one EMB: overall, per framework, per domain and per control, plus the
    platform scorecards. ``to_frame(by=...)`` gives tidy DataFrames."""

    emb: str
    as_of: dt.date | None
    overall: AggregateScore
    frameworks: tuple[AggregateScore, ...]
    domains: tuple[AggregateScore, ...]
    controls: tuple[ControlScore, ...]
    platforms: tuple[PlatformReadiness, ...] = ()
    partners: AggregateScore | None = None
    """The ``subject: partner`` controls of every framework in scope, pooled: the EMB's
    international partners' practices, kept out of the EMB's own scores (None: there are none)."""
    partner_controls: tuple[ControlScore, ...] = ()
    """The ``subject: partner`` controls, scored like the EMB's."""
    _by_id: dict[str, ControlScore] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.control: c for c in (*self.controls, *self.partner_controls)})

    # ------------------------------------------------------------------ look-ups

    def control(self, control_id: str) -> ControlScore:
        """The score of one control (KeyError if not in scope)."""
        return self._by_id[control_id]

    def framework(self, framework_id: str) -> AggregateScore:
        """The score of one framework in scope (KeyError if not in scope)."""
        for f in self.frameworks:
            if f.framework == framework_id:
                return f
        raise KeyError(framework_id)

    def domain(self, framework_id: str, domain_id: str) -> AggregateScore:
        """The score of one domain (KeyError if unknown)."""
        for d in self.domains:
            if d.framework == framework_id and d.domain == domain_id:
                return d
        raise KeyError(f"{framework_id}/{domain_id}")

    @property
    def unassessed(self) -> tuple[str, ...]:
        """Ids of the controls in scope that have no answer (scored as 0)."""
        return self.overall.unassessed

    # ------------------------------------------------------------------ views

    def to_frame(self, by: FrameBy = "control") -> pd.DataFrame:
        """A tidy DataFrame.

        Parameters
        ----------
        by
            ``control`` (one row per control, the default), ``asset_group`` (one row per
            control × group of assets sharing a level), ``domain``, ``framework`` (the
            aggregates, overall included as the first row of ``framework``), ``platform``
            (one row per company × platform control), or ``partner`` (one row per
            ``subject: partner`` control, scored apart from the EMB's own).
        """
        if by == "control":
            return _frame([_control_row(c) for c in self.controls], _CONTROL_COLUMNS)
        if by == "asset_group":
            cols = ["framework", "control", "group", "override", "level", "assets", "items"]
            rows: list[dict[str, object]] = [
                {
                    "framework": g.framework,
                    "control": g.control,
                    "group": g.group,
                    "override": g.override,
                    "level": g.level if isinstance(g.level, int) else None,
                    "level_text": str(g.level),
                    "assets": g.assets,
                    "items": g.items,
                }
                for c in self.controls
                for g in c.groups
            ]
            return _frame(rows, [*cols, "level_text"])
        if by == "domain":
            return _frame([_agg_row(d) for d in self.domains], _AGG_COLUMNS)
        if by == "framework":
            return _frame([_agg_row(a) for a in (self.overall, *self.frameworks)], _AGG_COLUMNS)
        if by == "platform":
            rows = [_control_row(c, company=p.company) for p in self.platforms for c in p.controls]
            return _frame(rows, ["company", *_CONTROL_COLUMNS])
        if by == "partner":
            return _frame([_control_row(c) for c in self.partner_controls], _CONTROL_COLUMNS)
        raise ValueError(
            f"by={by!r}: expected control, asset_group, domain, framework, platform or partner"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (``cyberready assess --json``)."""
        return {
            "emb": self.emb,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "overall": self.overall.to_dict(),
            "frameworks": [f.to_dict() for f in self.frameworks],
            "domains": [d.to_dict() for d in self.domains],
            "controls": [
                {**_control_row(c), "level": c.level, "groups": [_group_dict(g) for g in c.groups]}
                for c in self.controls
            ],
            "platforms": [p.to_dict() for p in self.platforms],
            "partners": self.partners.to_dict() if self.partners is not None else None,
            "partner_controls": [_control_row(c) for c in self.partner_controls],
        }

    def _repr_html_(self) -> str:
        o = self.overall
        head = (
            f"<p><b>Readiness of {html.escape(self.emb)}</b>"
            + (f" as of {self.as_of}" if self.as_of else "")
            + f": overall {_num(o.score)} ({html.escape(o.tier or 'n/a')}), coverage "
            f"{_pct(o.coverage)}, confidence {html.escape(o.confidence_band or 'n/a')}; "
            f"{len(o.unassessed)} unassessed control(s) counted as 0.</p>"
        )
        cols = ["title", "score", "tier", "coverage", "confidence_band", "spread_low", "gap"]
        table = self.to_frame("domain").set_index(["framework", "domain"])[cols]
        return head + table.to_html(float_format=lambda v: f"{v:.1f}", na_rep="", escape=True)


def _group_dict(g: AssetGroup) -> dict[str, object]:
    return {
        "group": g.group,
        "override": g.override,
        "level": g.level,
        "assets": g.assets,
        "items": g.items,
    }


def _num(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.1f}"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f}%"


# --------------------------------------------------------------------------- scoring


def score_controls(
    framework: Framework,
    answers: Mapping[str, Answer],
    *,
    subject: Literal["emb", "platform", "partner"] = "emb",
    overrides: Sequence[Override] = (),
    system: ResolvedSystem | None = None,
) -> list[ControlScore]:
    """Score every control of ``framework`` with the given subject, in file order.

    ``overrides`` (the assessment's, all of them: positions are reported) and ``system`` give
    the asset spread; without a system the spread is None.
    """
    by_control: dict[str, list[tuple[int, Override]]] = {}
    for k, ov in enumerate(overrides):
        by_control.setdefault(ov.control, []).append((k, ov))
    out: list[ControlScore] = []
    for c in framework.controls:
        if framework.subject_of(c) != subject:
            continue
        ans = answers.get(c.id)
        if ans is None:
            status: Status = "unassessed"
            level: Level | None = None
            points: float | None = 0.0
            source = "none"
            conf: float | None = 0.0
        elif ans.level == "n/a":
            status, level, points, source, conf = "n/a", "n/a", None, ans.source, None
        else:
            status, level, source = "answered", ans.level, ans.source
            points = ans.level * LEVEL_POINTS
            conf = SOURCE_WEIGHTS[ans.source]
        target = ans.target if ans is not None else None
        gap = None
        if target is not None and points is not None:
            gap = max(0.0, target * LEVEL_POINTS - points)
        groups: tuple[AssetGroup, ...] = ()
        spread: tuple[int, int] | None = None
        if system is not None:
            groups, spread = _asset_levels(framework.id, c, level, by_control.get(c.id, []), system)
        out.append(
            ControlScore(
                framework=framework.id,
                domain=c.domain,
                control=c.id,
                title=c.title,
                weight=c.weight,
                status=status,
                level=level,
                score=points,
                source=source,
                confidence=conf,
                target=target,
                gap=gap,
                spread=spread,
                groups=groups,
            )
        )
    return out


def _asset_levels(
    framework_id: str,
    control: Control,
    level: Level | None,
    overrides: Sequence[tuple[int, Override]],
    system: ResolvedSystem,
) -> tuple[tuple[AssetGroup, ...], tuple[int, int] | None]:
    """Groups of applicable assets by the level that holds there, and the min–max level."""
    applicable = system.mask(control.applies_selector)
    if not applicable.any():
        return (), None
    decider = np.full(system.n_assets, -1, dtype=np.int64)
    specificity = np.full(system.n_assets, -1, dtype=np.int64)
    for k, ov in overrides:
        spec = ov.select.specificity()
        take = system.mask(ov.select) & applicable & (specificity < spec)
        decider[take] = k
        specificity[take] = spec
    default: Level = 0 if level is None else level
    by_override = dict(overrides)
    groups: list[AssetGroup] = []
    for k in [-1, *by_override]:
        rows = applicable & (decider == k)
        if not rows.any():
            continue
        found = by_override.get(k)
        groups.append(
            AssetGroup(
                framework=framework_id,
                control=control.id,
                group="answer" if found is None else found.select.describe(),
                override=None if found is None else k,
                level=default if found is None else found.level,
                assets=int(rows.sum()),
                items=int(system.counts[rows].sum()),
            )
        )
    numeric = [g.level for g in groups if isinstance(g.level, int)]
    spread = (min(numeric), max(numeric)) if numeric else None
    return tuple(groups), spread


def _common_tiers(frameworks: Sequence[Framework]) -> tuple[Tier, ...]:
    tiers = {fw.tiers for fw in frameworks}
    return tiers.pop() if len(tiers) == 1 else DEFAULT_TIERS


def _tier(tiers: Sequence[Tier], value: float) -> str:
    name = tiers[0].name
    for t in tiers:
        if value + 1e-9 >= t.min:
            name = t.name
    return name


def aggregate(
    scores: Sequence[ControlScore],
    *,
    scope: Scope,
    framework: str = "",
    domain: str = "",
    title: str = "",
    tiers: Sequence[Tier] = DEFAULT_TIERS,
) -> AggregateScore:
    """Roll control scores up into one weighted score (the rules in the module docstring)."""
    counted = [c for c in scores if c.counted]
    n_na = sum(1 for c in scores if c.status == "n/a")
    unassessed = tuple(c.control for c in scores if c.status == "unassessed")
    answered = len(scores) - len(unassessed)
    coverage = answered / len(scores) if scores else None
    total_w = sum(c.weight for c in counted)
    # The counts hold whatever the weights; the score and what derives from it need a weight.
    unscored = AggregateScore(
        scope=scope,
        framework=framework,
        domain=domain,
        title=title,
        score=None,
        tier=None,
        controls=len(scores),
        answered=answered,
        not_applicable=n_na,
        unassessed=unassessed,
        coverage=coverage,
        confidence=None,
        confidence_band=None,
        band=None,
        spread=None,
        target=None,
        gap=None,
    )
    if total_w == 0:
        return unscored

    def mean(values: Iterable[tuple[int, float]]) -> float:
        # weights and scores are multiples of 1 and 25: exact sums, one rounding
        return sum(w * v for w, v in values) / total_w

    points = mean((c.weight, c.score or 0.0) for c in counted)
    confidence = mean((c.weight, c.confidence or 0.0) for c in counted)
    half = (1.0 - confidence) * LEVEL_POINTS
    band = (max(0.0, points - half), min(100.0, points + half))
    spread = None
    if any(c.spread is not None for c in counted):
        low = mean(
            (c.weight, c.spread[0] * LEVEL_POINTS if c.spread else c.score or 0.0) for c in counted
        )
        high = mean(
            (c.weight, c.spread[1] * LEVEL_POINTS if c.spread else c.score or 0.0) for c in counted
        )
        spread = (low, high)
    target = gap = None
    if any(c.target is not None for c in counted):
        target = mean(
            (
                c.weight,
                max(c.target * LEVEL_POINTS, c.score or 0.0)
                if c.target is not None
                else c.score or 0.0,
            )
            for c in counted
        )
        gap = max(0.0, target - points)
    return replace(
        unscored,
        score=points,
        tier=_tier(tiers, points),
        confidence=confidence,
        confidence_band=confidence_band(confidence),
        band=band,
        spread=spread,
        target=target,
        gap=gap,
    )


def _framework_rollup(
    fw: Framework, controls: Sequence[ControlScore]
) -> tuple[AggregateScore, list[AggregateScore]]:
    domains = []
    for d in fw.domains:
        in_domain = [c for c in controls if c.domain == d.id]
        if in_domain:
            domains.append(
                aggregate(
                    in_domain,
                    scope="domain",
                    framework=fw.id,
                    domain=d.id,
                    title=d.title,
                    tiers=fw.tiers,
                )
            )
    total = aggregate(controls, scope="framework", framework=fw.id, title=fw.title, tiers=fw.tiers)
    return total, domains


def score_platform(card: PlatformScorecard, framework: Framework) -> PlatformReadiness:
    """Score one company's platform scorecard (its framework's ``subject: platform`` controls)."""
    controls = score_controls(framework, card.answers, subject="platform")
    total, domains = _framework_rollup(framework, controls)
    return PlatformReadiness(
        company=card.company,
        framework=framework.id,
        as_of=card.as_of,
        total=total,
        domains=tuple(domains),
        controls=tuple(controls),
    )


def score(
    workspace: Workspace | None = None,
    *,
    frameworks: Sequence[Framework] | None = None,
    assessment: Assessment | None = None,
    system: ResolvedSystem | None = None,
    platforms: Sequence[PlatformScorecard] | None = None,
    library: Mapping[str, Framework] | None = None,
) -> Readiness:
    """Readiness of an EMB: every rule is in this module's docstring and ``docs/scoring.md``.

    Parameters
    ----------
    workspace
        A loaded workspace; its frameworks in scope, assessment, system and platform
        scorecards are used unless given explicitly below (e.g. ``assessment=ws.history[-1]``
        scores an earlier assessment against today's system).
    frameworks
        Frameworks in scope, in display order (required without a workspace).
    assessment
        The answers; None scores every control as unassessed.
    system
        The resolved system, for the asset spread (None: no spread).
    platforms
        Platform scorecards, each scored once per company.
    library
        Frameworks by id in which scorecards' frameworks are looked up (default: the
        workspace's library, else ``frameworks``).

    Returns
    -------
    Readiness
        Overall (pooled over the EMB controls of every framework in scope), per framework,
        per domain and per control, and one :class:`PlatformReadiness` per scorecard.

    Examples
    --------
    >>> import cyberready
    >>> r = cyberready.score(cyberready.load_workspace(cyberready.example_path()))
    >>> r.to_frame("framework").iloc[0]["scope"]
    'overall'
    """
    emb_id = ""
    if workspace is not None:
        emb_id = workspace.emb.id
        frameworks = workspace.frameworks if frameworks is None else frameworks
        assessment = workspace.assessment if assessment is None else assessment
        system = workspace.resolved if system is None else system
        platforms = workspace.platforms if platforms is None else platforms
        library = workspace.library.frameworks if library is None else library
    if frameworks is None:
        raise TypeError("score() needs a workspace or frameworks=")
    if assessment is not None:
        emb_id = assessment.emb
    answers: Mapping[str, Answer] = assessment.answers if assessment else {}
    overrides = assessment.overrides if assessment else ()
    lookup = {fw.id: fw for fw in frameworks} if library is None else library
    all_controls: list[ControlScore] = []
    partner_controls: list[ControlScore] = []
    fw_scores: list[AggregateScore] = []
    dom_scores: list[AggregateScore] = []
    for fw in frameworks:
        controls = score_controls(fw, answers, overrides=overrides, system=system)
        if not controls:
            continue
        total, domains = _framework_rollup(fw, controls)
        fw_scores.append(total)
        dom_scores += domains
        all_controls += controls
    for fw in frameworks:
        partner_controls += score_controls(fw, answers, subject="partner")
    overall = aggregate(
        all_controls,
        scope="overall",
        title="All frameworks in scope",
        tiers=_common_tiers(frameworks),
    )
    cards: list[PlatformReadiness] = []
    problems: list[Problem] = []
    for card in platforms or ():
        fw_card = lookup.get(card.framework)
        if fw_card is None:
            problems.append(
                Problem(
                    file=f"<platform scorecard {card.company}>",
                    field="framework",
                    value=card.framework,
                    message=f"unknown framework {card.framework!r}",
                    hint=did_you_mean(card.framework, lookup),
                )
            )
            continue
        cards.append(score_platform(card, fw_card))
    if problems:
        raise AssessmentError(problems)
    cards.sort(key=lambda p: (p.company.casefold(), p.framework))
    return Readiness(
        emb=emb_id,
        as_of=assessment.as_of if assessment else None,
        overall=overall,
        frameworks=tuple(fw_scores),
        domains=tuple(dom_scores),
        controls=tuple(all_controls),
        platforms=tuple(cards),
        partners=(
            aggregate(
                partner_controls,
                scope="partner",
                title="International partners' practices",
                tiers=_common_tiers(frameworks),
            )
            if partner_controls
            else None
        ),
        partner_controls=tuple(partner_controls),
    )

"""Build each audience's data view from an :class:`~cyberready.assess.AssessmentResult`.

A view holds exactly what its audience may see (:mod:`cyberready.report.models`):

- ``technical`` — everything: readiness, control findings with evidence and notes, risks per
  scenario and function, assets, attack paths, the graph, ranked actions (TLP:AMBER+STRICT);
- ``advisor`` — technical plus crosswalks, the roadmap and the modelling assumptions
  (TLP:AMBER+STRICT);
- ``donor`` — readiness by domain and tier, confidence, trend, the chance each election function
  fails, and priorities by domain with cost ranges and what they protect (TLP:GREEN). It is a
  separate model type with no field for asset names or ids, paths, evidence or notes; every
  string in it is also scrubbed of the workspace's asset ids and labels, evidence and notes
  (a user's function title that names a system is redacted), and :func:`build_view` refuses
  to return a donor view in which one survives.

Views are pure data, sorted deterministically, and carry no timestamps: the same result gives
the same view.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypedDict, TypeVar

import numpy as np

from cyberready._version import __version__
from cyberready.errors import DisclosureError, ReportError
from cyberready.models.framework import translation_of
from cyberready.models.vocab import ASSET_TYPES, EXPOSURES, localized
from cyberready.report import numbers
from cyberready.report.i18n import check_locale, translations
from cyberready.report.models import (
    TLP,
    ActionRow,
    AdvisorView,
    AssetRisk,
    Assumption,
    Audience,
    Banner,
    ControlFinding,
    Crosswalk,
    DomainReadiness,
    DonorLimitations,
    DonorPriority,
    DonorScenarioNotApplied,
    DonorView,
    EvidenceMix,
    FrameworkReadiness,
    FunctionRisk,
    GraphEdge,
    GraphNode,
    IncidentCitation,
    Limitations,
    PartnerPractice,
    PartnerReadiness,
    PathView,
    PlanSection,
    PlatformCommitment,
    PlatformCommitmentRow,
    PlatformLevel,
    PlatformScore,
    PlatformView,
    PublicMeasures,
    PublicMethod,
    PublicView,
    ReadinessSection,
    ReportMeta,
    RoadmapItem,
    RouteView,
    ScenarioCell,
    ScenarioNotApplied,
    ScenarioRisk,
    TechnicalView,
    ThreatActorLevel,
    ThreatContextView,
    TrendPoint,
    View,
    check_donor_view,
    risk_level,
)
from cyberready.report.numbers import is_english
from cyberready.report.redaction import Redactor, Term
from cyberready.report.render import banner_text, vocabulary_texts

if TYPE_CHECKING:
    from cyberready.assess import AssessmentResult
    from cyberready.models import Scenario
    from cyberready.models.framework import Framework, Translation
    from cyberready.prioritize import Action as PlannedAction
    from cyberready.prioritize import Recommendation
    from cyberready.scoring import AggregateScore
    from cyberready.workspace import Library, ResolvedSystem, RuleIssue, Workspace

__all__ = [
    "build_view",
    "build_views",
    "donor_view",
    "forbidden_terms",
    "platform_companies",
    "platform_view",
    "public_view",
    "redactor",
    "sensitive_strings",
    "sensitive_terms",
    "tier_names",
    "vocabulary",
    "workspace_tier_names",
]

Gettext = Callable[[str], str]

GRAPH_NODE_LIMIT: Final = 300
"""Largest number of nodes in the graph chart (a group of generated assets is one node; the
caption says how many assets are left out beyond it)."""
PATH_LIMIT: Final = 10
"""Attack paths listed in a technical report."""
SAMPLE_LIMIT: Final = 200
"""Hours-to-failure values kept per scenario for the time-to-impact chart."""
REDACTED: Final = "[withheld]"


def build_view(
    result: AssessmentResult,
    audience: Audience,
    *,
    locale: str = "en",
    company: str | None = None,
) -> View:
    """The data view of ``result`` for ``audience`` (technical, advisor, donor, public, or
    platform with ``company``).

    Raises
    ------
    ReportError
        If the audience is unknown, a platform view is asked for without a known ``company``,
        or (a bug) a donor or public view would still hold a sensitive string.
    InputError
        If ``locale``'s language has no shipped catalog (:func:`check_locale`).
    """
    locale = check_locale(locale)
    _ = translations(locale).gettext
    if audience == "technical":
        return _technical(result, locale, _, TechnicalView)
    if audience == "advisor":
        return _technical(result, locale, _, AdvisorView)
    if audience == "donor":
        return donor_view(result, locale=locale)
    if audience == "public":
        return public_view(result, locale=locale)
    if audience == "platform":
        if company is None:
            raise ReportError(
                "a platform report is for one company; name it (companies: "
                f"{', '.join(platform_companies(result)) or 'none'})"
            )
        return platform_view(result, company, locale=locale)
    raise ReportError(
        f"unknown audience {audience!r}; valid: technical, advisor, donor, public, platform"
    )


def build_views(
    result: AssessmentResult,
    audiences: Iterable[Audience],
    *,
    locale: str = "en",
    company: str | None = None,
) -> dict[Audience, View]:
    """:func:`build_view` for each of ``audiences``, by audience; what the technical and
    advisor views share (every table of the technical report) is built once for both.

    Raises
    ------
    ReportError, InputError
        As :func:`build_view`.
    """
    locale = check_locale(locale)
    _ = translations(locale).gettext
    asked = list(dict.fromkeys(audiences))
    shared: dict[str, Any] | None = None
    if "technical" in asked and "advisor" in asked:
        shared = _technical_fields(result, locale, _)
    views: dict[Audience, View] = {}
    for audience in asked:
        if shared is not None and audience in ("technical", "advisor"):
            cls = AdvisorView if audience == "advisor" else TechnicalView
            views[audience] = _technical(result, locale, _, cls, shared)
        else:
            views[audience] = build_view(result, audience, locale=locale, company=company)
    return views


def donor_view(result: AssessmentResult, *, locale: str = "en") -> DonorView:
    """The donor view of ``result`` (``build_view(result, "donor")``, typed as such).

    Raises
    ------
    ReportError
        (A bug) if a donor view would still hold a sensitive string.
    InputError
        If ``locale``'s language has no shipped catalog (:func:`check_locale`).
    """
    locale = check_locale(locale)
    _ = translations(locale).gettext
    # one redactor of every sensitive term serves the scrub and the check (it is large: every
    # asset id of a national model)
    red = redactor(result.workspace, locale)
    return _checked(_donor(result, locale, _, red), red, "donor")


_Shared = TypeVar("_Shared", DonorView, PublicView)


def _checked(view: _Shared, red: Redactor, audience: str) -> _Shared:
    """The donor or public view, once no string of it holds a sensitive term of ``red``."""
    hits = check_donor_view(view, red)
    if hits:
        text, term = hits[0]
        raise DisclosureError(
            f"the {audience} view would reveal the {term.describe()} (in {text[:80]!r}); refusing"
        )
    return view


# --------------------------------------------------------------------------- sensitive text


def sensitive_terms(ws: Workspace) -> list[Term]:
    """The workspace's free text a donor must never see, each with the file it came from:
    asset ids and labels, the evidence and notes of answers (assessment, history, platform
    scorecards) and overrides, and the notes of assets and links. Vocabulary fields (evidence
    source, provenance, phases, levels) are not free text and are never included."""
    system = ws.resolved
    explicit = {a.id for a in ws.system.assets}
    out: list[Term] = []
    for ident, label in zip(system.ids, system.labels, strict=False):
        src = "system.yaml" if ident in explicit else "system.yaml (generate: CSV rows)"
        out.append(Term(ident, "asset id", src))
        if label:
            out.append(Term(label, "asset label", src))
    sources: list[tuple[Any, str]] = []
    if ws.assessment is not None:
        sources.append((ws.assessment, "assessment.yaml"))
    sources += [(a, "history/") for a in ws.history]
    for assessment, src in sources:
        for ans in assessment.answers.values():
            out.append(Term(ans.evidence, "evidence", src))
            out.append(Term(ans.notes, "note", src))
        for ov in assessment.overrides:
            out.append(Term(ov.notes, "note", src))
    for card in ws.platforms:
        for ans in card.answers.values():
            out.append(Term(ans.evidence, "evidence", "platforms/"))
            out.append(Term(ans.notes, "note", "platforms/"))
    for asset in ws.system.assets:
        out.append(Term(asset.notes, "note", "system.yaml"))
    for link in ws.system.links:
        out.append(Term(link.notes, "note", "system.yaml"))
    return [replace(t, text=t.text.strip()) for t in out if t.text and t.text.strip()]


def sensitive_strings(ws: Workspace) -> dict[str, set[str]]:
    """The strings of :func:`sensitive_terms` by kind: ``asset_ids``, ``labels``, ``evidence``
    and ``notes``."""
    kinds = {"asset id": "asset_ids", "asset label": "labels", "evidence": "evidence"}
    out: dict[str, set[str]] = {k: set() for k in ("asset_ids", "labels", "evidence", "notes")}
    for t in sensitive_terms(ws):
        out[kinds.get(t.kind, "notes")].add(t.text)
    return out


def forbidden_terms(ws: Workspace) -> set[str]:
    """Every sensitive string of the workspace (:func:`sensitive_terms`)."""
    return {t.text for t in sensitive_terms(ws)}


def vocabulary(ws: Workspace, locale: str = "en") -> list[str]:
    """Text that is never sensitive, whoever wrote it into an asset label or evidence: the
    shipped frameworks' titles, tier, domain and control titles, the shipped scenarios' titles
    (in every language they ship in),
    and the reports' own wording and vocabulary words (phases, evidence sources, provenance,
    …). An EMB's own frameworks and scenarios are free text: they are not vocabulary."""
    lib = ws.library
    words: list[str] = list(vocabulary_texts(locale))
    for fid, fw in lib.frameworks.items():
        if not lib.is_shipped("framework", fid):
            continue
        words.append(fw.title)
        words += [t.name for t in fw.tiers]
        words += [d.title for d in fw.domains]
        words += [t.title for t in fw.translations.values() if t.title]
        words += [t.title for d in fw.domains for t in d.translations.values() if t.title]
        words += [t.name for x in fw.tiers for t in x.translations.values() if t.name]
        for c in fw.controls:
            words.append(c.title)
            words += [t.title for t in c.translations.values() if t.title]
    for sid, s in lib.scenarios.items():
        if lib.is_shipped("scenario", sid):
            words.append(s.title)
            words += [t.title for t in s.translations.values() if t.title]
    return words


_REDACTORS: list[tuple[Workspace, str, Redactor]] = []
"""The last redactor built, with its workspace object (a national model's takes seconds; the
donor view, its check and the output guard share one)."""


def redactor(ws: Workspace, locale: str = "en") -> Redactor:
    """The :class:`~cyberready.report.redaction.Redactor` of a workspace's sensitive terms."""
    for w, loc, red in _REDACTORS:
        if w is ws and loc == locale:
            return red
    red = Redactor(sensitive_terms(ws), vocabulary(ws, locale))
    _REDACTORS.insert(0, (ws, locale, red))
    del _REDACTORS[1:]
    return red


_ENUM_KEYS: Final = frozenset(
    {"tlp", "phase", "confidence", "source", "level", "provenance", "locale", "ready_by"}
)
"""Donor-view fields holding a vocabulary word, not free text (never rewritten)."""


class _Scrubber:
    """Replaces every forbidden term in free text by ``[withheld]``."""

    def __init__(self, red: Redactor) -> None:
        self._red = red

    def __call__(self, text: str) -> str:
        return self._red.scrub(text, REDACTED)

    def deep(self, value: Any) -> Any:
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {k: v if k in _ENUM_KEYS else self.deep(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.deep(v) for v in value]
        return value


# --------------------------------------------------------------------------- shared parts


def _meta(result: AssessmentResult, locale: str) -> ReportMeta:
    ws = result.workspace
    emb = ws.emb
    as_of = ws.assessment.as_of if ws.assessment is not None else emb.as_of
    election_date = emb.election.date if emb.election else None
    days = (election_date - as_of).days if election_date and as_of else None
    return ReportMeta(
        emb_id=emb.id,
        emb_name=emb.name,
        country=emb.country,
        election_name=emb.election.name if emb.election else None,
        election_date=election_date,
        as_of=as_of,
        days_to_election=days,
        locale=locale,
        controls_total=len(result.readiness.controls),
        controls_in_english=sum(
            not is_english(locale) and _translation(result, c.control, locale) is None
            for c in result.readiness.controls
        ),
        cyberready_version=__version__,
        trials=result.trials if result.simulation is not None else None,
        seed=result.seed if result.simulation is not None else None,
        threat_context=emb.threat_context is not None,
        public_confidence_weight=emb.public_confidence_weight,
    )


def _threat_context(ws: Workspace) -> ThreatContextView | None:
    ctx = ws.emb.threat_context
    if ctx is None:
        return None
    return ThreatContextView(
        source=ctx.source,
        actors=tuple(ThreatActorLevel(actor=a, level=lv) for a, lv in sorted(ctx.actors.items())),
        own_figures=len(ctx.scenarios),
    )


def _band(a: AggregateScore) -> tuple[float, float, float]:
    s = a.score if a.score is not None else 0.0
    lo, hi = a.band if a.band is not None else (s, s)
    return s, lo, hi


class _Scored(TypedDict):
    """The score, band, tier and coverage that every readiness row of the view carries."""

    score: float
    low: float
    high: float
    tier: str
    coverage: float


def _scored(a: AggregateScore, tiers: Mapping[str, str]) -> _Scored:
    """``a``'s shared readiness fields, so that the overall, framework and domain rows fill
    them the same way (no score: 0, no band: the score, no tier: empty; the tier named by
    ``tiers``, :func:`workspace_tier_names`)."""
    s, lo, hi = _band(a)
    tier = tiers.get(a.tier or "", a.tier or "")
    return _Scored(score=s, low=lo, high=hi, tier=tier, coverage=a.coverage or 0.0)


def _confidence(a: AggregateScore) -> str:
    band = (a.confidence_band or "Low").lower()
    return band if band in ("high", "medium", "low") else "low"


def _tiers(ws: Workspace, locale: str) -> tuple[tuple[float, str], ...]:
    """The tiers of the overall score (min, name in ``locale``): the frameworks' own when
    they share them, else the default ones."""
    from cyberready.models.framework import DEFAULT_TIERS

    kinds = {fw.tiers for fw in ws.frameworks}
    tiers = kinds.pop() if len(kinds) == 1 else DEFAULT_TIERS
    names = workspace_tier_names(ws, locale)
    return tuple((t.min, names.get(t.name, t.name)) for t in tiers)


def tier_names(frameworks: Iterable[Framework], locale: str) -> dict[str, str]:
    """Tier name -> its name in ``locale``, from the tiers of ``frameworks`` (their
    ``translations:``), the first translation found; a tier with none keeps its English name.
    The one rule for every tier name a report, a workbook or the CLI shows (a score carries
    the English name)."""
    out: dict[str, str] = {}
    for fw in frameworks:
        for t in fw.tiers:
            name = localized(t, "name", locale)
            if t.name not in out or out[t.name] == t.name:
                out[t.name] = name
    return out


def workspace_tier_names(ws: Workspace, locale: str) -> dict[str, str]:
    """:func:`tier_names` of the workspace's frameworks, then the library's (which platform
    scorecards may use)."""
    return tier_names((*ws.frameworks, *ws.library.frameworks.values()), locale)


def _domain_title(fw: Framework, domain_id: str, locale: str) -> str:
    """The title of ``fw``'s domain ``domain_id`` in ``locale`` (its id if it has none)."""
    d = next((d for d in fw.domains if d.id == domain_id), None)
    return localized(d, "title", locale) if d is not None else domain_id


def _level_name(fw: Framework, level: int, locale: str) -> str:
    """The name of ``level`` on ``fw``'s maturity scale, in ``locale``."""
    return localized(fw.maturity_scale.levels[level], "name", locale)


def _readiness(result: AssessmentResult, locale: str) -> ReadinessSection:
    ws = result.workspace
    r = result.readiness
    lib = ws.library
    names = workspace_tier_names(ws, locale)
    overall = _scored(r.overall, names)
    frameworks = [
        FrameworkReadiness(
            framework_id=a.framework,
            title=localized(lib.frameworks[a.framework], "title", locale),
            provenance=lib.frameworks[a.framework].provenance,
            **_scored(a, names),
        )
        for a in r.frameworks
    ]
    domains = [
        DomainReadiness(
            framework_id=a.framework,
            framework_title=localized(lib.frameworks[a.framework], "title", locale),
            domain_id=a.domain,
            title=(
                _domain_title(lib.frameworks[a.framework], a.domain, locale)
                if a.domain is not None
                else a.title
            ),
            **_scored(a, names),
            controls=a.controls - a.not_applicable,
            unassessed=len(a.unassessed),
            target=a.target,
        )
        for a in r.domains
    ]
    trend = [
        TrendPoint(
            as_of=h.as_of,
            score=h.overall.score or 0.0,
            tier=names.get(h.overall.tier or "", h.overall.tier or ""),
        )
        for h in result.history
        if h.as_of is not None
    ]
    if r.as_of is not None:
        trend.append(TrendPoint(as_of=r.as_of, score=overall["score"], tier=overall["tier"]))
    trend.sort(key=lambda p: p.as_of)
    return ReadinessSection(
        **overall,
        confidence=_confidence(r.overall),  # type: ignore[arg-type]  # one of high/medium/low
        frameworks=tuple(frameworks),
        domains=tuple(domains),
        trend=tuple(trend),
        tiers=_tiers(ws, locale),
    )


def _platforms(result: AssessmentResult, locale: str) -> tuple[PlatformScore, ...]:
    """Each company's overall platform score, best first (then by name)."""
    names = workspace_tier_names(result.workspace, locale)
    out = []
    for p in result.readiness.platforms:
        s, _lo, _hi = _band(p.total)
        out.append(
            PlatformScore(
                company=p.company,
                framework_id=p.framework,
                as_of=p.as_of,
                score=s,
                tier=names.get(p.total.tier or "", p.total.tier or ""),
                coverage=p.total.coverage or 0.0,
            )
        )
    return tuple(sorted(out, key=lambda p: (-p.score, p.company)))


def _platform_commitments(
    result: AssessmentResult, platforms: Sequence[PlatformScore], locale: str
) -> tuple[PlatformCommitment, ...]:
    """Every platform commitment (in framework order) with each company's level, the
    companies in the order of ``platforms``; a commitment outside a company's framework is
    not assessed for it."""
    lib = result.workspace.library
    by_company = {p.company: p for p in result.readiness.platforms}
    cards = [by_company[p.company] for p in platforms if p.company in by_company]
    titles: dict[str, str] = {}
    levels: dict[tuple[str, str], PlatformLevel] = {}
    for card in cards:
        fw = lib.frameworks.get(card.framework)
        for c in card.controls:
            titles.setdefault(c.control, _control_title(result, c.control, c.title, locale))
            name = ""
            if isinstance(c.level, int) and fw is not None:
                name = _level_name(fw, c.level, locale)
            levels[(card.company, c.control)] = PlatformLevel(level=c.level, name=name)
    none = PlatformLevel(level=None)
    return tuple(
        PlatformCommitment(
            control_id=cid,
            title=title,
            levels=tuple(levels.get((card.company, cid), none) for card in cards),
        )
        for cid, title in titles.items()
    )


def _evidence_mix(result: AssessmentResult) -> tuple[EvidenceMix, ...]:
    counts: dict[str, int] = defaultdict(int)
    for c in result.readiness.controls:
        if c.status == "answered":
            counts[c.source] += 1
    order = ("test", "observation", "document", "interview", "none")
    return tuple(EvidenceMix(source=s, answers=counts[s]) for s in order if counts.get(s))


def _derived(result: AssessmentResult, locale: str) -> tuple[str, ...]:
    out = []
    for fw in result.workspace.frameworks:
        if fw.provenance == "derived" or any(fw.provenance_of(c) == "derived" for c in fw.controls):
            out.append(localized(fw, "title", locale))
    return tuple(out)


def _function_order(result: AssessmentResult) -> list[int]:
    """Functions by their chance of failing this cycle, highest first, then by weight and id."""
    fns = result.workspace.resolved.functions
    sim = result.simulation
    if sim is None:
        return sorted(range(len(fns)), key=lambda i: (-fns[i].weight, fns[i].id))
    cycle = sim.cycle_probability
    return sorted(
        range(len(fns)), key=lambda i: (-round(float(cycle[i]), 4), -fns[i].weight, fns[i].id)
    )


def _ready_by(ws: Workspace, start: dt.date, weeks: float) -> str | None:
    """The first phase (by start date) that starts after an action begun on ``start`` is ready
    (the roadmap's rule, :func:`cyberready.prioritize.in_time_phases`)."""
    from cyberready.prioritize import in_time_phases, ready_date

    election_day = ws.emb.election.date if ws.emb.election else None
    later = in_time_phases(ready_date(start, weeks), ws.emb.phases, election_day)
    return later[0] if later else None


def _share(value: float | None, baseline: float) -> float:
    """``value`` as a share (0–1) of today's expected loss."""
    return min(1.0, max(0.0, value or 0.0) / baseline) if baseline > 0 else 0.0


def _start(result: AssessmentResult) -> dt.date:
    p = result.priorities
    if p is not None:
        return p.start
    from cyberready.prioritize import plan_start

    return plan_start(result.workspace)


# --------------------------------------------------------------------------- actions


def _readiness_gain(
    result: AssessmentResult, actions: Sequence[PlannedAction], cache: dict[tuple[str, ...], float]
) -> float:
    """Rise of the overall readiness score if ``actions`` were all done."""
    key = tuple(sorted(a.id for a in actions))
    if key in cache:
        return cache[key]
    ws = result.workspace
    if ws.assessment is None or not actions:
        cache[key] = 0.0
        return 0.0
    from cyberready.prioritize import raised_assessment
    from cyberready.scoring import score

    raised = raised_assessment(ws.assessment, actions, ws.resolved.ids)
    after = score(ws, assessment=raised).overall.score or 0.0
    gain = max(0.0, after - (result.readiness.overall.score or 0.0))
    cache[key] = gain
    return gain


class _ActionFields(TypedDict):
    """The fields of an action row that say what the action is, whichever ranking it is from."""

    rank: int
    control_id: str
    title: str
    framework_id: str
    domain_id: str
    domain_title: str
    from_level: int
    to_level: int
    scope: str
    cost_low: float
    cost_high: float
    weeks: float
    references: tuple[str, ...]
    ready_by: str | None


def _why(rec: Recommendation, locale: str, title: str, scenario_titles: Mapping[str, str]) -> str:
    """Why an action is recommended, in one paragraph: :meth:`Recommendation.explain` in
    English, the same facts through the catalog in any other language (the scenarios by their
    titles in ``scenario_titles``)."""
    if is_english(locale):
        return rec.explain()
    t = translations(locale)
    _ = t.gettext
    a = rec.action
    lo, hi = a.from_levels
    frm = f"{lo}" if lo == hi else f"{lo}–{hi}"
    if a.unassessed:
        frm += " " + _("(not assessed, counted as 0)")
    where = (
        _("everywhere it applies")
        if a.selector is None
        else _("on %(assets)s") % {"assets": a.selector.describe()}
    )
    punct = numbers.punctuation(locale)
    listed = punct.list_sep.join(rec.assets[:8])
    if a.n_assets > 8:
        in_all = _("(%(n)s in all)") % {"n": numbers.whole(a.n_assets, locale)}
        listed += f"{punct.list_sep}… {in_all}"
    count = t.ngettext("%(num)s asset", "%(num)s assets", a.n_assets) % {
        "num": numbers.whole(a.n_assets, locale)
    }
    if a.items != a.n_assets:
        count += punct.list_sep + t.ngettext("%(num)s item", "%(num)s items", a.items) % {
            "num": numbers.whole(a.items, locale)
        }
    b = rec.benefit
    parts = [
        _(
            "Raise %(control)s (%(title)s) from level %(from)s to %(to)s %(where)s "
            "(%(count)s: %(listed)s)."
        )
        % {
            "control": a.control,
            "title": title,
            "from": frm,
            "to": a.level,
            "where": where,
            "count": count,
            "listed": listed,
        },
        _(
            "Expected loss falls by %(value)s weight points (95%% interval %(low)s to %(high)s, "
            "%(trials)s trials per scenario)."
        )
        % {
            "value": numbers.points(b.value, locale),
            "low": numbers.points(b.low, locale),
            "high": numbers.points(b.high, locale),
            "trials": numbers.whole(b.trials, locale),
        },
    ]
    if b.trust > 0:
        parts.append(
            _("Of this, %(trust)s comes from public trust.")
            % {"trust": numbers.points(b.trust, locale)}
        )
    sc = rec.protects()
    if sc:
        listed_sc = punct.item_sep.join(
            f"{scenario_titles.get(s, s)} (-{numbers.points(v, locale)})" for s, v in sc[:5]
        )
        parts.append(_("Scenarios: %(list)s.") % {"list": listed_sc})
    fn = rec.functions()
    if fn:
        listed_fn = punct.item_sep.join(
            _("%(title)s (down %(value)s percentage points)")
            % {
                "title": rec.function_titles.get(f, f),
                "value": numbers.decimal(100 * v, 2, locale),
            }
            for f, v in fn[:5]
        )
        parts.append(
            _("Functions (drop in their chance of failing this cycle): %(list)s.")
            % {"list": listed_fn}
        )
    if a.csf:
        parts.append(f"NIST CSF 2.0{punct.colon} {punct.list_sep.join(a.csf)}.")
    parts.append(
        _("Cost %(cost)s, %(time)s.")
        % {
            "cost": numbers.money_range(a.cost.low, a.cost.high, locale),
            "time": numbers.weeks_text(a.weeks, locale, t.ngettext),
        }
    )
    if rec.quick_win:
        parts.append(_("Quick win."))
    return " ".join(parts)


def _actions(
    result: AssessmentResult, _: Gettext, locale: str, scenario_titles: Mapping[str, str]
) -> tuple[ActionRow, ...]:
    """The action rows, their explanations naming scenarios by ``scenario_titles``."""
    p = result.priorities
    if p is None:
        return ()
    ws = result.workspace
    lib = ws.library
    start = p.start
    baseline = p.baseline if p.baseline > 0 else 0.0
    in_plan = {a.id for a in p.plan.actions} if p.plan is not None else set()
    cache: dict[tuple[str, ...], float] = {}
    out: list[ActionRow] = []

    def described(a: PlannedAction) -> _ActionFields:
        """What every row says of its action, ranked by risk reduction or by readiness alone:
        the next rank, the control and its domain, the levels, where, cost and timing."""
        dom, dom_title = "", ""
        found = lib.control(a.control)
        if found is not None:
            fw, c = found
            dom, dom_title = c.domain, _domain_title(fw, c.domain, locale)
        return _ActionFields(
            rank=len(out) + 1,
            control_id=a.control,
            title=_control_title(result, a.control, a.title, locale),
            framework_id=a.framework,
            domain_id=dom,
            domain_title=dom_title,
            from_level=a.from_levels[0],
            to_level=a.level,
            scope=_("everywhere it applies") if a.selector is None else a.selector.describe(),
            cost_low=a.cost.low,
            cost_high=a.cost.high,
            weeks=a.weeks,
            references=tuple(item for items in a.references.values() for item in items),
            ready_by=_ready_by(ws, start, a.weeks),
        )

    for rec in p.ranking:
        a = rec.action
        share = min(1.0, max(0.0, rec.benefit.value) / baseline) if baseline else 0.0
        out.append(
            ActionRow(
                **described(a),
                assets=tuple(rec.assets),
                risk_reduction=max(0.0, rec.benefit.value),
                risk_reduction_share=share,
                readiness_gain=_readiness_gain(result, [a], cache),
                scenarios=tuple(scenario_titles.get(s, s) for s, _v in rec.protects()),
                functions=tuple(rec.function_titles.get(f, f) for f, _v in rec.functions()),
                in_budget=a.id in in_plan,
                simulated=True,
                why=_why(
                    rec,
                    locale,
                    _control_title(result, a.control, a.title, locale),
                    scenario_titles,
                ),
            )
        )
    for ra in p.readiness:
        a = ra.action
        out.append(
            ActionRow(
                **described(a),
                assets=tuple(ws.resolved.ids[int(i)] for i in a.positions[:100]),
                risk_reduction=0.0,
                risk_reduction_share=0.0,
                readiness_gain=ra.gain,
                in_budget=False,
                simulated=False,
                why=ra.reason,
            )
        )
    return tuple(out)


def _plan(result: AssessmentResult) -> PlanSection | None:
    p = result.priorities
    if p is None or p.plan is None:
        return None
    return PlanSection(
        budget_usd=p.plan.budget,
        actions=len(p.plan.steps),
        cost_low=p.plan.cost.low,
        cost_high=p.plan.cost.high,
        risk_reduction_share=_share(p.plan.this_cycle, p.baseline),
        next_cycle_share=_share(p.plan.next_cycle, p.baseline),
    )


# --------------------------------------------------------------------------- technical


def _technical(
    result: AssessmentResult,
    locale: str,
    _: Gettext,
    cls: type[TechnicalView] | type[AdvisorView],
    shared: Mapping[str, Any] | None = None,
) -> TechnicalView:
    """The technical or advisor view; ``shared``: the :func:`_technical_fields` of the same
    result and locale, if already built (they are the same for both)."""
    audience: Audience = "advisor" if cls is AdvisorView else "technical"
    tlp = TLP[audience]
    common: dict[str, Any] = {
        "audience": audience,
        "banner": Banner(tlp=tlp, text=banner_text(tlp, _)),  # type: ignore[arg-type]  # TLP's values are the labels
        **(shared if shared is not None else _technical_fields(result, locale, _)),
    }
    if cls is AdvisorView:
        common["crosswalks"] = _crosswalks(result, locale)
        common["roadmap"] = _roadmap(result, locale)
        common["assumptions"] = _assumptions(result, _)
        common["partners"] = _partners(result, locale)
    return cls(**common)


def _technical_fields(result: AssessmentResult, locale: str, _: Gettext) -> dict[str, Any]:
    """The fields the technical and advisor views share (all but audience and banner)."""
    ws = result.workspace
    system = ws.resolved
    sim = result.simulation
    facts = result.graph
    fns = system.functions
    answers = ws.assessment.answers if ws.assessment is not None else {}
    lib = ws.library

    controls = []
    for c in result.readiness.controls:
        ans = answers.get(c.control)
        fw = lib.frameworks[c.framework]
        found = lib.control(c.control)
        provenance = fw.provenance_of(found[1]) if found is not None else fw.provenance
        controls.append(
            ControlFinding(
                control_id=c.control,
                title=_control_title(result, c.control, c.title, locale),
                framework_id=c.framework,
                domain_id=c.domain,
                weight=c.weight,
                level=c.level,
                target=c.target,
                score=c.score,
                spread=c.spread,
                source=c.source,
                evidence=ans.evidence if ans is not None else "",
                notes=ans.notes if ans is not None else "",
                provenance=provenance,
            )
        )

    titles = _scenario_titles(ws, locale)
    units = _Units(system)
    functions: list[FunctionRisk] = []
    scenarios: list[ScenarioRisk] = []
    matrix: list[ScenarioCell] = []
    paths: list[PathView] = []
    compromise = np.zeros(system.n_assets)
    failure = np.zeros(system.n_assets)
    expected_loss = trust_loss = 0.0
    diagnostics = result.diagnostics
    status = {d.scenario_id: d.status for d in diagnostics.scenarios}
    context = ws.emb.threat_context

    def function_risk(i: int, p_fail: float, main_threats: tuple[str, ...] = ()) -> FunctionRisk:
        """Function ``i``'s row, with or without a simulation behind ``p_fail``."""
        f = fns[i]
        return FunctionRisk(
            function_id=f.id,
            title=f.title,
            phases=f.phases,
            weight=f.weight,
            p_fail=p_fail,
            main_threats=main_threats,
            spof=facts.single_points_of_failure.get(f.id, ()),
        )

    if sim is not None:
        cycle = sim.cycle_probability
        compromise, failure = _compromise_and_failure(result)
        expected_loss = sim.expected_loss
        trust_loss = sim.trust_loss
        for i in _function_order(result):
            contrib = sorted(
                (
                    (-float(r.loss_by_function[i]), r.scenario_id)
                    for r in sim.scenarios.values()
                    if r.loss_by_function[i] > 0
                ),
            )[:2]
            functions.append(
                function_risk(i, float(cycle[i]), tuple(titles.get(s, s) for _v, s in contrib))
            )
        for r in sorted(sim.scenarios.values(), key=lambda r: (-r.expected_loss, r.scenario_id)):
            sc = ws.library.scenarios[r.scenario_id]
            q = r.ttf_quantiles()
            ttf = None if np.isnan(q).any() else (float(q[0]), float(q[1]), float(q[2]))
            scenarios.append(
                ScenarioRisk(
                    scenario_id=r.scenario_id,
                    title=titles.get(r.scenario_id, r.title),
                    actor=sc.actor,
                    objective=sc.objective,
                    likelihood=r.likelihood,
                    base_likelihood=r.base,
                    likelihood_origin=r.likelihood_origin,
                    actor_level=context.actors.get(sc.actor, "medium") if context else None,
                    likelihood_rationale=(
                        context.scenarios[sc.id].rationale
                        if context and sc.id in context.scenarios
                        else ""
                    ),
                    expected_loss=max(0.0, r.expected_loss),
                    trust_loss=max(0.0, r.trust_loss),
                    mean_trust=r.mean_trust,
                    p_any_failure=r.p_any_failure,
                    hours_to_failure=ttf,
                    failure_hours_sample=_sample(r.time_to_failure),
                    public_confidence=max(0.0, r.mean_confidence),
                    incidents=_incidents(sc, ws.library, locale),
                    status=status.get(r.scenario_id, "applies"),
                )
            )
            lo, hi = r.p_fail_interval
            for j, fid in enumerate(r.function_ids):
                matrix.append(
                    ScenarioCell(
                        scenario_id=r.scenario_id,
                        function_id=fid,
                        p_fail=float(r.p_fail[j]),
                        low=float(lo[j]),
                        high=float(hi[j]),
                    )
                )
            for pc in r.paths:
                paths.append(
                    PathView(
                        scenario_id=r.scenario_id,
                        function_id=pc.function,
                        assets=pc.assets,
                        labels=tuple(_label(result, a) for a in pc.assets),
                        share=pc.share,
                    )
                )
        likelihood = {r.scenario_id: r.likelihood for r in sim.scenarios.values()}
        paths = _group_paths(paths, units)
        paths.sort(key=lambda p: (-likelihood[p.scenario_id] * p.share, p.scenario_id, p.assets))
        paths = paths[:PATH_LIMIT]
    else:
        functions = [function_risk(i, 0.0) for i in _function_order(result)]

    spof_for: dict[str, list[str]] = defaultdict(list)
    for fid, assets in facts.single_points_of_failure.items():
        for a in assets:
            spof_for[a].append(fid)
    assets_view = _asset_rows(result, units, compromise, failure, spof_for)
    graph_nodes, graph_edges, left_out = _graph(result, units, compromise)
    routes = _routes(result, units)

    unassessed = result.readiness.unassessed
    limitations = Limitations(
        derived_frameworks=_derived(result, locale),
        unassessed=len(unassessed),
        unassessed_ids=tuple(unassessed),
        not_applicable=result.readiness.overall.not_applicable,
        evidence_mix=_evidence_mix(result),
        rules_not_applicable=tuple(
            _rule_not_applicable(titles.get(d.scenario_id, d.title), rule, locale)
            for d in diagnostics.scenarios
            for rule in d.rules
        ),
        scenarios_not_relevant=tuple(
            titles.get(d.scenario_id, d.title) for d in diagnostics.not_relevant
        ),
        scenarios_not_applied=tuple(
            ScenarioNotApplied(
                title=titles.get(d.scenario_id, d.title),
                cause=d.cause,
                because=_not_applied_because(d.cause, _),
                detail=d.reason,
                fix=d.fix,
            )
            for d in diagnostics.cannot_apply
            if d.cause is not None
        ),
    )
    platforms = _platforms(result, locale)
    return {
        "meta": _meta(result, locale),
        "readiness": _readiness(result, locale),
        "platforms": platforms,
        "platform_commitments": _platform_commitments(result, platforms, locale),
        "plan": _plan(result),
        "controls": tuple(controls),
        "functions": tuple(functions),
        "scenarios": tuple(scenarios),
        "matrix": tuple(matrix),
        "assets": tuple(assets_view),
        "paths": tuple(paths),
        "exposed_paths": routes,
        "graph_nodes": graph_nodes,
        "graph_edges": graph_edges,
        "graph_left_out": left_out,
        "actions": _actions(result, _, locale, titles),
        "expected_loss": max(0.0, expected_loss),
        "trust_loss": max(0.0, trust_loss),
        "threat_context": _threat_context(ws),
        "limitations": limitations,
    }


# --------------------------------------------------------------------------- asset groups


class _Units:
    """The rows of the asset tables and the nodes of the graph chart: each hand-written asset
    on its own, each group of generated assets (docs/system-model.md) as one row or node."""

    def __init__(self, system: ResolvedSystem) -> None:
        self.system = system
        n = system.n_assets
        big = [g for g in system.replica_groups if len(g.members) > 1]
        single = np.ones(n, dtype=bool)
        for g in big:
            single[g.members] = False
        singles = np.flatnonzero(single)
        self.unit = np.empty(n, dtype=np.int64)
        self.unit[singles] = np.arange(len(singles))
        self.keys: list[str] = [system.ids[i] for i in singles]
        self.labels: list[str] = [system.labels[i] for i in singles]
        self.members: list[np.ndarray[Any, Any]] = [np.array([i]) for i in singles]
        self.grouped: list[bool] = [False] * len(singles)
        for g in big:
            self.unit[g.members] = len(self.keys)
            self.keys.append(g.key)
            self.labels.append(g.label)
            self.members.append(g.members)
            self.grouped.append(True)

    def of(self, asset_id: str) -> int:
        """The unit of an asset id (-1: not an asset of the system)."""
        return int(self.unit[self.system.position(asset_id)]) if self.system.has(asset_id) else -1

    def key(self, asset_id: str) -> str:
        """The row id an asset is shown under: its own id, or its group's."""
        u = self.of(asset_id)
        return asset_id if u < 0 else self.keys[u]

    def label(self, asset_id: str) -> str:
        """The label an asset is shown under: its own, or its group's."""
        u = self.of(asset_id)
        return asset_id if u < 0 else self.labels[u]


def _compromise_and_failure(result: AssessmentResult) -> tuple[np.ndarray[Any, Any], ...]:
    """Per asset: the chance it is compromised this cycle by an attacker (malicious scenarios),
    and the chance it fails without one (scenarios whose actor is ``accidental``)."""
    sim = result.simulation
    assert sim is not None
    lib = result.workspace.library.scenarios
    return sim.cycle_compromise_split({s for s, sc in lib.items() if sc.actor == "accidental"})


def _spread(values: np.ndarray[Any, Any]) -> tuple[float, float, float]:
    return (float(values.min()), float(np.median(values)), float(values.max()))


def _most_common(codes: np.ndarray[Any, Any]) -> int:
    return int(np.bincount(codes).argmax())


def _asset_rows(
    result: AssessmentResult,
    units: _Units,
    compromise: np.ndarray[Any, Any],
    failure: np.ndarray[Any, Any],
    spof_for: dict[str, list[str]],
) -> list[AssetRisk]:
    """One row per hand-written asset and per group, the most exposed first (a group by its
    most exposed member)."""
    system = units.system
    radius = result.graph.blast_radius
    rows = []
    for u, m in enumerate(units.members):
        if not units.grouped[u]:
            i = int(m[0])
            a = system.ids[i]
            rows.append(
                AssetRisk(
                    asset_id=a,
                    label=system.labels[i],
                    type=system.type_of(i),
                    exposure=system.exposure_of(i),
                    count=int(system.counts[i]),
                    p_compromise=float(compromise[i]),
                    p_failure=float(failure[i]),
                    blast_radius=radius.get(a, 0),
                    spof_for=tuple(sorted(spof_for.get(a, ()))),
                )
            )
            continue
        spread, failure_spread = _spread(compromise[m]), _spread(failure[m])
        ids = [system.ids[int(i)] for i in m]
        rows.append(
            AssetRisk(
                asset_id=units.keys[u],
                label=units.labels[u],
                type=ASSET_TYPES[_most_common(system.types[m])],
                exposure=EXPOSURES[_most_common(system.exposure[m])],
                count=int(system.counts[m].sum()),
                p_compromise=spread[1],
                p_failure=failure_spread[1],
                group_size=len(m),
                spread=spread,
                failure_spread=failure_spread,
                blast_radius=max(radius.get(a, 0) for a in ids),
                spof_for=tuple(sorted({f for a in ids for f in spof_for.get(a, ())})),
            )
        )

    def worst(a: AssetRisk) -> float:
        pc = a.spread[2] if a.spread else a.p_compromise
        pf = a.failure_spread[2] if a.failure_spread else a.p_failure
        return max(pc, pf)

    rows.sort(key=lambda a: (-worst(a), -a.blast_radius, a.asset_id))
    return rows


def _graph(
    result: AssessmentResult, units: _Units, compromise: np.ndarray[Any, Any]
) -> tuple[tuple[GraphNode, ...], tuple[GraphEdge, ...], int]:
    """Nodes (a group as one, with its size), edges between them (links merged, those inside a
    group left out) and how many assets had to be left out of the chart (too many nodes)."""
    system = units.system
    facts = result.graph
    order = list(range(len(units.keys)))
    if len(order) > GRAPH_NODE_LIMIT:
        # groups and critical assets first, then the most exposed
        order = sorted(
            order,
            key=lambda u: (
                not units.grouped[u],
                units.keys[u] not in facts.critical,
                -float(compromise[units.members[u]].max()),
                units.keys[u],
            ),
        )[:GRAPH_NODE_LIMIT]
    shown = sorted(order)
    nodes = []
    for u in shown:
        m = units.members[u]
        nodes.append(
            GraphNode(
                asset_id=units.keys[u],
                label=units.labels[u],
                type=ASSET_TYPES[_most_common(system.types[m])],
                p_compromise=float(np.median(compromise[m])),
                critical=any(system.ids[int(i)] in facts.critical for i in m),
                size=len(m) if units.grouped[u] else 1,
            )
        )
    kept = set(shown)
    merged: dict[tuple[str, str, str], int] = defaultdict(int)
    for src, dst, role in facts.edges:
        a, b = units.of(src), units.of(dst)
        if a != b and a in kept and b in kept:
            merged[(units.keys[a], units.keys[b], role)] += 1
    edges = tuple(
        GraphEdge(source=s, target=t, role=role, links=k)  # type: ignore[arg-type]  # roles from the model
        for (s, t, role), k in sorted(merged.items())
    )
    left_out = sum(len(units.members[u]) for u in range(len(units.keys)) if u not in kept)
    return tuple(nodes), edges, left_out


def _routes(result: AssessmentResult, units: _Units) -> tuple[RouteView, ...]:
    """The shortest routes from the internet, a group's members' routes shown once."""
    out: list[RouteView] = []
    seen: set[tuple[str, ...]] = set()
    for path in result.graph.exposed_paths:
        keys = tuple(units.key(a) for a in path)
        if keys in seen:
            continue
        seen.add(keys)
        out.append(RouteView(assets=keys, labels=tuple(units.label(a) for a in path)))
    return tuple(out)


def _group_paths(paths: list[PathView], units: _Units) -> list[PathView]:
    """Attack paths with each generated asset replaced by its group; the same path through
    different members of a group is one path (their shares added)."""
    merged: dict[tuple[str, str, tuple[str, ...]], PathView] = {}
    for p in paths:
        keys = tuple(units.key(a) for a in p.assets)
        k = (p.scenario_id, p.function_id, keys)
        if k in merged:
            old = merged[k]
            merged[k] = old.model_copy(update={"share": min(1.0, old.share + p.share)})
        else:
            merged[k] = PathView(
                scenario_id=p.scenario_id,
                function_id=p.function_id,
                assets=keys,
                labels=tuple(units.label(a) for a in p.assets),
                share=p.share,
            )
    return list(merged.values())


def _not_applied_because(cause: str, _: Gettext) -> str:
    """Why a scenario could affect nothing, in words for every audience (no asset names)."""
    return {
        "no_entry": _("it can start from none of the systems described"),
        "no_target": _(
            "nothing it could harm is needed by an election function in the phases it targets"
        ),
        "no_path": _(
            "no link in the system model leads from where it starts to what it could harm"
        ),
    }[cause]


def _rule_not_applicable(title: str, rule: RuleIssue, locale: str) -> str:
    """One line of the limitations' rules that match nothing: the scenario's title, the rule
    and its selector (keys, as the scenario file writes them) and why it matches nothing: the
    diagnosis' own English reason, or the same facts (:class:`RuleIssue` ``terms`` and
    ``kinds``) through the catalog in any other language."""
    punct = numbers.punctuation(locale)
    head = f"{title}{punct.colon} {rule.rule} ({rule.selector}){punct.colon} "
    if is_english(locale):
        return head + rule.reason
    t = translations(locale)
    _ = t.gettext
    fields = {
        "ids": (t.pgettext("asset field", "id"), t.pgettext("asset field", "ids")),
        "types": (t.pgettext("asset field", "type"), t.pgettext("asset field", "types")),
        "tags": (t.pgettext("asset field", "tag"), t.pgettext("asset field", "tags")),
        "exposure": (t.pgettext("asset field", "exposure"),) * 2,
        "data": (t.pgettext("asset field", "data"),) * 2,
        "sites": (t.pgettext("asset field", "site"), t.pgettext("asset field", "sites")),
        "operators": (
            t.pgettext("asset field", "operator"),
            t.pgettext("asset field", "operators"),
        ),
    }
    sep = punct.list_sep

    def criterion(key: str, values: Sequence[str]) -> str:
        singular, plural = fields.get(key, (key, key))
        return f"{plural if len(values) > 1 else singular} {sep.join(values)}"

    if rule.kinds:
        why = _("no link of kind %(kinds)s in the system") % {"kinds": sep.join(rule.kinds)}
    elif not rule.terms:
        why = _("the system has no asset")
    elif any(alone == 0 for _k, _v, alone in rule.terms):
        either = f" {t.pgettext('one criterion or another', 'or')} "
        missing = [criterion(k, v) for k, v, alone in rule.terms if alone == 0]
        why = _("no asset has %(criteria)s") % {"criteria": either.join(missing)}
    else:
        counts = [
            _("%(n)s with %(criterion)s")
            % {"n": numbers.decimal(alone, 0, locale), "criterion": criterion(k, v)}
            for k, v, alone in rule.terms
        ]
        why = _("no asset has all of them (%(counts)s)") % {"counts": sep.join(counts)}
    return head + why


def _translation(result: AssessmentResult, control_id: str, locale: str) -> Translation | None:
    """The control's translation into ``locale`` (``fr_CA``, else ``fr``) with a title, or None
    (English: always None, and never counted as missing)."""
    found = result.workspace.library.control(control_id)
    if found is None or is_english(locale):
        return None
    tr = translation_of(found[1], locale)
    return tr if tr is not None and tr.title else None


def _control_title(result: AssessmentResult, control_id: str, title: str, locale: str) -> str:
    tr = _translation(result, control_id, locale)
    return tr.title if tr is not None and tr.title else title


def _scenario_titles(ws: Workspace, locale: str) -> dict[str, str]:
    """Every scenario's title in ``locale`` (its ``translations:``, ``fr_CA``, else ``fr``, else
    the English), by scenario id."""
    return {sid: localized(s, "title", locale) for sid, s in ws.library.scenarios.items()}


def _incidents(
    scenario: Scenario, library: Library, locale: str = "en"
) -> tuple[IncidentCitation, ...]:
    """The incidents a scenario cites, by title (in ``locale`` where the registry translates
    it) and year, oldest first; a citation that is in no registry (free text, allowed in an
    EMB's own scenarios) is shown as written, last."""
    known = [library.incidents[i] for i in scenario.references.incidents if i in library.incidents]
    free = [i for i in scenario.references.incidents if i not in library.incidents]
    return tuple(
        [
            IncidentCitation(title=localized(i, "title", locale), year=i.year)
            for i in sorted(known, key=lambda i: i.date)
        ]
        + [IncidentCitation(title=text) for text in free]
    )


def _label(result: AssessmentResult, asset_id: str) -> str:
    system = result.workspace.resolved
    if not system.has(asset_id):
        return asset_id
    i = system.position(asset_id)
    return system.labels[i] if i < len(system.labels) else asset_id


def _sample(times: np.ndarray[Any, Any]) -> tuple[float, ...]:
    finite = np.sort(times[np.isfinite(times)])
    if len(finite) == 0:
        return ()
    if len(finite) > SAMPLE_LIMIT:
        idx = np.linspace(0, len(finite) - 1, SAMPLE_LIMIT).round().astype(int)
        finite = finite[idx]
    return tuple(round(float(t), 1) for t in finite)


def _partners(result: AssessmentResult, locale: str) -> PartnerReadiness | None:
    """The international partners' practices (advisor and donor views only)."""
    r = result.readiness
    if r.partners is None:
        return None
    return PartnerReadiness(
        score=r.partners.score,
        tier=workspace_tier_names(result.workspace, locale).get(
            r.partners.tier or "", r.partners.tier or ""
        ),
        coverage=r.partners.coverage or 0.0,
        practices=tuple(
            PartnerPractice(
                control_id=c.control,
                title=_control_title(result, c.control, c.title, locale),
                level=c.level if isinstance(c.level, int) else None,
                status=c.status,
            )
            for c in r.partner_controls
        ),
    )


def _crosswalks(result: AssessmentResult, locale: str) -> tuple[Crosswalk, ...]:
    out = []
    for fw in result.workspace.frameworks:
        for c in fw.controls:
            if fw.subject_of(c) != "emb":
                continue
            for cat, items in sorted(c.references.items()):
                out.append(
                    Crosswalk(
                        control_id=c.id,
                        title=_control_title(result, c.id, c.title, locale),
                        catalog_id=cat,
                        items=tuple(items),
                    )
                )
    return tuple(out)


def _roadmap(result: AssessmentResult, locale: str) -> tuple[RoadmapItem, ...]:
    p = result.priorities
    if p is None:
        return ()
    rank = {r.action.id: r.rank for r in p.ranking}
    phase_of = {label: phase for label, phase, _d in p.roadmap.milestones}
    items = []
    for e in p.roadmap.entries:
        a = e.action
        items.append(
            RoadmapItem(
                rank=rank.get(a.id, len(p.ranking) + 1),
                control_id=a.control,
                title=_control_title(result, a.control, a.title, locale),
                start=p.roadmap.start,
                ready=e.ready,
                before_phase=phase_of.get(e.milestone),
                cost_low=a.cost.low,
                cost_high=a.cost.high,
                risk_reduction_share=_share(e.this_cycle, p.baseline),
                next_cycle_share=_share(e.next_cycle, p.baseline),
            )
        )
    items.sort(key=lambda i: (i.ready, i.rank, i.control_id))
    return tuple(items)


def _assumptions(result: AssessmentResult, _: Gettext) -> tuple[Assumption, ...]:
    from cyberready.scoring import SOURCE_WEIGHTS

    ws = result.workspace
    out = [
        Assumption(name=_("Trials per scenario"), value=f"{result.trials:,}"),
        Assumption(name=_("Random seed"), value=str(result.seed)),
    ]
    p = result.priorities
    if p is not None:
        out.append(
            Assumption(
                name=_("Screening trials per candidate action"), value=f"{p.screen_trials:,}"
            )
        )
        out.append(Assumption(name=_("Plan start"), value=p.start.isoformat()))
        if p.roadmap.begun:
            out.append(
                Assumption(
                    name=_("Already under way at the plan start (not a target)"),
                    value=", ".join(f"{lb} ({d.isoformat()})" for lb, _p, d in p.roadmap.begun),
                )
            )
        if p.plan is not None:
            out.append(Assumption(name=_("Cost basis of the budget plan"), value=p.plan.basis))
    scen = list(result.simulation.scenarios.values()) if result.simulation is not None else []
    if scen:
        lk = sorted(s.likelihood for s in scen)
        out.append(
            Assumption(
                name=_("Threat scenarios in scope"),
                value=_("%(n)d, attempt likelihood %(lo).0f%%–%(hi).0f%% per cycle")
                % {"n": len(scen), "lo": lk[0] * 100, "hi": lk[-1] * 100},
            )
        )
    out.append(
        Assumption(
            name=_("Weight of a full loss of public trust"),
            value=_("%(weight)g weight points (public_confidence_weight in emb.yaml)")
            % {"weight": ws.emb.public_confidence_weight},
        )
    )
    out.append(
        Assumption(
            name=_("Likelihoods"),
            value=_("the EMB's threat context: %(source)s")
            % {"source": ws.emb.threat_context.source}
            if ws.emb.threat_context is not None
            else _("generic (no threat context in emb.yaml)"),
        )
    )
    out.append(
        Assumption(
            name=_("Confidence weight of each evidence source"),
            value=", ".join(f"{k} {v:g}" for k, v in SOURCE_WEIGHTS.items()),
        )
    )
    for fw in ws.frameworks:
        out.append(
            Assumption(
                name=_("Control strength per maturity level 0–4 (%(framework)s)")
                % {"framework": fw.id},
                value=", ".join(f"{e:g}" for e in fw.maturity_scale.effectiveness),
            )
        )
    out.append(
        Assumption(
            name=_("Risk bands"),
            value=_("high ≥ 25%, elevated ≥ 10%, moderate ≥ 3%, low below"),
        )
    )
    return tuple(out)


# --------------------------------------------------------------------------- donor


def _donor(result: AssessmentResult, locale: str, _: Gettext, red: Redactor) -> DonorView:
    ws = result.workspace
    scrub = _Scrubber(red)
    sim = result.simulation
    titles = _scenario_titles(ws, locale)
    fns = ws.resolved.functions
    functions = []
    if sim is not None:
        cycle = sim.cycle_probability
        for i in _function_order(result):
            p = _coarse(float(cycle[i]))
            functions.append(
                {
                    "title": fns[i].title,
                    "phases": fns[i].phases,
                    "p_fail": p,
                    "level": risk_level(p),
                }
            )
    tlp = TLP["donor"]
    platforms = _platforms(result, locale)
    unassessed = result.readiness.unassessed
    data: dict[str, Any] = {
        "banner": Banner(tlp=tlp, text=banner_text(tlp, _)).model_dump(),  # type: ignore[arg-type]  # TLP's values
        "meta": _meta(result, locale).model_dump(),
        "readiness": _readiness(result, locale).model_dump(),
        "platforms": [p.model_dump() for p in platforms],
        "platform_commitments": [
            c.model_dump() for c in _platform_commitments(result, platforms, locale)
        ],
        "partners": (lambda p: p.model_dump() if p else None)(_partners(result, locale)),
        "plan": (lambda p: p.model_dump() if p else None)(_plan(result)),
        "functions": functions,
        "priorities": [p.model_dump() for p in _donor_priorities(result, locale)],
        "limitations": DonorLimitations(
            derived_frameworks=_derived(result, locale),
            unassessed=len(unassessed),
            not_applicable=result.readiness.overall.not_applicable,
            evidence_mix=_evidence_mix(result),
            scenarios_not_relevant=tuple(
                titles.get(d.scenario_id, d.title) for d in result.diagnostics.not_relevant
            ),
            scenarios_not_applied=tuple(
                DonorScenarioNotApplied(
                    title=titles.get(d.scenario_id, d.title),
                    cause=d.cause,
                    because=_not_applied_because(d.cause, _),
                )
                for d in result.diagnostics.cannot_apply
                if d.cause is not None
            ),
        ).model_dump(),
    }
    return DonorView.model_validate(scrub.deep(data))


_DonorStep: TypeAlias = "tuple[PlannedAction, float, float, dict[str, float]]"
"""An action of the plan: the action, its this-cycle and next-cycle benefit, and the drop in
each function's chance of failing."""


def _coarse(p: float) -> float:
    """A chance rounded to 0.01 for the donor view, yet written as every other report writes
    the exact value: a positive chance below 0.5% stays positive (``<1%``, never ``0%``), one
    just below 1 stays below 1 (``>99%``)."""
    rounded = round(p, 2)
    if p > 0 and rounded == 0:
        return 0.001
    if p < 1 and rounded == 1:
        return 0.999
    return rounded


def _donor_priorities(result: AssessmentResult, locale: str = "en") -> list[DonorPriority]:
    """Actions of the budget plan (else the leading actions), grouped by domain, each group
    naming its actions by control title (never where they apply).

    Each action's share is its *marginal* benefit in the plan's order (by the day it is
    ready), split into this cycle's part and the next cycle's like the plan's, so the domains'
    shares add up to the whole plan's, never double counting actions that protect the same
    thing.
    """
    from cyberready.prioritize import plan_cost

    p = result.priorities
    if p is None:
        return []
    ws = result.workspace
    lib = ws.library
    fn_title = {f.id: f.title for f in ws.resolved.functions}
    groups: dict[tuple[str, str], list[_DonorStep]] = defaultdict(list)
    for step in _plan_steps(result):
        groups[(step[0].framework, _domain(lib, step[0].control))].append(step)
    cache: dict[tuple[str, ...], float] = {}
    out = []
    for (fw_id, dom), members in groups.items():
        fw = lib.frameworks[fw_id]
        actions = [a for a, _v, _n, _p in members]
        cost = plan_cost(actions)
        benefit = sum(v for _a, v, _n, _p in members)
        later = sum(n for _a, _v, n, _p in members)
        protects: dict[str, float] = defaultdict(float)
        for _a, _v, _n, pc in members:
            for f, v in pc.items():
                if v > 0:
                    protects[f] += v
        top = sorted(protects.items(), key=lambda t: (-t[1], t[0]))[:3]
        ready = max((a.weeks for a in actions), default=0.0)
        out.append(
            (
                -benefit,
                DonorPriority(
                    rank=1,
                    framework_title=localized(fw, "title", locale),
                    domain_title=_domain_title(fw, dom, locale),
                    actions=len(actions),
                    cost_low=cost.low,
                    cost_high=cost.high,
                    risk_reduction_share=_share(benefit, p.baseline),
                    next_cycle_share=_share(later, p.baseline),
                    readiness_gain=_readiness_gain(result, actions, cache),
                    protects=tuple(fn_title.get(f, f) for f, _v in top),
                    ready_by=_ready_by(ws, p.start, ready),
                    action_titles=tuple(
                        dict.fromkeys(
                            _control_title(result, a.control, a.title, locale) for a in actions
                        )
                    ),
                ),
            )
        )
    out.sort(key=lambda t: (t[0], t[1].framework_title, t[1].domain_title))
    return [d.model_copy(update={"rank": k + 1}) for k, (_b, d) in enumerate(out)]


def _plan_steps(result: AssessmentResult) -> list[_DonorStep]:
    """The actions of the budget plan, else the leading actions the roadmap places, each with
    its marginal benefit this cycle and from the next, and the drop in each function's chance
    of failing."""
    p = result.priorities
    if p is None:
        return []
    steps: list[_DonorStep] = []
    if p.plan is not None and p.plan.steps:
        for s in p.plan.steps:
            this = s.this_cycle if s.this_cycle is not None else s.marginal.value
            steps.append((s.action, this, s.next_cycle or 0.0, dict(s.marginal.p_cycle)))
    else:
        # the roadmap places the leaders with their marginal benefits in rank order
        placed = {e.action.id: e for e in p.roadmap.entries}
        for rec in p.ranking:
            e = placed.get(rec.action.id)
            if rec.cumulative is None or e is None or e.benefit is None:
                break
            this = e.this_cycle if e.this_cycle is not None else e.benefit
            steps.append((rec.action, this, e.next_cycle or 0.0, dict(rec.benefit.p_cycle)))
    return steps


def _domain(lib: Any, control_id: str) -> str:
    found = lib.control(control_id)
    return "" if found is None else str(found[1].domain)


# --------------------------------------------------------------------------- public


def public_view(result: AssessmentResult, *, locale: str = "en") -> PublicView:
    """The public transparency summary of ``result`` (TLP:CLEAR), typed as such.

    It is built from an allow-list: readiness bands by domain and their change since the
    previous assessment, the titles of the measures under way and planned grouped by domain,
    and how the assessment was done. No score, probability, cost or control level is copied,
    and every string is scrubbed and checked like the donor view's.

    Raises
    ------
    DisclosureError
        (A bug) if the view would still hold a sensitive string.
    InputError
        If ``locale``'s language has no shipped catalog (:func:`check_locale`).
    """
    locale = check_locale(locale)
    _ = translations(locale).gettext
    red = redactor(result.workspace, locale)
    return _checked(_public(result, locale, _, red), red, "public")


def _change(bands: Sequence[str], before: str | None, now: str) -> str | None:
    """How a band moved: improved, unchanged, declined; new when it had none before."""
    if before is None:
        return "new"
    if before not in bands or now not in bands:
        return "unchanged" if before == now else None
    k0, k1 = bands.index(before), bands.index(now)
    return "improved" if k1 > k0 else "declined" if k1 < k0 else "unchanged"


def _public(result: AssessmentResult, locale: str, _: Gettext, red: Redactor) -> PublicView:
    ws = result.workspace
    lib = ws.library
    r = result.readiness
    english = [name for _lo, name in _tiers(ws, "en")]
    names = workspace_tier_names(ws, locale)
    bands = [names.get(name, name) for name in english]
    previous = next((h for h in reversed(result.history) if h.as_of != r.as_of), None)
    before = (
        {(d.framework, d.domain): d.tier for d in previous.domains if d.tier}
        if previous is not None
        else {}
    )
    domains = []
    for d in r.domains:
        tier = d.tier or ""
        old = before.get((d.framework, d.domain))
        fw = lib.frameworks[d.framework]
        domains.append(
            {
                "framework_title": localized(fw, "title", locale),
                "title": _domain_title(fw, d.domain, locale) if d.domain is not None else d.title,
                "band": names.get(tier, tier),
                "previous_band": names.get(old, old) if old is not None else None,
                "change": None if previous is None else _change(english, old, tier),
            }
        )
    overall_before = previous.overall.tier if previous is not None else None
    tier = r.overall.tier or ""
    data: dict[str, Any] = {
        "banner": Banner(tlp="TLP:CLEAR", text=banner_text("TLP:CLEAR", _)).model_dump(),
        "meta": _meta(result, locale).model_dump(),
        "bands": bands,
        "band": names.get(tier, tier),
        "previous_band": (
            names.get(overall_before, overall_before) if overall_before is not None else None
        ),
        "change": None if previous is None else _change(english, overall_before, tier),
        "domains": domains,
        "measures": [m.model_dump() for m in _public_measures(result, locale)],
        "method": PublicMethod(
            assessor=ws.assessment.assessor if ws.assessment is not None else "",
            as_of=r.as_of,
            previous_as_of=previous.as_of if previous is not None else None,
            frameworks=tuple(localized(fw, "title", locale) for fw in ws.frameworks),
            controls=r.overall.controls - r.overall.not_applicable,
            answered=sum(1 for c in r.controls if c.status == "answered"),
            evidence_mix=_evidence_mix(result),
            confidence=_confidence(r.overall),  # type: ignore[arg-type]  # high/medium/low
            simulated=result.simulation is not None,
        ).model_dump(),
    }
    return PublicView.model_validate(_Scrubber(red).deep(data))


def _public_measures(result: AssessmentResult, locale: str) -> list[PublicMeasures]:
    """Titles of the measures in the plan (planned) and of the other EMB controls the EMB has
    set itself a higher target for (under way), grouped by domain in framework order."""
    ws = result.workspace
    lib = ws.library
    planned: dict[str, list[str]] = defaultdict(list)
    in_plan: set[str] = set()
    for action, *_rest in _plan_steps(result):
        key = f"{action.framework}\0{_domain(lib, action.control)}"
        title = _control_title(result, action.control, action.title, locale)
        if title not in planned[key]:
            planned[key].append(title)
        in_plan.add(action.control)
    under_way: dict[str, list[str]] = defaultdict(list)
    answers = ws.assessment.answers if ws.assessment is not None else {}
    out = []
    for fw in ws.frameworks:
        for c in fw.controls:
            ans = answers.get(c.id)
            if (
                fw.subject_of(c) == "emb"
                and c.id not in in_plan
                and ans is not None
                and isinstance(ans.level, int)
                and ans.target is not None
                and ans.target > ans.level
            ):
                under_way[f"{fw.id}\0{c.domain}"].append(
                    _control_title(result, c.id, c.title, locale)
                )
        for dom in fw.domains:
            key = f"{fw.id}\0{dom.id}"
            if planned.get(key) or under_way.get(key):
                out.append(
                    PublicMeasures(
                        framework_title=localized(fw, "title", locale),
                        domain_title=localized(dom, "title", locale),
                        under_way=tuple(under_way.get(key, ())),
                        planned=tuple(planned.get(key, ())),
                    )
                )
    return out


# --------------------------------------------------------------------------- platform


def platform_companies(result: AssessmentResult) -> list[str]:
    """The companies with a platform scorecard in the workspace, sorted."""
    return sorted({p.company for p in result.readiness.platforms})


def platform_view(result: AssessmentResult, company: str, *, locale: str = "en") -> PlatformView:
    """One technology company's scorecard (TLP:AMBER): each commitment's level, the company's
    evidence and what the EMB asks of it next (:func:`_ask`).

    Raises
    ------
    ReportError
        If the workspace has no scorecard for ``company`` (the message names the companies,
        and the closest one).
    """
    import difflib

    locale = check_locale(locale)
    _ = translations(locale).gettext
    cards = {p.company: p for p in result.readiness.platforms}
    card = cards.get(company) or next(
        (p for name, p in cards.items() if name.casefold() == company.casefold()), None
    )
    if card is None:
        names = sorted(cards)
        close = difflib.get_close_matches(company, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ReportError(
            f"no platform scorecard for company {company!r} in platforms/ "
            f"(companies: {', '.join(names) or 'none'}){hint}"
        )
    ws = result.workspace
    fw = ws.library.frameworks.get(card.framework)
    source = next((s for s in ws.platforms if s.company == card.company), None)
    answers = source.answers if source is not None else {}
    score = next(p for p in _platforms(result, locale) if p.company == card.company)
    rows = []
    for c in card.controls:
        ans = answers.get(c.control)
        name = ""
        if isinstance(c.level, int) and fw is not None:
            name = _level_name(fw, c.level, locale)
        target = ans.target if ans is not None else None
        rows.append(
            PlatformCommitmentRow(
                control_id=c.control,
                title=_control_title(result, c.control, c.title, locale),
                level=c.level,
                level_name=name,
                source=ans.source if ans is not None else "none",
                evidence=ans.evidence if ans is not None else "",
                target=target,
                ask=_ask(c.level, target, fw, _, locale),
            )
        )
    shown = workspace_tier_names(ws, locale)
    tiers = (
        tuple((t.min, shown.get(t.name, t.name)) for t in fw.tiers)
        if fw is not None
        else _tiers(ws, locale)
    )
    return PlatformView(
        banner=Banner(tlp="TLP:AMBER", text=banner_text("TLP:AMBER", _)),
        meta=_meta(result, locale),
        company=card.company,
        framework_title=localized(fw, "title", locale) if fw is not None else card.framework,
        assessor=source.assessor if source is not None else "",
        score=score,
        tiers=tiers,
        commitments=tuple(rows),
    )


def _ask(level: object, target: int | None, fw: Framework | None, _: Gettext, locale: str) -> str:
    """What the EMB asks of the company on one commitment: assess it when it is not assessed;
    reach the target the EMB set when it is above the level; else the next level while below
    3 (implemented and tested, on the shipped scales); nothing once there."""

    def named(k: int) -> str:
        word = _level_name(fw, k, locale) if fw is not None else ""
        return f"{k} ({word})" if word else str(k)

    if level is None:
        return _("Answer this commitment, with evidence.")
    if not isinstance(level, int):
        return ""
    if target is not None and target > level:
        return _("Reach level %(level)s.") % {"level": named(target)}
    if level < 3:
        return _("Reach level %(level)s.") % {"level": named(level + 1)}
    return _("Keep this level and share evidence at the next scorecard.")

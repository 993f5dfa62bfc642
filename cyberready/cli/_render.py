"""The CLI's text views of results: readiness, differences, simulations and priorities.

Kept apart from the commands so that each command stays a few lines of options and one
library call, and so that this module (which loads :mod:`cyberready.report.numbers`, the
one place numbers are written) is imported only when a command runs, never for ``--help``.
Every number is written as the reports write it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from cyberready.cli._lang import messages
from cyberready.cli._output import echo, render_table, secho
from cyberready.report import numbers

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from cyberready.engine import ScenarioResult, SimulationResult
    from cyberready.interop.diff import AssessmentDiff
    from cyberready.prioritize import CostRange, Priorities
    from cyberready.scoring import AggregateScore, Readiness
    from cyberready.workspace import Diagnostics, ResolvedSystem, Workspace

__all__ = [
    "answered_controls",
    "cost_text",
    "date_text",
    "pct",
    "readiness_lines",
    "render_diff",
    "render_priorities",
    "render_readiness",
    "render_simulation",
    "score_text",
    "workspace_summary",
]


def answered_controls(ws: Workspace) -> tuple[int, int]:
    """``(answered, total)`` of the EMB's own controls (``subject: emb``) in its frameworks."""
    own = {c.id for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "emb"}
    answers = ws.assessment.answers if ws.assessment else {}
    return len(own & set(answers)), len(own)


def workspace_summary(ws: Workspace, diag: Diagnostics, locale: str = "en") -> str:
    """One line on what a valid workspace holds and how its scenarios apply, in ``locale``."""
    t = messages(locale)
    _ = t.gettext
    sep = numbers.punctuation(locale)

    def count(n: int) -> str:
        return numbers.decimal(n, 0, locale)

    r = ws.resolved
    items = int(r.counts.sum())
    assets = t.ngettext("%(n)s asset", "%(n)s assets", r.n_assets) % {"n": count(r.n_assets)}
    if items != r.n_assets:
        assets += " " + t.ngettext("(%(n)s item)", "(%(n)s items)", items) % {"n": count(items)}
    links = t.ngettext("%(n)s link", "%(n)s links", r.n_links) % {"n": count(r.n_links)}
    k = len(r.functions)
    functions = t.ngettext("%(n)s election function", "%(n)s election functions", k) % {
        "n": count(k)
    }
    answered, n_controls = answered_controls(ws)
    answers = (
        _("%(answered)s of %(total)s EMB controls answered")
        % {"answered": count(answered), "total": count(n_controls)}
        if ws.assessment
        else _("no assessment yet")
    )
    status = [d.status for d in diag.scenarios]
    parts = [
        _("%(n)s apply") % {"n": count(status.count("applies"))},
        _("%(n)s in part") % {"n": count(status.count("partial"))} if "partial" in status else "",
        _("%(n)s can affect nothing") % {"n": count(status.count("cannot_apply"))}
        if "cannot_apply" in status
        else "",
        _("%(n)s not relevant") % {"n": count(status.count("not_relevant"))}
        if "not_relevant" in status
        else "",
    ]
    scenarios = t.ngettext(
        "%(n)s scenario in scope (%(parts)s)", "%(n)s scenarios in scope (%(parts)s)", len(status)
    ) % {"n": count(len(status)), "parts": sep.list_sep.join(p for p in parts if p)}
    return (
        f"{ws.emb.id}{sep.colon} {sep.list_sep.join((assets, links, functions))}"
        f"{sep.item_sep}{answers}{sep.item_sep}{scenarios}"
    )


def score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def readiness_lines(
    result: Readiness, locale: str = "en", tiers: Mapping[str, str] | None = None
) -> list[str]:
    """A few lines summarising a :class:`~cyberready.scoring.Readiness` (used by demo), in
    ``locale``: tier names through ``tiers`` (English name -> name in ``locale``,
    :func:`~cyberready.report.views.workspace_tier_names`; as the scores give them without),
    confidence bands as reports name them."""
    from cyberready.report.render import confidence_names

    t = messages(locale)
    _ = t.gettext
    colon = numbers.punctuation(locale).colon
    names = tiers or {}
    bands = {} if numbers.is_english(locale) else confidence_names(_)  # English: as before
    o = result.overall

    def score(value: float | None) -> str:
        return _("n/a") if value is None else numbers.decimal(value, 1, locale)

    def tier(name: str | None) -> str:
        return _("n/a") if name is None else names.get(name, name)

    def band(name: str | None) -> str:
        return _("n/a") if name is None else bands.get(name.lower(), name)

    n = len(o.unassessed)
    lines = [
        _(
            "readiness: %(score)s/100 overall (%(tier)s), coverage %(coverage)s, confidence "
            "%(confidence)s; %(unassessed)s"
        )
        % {
            "score": score(o.score),
            "tier": tier(o.tier),
            "coverage": numbers.chance(o.coverage or 0, locale),
            "confidence": band(o.confidence_band),
            "unassessed": t.ngettext(
                "%(n)s unassessed control counted as 0",
                "%(n)s unassessed controls counted as 0",
                n,
            )
            % {"n": numbers.decimal(n, 0, locale)},
        }
    ]
    lines += [
        f"  {f.framework}{colon} {score(f.score)} ({tier(f.tier)})" for f in result.frameworks
    ]
    lines += [
        "  "
        + _("platform %(company)s (%(framework)s)")
        % {"company": p.company, "framework": p.framework}
        + f"{colon} {score(p.total.score)} ({tier(p.total.tier)})"
        for p in result.platforms
    ]
    return lines


def _range_text(pair: tuple[float, float] | None) -> str:
    return "" if pair is None else f"{pair[0]:.0f}–{pair[1]:.0f}"


def _aggregate_rows(aggs: Sequence[AggregateScore]) -> list[list[object]]:
    return [
        [
            a.label,
            a.score,
            a.tier or "",
            _range_text(a.band),
            a.confidence_band or "",
            f"{numbers.chance(a.coverage or 0)}",
            _range_text(a.spread),
            a.target,
            a.gap,
        ]
        for a in aggs
    ]


_AGG_HEADERS = ["scope", "score", "tier", "band", "confidence", "coverage", "asset spread"]


def date_text(day: dt.date, locale: str) -> str:
    """A date as the CLI prints it: ISO in English (as before), else the language's way."""
    return day.isoformat() if numbers.is_english(locale) else numbers.date(day, locale)


def render_readiness(result: Readiness, *, controls: bool, locale: str = "en") -> None:
    """Text view of readiness: its heading in ``locale``, the tables (keys) in English."""
    _ = messages(locale).gettext
    o = result.overall
    secho(
        _("Readiness of %(emb)s as of %(date)s")
        % {"emb": result.emb, "date": date_text(result.as_of, locale)}
        if result.as_of
        else _("Readiness of %(emb)s") % {"emb": result.emb},
        bold=True,
    )
    echo(
        render_table(
            [*_AGG_HEADERS, "target", "gap"],
            _aggregate_rows([o, *result.frameworks, *result.domains]),
        )
    )
    echo(
        "band = score ± (1 - confidence) × 25 from the evidence sources; asset spread = the "
        "score with every control at its lowest and highest asset level (docs/scoring.md)"
    )
    if o.unassessed:
        echo()
        secho(f"Unassessed, counted as 0 ({len(o.unassessed)}):", bold=True, fg="yellow")
        echo(
            render_table(
                ["control", "title", "weight"],
                [[c, result.control(c).title, result.control(c).weight] for c in o.unassessed],
            )
        )
    spread = [(c, c.spread) for c in result.controls if c.spread]
    uneven = [(c, s) for c, s in spread if s[0] != s[1]]
    hidden = [
        (c, s)
        for c, s in spread
        if isinstance(c.level, int) and s[0] < c.level and (c, s) not in uneven
    ]
    if uneven or hidden:
        echo()
        secho("Levels that differ across assets (never averaged away):", bold=True)
        echo(
            render_table(
                ["control", "answer", "lowest", "highest", "asset groups"],
                [
                    [
                        c.control,
                        str(c.level if c.level is not None else "unassessed"),
                        s[0],
                        s[1],
                        "; ".join(f"{g.group}: {g.level} ({g.assets})" for g in c.groups),
                    ]
                    for c, s in [*uneven, *hidden]
                ],
            )
        )
    if controls:
        echo()
        secho("Controls:", bold=True)
        echo(
            render_table(
                ["control", "status", "level", "score", "source", "target", "spread", "title"],
                [
                    [
                        c.control,
                        c.status,
                        "" if c.level is None else str(c.level),
                        c.score,
                        c.source,
                        c.target,
                        "" if c.spread is None else f"{c.spread[0]}–{c.spread[1]}",
                        c.title,
                    ]
                    for c in result.controls
                ],
            )
        )
    if result.platforms:
        echo()
        secho("Platform scorecards (one per company):", bold=True)
        echo(
            render_table(
                ["company", "framework", "as of", "score", "tier", "confidence", "coverage"],
                [
                    [
                        p.company,
                        p.framework,
                        str(p.as_of),
                        p.total.score,
                        p.total.tier or "",
                        p.total.confidence_band or "",
                        f"{numbers.chance(p.total.coverage or 0)}",
                    ]
                    for p in result.platforms
                ],
            )
        )


def _level_text(level: object) -> str:
    return "unassessed" if level is None else str(level)


pct = numbers.chance


_interval = numbers.chance_range


def render_simulation(
    result: SimulationResult,
    titles: dict[str, str],
    diag: Diagnostics | None = None,
    *,
    limit: int = 15,
    system: ResolvedSystem | None = None,
    accidental: frozenset[str] = frozenset(),
) -> None:
    """Tables of a SimulationResult: scenarios (and why some show 0%), functions, (scenario,
    function) pairs with Wilson intervals, the assets most often lost (compromised, or failed
    in the ``accidental`` scenarios; ``system``'s generated assets by group), and the rules of
    relevant scenarios that match nothing (from ``diag``, the scenarios'
    :class:`~cyberready.workspace.Diagnostics`)."""
    runs = sorted(result.scenarios.values(), key=lambda r: (-r.expected_loss, r.scenario_id))
    secho(
        f"{len(runs)} scenario(s) × {result.trials:,} trials, seed {result.seed}; "
        f"expected loss {numbers.points(result.expected_loss)} weight points per cycle, of "
        f"which public trust {numbers.points(result.trust_loss)}",
        bold=True,
    )
    echo()
    secho("Scenarios (by expected loss)", bold=True)
    echo(
        render_table(
            [
                "scenario",
                "likelihood",
                "base",
                "from",
                "P(any failure | attempt)",
                "trust loss | attempt",
                "expected loss",
                "of which trust",
            ],
            [
                [
                    r.scenario_id,
                    r.likelihood,
                    r.base,
                    r.likelihood_origin,
                    pct(r.p_any_failure),
                    pct(r.mean_trust),
                    numbers.points(r.expected_loss),
                    numbers.points(r.trust_loss),
                ]
                for r in runs
            ],
        )
    )
    if diag is not None:
        _render_not_applied(diag)
    weights = sorted({r.public_confidence_weight for r in runs})
    echo(
        click.wrap_text(
            "likelihood = chance the campaign is attempted this cycle (base: the scenario's own; "
            "from: generic, actor level or the EMB's figure in threat_context). Trust loss: each "
            "public incident or failed function in a campaign erodes public confidence, three or "
            "more are a full loss (100%); a full loss counts as "
            + " or ".join(f"{w:g}" for w in weights)
            + " weight points (public_confidence_weight). Expected loss = likelihood × (weights "
            "of the functions that fail × their chance + that weight × trust loss).",
            width=100,
        )
    )
    echo()
    secho("Functions: P(fails this cycle), over all scenarios", bold=True)
    cycle = result.cycle_probability
    order = sorted(
        range(len(result.function_ids)), key=lambda f: (-cycle[f], result.function_ids[f])
    )
    echo(
        render_table(
            ["function", "title", "P(fails this cycle)"],
            [
                [result.function_ids[f], titles.get(result.function_ids[f], ""), pct(cycle[f])]
                for f in order
            ],
        )
    )
    pairs = []
    for r in runs:
        lo, hi = r.p_fail_interval
        for f, fid in enumerate(r.function_ids):
            if r.failure_counts[f]:
                pairs.append((r.loss_by_function[f], r.scenario_id, fid, r.p_fail[f], lo[f], hi[f]))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    echo()
    secho("P(fail | attempt) with 95% Wilson intervals (by expected loss)", bold=True)
    echo(
        render_table(
            ["function", "scenario", "P(fail | attempt)", "95% interval", "expected loss"],
            [
                [fid, sid, pct(p), _interval(lo, hi), numbers.points(loss)]
                for loss, sid, fid, p, lo, hi in pairs[:limit]
            ],
        )
    )
    if len(pairs) > limit:
        echo(f"({len(pairs) - limit} more; use --json for all)")
    _render_lost_assets(result, runs, system, accidental)
    rules = [(d.scenario_id, r) for d in diag.scenarios for r in d.rules] if diag else []
    if rules:
        echo()
        secho("Not applicable in this system (rules that match nothing)", bold=True)
        for sid, rule in rules:
            echo(f"  {sid}: {rule.rule} ({rule.selector}): {rule.reason}")


def _render_lost_assets(
    result: SimulationResult,
    runs: list[ScenarioResult],
    system: ResolvedSystem | None,
    accidental: frozenset[str],
) -> None:
    """The ten assets most often lost this cycle: compromised by an attacker, or failed without
    one (scenarios whose actor is ``accidental``); generated assets by group (docs/system-model.md),
    with the median and the range over the group."""
    import numpy as np

    comp, fail = result.cycle_compromise_split(accidental)
    units: list[tuple[str, npt.NDArray[np.intp]]] = []
    grouped = np.zeros(len(result.asset_ids), dtype=bool)
    if system is not None:
        for g in system.replica_groups:
            if len(g.members) > 1:
                units.append((f"{g.key} ({len(g.members):,})", g.members))
                grouped[g.members] = True
    units += [(result.asset_ids[a], np.array([a])) for a in np.flatnonzero(~grouped)]

    def cell(p: npt.NDArray[np.float64]) -> str:
        if len(p) == 1:
            return pct(p[0])
        return f"{pct(float(np.median(p)))} ({pct(p.min())}–{pct(p.max())})"

    ranked = sorted(
        (u for u in units if max(comp[u[1]].max(), fail[u[1]].max()) > 0),
        key=lambda u: (-max(comp[u[1]].max(), fail[u[1]].max()), u[0]),
    )[:10]
    rows = []
    for name, m in ranked:
        worst = max(runs, key=lambda r: (float(r.p_compromise[m].max()), r.scenario_id))
        how = "failed" if worst.scenario_id in accidental else "compromised"
        rows.append(
            [
                name,
                cell(comp[m]),
                cell(fail[m]),
                worst.scenario_id,
                f"{pct(float(worst.p_compromise[m].max()))} {how}",
            ]
        )
    echo()
    secho("Assets most often lost: compromised, or failed without an attacker", bold=True)
    echo(
        render_table(
            [
                "asset (generated: group, size)",
                "P(compromised this cycle)",
                "P(failed this cycle)",
                "worst scenario",
                "P(lost | attempt)",
            ],
            rows,
        )
    )
    if any(len(m) > 1 for _name, m in ranked):
        echo("A group shows its median asset's chance and, in brackets, the range.")


def _render_not_applied(diag: Diagnostics) -> None:
    """Below the scenarios table: why some scenarios show 0% (not relevant, could not
    apply)."""
    if diag.not_relevant:
        echo(
            "  0% by construction, not relevant here (no asset of the types they start from): "
            + ", ".join(d.scenario_id for d in diag.not_relevant)
        )
    for d in diag.cannot_apply:
        echo(f"  0% by construction, {d.scenario_id} could not apply: {d.reason}")


_usd_text = numbers.money


def cost_text(cost: CostRange) -> str:
    return numbers.money_range(cost.low, cost.high)


def _ratio_text(value: float) -> str:
    """Benefit per $1,000 of cost, in weight points."""
    return "free" if value == float("inf") else numbers.points(value)


def _share_text(value: float, total: float) -> str:
    """``value`` as a percentage of ``total``, written like every chance and share."""
    return numbers.chance(value / total if total > 0 else 0.0)


def _percent_1(share: float, locale: str) -> str:
    """A share as a percent with one decimal (``1.5%``; ``1,5 %`` in French)."""
    if numbers.is_english(locale):
        return f"{100 * share:.1f}%"
    import copy

    from babel import Locale
    from babel.numbers import format_percent

    pattern = copy.copy(Locale.parse(locale).percent_formats[None])
    pattern.frac_prec = (1, 1)  # the language's percent pattern, with one decimal
    return format_percent(share, pattern, locale=locale)


def render_priorities(
    p: Priorities, ws: Workspace, top: int, explain: int, locale: str = "en"
) -> None:
    """Text view of Priorities: ranking, explanations, plan, roadmap, readiness-only (the
    heading and the headline in ``locale``, the tables in English)."""
    t = messages(locale)
    _ = t.gettext
    secho(
        _("Priorities for %(emb)s (%(id)s), plan start %(date)s")
        % {"emb": ws.emb.name, "id": p.emb, "date": date_text(p.start, locale)},
        bold=True,
    )
    share = (
        " " + _("(%(share)s SE)") % {"share": _percent_1(p.baseline_se / p.baseline, locale)}
        if p.baseline > 0
        else ""
    )
    echo(
        _(
            "expected loss today %(loss)s weight points%(share)s, of which public trust "
            "%(trust)s, over %(scenarios)s, %(trials)s trials each, seed %(seed)s; "
            "%(candidates)s candidate actions"
        )
        % {
            "loss": numbers.points(p.baseline, locale),
            "share": share,
            "trust": numbers.points(p.baseline_trust, locale),
            "scenarios": t.ngettext("%(n)s scenario", "%(n)s scenarios", len(p.scenarios))
            % {"n": len(p.scenarios)},
            "trials": numbers.decimal(p.trials, 0, locale),
            "seed": p.seed,
            "candidates": numbers.decimal(p.candidates, 0, locale),
        }
    )
    echo(
        click.wrap_text(
            "benefit = drop in expected loss (weight points: likelihood × the weights of the "
            "functions that fail, plus public_confidence_weight × the trust lost to public "
            "incidents and failed functions), with its 95% interval; per $1k = benefit per "
            "$1,000 of the action's mid-range cost",
            width=100,
        )
    )
    echo()
    secho(f"Top {min(top, len(p.ranking))} actions by benefit per cost", bold=True)
    echo(
        render_table(
            ["#", "action", "title", "benefit", "95% interval", "cost", "per $1k", "weeks", ""],
            [
                [
                    r.rank,
                    r.action.id,
                    r.action.title[:48],
                    numbers.points(r.benefit.value),
                    f"{numbers.points(r.benefit.low)}–{numbers.points(r.benefit.high)}",
                    cost_text(r.action.cost),
                    _ratio_text(r.per_kusd),
                    numbers.weeks(r.action.weeks),
                    "quick win" if r.quick_win else "",
                ]
                for r in p.ranking[:top]
            ],
        )
    )
    if explain:
        echo()
        secho("Why", bold=True)
        for r in p.ranking[: min(explain, top)]:
            echo(f"{r.rank}. {r.explain()}")
    if p.plan is not None:
        plan = p.plan
        echo()
        b = plan.benefit
        gain = (
            f"benefit {numbers.points(b.value)} ± {numbers.points(1.96 * b.se)}: this cycle "
            f"{numbers.points(plan.this_cycle)} "
            f"({_share_text(plan.this_cycle, p.baseline)} of today's expected loss), next cycle "
            f"{numbers.points(plan.next_cycle)} ({_share_text(plan.next_cycle, p.baseline)})"
            if b is not None and p.baseline > 0
            else "no benefit"
        )
        secho(
            f"Plan within {_usd_text(plan.budget)} ({plan.basis} costs; {plan.method}): "
            f"{len(plan.steps)} action(s), cost {cost_text(plan.cost)}, {gain}",
            bold=True,
        )
        echo(
            render_table(
                [
                    "step",
                    "action",
                    "ready",
                    "adds",
                    "this cycle",
                    "next cycle",
                    "cumulative",
                    "added cost",
                    "total cost",
                ],
                [
                    [
                        k + 1,
                        s.action.id,
                        str(s.ready or ""),
                        numbers.points(s.marginal.value),
                        numbers.points(s.this_cycle or 0.0),
                        numbers.points(s.next_cycle or 0.0),
                        f"{numbers.points(s.cumulative.value)} ± "
                        f"{numbers.points(1.96 * s.cumulative.se)}",
                        cost_text(s.added_cost),
                        cost_text(s.cumulative_cost),
                    ]
                    for k, s in enumerate(plan.steps)
                ],
            )
        )
        echo(
            click.wrap_text(
                "this cycle = what each action protects in the election phases that start "
                "after it is ready; the rest counts from the next cycle on",
                width=100,
            )
        )
    echo()
    what = "the plan" if p.plan is not None else f"the top {len(p.roadmap.entries)}"
    secho(f"Roadmap of {what}, all started on {p.roadmap.start}", bold=True)
    dates = {label: d for label, _, d in p.roadmap.milestones}
    if p.roadmap.begun:
        under_way = ", ".join(f"{label} ({d})" for label, _, d in p.roadmap.begun)
        echo(f"  already under way on {p.roadmap.start}, not a target: {under_way}")
    for label, entries in p.roadmap.by_milestone().items():
        when = f" ({dates[label]})" if label in dates else ""
        listed = ", ".join(
            f"{e.action.id} ready {e.ready}" + (" [quick win]" if e.quick_win else "")
            for e in entries
        )
        echo(f"  {label}{when}: {listed or '-'}")
    if p.readiness:
        echo()
        secho(
            f"No simulated effect: {len(p.readiness)} action(s) by readiness gain per cost",
            bold=True,
        )
        echo(
            render_table(
                ["#", "action", "title", "score +", "cost", "reason"],
                [
                    [
                        r.rank,
                        r.action.id,
                        r.action.title[:48],
                        f"{r.gain:.2f}",
                        cost_text(r.action.cost),
                        r.reason,
                    ]
                    for r in p.readiness[:top]
                ],
            )
        )


def render_diff(d: AssessmentDiff) -> None:
    """Text view of an AssessmentDiff: score deltas, then controls by kind of change."""
    secho(f"{d.old_label} ({d.old_as_of}) -> {d.new_label} ({d.new_as_of})", bold=True)
    echo(
        render_table(
            ["scope", "old", "new", "delta", "coverage", "unassessed"],
            [
                [
                    a.old.label if a.old else a.new.label if a.new else "",
                    a.old.score if a.old else None,
                    a.new.score if a.new else None,
                    a.delta,
                    f"{numbers.chance((a.old.coverage or 0) if a.old else 0)} -> "
                    f"{numbers.chance((a.new.coverage or 0) if a.new else 0)}",
                    f"{len(a.old.unassessed) if a.old else 0} -> "
                    f"{len(a.new.unassessed) if a.new else 0}",
                ]
                for a in (d.overall, *d.frameworks, *d.domains)
            ],
        )
    )
    sections = [
        ("Controls up", d.up),
        ("Controls down", d.down),
        ("Newly unassessed (now counted as 0)", d.newly_unassessed),
        (
            "Other changes (n/a, newly assessed at 0, evidence source, target)",
            tuple(c for c in d.changes if c.kind not in ("up", "down", "unassessed")),
        ),
    ]
    for title, changes in sections:
        echo()
        secho(f"{title}: {len(changes)}", bold=True)
        if changes:
            echo(
                render_table(
                    ["control", "change", "old", "new", "delta", "source", "title"],
                    [
                        [
                            c.control,
                            c.kind,
                            _level_text(c.old_level),
                            _level_text(c.new_level),
                            c.delta,
                            c.old_source
                            if c.old_source == c.new_source
                            else f"{c.old_source} -> {c.new_source}",
                            c.title,
                        ]
                        for c in changes
                    ],
                )
            )
    for title, items in (
        ("Overrides added", d.overrides_added),
        ("Overrides removed", d.overrides_removed),
    ):
        if items:
            echo()
            secho(f"{title}: {len(items)}", bold=True)
            for item in items:
                echo(f"  {item}")

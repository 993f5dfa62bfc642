"""The donor portfolio report: many EMBs on one page (HTML, PDF, XLSX, JSON).

Everything here reads a :class:`~cyberready.portfolio.Portfolio`, which holds only the EMBs'
donor views (TLP:GREEN), and shows only its tables: per-EMB rows, and breakdowns in which groups
of fewer than ``min_group`` EMBs are already suppressed. Charts are matplotlib figures (no pyplot)
turned into inline SVG by :func:`cyberready.report.charts.to_svg`; the HTML comes from the
autoescaped jinja2 template ``portfolio.html.j2`` and shares the reports' stylesheet; every
renderer returns bytes (writing them is :mod:`cyberready.io`'s job).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from cyberready._version import __version__
from cyberready.errors import ReportError
from cyberready.io import GENERATOR
from cyberready.portfolio import TABLES
from cyberready.report import numbers
from cyberready.report.charts import OKABE_ITO, tier_colour, to_svg
from cyberready.report.i18n import translations
from cyberready.report.redaction import Redactor
from cyberready.report.render import fixed_xlsx, html_to_pdf, vocabulary_texts

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.portfolio import Portfolio, Table

__all__ = [
    "PORTFOLIO_FORMATS",
    "PortfolioFormat",
    "localized_table",
    "plan_chart",
    "portfolio_charts",
    "portfolio_heatmap_chart",
    "portfolio_heatmap_svg",
    "portfolio_trend_chart",
    "render_portfolio",
    "render_portfolio_html",
    "render_portfolio_json",
    "render_portfolio_pdf",
    "render_portfolio_xlsx",
    "tier_chart",
    "tier_chart_svg",
]

PortfolioFormat = Literal["html", "pdf", "xlsx", "json"]
PORTFOLIO_FORMATS: Final[tuple[PortfolioFormat, ...]] = ("html", "pdf", "xlsx", "json")
TLP_GREEN: Final = "TLP:GREEN"
Gettext = Callable[[str], str]

_INK: Final = "#1f2933"
_GRID: Final = "#d9dee3"
_FONT: Final[dict[str, Any]] = {"fontsize": 8}


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int, lines: int = 3) -> str:
    parts = textwrap.wrap(text, width) or [text]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], _short(" ".join(parts[lines - 1 :]), width)]
    return "\n".join(parts)


def _f(value: Any) -> float:
    return float(value)


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


# --------------------------------------------------------------------------- charts


def _shown(df: pd.DataFrame, locale: str, _: Gettext) -> pd.DataFrame:
    """A portfolio table with the values a report or chart shows (domain and framework
    titles, tiers…) in ``locale``; flags stay booleans (:func:`_localized_frame`)."""
    return df if numbers.is_english(locale) else _localized_frame(df, locale, _, flags=False)


def portfolio_heatmap_chart(
    p: Portfolio, gettext: Gettext | None = None, locale: str = "en"
) -> Figure:
    """EMB × domain readiness, each cell coloured by its tier and labelled with its score;
    the tiers (in the legend) and domains named in ``locale``."""
    _ = gettext or translations("en").gettext
    shown_tier = _tier_names(locale)
    df = _shown(p.to_frame("readiness"), locale, _)
    embs = p.to_frame("embs").sort_values(["score", "emb"], ascending=[False, True])
    order = embs["emb"].tolist()
    columns = df[["framework", "domain", "domain_title"]].drop_duplicates().itertuples(index=False)
    cols = [(str(c.framework), str(c.domain), str(c.domain_title)) for c in columns]
    grid = np.full((len(order), len(cols) + 1), np.nan)
    row = {e: i for i, e in enumerate(order)}
    col = {(f, d): j for j, (f, d, _t) in enumerate(cols)}
    for rec in df.itertuples(index=False):
        grid[row[str(rec.emb)], col[(str(rec.framework), str(rec.domain))]] = _f(rec.score)
    for k, s in enumerate(embs["score"].tolist()):
        grid[k, -1] = float(s)
    scale = p.tiers_scale
    colours = [tier_colour(i, len(scale)) for i in range(len(scale))]
    bounds = [lo for lo, _n in scale] + [100.0001]
    fig = _figure(9.0, 1.6 + 0.26 * max(len(order), 1))
    ax = fig.add_subplot()
    cmap = ListedColormap(colours).with_extremes(bad="#f5f7fa")
    ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        norm=BoundaryNorm(bounds, cmap.N),
        aspect="auto",
        interpolation="nearest",
    )
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v = grid[i, j]
            text = "—" if math.isnan(v) else f"{v:.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color=_INK)
    labels = [_wrap(t, 18) for _f, _d, t in cols] + [_("Overall")]
    ax.set_xticks(np.arange(len(labels)), labels, fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(order)), [_short(e, 24) for e in order], fontsize=7.5)
    ax.set_title(_("Readiness by EMB and domain (colour: tier)"), loc="left", fontsize=10)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        _patch(colours[i], f"{shown_tier.get(name, name)} (≥ {lo:.0f})")
        for i, (lo, name) in enumerate(scale)
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False,
               **_FONT)  # fmt: skip
    return fig


def _patch(colour: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="none", label=label)


def tier_chart(p: Portfolio, gettext: Gettext | None = None, locale: str = "en") -> Figure:
    """EMBs per overall tier, for the portfolio and each region of enough EMBs; the tiers
    named in ``locale`` in the legend."""
    _ = gettext or translations("en").gettext
    shown_tier = _tier_names(locale)
    df = p.to_frame("tiers")
    shown = df[~df["suppressed"].astype(bool)]
    groups = list(dict.fromkeys(shown["region"].tolist()))
    names = [name for _lo, name in p.tiers_scale]
    fig = _figure(7.5, 1.2 + 0.38 * max(len(groups), 1))
    ax = fig.add_subplot()
    y = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for i, name in enumerate(names):
        counts = np.array(
            [
                float(shown[(shown["region"] == g) & (shown["tier"] == name)]["embs"].sum())
                for g in groups
            ]
        )
        colour, label = tier_colour(i, len(names)), shown_tier.get(name, name)
        ax.barh(y, counts, left=left, color=colour, label=label, height=0.6)
        for yy, lo, c in zip(y, left, counts, strict=True):
            if c > 0:
                ax.text(lo + c / 2, yy, f"{c:.0f}", ha="center", va="center", **_FONT)
        left += counts
    ax.set_yticks(y, [_("All EMBs") if g == "all" else g for g in groups], fontsize=8)
    ax.set_xlabel(_("Number of EMBs"))
    ax.set_title(_("EMBs per readiness tier"), loc="left", fontsize=10)
    if not groups:
        ax.text(0.5, 0.5, _("suppressed (too few EMBs)"), ha="center", transform=ax.transAxes)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="outside lower center", ncols=len(names), frameon=False, **_FONT)
    return fig


def portfolio_trend_chart(p: Portfolio, gettext: Gettext | None = None) -> Figure:
    """Each EMB's overall readiness over its assessments (thin), and the portfolio median per
    year over enough EMBs (thick)."""
    _ = gettext or translations("en").gettext
    trend = p.to_frame("trend")
    years = p.to_frame("years")
    fig = _figure(7.5, 3.2)
    ax = fig.add_subplot()
    for _emb, g in trend.groupby("emb", sort=True):
        g = g.sort_values("as_of")
        xs = [_year_fraction(d) for d in g["as_of"]]
        ax.plot(xs, g["score"], color="#9aa5b1", linewidth=0.8, marker="o", markersize=2)
    ok = years[~years["suppressed"].astype(bool)]
    if len(ok):
        ax.plot(
            ok["year"].astype(float) + 0.5,
            ok["median"],
            color=OKABE_ITO["blue"],
            linewidth=2.5,
            marker="s",
            label=_("Portfolio median (per year)"),
        )
        ax.legend(frameon=False, **_FONT)
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(_("Overall readiness (0–100)"))
    ax.set_xlabel(_("Assessment date (year)"))
    ax.set_title(_("Readiness over time, every EMB"), loc="left", fontsize=10)
    ax.grid(axis="y", color=_GRID, linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plan_chart(p: Portfolio, gettext: Gettext | None = None, locale: str = "en") -> Figure:
    """Cost of the combined priority plans per domain (low–high, summed over the EMBs that
    recommend it), for domains recommended by enough EMBs; domains titled in ``locale``."""
    _ = gettext or translations("en").gettext
    df = _shown(p.to_frame("plans"), locale, _)
    df = df[(~df["suppressed"].astype(bool)) & (df["framework_title"] != "")]
    fig = _figure(8.0, 1.3 + 0.42 * max(len(df), 1))
    ax = fig.add_subplot()
    y = np.arange(len(df))[::-1]
    for yy, row in zip(y, df.itertuples(index=False), strict=True):
        lo, hi = _f(row.cost_low) / 1e3, _f(row.cost_high) / 1e3
        ax.plot([lo, hi], [yy, yy], color=OKABE_ITO["blue"], lw=7, solid_capstyle="butt")
        ax.text(hi, yy, "  " + _("{n} EMBs").format(n=row.n_embs), va="center", **_FONT)
    ax.set_yticks(y, [_short(str(t), 40) for t in df["domain_title"]], fontsize=8)
    ax.set_xlabel(_("Combined cost, thousand US dollars (low–high)"))
    ax.set_xlim(0, (float(df["cost_high"].max()) / 1e3 if len(df) else 1) * 1.3 + 1)
    ax.set_title(_("Cost of the combined priority plans, by domain"), loc="left", fontsize=10)
    ax.grid(axis="x", color=_GRID, linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def portfolio_charts(
    p: Portfolio, gettext: Gettext | None = None, locale: str = "en"
) -> dict[str, str]:
    """The report's charts as inline SVG, by name: ``heatmap``, ``tiers``, ``trend``,
    ``plans`` (the last two only when there is something to draw); tier names and domain
    titles in ``locale``."""
    _ = gettext or translations("en").gettext
    charts = {
        "heatmap": (
            portfolio_heatmap_chart(p, _, locale),
            _("Readiness of every EMB in every domain."),
        ),
        "tiers": (tier_chart(p, _, locale), _("Number of EMBs in each readiness tier.")),
    }
    if len(p.to_frame("trend")):
        charts["trend"] = (portfolio_trend_chart(p, _), _("Readiness over time."))
    plans = p.to_frame("plans")
    if (~plans["suppressed"].astype(bool) & (plans["framework_title"] != "")).any():
        charts["plans"] = (plan_chart(p, _, locale), _("Cost of the combined priority plans."))
    return {
        name: to_svg(fig, f"portfolio-{name}", description=d) for name, (fig, d) in charts.items()
    }


def portfolio_heatmap_svg(p: Portfolio) -> str:
    """The heatmap as inline SVG (for Jupyter)."""
    return to_svg(
        portfolio_heatmap_chart(p), "portfolio-heatmap", description="EMB × domain readiness"
    )


def tier_chart_svg(p: Portfolio) -> str:
    """The tier distribution as inline SVG (for Jupyter)."""
    return to_svg(tier_chart(p), "portfolio-tiers", description="EMBs per tier")


# --------------------------------------------------------------------------- renderers


def _fmt(value: object, kind: str = "", locale: str = "en") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "pct" and isinstance(value, int | float):
        return numbers.chance(value, locale)
    if kind == "usd" and isinstance(value, int | float):
        return numbers.money(value, locale)
    if kind == "signed" and isinstance(value, int | float):
        return f"{value:+.0f}"
    if kind == "loss" and isinstance(value, int | float):
        return numbers.points(value, locale)
    if isinstance(value, float):
        return f"{value:.0f}" if numbers.is_english(locale) else numbers.whole(value, locale)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (None if _isna(v) else v) for k, v in row.items()}
        for row in df.to_dict(orient="records")
    ]


def _year_fraction(d: object) -> float:
    """A date (or an anonymised quarter, ``2026-Q3``) as a fractional year."""
    if isinstance(d, dt.date):
        return d.year + (d.timetuple().tm_yday - 1) / 366
    year, q = str(d).split("-Q")
    return int(year) + (int(q) - 1) / 4 + 0.125


def _isna(v: object) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))  # type: ignore[call-overload]  # any cell value; the stubs want a typed scalar
    except (TypeError, ValueError):
        return False


def _context(p: Portfolio, locale: str = "en") -> dict[str, Any]:
    from markupsafe import Markup

    from cyberready.report import numbers
    from cyberready.report.render import banner_text

    t = translations(locale)
    _ = t.gettext

    def shown(df: pd.DataFrame) -> pd.DataFrame:
        return _shown(df, locale, _)

    embs = shown(p.to_frame("embs"))
    domains = shown(p.to_frame("domains"))
    tiers = p.to_frame("tiers")
    plans = p.to_frame("plans")
    is_total = plans["domain_title"] == "All budget plans"
    plans = shown(plans)
    comparison = p.to_frame("comparison")
    overall_cmp = []
    for rec in embs.itertuples(index=False):
        rows = comparison[comparison["emb"] == rec.emb]
        overall_cmp.append(
            {
                "emb": rec.emb,
                "region": rec.region,
                "score": rec.score,
                "tier": rec.tier,
                "confidence": rec.confidence,
                "change": rec.change,
                "expected_loss": rec.expected_loss,
                "trust_loss": rec.trust_loss,
                "above": int((rows["vs_portfolio"] > 0).sum()),
                "below": int((rows["vs_portfolio"] < 0).sum()),
                "vs_region": float(rows["vs_region"].mean()) if rows["vs_region"].notna().any()
                else None,
            }
        )  # fmt: skip
    regions = _rows(shown(p.to_frame("regions")))
    small_regions = {r["region"] for r in regions if r["domain"] == "overall" and r["suppressed"]}
    all_tiers = tiers[tiers["region"] == "all"]
    total_plan = plans[is_total].iloc[0]
    median = float(embs["score"].median()) if p.shown(len(embs)) else None
    return {
        "p": p,
        "locale": locale,
        "text_direction": numbers.text_direction(locale),
        **numbers.punctuation(locale)._asdict(),
        "tlp": TLP_GREEN,
        "banner": banner_text(TLP_GREEN, _),
        "version": __version__,
        "suppressed_text": _("suppressed (fewer than {n} EMBs)").format(n=p.min_group),
        "charts": {k: Markup(v) for k, v in portfolio_charts(p, _, locale).items()},
        "embs": _rows(embs),
        "overall": overall_cmp,
        "median": median,
        "regions_shown": sorted(
            {r for r, n in embs.groupby("region").size().items() if p.shown(int(n))}
        ),
        "tiers_all": _rows(shown(all_tiers)),
        "tiers_suppressed": bool(all_tiers["suppressed"].all()) if len(all_tiers) else True,
        "domains": _rows(domains),
        "weak": p.weak_everywhere(),
        # a region too small to show is one line, not one per domain
        "regions": [
            r for r in regions if r["domain"] == "overall" or r["region"] not in small_regions
        ],
        "years": _rows(p.to_frame("years")),
        "phases": _rows(p.to_frame("phases")),
        "plans": _rows(plans[~is_total]),
        "total_plan": {str(k): (None if _isna(v) else v) for k, v in total_plan.items()},
        "priorities": _rows(p.to_frame("priorities")),
        "peers": _peer_groups(p),
    }


def _peer_groups(p: Portfolio) -> list[dict[str, Any]]:
    """The peers table as one row per EMB and weak domain, its peers' aliases joined."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for emb, fw, fw_title, dom, title, score, peer, _s in p.peers():
        g = groups.setdefault(
            (emb, fw, dom),
            {"emb": emb, "framework_title": fw_title, "domain_title": title, "score": score},
        )
        g.setdefault("peers", []).append(peer)
    return list(groups.values())


def _environment(locale: str = "en") -> Any:
    import jinja2

    from cyberready.report.render import _phase_names, sandboxed_environment

    env = sandboxed_environment(
        loader=jinja2.PackageLoader("cyberready.report", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]  # added by jinja2's i18n extension at run time
    english = numbers.is_english(locale)
    phases = {} if english else _phase_names(translations(locale).gettext)
    env.filters.update(
        {
            "num": lambda v: _fmt(v, locale=locale),
            "pct": lambda v: _fmt(v, "pct", locale),
            "usd": lambda v: _fmt(v, "usd", locale),
            "signed": lambda v: _fmt(v, "signed", locale),
            "loss": lambda v: _fmt(v, "loss", locale),
            # English keeps the phase ids as words; other languages name them as reports do
            "phase": lambda v: phases.get(str(v), str(v).replace("_", " ")),
        }
    )
    return env


def render_portfolio_html(p: Portfolio, locale: str = "en") -> str:
    """The donor portfolio report as one self-contained HTML page (no scripts, no network),
    its text in ``locale`` (a shipped report language)."""
    import jinja2

    try:
        template = _environment(locale).get_template("portfolio.html.j2")
        return str(template.render(_context(p, locale)))
    except jinja2.TemplateError as exc:
        raise ReportError(f"portfolio template: {exc}") from exc


def render_portfolio_json(p: Portfolio) -> str:
    """Every table of the portfolio as JSON (``<``, ``>``, ``&`` escaped)."""
    doc = {"banner": TLP_GREEN, "cyberready_version": __version__, **p.to_dict()}
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def render_portfolio_pdf(p: Portfolio, locale: str = "en") -> bytes:
    """The HTML report laid out as PDF by WeasyPrint (the ``pdf`` extra)."""
    return html_to_pdf(render_portfolio_html(p, locale))


_ILLEGAL_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: object) -> object:
    if value is None or _isna(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, bool | int | float | dt.date):
        return value
    return _ILLEGAL_XML.sub("", str(value))


def _sheet_titles(_: Gettext) -> dict[str, str]:
    """The name of each sheet of a translated portfolio workbook (an English one is named by
    the table keys)."""
    return {
        "about": _("About"),
        "embs": _("EMBs"),
        "readiness": _("Readiness"),
        "comparison": _("Comparison"),
        "domains": _("Domains"),
        "regions": _("Regions"),
        "tiers": _("Tiers"),
        "trend": _("Trends"),
        "years": _("Years"),
        "functions": _("Election functions"),
        "phases": _("Phases"),
        "priorities": _("Priorities"),
        "plans": _("Plans"),
        "peers": _("Peers"),
    }


def _column_labels(_: Gettext) -> dict[str, str]:
    """The header of each column of a translated portfolio workbook, with its unit (an
    English one keeps the column keys of :meth:`Portfolio.to_frame`, which scripts read)."""
    return {
        "emb": _("EMB"),
        "name": _("Name"),
        "country": _("Country"),
        "region": _("Region"),
        "as_of": _("Assessment date"),
        "election_date": _("Election date"),
        "score": _("Readiness (0–100)"),
        "low": _("Likely range, low (0–100)"),
        "high": _("Likely range, high (0–100)"),
        "tier": _("Tier"),
        "confidence": _("Confidence"),
        "coverage": _("Share of controls answered"),
        "unassessed": _("Controls not assessed"),
        "assessments": _("Assessments"),
        "change": _("Change since first assessment"),
        "expected_loss": _("Expected loss (weight points)"),
        "trust_loss": _("Of which public trust (weight points)"),
        "budget_usd": _("Budget (USD)"),
        "plan_cost_low": _("Budget plan: cost low (USD)"),
        "plan_cost_high": _("Budget plan: cost high (USD)"),
        "plan_risk_reduction": _("Budget plan: share of risk removed this cycle"),
        "plan_next_cycle": _("Budget plan: share of risk removed from the next cycle on"),
        "framework": _("Framework id"),
        "framework_title": _("Framework"),
        "domain": _("Domain id"),
        "domain_title": _("Domain"),
        "portfolio_n": _("EMBs in the portfolio"),
        "portfolio_median": _("Portfolio median"),
        "vs_portfolio": _("vs portfolio median"),
        "region_n": _("EMBs in the region"),
        "region_median": _("Region median"),
        "vs_region": _("vs region median"),
        "region_suppressed": _("Region suppressed (too few EMBs)"),
        "function": _("Election function"),
        "phases": _("Phases"),
        "weight": _("Weight"),
        "p_fail": _("Chance of failure"),
        "rank": _("Rank"),
        "actions": _("Actions"),
        "cost_low": _("Cost low (USD)"),
        "cost_high": _("Cost high (USD)"),
        "risk_reduction_share": _("Risk removed this cycle"),
        "next_cycle_share": _("Next cycle"),
        "readiness_gain": _("Readiness gain (points)"),
        "ready_by": _("Ready by"),
        "n_embs": _("Number of EMBs"),
        "suppressed": _("Suppressed (too few EMBs)"),
        "median": _("Median"),
        "min": _("Lowest"),
        "max": _("Highest"),
        "total": _("Total"),
        "best": _("Best"),
        "worst": _("Weakest"),
        "weak_embs": _("Weak in"),
        "share_weak": _("Share of EMBs weak"),
        "weak_everywhere": _("Weak in every EMB"),
        "expected_loss_median": _("Median expected loss (weight points)"),
        "embs": _("EMBs"),
        "year": _("Year"),
        "phase": _("Phase"),
        "peer": _("Peer"),
        "peer_score": _("Peer's readiness (0–100)"),
    }


def _tier_names(locale: str) -> dict[str, str]:
    """The portfolio's tier names in ``locale``: :func:`~cyberready.report.views.tier_names`
    of the shipped frameworks (a portfolio keeps each EMB's donor summary, not its frameworks)."""
    from cyberready.report.views import tier_names
    from cyberready.workspace import shipped_library

    return tier_names(shipped_library().frameworks.values(), locale)


def _localized_frame(
    df: pd.DataFrame, locale: str, _: Gettext, *, flags: bool = True
) -> pd.DataFrame:
    """A copy of a portfolio table with its English cell values in ``locale`` (a language
    other than English): tier names (:func:`~cyberready.report.views.tier_names` of the
    shipped frameworks, as reports name them), confidence bands, election phases, framework
    and domain titles (the shipped frameworks' ``translations:``), the portfolio's own words
    (all EMBs, overall readiness, all budget plans) and, with ``flags`` (a workbook), yes or no
    for the suppressed flags.
    Ids, EMB names, countries, regions and election function titles stay as written; so does
    a value of a framework the shipped library does not hold."""
    from cyberready.models.vocab import localized
    from cyberready.report.render import _phase_names, confidence_names
    from cyberready.workspace import shipped_library

    frameworks = shipped_library().frameworks
    tiers = _tier_names(locale)
    bands = confidence_names(_)
    phases = _phase_names(_)
    words = {
        "Overall readiness": _("Overall readiness"),
        "All budget plans": _("All budget plans"),
    }

    def domain_title(fw_id: object, domain_id: object, title: object) -> str:
        fw = frameworks.get(str(fw_id))
        d = next((d for d in fw.domains if d.id == domain_id), None) if fw else None
        return localized(d, "title", locale) if d is not None else words.get(str(title), str(title))

    def phase_list(value: object) -> object:
        if not isinstance(value, str) or not value:
            return value
        return ", ".join(phases.get(v, v) for v in value.split(", "))

    out = df.copy()
    for column in out.columns:
        values = out[column]
        if column == "tier":
            out[column] = values.map(lambda v: tiers.get(v, v) if isinstance(v, str) else v)
        elif column == "confidence":
            out[column] = values.map(lambda v: bands.get(str(v).lower(), v) if v else v)
        elif column in ("phase", "ready_by"):
            out[column] = values.map(lambda v: phases.get(v, v) if isinstance(v, str) else v)
        elif column == "phases":
            out[column] = values.map(phase_list)
        elif column == "region":
            out[column] = values.map(lambda v: _("All EMBs") if v == "all" else v)
        elif column == "framework_title" and "framework" in out.columns:
            out[column] = [
                localized(frameworks[f], "title", locale) if f in frameworks else t
                for f, t in zip(out["framework"], values, strict=True)
            ]
        elif column == "domain_title":
            fws = out["framework"] if "framework" in out.columns else [None] * len(out)
            ids = out["domain"] if "domain" in out.columns else [None] * len(out)
            titles = [domain_title(f, d, t) for f, d, t in zip(fws, ids, values, strict=True)]
            out[column] = titles
        elif flags and values.dtype == bool:
            out[column] = values.map(lambda v: _("yes") if v else _("no"))
    return out


def localized_table(p: Portfolio, table: Table, locale: str = "en") -> pd.DataFrame:
    """:meth:`Portfolio.to_frame` of ``table`` with its cell values in ``locale`` as a
    translated workbook shows them (English: the frame itself, which scripts read)."""
    df = p.to_frame(table)
    if numbers.is_english(locale):
        return df
    return _localized_frame(df, locale, translations(locale).gettext)


def render_portfolio_xlsx(p: Portfolio, locale: str = "en") -> bytes:
    """Every table of the portfolio, one sheet each; every sheet starts with the TLP label and
    text cells are stored as text (never formulas). In English the sheets and columns are
    named by the table and column keys of :meth:`Portfolio.to_frame`; in another ``locale``
    (a shipped report language) by their names in it, right to left in Arabic."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from cyberready.report.render import banner_text

    _ = translations(locale).gettext
    english = numbers.is_english(locale)
    titles = {} if english else _sheet_titles(_)
    labels = {} if english else _column_labels(_)

    def sheet_name(key: str) -> str:
        name = titles.get(key, key)
        return "".join("_" if ch in "[]:*?/\\'" else ch for ch in name)[:31]

    def label(column: object) -> str:
        if english:
            return str(column)
        if str(column) not in labels:  # a new column must be named in every language
            raise ReportError(f"portfolio column {column!r} has no label to translate")
        return labels[str(column)]

    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = sheet_name("about")
    banner = [TLP_GREEN, banner_text(TLP_GREEN, _)]
    about.append(banner)
    for line in (
        [_("EMBs"), len(p)],
        [_("Trials per scenario"), p.trials],
        [_("Seed"), p.seed],
        [_("Screening trials (priorities)"), p.screen_trials],
        [_("Anonymised"), _("yes") if p.anonymized else _("no")],
        [_("Breakdowns suppressed below"), _("{n} EMBs").format(n=p.min_group)],
        [_("Weak below"), p.weak_below],
        ["cyberready", __version__],
    ):
        about.append(line)
    sheets = [about]
    for table in TABLES:
        df = localized_table(p, table, locale)
        ws = wb.create_sheet(sheet_name(table))
        ws.append(banner)
        ws.append([label(c) for c in df.columns])
        for values in df.itertuples(index=False):
            ws.append([_cell(v) for v in values])
        ws.freeze_panes = "A3"
        for k, column in enumerate(df.columns, start=1):
            width = min(max(len(label(column)) + 2, 10), 40)
            ws.column_dimensions[get_column_letter(k)].width = width
        for head in ws[2]:
            head.font = Font(bold=True)
        sheets.append(ws)
    for ws in sheets:
        for c in ws[1]:
            c.fill = PatternFill("solid", fgColor="000000")
            c.font = Font(bold=True, color="33FF00")
        for r in ws.iter_rows(min_row=1):
            for c in r:
                if isinstance(c.value, str):
                    c.data_type = "s"
                    c.quotePrefix = True
        for edge in (ws.oddHeader, ws.oddFooter):
            if edge is not None:  # openpyxl gives every worksheet both
                edge.center.text = TLP_GREEN
        if numbers.text_direction(locale) == "rtl":  # Arabic: columns run from the right
            ws.sheet_view.rightToLeft = True
    wb.properties.creator = f"{GENERATOR} {__version__}"  # the marker --out looks for
    buf = io.BytesIO()
    wb.save(buf)
    dates = [r.view.meta.as_of for r in p.records if r.view.meta.as_of is not None]
    return fixed_xlsx(buf.getvalue(), max(dates, default=None))


def portfolio_redactor(p: Portfolio) -> Redactor:
    """The sensitive terms of every EMB of ``p`` (and, anonymised, their identities)."""
    terms = [t for r in p.records for t in r.sensitive] + list(p.withheld)
    return Redactor(terms, vocabulary_texts("en"))


def render_portfolio(
    p: Portfolio, fmt: PortfolioFormat, *, check: bool = True, locale: str = "en"
) -> bytes:
    """The donor portfolio report in ``fmt`` (html, pdf, xlsx or json), as bytes; the HTML,
    PDF and XLSX text in ``locale`` (a shipped report language; the JSON, and an English
    workbook's sheets and columns, keep the table and column keys).

    With ``check`` (the default), the finished document is read back and refused
    (:class:`~cyberready.errors.ReportError`) if its text holds any EMB's sensitive term (or,
    anonymised, an EMB's identity)."""
    html_source: str | None = None
    if fmt == "html":
        data = render_portfolio_html(p, locale).encode("utf-8")
    elif fmt == "json":
        data = render_portfolio_json(p).encode("utf-8")
    elif fmt == "pdf":
        html_source = render_portfolio_html(p, locale)
        data = html_to_pdf(html_source)
    elif fmt == "xlsx":
        data = render_portfolio_xlsx(p, locale)
    else:
        raise ReportError(
            f"unknown portfolio format {fmt!r}; valid: {', '.join(PORTFOLIO_FORMATS)}"
        )
    if check:
        portfolio_redactor(p).check_output(data, fmt, html_source=html_source)
    return data

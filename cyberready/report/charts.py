"""Report charts: matplotlib figures built from a report view, embedded as SVG.

Every function takes parts of a view (never the workspace or the simulation), so a donor report's
charts can only show what the donor view holds, and returns a :class:`matplotlib.figure.Figure`
built without pyplot (no global figure registry). :func:`to_svg` turns a figure into a
self-contained ``<svg>`` element whose ids are unique to the chart, so many charts can sit inline
in one HTML page.

Colours are colour-blind safe: the Okabe–Ito palette for categories and ColorBrewer's YlOrRd for
probabilities; every chart has a title and axis labels a reader understands without the text.
Strings go through the ``gettext`` callable given.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, Final

import matplotlib as mpl
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from cyberready.models.vocab import language_of
from cyberready.report.models import (
    ActionRow,
    DomainReadiness,
    DonorPriority,
    GraphEdge,
    GraphNode,
    ScenarioCell,
    ScenarioRisk,
    TrendPoint,
)
from cyberready.report.numbers import chance, money

__all__ = [
    "OKABE_ITO",
    "SCRIPT_FONTS",
    "cost_benefit_chart",
    "donor_priority_chart",
    "graph_chart",
    "heatmap_chart",
    "readiness_chart",
    "script_font",
    "tier_colour",
    "time_to_impact_chart",
    "to_svg",
    "trend_chart",
]

Gettext = Callable[[str], str]

OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""Okabe & Ito's palette, distinguishable with every common colour-vision deficiency."""

_TIER_COLOURS: Final = (
    OKABE_ITO["vermillion"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["bluish_green"],
)
_RISK_CMAP: Final = "YlOrRd"
_INK: Final = "#1f2933"
_GRID: Final = "#d9dee3"
_RC: Final[Any] = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "svg.hashsalt": "cyberready",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": _INK,
    "text.color": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def tier_colour(index: int, n_tiers: int = 4) -> str:
    """Colour of tier ``index`` (0 = lowest) on a scale of ``n_tiers`` tiers."""
    if n_tiers <= 1:
        return _TIER_COLOURS[-1]
    pos = round(index * (len(_TIER_COLOURS) - 1) / (n_tiers - 1))
    return _TIER_COLOURS[max(0, min(pos, len(_TIER_COLOURS) - 1))]


def _tier_index(score: float, tiers: Sequence[tuple[float, str]]) -> int:
    k = 0
    for i, (lo, _name) in enumerate(tiers):
        if score + 1e-9 >= lo:
            k = i
    return k


def _figure(width: float, height: float) -> Figure:
    with mpl.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(text: str, width: int, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of ``width`` characters (ellipsis when cut)."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = _short(parts[-1] + " …", width)
    return "\n".join(parts)


# --------------------------------------------------------------------------- readiness


def readiness_chart(
    domains: Sequence[DomainReadiness],
    tiers: Sequence[tuple[float, str]],
    gettext: Gettext,
) -> Figure:
    """Horizontal bars of readiness per domain, coloured by tier, with the confidence band as a
    whisker, the target as a diamond and the tier thresholds as dashed lines."""
    _ = gettext
    n = max(len(domains), 1)
    with mpl.rc_context(_RC):
        fig = _figure(8.5, 1.3 + 0.5 * n)
        ax = fig.add_subplot()
        labels = [_wrap(d.title, 32) for d in domains]
        y = np.arange(len(domains))[::-1]
        colours = [tier_colour(_tier_index(d.score, tiers), len(tiers)) for d in domains]
        ax.barh(y, [d.score for d in domains], color=colours, height=0.62, zorder=2)
        ax.errorbar(
            [d.score for d in domains],
            y,
            xerr=[
                [d.score - d.low for d in domains],
                [d.high - d.score for d in domains],
            ],
            fmt="none",
            ecolor=_INK,
            elinewidth=1,
            capsize=3,
            zorder=3,
        )
        targets = [(yy, d.target) for yy, d in zip(y, domains, strict=True) if d.target is not None]
        if targets:
            ax.scatter(
                [t for _y, t in targets],
                [yy for yy, _t in targets],
                marker="D",
                s=28,
                facecolor="white",
                edgecolor=_INK,
                zorder=4,
            )
        for yy, d in zip(y, domains, strict=True):
            ax.text(
                min(d.high + 1.5, 101),
                yy,
                f"{d.score:.0f}",
                va="center",
                ha="left",
                fontsize=8,
                zorder=5,
            )
        for lo, _name in tiers[1:]:
            ax.axvline(lo, color="#7b8794", linestyle="--", linewidth=0.8, zorder=1)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 108)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel(
            _("Readiness score (0 = nothing in place, 100 = every control fully in place)")
        )
        ax.set_title(_("Readiness by domain"))
        ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
        handles = [
            Line2D([], [], color=tier_colour(i, len(tiers)), linewidth=8, label=name)
            for i, (_lo, name) in enumerate(tiers)
        ]
        handles.append(
            Line2D([], [], color=_INK, marker="|", linestyle="-", label=_("confidence band"))
        )
        if targets:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="D",
                    color="white",
                    markeredgecolor=_INK,
                    linestyle="none",
                    label=_("target"),
                )
            )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 6),
            frameon=False,
            fontsize=8,
        )
    return fig


def trend_chart(
    trend: Sequence[TrendPoint], tiers: Sequence[tuple[float, str]], gettext: Gettext
) -> Figure:
    """Overall readiness at each assessment, over shaded tier bands."""
    _ = gettext
    with mpl.rc_context(_RC):
        fig = _figure(6.5, 3.0)
        ax = fig.add_subplot()
        bounds = [lo for lo, _n in tiers] + [100.0]
        for i, (lo, name) in enumerate(tiers):
            ax.axhspan(lo, bounds[i + 1], color=tier_colour(i, len(tiers)), alpha=0.14, zorder=0)
            ax.text(
                1.01,
                (lo + bounds[i + 1]) / 2,
                name,
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
            )
        xs = np.arange(len(trend))
        ax.plot(xs, [p.score for p in trend], color=OKABE_ITO["blue"], marker="o", zorder=3)
        for x, p in zip(xs, trend, strict=True):
            ax.annotate(
                f"{p.score:.0f}",
                (float(x), p.score),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
            )
        ax.set_xticks(xs, [p.as_of.isoformat() for p in trend])
        ax.set_xlim(-0.5, max(len(trend) - 0.5, 0.5))
        ax.set_ylim(0, 100)
        ax.set_ylabel(_("Overall readiness (0–100)"))
        ax.set_xlabel(_("Assessment date"))
        ax.set_title(_("Readiness over time"))
    return fig


# --------------------------------------------------------------------------- risk


def heatmap_chart(
    scenarios: Sequence[ScenarioRisk],
    function_titles: Sequence[tuple[str, str]],
    cells: Sequence[ScenarioCell],
    gettext: Gettext,
    locale: str = "en",
) -> Figure:
    """Scenario × election-function grid of P(function fails | scenario attempted); numbers
    in ``locale``'s style, as for the other charts that take one."""
    _ = gettext
    fids = [f for f, _t in function_titles]
    sids = [s.scenario_id for s in scenarios]
    grid = np.zeros((len(sids), len(fids)))
    row = {s: i for i, s in enumerate(sids)}
    col = {f: j for j, f in enumerate(fids)}
    for c in cells:
        if c.scenario_id in row and c.function_id in col:
            grid[row[c.scenario_id], col[c.function_id]] = c.p_fail
    with mpl.rc_context(_RC):
        fig = _figure(9.0, 2.2 + 0.4 * max(len(sids), 1))
        ax = fig.add_subplot()
        cmap = mpl.colormaps[_RISK_CMAP].with_extremes(bad="white")
        image = ax.imshow(np.ma.masked_equal(grid, 0.0), cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i in range(len(sids)):
            for j in range(len(fids)):
                v = grid[i, j]
                if v > 0:
                    ax.text(
                        j,
                        i,
                        chance(v, locale),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if v > 0.55 else _INK,
                    )
        ax.set_xticks(np.arange(len(fids)), [_short(t, 34) for _f, t in function_titles])
        ax.tick_params(axis="x", labelrotation=40, labelsize=7.5)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
        ax.set_yticks(np.arange(len(sids)), [_wrap(s.title, 46) for s in scenarios], fontsize=7.5)
        ax.set_xlabel(_("Election function"))
        ax.set_ylabel(_("Threat scenario (if attempted)"))
        ax.set_title(_("Chance each election function fails if a threat is attempted"))
        ax.spines[:].set_visible(False)
        ax.set_xticks(np.arange(len(fids) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(sids) + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        bar = fig.colorbar(image, ax=ax, shrink=0.8, format=lambda x, _pos: f"{x:.0%}")
        bar.set_label(_("probability of failure"))
    return fig


def time_to_impact_chart(scenarios: Sequence[ScenarioRisk], gettext: Gettext) -> Figure:
    """For each scenario that can make a function fail: hours from the start of the attack to
    the first failure (10th–90th percentile range, median marked), on a log scale."""
    _ = gettext
    rows = [s for s in scenarios if s.hours_to_failure is not None]
    rows.sort(key=lambda s: s.hours_to_failure[1] if s.hours_to_failure else math.inf)
    with mpl.rc_context(_RC):
        fig = _figure(8.5, 1.6 + 0.42 * max(len(rows), 1))
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        for yy, s in zip(y, rows, strict=True):
            assert s.hours_to_failure is not None
            lo, mid, hi = s.hours_to_failure
            sample = [h for h in s.failure_hours_sample if h > 0]
            if len(sample) >= 5:
                # deterministic, evenly spread vertical jitter (golden-ratio sequence)
                jitter = ((np.arange(len(sample)) * 0.6180339887) % 1.0 - 0.5) * 0.36
                ax.scatter(
                    sample,
                    yy + jitter,
                    s=6,
                    color=OKABE_ITO["sky_blue"],
                    alpha=0.5,
                    linewidths=0,
                    zorder=2,
                )
            ax.plot([max(lo, 0.1), max(hi, 0.1)], [yy, yy], color=OKABE_ITO["blue"], lw=3, zorder=3)
            ax.plot(
                [max(mid, 0.1)],
                [yy],
                marker="o",
                color="white",
                markeredgecolor=_INK,
                zorder=4,
            )
        ax.set_xscale("log")
        ticks = [1, 6, 24, 168, 720, 2160]
        ax.set_xticks(
            ticks, [_("1 h"), _("6 h"), _("1 day"), _("1 week"), _("1 month"), _("3 months")]
        )
        ax.minorticks_off()
        ax.set_xlim(0.5, 5000)
        ax.set_yticks(y, [_wrap(s.title, 46) for s in rows], fontsize=7.5)
        ax.set_xlabel(_("Time from the start of the attack to the first failed function"))
        ax.set_title(_("How fast each threat can disrupt the election"))
        ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
        handles = [
            Line2D([], [], color=OKABE_ITO["blue"], lw=3, label=_("10th–90th percentile")),
            Line2D(
                [],
                [],
                marker="o",
                color="white",
                markeredgecolor=_INK,
                linestyle="none",
                label=_("median"),
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig


# --------------------------------------------------------------------------- the graph

_COLUMNS: Final[tuple[tuple[str, ...], ...]] = (
    ("vendor", "shared_government_it", "social_platform", "civil_registry_feed"),
    ("network", "email", "staff_workstation", "admin_account"),
    (
        "voter_registration_db",
        "registration_portal",
        "election_management_system",
        "results_transmission",
        "tally_server",
    ),
    (
        "biometric_kit",
        "official_device",
        "pollbook",
        "vote_capture_device",
        "results_form",
        "results_website",
        "emb_website",
    ),
    ("data_center", "cloud_hosting", "power"),
)
"""Asset types per column of the graph chart; other types go to the core column."""


def _column_titles(_: Gettext) -> list[str]:
    return [
        _("Outside parties"),
        _("Networks and people"),
        _("Core systems"),
        _("Field and public"),
        _("Hosting and power"),
    ]


def _layout(
    nodes: Sequence[GraphNode], edges: Sequence[GraphEdge]
) -> tuple[dict[str, tuple[float, float]], list[int]]:
    """Columns by asset type; within a column, order by the barycentre of neighbours."""
    col_of: dict[str, int] = {}
    for c, types in enumerate(_COLUMNS):
        for t in types:
            col_of[t] = c
    columns: list[list[str]] = [[] for _ in _COLUMNS]
    for nd in nodes:
        columns[col_of.get(nd.type, 2)].append(nd.asset_id)
    for col in columns:
        col.sort()
    neighbours: dict[str, list[str]] = {nd.asset_id: [] for nd in nodes}
    for e in edges:
        if e.source in neighbours and e.target in neighbours and e.source != e.target:
            neighbours[e.source].append(e.target)
            neighbours[e.target].append(e.source)
    pos_in_col: dict[str, float] = {}
    for col in columns:
        for k, a in enumerate(col):
            pos_in_col[a] = k / max(len(col) - 1, 1)
    for _sweep in range(6):
        for col in columns:
            bary = {
                a: (
                    float(np.mean([pos_in_col[b] for b in neighbours[a]]))
                    if neighbours[a]
                    else pos_in_col[a]
                )
                for a in col
            }
            col.sort(key=lambda a: (bary[a], a))
            for k, a in enumerate(col):
                pos_in_col[a] = k / max(len(col) - 1, 1)
    tallest = max((len(c) for c in columns), default=1)
    pos: dict[str, tuple[float, float]] = {}
    for c, col in enumerate(columns):
        offset = (tallest - len(col)) / 2
        for k, a in enumerate(col):
            pos[a] = (float(c), -(offset + k))
    return pos, [len(c) for c in columns]


def graph_chart(
    nodes: Sequence[GraphNode],
    edges: Sequence[GraphEdge],
    gettext: Gettext,
    *,
    label_limit: int = 150,
) -> Figure:
    """The system's assets in columns by kind, coloured by their chance of being compromised
    this cycle; attack paths as solid arrows, dependencies dashed, data copies dotted.

    Asset ids label the nodes (the asset table of the report gives their full names). A group of
    generated assets is one larger node labelled with its id template and size (the view has
    merged its links). With more than ``label_limit`` nodes, only groups, critical assets and
    the most exposed ones are labelled.
    """
    _ = gettext
    pos, sizes = _layout(nodes, edges)
    tallest = max(sizes, default=1)
    ranked = sorted(nodes, key=lambda nd: (-nd.p_compromise, nd.asset_id))
    labelled = (
        {nd.asset_id for nd in nodes}
        if len(nodes) <= label_limit
        else (
            {nd.asset_id for nd in nodes if nd.critical or nd.size > 1}
            | {nd.asset_id for nd in ranked[:40]}
        )
    )
    top = max((nd.p_compromise for nd in nodes), default=0.0)
    norm = Normalize(vmin=0, vmax=_nice_ceiling(top))
    with mpl.rc_context(_RC):
        fig = _figure(9.5, max(4.5, 1.8 + 0.34 * tallest))
        ax = fig.add_subplot()
        styles: dict[str, dict[str, Any]] = {
            "attack": {"color": "#52606d", "linestyle": "-", "alpha": 0.55, "lw": 0.8},
            "dependency": {"color": OKABE_ITO["blue"], "linestyle": "--", "alpha": 0.45, "lw": 0.8},
            "data": {
                "color": OKABE_ITO["reddish_purple"],
                "linestyle": ":",
                "alpha": 0.6,
                "lw": 0.9,
            },
        }
        for e in edges:
            if e.source not in pos or e.target not in pos or e.source == e.target:
                continue
            (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
            st = styles[e.role]
            bend = 0.0 if x0 != x1 else 0.35
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": st["color"],
                    "alpha": st["alpha"],
                    "lw": st["lw"],
                    "linestyle": st["linestyle"],
                    "shrinkA": 5,
                    "shrinkB": 5,
                    "mutation_scale": 7,
                    "connectionstyle": f"arc3,rad={bend}",
                },
                zorder=1,
            )
        xs = [pos[nd.asset_id][0] for nd in nodes]
        ys = [pos[nd.asset_id][1] for nd in nodes]
        points = ax.scatter(
            xs,
            ys,
            c=[nd.p_compromise for nd in nodes],
            cmap=_RISK_CMAP,
            norm=norm,
            s=[_node_area(nd) for nd in nodes],
            edgecolors=[_INK if nd.critical else "#7b8794" for nd in nodes],
            linewidths=[1.6 if nd.critical else 0.6 for nd in nodes],
            zorder=3,
        )
        for nd in nodes:
            if nd.asset_id not in labelled:
                continue
            x, y = pos[nd.asset_id]
            ax.text(
                x + 0.06,
                y,
                _short(nd.asset_id, 24)
                if nd.size <= 1
                else f"{_short(nd.asset_id, 36)} ({nd.size:,})",
                fontsize=7,
                va="center",
                ha="left",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
            )
        for c, title in enumerate(_column_titles(_)):
            ax.text(c, 1.0, title, ha="center", va="bottom", fontsize=9, fontweight="bold")
        ax.set_xlim(-0.3, len(_COLUMNS) - 0.35)
        ax.set_ylim(-tallest + 0.4, 1.7)
        ax.set_axis_off()
        ax.set_title(_("Where an attacker gets in, and what fails with it"))
        bar = fig.colorbar(points, ax=ax, shrink=0.5, format=lambda x, _pos: f"{x:.0%}")
        bar.set_label(_("chance the asset is compromised this cycle"))
        handles = [
            Line2D([], [], color=styles["attack"]["color"], lw=1.2, label=_("attack path")),
            Line2D(
                [],
                [],
                color=styles["dependency"]["color"],
                lw=1.2,
                linestyle="--",
                label=_("depends on / hosted on / powered by"),
            ),
            Line2D(
                [],
                [],
                color=styles["data"]["color"],
                lw=1.4,
                linestyle=":",
                label=_("data copied to"),
            ),
            Line2D(
                [],
                [],
                marker="o",
                color="white",
                markeredgecolor=_INK,
                markeredgewidth=1.6,
                markersize=8,
                linestyle="none",
                label=_("critical asset"),
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False)
    return fig


# --------------------------------------------------------------------------- priorities


def cost_benefit_chart(
    actions: Sequence[ActionRow], gettext: Gettext, locale: str = "en"
) -> Figure:
    """Each recommended action's cost (range) against the share of simulated risk it removes."""
    _ = gettext
    rows = [a for a in actions if a.simulated]
    with mpl.rc_context(_RC):
        fig = _figure(8.0, 4.6)
        ax = fig.add_subplot()
        for a in rows:
            mid = (a.cost_low + a.cost_high) / 2
            colour = OKABE_ITO["bluish_green"] if a.in_budget else OKABE_ITO["orange"]
            ax.errorbar(
                [max(mid, 1.0)],
                [a.risk_reduction_share * 100],
                xerr=[[max(mid - a.cost_low, 0)], [max(a.cost_high - mid, 0)]],
                fmt="o" if a.in_budget else "s",
                color=colour,
                ecolor=colour,
                elinewidth=1,
                capsize=2,
                markersize=6,
                zorder=3,
            )
        labelled = sorted(rows, key=lambda a: (-a.risk_reduction_share, a.rank))[:8]
        for k, a in enumerate(sorted(labelled, key=lambda a: a.risk_reduction_share)):
            mid = (a.cost_low + a.cost_high) / 2
            ax.annotate(
                a.control_id,
                (max(mid, 1.0), a.risk_reduction_share * 100),
                textcoords="offset points",
                xytext=(6, 5 if k % 2 == 0 else -10),
                fontsize=7,
            )
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(lambda x, _pos: money(x, locale))
        ax.set_xlabel(_("Estimated cost in US dollars (range; log scale)"))
        ax.set_ylabel(_("Share of simulated risk removed"))
        ax.yaxis.set_major_formatter(lambda y, _pos: chance(round(y) / 100, locale))
        ax.set_ylim(bottom=0)
        ax.set_title(_("What each recommended action costs and how much risk it removes"))
        ax.grid(color=_GRID, linewidth=0.6, zorder=0)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                color=OKABE_ITO["bluish_green"],
                linestyle="none",
                label=_("in the budget plan"),
            ),
            Line2D(
                [],
                [],
                marker="s",
                color=OKABE_ITO["orange"],
                linestyle="none",
                label=_("beyond the budget"),
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig


def donor_priority_chart(
    priorities: Sequence[DonorPriority], gettext: Gettext, locale: str = "en"
) -> Figure:
    """Investment by domain: cost range (bars) and the share of simulated risk it removes."""
    _ = gettext
    rows = list(priorities)
    with mpl.rc_context(_RC):
        fig = _figure(8.0, 1.5 + 0.55 * max(len(rows), 1))
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        for yy, p in zip(y, rows, strict=True):
            ax.plot(
                [p.cost_low / 1000, p.cost_high / 1000],
                [yy, yy],
                color=OKABE_ITO["blue"],
                lw=7,
                solid_capstyle="butt",
                zorder=2,
            )
            ax.text(
                p.cost_high / 1000,
                yy,
                "  "
                + _("removes {share} of simulated risk").format(
                    share=chance(p.risk_reduction_share, locale)
                ),
                va="center",
                fontsize=7.5,
            )
        ax.set_yticks(y, [_short(p.domain_title, 40) for p in rows])
        ax.set_xlabel(_("Estimated cost, thousand US dollars (low–high)"))
        ax.set_xlim(0, max((p.cost_high for p in rows), default=1) / 1000 * 1.7 + 1)
        ax.set_title(_("Recommended investment by domain"))
        ax.grid(axis="x", color=_GRID, linewidth=0.6, zorder=0)
    return fig


def _node_area(nd: GraphNode) -> float:
    """Marker area: larger for critical assets, and growing with a group's size (log scale)."""
    base = 80.0 if nd.critical else 42.0
    return base if nd.size <= 1 else base + 30.0 * float(np.log10(nd.size))


def _nice_ceiling(p: float) -> float:
    """The colour scale's top: the smallest of 5%, 10%, 20%, 50%, 100% at or above ``p``."""
    for top in (0.05, 0.1, 0.2, 0.5):
        if p <= top:
            return top
    return 1.0


# --------------------------------------------------------------------------- SVG

_ID_RE: Final = re.compile(r'id="([^"]+)"')
_DATA_URL_RE: Final = re.compile(r'"data:image/[a-z]+;base64,[A-Za-z0-9+/=\s]+"')


SCRIPT_FONTS: Final[dict[str, str]] = {"ar": "Noto Sans Arabic UI"}
"""Language -> the font a chart's text is set in before DejaVu Sans, for scripts DejaVu Sans
draws poorly (the same font as the report's stylesheet; Debian package fonts-noto-ui-core)."""


def script_font(locale: str) -> str | None:
    """The font of :data:`SCRIPT_FONTS` for ``locale``'s language, if any.

    >>> script_font("ar_EG"), script_font("fr")
    ('Noto Sans Arabic UI', None)
    """
    return SCRIPT_FONTS.get(language_of(locale))


def to_svg(fig: Figure, name: str, *, description: str = "", font: str | None = None) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, no DOCTYPE).

    Every ``id`` is prefixed with ``name`` so charts do not clash when inlined together; text
    stays text (selectable, searchable, escaped by matplotlib); the file carries no date, so the
    same figure always gives the same SVG. ``font`` (:func:`script_font`) is put before DejaVu
    Sans in every text's font list. Text staying text is also what makes Arabic labels right:
    matplotlib neither joins Arabic letters nor orders them right to left, but it does not draw
    them either; the browser or WeasyPrint lays out each ``<text>`` with HarfBuzz and the
    Unicode bidirectional algorithm.
    """
    buf = io.StringIO()
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    start = svg.find("<svg")
    if start < 0:  # pragma: no cover - matplotlib always writes one
        raise ValueError("matplotlib produced no <svg> element")
    svg = svg[start:]
    if font is not None:
        svg = svg.replace("font-family: 'DejaVu Sans'", f"font-family: '{font}', 'DejaVu Sans'")
    ids = set(_ID_RE.findall(svg))
    prefix = re.sub(r"[^a-zA-Z0-9_-]", "-", name) + "-"

    def fix(m: re.Match[str]) -> str:
        return m.group(1) + prefix + m.group(2) + m.group(3)

    if ids:
        alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        svg = re.sub(rf'(id="|href="#|url\(#)({alternatives})(["\)])', fix, svg)
    # matplotlib wraps the base64 of embedded rasters over lines; not every renderer accepts
    # whitespace inside a data: URL (WeasyPrint does not), so join them.
    svg = _DATA_URL_RE.sub(lambda m: re.sub(r"\s+", "", m.group(0)), svg)
    role = f' role="img" aria-label="{_attr(description)}"' if description else ' role="img"'
    return svg.replace("<svg ", f'<svg class="chart"{role} ', 1)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )

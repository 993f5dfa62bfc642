"""Draw the modelling guide's pictures (``docs/images/*.svg``) with matplotlib.

Run ``python docs/_tools/diagrams.py`` after changing a picture; the SVGs are committed so that
the pages show them on GitHub as well as on the site. The drawings follow the link semantics
of ``cyberready.models.vocab`` (dependency, attack-path and data-copy kinds) and
``cyberready.graph.link_role``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

OUT = Path(__file__).resolve().parent.parent / "images"

ROLE_COLOURS = {"dependency": "#1f5fa8", "attack": "#c0392b", "data": "#7d3c98"}
OPERATOR_COLOURS = {"emb": "#e8f1fb", "vendor": "#fdf2e3", "party": "#f3e9f8", "public": "#eef7ee"}
NODE_W, NODE_H = 2.3, 0.75


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(0, width * 1.6)
    ax.set_ylim(0, height * 1.6)
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return fig, ax


def _node(
    ax: Axes, x: float, y: float, text: str, sub: str = "", fill: str = "#e8f1fb", w: float = NODE_W
) -> tuple[float, float]:
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - NODE_H / 2),
            w,
            NODE_H,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=fill,
            edgecolor="#34495e",
            linewidth=1.1,
        )
    )
    ax.text(x, y + (0.12 if sub else 0), text, ha="center", va="center", fontsize=9.5)
    if sub:
        ax.text(x, y - 0.2, sub, ha="center", va="center", fontsize=7.5, color="#555555")
    return x, y


def _arrow(
    ax: Axes,
    a: tuple[float, float],
    b: tuple[float, float],
    label: str = "",
    colour: str = "#34495e",
    dashed: bool = False,
    rad: float = 0.0,
    label_at: float = 0.5,
    label_dy: float = 0.18,
    w: float = NODE_W,
    ends: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> None:
    (x1, y1), (x2, y2) = a, b
    # start and end at the box edges
    if ends is not None:
        start, end = ends
    elif abs(x2 - x1) >= abs(y2 - y1) * (w / NODE_H) * 0.5:
        sx = w / 2 if x2 > x1 else -w / 2
        start, end = (x1 + sx, y1), (x2 - sx, y2)
    else:
        sy = NODE_H / 2 if y2 > y1 else -NODE_H / 2
        start, end = (x1, y1 + sy), (x2, y2 - sy)
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=13,
            color=colour,
            linewidth=1.6,
            linestyle=(0, (4, 3)) if dashed else "-",
            connectionstyle=f"arc3,rad={rad}",
        )
    )
    if label:
        lx = start[0] + (end[0] - start[0]) * label_at
        ly = start[1] + (end[1] - start[1]) * label_at + label_dy
        ax.text(lx, ly, label, ha="center", va="bottom", fontsize=8.5, color=colour)


def _save(fig: Figure, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT / name, format="svg", metadata={"Date": None})
    plt.close(fig)


def links() -> None:
    """The three roles of links: what the arrow says and which way the harm travels."""
    fig, ax = _figure(7.5, 4.6)
    rows = [
        (
            6.3,
            "dependency",
            ("results website", "results_website"),
            ("tally server", "tally_server"),
            "depends_on",
            "an outage of the tally server takes the website down",
            True,
        ),
        (
            3.9,
            "attack",
            ("admin account", "admin_account"),
            ("voter register", "voter_registration_db"),
            "administers",
            "whoever holds the account can try the register",
            False,
        ),
        (
            1.5,
            "data",
            ("voter register", "voter_registration_db"),
            ("party copy", "operator: party"),
            "copies_data_to",
            "a leak of the party copy exposes the register's data",
            True,
        ),
    ]
    titles = {
        "dependency": "dependency (hosted_on, depends_on, powered_by)",
        "attack": "attack path (connects_to, administers, authenticates, supplies)",
        "data": "data copy (copies_data_to)",
    }
    for y, role, (a_text, a_sub), (b_text, b_sub), kind, harm, backwards in rows:
        colour = ROLE_COLOURS[role]
        ax.text(0.3, y + 0.85, titles[role], fontsize=10, fontweight="bold", color=colour)
        a = _node(ax, 2.0, y, a_text, a_sub)
        b = _node(ax, 8.6, y, b_text, b_sub)
        _arrow(ax, a, b, f"from → to   kind: {kind}", colour)
        ha, hb = (b, a) if backwards else (a, b)
        ax.annotate(
            "",
            xy=(hb[0] + (NODE_W / 2 if backwards else -NODE_W / 2), y - 0.5),
            xytext=(ha[0] + (-NODE_W / 2 if backwards else NODE_W / 2), y - 0.5),
            arrowprops={"arrowstyle": "-|>", "color": "#7f8c8d", "linestyle": "--", "lw": 1.2},
        )
        ax.text(5.3, y - 0.75, harm, ha="center", va="top", fontsize=8.5, color="#555555")
    ax.text(
        11.2,
        0.2,
        "solid: the link as written in system.yaml;  dashed: where the harm travels",
        ha="right",
        fontsize=8,
        color="#555555",
    )
    _save(fig, "link-kinds.svg")


def alternatives() -> None:
    """Dependency links in one group are alternatives."""
    fig, ax = _figure(7.5, 2.6)
    colour = ROLE_COLOURS["dependency"]
    dc = _node(ax, 2.0, 2.1, "data centre", "data_center")
    grid = _node(ax, 8.8, 3.2, "national grid", "power")
    ups = _node(ax, 8.8, 1.0, "generator and UPS", "power")
    _node(ax, 5.4, 0.55, "internet provider", "network", w=2.1)
    _arrow(ax, dc, grid, "powered_by, group: power", colour, label_at=0.6, label_dy=0.15)
    _arrow(ax, dc, ups, "powered_by, group: power", colour, label_at=0.72, label_dy=0.15)
    ax.add_patch(
        FancyArrowPatch(
            (2.0, 2.1 - NODE_H / 2),
            (5.4 - 1.05, 0.55),
            arrowstyle="-|>",
            mutation_scale=13,
            color=colour,
            linewidth=1.6,
            connectionstyle="arc3,rad=0.25",
        )
    )
    ax.text(0.3, 0.3, "depends_on (no group)", fontsize=8.5, color=colour)
    ax.text(
        0.3,
        3.75,
        "down while the grid AND the generator are down, or while the provider is down",
        fontsize=9,
        color="#333333",
    )
    _save(fig, "link-alternatives.svg")


def system() -> None:
    """A small model: sites as areas, operators as colours, links by role."""
    fig, ax = _figure(8.0, 5.2)
    areas = [
        (0.2, 4.6, 4.6, 3.5, "site: headquarters"),
        (5.3, 4.6, 3.9, 3.5, "site: data_centre"),
        (9.6, 4.6, 3.0, 3.5, "site: cloud"),
        (0.2, 0.2, 4.6, 4.0, "site: polling_station (generated: 2,400 rows)"),
        (5.3, 0.2, 3.9, 4.0, "site: third_party_premises"),
        (9.6, 0.2, 3.0, 4.0, "site: vendor_premises"),
    ]
    for x, y, w, h, label in areas:
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.15",
                facecolor="#fafafa",
                edgecolor="#b0b7bf",
                linestyle=(0, (3, 3)),
            )
        )
        ax.text(x + 0.15, y + h - 0.3, label, fontsize=8, color="#666666")
    emb, vendor, party = (OPERATOR_COLOURS[k] for k in ("emb", "vendor", "party"))
    ws = _node(ax, 2.5, 6.9, "HQ workstations", "staff_workstation ×40", emb)
    admin = _node(ax, 2.5, 5.4, "admin account", "admin_account", emb)
    register = _node(ax, 7.25, 6.9, "voter register", "voter_registration_db", emb)
    tally = _node(ax, 7.25, 5.4, "tally server", "tally_server", emb)
    site = _node(ax, 11.1, 6.2, "results website", "results_website", vendor, w=2.6)
    kit = _node(ax, 2.5, 2.0, "kit-{station}", "results_transmission", emb)
    copy = _node(ax, 7.25, 2.0, "party copies", "voter_registration_db ×14", party)
    supplier = _node(ax, 11.1, 2.0, "kit supplier", "vendor", vendor, w=2.6)
    dep, att, data = (ROLE_COLOURS[k] for k in ("dependency", "attack", "data"))
    _arrow(ax, ws, register, "connects_to", att)
    _arrow(ax, admin, tally, "administers", att)
    _arrow(ax, kit, tally, "connects_to", att, label_at=0.35, label_dy=0.05)
    _arrow(ax, supplier, kit, "supplies", att, rad=-0.25, label_at=0.5, label_dy=-0.75)
    _arrow(ax, site, tally, "depends_on", dep, w=2.6, label_at=0.55, label_dy=-0.55)
    _arrow(
        ax,
        register,
        copy,
        "copies_data_to",
        data,
        rad=-0.45,
        label_at=0.55,
        label_dy=0.0,
        ends=((8.4, 6.9), (8.4, 2.0)),
    )
    legend = [
        ("operator emb", emb),
        ("operator vendor", vendor),
        ("operator party", party),
    ]
    for i, (label, fill) in enumerate(legend):
        ax.add_patch(Rectangle((0.3 + 2.1 * i, -0.55), 0.3, 0.3, facecolor=fill, ec="#34495e"))
        ax.text(0.7 + 2.1 * i, -0.4, label, fontsize=8, va="center")
    for i, (label, colour) in enumerate(
        (("dependency", dep), ("attack path", att), ("data copy", data))
    ):
        ax.plot([6.8 + 2.0 * i, 7.2 + 2.0 * i], [-0.4, -0.4], color=colour, lw=2)
        ax.text(7.3 + 2.0 * i, -0.4, label, fontsize=8, va="center")
    ax.set_ylim(-0.8, 8.3)
    _save(fig, "system-example.svg")


def function() -> None:
    """A function and its requirement groups."""
    fig, ax = _figure(7.5, 3.4)
    ax.add_patch(
        FancyBboxPatch(
            (0.3, 1.2),
            3.2,
            2.6,
            boxstyle="round,pad=0,rounding_size=0.15",
            facecolor="#fff8e6",
            edgecolor="#b9770e",
            linewidth=1.4,
        )
    )
    ax.text(1.9, 3.35, "function: tabulate", ha="center", fontsize=10, fontweight="bold")
    ax.text(1.9, 2.85, "weight 5", ha="center", fontsize=8.5)
    ax.text(1.9, 2.45, "phases: counting,", ha="center", fontsize=8.5)
    ax.text(1.9, 2.1, "tabulation_transmission", ha="center", fontsize=8.5)
    ax.text(1.9, 1.6, "tolerates 12 h out", ha="center", fontsize=8.5)
    groups = [
        (4.45, "any", "tally server  OR  signed tally sheets", "one usable member is enough"),
        (2.55, "at_least: 0.8", "of 2,400 transmission kits", "80% of them usable"),
        (0.65, "all + protects_data", "voter register", "usable, and its data not leaked"),
    ]
    for y, rule, members, meaning in groups:
        ax.add_patch(
            FancyBboxPatch(
                (5.0, y - 0.55),
                6.7,
                1.1,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor="#eef3f8",
                edgecolor="#34495e",
            )
        )
        ax.text(5.2, y + 0.22, f"requires {rule}", fontsize=9, fontweight="bold")
        ax.text(5.2, y - 0.08, members, fontsize=8.5)
        ax.text(5.2, y - 0.36, meaning, fontsize=8, color="#555555")
        ax.annotate(
            "",
            xy=(5.0, y),
            xytext=(3.5, 2.5),
            arrowprops={"arrowstyle": "-|>", "color": "#b9770e", "lw": 1.3},
        )
    ax.text(0.3, 0.35, "delivered when every group holds,", fontsize=8.5, color="#555555")
    ax.text(0.3, 0.0, "in its phases; it fails otherwise", fontsize=8.5, color="#555555")
    ax.set_ylim(-0.2, 5.4)
    _save(fig, "function-requirements.svg")


def main() -> None:
    plt.rcParams.update({"svg.hashsalt": "cyberready", "svg.fonttype": "none"})
    plt.rcParams["font.family"] = "DejaVu Sans"
    links()
    alternatives()
    system()
    function()
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.svg')))}")


if __name__ == "__main__":
    main()

"""``demo``: the whole tour on a shipped example EMB, from validation to every report.

Each section is a function returning its lines (``_demo_top_risks`` …), so tests can swap a
slow section for a quick one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cyberready.cli._cmd_assess import assess_shown
from cyberready.cli._group import handle_errors
from cyberready.cli._options import force_option
from cyberready.cli._output import check_output, echo, secho

if TYPE_CHECKING:
    from cyberready import Workspace

__all__ = ["demo"]


@click.command(
    epilog="\b\nExamples:\n  cyberready demo\n  cyberready demo --list\n"
    "  cyberready demo --example tarvonia --out /tmp/tarvonia-reports"
)
@click.option(
    "--example",
    "example",
    default="examplia",
    show_default=True,
    help="Which shipped example EMB to run (--list shows them).",
)
@click.option("--list", "list_only", is_flag=True, help="List the shipped example EMBs and stop.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cyberready-demo"),
    show_default=True,
    help="Folder for the reports (every audience, HTML and PDF).",
)
@force_option("existing report files there that cyberready did not write")
@handle_errors
def demo(example: str, list_only: bool, out: Path, force: bool) -> None:
    """Run cyberready on a shipped example EMB (default: the fictional Examplia) and summarise
    it: validation, readiness, top risks, top actions, and every audience's report."""
    import cyberready
    from cyberready.cli._lang import cli_locale, messages
    from cyberready.cli._render import answered_controls, readiness_lines
    from cyberready.report import AUDIENCES, default_filename, numbers

    if list_only:
        for line in _example_lines():
            echo(line)
        return
    if example not in cyberready.example_names():
        raise click.BadParameter(
            f"no shipped example {example!r}; choose one of: "
            + ", ".join(cyberready.example_names()),
            param_hint="--example",
        )
    path = cyberready.example_path(example)
    ws = cyberready.load_workspace(path)
    check_output(out, folder=True)
    for audience in AUDIENCES:
        for fmt in ("html", "pdf"):
            check_output(out / default_filename(ws.emb.id, audience, fmt), force=force)
    locale = cli_locale(None, ws.emb.languages)
    t = messages(locale)
    _ = t.gettext
    sep = numbers.punctuation(locale)

    def count(n: int) -> str:
        return numbers.decimal(n, 0, locale)

    def show(label: str, value: object) -> None:
        echo(f"{label}{sep.colon} {value}")

    secho(f"{ws.emb.name} ({ws.emb.id})", bold=True)
    show(_("workspace"), path)
    if ws.emb.election:
        show(
            _("election"),
            _("%(name)s on %(date)s")
            % {"name": ws.emb.election.name, "date": ws.emb.election.date},
        )
    r = ws.resolved
    answered, n_controls = answered_controls(ws)
    n_functions = len(r.functions)
    show(
        _("system"),
        sep.list_sep.join(
            (
                t.ngettext("%(n)s asset", "%(n)s assets", r.n_assets) % {"n": count(r.n_assets)},
                t.ngettext("%(n)s link", "%(n)s links", r.n_links) % {"n": count(r.n_links)},
                t.ngettext("%(n)s election function", "%(n)s election functions", n_functions)
                % {"n": count(n_functions)},
            )
        ),
    )
    show(
        _("frameworks"),
        f"{sep.list_sep.join(f.id for f in ws.frameworks)} ("
        + _("%(answered)s of %(total)s EMB controls answered")
        % {"answered": count(answered), "total": count(n_controls)}
        + ")",
    )
    show(
        _("platform scorecards"),
        sep.list_sep.join(p.company for p in ws.platforms) or _("none"),
    )
    show(_("threat scenarios in scope"), count(len(ws.scenarios)))
    secho(_("valid: every file and reference checks out"), fg="green")
    for text in readiness_lines(cyberready.score(ws), locale):
        echo(text)
    for line in _demo_top_risks(ws):
        echo(line)
    for line in _demo_top_actions(ws):
        echo(line)
    for line in _demo_reports(ws, out, trials=2000):
        echo(line)


def _demo_top_risks(ws: Workspace, trials: int = 2000) -> list[str]:
    """The demo's "top risks" lines: the three functions with the highest expected loss."""
    from cyberready.cli._render import pct
    from cyberready.engine import simulate as run_simulation
    from cyberready.report import numbers

    result = run_simulation(ws, trials=trials, seed=0)
    titles = {fn.id: fn.title for fn in ws.resolved.functions}
    lines = [
        f"expected loss {numbers.points(result.expected_loss)} weight points per cycle, "
        f"{numbers.points(result.trust_loss)} of it from public trust",
        f"top risks ({len(result.scenarios)} scenarios × {trials:,} trials):",
    ]
    for fid, p, sid in result.top_risks(3):
        lines.append(
            f"  {titles.get(fid, fid)} ({fid}): {pct(p)} chance of failing this cycle; mostly {sid}"
        )
    if len(lines) == 2:
        lines.append("  no function failed in any trial")
    return lines


def _demo_top_actions(ws: Workspace, trials: int = 2000) -> list[str]:
    """The demo's "top actions" lines: the three best actions by benefit per cost."""
    from cyberready.cli._render import cost_text
    from cyberready.prioritize import prioritize as run_prioritize
    from cyberready.report import numbers

    p = run_prioritize(ws, trials=trials, screen_trials=500, leaders=3, plan=False)
    lines = [f"top actions (benefit per cost; {trials:,} trials per scenario):"]
    for r in p.top(3):
        lines.append(
            f"  {r.rank}. {r.action.id} {r.action.title}: expected loss "
            f"-{numbers.points(r.benefit.value)} "
            f"for {cost_text(r.action.cost)}, {numbers.weeks(r.action.weeks)}"
            + (" (quick win)" if r.quick_win else "")
        )
    if len(lines) == 1:
        lines.append("  no action changes any simulated outcome")
    return lines


def _demo_reports(ws: Workspace, out: Path, trials: int) -> list[str]:
    """Write every audience's report as HTML and PDF into ``out``; the lines to print."""
    from cyberready.errors import OptionalDependencyError
    from cyberready.io import atomic_write_bytes
    from cyberready.report import AUDIENCES, default_filename
    from cyberready.report.render import render_each
    from cyberready.report.views import build_views, redactor

    result = assess_shown(ws, trials=trials, seed=0)
    lines = [f"reports in {out}:"]
    missing_pdf = ""
    guard = redactor(ws)
    for audience, view in build_views(result, AUDIENCES).items():
        # the PDF is laid out from the HTML page just made (its charts drawn once)
        written = render_each(
            view,
            ("html",) if missing_pdf else ("html", "pdf"),
            guard=guard if audience in ("donor", "public") else None,
        )
        try:
            for fmt, data in written:
                path = out / default_filename(ws.emb.id, audience, fmt)
                atomic_write_bytes(path, data)
                lines.append(f"  {audience:<9} {fmt:<4} {path}")
        except OptionalDependencyError as err:
            missing_pdf = str(err)
    if missing_pdf:
        lines.append(f"  no PDF: {missing_pdf}")
    return lines


def _example_lines() -> list[str]:
    """One line per shipped example: its name (for --example), the EMB and its country."""
    import cyberready
    from cyberready.io import read_yaml

    lines = []
    for name in cyberready.example_names():
        doc, _ = read_yaml(cyberready.example_path(name) / "emb.yaml")
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        lines.append(f"{name:<10} {data.get('name', '?')}, {data.get('country', '?')}")
    return lines

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
from cyberready.cli._options import force_option, locale_option
from cyberready.cli._output import check_output, echo, secho

if TYPE_CHECKING:
    from cyberready import Workspace

__all__ = ["demo"]


@click.command(
    epilog="\b\nExamples:\n  cyberready demo\n  cyberready demo --list\n"
    "  cyberready demo --example tarvonia --out /tmp/tarvonia-reports\n"
    "  cyberready demo --locale fr"
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
@locale_option(
    "Language of the summary and the reports: a shipped report language (en, fr, es, ar), "
    "optionally with a region (fr_CA) [default: the example's emb.yaml languages, else en]."
)
@handle_errors
def demo(example: str, list_only: bool, out: Path, force: bool, locale: str | None) -> None:
    """Run cyberready on a shipped example EMB (default: the fictional Examplia) and summarise
    it: validation, readiness, top risks, top actions, and every audience's report."""
    import cyberready
    from cyberready.cli._lang import cli_locale, messages
    from cyberready.cli._render import answered_controls, date_text, readiness_lines
    from cyberready.report import AUDIENCES, default_filename, numbers
    from cyberready.report.views import workspace_tier_names

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
    asked = cli_locale(locale) if locale is not None else None  # refused before any work
    path = cyberready.example_path(example)
    ws = cyberready.load_workspace(path)
    check_output(out, folder=True)
    for audience in AUDIENCES:
        for fmt in ("html", "pdf"):
            check_output(out / default_filename(ws.emb.id, audience, fmt), force=force)
    locale = asked or cli_locale(None, ws.emb.languages)
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
            % {"name": ws.emb.election.name, "date": date_text(ws.emb.election.date, locale)},
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
    tiers = workspace_tier_names(ws, locale)
    for text in readiness_lines(cyberready.score(ws), locale, tiers):
        echo(text)
    for line in _demo_top_risks(ws, locale):
        echo(line)
    for line in _demo_top_actions(ws, locale):
        echo(line)
    for line in _demo_reports(ws, out, trials=2000, locale=locale):
        echo(line)


def _demo_top_risks(ws: Workspace, locale: str = "en", trials: int = 2000) -> list[str]:
    """The demo's "top risks" lines, in ``locale``: the three functions with the highest
    expected loss (function and scenario ids stay as written: they are keys)."""
    from cyberready.cli._lang import messages
    from cyberready.engine import simulate as run_simulation
    from cyberready.report import numbers

    t = messages(locale)
    _ = t.gettext
    colon = numbers.punctuation(locale).colon
    result = run_simulation(ws, trials=trials, seed=0)
    titles = {fn.id: fn.title for fn in ws.resolved.functions}
    n = len(result.scenarios)
    lines = [
        _("expected loss %(loss)s weight points per cycle, %(trust)s of it from public trust")
        % {
            "loss": numbers.points(result.expected_loss, locale),
            "trust": numbers.points(result.trust_loss, locale),
        },
        _("top risks (%(scenarios)s × %(trials)s trials)")
        % {
            "scenarios": t.ngettext("%(n)s scenario", "%(n)s scenarios", n)
            % {"n": numbers.decimal(n, 0, locale)},
            "trials": numbers.decimal(trials, 0, locale),
        }
        + colon,
    ]
    for fid, p, sid in result.top_risks(3):
        lines.append(
            f"  {titles.get(fid, fid)} ({fid}){colon} "
            + _("%(chance)s chance of failing this cycle; mostly %(scenario)s")
            % {"chance": numbers.chance(p, locale), "scenario": sid}
        )
    if len(lines) == 2:
        lines.append("  " + _("no function failed in any trial"))
    return lines


def _demo_top_actions(ws: Workspace, locale: str = "en", trials: int = 2000) -> list[str]:
    """The demo's "top actions" lines, in ``locale``: the three best actions by benefit per
    cost (titles from the frameworks' ``translations:``, as in reports)."""
    from cyberready.cli._lang import messages
    from cyberready.models.framework import translation_of
    from cyberready.prioritize import prioritize as run_prioritize
    from cyberready.report import numbers

    t = messages(locale)
    _ = t.gettext
    colon = numbers.punctuation(locale).colon

    def title(control_id: str, english: str) -> str:
        found = ws.library.control(control_id)
        tr = translation_of(found[1], locale) if found is not None else None
        return tr.title if tr is not None and tr.title else english

    p = run_prioritize(ws, trials=trials, screen_trials=min(500, trials), leaders=3, plan=False)
    lines = [
        _("top actions (benefit per cost; %(trials)s trials per scenario)")
        % {"trials": numbers.decimal(trials, 0, locale)}
        + colon
    ]
    for r in p.top(3):
        lines.append(
            f"  {r.rank}. {r.action.id} {title(r.action.control, r.action.title)}{colon} "
            + _("expected loss -%(benefit)s for %(cost)s, %(weeks)s")
            % {
                "benefit": numbers.points(r.benefit.value, locale),
                "cost": numbers.money_range(r.action.cost.low, r.action.cost.high, locale),
                "weeks": numbers.weeks_text(r.action.weeks, locale, t.ngettext),
            }
            + (" " + _("(quick win)") if r.quick_win else "")
        )
    if len(lines) == 1:
        lines.append("  " + _("no action changes any simulated outcome"))
    return lines


def _demo_reports(ws: Workspace, out: Path, trials: int, locale: str = "en") -> list[str]:
    """Write every audience's report as HTML and PDF, in ``locale``, into ``out``; the lines
    to print (in ``locale`` too; audiences and formats are keys)."""
    from cyberready.cli._lang import messages
    from cyberready.errors import OptionalDependencyError
    from cyberready.io import atomic_write_bytes
    from cyberready.report import AUDIENCES, default_filename, numbers
    from cyberready.report.render import SharedCharts, render_each
    from cyberready.report.views import build_views, redactor

    _ = messages(locale).gettext
    colon = numbers.punctuation(locale).colon
    result = assess_shown(ws, trials=trials, seed=0, locale=locale)
    lines = [_("reports in %(folder)s") % {"folder": out} + colon]
    missing_pdf = ""
    guard = redactor(ws, locale)
    charts = SharedCharts()  # technical and advisor show the same charts: drawn once
    for audience, view in build_views(result, AUDIENCES, locale=locale).items():
        # the PDF is laid out from the HTML page just made (its charts drawn once)
        written = render_each(
            view,
            ("html",) if missing_pdf else ("html", "pdf"),
            guard=guard if audience in ("donor", "public") else None,
            charts=charts,
        )
        try:
            for fmt, data in written:
                path = out / default_filename(ws.emb.id, audience, fmt)
                atomic_write_bytes(path, data)
                lines.append(f"  {audience:<9} {fmt:<4} {path}")
        except OptionalDependencyError as err:
            missing_pdf = str(err)
    if missing_pdf:
        lines.append("  " + _("no PDF") + f"{colon} {missing_pdf}")
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

"""``export csv``: an assessment as tidy CSV files with a Data Package descriptor."""

from __future__ import annotations

from pathlib import Path

import click

from cyberready.cli._cmd_assess import assess_run
from cyberready.cli._group import handle_errors
from cyberready.cli._options import RunOptions, from_run_option, given_options, run_options
from cyberready.cli._output import check_output, echo

__all__ = ["csv_"]


@click.command(
    "csv",
    epilog="\b\nExamples:\n  cyberready export csv examples/examplia --out examplia-csv/\n"
    "  cyberready export csv my-emb --out export/ --trials 20000 --seed 7\n"
    "  cyberready assess my-emb --save run.json && "
    "cyberready export csv my-emb --from run.json --out export/\n"
    "  cyberready export csv my-emb --out export/ --force   # replace an earlier export",
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files into (created if needed; refused if it holds files, "
    "unless --force).",
)
@from_run_option("export it")
@run_options(
    trials="Monte Carlo trials per scenario.",
    seed="Seed: the same seed gives the same files, byte for byte.",
    screen_trials="Trials per scenario when screening candidate actions.",
    budget="Budget for the plan (default: budget_usd in emb.yaml).",
    locale="Language of the titles and explanations in the files and of what the command "
    "prints (a shipped one, e.g. en; default: the first shipped language of emb.yaml's "
    "languages, else en).",
    force="the files of an earlier export in a folder that is not empty",
)
@click.pass_context
@handle_errors
def csv_(
    ctx: click.Context, workspace: Path, out: Path, run_file: Path | None, run: RunOptions
) -> None:
    """Export an assessment as tidy CSV files for spreadsheets, GRC tools, pandas or R.

    Runs the whole assessment once (or reads a saved run with --from) and writes, into the
    folder --out: answers.csv, scores.csv, risks.csv (scenario × function), scenarios.csv,
    functions.csv, actions.csv and roadmap.csv, one observation per row, plus
    datapackage.json, a Frictionless Data Package descriptor documenting every column (type,
    unit, meaning). Numbers are plain and at full precision, dates ISO 8601, a missing value
    is an empty cell; text a spreadsheet could run as a formula is prefixed with '. The files
    name systems and hold evidence (TLP:AMBER+STRICT). Columns: docs/exports.md.
    """
    import cyberready
    from cyberready.cli._lang import messages
    from cyberready.errors import OutputPathError
    from cyberready.io import write_files
    from cyberready.report import AdvisorView, build_view, numbers
    from cyberready.report.i18n import check_locale, default_locale
    from cyberready.report.runfile import load_run
    from cyberready.report.tables import export_files

    asked_locale = None if run.locale is None else check_locale(run.locale)
    check_output(out, folder=True)
    if out.is_dir() and any(out.iterdir()) and not run.force:
        raise OutputPathError(
            f"{out} is a folder that is not empty: not written into; choose a new or empty "
            "folder, or pass --force to replace the files of an earlier export there"
        )
    ws = cyberready.load_workspace(workspace)
    locale = asked_locale or default_locale(ws.emb.languages)
    _ = messages(locale).gettext
    if run_file is not None:
        asked = given_options(ctx, "trials", "seed", "screen_trials", "budget", "exact")
        if asked_locale is not None:
            asked["locale"] = asked_locale
        view = load_run(run_file, workspace, options=asked)["advisor"]
        echo(_("from %(run)s (saved run, its inputs unchanged)") % {"run": run_file})
    else:
        view = build_view(assess_run(ws, run), "advisor", locale=locale)
    assert isinstance(view, AdvisorView)  # the advisor audience's view, saved or built
    files = export_files(view)  # everything is computed before the first file is written
    write_files(out, files, overwrite=True)
    for name, data in files.items():
        size = numbers.decimal(len(data), 0, locale)
        echo(_("wrote %(path)s (%(bytes)s bytes)") % {"path": out / name, "bytes": size})
    echo(
        _("%(tlp)s: the files name systems and hold evidence; share them accordingly")
        % {"tlp": view.banner.tlp}
    )

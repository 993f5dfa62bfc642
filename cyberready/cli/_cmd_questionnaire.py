"""``questionnaire export|import``: the offline workbook (or CSV) round trip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from cyberready.cli._group import handle_errors
from cyberready.cli._options import FRAMEWORK_DIRS, force_option, locale_option, out_option
from cyberready.cli._output import check_output, echo, secho

__all__ = ["questionnaire"]


@click.group(
    epilog="\b\nExamples:\n  cyberready questionnaire export --emb my-emb --out q.xlsx\n"
    "  cyberready questionnaire import q.xlsx --into my-emb"
)
def questionnaire() -> None:
    """Export the questionnaire of every framework in an EMB's scope as one workbook (or CSV)
    to fill in offline, and import it back into the workspace, checking every cell; likewise a
    technology company's platform scorecard (export --company)."""


@questionnaire.command(
    "export",
    epilog="\b\nExamples:\n  cyberready questionnaire export --emb my-emb --out q.xlsx\n"
    "  cyberready questionnaire export --emb my-emb --framework usaid-ecbs --out vr.xlsx\n"
    "  cyberready questionnaire export --framework ifes-tech-guidelines --out blank.csv\n"
    "  cyberready questionnaire export --emb my-emb --company chirper --out chirper.xlsx\n"
    "  cyberready questionnaire export --emb my-emb --locale fr --out q-fr.xlsx",
)
@click.option(
    "--framework",
    "framework_ids",
    multiple=True,
    help="Framework id; repeat for several (default: every framework in the EMB's scope).",
)
@click.option(
    "--emb",
    "emb_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Workspace whose frameworks are exported, current answers prefilled (default: a blank "
    "questionnaire of the --framework ones).",
)
@click.option(
    "--company",
    default="",
    help="With --emb: the platform scorecard workbook of this technology company instead "
    "(its file name in platforms/ or its name; a new company gets a blank one).",
)
@out_option("Output file: .xlsx (a workbook) or .csv (not with --company).", folder=False)
@locale_option(
    "Language of the workbook's instructions, headers and prompts, of the framework texts "
    "it translates (scale, domains, controls) and of what the command prints (a shipped "
    "report language: en, fr, es, ar; default: the first of emb.yaml's languages that ships, "
    "else en). Any language's workbook imports the same."
)
@FRAMEWORK_DIRS
@force_option("an existing file that cyberready did not write (a CSV, or a filled-in workbook)")
@handle_errors
def questionnaire_export(
    framework_ids: tuple[str, ...],
    emb_dir: Path | None,
    company: str,
    out: Path,
    locale: str | None,
    frameworks_dirs: tuple[Path, ...],
    force: bool,
) -> None:
    """Write one questionnaire for all the frameworks of an assessment: an instructions sheet
    (each framework's maturity scale), one sheet per domain of each framework with drop-downs
    and the rubric beside each control, answers prefilled, structure locked.

    With --company, one technology company's platform scorecard workbook in the same form:
    the platform commitments of its framework, their scale and rubrics, its current answers
    prefilled; `questionnaire import` writes it back into that company's platforms/ file.
    """
    from cyberready.cli._lang import cli_locale, messages, workspace_languages
    from cyberready.interop.questionnaire import write_questionnaire
    from cyberready.report.i18n import check_locale

    asked_locale = None if locale is None else check_locale(locale)
    _ = messages(cli_locale(asked_locale, workspace_languages(emb_dir))).gettext
    check_output(out, force=force)
    path = write_questionnaire(
        out,
        framework_ids,
        workspace=emb_dir,
        frameworks_dirs=frameworks_dirs,
        company=company,
        locale=asked_locale,
    )
    echo(_("wrote %(path)s") % {"path": path})


@questionnaire.command(
    "import",
    epilog="\b\nExamples:\n  cyberready questionnaire import q.xlsx --into my-emb\n"
    "  cyberready questionnaire import vr.xlsx it.xlsx --into my-emb\n"
    "  cyberready questionnaire import q.csv --into my-emb --as-of 2026-11-01",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "workspace",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The workspace whose assessment.yaml receives the answers.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Assessment date (required for CSV; overrides the workbooks'). Confirms a change to "
    "the assessment of the same date.",
)
@click.option("--assessor", default=None, help="Who assessed (overrides the workbook's).")
@FRAMEWORK_DIRS
@handle_errors
def questionnaire_import(
    files: tuple[Path, ...],
    workspace: Path,
    as_of: datetime | None,
    assessor: str | None,
    frameworks_dirs: tuple[Path, ...],
) -> None:
    """Check filled-in questionnaires and write them, as one assessment, into the workspace's
    assessment.yaml. Each file replaces the answers of its frameworks; the others are kept.
    A platform scorecard workbook (export --company) is imported on its own into its
    company's platforms/ file, with the same rules (earlier ones kept in platforms/history/).

    Every problem is listed with its sheet and cell (exit 3) and nothing is written. A new
    assessment date first keeps the previous assessment.yaml as history/assessment-<as_of>.yaml.
    The same date adds no history entry when the import only answers frameworks not yet
    assessed at that date, and writes nothing when nothing changed; any other change with the
    same date is refused unless --as-of confirms it. One command writes a workspace at a
    time: while another holds it, this one waits 3 seconds, then stops with exit code 5.
    """
    from cyberready.cli._lang import cli_locale, messages
    from cyberready.interop.questionnaire import import_questionnaire

    result = import_questionnaire(
        files,
        workspace,
        as_of=as_of.date() if as_of is not None else None,
        assessor=assessor,
        frameworks_dirs=frameworks_dirs,
    )
    t = messages(cli_locale(None, result.languages))  # the workspace the import loaded
    _ = t.gettext
    counts = _("%(frameworks)s: %(answered)d answered (%(na)d n/a), %(unassessed)d unassessed") % {
        "frameworks": ", ".join(result.frameworks),
        "answered": result.answered,
        "na": result.not_applicable,
        "unassessed": result.unassessed,
    }
    if result.company:
        counts = f"{result.company}: {counts}"
    if result.written is None:
        echo(
            _("nothing changed (%(counts)s); nothing written, no history entry")
            % {"counts": counts}
        )
        return
    secho(
        _("imported %(counts)s -> %(path)s") % {"counts": counts, "path": result.written},
        fg="green",
    )
    if result.archived is not None:
        kept = (
            _("previous scorecard kept as %(path)s")
            if result.company
            else _("previous assessment kept as %(path)s")
        )
        echo(kept % {"path": result.archived})
    elif result.change == "completed":
        echo(
            _(
                "completed the assessment of %(date)s: no history entry (only frameworks not "
                "yet assessed at that date were answered)"
            )
            % {"date": result.assessment.as_of}
        )

"""``report``: every audience and format asked for, from one assessment or a saved run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import click

from cyberready.cli._cmd_assess import assess_run
from cyberready.cli._group import handle_errors
from cyberready.cli._options import RunOptions, from_run_option, given_options, run_options
from cyberready.cli._output import check_output, echo

if TYPE_CHECKING:
    from cyberready.report import Audience, Format, View
    from cyberready.workspace import Workspace

__all__ = ["report"]


class _CommaChoice(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.3 on
    """A comma-separated list of choices, or ``all`` for every one of ``all_means``."""

    name = "list"

    def __init__(self, choices: Sequence[str], all_means: Sequence[str]) -> None:
        self.choices = tuple(choices)
        self.all_means = tuple(all_means)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join((*self.choices, "all")) + "][,...]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        picked: list[str] = []
        for item in (v.strip() for v in str(value).split(",")):
            if item == "all":
                picked += self.all_means
            elif item in self.choices:
                picked.append(item)
            else:
                self.fail(f"{item!r} is not one of {', '.join(self.choices)}, all", param, ctx)
        return tuple(dict.fromkeys(picked))


_REPORT_FORMATS: Final = ("html", "pdf", "md", "json", "xlsx")


@click.command(
    epilog="\b\nExamples:\n  cyberready report examples/examplia --audience donor --format pdf\n"
    "  cyberready report my-emb --audience technical --format html --out it-team.html\n"
    "  cyberready report my-emb --audience all --format html,pdf --out reports/\n"
    "  cyberready assess my-emb --save run.json && "
    "cyberready report my-emb --from run.json --audience all --format all --out reports/\n"
    "  cyberready report my-emb --format md --templates my-templates/ --trials 2000\n"
    "  cyberready report my-emb --audience donor --format json-schema --out donor.schema.json\n"
    "  cyberready report examples/examplia --audience public --format html,md --out public/\n"
    "  cyberready report examples/examplia --audience platform --company Chirper --format pdf"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--audience",
    "audiences",
    type=_CommaChoice(
        ["technical", "advisor", "donor", "public", "platform"],
        ["technical", "advisor", "donor", "public"],
    ),
    default="technical",
    show_default=True,
    help="technical (IT staff, TLP:AMBER+STRICT), advisor (plus roadmap and crosswalks, "
    "TLP:AMBER+STRICT), donor (no system detail, TLP:GREEN), public (readiness bands and "
    "measures, nothing sensitive, TLP:CLEAR) or platform (one technology company's "
    "scorecard, with --company, TLP:AMBER); several separated by commas, or all (technical, "
    "advisor, donor and public).",
)
@click.option(
    "--company",
    default=None,
    help="With --audience platform: the technology company whose scorecard to write (its "
    "name in platforms/, case-insensitive).",
)
@click.option(
    "--format",
    "fmts",
    type=_CommaChoice([*_REPORT_FORMATS, "json-schema"], _REPORT_FORMATS),
    default="html",
    show_default=True,
    help="html, pdf, md, json or xlsx; several separated by commas, or all (every one but "
    "json-schema). json-schema writes the JSON Schema of the audience's JSON report.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: <emb>-<audience>.<format> in the current folder, "
    "<emb>-platform-<company>.<format> for a platform report); with "
    "several audiences or formats, the folder to write them into.",
)
@from_run_option("render from it")
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates that replace the shipped ones, file by file "
    "(technical.html.j2, style.css, …). They run in a sandbox (no Python internals), and a "
    "donor or public report is refused if its text would reveal a sensitive term.",
)
@run_options(
    trials="Monte Carlo trials per scenario.",
    seed="Seed: the same seed gives the same report.",
    screen_trials="Trials per scenario when screening candidate actions.",
    budget="Budget for the plan (default: budget_usd in emb.yaml).",
    locale="Report language, and of what the command prints: a shipped one (en, fr…), "
    "optionally with a region (fr_CA); any other is refused before the assessment runs. "
    "Default: the first shipped language of emb.yaml's languages, else en.",
    force=None,
)
@click.pass_context
@handle_errors
def report(
    ctx: click.Context,
    workspace: Path,
    audiences: tuple[Audience, ...],
    fmts: tuple[str, ...],
    out: Path | None,
    run_file: Path | None,
    templates_dir: Path | None,
    company: str | None,
    run: RunOptions,
) -> None:
    """Write reports for one or more audiences as HTML, PDF, Markdown, JSON or XLSX.

    Runs the whole assessment (readiness, threat simulation, priorities) once and renders
    every audience and format asked for from it; with --from, renders from a saved run
    instead. Technical and advisor reports name systems and attack paths and are marked
    TLP:AMBER+STRICT; the donor report is built from a separate view without them and is
    marked TLP:GREEN; the public summary shows readiness bands, progress and the measures
    under way, nothing else, and is marked TLP:CLEAR. A platform report is one technology
    company's scorecard (--company), to share with it: TLP:AMBER. PDF needs the 'pdf' extra:
    pip install 'cyberready[pdf]'.
    """
    import cyberready
    from cyberready.cli._lang import messages
    from cyberready.io import atomic_write_bytes
    from cyberready.report import default_filename, numbers, view_schema
    from cyberready.report.i18n import check_locale, default_locale
    from cyberready.report.render import SharedCharts, render_each
    from cyberready.report.runfile import load_run
    from cyberready.report.views import build_views, redactor

    asked_locale = None if run.locale is None else check_locale(run.locale)
    ws = cyberready.load_workspace(workspace)
    company = _company(ws, audiences, company)
    locale = asked_locale or default_locale(ws.emb.languages)
    _ = messages(locale).gettext
    pairs = [(a, f) for a in audiences for f in fmts]
    several = len(pairs) > 1
    if several and out is not None and out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} is a file; several reports need a folder")
    if several:
        check_output(out or Path(), folder=True)

    def target(audience: str, fmt: str) -> Path:
        who = f"platform-{_slug(company)}" if audience == "platform" and company else audience
        name = default_filename(ws.emb.id, who, fmt.replace("json-schema", "schema.json"))
        if several:
            return (out or Path()) / name
        return out or Path(name)

    for audience, fmt in pairs:
        check_output(target(audience, fmt), force=run.force)
    if several and out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for audience in audiences:
        if "json-schema" in fmts:
            path = target(audience, "json-schema")
            schema = view_schema(audience)
            atomic_write_bytes(path, (json.dumps(schema, indent=2) + "\n").encode())
            echo(_("wrote %(path)s") % {"path": path})
    pairs = [(a, f) for a, f in pairs if f != "json-schema"]
    if not pairs:
        return
    views: dict[Audience, View]
    if run_file is not None:
        asked = given_options(ctx, "trials", "seed", "screen_trials", "budget", "exact")
        if asked_locale is not None:
            asked["locale"] = asked_locale
        views = load_run(run_file, workspace, options=asked, company=company)
        echo(_("from %(run)s (saved run, its inputs unchanged)") % {"run": run_file})
    else:
        result = assess_run(ws, run)
        views = build_views(result, audiences, locale=locale, company=company)
    guarded = ("donor", "public")
    guard = redactor(ws, locale) if any(a in guarded for a in audiences) else None
    charts = SharedCharts()  # technical and advisor show the same charts: drawn once
    for audience in audiences:
        # one view's formats together: its HTML page (and charts) serves the HTML and the PDF
        written = render_each(
            views[audience],
            [cast("Format", f) for a, f in pairs if a == audience],  # json-schema: written above
            templates_dir=templates_dir,
            guard=guard if audience in guarded else None,
            charts=charts,
        )
        for fmt, data in written:
            path = target(audience, fmt)
            atomic_write_bytes(path, data)
            echo(
                _("wrote %(path)s (%(audience)s, %(format)s, %(bytes)s bytes)")
                % {
                    "path": path,
                    "audience": audience,
                    "format": fmt,
                    "bytes": numbers.decimal(len(data), 0, locale),
                }
            )


def _company(ws: Workspace, audiences: Sequence[str], company: str | None) -> str | None:
    """The company of a platform report, as its scorecard spells it (None without one asked).

    A platform report without --company is a usage error naming the companies; an unknown
    company is an input error (exit 3) naming the closest one."""
    names = sorted(card.company for card in ws.platforms)
    if "platform" not in audiences:
        if company is not None:
            raise click.UsageError("--company goes with --audience platform")
        return None
    if company is None:
        raise click.UsageError(
            "--audience platform needs --company (companies in platforms/: "
            f"{', '.join(names) or 'none'})"
        )
    wanted = company.strip().casefold()
    for name in names:
        if name.casefold() == wanted:
            return name
    import difflib

    from cyberready.errors import InputError, Problem

    close = difflib.get_close_matches(wanted, [n.casefold() for n in names], n=1)
    match = next((n for n in names if close and n.casefold() == close[0]), None)
    raise InputError(
        [
            Problem(
                file=str(ws.path / "platforms"),
                field="--company",
                value=company,
                message="no platform scorecard for this company (companies: "
                f"{', '.join(names) or 'none'})",
                hint=f"did you mean {match!r}?" if match else "",
            )
        ]
    )


def _slug(name: str) -> str:
    """A company name as a file-name part: lower case, runs of other characters as one '-'."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "company"

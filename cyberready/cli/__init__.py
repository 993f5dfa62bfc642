"""The ``cyberready`` command line: a thin click shell over the library.

Each command parses options, calls one library function and renders its result. One handler
maps errors to the documented exit codes: 0 ok, 1 internal error or a file that cannot be
written (a plain message naming it), 2 usage (a missing optional extra, an output path
refused), 3 invalid input, 4 below a ``--fail-under`` threshold, 5 the workspace is in use by
another cyberready command. Everything printed passes through :func:`echo` (no terminal
escapes from input files); every output path through
:func:`~cyberready.io._outputs.check_output`.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from cyberready._version import __version__
from cyberready.errors import CyberReadyError, InputError, Problem
from cyberready.io._outputs import check_output, clean_text
from cyberready.report import numbers

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT, EXIT_THRESHOLD = 0, 1, 2, 3, 4


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows as an aligned plain-text table (numbers right-aligned)."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    numeric = [
        all(isinstance(r[i], int | float) or r[i] in ("", None) for r in rows) and bool(rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 1 or value == 0 else f"{value:.3f}"
    return str(value)


def print_problems(err: InputError) -> None:
    """Every problem of an InputError, one per line, on stderr."""
    secho(err.summary + ":", fg="red", err=True)
    _print_lines(err.problems)


def print_warnings(warnings: Sequence[Problem]) -> None:
    """Warnings (allowed, but worth a look), one per line, on stderr; nothing when none."""
    if warnings:
        secho(f"{len(warnings)} warning(s):", fg="yellow", err=True)
        _print_lines(warnings)


def _print_lines(problems: Sequence[Problem]) -> None:
    for p in problems:
        where = click.style(clean_text(p.where()), bold=True)
        field = clean_text(f" {p.field}:") if p.field else ""
        hint = click.style(clean_text(f" ({p.hint})"), fg="yellow") if p.hint else ""
        click.echo(f"  {where}:{field} {clean_text(p.message)}{hint}", err=True)


def handle_errors(fn: F) -> F:
    """Run a command, turning cyberready errors into messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            print_problems(err)
            sys.exit(err.exit_code)
        except CyberReadyError as err:
            secho(f"error: {err}", fg="red", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`cyberready assess DIR | head`): stop quietly, as cat does
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as err:  # a full disk, a read-only folder, no permission: not a bug
            if _debug():
                raise
            where = f": {err.filename}" if err.filename else ""
            secho(f"error: {err.strerror or err}{where}", fg="red", err=True)
            sys.exit(EXIT_INTERNAL)
        except Exception as err:  # a bug: say so plainly, with a way to see more
            if _debug():
                raise
            secho(
                f"internal error: {type(err).__name__}: {err}\n"
                "This is a bug in cyberready; run again with CYBERREADY_DEBUG=1 for details.",
                fg="red",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _debug() -> bool:
    import os

    return os.environ.get("CYBERREADY_DEBUG", "") not in ("", "0")


def echo(message: object = None, **kwargs: Any) -> None:
    """``click.echo`` of text with terminal escapes and control characters removed
    (:func:`~cyberready.io._outputs.clean_text`): every line the CLI prints goes through here."""
    click.echo(None if message is None else clean_text(str(message)), **kwargs)


def secho(message: object = None, **styles: Any) -> None:
    """``click.secho``: the text cleaned as by :func:`echo`, then styled."""
    click.secho(None if message is None else clean_text(str(message)), **styles)


_C1: Final = re.compile("[\x7f-\x9f]")


def emit_json(data: object) -> None:
    r"""Print JSON (sorted keys, UTF-8) to stdout; DEL and C1 controls, which JSON leaves
    as they are, are written as ``\u`` escapes (the same JSON, safe on a terminal).

    >>> emit_json({"title": "a\x9b31mb"})
    {
      "title": "a\u009b31mb"
    }
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    click.echo(_C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text))


def seed_option(help_text: str, *, default: int = 0) -> Callable[[F], F]:
    """``--seed``: any 64-bit seed (the engine's counter-based randomness takes 64 bits)."""
    return click.option(
        "--seed",
        type=click.IntRange(0, 2**64 - 1),
        default=default,
        show_default=True,
        help=help_text,
    )


def trials_option(help_text: str, *, minimum: int = 1) -> Callable[[F], F]:
    """``--trials``: Monte Carlo trials per scenario (10,000 by default)."""
    return click.option(
        "--trials",
        type=click.IntRange(min=minimum),
        default=10_000,
        show_default=True,
        help=help_text,
    )


def screen_trials_option(help_text: str) -> Callable[[F], F]:
    """``--screen-trials``: trials per scenario when screening every candidate action; by
    default :func:`cyberready.prioritize.screening_trials` of ``--trials`` (one rule for every
    command), which the help states."""
    return click.option(
        "--screen-trials",
        type=click.IntRange(min=2),
        default=None,
        help=f"{help_text} [default: {SCREENING_DEFAULT}]",
    )


SCREENING_DEFAULT: Final = "a tenth of --trials, at least 100, at most --trials"
""":func:`cyberready.prioritize.screening_trials` in words (kept equal by a test)."""
FEW_TRIALS: Final = 1_000
"""Below this many trials per scenario, commands that rank actions warn that figures are rough."""


def warn_few_trials(trials: int) -> None:
    """Warn on stderr when ``trials`` is below :data:`FEW_TRIALS`."""
    if trials < FEW_TRIALS:
        secho(
            f"warning: {trials:,} trials per scenario is below {FEW_TRIALS:,}: risk figures, "
            f"benefits and the plan are rough (their intervals are wide); the default is "
            f"10,000",
            fg="yellow",
            err=True,
        )


def budget_option(help_text: str) -> Callable[[F], F]:
    """``--budget USD``: the plan's budget (default: ``budget_usd`` in emb.yaml)."""
    return click.option(
        "--budget", type=click.FloatRange(min=0), default=None, metavar="USD", help=help_text
    )


def force_option(what: str = "an existing file that cyberready did not write") -> Callable[[F], F]:
    """``--force``: replace ``what`` (never a file inside an EMB workspace)."""
    return click.option(
        "--force",
        is_flag=True,
        help=f"Replace {what} (files inside an EMB workspace are never replaced).",
    )


def locale_option(help_text: str) -> Callable[[F], F]:
    """``--locale``: the report language, checked against the shipped catalogs."""
    return click.option("--locale", default="en", show_default=True, help=help_text)


# --------------------------------------------------------------------------- the group


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  cyberready demo\n  cyberready validate examples/examplia\n\n"
    "Exit codes: 0 ok, 1 internal error or a file that cannot be written (disk full, no "
    "permission), 2 usage (or an output path refused: see --force), 3 invalid input, 4 below "
    "--fail-under, 5 workspace in use by another cyberready command.",
)
@click.version_option(__version__, prog_name="cyberready")
def main() -> None:
    """Electoral cybersecurity readiness: score frameworks, simulate threats over an EMB's
    systems, rank what to fix first, and report to every audience."""


# --------------------------------------------------------------------------- validate


@main.command(
    epilog="\b\nExamples:\n  cyberready validate examples/examplia\n"
    "  cyberready validate my-emb --strict\n"
    "  cyberready validate my-framework.yaml scenarios/my-scenario.yaml\n"
    "  cyberready validate my-emb --frameworks-dir my-frameworks/"
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False, path_type=Path))
@click.option(
    "--frameworks-dir",
    "frameworks_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra folder of framework/catalog files the inputs may use (repeatable).",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as problems: exit 3 when there is any."
)
@handle_errors
def validate(paths: tuple[Path, ...], frameworks_dirs: tuple[Path, ...], strict: bool) -> None:
    """Check files or whole EMB workspaces and list every problem (changes nothing).

    A folder with an emb.yaml is a workspace; any other path is checked by its kind.
    Exit 0 when valid, 3 when not. A valid workspace gets a one-line summary: assets (and the
    items they stand for), links, functions, answers, and how many scenarios apply. Warnings
    are listed after a valid result and do not change the exit code (with --strict they exit
    3): an incident your own scenario cites as free text, a target below the level reached;
    for a workspace, each scenario rule that matches nothing and each scenario that can affect
    nothing (with the file, line, rule, selector and what would connect it). Scenarios that
    start from asset types the EMB does not have are listed once as not relevant, and a
    note suggests site and operator values from tags when no asset has them.
    """
    from cyberready.workspace._load import validate_inputs

    found = validate_inputs(paths, frameworks_dirs=frameworks_dirs)
    if found.problems:
        files = {p.file for p in found.problems}
        raise InputError(
            found.problems, f"{len(found.problems)} problem(s) in {len(files)} file(s)"
        )
    secho(f"valid: {', '.join(str(p) for p in paths)}", fg="green")
    for ws, diag in zip(found.workspaces, found.diagnostics, strict=True):
        echo(_workspace_summary(ws, diag))
    print_warnings(found.warnings)
    for diag in found.diagnostics:
        if diag.not_relevant:
            echo(
                f"not relevant to {diag.emb} (no asset of the types they start from): "
                + ", ".join(d.scenario_id for d in diag.not_relevant)
            )
        if diag.note:
            echo(f"note: {diag.note}")
    if strict and found.warnings:
        secho(f"--strict: {len(found.warnings)} warning(s) count as problems", fg="red", err=True)
        sys.exit(EXIT_INPUT)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _answered(ws: Any) -> tuple[int, int]:
    """``(answered, total)`` of the EMB's own controls (``subject: emb``) in its frameworks."""
    own = {c.id for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "emb"}
    answers = ws.assessment.answers if ws.assessment else {}
    return len(own & set(answers)), len(own)


def _workspace_summary(ws: Any, diag: Any) -> str:
    """One line on what a valid workspace holds and how its scenarios apply."""
    r = ws.resolved
    items = int(r.counts.sum())
    assets = f"{r.n_assets:,} assets" + (f" ({items:,} items)" if items != r.n_assets else "")
    answered, n_controls = _answered(ws)
    answers = (
        f"{answered} of {n_controls} EMB controls answered"
        if ws.assessment
        else "no assessment yet"
    )
    status = [d.status for d in diag.scenarios]
    parts = [
        f"{status.count('applies')} apply",
        f"{status.count('partial')} in part" if "partial" in status else "",
        f"{status.count('cannot_apply')} can affect nothing" if "cannot_apply" in status else "",
        f"{status.count('not_relevant')} not relevant" if "not_relevant" in status else "",
    ]
    functions = _plural(len(r.functions), "election function")
    scenarios = _plural(len(status), "scenario")
    return (
        f"{ws.emb.id}: {assets}, {r.n_links:,} links, {functions}; {answers}; "
        f"{scenarios} in scope ({', '.join(p for p in parts if p)})"
    )


# --------------------------------------------------------------------------- schema


@main.command(epilog="\b\nExample:\n  cyberready schema --out schemas/")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <kind>.schema.json into.",
)
@force_option()
@handle_errors
def schema(out: Path, force: bool) -> None:
    """Write a JSON Schema per file kind, so editors validate YAML as you type."""
    from cyberready.io import atomic_write_text
    from cyberready.models import KIND_MODELS

    check_output(out, folder=True)
    for kind in KIND_MODELS:
        check_output(out / f"{kind}.schema.json", force=force)
    for kind, model in KIND_MODELS.items():
        doc = model.model_json_schema(by_alias=True)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"https://cyberready.invalid/schema/v1/{kind}.schema.json"
        atomic_write_text(out / f"{kind}.schema.json", json.dumps(doc, indent=2) + "\n")
        echo(f"wrote {out / f'{kind}.schema.json'}")


# --------------------------------------------------------------------------- frameworks


@main.group(
    epilog="\b\nExamples:\n  cyberready frameworks list\n  cyberready frameworks show usaid-ecbs"
)
def frameworks() -> None:
    """List and show the frameworks (shipped and your own)."""


_FRAMEWORK_DIRS = click.option(
    "--frameworks-dir",
    "frameworks_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra folder of framework/catalog files (repeatable).",
)


@frameworks.command(
    "list", epilog="\b\nExample:\n  cyberready frameworks list --frameworks-dir my-frameworks/"
)
@_FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def frameworks_list(frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Table of frameworks and catalogs: id, title, provenance, domains and controls."""
    from cyberready.workspace._load import load_library

    lib = load_library(frameworks_dirs)
    rows = [
        {
            "id": fw.id,
            "kind": "framework",
            "title": fw.title,
            "version": fw.version,
            "provenance": fw.provenance,
            "domains": len(fw.domains),
            "controls": len(fw.controls),
            "file": lib.doc("framework", fw.id).file,
        }
        for fw in sorted(lib.frameworks.values(), key=lambda f: f.id)
    ] + [
        {
            "id": cat.id,
            "kind": "catalog",
            "title": cat.title,
            "version": cat.version,
            "provenance": "",
            "domains": None,
            "controls": len(cat.items),
            "file": lib.doc("catalog", cat.id).file,
        }
        for cat in sorted(lib.catalogs.values(), key=lambda c: c.id)
    ]
    if as_json:
        emit_json(rows)
        return
    echo(
        render_table(
            ["id", "kind", "title", "provenance", "domains", "controls/items"],
            [
                [r["id"], r["kind"], r["title"], r["provenance"], r["domains"], r["controls"]]
                for r in rows
            ],
        )
    )


@frameworks.command(
    "show", epilog="\b\nExample:\n  cyberready frameworks show ifes-tech-guidelines --json"
)
@click.argument("framework_id")
@_FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the framework as JSON.")
@handle_errors
def frameworks_show(framework_id: str, frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Domains and controls of one framework."""
    from cyberready.errors import Problem, did_you_mean
    from cyberready.workspace._load import load_library

    lib = load_library(frameworks_dirs)
    fw = lib.frameworks.get(framework_id)
    if fw is None:
        raise InputError(
            [
                Problem(
                    file="<command line>",
                    field="FRAMEWORK_ID",
                    value=framework_id,
                    message=f"unknown framework {framework_id!r}",
                    hint=did_you_mean(framework_id, lib.frameworks),
                )
            ]
        )
    if as_json:
        emit_json(fw.model_dump(mode="json", by_alias=True))
        return
    secho(f"{fw.title} ({fw.id} {fw.version})", bold=True)
    echo(f"publisher: {fw.publisher}   provenance: {fw.provenance}")
    if fw.source:
        echo(f"source: {fw.source.citation}" + (f" <{fw.source.url}>" if fw.source.url else ""))
    for dom in fw.domains:
        echo()
        secho(f"{dom.id}  {dom.title}", bold=True)
        controls = [c for c in fw.controls if c.domain == dom.id]
        echo(
            render_table(
                ["control", "title", "subject", "weight", "effects"],
                [
                    [
                        c.id,
                        c.title,
                        fw.subject_of(c),
                        c.weight,
                        ", ".join(sorted(c.effects.techniques))
                        + (" +verifies" if c.effects.verifies is not None else "")
                        + (" +recovers" if c.effects.recovers else "")
                        + (" +reassures" if c.effects.reassures else ""),
                    ]
                    for c in controls
                ],
            )
        )


# --------------------------------------------------------------------------- readiness (issue 3)


def _score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _readiness_lines(result: Any) -> list[str]:
    """A few lines summarising a :class:`~cyberready.scoring.Readiness` (used by demo)."""
    o = result.overall
    lines = [
        f"readiness: {_score_text(o.score)}/100 overall ({o.tier or 'n/a'}), coverage "
        f"{numbers.chance(o.coverage or 0)}, confidence {o.confidence_band or 'n/a'}; "
        f"{len(o.unassessed)} unassessed control(s) counted as 0"
    ]
    lines += [
        f"  {f.framework}: {_score_text(f.score)} ({f.tier or 'n/a'})" for f in result.frameworks
    ]
    lines += [
        f"  platform {p.company} ({p.framework}): {_score_text(p.total.score)} "
        f"({p.total.tier or 'n/a'})"
        for p in result.platforms
    ]
    return lines


def _range_text(pair: tuple[float, float] | None) -> str:
    return "" if pair is None else f"{pair[0]:.0f}–{pair[1]:.0f}"


def _aggregate_rows(aggs: Sequence[Any]) -> list[list[object]]:
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


def _render_readiness(result: Any, *, controls: bool) -> None:
    o = result.overall
    secho(
        f"Readiness of {result.emb}" + (f" as of {result.as_of}" if result.as_of else ""),
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
    uneven = [c for c in result.controls if c.spread and c.spread[0] != c.spread[1]]
    hidden = [c for c in result.controls if c.spread and isinstance(c.level, int)]
    hidden = [c for c in hidden if c.spread[0] < c.level and c not in uneven]
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
                        c.spread[0],
                        c.spread[1],
                        "; ".join(f"{g.group}: {g.level} ({g.assets})" for g in c.groups),
                    ]
                    for c in [*uneven, *hidden]
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


@main.command(
    epilog="\b\nExamples:\n  cyberready assess examples/examplia\n"
    "  cyberready assess examples/examplia --json > readiness.json\n"
    "  cyberready assess my-emb --fail-under 60   # exit 4 below 60, for scheduled checks\n"
    "  cyberready assess my-emb --save run.json   # then: cyberready report my-emb --from run.json"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per control.")
@click.option("--controls", "show_controls", is_flag=True, help="Also list every control.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="SCORE",
    help="Exit with code 4 when the overall score is below SCORE (0–100).",
)
@click.option(
    "--save",
    "save_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="RUN",
    help="Also run the whole assessment (simulation and priorities) and save every "
    "audience's report view to RUN, for `cyberready report --from RUN` (sensitive: "
    "TLP:AMBER+STRICT).",
)
@trials_option("With --save: Monte Carlo trials per scenario.", minimum=2)
@seed_option("With --save: seed of the simulation.")
@screen_trials_option("With --save: trials per scenario when screening candidate actions.")
@budget_option("With --save: budget for the plan (default: budget_usd in emb.yaml).")
@locale_option("With --save: report language.")
@force_option("an existing --save file that cyberready did not write")
@handle_errors
def assess(
    workspace: Path,
    frameworks_dirs: tuple[Path, ...],
    as_json: bool,
    as_csv: bool,
    show_controls: bool,
    fail_under: float | None,
    save_to: Path | None,
    trials: int,
    seed: int,
    screen_trials: int | None,
    budget: float | None,
    locale: str,
    force: bool,
) -> None:
    """Readiness scores of an EMB workspace: overall, per framework, domain and control.

    Unassessed controls are listed and counted as 0; n/a controls are left out; levels that
    differ across assets are shown as a spread; the band reflects the evidence sources. With
    --save, the whole assessment is run once and saved, so any number of reports can be
    rendered from it (`cyberready report DIR --from RUN`).
    """
    import cyberready
    from cyberready.errors import ThresholdError

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    if save_to is not None and frameworks_dirs:
        raise click.UsageError("--save runs the workspace as reports do: without --frameworks-dir")
    if save_to is not None:
        check_output(save_to, force=force)
    ws = cyberready.load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    if save_to is not None:
        from cyberready.report.i18n import check_locale
        from cyberready.report.runfile import save_run

        locale = check_locale(locale)
        warn_few_trials(trials)
        full = _assess_shown(
            ws, trials=trials, seed=seed, screen_trials=screen_trials, budget_usd=budget
        )
        options = {"trials": trials, "seed": seed, "screen_trials": screen_trials}
        save_run(save_to, full, options={**options, "budget": budget}, locale=locale)
        echo(f"saved the run to {save_to} (TLP:AMBER+STRICT: it names systems)", err=True)
    result = cyberready.score(ws)
    if as_json:
        emit_json(result.to_dict())
    elif as_csv:
        from cyberready.io import frame_csv

        echo(frame_csv(result.to_frame()), nl=False)
    else:
        _render_readiness(result, controls=show_controls)
    overall = result.overall.score
    if fail_under is not None and (overall is None or overall < fail_under):
        raise ThresholdError(
            f"overall readiness {_score_text(overall)} is below --fail-under {fail_under:g}"
        )


def _level_text(level: object) -> str:
    return "unassessed" if level is None else str(level)


@main.command(
    epilog="\b\nExamples:\n  cyberready diff examples/examplia           # against its latest "
    "history entry\n  cyberready diff old/assessment.yaml new/assessment.yaml\n"
    "  cyberready diff history/assessment-2025-10-15.yaml my-emb --json"
)
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path))
@_FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@handle_errors
def diff(old: Path, new: Path | None, frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """What changed between two assessments: controls up and down, newly unassessed
    controls, and score deltas per domain, framework and overall.

    OLD and NEW are assessment files or workspace folders. With one workspace only, its
    assessment.yaml is compared with its latest history/ entry.
    """
    from cyberready.interop.diff import diff_paths

    d = diff_paths(old, new, frameworks_dirs=frameworks_dirs)
    if as_json:
        emit_json(d.to_dict())
        return
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


@main.group(
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
    "  cyberready questionnaire export --emb my-emb --company chirper --out chirper.xlsx",
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
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .xlsx (a workbook) or .csv (not with --company).",
)
@_FRAMEWORK_DIRS
@force_option("an existing file that cyberready did not write (a CSV, or a filled-in workbook)")
@handle_errors
def questionnaire_export(
    framework_ids: tuple[str, ...],
    emb_dir: Path | None,
    company: str,
    out: Path,
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
    from cyberready.interop.questionnaire import write_questionnaire

    check_output(out, force=force)
    path = write_questionnaire(
        out, framework_ids, workspace=emb_dir, frameworks_dirs=frameworks_dirs, company=company
    )
    echo(f"wrote {path}")


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
@_FRAMEWORK_DIRS
@handle_errors
def questionnaire_import(
    files: tuple[Path, ...],
    workspace: Path,
    as_of: Any,
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
    from cyberready.interop.questionnaire import import_questionnaire

    result = import_questionnaire(
        files,
        workspace,
        as_of=as_of.date() if as_of is not None else None,
        assessor=assessor,
        frameworks_dirs=frameworks_dirs,
    )
    counts = (
        f"{', '.join(result.frameworks)}: {result.answered} answered "
        f"({result.not_applicable} n/a), {result.unassessed} unassessed"
    )
    if result.company:
        counts = f"{result.company}: {counts}"
    if result.written is None:
        echo(f"nothing changed ({counts}); nothing written, no history entry")
        return
    secho(f"imported {counts} -> {result.written}", fg="green")
    if result.archived is not None:
        kind = "scorecard" if result.company else "assessment"
        echo(f"previous {kind} kept as {result.archived}")
    elif result.change == "completed":
        echo(
            f"completed the assessment of {result.assessment.as_of}: no history entry (only "
            "frameworks not yet assessed at that date were answered)"
        )


# --------------------------------------------------------------------------- simulation (issue 4)


_pct = numbers.chance
_interval = numbers.chance_range


def _render_simulation(
    result: Any,
    titles: dict[str, str],
    diag: Any = None,
    *,
    limit: int = 15,
    system: Any = None,
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
                    _pct(r.p_any_failure),
                    _pct(r.mean_trust),
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
                [result.function_ids[f], titles.get(result.function_ids[f], ""), _pct(cycle[f])]
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
                [fid, sid, _pct(p), _interval(lo, hi), numbers.points(loss)]
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
    result: Any, runs: list[Any], system: Any, accidental: frozenset[str]
) -> None:
    """The ten assets most often lost this cycle: compromised by an attacker, or failed without
    one (scenarios whose actor is ``accidental``); generated assets by group (docs/system-model.md),
    with the median and the range over the group."""
    import numpy as np

    comp, fail = result.cycle_compromise_split(accidental)
    units: list[tuple[str, Any]] = []
    grouped = np.zeros(len(result.asset_ids), dtype=bool)
    if system is not None:
        for g in system.replica_groups:
            if len(g.members) > 1:
                units.append((f"{g.key} ({len(g.members):,})", g.members))
                grouped[g.members] = True
    units += [(result.asset_ids[a], np.array([a])) for a in np.flatnonzero(~grouped)]

    def cell(p: Any) -> str:
        if len(p) == 1:
            return _pct(p[0])
        return f"{_pct(float(np.median(p)))} ({_pct(p.min())}–{_pct(p.max())})"

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
                f"{_pct(float(worst.p_compromise[m].max()))} {how}",
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


def _render_not_applied(diag: Any) -> None:
    """Below the scenarios table: why some scenarios show 0% (not relevant, could not
    apply)."""
    if diag.not_relevant:
        echo(
            "  0% by construction, not relevant here (no asset of the types they start from): "
            + ", ".join(d.scenario_id for d in diag.not_relevant)
        )
    for d in diag.cannot_apply:
        echo(f"  0% by construction, {d.scenario_id} could not apply: {d.reason}")


@main.command(
    epilog="\b\nExamples:\n  cyberready simulate examples/examplia\n"
    "  cyberready simulate examples/examplia --scenario ransomware-shared-it --trials 50000\n"
    "  cyberready simulate my-emb --seed 7 --json > simulation.json"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--scenario",
    "scenario_ids",
    multiple=True,
    metavar="ID",
    help="Scenario to run (repeatable); default: those in scope in emb.yaml.",
)
@trials_option("Monte Carlo trials per scenario.", minimum=1)
@seed_option("Seed: the same seed gives the same numbers.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@handle_errors
def simulate(
    workspace: Path, scenario_ids: tuple[str, ...], trials: int, seed: int, as_json: bool
) -> None:
    """Run threat scenarios over an EMB's systems (Monte Carlo) and show what fails.

    Per function: the chance it fails this electoral cycle and, per scenario, given the
    attack is attempted (with 95% intervals); per scenario, its effective likelihood (from the
    threat context in emb.yaml, if any) beside the generic one, the public trust it costs and
    its expected loss (weight points: likelihood x (weights of the failed functions + the
    public-confidence weight x the trust lost)); the assets most often lost, compromised by an
    attacker or failed in a scenario without one (generated assets by group). Scenarios
    at 0% because they are not relevant here or cannot affect anything in the model say so
    below the scenario table (--json: each scenario's status and a diagnostics section). A
    progress bar is shown when the output is a terminal.
    """
    import cyberready
    from cyberready.engine import simulate as run_simulation

    ws = cyberready.load_workspace(workspace)
    n_scenarios = len(set(scenario_ids)) if scenario_ids else len(ws.scenarios)
    show_bar = sys.stdout.isatty() and not as_json
    bar = (
        click.progressbar(length=n_scenarios * trials, label="simulating", file=sys.stderr)
        if show_bar
        else None
    )
    if bar is not None:
        with bar:
            result = run_simulation(
                ws, scenario_ids or None, trials=trials, seed=seed, progress=bar.update
            )
    else:
        result = run_simulation(ws, scenario_ids or None, trials=trials, seed=seed)
    from cyberready.workspace._diagnostics import diagnose

    diag = diagnose(ws, [ws.library.scenarios[s] for s in result.scenarios])
    if as_json:
        data = result.to_dict()
        for entry in data["scenarios"]:
            found = diag.of(entry["scenario"])
            entry["status"] = found.status if found is not None else "applies"
        data["diagnostics"] = diag.to_dict()
        emit_json(data)
        return
    _render_simulation(
        result,
        {fn.id: fn.title for fn in ws.resolved.functions},
        diag,
        system=ws.resolved,
        accidental=frozenset(s.id for s in ws.scenarios if s.actor == "accidental"),
    )


def _demo_top_risks(ws: Any, trials: int = 2000) -> list[str]:
    """The demo's "top risks" lines: the three functions with the highest expected loss."""
    from cyberready.engine import simulate as run_simulation

    result = run_simulation(ws, trials=trials, seed=0)
    titles = {fn.id: fn.title for fn in ws.resolved.functions}
    lines = [
        f"expected loss {numbers.points(result.expected_loss)} weight points per cycle, "
        f"{numbers.points(result.trust_loss)} of it from public trust",
        f"top risks ({len(result.scenarios)} scenarios × {trials:,} trials):",
    ]
    for fid, p, sid in result.top_risks(3):
        lines.append(
            f"  {titles.get(fid, fid)} ({fid}): {_pct(p)} chance of failing this cycle; "
            f"mostly {sid}"
        )
    if len(lines) == 2:
        lines.append("  no function failed in any trial")
    return lines


# --------------------------------------------------------------------------- priorities (issue 6)


_usd_text = numbers.money


def _cost_text(cost: Any) -> str:
    return numbers.money_range(cost.low, cost.high)


def _ratio_text(value: float) -> str:
    """Benefit per $1,000 of cost, in weight points."""
    return "free" if value == float("inf") else numbers.points(value)


def _assess_shown(ws: Any, **options: Any) -> Any:
    """``cyberready.assess(ws, **options)`` with its stages shown on stderr."""
    import cyberready

    progress = _StageProgress()
    try:
        return cyberready.assess(ws, progress=progress, **options)
    finally:
        progress.close()


class _StageProgress:
    """``stage done/total`` on one line of stderr when it is a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.active:
            click.echo(f"\r\033[K{clean_text(stage)} {done}/{total}", err=True, nl=False)
            self.shown = True

    def close(self) -> None:
        """End the progress line."""
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


def _share_text(value: float, total: float) -> str:
    """``value`` as a percentage of ``total``, written like every chance and share."""
    return numbers.chance(value / total if total > 0 else 0.0)


def _render_priorities(p: Any, ws: Any, top: int, explain: int) -> None:
    """Text view of Priorities: ranking, explanations, plan, roadmap, readiness-only."""
    secho(f"Priorities for {ws.emb.name} ({p.emb}), plan start {p.start}", bold=True)
    share = f" ({100 * p.baseline_se / p.baseline:.1f}% SE)" if p.baseline > 0 else ""
    echo(
        f"expected loss today {numbers.points(p.baseline)} weight points{share}, of which "
        f"public trust {numbers.points(p.baseline_trust)}, over {len(p.scenarios)} "
        f"scenario(s), {p.trials:,} trials each, seed {p.seed}; {p.candidates} candidate actions"
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
                    _cost_text(r.action.cost),
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
            f"{len(plan.steps)} action(s), cost {_cost_text(plan.cost)}, {gain}",
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
                        _cost_text(s.added_cost),
                        _cost_text(s.cumulative_cost),
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
                        _cost_text(r.action.cost),
                        r.reason,
                    ]
                    for r in p.readiness[:top]
                ],
            )
        )


@main.command(
    epilog="\b\nExamples:\n  cyberready prioritize examples/examplia\n"
    "  cyberready prioritize examples/examplia --budget 150000 --top 5\n"
    "  cyberready prioritize my-emb --json > priorities.json\n"
    "  cyberready prioritize my-emb --csv --table plan > plan.csv"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_FRAMEWORK_DIRS
@budget_option("Budget for the plan (default: budget_usd in emb.yaml; no plan without one).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Actions to list; these are re-simulated with --trials.",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Plan start date, YYYY-MM-DD (default: the assessment's as_of).",
)
@trials_option("Trials per scenario for the top actions and the plan.", minimum=2)
@screen_trials_option("Trials per scenario to screen every candidate.")
@seed_option("Seed: the same seed gives the same numbers.")
@click.option(
    "--cost-basis",
    type=click.Choice(["low", "mid", "high"]),
    default="mid",
    show_default=True,
    help="Which end of the cost ranges must fit the budget (high: fits even at worst).",
)
@click.option(
    "--explain",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Explain the first N actions in words.",
)
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one table as CSV (see --table).")
@click.option(
    "--table",
    type=click.Choice(["ranking", "plan", "roadmap", "readiness"]),
    default="ranking",
    show_default=True,
    help="The table --csv prints.",
)
@handle_errors
def prioritize(
    workspace: Path,
    frameworks_dirs: tuple[Path, ...],
    budget: float | None,
    top: int,
    start: Any,
    trials: int,
    screen_trials: int | None,
    seed: int,
    cost_basis: str,
    explain: int,
    as_json: bool,
    as_csv: bool,
    table: str,
) -> None:
    """Rank risk-reduction actions by simulated benefit per cost, plan them within a budget and
    place them against the electoral calendar.

    Every candidate (raise a control to its target, everywhere or on an override's assets) is
    screened with --screen-trials; the best --top are re-simulated with --trials on the same
    random numbers. Benefit = drop in expected loss (weight points, public trust included),
    with a 95% interval. The plan's benefit is split into this cycle (what each action
    protects in the election phases that start after it is ready, counted from --start) and
    the next cycle (the rest).
    """

    import cyberready
    from cyberready.prioritize import plan_start
    from cyberready.prioritize import prioritize as run_prioritize

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    ws = cyberready.load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    warn_few_trials(trials)
    progress = _StageProgress()
    try:
        result = run_prioritize(
            ws,
            budget_usd=budget,
            start=start.date() if start else plan_start(ws),
            trials=trials,
            screen_trials=screen_trials,
            leaders=top,
            seed=seed,
            cost_basis=cost_basis,  # type: ignore[arg-type]
            progress=progress,
        )
    finally:
        progress.close()
    if as_json:
        emit_json(result.to_dict())
    elif as_csv:
        frame = result.to_frame(table)  # type: ignore[arg-type]
        if table == "ranking":
            frame = frame.head(top)
        from cyberready.io import frame_csv

        echo(frame_csv(frame), nl=False)
    else:
        _render_priorities(result, ws, top, explain)


def _demo_top_actions(ws: Any, trials: int = 2000) -> list[str]:
    """The demo's "top actions" lines: the three best actions by benefit per cost."""
    from cyberready.prioritize import prioritize as run_prioritize

    p = run_prioritize(ws, trials=trials, screen_trials=500, leaders=3, plan=False)
    lines = [f"top actions (benefit per cost; {trials:,} trials per scenario):"]
    for r in p.top(3):
        lines.append(
            f"  {r.rank}. {r.action.id} {r.action.title}: expected loss "
            f"-{numbers.points(r.benefit.value)} "
            f"for {_cost_text(r.action.cost)}, {numbers.weeks(r.action.weeks)}"
            + (" (quick win)" if r.quick_win else "")
        )
    if len(lines) == 1:
        lines.append("  no action changes any simulated outcome")
    return lines


# --------------------------------------------------------------------------- reports (issue 7)


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


def _given(ctx: click.Context, *names: str) -> dict[str, Any]:
    """The options among ``names`` that the user gave on the command line, with their values."""
    return {
        n: ctx.params[n]
        for n in names
        if ctx.get_parameter_source(n) is click.core.ParameterSource.COMMANDLINE
    }


@main.command(
    epilog="\b\nExamples:\n  cyberready report examples/examplia --audience donor --format pdf\n"
    "  cyberready report my-emb --audience technical --format html --out it-team.html\n"
    "  cyberready report my-emb --audience all --format html,pdf --out reports/\n"
    "  cyberready assess my-emb --save run.json && "
    "cyberready report my-emb --from run.json --audience all --format all --out reports/\n"
    "  cyberready report my-emb --format md --templates my-templates/ --trials 2000\n"
    "  cyberready report my-emb --audience donor --format json-schema --out donor.schema.json"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--audience",
    "audiences",
    type=_CommaChoice(["technical", "advisor", "donor"], ["technical", "advisor", "donor"]),
    default="technical",
    show_default=True,
    help="technical (IT staff, TLP:AMBER+STRICT), advisor (plus roadmap and crosswalks, "
    "TLP:AMBER+STRICT) or donor (no system detail, TLP:GREEN); several separated by commas, "
    "or all.",
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
    help="File to write (default: <emb>-<audience>.<format> in the current folder); with "
    "several audiences or formats, the folder to write them into.",
)
@click.option(
    "--from",
    "run_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A run saved by `cyberready assess DIR --save RUN`: render from it instead of "
    "running the assessment again (refused if the workspace, the version or an option given "
    "here changed since).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates that replace the shipped ones, file by file "
    "(technical.html.j2, style.css, …). They run in a sandbox (no Python internals), and a "
    "donor report is refused if its text would reveal a sensitive term.",
)
@trials_option("Monte Carlo trials per scenario.", minimum=2)
@seed_option("Seed: the same seed gives the same report.")
@screen_trials_option("Trials per scenario when screening candidate actions.")
@budget_option("Budget for the plan (default: budget_usd in emb.yaml).")
@locale_option(
    "Report language: a shipped one (en), optionally with a region (en_GB); any other is "
    "refused before the assessment runs."
)
@force_option()
@click.pass_context
@handle_errors
def report(
    ctx: click.Context,
    workspace: Path,
    audiences: tuple[str, ...],
    fmts: tuple[str, ...],
    out: Path | None,
    run_file: Path | None,
    templates_dir: Path | None,
    trials: int,
    seed: int,
    screen_trials: int | None,
    budget: float | None,
    locale: str,
    force: bool,
) -> None:
    """Write reports for one or more audiences as HTML, PDF, Markdown, JSON or XLSX.

    Runs the whole assessment (readiness, threat simulation, priorities) once and renders
    every audience and format asked for from it; with --from, renders from a saved run
    instead. Technical and advisor reports name systems and attack paths and are marked
    TLP:AMBER+STRICT; the donor report is built from a separate view without them and is
    marked TLP:GREEN. PDF needs the 'pdf' extra: pip install 'cyberready[pdf]'.
    """
    import cyberready
    from cyberready.io import atomic_write_bytes
    from cyberready.report import build_view, default_filename, render, view_schema
    from cyberready.report.i18n import check_locale
    from cyberready.report.runfile import load_run
    from cyberready.report.views import redactor

    locale = check_locale(locale)
    ws = cyberready.load_workspace(workspace)
    pairs = [(a, f) for a in audiences for f in fmts]
    several = len(pairs) > 1
    if several and out is not None and out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} is a file; several reports need a folder")
    if several:
        check_output(out or Path(), folder=True)

    def target(audience: str, fmt: str) -> Path:
        name = default_filename(ws.emb.id, audience, fmt.replace("json-schema", "schema.json"))
        if several:
            return (out or Path()) / name
        return out or Path(name)

    for audience, fmt in pairs:
        check_output(target(audience, fmt), force=force)
    if several and out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for audience in audiences:
        if "json-schema" in fmts:
            path = target(audience, "json-schema")
            schema = view_schema(audience)  # type: ignore[arg-type]
            atomic_write_bytes(path, (json.dumps(schema, indent=2) + "\n").encode())
            echo(f"wrote {path}")
    pairs = [(a, f) for a, f in pairs if f != "json-schema"]
    if not pairs:
        return
    if run_file is not None:
        asked = _given(ctx, "trials", "seed", "screen_trials", "budget")
        if ctx.get_parameter_source("locale") is click.core.ParameterSource.COMMANDLINE:
            asked["locale"] = locale
        views = load_run(run_file, workspace, options=asked)
        echo(f"from {run_file} (saved run, its inputs unchanged)")
    else:
        warn_few_trials(trials)
        result = _assess_shown(
            ws, trials=trials, seed=seed, screen_trials=screen_trials, budget_usd=budget
        )
        views = {a: build_view(result, a, locale=locale) for a in audiences}  # type: ignore[arg-type,misc]
    guard = redactor(ws, locale) if "donor" in audiences else None
    for audience, fmt in pairs:
        data = render(
            views[audience],  # type: ignore[index]
            fmt,  # type: ignore[arg-type]
            templates_dir=templates_dir,
            guard=guard if audience == "donor" else None,
        )
        path = target(audience, fmt)
        atomic_write_bytes(path, data)
        echo(f"wrote {path} ({audience}, {fmt}, {len(data):,} bytes)")


def _demo_reports(ws: Any, out: Path, trials: int) -> list[str]:
    """Write every audience's report as HTML and PDF into ``out``; the lines to print."""
    from cyberready.errors import OptionalDependencyError
    from cyberready.io import atomic_write_bytes
    from cyberready.report import AUDIENCES, build_view, default_filename, render
    from cyberready.report.views import redactor

    result = _assess_shown(ws, trials=trials, seed=0)
    lines = [f"reports in {out}:"]
    missing_pdf = ""
    guard = redactor(ws)
    for audience in AUDIENCES:
        view = build_view(result, audience)
        for fmt in ("html", "pdf"):
            if fmt == "pdf" and missing_pdf:
                continue
            try:
                data = render(view, fmt, guard=guard if audience == "donor" else None)
            except OptionalDependencyError as err:
                missing_pdf = str(err)
                continue
            path = out / default_filename(ws.emb.id, audience, fmt)
            atomic_write_bytes(path, data)
            lines.append(f"  {audience:<9} {fmt:<4} {path}")
    if missing_pdf:
        lines.append(f"  no PDF: {missing_pdf}")
    return lines


# --------------------------------------------------------------------------- portfolio (issue 8)
# portfolio and examples go here.


@main.command(
    epilog="\b\nExamples:\n"
    "  cyberready examples portfolio --n 40 --seed 2026 --out sample/\n"
    "  cyberready portfolio sample/ --out summary.html\n"
    "  cyberready portfolio sample/ --out summary.xlsx --anonymize --trials 2000\n"
    "  cyberready portfolio sample/ --out summary.pdf --executor dask --scheduler tcp://h:8786"
)
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json"]),
    default=None,
    help="Report format [default: from --out's suffix, else html].",
)
@click.option(
    "--anonymize",
    is_flag=True,
    help="Show EMBs as EMB-01, EMB-02, … only: budgets as bands, dates as quarters, election "
    "functions as generic labels.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask", "serial"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: a Dask cluster (the dask extra).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address, e.g. tcp://host:8786 [default: a local Dask cluster].",
)
@click.option(
    "--workers", type=click.IntRange(1), default=None, help="Local processes [default: CPUs]."
)
@trials_option("Trials per scenario.", minimum=2)
@screen_trials_option("Trials of the priorities' screening pass (a portfolio runs no other).")
@seed_option("Seed: the same seed gives the same numbers.")
@force_option()
@handle_errors
def portfolio(
    source: Path,
    out: Path,
    fmt: str | None,
    anonymize: bool,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    trials: int,
    screen_trials: int | None,
    seed: int,
    force: bool,
) -> None:
    """Assess every EMB workspace in SOURCE and write a donor summary across them.

    SOURCE is a folder with one sub-folder per EMB. The summary (TLP:GREEN) is built from
    each EMB's donor view only: readiness by EMB and domain, tiers, trends, risk to election
    functions and the cost of the combined priority plans (screening pass). Breakdowns over
    fewer than 3 EMBs are suppressed. Every executor gives the same numbers for a seed.
    """
    from cyberready.io import atomic_write_bytes
    from cyberready.portfolio import assess_portfolio
    from cyberready.report.portfolio_report import render_portfolio

    if scheduler is not None and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    check_output(out, force=force)
    kind = fmt or {".pdf": "pdf", ".xlsx": "xlsx", ".json": "json"}.get(out.suffix.lower(), "html")
    warn_few_trials(trials)
    with _Progress(None, "assessing EMBs") as bar:
        result = assess_portfolio(
            source,
            trials=trials,
            seed=seed,
            screen_trials=screen_trials,
            executor=executor,  # type: ignore[arg-type]
            scheduler=scheduler,
            workers=workers,
            progress=lambda _stage, done, total: bar.to(done, total),
        )
    shown = result.anonymize() if anonymize else result
    atomic_write_bytes(out, render_portfolio(shown, kind))  # type: ignore[arg-type]
    embs = shown.to_frame("embs")
    echo(
        render_table(
            ["EMB", "region", "readiness", "tier", "expected loss"],
            [
                [
                    r["emb"],
                    r["region"],
                    round(r["score"], 1),
                    r["tier"],
                    round(r["expected_loss"], 3),
                ]
                for r in embs.to_dict(orient="records")
            ],
        )
    )
    weak = shown.weak_everywhere()
    if weak:
        echo(f"weak in every EMB: {', '.join(weak)}")
    rate = len(shown) / result.elapsed * 60 if result.elapsed > 0 else float("inf")
    echo(
        f"assessed {len(shown)} EMBs in {result.elapsed:.1f} s ({rate:.1f} EMBs per minute, "
        f"{executor} executor); wrote {out} ({kind}{', anonymised' if anonymize else ''})"
    )


@main.group(epilog="\b\nExample:\n  cyberready examples portfolio --n 40 --seed 2026 --out sample/")
def examples() -> None:
    """Generate sample data: fictional EMB workspaces to try cyberready at scale."""


@examples.command(
    "portfolio",
    epilog="\b\nExamples:\n  cyberready examples portfolio --n 40 --seed 2026 --out sample/\n"
    "  cyberready examples portfolio --n 5 --out small/ && cyberready validate small/*/",
)
@click.option(
    "--n", "n", type=click.IntRange(1, 1000), default=40, show_default=True, help="How many EMBs."
)
@seed_option("Seed: the same seed writes the same files.", default=2026)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="New or empty folder to write the workspaces into.",
)
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@handle_errors
def examples_portfolio(n: int, seed: int, out: Path, force: bool) -> None:
    """Write a sample portfolio of N fictional EMB workspaces, one folder each.

    Sizes, architectures, postures, regions and histories vary; most EMBs have 10^2-10^3
    assets, EMBs 12 and 28 about 10^4 and EMB 38 about 10^5 (from generate: CSVs). The first
    K EMBs of any sample are the K EMBs of a smaller sample with the same seed.
    """
    from cyberready.io import write_files
    from cyberready.portfolio.sample import sample_portfolio
    from cyberready.workspace._load import shipped_library

    check_output(out, folder=True)
    with _Progress(n, "generating EMBs") as bar:
        files = sample_portfolio(n, seed, library=shipped_library(), progress=lambda _s: bar.step())
    count = write_files(out, files, overwrite=force)
    echo(f"wrote {n} EMB workspaces ({count} files) to {out} (seed {seed})")


class _Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, tests).
    With no total up front, the bar starts at the first :meth:`to` call."""

    def __init__(self, total: int | None, label: str) -> None:
        self._label = label
        self._done = 0
        self._bar: Any = None
        if total is not None:
            self._start(total)

    def _start(self, total: int) -> None:
        if sys.stderr.isatty():
            self._bar = click.progressbar(length=total, label=self._label, file=sys.stderr)
            self._bar.__enter__()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def step(self, n: int = 1) -> None:
        """Advance the bar by ``n``."""
        self._done += n
        if self._bar is not None:
            self._bar.update(n)

    def to(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total``."""
        if self._bar is None and self._done == 0:
            self._start(total)
        self.step(done - self._done)


# --------------------------------------------------------------------------- demo


@main.command(
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
    from cyberready.report import AUDIENCES, default_filename

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
    secho(f"{ws.emb.name} ({ws.emb.id})", bold=True)
    echo(f"workspace: {path}")
    if ws.emb.election:
        echo(f"election: {ws.emb.election.name} on {ws.emb.election.date}")
    r = ws.resolved
    answered, n_controls = _answered(ws)
    echo(
        f"system: {r.n_assets:,} assets, {r.n_links:,} links, {len(r.functions)} election functions"
    )
    echo(
        f"frameworks: {', '.join(f.id for f in ws.frameworks)} "
        f"({answered} of {n_controls} EMB controls answered)"
    )
    echo(f"platform scorecards: {', '.join(p.company for p in ws.platforms) or 'none'}")
    echo(f"threat scenarios in scope: {len(ws.scenarios)}")
    secho("valid: every file and reference checks out", fg="green")
    for line in _readiness_lines(cyberready.score(ws)):  # readiness (issue 3)
        echo(line)
    for line in _demo_top_risks(ws):  # simulation (issue 4)
        echo(line)
    for line in _demo_top_actions(ws):  # priorities (issue 6)
        echo(line)
    for line in _demo_reports(ws, out, trials=2000):  # reports (issue 7)
        echo(line)


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


if __name__ == "__main__":  # pragma: no cover
    main()

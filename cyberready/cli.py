"""The ``cyberready`` command line: a thin click shell over the library.

Each command parses options, calls one library function and renders its result. One handler
maps errors to the documented exit codes: 0 ok, 1 internal error, 2 usage (or a missing
optional extra), 3 invalid input, 4 below a ``--fail-under`` threshold.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from cyberready import __version__
from cyberready.errors import CyberReadyError, InputError

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
    click.secho(err.summary + ":", fg="red", err=True)
    for p in err.problems:
        where = click.style(p.where(), bold=True)
        field = f" {p.field}:" if p.field else ""
        hint = click.style(f" ({p.hint})", fg="yellow") if p.hint else ""
        click.echo(f"  {where}:{field} {p.message}{hint}", err=True)


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
            click.secho(f"error: {err}", fg="red", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as err:  # a bug: say so plainly, with a way to see more
            if _debug():
                raise
            click.secho(
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


def emit_json(data: object) -> None:
    """Print JSON (sorted keys, UTF-8) to stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# --------------------------------------------------------------------------- the group


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example:\n\n\b\n  cyberready demo\n  cyberready validate examples/examplia\n\n"
    "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 below --fail-under.",
)
@click.version_option(__version__, prog_name="cyberready")
def main() -> None:
    """Electoral cybersecurity readiness: score frameworks, simulate threats over an EMB's
    systems, rank what to fix first, and report to every audience."""


# --------------------------------------------------------------------------- validate


@main.command(
    epilog="\b\nExamples:\n  cyberready validate examples/examplia\n"
    "  cyberready validate my-framework.yaml scenarios/my-scenario.yaml"
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False, path_type=Path))
@handle_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Check files or whole EMB workspaces and list every problem (changes nothing).

    A folder with an emb.yaml is a workspace; any other path is checked by its kind.
    Exit 0 when valid, 3 when not.
    """
    from cyberready.loaders import validate_paths

    problems = validate_paths(paths)
    if problems:
        files = {p.file for p in problems}
        raise InputError(problems, f"{len(problems)} problem(s) in {len(files)} file(s)")
    click.secho(f"valid: {', '.join(str(p) for p in paths)}", fg="green")


# --------------------------------------------------------------------------- schema


@main.command(epilog="\b\nExample:\n  cyberready schema --out schemas/")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <kind>.schema.json into.",
)
@handle_errors
def schema(out: Path) -> None:
    """Write a JSON Schema per file kind, so editors validate YAML as you type."""
    from cyberready.io import atomic_write_text
    from cyberready.models import KIND_MODELS

    for kind, model in KIND_MODELS.items():
        doc = model.model_json_schema(by_alias=True)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = f"https://cyberready.invalid/schema/v1/{kind}.schema.json"
        atomic_write_text(out / f"{kind}.schema.json", json.dumps(doc, indent=2) + "\n")
        click.echo(f"wrote {out / f'{kind}.schema.json'}")


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
    from cyberready.loaders import load_library

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
    click.echo(
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
    from cyberready.loaders import load_library

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
    click.secho(f"{fw.title} ({fw.id} {fw.version})", bold=True)
    click.echo(f"publisher: {fw.publisher}   provenance: {fw.provenance}")
    if fw.source:
        click.echo(
            f"source: {fw.source.citation}" + (f" <{fw.source.url}>" if fw.source.url else "")
        )
    for dom in fw.domains:
        click.echo()
        click.secho(f"{dom.id}  {dom.title}", bold=True)
        controls = [c for c in fw.controls if c.domain == dom.id]
        click.echo(
            render_table(
                ["control", "title", "subject", "weight", "effects"],
                [
                    [
                        c.id,
                        c.title,
                        fw.subject_of(c),
                        c.weight,
                        ", ".join(sorted(c.effects.techniques))
                        + (" +recovers" if c.effects.recovers else "")
                        + (" +reassures" if c.effects.reassures else ""),
                    ]
                    for c in controls
                ],
            )
        )


# --------------------------------------------------------------------------- readiness (issue 3)
# assess, diff, questionnaire export|import go here.

# --------------------------------------------------------------------------- simulation (issue 4)
# simulate goes here.

# --------------------------------------------------------------------------- priorities (issue 6)
# prioritize goes here.

# --------------------------------------------------------------------------- reports (issue 7)
# report goes here.

# --------------------------------------------------------------------------- portfolio (issue 8)
# portfolio and examples go here.


@main.group(
    epilog="\b\nExample:\n  cyberready examples portfolio --n 40 --seed 2026 --out sample/"
)
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
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=2026,
    show_default=True,
    help="Seed: the same seed writes the same files.",
)
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
    from cyberready.loaders import shipped_library
    from cyberready.portfolio_sample import sample_portfolio

    with _Progress(n, "generating EMBs") as bar:
        files = sample_portfolio(n, seed, library=shipped_library(), progress=lambda _s: bar.step())
    count = write_files(out, files, overwrite=force)
    click.echo(f"wrote {n} EMB workspaces ({count} files) to {out} (seed {seed})")


class _Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, tests)."""

    def __init__(self, total: int, label: str) -> None:
        self._bar = (
            click.progressbar(length=total, label=label, file=sys.stderr)
            if sys.stderr.isatty()
            else None
        )

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def step(self, n: int = 1) -> None:
        """Advance the bar by ``n``."""
        if self._bar is not None:
            self._bar.update(n)


# --------------------------------------------------------------------------- demo


@main.command(epilog="\b\nExample:\n  cyberready demo")
@handle_errors
def demo() -> None:
    """Run cyberready on the bundled example EMB (the fictional Examplia) and summarise it."""
    import cyberready

    path = cyberready.example_path()
    ws = cyberready.load_workspace(path)
    click.secho(f"{ws.emb.name} ({ws.emb.id})", bold=True)
    click.echo(f"workspace: {path}")
    if ws.emb.election:
        click.echo(f"election: {ws.emb.election.name} on {ws.emb.election.date}")
    r = ws.resolved
    n_controls = sum(1 for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "emb")
    answered = len(ws.assessment.answers) if ws.assessment else 0
    click.echo(
        f"system: {r.n_assets} assets, {r.n_links} links, {len(r.functions)} election functions"
    )
    click.echo(
        f"frameworks: {', '.join(f.id for f in ws.frameworks)} "
        f"({answered} of {n_controls} EMB controls answered)"
    )
    click.echo(f"platform scorecards: {', '.join(p.company for p in ws.platforms) or 'none'}")
    click.echo(f"threat scenarios in scope: {len(ws.scenarios)}")
    click.secho("valid: every file and reference checks out", fg="green")


if __name__ == "__main__":  # pragma: no cover
    main()

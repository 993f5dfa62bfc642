"""Commands about input files: ``validate``, ``schema`` and ``frameworks list|show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cyberready.cli._group import EXIT_INPUT, handle_errors, print_warnings
from cyberready.cli._options import (
    FRAMEWORK_DIRS,
    force_option,
    frameworks_dirs_option,
    out_option,
)
from cyberready.cli._output import check_output, echo, emit_json, render_table, secho
from cyberready.errors import InputError

__all__ = ["frameworks", "schema", "validate"]


@click.command(
    epilog="\b\nExamples:\n  cyberready validate examples/examplia\n"
    "  cyberready validate my-emb --strict\n"
    "  cyberready validate my-framework.yaml scenarios/my-scenario.yaml\n"
    "  cyberready validate my-emb --frameworks-dir my-frameworks/"
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False, path_type=Path))
@frameworks_dirs_option("Extra folder of framework/catalog files the inputs may use (repeatable).")
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
    from cyberready.cli._lang import messages
    from cyberready.cli._render import workspace_summary
    from cyberready.report.i18n import default_locale
    from cyberready.workspace import validate_inputs

    found = validate_inputs(paths, frameworks_dirs=frameworks_dirs)
    if found.problems:
        files = {p.file for p in found.problems}
        raise InputError(
            found.problems, f"{len(found.problems)} problem(s) in {len(files)} file(s)"
        )
    # the summary of each workspace in its own language; the first one's for the "valid" line
    locales = [default_locale(ws.emb.languages) for ws in found.workspaces]
    valid = messages(locales[0] if locales else "en").gettext("valid: %(paths)s")
    secho(valid % {"paths": ", ".join(str(p) for p in paths)}, fg="green")
    for ws, diag, locale in zip(found.workspaces, found.diagnostics, locales, strict=True):
        echo(workspace_summary(ws, diag, locale))
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


@click.command(epilog="\b\nExample:\n  cyberready schema --out schemas/")
@out_option("Folder to write <kind>.schema.json into.", folder=True)
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


@click.group(
    epilog="\b\nExamples:\n  cyberready frameworks list\n  cyberready frameworks show usaid-ecbs"
)
def frameworks() -> None:
    """List and show the frameworks (shipped and your own)."""


@frameworks.command(
    "list", epilog="\b\nExample:\n  cyberready frameworks list --frameworks-dir my-frameworks/"
)
@FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def frameworks_list(frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Table of frameworks and catalogs: id, title, provenance, domains and controls."""
    from cyberready.workspace import load_library

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
@FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the framework as JSON.")
@handle_errors
def frameworks_show(framework_id: str, frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Domains and controls of one framework."""
    from cyberready.errors import Problem, did_you_mean
    from cyberready.workspace import load_library

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

"""``export oscal catalog``, ``export oscal assessment-results`` and ``import oscal-catalog``:
OSCAL 1.1 JSON out of and into cyberready (docs/oscal.md)."""

from __future__ import annotations

from pathlib import Path

import click

from cyberready.cli._group import handle_errors
from cyberready.cli._options import (
    FRAMEWORK_DIRS,
    budget_option,
    force_option,
    out_option,
    screen_trials_option,
    seed_option,
    trials_option,
    warn_few_trials,
)
from cyberready.cli._output import check_output, echo

__all__ = ["assessment_results", "catalog", "oscal_catalog"]


@click.command(
    epilog="\b\nExamples:\n"
    "  cyberready export oscal catalog --framework usaid-ecbs --out usaid-ecbs.oscal.json\n"
    "  cyberready export oscal catalog --framework my-fw --frameworks-dir my-frameworks/ "
    "--out my-fw.oscal.json"
)
@click.option("--framework", "framework_id", required=True, help="Id of the framework to export.")
@FRAMEWORK_DIRS
@out_option("OSCAL catalog JSON file to write.", folder=False)
@force_option()
@handle_errors
def catalog(framework_id: str, frameworks_dirs: tuple[Path, ...], out: Path, force: bool) -> None:
    """Write a framework as an OSCAL 1.1 catalog (JSON).

    Domains become groups; each control has parts for its objective (statement), guidance and
    rubric levels, props for its weight, phases, applies_to and provenance, and links to the
    catalogs it references (e.g. NIST CSF 2.0). Effects and effort are not exported. The same
    framework always gives the same bytes.
    """
    from cyberready.errors import InputError, Problem, did_you_mean
    from cyberready.interop.oscal import catalog_document, dumps
    from cyberready.io import atomic_write_text
    from cyberready.workspace import load_library

    lib = load_library(frameworks_dirs)
    framework = lib.frameworks.get(framework_id)
    if framework is None:
        raise InputError(
            [
                Problem(
                    file="--framework",
                    message=f"no framework {framework_id!r}",
                    value=framework_id,
                    hint=did_you_mean(framework_id, lib.frameworks),
                )
            ]
        )
    check_output(out, force=force)
    atomic_write_text(out, dumps(catalog_document(framework, lib.catalogs)))
    echo(f"wrote {out} ({len(framework.controls)} controls, {len(framework.domains)} groups)")


@click.command(
    "assessment-results",
    epilog="\b\nExamples:\n"
    "  cyberready export oscal assessment-results examples/examplia --out examplia.ar.json\n"
    "  cyberready export oscal assessment-results my-emb --trials 2000 --out my-emb.ar.json",
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@FRAMEWORK_DIRS
@out_option("OSCAL assessment-results JSON file to write.", folder=False)
@trials_option("Trials per scenario for the risks and the ranked actions.", minimum=2)
@screen_trials_option("Trials per scenario to screen every candidate action.")
@seed_option("Seed: the same seed gives the same file.")
@budget_option("Budget for the plan (default: budget_usd in emb.yaml).")
@force_option()
@handle_errors
def assessment_results(
    workspace: Path,
    frameworks_dirs: tuple[Path, ...],
    out: Path,
    trials: int,
    screen_trials: int | None,
    seed: int,
    budget: float | None,
    force: bool,
) -> None:
    """Write an EMB's assessment as OSCAL 1.1 assessment results (JSON), TLP:AMBER+STRICT.

    The answers become observations (level, evidence and its source) and findings (level
    against target), the readiness scores result props, the simulated scenarios risks and the
    ranked actions their remediations (planned when in the budget plan). The file holds the
    EMB's evidence: it carries the technical report's TLP marking in its metadata.
    """
    import cyberready
    from cyberready.cli._cmd_assess import assess_shown
    from cyberready.interop.oscal import assessment_results_document, dumps
    from cyberready.io import atomic_write_text

    check_output(out, force=force)
    ws = cyberready.load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    warn_few_trials(trials)
    from cyberready.cli._lang import cli_locale

    result = assess_shown(
        ws,
        trials=trials,
        seed=seed,
        screen_trials=screen_trials,
        budget_usd=budget,
        locale=cli_locale(None, ws.emb.languages),
    )
    atomic_write_text(out, dumps(assessment_results_document(result)))
    echo(f"wrote {out} (TLP:AMBER+STRICT: for the EMB and those it names only)")


@click.command(
    "oscal-catalog",
    epilog="\b\nExamples:\n"
    "  cyberready import oscal-catalog nist-800-53.json --out my-frameworks/nist-800-53.yaml\n"
    "  cyberready validate my-frameworks/nist-800-53.yaml",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Framework YAML file to write (its name gives the framework id unless --id).",
)
@click.option(
    "--id",
    "framework_id",
    default=None,
    help="Framework id (default: the exporting framework's id, else the --out file name).",
)
@force_option()
@handle_errors
def oscal_catalog(file: Path, out: Path, framework_id: str | None, force: bool) -> None:
    """Turn an OSCAL 1.1 catalog (JSON) into a cyberready framework file.

    Groups become domains and controls controls (nested ones flattened, tagged parent:<ID>);
    the statement becomes the objective, the guidance the guidance. What OSCAL lacks is left
    for you: every control is tagged todo:effects and todo:effort (and todo:weight,
    todo:applies_to when the catalog has none), and `cyberready validate` lists them until
    you fill them in and remove the tags. Nothing is written when the catalog has a problem.
    """
    import re

    from cyberready.interop.oscal import read_catalog
    from cyberready.io import atomic_write_text, dump_yaml
    from cyberready.models.vocab import ID_PATTERN

    check_output(out, force=force)
    stem = out.name.removesuffix(".yaml").removesuffix(".yml").lower()
    imported = read_catalog(
        file, framework_id=framework_id, default_id=stem if re.match(ID_PATTERN, stem) else None
    )
    data = imported.data
    atomic_write_text(out, imported.header + dump_yaml(data))
    for note in imported.notes:
        echo(f"note: {note}")
    echo(
        f"wrote {out}: framework {data['id']!r}, {len(data['controls'])} controls in "
        f"{len(data['domains'])} domains; fill in what the todo: tags name "
        f"(cyberready validate {out})"
    )

"""``init``: a new EMB workspace from a starter template, from flags or a few prompts.

On a terminal (:func:`stdin_is_terminal`) and without ``--no-input``, the command asks for
what the flags do not give; otherwise it takes defaults, so scripts and CI never wait. Every
value is checked before anything is written, and the folder appears complete or not at all
(:func:`cyberready.io.write_new_tree`).
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from cyberready.cli._group import handle_errors
from cyberready.cli._output import echo, secho

if TYPE_CHECKING:
    from cyberready.errors import Problem

__all__ = ["init", "stdin_is_terminal"]

T = TypeVar("T")

_ARCHETYPES = ("paper-ert", "evm", "biometric-register")
"""The choices of ``--archetype`` (the same as :data:`cyberready.workspace.ARCHETYPES`, kept
here so that ``--help`` does not load the workspace package; a test keeps them equal)."""

_DEFAULT_NAME = "My Election Management Body"
_DEFAULT_ID = "my-emb"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMMAND_LINE = "<command line>"


def stdin_is_terminal() -> bool:
    """Whether someone can answer prompts: standard input is a terminal."""
    return sys.stdin.isatty()


def _date(text: str) -> dt.date:
    """``YYYY-MM-DD`` as a date; ValueError otherwise."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the calendar") from None


def _framework_problems(ids: Sequence[str], known: Sequence[str]) -> list[Problem]:
    from cyberready.errors import Problem, did_you_mean

    return [
        Problem(
            file=_COMMAND_LINE,
            field="--framework",
            value=fid,
            message=f"unknown framework {fid!r}",
            hint=did_you_mean(fid, known),
        )
        for fid in ids
        if fid not in known
    ]


def _ask(text: str, default: str, check: Callable[[str], T]) -> T:
    """Prompt until ``check`` accepts the answer (its ValueError is shown, then asked again)."""

    def proc(value: str) -> T:
        try:
            return check(value)
        except ValueError as err:
            raise click.UsageError(str(err)) from None

    value: T = click.prompt(text, default=default, value_proc=proc)
    return value


def _name(text: str) -> str:
    if not text.strip():
        raise ValueError("the EMB needs a name")
    return text.strip()


@click.command(
    epilog="\b\nExamples:\n  cyberready init my-emb\n"
    '  cyberready init my-emb --name "Electoral Commission of Examplia" --country EX \\\n'
    "      --election-date 2027-10-17 --archetype evm --no-input\n"
    "  cyberready init ci-emb --archetype biometric-register --framework usaid-ecbs\n"
    "\n\bArchetypes (--archetype):\n"
    "  paper-ert           paper ballots counted at the station, results sent electronically\n"
    "  evm                 electronic voting machines with a voter-verified paper trail\n"
    "  biometric-register  central biometric register, verification kits at the stations"
)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", help=f"Full name of the EMB [default: {_DEFAULT_NAME}].")
@click.option(
    "--id",
    "emb_id",
    help="Short id of the EMB (lower case letters, digits, . _ -) [default: made from --name].",
)
@click.option("--country", help="Country, e.g. a code such as KE [default: left empty].")
@click.option(
    "--election-date",
    metavar="YYYY-MM-DD",
    help="Polling day [default: a year from today]; the phase windows are set around it.",
)
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    metavar="ID",
    help="A framework to assess against (repeatable; `cyberready frameworks list`) "
    "[default: usaid-ecbs and ifes-tech-guidelines].",
)
@click.option(
    "--archetype",
    type=click.Choice(_ARCHETYPES),
    help="The starter system to begin from (see below) [default: paper-ert].",
)
@click.option(
    "--no-input",
    is_flag=True,
    help="Never prompt, even on a terminal: take the defaults for what no flag gives.",
)
@handle_errors
def init(
    folder: Path,
    name: str | None,
    emb_id: str | None,
    country: str | None,
    election_date: str | None,
    frameworks: tuple[str, ...],
    archetype: str | None,
    no_input: bool,
) -> None:
    """Create a new EMB workspace in FOLDER (new, or empty): emb.yaml, a starter system.yaml
    of the chosen archetype and an assessment.yaml with no answers yet, valid at once and
    commented with what to fill in next.

    On a terminal it asks for the name, country, polling day, frameworks and archetype that
    the options do not give; without one (scripts, CI) or with --no-input it takes the
    defaults. A folder that is not empty is refused (exit 2) and nothing is written; an
    invalid value exits 3, naming the option.
    """
    from cyberready.errors import InputError, OutputPathError, Problem
    from cyberready.io import check_new_folder, enclosing_workspace, write_new_tree
    from cyberready.models.vocab import ID_PATTERN
    from cyberready.workspace import (
        ARCHETYPES,
        DEFAULT_FRAMEWORKS,
        Starter,
        emb_id_from_name,
        load_library,
        starter_files,
    )

    inside = enclosing_workspace(folder)
    if inside is not None:
        raise OutputPathError(
            f"{folder} is inside the EMB workspace {inside}: a workspace cannot hold another; "
            "choose a folder outside it"
        )
    check_new_folder(folder)
    known = sorted(load_library(()).frameworks)
    today = dt.date.today()
    default_date = today + dt.timedelta(days=365)
    problems: list[Problem] = []

    if stdin_is_terminal() and not no_input:
        secho(f"A new EMB workspace in {folder} (Enter keeps the default in brackets).", bold=True)
        if name is None:
            name = _ask("Name of the EMB", _DEFAULT_NAME, _name)
        if country is None:
            country = _ask("Country", "", str.strip)
        if election_date is None:
            election_date = _ask(
                "Polling day (YYYY-MM-DD)",
                default_date.isoformat(),
                lambda text: _date(text).isoformat(),
            )
        if not frameworks:

            def framework_ids(text: str) -> tuple[str, ...]:
                ids = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
                bad = _framework_problems(ids, known)
                if bad or not ids:
                    raise ValueError("; ".join(f"{p.message} ({p.hint})" for p in bad) or "none")
                return ids

            frameworks = _ask(
                f"Frameworks, separated by commas ({', '.join(known)})",
                ", ".join(DEFAULT_FRAMEWORKS),
                framework_ids,
            )
        if archetype is None:
            echo("Starter systems:")
            for key, title in ARCHETYPES.items():
                echo(f"  {key:<19} {title}")
            archetype = click.prompt(
                "Starter system", type=click.Choice(list(ARCHETYPES)), default="paper-ert"
            )

    if name is not None and not name.strip():
        problems.append(
            Problem(file=_COMMAND_LINE, field="--name", value=name, message="the name is empty")
        )
    if emb_id is None:
        emb_id = emb_id_from_name(name) if name and name.strip() else _DEFAULT_ID
    elif not re.fullmatch(ID_PATTERN, emb_id) or len(emb_id) > 200:
        problems.append(
            Problem(
                file=_COMMAND_LINE,
                field="--id",
                value=emb_id,
                message=f"{emb_id!r} is not an id",
                hint="lower case letters, digits and . _ -, starting with a letter or digit, "
                f"e.g. {emb_id_from_name(emb_id)!r}",
            )
        )
    polling_day = default_date
    if election_date is not None:
        try:
            polling_day = _date(election_date)
        except ValueError as err:
            problems.append(
                Problem(
                    file=_COMMAND_LINE,
                    field="--election-date",
                    value=election_date,
                    message=str(err),
                    hint="e.g. 2027-10-17",
                )
            )
    chosen = tuple(dict.fromkeys(frameworks)) or DEFAULT_FRAMEWORKS
    problems += _framework_problems(chosen, known)
    if problems:
        raise InputError(problems, f"{len(problems)} problem(s) in the options: nothing written")

    starter = Starter(
        name=(name or _DEFAULT_NAME).strip(),
        emb_id=emb_id,
        country=(country or "").strip(),
        election_date=polling_day,
        as_of=today,
        archetype=archetype or "paper-ert",
        frameworks=chosen,
    )
    files = starter_files(starter)
    write_new_tree(folder, files)

    secho(f"wrote a new EMB workspace in {folder}", fg="green")
    echo(f"  emb.yaml         {starter.name} ({starter.emb_id}), polling day {polling_day}")
    echo(
        f"  system.yaml      starter system: {starter.archetype} ({ARCHETYPES[starter.archetype]})"
    )
    echo(f"  assessment.yaml  {', '.join(chosen)}: no answers yet")
    if election_date is None:
        echo(
            f"polling day not given: {polling_day} assumed (a year from today); set it in emb.yaml"
        )
    echo("Each file's comments say what to fill in next. Then:")
    where = shlex.quote(str(folder))
    for command in (
        f"cyberready validate {where}",
        f"cyberready questionnaire export --emb {where} --out questionnaire.xlsx",
        f"cyberready questionnaire import questionnaire.xlsx --into {where}",
        f"cyberready assess {where}",
        f"cyberready simulate {where}",
        f"cyberready prioritize {where}",
        f"cyberready report {where} --audience technical --format md",
    ):
        echo(f"  {command}")

"""Every command explains itself: ``--help`` works, shows an example of that very command, and
the README mentions it; the documented exit codes hold for the basic failures.

The command list is read from the click tree, so a command added later is checked without
editing this file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cyberready import __version__
from cyberready.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _walk(cmd: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from _walk(cmd.commands[name], (*path, name))


COMMANDS = list(_walk(main))
SUBCOMMANDS = [p for p in COMMANDS if p]


def _label(path: tuple[str, ...]) -> str:
    return " ".join(path) or "(cyberready)"


def test_the_tree_has_the_basic_commands() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"validate", "schema", "frameworks", "frameworks list", "frameworks show", "demo"} <= (
        names
    )


@pytest.mark.parametrize("path", COMMANDS, ids=_label)
def test_help_shows_an_example_of_the_command(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    text = result.output
    heading = re.search(r"^\s*Examples?:?\s*$", text, re.MULTILINE)
    assert heading, f"no Example section:\n{text}"
    example = text[heading.end() :]
    invocation = " ".join(("cyberready", *path))
    assert re.search(rf"^\s*{re.escape(invocation)}(\s|$)", example, re.MULTILINE), (
        f"the Example section does not run {invocation!r}:\n{text}"
    )


@pytest.mark.parametrize("path", COMMANDS, ids=_label)
def test_help_says_what_the_command_does(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "-h"])
    assert result.exit_code == 0
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"{_label(path)} has no docstring"


def test_every_command_is_in_the_readme() -> None:
    """README.md shows each command as ``cyberready <command path>`` at least once."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        f"cyberready {' '.join(p)}"
        for p in SUBCOMMANDS
        if not re.search(rf"cyberready {re.escape(' '.join(p))}(?![\w-])", readme)
    ]
    assert missing == [], f"README.md does not mention: {', '.join(missing)}"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["valdiate", "x"])
    assert result.exit_code == 2
    assert "validate" in result.output  # click suggests the close match


def test_missing_path_is_invalid_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 3
    assert "no such file or folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unknown_framework_id_gets_a_did_you_mean() -> None:
    result = CliRunner().invoke(main, ["frameworks", "show", "usaid-ecb"])
    assert result.exit_code == 3
    assert "did you mean 'usaid-ecbs'" in result.output


def test_folder_without_yaml_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert "no .yaml files here" in result.output


def test_help_does_not_load_the_numerical_stack() -> None:
    # `cyberready --help` must answer at once: pandas, scipy and numpy load only for real work
    code = (
        "import sys\n"
        "from cyberready.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('pandas', 'scipy', 'numpy') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "Usage:" in proc.stdout
    assert "HEAVY []" in proc.stdout


def test_import_and_every_help_load_none_of_the_numerical_stack() -> None:
    # every command imports the library inside the command, so no help page loads it either
    # (the models' pydantic alone made `cyberready --help` take 0.4 s instead of 0.1 s)
    code = (
        "import sys\n"
        "import cyberready.cli\n"
        "from cyberready.cli import main\n"
        "heavy = ('numpy', 'pandas', 'scipy', 'matplotlib', 'pydantic', 'jinja2', 'babel')\n"
        "print('IMPORT', sorted(m for m in heavy if m in sys.modules))\n"
        "def pages(cmd, path):\n"
        "    yield path\n"
        "    for name, sub in sorted(getattr(cmd, 'commands', {}).items()):\n"
        "        yield from pages(sub, [*path, name])\n"
        "for path in pages(main, []):\n"
        "    try:\n"
        "        main([*path, '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('HELP', sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "Usage: -c prioritize" in proc.stdout  # the pages were shown
    assert "IMPORT []" in proc.stdout
    assert "HELP []" in proc.stdout

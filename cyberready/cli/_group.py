"""The ``cyberready`` click group and the one error handler every command runs under.

:func:`handle_errors` maps errors to the documented exit codes: 0 ok, 1 internal error or a
file that cannot be written (a plain message naming it), 2 usage (a missing optional extra, an
output path refused), 3 invalid input, 4 below a ``--fail-under`` threshold, 5 the workspace
is in use by another cyberready command (the codes come with each
:class:`~cyberready.errors.CyberReadyError`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from cyberready._version import __version__
from cyberready.cli._output import clean_text, echo, secho
from cyberready.errors import CyberReadyError, InputError, Problem

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_THRESHOLD",
    "EXIT_USAGE",
    "handle_errors",
    "main",
    "print_problems",
    "print_warnings",
]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT, EXIT_THRESHOLD = 0, 1, 2, 3, 4


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

    return wrapper  # type: ignore[return-value]  # wraps keeps fn's signature; mypy cannot see it


def _debug() -> bool:
    import os

    return os.environ.get("CYBERREADY_DEBUG", "") not in ("", "0")


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
    from cyberready.cli._memory import keep_freed_memory

    keep_freed_memory()

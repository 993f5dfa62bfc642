"""Options shared by several commands, so each is spelled, checked and explained one way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from cyberready.cli._output import secho

__all__ = [
    "FEW_TRIALS",
    "FRAMEWORK_DIRS",
    "SCREENING_DEFAULT",
    "budget_option",
    "force_option",
    "locale_option",
    "screen_trials_option",
    "seed_option",
    "trials_option",
    "warn_few_trials",
]

F = TypeVar("F", bound=Callable[..., Any])


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


FRAMEWORK_DIRS = click.option(
    "--frameworks-dir",
    "frameworks_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra folder of framework/catalog files (repeatable).",
)

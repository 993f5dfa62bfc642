"""Options shared by several commands, so each is spelled, checked and explained one way."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import click

from cyberready.cli._output import secho

__all__ = [
    "FEW_TRIALS",
    "FRAMEWORK_DIRS",
    "SCREENING_DEFAULT",
    "RunOptions",
    "budget_option",
    "exact_option",
    "force_option",
    "frameworks_dirs_option",
    "from_run_option",
    "given_options",
    "locale_option",
    "out_option",
    "run_options",
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


EXACT_HELP: Final = (
    "Run every ranked action, cumulative benefit and plan step on all --trials (by default "
    "each stops, in blocks of --screen-trials, once its 95% interval is within 10% of the "
    "benefit or 0.5% of today's expected loss; the trials used are shown beside each)."
)


def exact_option(help_text: str = EXACT_HELP) -> Callable[[F], F]:
    """``--exact``: no sequential stopping in the priorities (:func:`cyberready.prioritize`)."""
    return click.option("--exact", is_flag=True, default=False, help=help_text)


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


def from_run_option(what: str) -> Callable[[F], F]:
    """``--from RUN``: use a run saved by ``assess --save`` (``what`` it does with it) instead of
    running the assessment again."""
    return click.option(
        "--from",
        "run_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help=f"A run saved by `cyberready assess DIR --save RUN`: {what} instead of running the "
        "assessment again (refused if the workspace, the version or an option given here changed "
        "since).",
    )


def given_options(ctx: click.Context, *names: str) -> dict[str, Any]:
    """The options among ``names`` that the user gave on the command line, with their values."""
    return {
        n: ctx.params[n]
        for n in names
        if ctx.get_parameter_source(n) is click.core.ParameterSource.COMMANDLINE
    }


def locale_option(help_text: str) -> Callable[[F], F]:
    """``--locale``: the report language, checked against the shipped catalogs (none given: the
    first shipped language of ``emb.yaml``'s ``languages``, else English)."""
    return click.option("--locale", default=None, help=help_text)


def frameworks_dirs_option(help_text: str) -> Callable[[F], F]:
    """``--frameworks-dir`` (repeatable): extra folders of framework and catalog files."""
    return click.option(
        "--frameworks-dir",
        "frameworks_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help=help_text,
    )


FRAMEWORK_DIRS = frameworks_dirs_option("Extra folder of framework/catalog files (repeatable).")
"""``--frameworks-dir`` with the usual help."""


def out_option(help_text: str, *, folder: bool) -> Callable[[F], F]:
    """A required ``--out``: a folder (``folder``) or a file, refused if it is the other."""
    return click.option(
        "--out",
        required=True,
        type=click.Path(file_okay=not folder, dir_okay=folder, path_type=Path),
        help=help_text,
    )


@dataclass(frozen=True)
class RunOptions:
    """The options of a whole assessment run that ``assess --save`` and ``report`` share, so
    both commands take, check and explain them one way (:func:`run_options`)."""

    trials: int
    seed: int
    screen_trials: int | None
    budget: float | None
    locale: str | None
    force: bool
    exact: bool = False


_RUN_FIELDS: Final = ("trials", "seed", "screen_trials", "budget", "locale", "force", "exact")


def run_options(
    *, trials: str, seed: str, screen_trials: str, budget: str, locale: str, force: str | None
) -> Callable[[F], F]:
    """``--trials --seed --screen-trials --exact --budget --locale --force`` with these help
    texts (``force`` is what ``--force`` replaces; None: the usual wording), handed to the
    command as one ``run`` argument (:class:`RunOptions`)."""
    options = (
        trials_option(trials, minimum=2),
        seed_option(seed),
        screen_trials_option(screen_trials),
        exact_option(),
        budget_option(budget),
        locale_option(locale),
        force_option() if force is None else force_option(force),
    )

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            run = RunOptions(**{name: kwargs.pop(name) for name in _RUN_FIELDS})
            return fn(*args, run=run, **kwargs)

        command = cast("F", wrapper)
        for option in reversed(options):
            command = option(command)
        return command

    return decorate

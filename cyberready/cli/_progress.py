"""Progress of long work (simulations, priorities, portfolios) on stderr, for every command.

One helper so every command shows progress the same way: a click progress bar per stage on
a terminal; anywhere else (a pipe, a log file, CI) one plain line per stage as it starts, with
no terminal escapes, so a log still shows where the time went and nothing garbles it. Stdout
is never touched: ``--json`` and ``--csv`` output stays clean. The stages the library names
are shown in the command's language (:func:`stage_names`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from cyberready.cli._output import clean_text

if TYPE_CHECKING:
    from types import TracebackType

    from click._termui_impl import ProgressBar

__all__ = ["Progress", "stage_names"]


def stage_names(_: Callable[[str], str]) -> dict[str, str]:
    """Every stage the library and the commands report, by its English name (the one given to
    the callback, which scripts see), as shown through the catalog's ``_``."""
    return {
        "readiness": _("readiness"),
        "graph": _("graph"),
        "simulation": _("simulation"),
        "simulating": _("simulating"),
        "screening": _("screening"),
        "re-simulating leaders": _("re-simulating leaders"),
        "cumulative benefit of the leaders": _("cumulative benefit of the leaders"),
        "searching the budget plan": _("searching the budget plan"),
        "re-simulating the plan": _("re-simulating the plan"),
        "assessing EMBs": _("assessing EMBs"),
    }


class Progress:
    """Progress on stderr, as a context manager: ``with Progress("simulating", total) as p``.

    Work reports through :meth:`stage` (a new named stage), :meth:`advance` (steps done),
    :meth:`to` (``done`` of ``total``, the portfolio's callback) or by calling the helper
    itself as ``progress(stage, done, total)`` (the callback of :func:`cyberready.assess` and
    :func:`cyberready.prioritize.prioritize`). Known stages are shown in ``locale`` (a shipped
    language, as :func:`cyberready.cli._lang.cli_locale` gives), others as named. ``tty``
    overrides the check of stderr (for tests); ``enabled=False`` shows nothing at all.
    """

    def __init__(
        self,
        label: str | None = None,
        total: int | None = None,
        *,
        tty: bool | None = None,
        enabled: bool = True,
        locale: str = "en",
    ) -> None:
        self._enabled = enabled
        self._names: dict[str, str] = {}
        from cyberready.report.numbers import is_english  # (not at import: --help stays fast)

        if not is_english(locale):
            from cyberready.cli._lang import messages

            self._names = stage_names(messages(locale).gettext)
        self._tty = sys.stderr.isatty() if tty is None else tty
        self._stage: str | None = None
        self._bar: ProgressBar[int] | None = None
        self._done = 0
        if label is not None:
            self.stage(label, total)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """The library's callback: ``done`` of ``total`` steps of ``stage``."""
        self.stage(stage, total)
        self.to(done, total)

    def stage(self, name: str, total: int | None = None) -> None:
        """Start the stage ``name`` (of ``total`` steps, if known), ending the one before; the
        same name again continues the stage."""
        if name == self._stage:
            return
        self._end_bar()
        self._stage, self._done = name, 0
        if not self._enabled:
            return
        if not self._tty:
            click.echo(f"{self._shown(name)}...", err=True)
        elif total is not None:
            self._start_bar(total)

    def advance(self, n: int = 1) -> None:
        """``n`` more steps of the current stage are done."""
        self._done += n
        if self._bar is not None:
            self._bar.update(n)

    def to(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps of the current stage are done (a bar starts here when
        the total was not known up front)."""
        if self._enabled and self._tty and self._bar is None and self._stage is not None:
            self._start_bar(total)
        if self._bar is not None and self._bar.length != total:
            self._bar.length = total
        self.advance(done - self._done)

    def close(self) -> None:
        """End the progress display (the bar's line is finished)."""
        self._end_bar()
        self._stage = None

    def _start_bar(self, total: int) -> None:
        self._bar = click.progressbar(
            length=total, label=self._shown(self._stage or ""), file=sys.stderr
        )
        self._bar.__enter__()
        if self._done:
            self._bar.update(self._done)

    def _shown(self, name: str) -> str:
        return clean_text(self._names.get(name, name))

    def _end_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

"""The one exception tree of cyberready.

::

    CyberReadyError                 anything cyberready raises on purpose   (exit 1 if uncaught)
    ├── InputError                  bad input: one or more Problems         (exit 3)
    │   ├── FrameworkError          a framework or catalog file
    │   ├── SystemModelError        system.yaml or a generate: CSV
    │   ├── AssessmentError         assessment.yaml, a questionnaire, a platform scorecard
    │   └── ScenarioError           a scenario, the technique vocabulary or an incident registry
    ├── OptionalDependencyError     an extra (pdf, dask, fast, notebook) is not installed (exit 2)
    ├── OutputPathError             an output path that would replace a workspace's or another
    │                               program's file (exit 2)
    ├── WorkspaceBusyError          another cyberready command is writing the workspace  (exit 5)
    ├── ThresholdError              a score is below --fail-under                        (exit 4)
    └── ReportError                 a report could not be rendered                       (exit 1)
        ├── UnsafeTemplateError     a --templates template did what a template may not   (exit 3)
        └── DisclosureError         a donor or portfolio document would reveal a secret (exit 3)

An :class:`InputError` carries *every* problem found, each a :class:`Problem` with the file,
line, field path, bad value and a hint (valid choices or a did-you-mean), so a user fixes them
all in one pass. The CLI prints them as a table; a notebook gets them as a DataFrame through
:meth:`InputError.to_frame`.

Which :class:`InputError` is raised depends on the kind of file the problems are in
(:func:`input_error_for`): when every problem is in files of one kind, the subclass of that
kind; when they span several kinds (a broken framework *and* a broken system.yaml), or are in
no file of these kinds (``emb.yaml``, a folder that is missing or a link that leaves the
workspace, a command-line option), :class:`InputError` itself. Catch :class:`InputError` to
catch them all. The user's guide to this tree is docs/errors.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AssessmentError",
    "CyberReadyError",
    "DisclosureError",
    "FrameworkError",
    "InputError",
    "OptionalDependencyError",
    "OutputPathError",
    "Problem",
    "ReportError",
    "ScenarioError",
    "SystemModelError",
    "ThresholdError",
    "UnsafeTemplateError",
    "WorkspaceBusyError",
    "did_you_mean",
    "input_error_for",
]


class CyberReadyError(Exception):
    """Base class of every error cyberready raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can.

    ``line`` is 1-based (``None`` when the input has no lines, e.g. a whole-workspace check);
    ``cell`` is a spreadsheet reference such as ``Results!D14`` when the input is a workbook.
    """

    file: str
    message: str
    line: int | None = None
    field: str = ""
    value: str = ""
    hint: str = ""
    cell: str = ""

    def where(self) -> str:
        """``file:line`` or ``file cell``, as an editor or a person would look it up."""
        if self.cell:
            return f"{self.file} {self.cell}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def __str__(self) -> str:
        parts = [self.where()]
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


def did_you_mean(value: object, choices: Iterable[str], *, limit: int = 6) -> str:
    """A hint naming the closest valid choices, or listing them when few.

    >>> did_you_mean("phising", ["phishing", "ddos", "web_exploit"])
    "did you mean 'phishing'?"
    """
    options = sorted(set(choices))
    close = difflib.get_close_matches(str(value), options, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not options:
        return ""
    if len(options) <= limit:
        return "valid: " + ", ".join(options)
    return "valid: " + ", ".join(options[:limit]) + f", … ({len(options)} in all)"


class InputError(CyberReadyError):
    """One or more problems in user input; nothing was written."""

    exit_code = 3

    def __init__(self, problems: Sequence[Problem], summary: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.summary = summary or f"{len(self.problems)} problem(s) in the input"
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, after a one-line summary."""
        lines = [self.summary + ":"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame (one row each), for notebooks."""
        import pandas as pd

        rows: list[dict[str, Any]] = [
            {
                "file": p.file,
                "line": p.line,
                "cell": p.cell,
                "field": p.field,
                "value": p.value,
                "message": p.message,
                "hint": p.hint,
            }
            for p in self.problems
        ]
        return pd.DataFrame(rows)


class FrameworkError(InputError):
    """A framework or reference catalog is invalid."""


class SystemModelError(InputError):
    """A system model (or one of its generate: CSVs) is invalid."""


class AssessmentError(InputError):
    """An assessment, questionnaire or platform scorecard is invalid."""


class ScenarioError(InputError):
    """A scenario or the technique vocabulary is invalid."""


_ERROR_OF_KIND: dict[str, type[InputError]] = {
    "framework": FrameworkError,
    "catalog": FrameworkError,
    "system": SystemModelError,
    "csv": SystemModelError,
    "assessment": AssessmentError,
    "platform_scorecard": AssessmentError,
    "scenario": ScenarioError,
    "techniques": ScenarioError,
    "incidents": ScenarioError,
}


def input_error_for(kinds: Iterable[str | None]) -> type[InputError]:
    """The :class:`InputError` class for problems in files of these kinds.

    A kind is a file's ``kind:`` (``framework``, ``system``, ``scenario``...), ``csv`` for a
    ``generate:`` table, or None for anything else (a folder, ``emb.yaml``, an option). One
    kind with a subclass gives that subclass; anything else, the base class.

    >>> input_error_for(["catalog", "framework"]).__name__
    'FrameworkError'
    >>> input_error_for(["system", "scenario"]).__name__
    'InputError'
    """
    classes = {_ERROR_OF_KIND.get(kind or "") for kind in kinds}
    only = classes.pop() if len(classes) == 1 else None
    return only or InputError


class OptionalDependencyError(CyberReadyError):
    """An optional extra is needed for this feature; the message names the pip command."""

    exit_code = 2

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'cyberready[{extra}]'")


class OutputPathError(CyberReadyError):
    """An output path cyberready will not write: inside an EMB workspace (whose files only the
    commands that own them write), or an existing file that cyberready did not write (replaced
    only with ``--force``). Nothing was written."""

    exit_code = 2


class WorkspaceBusyError(CyberReadyError):
    """Another cyberready command holds the workspace's lock (it is writing the workspace);
    nothing was read or written. Run the command again when the other one has finished."""

    exit_code = 5

    def __init__(self, workspace: str, pid: int | None) -> None:
        self.workspace = workspace
        self.pid = pid
        holder = f" (pid {pid})" if pid is not None else ""
        super().__init__(
            f"workspace {workspace} is in use by another cyberready command{holder}; "
            "nothing was written: run this command again when that one has finished"
        )


class ThresholdError(CyberReadyError):
    """A readiness score fell below the threshold the user asked to enforce."""

    exit_code = 4


class ReportError(CyberReadyError):
    """A report could not be rendered (template error, unwritable output)."""


class UnsafeTemplateError(ReportError):
    """A report template (``--templates``) tried something a template may not do (reach Python
    internals, call a method that changes a value), or failed; nothing was written."""

    exit_code = 3


class DisclosureError(ReportError):
    """A finished donor or portfolio document would reveal a sensitive term of the workspace
    (an asset id or label, evidence, a note); nothing was written."""

    exit_code = 3

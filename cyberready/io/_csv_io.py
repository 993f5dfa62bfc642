"""CSV: reading a table column by column with every row's line (``generate:``), and writing
cells a spreadsheet shows as text, never runs."""

from __future__ import annotations

import csv
import io as _stdio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cyberready.errors import Problem
from cyberready.io._files import safe_join
from cyberready.io._text import _short, read_utf8
from cyberready.io._yaml_io import Document

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = [
    "CSV_DELIMITERS",
    "CSV_GUARD",
    "MAX_CSV_BYTES",
    "MAX_ROW_PROBLEMS",
    "CsvRecords",
    "CsvTable",
    "csv_guard",
    "frame_csv",
    "read_csv_columns",
    "read_workspace_csv",
    "sniff_delimiter",
]


MAX_CSV_BYTES = 1024 * 1024 * 1024
"""Largest CSV read for ``generate:`` (10^6 rows of a few columns is a few tens of MB)."""
MAX_ROW_PROBLEMS = 20
"""Problems reported per kind of row problem before one summary line says how many more."""


CSV_DELIMITERS: Final = ",;\t"
"""The delimiters :func:`sniff_delimiter` chooses from: a comma, a semicolon (what a
spreadsheet program set to a language that writes decimal commas saves) or a tab."""
_SNIFF_CHARS: Final = 2048
"""How much of the text the delimiter is detected from: the header and the first rows are
enough, and :class:`csv.Sniffer`'s quote patterns take time that grows with the square of the
sample (a crafted 2 KB sample takes a tenth of a second, 16 KB several seconds)."""


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV ``text``, one of :data:`CSV_DELIMITERS`, detected by
    :class:`csv.Sniffer` from its first lines; ``,`` when it cannot tell.

    The sniffer weighs the characters next to quoted values and how evenly each candidate
    occurs line by line, so a semicolon file whose text mentions commas (or the reverse) is
    still read by its real delimiter. When the rows disagree (a row cut short after its last
    filled-in value), the header line alone decides.

    >>> sniff_delimiter('station;region\\nps-1;"north, hills"\\n')
    ';'
    >>> sniff_delimiter("station;region;kits\\nps-1;north;3\\nps-2\\nps-3;south\\n")
    ';'
    >>> sniff_delimiter("station,region\\nps-1,north\\n"), sniff_delimiter("station\\n")
    (',', ',')
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only: a cut line is uneven
    header = next((line for line in sample.splitlines() if line.strip()), "")
    for candidate in (sample, header):
        try:
            return csv.Sniffer().sniff(candidate, delimiters=CSV_DELIMITERS).delimiter
        except csv.Error:
            continue
    return ","


class CsvRecords:
    """The records of CSV text in order, each as ``(line, fields)``: ``line`` is the 1-based
    line the record starts on (a quoted value may run over several lines; a blank line is a
    record with no fields). :attr:`line_num` is the last line read so far, for a
    :class:`csv.Error` raised while iterating, which is passed on to the caller.

    ``delimiter``: the one between fields, or None to detect it (:func:`sniff_delimiter`);
    ``strict``: a stray quote is an error instead of being read as text. The one CSV reader
    of cyberready: ``generate:`` tables (:func:`read_csv_columns`) and questionnaires alike.

    >>> [r for r in CsvRecords('a;b\\n"x\\ny";z\\n', delimiter=None)]
    [(1, ['a', 'b']), (2, ['x\\ny', 'z'])]
    """

    def __init__(self, text: str, *, delimiter: str | None = ",", strict: bool = False) -> None:
        self.delimiter: str = sniff_delimiter(text) if delimiter is None else delimiter
        self._reader = csv.reader(
            _stdio.StringIO(text, newline=""), delimiter=self.delimiter, strict=strict
        )
        self._end = 0

    @property
    def line_num(self) -> int:
        """The number of lines read so far (the last line of the latest record)."""
        return self._reader.line_num

    def __iter__(self) -> CsvRecords:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        fields = next(self._reader)
        start, self._end = self._end + 1, self._reader.line_num
        return start, fields


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read column by column: ``columns[name][r]`` is row ``r``'s (stripped) value,
    found on line ``lines[r]`` (1-based, the header is line ``header_line``)."""

    file: str
    header: tuple[str, ...]
    columns: dict[str, list[str]]
    lines: npt.NDArray[np.int64]
    header_line: int = 1
    complete: bool = True
    """False when rows were left out (a row with the wrong number of fields, or everything
    after a syntax error): the table is then only good for checking the rows it has."""

    @property
    def n_rows(self) -> int:
        """Number of data rows (blank lines are not rows)."""
        return len(self.lines)


def _row_problems(
    file: str, bad: Sequence[tuple[int, str, str]], message: str, hint: str = ""
) -> list[Problem]:
    """Problems for bad rows ``(line, field, value)``, at most :data:`MAX_ROW_PROBLEMS` of them
    plus one line saying how many more there are."""
    out = [
        Problem(file=file, line=line, field=fld, value=_short(value), message=message, hint=hint)
        for line, fld, value in bad[:MAX_ROW_PROBLEMS]
    ]
    if len(bad) > MAX_ROW_PROBLEMS:
        out.append(
            Problem(
                file=file,
                line=bad[MAX_ROW_PROBLEMS][0],
                message=f"… and {len(bad) - MAX_ROW_PROBLEMS:,} more rows with the same problem "
                f"({message})",
            )
        )
    return out


def read_csv_columns(
    path: Path, *, display: str | None = None, delimiter: str | None = ","
) -> tuple[CsvTable | None, list[Problem]]:
    """Read a UTF-8 CSV with a header row into columns, keeping every row's line number.

    Values and header names are stripped of surrounding spaces; blank lines are skipped; a row
    with the wrong number of fields, an empty or repeated column name, or bytes that are not
    UTF-8 are problems naming the line. After such a problem in the structure, the table of
    the rows that could be read is still returned (a repeated column keeps its first values,
    ``complete`` is False when rows were left out), so that their values can be checked in
    the same run; it is None only when the file has no header row or cannot be read.
    ``delimiter``: the one between fields, or None to detect it (:func:`sniff_delimiter`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_text("station,region\\nps-1,north\\n\\nps-2, south\\n")
    >>> table, problems = read_csv_columns(p)
    >>> table.columns["region"], table.lines.tolist(), problems
    (['north', 'south'], [2, 4], [])
    """
    name = display or str(path)
    text, problems = read_utf8(path, display=name, limit=MAX_CSV_BYTES, what="CSV")
    if text is None:
        return None, problems
    reader = CsvRecords(text, delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    header_line = 1
    ragged: list[tuple[int, str, str]] = []
    broken = False
    try:
        for _, first in reader:
            if any(v.strip() for v in first):
                header = [h.strip() for h in first]
                header_line = reader.line_num
                break
        width = len(header)
        for start, row in reader:
            if len(row) == width:
                rows.append(row)
                lines.append(start)
            elif any(v.strip() for v in row):
                ragged.append((start, "", f"{len(row)} fields"))
    except csv.Error as exc:
        broken = True
        problems.append(
            Problem(file=name, line=reader.line_num, message=f"CSV syntax error: {exc}")
        )
    if not header:
        return None, [*problems, Problem(file=name, line=1, message="no header row")]
    for k, h in enumerate(header):
        if not h:
            problems.append(
                Problem(
                    file=name,
                    line=header_line,
                    field=f"column {k + 1}",
                    message="empty column name",
                    hint="every column needs a name in the header row",
                )
            )
        elif h in header[:k]:
            problems.append(
                Problem(file=name, line=header_line, field=h, message=f"duplicate column {h!r}")
            )
    problems += _row_problems(
        name,
        ragged,
        f"row does not have the header's {len(header)} fields",
        "quote values that contain commas",
    )
    import numpy as np  # here, not at the top: `import cyberready.io` stays light

    columns: dict[str, list[str]] = {}
    for h, col in zip(header, zip(*rows, strict=True) if rows else [()] * len(header), strict=True):
        columns.setdefault(h, [v.strip() for v in col])  # a repeated column: its first values
    return (
        CsvTable(
            file=name,
            header=tuple(header),
            columns=columns,
            lines=np.array(lines, dtype=np.int64),
            header_line=header_line,
            complete=not ragged and not broken,
        ),
        problems,
    )


def read_workspace_csv(
    root: Path, relative: str, doc: Document, where: Sequence[str | int]
) -> tuple[CsvTable | None, list[Problem]]:
    """Read the CSV a workspace file names at field ``where`` of ``doc``, relative to ``root``.

    A path that is absolute or leaves the workspace (``../``, a link pointing outside) is a
    problem located at that field of ``doc``; so is a file that does not exist.
    """
    target = safe_join(root, relative)
    if target is None:
        return None, [
            doc.problem(
                where,
                f"CSV path {relative!r} leaves the workspace",
                value=relative,
                hint="paths in workspace files are relative and stay inside the workspace folder",
            )
        ]
    shown = str(Path(root.name) / target.relative_to(root.resolve()))
    if not target.is_file():
        return None, [
            doc.problem(
                where, f"no such CSV file {relative!r}", value=relative, hint=f"looked for {shown}"
            )
        ]
    return read_csv_columns(target, display=shown)


# --------------------------------------------------------------------------- CSV output

CSV_GUARD: Final = ("=", "+", "-", "@", "\t", "\r", "'")
"""A text cell starting with one of these is written with a leading ``'`` so that a spreadsheet
does not run it as a formula (CSV injection); the questionnaire import removes it again."""


def csv_guard(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text, never runs.

    >>> csv_guard("=1+2"), csv_guard("Backups")
    ("'=1+2", 'Backups')
    """
    return "'" + text if text.startswith(CSV_GUARD) else text


def frame_csv(frame: pd.DataFrame) -> str:
    """A table as CSV text, every text cell through :func:`csv_guard` (numbers stay numbers)."""
    guarded = frame.copy()
    for column in guarded.columns:
        if guarded[column].dtype.kind not in "biufcmM":  # text, object or categorical
            guarded[column] = guarded[column].map(
                lambda v: csv_guard(v) if isinstance(v, str) else v
            )
    return str(guarded.to_csv(index=False))

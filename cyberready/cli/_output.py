"""Everything the CLI prints or writes passes through here.

Printed text goes through :func:`echo` and :func:`secho` (terminal escapes and control
characters from input files removed by :func:`clean_text`); JSON through :func:`emit_json`;
every output path through :func:`check_output` (docs/security.md). The checks live in
:mod:`cyberready.io._outputs`, imported when first used so that ``cyberready --help`` does
not load the models behind :mod:`cyberready.io`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import click

__all__ = ["check_output", "clean_text", "echo", "emit_json", "render_table", "secho"]


def clean_text(text: str) -> str:
    """:func:`cyberready.io._outputs.clean_text`: ``text`` without terminal escapes or
    control characters, safe to show."""
    from cyberready.io import clean_text as clean

    return clean(text)


def check_output(path: Path, *, force: bool = False, folder: bool = False) -> None:
    """:func:`cyberready.io._outputs.check_output`: refuse an output path inside an EMB
    workspace, or a file cyberready did not write (unless ``force``)."""
    from cyberready.io import check_output as check

    check(path, force=force, folder=folder)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows as an aligned plain-text table (numbers right-aligned)."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    numeric = [
        all(isinstance(r[i], int | float) or r[i] in ("", None) for r in rows) and bool(rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 1 or value == 0 else f"{value:.3f}"
    return str(value)


def echo(message: object = None, **kwargs: Any) -> None:
    """``click.echo`` of text with terminal escapes and control characters removed
    (:func:`~cyberready.io._outputs.clean_text`): every line the CLI prints goes through here."""
    click.echo(None if message is None else clean_text(str(message)), **kwargs)


def secho(message: object = None, **styles: Any) -> None:
    """``click.secho``: the text cleaned as by :func:`echo`, then styled."""
    click.secho(None if message is None else clean_text(str(message)), **styles)


_C1: Final = re.compile("[\x7f-\x9f]")


def emit_json(data: object) -> None:
    r"""Print JSON (sorted keys, UTF-8) to stdout; DEL and C1 controls, which JSON leaves
    as they are, are written as ``\u`` escapes (the same JSON, safe on a terminal).

    >>> emit_json({"title": "a\x9b31mb"})
    {
      "title": "a\u009b31mb"
    }
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    click.echo(_C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text))

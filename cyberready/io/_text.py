"""Reading a file's text or bytes, with the size limit and the encoding check every reader
shares, and the short form of a value that problems quote."""

from __future__ import annotations

from pathlib import Path

from cyberready.errors import Problem

__all__ = ["MAX_FILE_BYTES", "read_bytes", "read_text", "read_utf8"]


MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest YAML file read (a system with 10^6 assets belongs in a generate: CSV)."""


def _short(value: object, limit: int = 60) -> str:
    """``value`` as text of at most ``limit`` characters, for a message or a problem's value:
    a 100,000-digit number or a page of text pasted into a field is not echoed in full."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        digits = int(value.bit_length() * 0.30103) + 1  # log10(2): no str() of a huge int
        return f"a whole number of about {digits:,} digits"
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: object) -> str:
    """``repr`` of a value as a message shows it (shortened: see :func:`_short`)."""
    return repr(_short(value)) if isinstance(value, str) else _short(value)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, exactly as stored (for a copy that must keep them, comments and
    all). Raises :class:`OSError` as :meth:`pathlib.Path.read_bytes` does."""
    return path.read_bytes()


def read_utf8(
    path: Path, *, display: str | None = None, limit: int = MAX_FILE_BYTES, what: str = "file"
) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of ``path`` (a leading byte order mark dropped), or the problem why not:
    it cannot be read, it is over ``limit`` bytes (checked before reading), or a byte is not
    UTF-8 (the line it is on is named). ``what`` names the file in the hint (``the CSV``)."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    if size > limit:
        return None, [
            Problem(file=name, message=f"file is {size:,} bytes, over the {limit:,} limit")
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                file=name,
                line=raw[: exc.start].count(b"\n") + 1,
                message=f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint=f"save the {what} as UTF-8",
            )
        ]


def read_text(path: Path, *, display: str | None = None) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file; problems for a missing, huge, empty or non-UTF-8 file."""
    name = display or str(path)
    text, problems = read_utf8(path, display=name)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file=name, line=1, message="file is empty")]
    return text, []

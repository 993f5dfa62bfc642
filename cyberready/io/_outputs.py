"""What leaves cyberready: where it may write, and text safe to show (docs/security.md).

Output paths (``--out``, ``--save``, the default report names): cyberready never writes into
an EMB workspace (a folder holding an ``emb.yaml``, or anything below one) except through the
commands that own its files (``questionnaire import``); elsewhere it replaces only a file it
wrote itself, recognised by the generator marker every output carries, unless ``--force``:

========  =================================================================================
HTML      ``<meta name="generator" content="cyberready …">``
PDF       the document information's ``/Creator (cyberready …)`` (from that HTML meta)
JSON      a top-level ``cyberready_version`` (portfolio), ``meta.cyberready_version``
          (report), ``kind: cyberready-run`` (saved run) or a ``$id`` under
          ``https://cyberready.invalid/`` (schemas)
Markdown  a last line ``<!-- generator: cyberready … -->`` (invisible when rendered; the
          first line stays the TLP label)
XLSX      document property *creator* ``cyberready …``, and *last modified by* empty or
          cyberready too (a questionnaire that someone filled in and saved is not replaced)
CSV       none: an existing CSV is replaced only with ``--force``
========  =================================================================================

Text shown on a terminal or put in document metadata passes through :func:`clean_text`.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, Final

from cyberready.errors import OutputPathError

__all__ = [
    "GENERATOR",
    "check_output",
    "clean_text",
    "enclosing_workspace",
    "markdown_marker",
    "written_by_cyberready",
]

GENERATOR: Final = "cyberready"
"""How every output names its generator (followed by the version)."""

_ESCAPES: Final = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL and C1 controls (``\\x9b`` is a CSI on its own)."""


def clean_text(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and newline
    kept), so that a YAML key or title cannot recolour, move or retitle a terminal.

    >>> clean_text("vr-db\\x1b[2J\\x1b]0;pwned\\x07 ok\\r\\x9b31m\\tnext\\n")
    'vr-db ok31m\\tnext\\n'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


_MD_MARKER: Final = f"<!-- generator: {GENERATOR} "


def markdown_marker(version: str) -> str:
    """The last line of every Markdown file cyberready writes (invisible when rendered)."""
    return f"{_MD_MARKER}{version} -->\n"


def enclosing_workspace(path: Path) -> Path | None:
    """The EMB workspace ``path`` is in or below (links resolved), if any."""
    here = path.resolve()
    for folder in (here, *here.parents):
        if (folder / "emb.yaml").is_file():
            return folder
    return None


_SNIFF_BYTES: Final = 64 * 1024
_MAX_JSON_BYTES: Final = 256 * 1024 * 1024


def _xlsx_ours(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > _SNIFF_BYTES:
                return False
            core = z.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    creator = re.search(r"<dc:creator>([^<]*)</dc:creator>", core)
    modifier = re.search(r"<cp:lastModifiedBy>([^<]*)</cp:lastModifiedBy>", core)
    ours = creator is not None and creator[1].startswith(GENERATOR)
    return ours and (modifier is None or modifier[1] in ("", *([creator[1]] if creator else [])))


def _pdf_ours(data: bytes) -> bool:
    needle = re.compile(rb"/Creator\s*\(" + GENERATOR.encode())
    if needle.search(data):
        return True
    for m in re.finditer(rb"stream\r?\n", data):  # the information may sit in an object stream
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        try:
            chunk = zlib.decompressobj().decompress(data[m.end() : end], 4 * _SNIFF_BYTES)
        except zlib.error:
            continue
        if needle.search(chunk):
            return True
    return False


def _json_ours(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    meta = doc.get("meta")
    return (
        "cyberready_version" in doc
        or (isinstance(meta, dict) and "cyberready_version" in meta)
        or doc.get("kind") == "cyberready-run"
        or str(doc.get("$id", "")).startswith("https://cyberready.invalid/")
        or _oscal_ours(doc)
    )


def _oscal_ours(doc: dict[str, Any]) -> bool:
    """An OSCAL document (one root key) whose metadata has cyberready's ``generator`` prop."""
    if len(doc) != 1:
        return False
    body = next(iter(doc.values()))
    metadata = body.get("metadata") if isinstance(body, dict) else None
    props = metadata.get("props") if isinstance(metadata, dict) else None
    return isinstance(props, list) and any(
        isinstance(p, dict)
        and p.get("name") == "generator"
        and str(p.get("ns", "")).startswith("https://cyberready.invalid/")
        and str(p.get("value", "")).startswith(GENERATOR)
        for p in props
    )


def written_by_cyberready(path: Path) -> bool:
    """Whether the file at ``path`` carries cyberready's generator marker (module docstring).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "notes.md"
    >>> _ = p.write_text("# my notes\\n")
    >>> written_by_cyberready(p)
    False
    >>> _ = p.write_text("# Report\\n" + markdown_marker("1.0"))
    >>> written_by_cyberready(p)
    True
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            size = os.fstat(fh.fileno()).st_size
            fh.seek(max(0, size - 256))
            tail = fh.read()
    except OSError:
        return False
    if head.startswith(b"%PDF"):
        return size <= _MAX_JSON_BYTES and _pdf_ours(path.read_bytes())
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_ours(path)
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    last = tail.decode("utf-8", "replace").rstrip().rsplit("\n", 1)[-1]
    if last.startswith(_MD_MARKER) and last.endswith("-->"):
        return True
    if re.search(r'<meta name="generator" content="' + GENERATOR, text):
        return True
    if text.lstrip().startswith("{") and size <= _MAX_JSON_BYTES:
        try:
            return _json_ours(json.loads(path.read_bytes()))
        except (ValueError, OSError):
            return False
    return False


def check_output(path: Path, *, force: bool = False, folder: bool = False) -> None:
    """Raise :class:`~cyberready.errors.OutputPathError` unless cyberready may write ``path``.

    Refused, whatever ``force`` says: a path in or below an EMB workspace (the workspace's
    files are written only by the commands that own them). Refused without ``force``: an
    existing file (or link) that does not carry cyberready's marker, and a folder where a file
    is to be written. ``folder``: ``path`` is a folder that outputs are written into.
    """
    ws = enclosing_workspace(path if folder else path.parent)
    if ws is None and not folder and path.is_dir():
        ws = enclosing_workspace(path)
    if ws is not None:
        raise OutputPathError(
            f"{path} is inside the EMB workspace {ws}: cyberready writes a workspace's files "
            "only through the commands that own them (questionnaire import); write reports and "
            "exports outside the workspace folder"
        )
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputPathError(f"{path} is a file, not a folder")
        return
    if path.is_dir():
        raise OutputPathError(f"{path} is a folder; give a file name")
    if force or not (path.exists() or path.is_symlink()):
        return
    if path.is_symlink() or not written_by_cyberready(path):
        raise OutputPathError(
            f"{path} exists and was not written by cyberready (it has no cyberready generator "
            "marker): not replaced; choose another name, or pass --force to replace it"
        )

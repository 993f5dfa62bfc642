"""Terminal escapes from workspace files, through the real CLI.

A YAML key or title holding ``ESC [2J`` (clear the screen), ``ESC ]0;…BEL`` (retitle the
window), a carriage return or a C1 ``CSI`` used to reach the terminal through ``validate``
and ``simulate`` and the PDF's metadata. Everything printed, and the PDF's document
information, is now free of them.
"""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main

# YAML double-quoted escapes: the files stay printable, the values hold the control characters
EVIL = r"\e[2J\e]0;pwned\a\r\x9b31m\x00"
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _inject(path: Path, key: str, words: str, where: str) -> None:
    """Put the payload into ``key: words`` of ``path``, after the word ``where``."""
    text = path.read_text(encoding="utf-8")
    evil = words.replace(where, where + EVIL)
    assert f"{key}: {words}" in text
    path.write_text(text.replace(f"{key}: {words}", f'{key}: "{evil}"'), encoding="utf-8")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    ws = Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))
    _inject(ws / "emb.yaml", "name", "Independent Electoral Commission of Examplia", "Electoral")
    _inject(ws / "system.yaml", "title", "Register voters and de-duplicate biometrics", "voters")
    return ws


def test_validate_prints_no_escapes_from_keys(ws: Path) -> None:
    emb = ws / "emb.yaml"
    emb.write_text(emb.read_text(encoding="utf-8") + f'"note{EVIL}s": 1\n', encoding="utf-8")
    result = _run("validate", str(ws))
    assert result.exit_code == 3, result.output
    assert "note31ms" in result.output  # the key is still named, its escapes gone
    assert CONTROLS.search(result.output) is None, repr(result.output)


def test_simulate_prints_no_escapes_from_titles(ws: Path) -> None:
    titles = [f.title for f in cyberready.load_workspace(ws).resolved.functions]
    assert any("\x1b[2J" in t and "\x9b" in t for t in titles)  # the payload is really there
    result = _run("simulate", str(ws), "--trials", "20")
    assert result.exit_code == 0, result.output
    assert "Register voters31m and de-duplicate biometrics" in result.output
    assert CONTROLS.search(result.output) is None, repr(result.output)
    result = _run("demo", "--list")  # shipped text passes through the same function
    assert result.exit_code == 0 and CONTROLS.search(result.output) is None


def _pdf_info(pdf: bytes) -> list[bytes]:
    """Every /Title and /Creator string of a PDF, object streams decompressed."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", m.end())
        try:
            chunks.append(zlib.decompress(pdf[m.end() : end]))
        except zlib.error:
            continue
    found = []
    for chunk in chunks:
        found += re.findall(
            rb"/(?:Title|Creator|Subject|Author)\s*(\((?:\\.|[^\\)])*\)|<[^>]*>)", chunk
        )
    return found


def test_pdf_metadata_has_no_escapes(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "donor.pdf"
    result = _run(
        "report", str(ws), "--audience", "donor", "--format", "pdf", "--trials", "20",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    info = _pdf_info(out.read_bytes())
    titles = [t for t in info if b"Electoral" in t or t.startswith(b"<")]
    assert titles, info
    for value in info:
        text = (
            bytes.fromhex(value[1:-1].decode()).decode("utf-16")
            if value.startswith(b"<")
            else value.decode("latin-1")
        )
        assert CONTROLS.search(text) is None, text
    assert any(b"cyberready" in v for v in info)  # the generator marker --out looks for

"""Fuzzing the readers of untrusted files: workspace YAML (through ``load_workspace``), the
questionnaire workbook and the questionnaire CSV. Whatever the bytes, the outcome is success or
an :class:`~cyberready.errors.InputError` (exit 3 on the command line), never another exception.

Deterministic (``derandomize``) and small enough for CI; ``CYBERREADY_FUZZ_EXAMPLES`` raises the
number of examples for a longer local run.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

import cyberready
from cyberready.cli import main
from cyberready.errors import InputError
from cyberready.interop.questionnaire import read_questionnaire
from cyberready.workspace import load_workspace, shipped_library

SCALE = int(os.environ.get("CYBERREADY_FUZZ_EXAMPLES", "1"))
FUZZ = settings(
    max_examples=25 * SCALE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY: tuple[str, ...] = (
    ".inf",
    "-.inf",
    ".nan",
    "1.0e+400",
    "-1",
    "0",
    "1.0",
    "true",
    "null",
    "~",
    "[]",
    "{}",
    "9" * 5_000,
    "0x" + "f" * 5_000,
    "x" * 100_000,
    "2026-13-45",
    "2026-02-30",
    "2026-11-01T10:00:00",
    "!!python/object/apply:os.system ['id']",
    "!!binary aGVsbG8=",
    "!custom x",
    "&a [*a, *a]",
    "*nowhere",
    "<<: {a: 1}",
    "{a: [",
    "'unclosed",
    '"\\x00\\u202e"',
    "- - - -",
    "? [a, b]\n  : c",
    '=HYPERLINK("http://example.invalid")',
    "../../../etc/passwd",
)
scalars = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(repr),
)
values: Any = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="cyberready-fuzz-"))
    ws = Path(shutil.copytree(cyberready.example_path(), root / "examplia"))
    yield ws
    shutil.rmtree(root)


YAML_FILES = ("emb.yaml", "system.yaml", "assessment.yaml", "platforms/chirper.yaml")


def _load_or_input_error(ws: Path) -> None:
    try:
        load_workspace(ws)
    except InputError as err:
        assert err.problems, "an InputError names its problems"
        assert len(str(err)) < 200_000  # no value echoed in full, however long


def _with_file(ws: Path, rel: str, text: str | bytes) -> None:
    path = ws / rel
    original = path.read_bytes()
    try:
        path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
        _load_or_input_error(ws)
    finally:
        path.write_bytes(original)


@FUZZ
@given(
    rel=st.sampled_from(YAML_FILES),
    line=st.integers(min_value=0, max_value=400),
    value=scalars,
    keep_key=st.booleans(),
)
def test_a_line_of_a_workspace_file_replaced(
    workspace: Path, rel: str, line: int, value: str, keep_key: bool
) -> None:
    lines = (workspace / rel).read_text(encoding="utf-8").splitlines()
    n = line % len(lines)
    key, sep, _ = lines[n].partition(": ")
    lines[n] = f"{key}{sep}{value}" if keep_key and sep else value
    _with_file(workspace, rel, "\n".join(lines) + "\n")


@FUZZ
@given(rel=st.sampled_from(YAML_FILES), pick=st.integers(min_value=0), value=values)
def test_a_field_of_a_workspace_file_given_any_value(
    workspace: Path, rel: str, pick: int, value: Any
) -> None:
    data = yaml.safe_load((workspace / rel).read_text(encoding="utf-8"))
    node: Any = data
    # walk down a few levels, guided by pick, and replace what is there
    for _ in range(3):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = keys[pick % len(keys)]
        pick //= max(len(keys), 1)
        child = node[key]
        if not isinstance(child, dict | list) or not child or pick % 2:
            node[key] = value
            break
        node = child
    _with_file(workspace, rel, yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(rel=st.sampled_from(YAML_FILES), raw=st.binary(max_size=300) | st.text(max_size=300))
def test_a_workspace_file_of_arbitrary_bytes(workspace: Path, rel: str, raw: bytes | str) -> None:
    _with_file(workspace, rel, raw)


# --------------------------------------------------------------------------- questionnaires


@pytest.fixture(scope="module")
def frameworks() -> Any:
    return shipped_library().frameworks


@pytest.fixture(scope="module")
def exported(workspace: Path) -> Iterator[tuple[Path, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="cyberready-fuzz-q-"))
    xlsx, csv = folder / "q.xlsx", folder / "q.csv"
    for out in (xlsx, csv):
        result = CliRunner().invoke(
            main, ["questionnaire", "export", "--emb", str(workspace), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    yield xlsx, csv
    shutil.rmtree(folder)


def _read_or_input_error(path: Path, frameworks: Any) -> None:
    try:
        read_questionnaire(path, frameworks, need_date=False)
    except InputError as err:
        assert err.problems
        assert len(err.problems) < 500  # capped per kind


cell_values = st.one_of(
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://example.invalid","x")',
            "=cmd|' /C calc'!A0",
            "n/a",
            "NA",
            "4",
            " 2 ",
            "document",
            "'=SUM(A1)",
            "x" * 5_000,
        ]
    ),
    st.text(max_size=30),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(),
    st.none(),
)


@pytest.fixture(scope="module")
def workbook_parts(exported: tuple[Path, Path]) -> dict[str, bytes]:
    with zipfile.ZipFile(exported[0]) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=20),
            st.integers(min_value=1, max_value=90),
            st.integers(min_value=1, max_value=20),
            cell_values,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_questionnaire_cells_given_any_value(
    exported: tuple[Path, Path], frameworks: Any, tmp_path_factory: Any, edits: Any
) -> None:
    wb = openpyxl.load_workbook(exported[0])
    for sheet, row, col, value in edits:
        ws = wb.worksheets[sheet % len(wb.worksheets)]
        try:
            ws.cell(row=row, column=col).value = value
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values
            continue
    path = tmp_path_factory.mktemp("cells") / "q.xlsx"
    wb.save(path)
    _read_or_input_error(path, frameworks)


@FUZZ
@given(
    member=st.integers(min_value=0),
    at=st.integers(min_value=0),
    cut=st.integers(min_value=0, max_value=64),
    insert=st.binary(max_size=64)
    | st.sampled_from(
        [
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            b'<c r="D5"><f t="array" ref="D5">SUM(A1)</f></c>',
            b'<c r="D5" t="s"><v>999999</v></c>',
            b'<c r="D5" t="b"><v>x</v></c>',
            b'<dimension ref="A1:XFD1048576"/>',
            b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        ]
    ),
)
def test_questionnaire_workbook_bytes_damaged(
    workbook_parts: dict[str, bytes],
    frameworks: Any,
    tmp_path_factory: Any,
    member: int,
    at: int,
    cut: int,
    insert: bytes,
) -> None:
    names = sorted(workbook_parts)
    name = names[member % len(names)]
    data = workbook_parts[name]
    i = at % (len(data) + 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for other in names:
            zf.writestr(
                other,
                data[:i] + insert + data[i + cut :] if other == name else workbook_parts[other],
            )
    path = tmp_path_factory.mktemp("bytes") / "q.xlsx"
    path.write_bytes(buf.getvalue())
    _read_or_input_error(path, frameworks)


@FUZZ
@given(
    line=st.integers(min_value=0, max_value=200),
    field=st.integers(min_value=0, max_value=12),
    value=st.one_of(st.sampled_from(NASTY), st.text(max_size=30)),
    extra=st.text(max_size=200),
)
def test_questionnaire_csv_given_any_text(
    exported: tuple[Path, Path],
    frameworks: Any,
    tmp_path_factory: Any,
    line: int,
    field: int,
    value: str,
    extra: str,
) -> None:
    lines = exported[1].read_text(encoding="utf-8").splitlines()
    n = line % len(lines)
    cells = lines[n].split(",")
    cells[field % len(cells)] = value
    lines[n] = ",".join(cells)
    path = tmp_path_factory.mktemp("csv") / "q.csv"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8", errors="surrogatepass")
    _read_or_input_error(path, frameworks)

"""``cyberready.io`` on its own: atomic and exclusive writes, the CSV reader's delimiter
detection, YAML line numbers, and an import that stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import cyberready.io
from cyberready.io import (
    CsvRecords,
    atomic_write_bytes,
    atomic_write_text,
    load_file,
    read_bytes,
    read_csv_columns,
    read_yaml,
    sniff_delimiter,
    write_new_file,
)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- writes


def test_a_failed_atomic_write_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "assessment.yaml"
    target.write_bytes(b"old: 1\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # the data is written, then the flush fails
    with pytest.raises(OSError, match="No space left") as caught:
        atomic_write_bytes(target, b"new: 2\n" * 1000)
    assert caught.value.filename == str(target)  # the message names the file being written
    assert target.read_bytes() == b"old: 1\n"
    assert _temporaries(tmp_path) == []
    new = tmp_path / "new.yaml"
    with pytest.raises(OSError):
        atomic_write_text(new, "a: 1\n")
    assert not new.exists()
    assert _temporaries(tmp_path) == []


def test_a_failed_rename_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("before\n")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write_text(target, "after\n")
    assert target.read_text() == "before\n"
    assert _temporaries(tmp_path) == []


def test_atomic_write_replaces_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two ü\n")
    assert read_bytes(target) == "two ü\n".encode()
    assert _temporaries(target.parent) == []


def test_write_new_file_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "history" / "assessment-2026-01-10.yaml"
    assert write_new_file(target, b"first\n") is True
    assert target.read_bytes() == b"first\n"
    assert write_new_file(target, b"second\n") is False
    assert target.read_bytes() == b"first\n"
    assert _temporaries(target.parent) == []


def test_write_new_file_loses_a_race_without_overwriting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer creates the file between the existence check and the write: the
    exclusive link fails, and that writer's file is kept."""
    target = tmp_path / "assessment-2026-01-10.yaml"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"the other writer's\n")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    assert write_new_file(target, b"mine\n") is False
    assert target.read_bytes() == b"the other writer's\n"
    assert _temporaries(tmp_path) == []


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("station,region,kits\nps-1,north,3\nps-2,south,4\n", ","),
        ("station;region;kits\nps-1;north;3\nps-2;south;4\n", ";"),
        ("station\tregion\tkits\nps-1\tnorth\t3\nps-2\tsouth\t4\n", "\t"),
        # a quoted value holding the other delimiter does not fool it
        ('station;region;kits\nps-1;"north, hills";3\nps-2;"south, coast";4\n', ";"),
        ('station,region,kits\nps-1,"north; hills",3\nps-2,"south; coast",4\n', ","),
        ('station\tnote\nps-1\t"a, b; c"\nps-2\t"d; e, f"\n', "\t"),
    ],
)
def test_the_delimiter_is_detected(tmp_path: Path, text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    table, problems = read_csv_columns(path, delimiter=None)
    assert problems == []
    assert table is not None and table.header[0] == "station"
    assert table.columns["station"] == ["ps-1", "ps-2"]
    assert table.lines.tolist() == [2, 3]
    if "region" in table.columns:
        assert table.columns["region"][0] in ("north", "north, hills", "north; hills")


def test_rows_cut_short_leave_the_header_to_decide() -> None:
    assert sniff_delimiter("station;region;kits\nps-1;north;3\nps-2\nps-3;south\n") == ";"
    assert sniff_delimiter("\n\nstation\tregion\nps-1\nps-2\tsouth\tx\n") == "\t"


def test_without_a_clear_delimiter_a_comma_is_assumed() -> None:
    assert sniff_delimiter("station\nps-1\nps-2\n") == ","
    assert sniff_delimiter("") == ","
    assert sniff_delimiter("just some words") == ","
    assert sniff_delimiter("a|b|c\n1|2|3\n") == ","  # only , ; and tab are candidates


def test_generate_csv_keeps_its_comma_unless_detection_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("station;region\nps-1;north\n", encoding="utf-8")
    table, problems = read_csv_columns(path)
    assert problems == [] and table is not None
    assert table.header == ("station;region",)


def test_records_name_the_line_each_starts_on() -> None:
    text = 'a;b\n\n"two\nlines";x\nlast;y\n'
    records = CsvRecords(text, delimiter=None)
    assert records.delimiter == ";"
    assert list(records) == [(1, ["a", "b"]), (2, []), (3, ["two\nlines", "x"]), (5, ["last", "y"])]


def test_a_large_file_is_sniffed_from_its_first_lines_only() -> None:
    head = "station;region\n" + "".join(f"ps-{i};north\n" for i in range(5000))
    assert sniff_delimiter(head + "x,y,z,w\n" * 10) == ";"


@pytest.mark.parametrize("unit", [',"a', ' "x\n', ";'"])
def test_a_crafted_file_is_sniffed_fast(unit: str) -> None:
    """Quote openers with no closers make the sniffer's patterns slow in the square of the
    sample: only the first lines are sniffed, so even a big crafted file takes a moment."""
    import time

    start = time.perf_counter()
    assert sniff_delimiter(unit * 1_000_000) in (",", ";", "\t")
    assert time.perf_counter() - start < 3.0


# --------------------------------------------------------------------------- YAML


def test_yaml_problems_name_the_line_of_the_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "assessment.yaml"
    path.write_text(
        "schema_version: 1\n"
        "kind: assessment\n"
        "emb: test-emb\n"
        "frameworks: [mini]\n"
        "as_of: 2026-01-10\n"
        "answers:\n"
        "  MINI-A-01:\n"
        "    level: 3\n"
        "  MINI-A-02:\n"
        "    level: seven\n",
        encoding="utf-8",
    )
    doc, problems = read_yaml(path)
    assert problems == [] and doc is not None
    assert doc.line_of(("answers", "MINI-A-02", "level")) == 10
    assert doc.line_of(("answers", "MINI-A-01")) == 7
    loaded = load_file(path, display="assessment.yaml")
    assert loaded.model is None
    bad = [p for p in loaded.problems if p.field == "answers.MINI-A-02.level"]
    assert bad, loaded.problems
    assert {p.line for p in bad} == {10}
    assert all(p.file == "assessment.yaml" for p in loaded.problems)


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is None
    assert len(problems) == 1 and problems[0].line == 3  # where the reader stopped
    assert "YAML syntax error" in problems[0].message
    assert "list that starts on line 2" in problems[0].message  # and where the list opened


# --------------------------------------------------------------------------- the package


def test_importing_io_loads_no_numeric_or_plotting_library() -> None:
    code = (
        "import sys, cyberready.io\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} "
        "& {'numpy', 'pandas', 'scipy', 'matplotlib'})\n"
        "print(','.join(heavy))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.strip() == ""


def test_every_exported_name_is_there() -> None:
    for name in cyberready.io.__all__:
        assert hasattr(cyberready.io, name), name
    assert cyberready.io.__doc__ and "only package that reads or writes files" in (
        cyberready.io.__doc__
    )

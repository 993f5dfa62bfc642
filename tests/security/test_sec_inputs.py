"""Hostile values in YAML files and options, through the real CLI: non-finite and loosely typed
numbers are refused at their line, long values are not echoed in full, locales are names from
the shipped list, ``--trials`` is bounded before anything is allocated, and CSV output never
starts a cell with a formula character."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.engine import MAX_TRIALS, check_trials
from cyberready.errors import InputError
from cyberready.io import data_dir
from cyberready.report.i18n import _locales_dir, translations


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(cyberready.example_path(), tmp_path / "examplia"))


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _set(path: Path, key: str, value: str) -> int:
    """Set a top-level ``key: value`` line of a YAML file; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[n] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


def _refused(result: Any) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return str(result.output)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e+400"])
def test_a_non_finite_budget_is_refused_at_its_line(ws: Path, value: str) -> None:
    line = _set(ws / "emb.yaml", "budget_usd", value)
    out = _refused(_run("validate", str(ws)))
    assert re.search(rf"emb\.yaml:{line}: budget_usd: .*(finite|at least|at most)", out), out


def test_a_budget_beyond_a_trillion_is_refused(ws: Path) -> None:
    line = _set(ws / "emb.yaml", "budget_usd", "5.0e+15")
    out = _refused(_run("validate", str(ws)))
    assert f"emb.yaml:{line}: budget_usd: must be at most" in out


@pytest.fixture
def framework_copy(tmp_path: Path, ws: Path) -> Path:
    """A copy of the IFES framework under another id (controls EVL-…) in a --frameworks-dir,
    the workspace pointing at it."""
    folder = tmp_path / "fw"
    folder.mkdir()
    text = (data_dir("frameworks") / "ifes-tech-guidelines.yaml").read_text(encoding="utf-8")
    swap = {"ifes-tech-guidelines": "evil-fw", "TCG-": "EVL-"}
    for old, new in swap.items():
        text = text.replace(old, new)
    (folder / "evil.yaml").write_text(text, encoding="utf-8")
    for path in ws.rglob("*.yaml"):
        content = path.read_text(encoding="utf-8")
        for old, new in swap.items():
            content = content.replace(old, new)
        path.write_text(content, encoding="utf-8")
    return folder / "evil.yaml"


def _edit_control(path: Path, control: str, key: str, value: str) -> int:
    """Set ``key`` (a line inside the control, e.g. ``title`` or ``weeks``) of one control."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {control}")
    n = next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(f"{key}:"))
    indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
    lines[n] = f"{indent}{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cost_usd", "{cost_usd: [0, .inf], weeks: 4}"),
        ("weeks", "{cost_usd: [0, 900], weeks: .inf}"),
    ],
)
def test_non_finite_effort_is_refused_before_any_report(
    ws: Path, framework_copy: Path, key: str, value: str
) -> None:
    line = _edit_control(framework_copy, "EVL-EMB-02", "effort", value)
    out = _refused(
        _run(
            "prioritize", str(ws), "--frameworks-dir", str(framework_copy.parent), "--trials", "50"
        )
    )
    assert f"evil.yaml:{line}:" in out and f"effort.{key}" in out
    assert "finite" in out


@pytest.mark.parametrize("value", ["1.0", "true", '"1"'])
def test_schema_version_is_the_integer_1(ws: Path, value: str) -> None:
    line = _set(ws / "emb.yaml", "schema_version", value)
    out = _refused(_run("validate", str(ws)))
    assert f"emb.yaml:{line}: schema_version: unsupported schema_version" in out


def test_levels_and_weights_are_whole_numbers_and_flags_are_booleans(ws: Path) -> None:
    assessment = ws / "assessment.yaml"
    text = assessment.read_text(encoding="utf-8")
    first = re.search(r"level: (\d)", text)
    assert first is not None
    assessment.write_text(text.replace(first.group(0), "level: 2.0", 1), encoding="utf-8")
    out = _refused(_run("validate", str(ws)))
    assert "assessment.yaml" in out and "whole number" in out


@pytest.mark.parametrize("value", ["2026-11-01", '"2026-11-01"'])
def test_iso_dates_quoted_or_not_stay_accepted(ws: Path, value: str) -> None:
    _set(ws / "assessment.yaml", "as_of", value)
    result = _run("validate", str(ws))
    assert result.exit_code == 0, result.output


def test_a_100000_digit_value_is_not_echoed_in_full(ws: Path) -> None:
    _set(ws / "emb.yaml", "budget_usd", "7" * 100_000)
    out = _refused(_run("validate", str(ws)))
    assert "budget_usd" in out and "100,000 digits" in out
    assert len(out) < 2_000
    _set(ws / "emb.yaml", "budget_usd", "0x" + "f" * 20_000)  # parses: a 80,000-bit number
    out = _refused(_run("validate", str(ws)))
    assert "digits" in out and len(out) < 2_000


def test_a_long_text_in_a_wrong_place_is_shortened(ws: Path) -> None:
    _set(ws / "emb.yaml", "scenarios", "x" * 50_000)
    out = _refused(_run("validate", str(ws)))
    assert "scenarios" in out and len(out) < 2_000


def test_locale_option_takes_shipped_names_only(ws: Path, tmp_path: Path) -> None:
    out = _refused(_run("report", str(ws), "--locale", "../../x", "--out", str(tmp_path / "r")))
    assert "--locale" in out and "shipped report languages" in out


def test_emb_languages_are_locale_names(ws: Path) -> None:
    line = _set(ws / "emb.yaml", "languages", "[en, ../../x]")
    out = _refused(_run("validate", str(ws)))
    assert f"emb.yaml:{line}: languages[1]" in out


def _plant_catalog(tmp_path: Path) -> str:
    """A catalog outside the shipped ones, and the relative 'locale' that would reach it."""
    po = tmp_path / "evil" / "LC_MESSAGES" / "cyberready.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Readiness"\nmsgstr "PLANTED"\n',
        encoding="utf-8",
    )
    ups = "/".join([".."] * len(_locales_dir().resolve().parts))
    return ups + str(tmp_path / "evil")


def test_a_catalog_outside_the_shipped_ones_is_never_loaded(tmp_path: Path) -> None:
    locale = _plant_catalog(tmp_path)
    assert translations(locale).gettext("Readiness") == "Readiness"


def test_a_saved_run_naming_a_path_as_its_locale_is_refused(ws: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.json"
    saved = _run("assess", str(ws), "--save", str(run), "--trials", "50", "--screen-trials", "10")
    assert saved.exit_code == 0, saved.output
    data = json.loads(run.read_text(encoding="utf-8"))
    locale = _plant_catalog(tmp_path)
    for view in data["views"].values():
        view["meta"]["locale"] = locale
    run.write_text(json.dumps(data), encoding="utf-8")
    out_dir = tmp_path / "reports"
    result = _run("report", str(ws), "--from", str(run), "--format", "md", "--out", str(out_dir))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert not any("PLANTED" in p.read_text() for p in out_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize("command", ["simulate", "prioritize"])
def test_a_billion_trials_is_refused_before_allocating(ws: Path, command: str) -> None:
    out = _refused(_run(command, str(ws), "--trials", "1000000000"))
    assert "--trials" in out and f"{MAX_TRIALS:,}" in out


def test_trials_that_would_not_fit_in_memory_are_refused_with_an_estimate() -> None:
    check_trials(10_000, n_functions=12, n_scenarios=20, budget=1 << 30)
    with pytest.raises(InputError, match=r"need about .* GiB .*at most [\d,]+ trials fit"):
        check_trials(5_000_000, n_functions=12, n_scenarios=20, budget=1 << 30)


def _csv_titles(output: str, ids: set[str]) -> dict[str, str]:
    return {
        row["control"]: row["title"]
        for row in csv.DictReader(io.StringIO(output))
        if row["control"] in ids
    }


def test_csv_output_guards_titles_that_start_like_formulas(ws: Path, framework_copy: Path) -> None:
    titles = {"EVL-EMB-01": "\"=cmd|' /C calc'!A0\"", "EVL-EMB-02": '"@SUM(A1)"'}
    for control, title in titles.items():
        _edit_control(framework_copy, control, "title", title)
    extra = ("--frameworks-dir", str(framework_copy.parent))
    scores = _run("assess", str(ws), *extra, "--csv")
    assert scores.exit_code == 0, scores.output
    found = _csv_titles(scores.stdout, set(titles))
    assert found == {"EVL-EMB-01": "'=cmd|' /C calc'!A0", "EVL-EMB-02": "'@SUM(A1)"}
    ranking = _run(
        "prioritize", str(ws), *extra, "--csv", "--trials", "100", "--screen-trials", "10"
    )
    assert ranking.exit_code == 0, ranking.output
    assert _csv_titles(ranking.stdout, {"EVL-EMB-02"}) == {"EVL-EMB-02": "'@SUM(A1)"}
    for row in csv.reader(io.StringIO(ranking.stdout)):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row), row

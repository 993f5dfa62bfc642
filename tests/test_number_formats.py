"""One way to write each quantity: every audience × format of the Examplia reports, written by
the CLI, writes chances, costs and weight points by the same rule (cyberready.report.numbers), and
explains the units before they are used."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.report import numbers

AUDIENCES = ("technical", "advisor", "donor")
PERCENT = re.compile(r"(?<![\w.])([<>]?\d+(?:[.,]\d+)?)%")
MONEY = re.compile(r"\$[\d.,]+[kKmM]?")
MONEY_OK = re.compile(r"\$\d{1,3}(?:,\d{3})*")
POINTS_OK = re.compile(r"<0\.001|\d+\.\d{3}")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("numbers")
    ws = Path(shutil.copytree(cyberready.example_path(), root / "examplia"))
    out = root / "out"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(ws),
            "--audience",
            "all",
            "--format",
            "html,md,json,xlsx",
            "--trials",
            "300",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _text(reports: Path, audience: str, fmt: str) -> str:
    raw = (reports / f"examplia-iec-{audience}.{fmt}").read_text(encoding="utf-8")
    if fmt == "html":
        body = raw.split("<body", 1)[1]  # the stylesheet has percentages of its own
        body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)  # charts: checked apart
        raw = re.sub(r"<[^>]+>", " ", body)
    return html_module.unescape(raw)


def _view(reports: Path, audience: str) -> Any:
    return json.loads((reports / f"examplia-iec-{audience}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_percentages_and_dollars_follow_one_rule(reports: Path, audience: str, fmt: str) -> None:
    text = _text(reports, audience, fmt)
    found = PERCENT.findall(text)
    assert found
    for value in found:  # whole percent, <1 or >99; never 12.5% or 0.3%
        assert re.fullmatch(r"<1|>99|\d{1,3}", value), value
    unit = "per $1k"  # the name of a unit (benefit per $1,000), not an amount
    for value in MONEY.findall(text.replace(unit, "")):  # $12,000, never $12k or $1.2M
        assert MONEY_OK.fullmatch(value.rstrip(".,")), value
    assert not re.search(r"\d%\s*·", text)  # no "8% · low" beside "8% (low)"


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_chance_of_failure_is_written_as_the_json_value_says(
    reports: Path, audience: str, fmt: str
) -> None:
    text = _text(reports, audience, fmt)
    view = _view(reports, audience)
    levels = {"high", "elevated", "moderate", "low"}
    for f in view["functions"]:
        p = f["p_fail"]
        shown = numbers.chance(p)
        if p > 0:
            assert shown != "0%"
        level = f.get("level") or next(
            lv
            for lv, lo in (("high", 0.25), ("elevated", 0.1), ("moderate", 0.03), ("low", 0))
            if p >= lo
        )
        assert level in levels
        assert f"{shown} ({level})" in text, (f["title"], shown)


def test_the_donor_never_reads_0_percent_for_a_chance_the_technical_report_shows(
    reports: Path,
) -> None:
    technical = {f["title"]: f["p_fail"] for f in _view(reports, "technical")["functions"]}
    for f in _view(reports, "donor")["functions"]:
        exact = technical[f["title"]]
        assert numbers.chance(f["p_fail"]) == numbers.chance(exact), f["title"]


@pytest.mark.parametrize("audience", ["technical", "advisor"])
def test_weight_points_have_three_decimals(reports: Path, audience: str) -> None:
    md = _text(reports, audience, "md")
    table = md.split("| Expected loss |", 1)[1].split("\n\n", 1)[0]
    rows = [r for r in table.splitlines()[2:] if r.startswith("|")]
    assert rows
    for row in rows:
        loss, trust = (c.strip() for c in row.strip("|").split("|")[-2:])
        assert POINTS_OK.fullmatch(loss) and POINTS_OK.fullmatch(trust), row
    total = _view(reports, audience)["expected_loss"]
    assert f"total over all scenarios is {numbers.points(total)} weight points" in md


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_units_are_explained_before_they_are_used(reports: Path, audience: str, fmt: str) -> None:
    text = _text(reports, audience, fmt)
    note = text.index("How numbers are written")
    assert note < text.index("weight points")
    assert note < text.index("$")
    glossary = text[text.rindex("Glossary") :]
    for term in ("Weight points", "Share of simulated risk removed", "Costs"):
        assert term in glossary
    assert ("Benefit per $1k" in glossary) == (audience != "donor")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_xlsx_writes_chances_and_money_by_the_same_rule(reports: Path, audience: str) -> None:
    wb = openpyxl.load_workbook(reports / f"examplia-iec-{audience}.xlsx")
    assert "Units" in wb.sheetnames
    seen = 0
    for ws in wb.worksheets:
        headers = [c.value for c in ws[2]]
        for k, header in enumerate(headers):
            if header in ("Chance of failure", "Risk removed", "Likelihood", "Answered"):
                for cell in [row[k] for row in ws.iter_rows(min_row=3)]:
                    if isinstance(cell.value, int | float):
                        seen += 1
                        want = numbers.chance(cell.value)
                        fmt = cell.number_format
                        assert fmt == (f'"{want}"' if want[0] in "<>" else "0%"), (header, cell)
            if isinstance(header, str) and header.endswith("(USD)"):
                for cell in [row[k] for row in ws.iter_rows(min_row=3)]:
                    if isinstance(cell.value, int | float):
                        assert cell.number_format == '"$"#,##0'
    assert seen


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0, "0%"), (1e-9, "<1%"), (0.0049, "<1%"), (0.0051, "1%"), (0.999, ">99%"), (1.0, "100%")],
)
def test_a_chance_reads_0_or_100_percent_only_when_exact(p: float, text: str) -> None:
    assert numbers.chance(p) == text
    fmt = numbers.excel_format("chance", p)
    assert fmt == (f'"{text}"' if text[0] in "<>" else "0%")

"""Issue 17, item 4: an anonymised portfolio re-identifies no EMB: no id, name, country,
election, exact budget, exact date or EMB-written title of its inputs reaches its outputs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from cyberready.cli import main
from cyberready.portfolio import Portfolio, budget_band
from cyberready.report import portfolio_report
from cyberready.report.portfolio_report import PortfolioFormat, render_portfolio

FAST = ["--trials", "20", "--screen-trials", "10", "--seed", "3"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("anon") / "sample"
    made = CliRunner().invoke(
        main, ["examples", "portfolio", "--n", "3", "--seed", "11", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    return out


def _load(path: Path) -> Any:
    # libyaml's safe loader where PyYAML has it: the sample's system files are large
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def _inputs(sample: Path) -> tuple[set[str], set[int], set[dt.date]]:
    """What would identify an EMB: texts, exact budgets and exact dates of its files."""
    texts: set[str] = set()
    budgets: set[int] = set()
    dates: set[dt.date] = set()
    for ws in sorted(p for p in sample.iterdir() if p.is_dir()):
        emb = _load(ws / "emb.yaml")
        texts |= {emb["id"], emb["name"], emb["country"], emb["country"].split(" (")[0]}
        budgets.add(int(emb["budget_usd"]))
        dates |= {emb["as_of"], emb["election"]["date"]}
        texts |= {f["title"] for f in _load(ws / "system.yaml")["functions"]}
        for f in [ws / "assessment.yaml", *sorted((ws / "history").glob("*.yaml"))]:
            if f.exists():
                dates.add(_load(f)["as_of"])
    return texts, budgets, dates


def _money(b: int) -> list[str]:
    return [str(b), f"{b:,}", f"{b:.1f}", f"${b / 1000:.0f}k"]


@pytest.fixture(scope="module")
def outputs(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """``cyberready portfolio --anonymize`` as JSON, and the portfolio that command rendered
    as XLSX and HTML too (kept as it passes to the renderer: assessing the EMBs a second time
    for those formats took as long as the command)."""
    out = tmp_path_factory.mktemp("anon-out") / "summary.json"
    rendered: list[Portfolio] = []

    def keep(shown: Portfolio, fmt: PortfolioFormat, **options: Any) -> bytes:
        rendered.append(shown)
        return render_portfolio(shown, fmt, **options)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(portfolio_report, "render_portfolio", keep)
        run = CliRunner().invoke(
            main,
            ["portfolio", str(sample), "--anonymize", "--out", str(out), "--executor", "serial",
             *FAST],
        )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert len(rendered) == 1, "the command no longer renders through render_portfolio"
    (shown,) = rendered
    assert render_portfolio(shown, "json") == out.read_bytes()
    return {
        "json": out.read_bytes(),
        "xlsx": render_portfolio(shown, "xlsx"),
        "html": render_portfolio(shown, "html"),
    }


def test_the_anonymised_outputs_hold_nothing_of_the_inputs(
    sample: Path, outputs: dict[str, bytes]
) -> None:
    texts, budgets, dates = _inputs(sample)
    assert len(budgets) == 3 and len(texts) > 10 and len(dates) >= 6
    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    strings = {
        "json": json.dumps(json.loads(outputs["json"]), ensure_ascii=False),
        "html": outputs["html"].decode("utf-8"),
        "xlsx": "\n".join(str(c) for c in cells if c is not None),
    }
    for fmt, text in strings.items():
        folded = text.casefold()
        leaked = sorted(t for t in texts if t.casefold() in folded)
        assert not leaked, (fmt, leaked)
        exact = [b for b in budgets for m in _money(b) if m in text]
        assert not exact, (fmt, exact)
        iso = [d.isoformat() for d in dates if d.isoformat() in text]
        assert not iso, (fmt, iso)
    as_dates = {c.date() if isinstance(c, dt.datetime) else c for c in cells}
    assert not dates & as_dates
    assert not budgets & {c for c in cells if isinstance(c, int | float)}
    doc = json.loads(outputs["json"])
    embs = doc["tables"]["embs"]
    assert {r["emb"] for r in embs} == {"EMB-01", "EMB-02", "EMB-03"}
    assert {r["budget_band"] for r in embs} <= {label for _lo, label in _bands()}
    assert all(r["as_of"][4:6] == "-Q" for r in embs)
    titles = {r["function"] for r in doc["tables"]["functions"]}
    assert titles and all(t.startswith("Election function ") for t in titles)


def _bands() -> list[tuple[float, str]]:
    return [budget_band(x) for x in (0, 2e5, 7e5, 2e6, 9e6)]

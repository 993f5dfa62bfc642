"""``cyberready report`` and the reports written by ``cyberready demo --out``."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from report_workspace import write_workspace

from cyberready.cli import _cmd_demo as cli
from cyberready.cli import main
from cyberready.report import View


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws")


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_report_writes_the_requested_audience_and_format(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "donor.md"
    res = _invoke(
        "report",
        str(workspace),
        "--audience",
        "donor",
        "--format",
        "md",
        "--trials",
        "100",
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert f"wrote {out}" in res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("**TLP:GREEN**")
    assert "Electoral Commission of Testland" in text
    assert "vr-register" not in text


def test_report_default_name_and_json(workspace: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    res = _invoke("report", str(workspace), "--format", "json", "--trials", "50", "--seed", "4")
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "rep-emb-technical.json").read_text(encoding="utf-8"))
    assert data["audience"] == "technical" and data["meta"]["seed"] == 4
    assert data["banner"]["tlp"] == "TLP:AMBER+STRICT"


def test_report_json_schema(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "donor.schema.json"
    res = _invoke(
        "report",
        str(workspace),
        "--audience",
        "donor",
        "--format",
        "json-schema",
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["title"] == "DonorView" and schema["additionalProperties"] is False


def test_report_uses_user_templates(workspace: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "donor.html.j2").write_text("<p>{{ view.meta.emb_name }}</p>", encoding="utf-8")
    out = tmp_path / "d.html"
    res = _invoke(
        "report",
        str(workspace),
        "--audience",
        "donor",
        "--templates",
        str(templates),
        "--trials",
        "50",
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == "<p>Electoral Commission of Testland</p>"


@pytest.fixture
def drawn(monkeypatch: Any) -> list[str]:
    """The audiences whose charts the real ``make_charts`` draws, in the order drawn."""
    render_module = importlib.import_module("cyberready.report.render")  # not report.render()
    calls: list[str] = []
    real: Callable[..., dict[str, str]] = render_module.make_charts

    def counted(view: View, gettext: Any = None) -> dict[str, str]:
        calls.append(view.audience)
        return real(view, gettext)

    monkeypatch.setattr(render_module, "make_charts", counted)
    return calls


def test_report_draws_each_views_charts_once_for_html_and_pdf(
    workspace: Path, tmp_path: Path, drawn: list[str]
) -> None:
    """HTML and PDF of one view in one run: the charts are drawn once (matplotlib is the slow
    part of a report) and the HTML is the same bytes as when it is written alone."""
    pytest.importorskip("weasyprint")
    run = ["report", str(workspace), "--audience", "technical,donor", "--trials", "40"]
    run += ["--screen-trials", "10", "--seed", "3"]
    res = _invoke(*run, "--format", "pdf,html,md", "--out", str(tmp_path / "both"))
    assert res.exit_code == 0, res.output
    assert sorted(drawn) == ["donor", "technical"]
    assert b"<svg" in (tmp_path / "both" / "rep-emb-technical.html").read_bytes()
    assert (tmp_path / "both" / "rep-emb-technical.pdf").read_bytes().startswith(b"%PDF")
    res = _invoke(*run, "--format", "html", "--out", str(tmp_path / "alone"))
    assert res.exit_code == 0, res.output
    for audience in ("technical", "donor"):
        name = f"rep-emb-{audience}.html"
        alone = (tmp_path / "alone" / name).read_bytes()
        assert (tmp_path / "both" / name).read_bytes() == alone


def test_report_draws_the_technical_and_advisor_charts_once(
    workspace: Path, tmp_path: Path, drawn: list[str]
) -> None:
    """Technical and advisor views of one run show the same charts: they are drawn once (for
    the first), the donor's apart, and the advisor page is the same bytes as written alone."""
    run = ["report", str(workspace), "--trials", "40", "--screen-trials", "10", "--seed", "3"]
    run += ["--format", "html"]
    res = _invoke(*run, "--audience", "technical,advisor,donor", "--out", str(tmp_path / "all"))
    assert res.exit_code == 0, res.output
    assert drawn == ["technical", "donor"]
    res = _invoke(*run, "--audience", "advisor", "--out", str(tmp_path / "advisor.html"))
    assert res.exit_code == 0, res.output
    assert drawn == ["technical", "donor", "advisor"]
    alone = (tmp_path / "advisor.html").read_bytes()
    assert alone.count(b"<svg") >= 4  # the charts are really there
    assert (tmp_path / "all" / "rep-emb-advisor.html").read_bytes() == alone


def test_report_pdf_without_the_extra_exits_2_naming_it(
    workspace: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(
        main, ["report", str(workspace), "--format", "pdf", "--trials", "50", "--out", str(out)]
    )
    assert res.exit_code == 2
    assert "pip install 'cyberready[pdf]'" in res.output
    assert not out.exists()


def test_report_on_an_invalid_workspace_exits_3(workspace: Path) -> None:
    (workspace / "system.yaml").write_text("schema_version: 1\nkind: system\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(workspace), "--trials", "10"])
    assert res.exit_code == 3
    assert "system.yaml" in res.output


# --------------------------------------------------------------------------- demo


@pytest.fixture
def quick_demo(monkeypatch: Any) -> None:
    """The demo with few trials, and without the other sections' own simulations."""
    monkeypatch.setattr(cli, "_demo_top_risks", lambda ws, locale: [])
    monkeypatch.setattr(cli, "_demo_top_actions", lambda ws, locale: [])
    original = cli._demo_reports
    monkeypatch.setattr(
        cli,
        "_demo_reports",
        lambda ws, out, trials, locale: original(ws, out, trials=20, locale=locale),
    )


@pytest.mark.slow
def test_demo_writes_every_audience_in_html_and_pdf(demo_run: tuple[int, str, Path]) -> None:
    """On the session's real demo run (conftest), which the README's test below also reads."""
    pytest.importorskip("weasyprint")
    code, output, out = demo_run
    assert code == 0, output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        f"examplia-iec-{a}.{f}"
        for a in ("advisor", "donor", "public", "technical")
        for f in ("html", "pdf")
    ]
    for name in names:
        assert str(out / name) in output
        assert (out / name).stat().st_size > 10_000
    assert (out / "examplia-iec-donor.pdf").read_bytes().startswith(b"%PDF")


def test_demo_without_the_pdf_extra_writes_html_and_says_how(
    quick_demo: None, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    out = tmp_path / "demo"
    res = _invoke("demo", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [
        "examplia-iec-advisor.html",
        "examplia-iec-donor.html",
        "examplia-iec-public.html",
        "examplia-iec-technical.html",
    ]
    assert "pip install 'cyberready[pdf]'" in res.output


def test_the_real_demo_writes_every_audience_and_says_where(
    demo_run: tuple[int, str, Path],
) -> None:
    """The README's main command, end to end with default settings: eight reports, each named."""
    pytest.importorskip("weasyprint")  # without the pdf extra the demo writes HTML only
    code, output, out = demo_run
    assert code == 0, output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 8, written
    for audience in ("technical", "advisor", "donor", "public"):
        for suffix in (".html", ".pdf"):
            match = [name for name in written if audience in name and name.endswith(suffix)]
            assert match, (audience, suffix, written)
            assert (out / match[0]).stat().st_size > 1000
            assert match[0] in output

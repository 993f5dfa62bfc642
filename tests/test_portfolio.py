"""Portfolios: identical numbers on every executor, suppression of small breakdowns, nothing
sensitive in any output, anonymised aliases, comparisons and the ``portfolio`` command."""

from __future__ import annotations

import ast
import html as html_module
import json
import re
import shutil
import statistics
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.errors import InputError, OptionalDependencyError
from cyberready.portfolio import Portfolio, RunSettings, assess_portfolio
from cyberready.portfolio import _run as portfolio_run
from cyberready.portfolio._record import compile_in_scope, load_or_problems
from cyberready.portfolio._run import _dask_client
from cyberready.report import build_view
from cyberready.report.i18n import translations
from cyberready.report.portfolio_report import render_portfolio

CANARIES = (
    "zq-canary-host",
    "Canary label of the secret server",
    "Canary evidence: vault combination 4711",
    "Canary note: the admin password is on a sticky note",
)
"""Sensitive strings planted in every test workspace (asset id, label, evidence, note)."""
SCENARIOS = ("phished-local-credential", "ransomware-shared-it", "results-site-ddos")


def make_emb(
    root: Path,
    emb_id: str,
    region: str,
    shift: int = 0,
    *,
    ecbs_only: bool = False,
) -> Path:
    """A copy of the Examplia workspace as another EMB: own id, name, country and region, every
    answered level moved by ``shift``, and the canaries planted."""
    src = cyberready.example_path()
    dest = root / emb_id
    shutil.copytree(src, dest)
    for path in dest.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("examplia-iec", emb_id)
        if shift:
            text = re.sub(
                r"level: (\d)", lambda m: f"level: {min(4, max(0, int(m[1]) + shift))}", text
            )
        path.write_text(text, encoding="utf-8")
    emb = yaml.safe_load((dest / "emb.yaml").read_text(encoding="utf-8"))
    country = emb_id.split("-")[0].capitalize()
    emb.update(
        name=f"Electoral Commission of {country}",
        country=country,
        region=region,
        scenarios=list(SCENARIOS),  # three scenarios keep the tests quick
    )
    if ecbs_only:
        emb["frameworks"] = ["usaid-ecbs"]
    (dest / "emb.yaml").write_text(yaml.safe_dump(emb, sort_keys=False), encoding="utf-8")
    for name in ["assessment.yaml", *(f"history/{p.name}" for p in (dest / "history").iterdir())]:
        doc = yaml.safe_load((dest / name).read_text(encoding="utf-8"))
        if ecbs_only:
            doc["frameworks"] = ["usaid-ecbs"]
            doc["answers"] = {k: v for k, v in doc["answers"].items() if k.startswith("ECBS")}
        first = next(iter(doc["answers"]))
        doc["answers"][first].update(evidence=CANARIES[2], notes=CANARIES[3])
        (dest / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    system = yaml.safe_load((dest / "system.yaml").read_text(encoding="utf-8"))
    system["assets"].append(
        {"id": CANARIES[0], "type": "tally_server", "label": CANARIES[1], "exposure": "internet",
         "tags": ["hq"]}
    )  # fmt: skip
    system["links"].append({"from": CANARIES[0], "to": "tally-national", "kind": "connects_to"})
    (dest / "system.yaml").write_text(yaml.safe_dump(system, sort_keys=False), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small EMBs: three in one region, one alone; one without the IFES framework."""
    root = tmp_path_factory.mktemp("portfolio")
    make_emb(root, "alpha-ec", "coast", 0)
    make_emb(root, "bravo-ec", "coast", 1)
    make_emb(root, "charlie-ec", "coast", -1)
    make_emb(root, "delta-ec", "islands", 0, ecbs_only=True)
    return root


@pytest.fixture(scope="module")
def portfolio(four: Path) -> Portfolio:
    return assess_portfolio(four, trials=120, seed=7, executor="serial")


def _all_outputs(p: Portfolio) -> dict[str, str]:
    """Every rendered format as text (the XLSX's XML parts joined)."""
    out = {fmt: render_portfolio(p, fmt).decode("utf-8") for fmt in ("html", "json")}
    with zipfile.ZipFile(__import__("io").BytesIO(render_portfolio(p, "xlsx"))) as z:
        out["xlsx"] = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    out["frames"] = json.dumps(p.to_dict(), default=str)
    return out


# --------------------------------------------------------------------------- executors


def test_trial_ranges_combine_to_the_engines_own_numbers(four: Path) -> None:
    """Any split of the trials, combined in trial order, is the engine's simulation."""
    from cyberready.engine import combine, run_range, simulate

    ws = load_or_problems(str(four / "alpha-ec"))
    assert not isinstance(ws, list)
    sid = "ransomware-shared-it"
    c = compile_in_scope(ws, sid)
    ranges = [run_range(c, a, b, seed=5) for a, b in ((100, 250), (0, 37), (37, 100))]
    combined = combine(ranges, c, seed=5, emb=ws.emb)
    direct = simulate(ws, scenarios=[sid], trials=250, seed=5).scenarios[sid]
    assert (combined.fail_time == direct.fail_time).all()
    assert (combined.compromised == direct.compromised).all()
    assert (combined.detected == direct.detected).all()
    assert (combined.confidence == direct.confidence).all()
    assert combined.paths == direct.paths
    assert combined.expected_loss == direct.expected_loss
    assert combined.trust_loss == direct.trust_loss > 0
    with pytest.raises(ValueError, match="do not cover"):
        combine(ranges[:2], c, seed=5)
    with pytest.raises(ValueError, match="do not cover"):
        combine([*ranges, ranges[0]], c, seed=5)


def test_local_pool_and_dask_cluster_give_identical_numbers(
    four: Path, portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixture ran in this process (serial); a process pool and a Dask cluster of two
    worker processes give the very same records, priorities included, though Dask splits each
    scenario's 120 trials into three ranges spread over its workers."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(portfolio_run, "RANGE_TRIALS", 50)  # the plan is made in this process
    assert portfolio_run._ranges(["s"], 120) == [("s", 0, 40), ("s", 40, 80), ("s", 80, 120)]
    paths = [four / "alpha-ec", four / "delta-ec"]
    local = assess_portfolio(paths, trials=120, seed=7, executor="local", workers=2)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = assess_portfolio(paths, trials=120, seed=7, executor="dask", scheduler=client)
    serial = Portfolio(records=portfolio.records[0:4:3], trials=120, seed=7, screen_trials=100)
    assert [r.emb for r in serial.records] == ["alpha-ec", "delta-ec"]
    assert serial.to_dict() == local.to_dict() == dask.to_dict()
    assert local.records == dask.records == serial.records
    assert all(r.view.plan is not None for r in dask.records)  # priorities ran on the workers
    # one pipeline: each EMB's record holds the façade's own donor view, whichever executor
    screening = RunSettings(trials=120).screening
    for path in paths:
        result = cyberready.assess(path, trials=120, seed=7, priority_trials=screening)
        own = build_view(result, "donor")
        emb = result.workspace.emb.id
        assert local.record(emb).view == own == dask.record(emb).view
        assert result.simulation is not None
        assert local.record(emb).expected_loss == result.simulation.expected_loss


def test_missing_dask_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(OptionalDependencyError, match=r"cyberready\[dask\]"):
        _dask_client("tcp://127.0.0.1:1")


# --------------------------------------------------------------------------- breakdowns


def test_breakdowns_under_three_embs_are_suppressed(portfolio: Portfolio) -> None:
    regions = portfolio.to_frame("regions")
    coast = regions[(regions["region"] == "coast") & (regions["domain"] == "overall")].iloc[0]
    islands = regions[(regions["region"] == "islands") & (regions["domain"] == "overall")].iloc[0]
    assert not coast["suppressed"] and coast["n_embs"] == 3
    coast_scores = portfolio.to_frame("embs").query("region == 'coast'")["score"]
    assert coast["median"] == pytest.approx(statistics.median(coast_scores))
    assert islands["suppressed"] and islands["n_embs"] == 1
    assert regions.loc[regions["region"] == "islands", "median"].isna().all()
    # the IFES domain is held by 3 EMBs (shown), the ECBS domains by all 4
    domains = portfolio.to_frame("domains").set_index("domain")
    assert domains.loc["EMB", "n_embs"] == 3 and not domains.loc["EMB", "suppressed"]
    # two EMBs are a breakdown too small to show
    two = Portfolio(records=portfolio.records[:2], trials=120, seed=7)
    d2 = two.to_frame("domains")
    assert d2["suppressed"].all() and d2[["median", "min", "max"]].isna().all().all()
    assert d2["best"].isna().all() and d2["worst"].isna().all()
    t2 = two.to_frame("tiers")
    assert t2["suppressed"].all() and t2["embs"].isna().all()
    cmp2 = two.to_frame("comparison")
    assert cmp2["portfolio_median"].isna().all() and cmp2["region_suppressed"].all()
    # per-EMB rows are not breakdowns: still there
    assert len(two.to_frame("embs")) == 2 and two.to_frame("readiness")["score"].notna().all()
    html = render_portfolio(two, "html").decode()
    assert "suppressed (fewer than 3 EMBs)" in html
    tables = json.loads(render_portfolio(two, "json"))["tables"]
    assert all(row["median"] is None for row in tables["domains"])


def test_comparisons_against_portfolio_and_region(portfolio: Portfolio) -> None:
    cmp = portfolio.to_frame("comparison")
    readiness = portfolio.to_frame("readiness")
    vr = readiness[readiness["domain"] == "VR"]
    row = cmp[(cmp["emb"] == "bravo-ec") & (cmp["domain"] == "VR")].iloc[0]
    assert row["portfolio_median"] == pytest.approx(statistics.median(vr["score"]))
    assert row["vs_portfolio"] == pytest.approx(row["score"] - row["portfolio_median"])
    coast = vr[vr["region"] == "coast"]["score"]
    assert row["region_median"] == pytest.approx(statistics.median(coast))
    alone = cmp[(cmp["emb"] == "delta-ec") & (cmp["domain"] == "VR")].iloc[0]
    assert alone["region_suppressed"] and alone["region_median"] != alone["region_median"]
    # the EMB raised one level everywhere is the best in every domain it holds
    domains = portfolio.to_frame("domains")
    assert set(domains["best"]) == {"bravo-ec"}
    assert "charlie-ec" in set(domains["worst"])


def test_trend_and_years_come_from_each_embs_history(portfolio: Portfolio) -> None:
    trend = portfolio.to_frame("trend")
    assert (trend.groupby("emb").size() == 2).all()  # Examplia: 2025 baseline + 2026
    years = portfolio.to_frame("years").set_index("year")
    assert list(years.index) == [2025, 2026]
    assert years.loc[2026, "n_embs"] == 4 and not years.loc[2026, "suppressed"]


# --------------------------------------------------------------------------- sensitivity


def test_no_sensitive_field_from_any_workspace_reaches_any_output(
    four: Path, portfolio: Portfolio
) -> None:
    from cyberready.report.views import sensitive_strings

    forbidden = set(CANARIES)
    for ws_dir in four.iterdir():
        ws = cyberready.load_workspace(ws_dir)
        s = sensitive_strings(ws)
        forbidden |= {t for t in s["evidence"] | s["notes"] | s["labels"] if len(t) > 12}
    for name, text in [
        *_all_outputs(portfolio).items(),
        *_all_outputs(portfolio.anonymize()).items(),
    ]:
        low = text.lower()
        leaked = sorted(t for t in forbidden if t.lower() in low)
        assert not leaked, (name, leaked[:5])


def test_anonymised_portfolio_uses_stable_aliases_and_drops_identities(
    portfolio: Portfolio,
) -> None:
    a = portfolio.anonymize(seed=1)
    assert sorted(a.embs) == ["EMB-01", "EMB-02", "EMB-03", "EMB-04"]
    assert a.anonymize() is a
    assert portfolio.anonymize(seed=1).to_dict() == a.to_dict()
    mapping = {
        r.view.readiness.score: r.emb for r in a.records
    }  # scores differ between these four EMBs
    again = portfolio.anonymize(seed=2)
    assert {r.view.readiness.score: r.emb for r in again.records} != mapping
    outputs = _all_outputs(a)
    for text in outputs.values():
        for ident in ("alpha-ec", "Bravo", "Electoral Commission of", "islands"):
            assert ident not in text
    embs = a.to_frame("embs")
    assert "name" not in embs.columns and "country" not in embs.columns
    assert set(embs["region"]) == {"coast", "other"}  # a region of one EMB would identify it
    # the numbers themselves are unchanged
    assert sorted(embs["score"]) == sorted(portfolio.to_frame("embs")["score"])


# --------------------------------------------------------------------------- errors and CLI


def test_every_invalid_workspace_is_reported_at_once(tmp_path: Path) -> None:
    for name in ("one-ec", "two-ec"):
        ws = make_emb(tmp_path, name, "coast")
        (ws / "system.yaml").write_text(
            (ws / "system.yaml").read_text().replace("type: tally_server", "type: tally_servr", 1)
        )
    with pytest.raises(InputError) as err:
        assess_portfolio(tmp_path, trials=10, executor="serial")
    files = {p.file for p in err.value.problems}
    assert any("one-ec" in f for f in files) and any("two-ec" in f for f in files)
    with pytest.raises(InputError, match="no EMB workspace"):
        assess_portfolio(tmp_path / "one-ec" / "history", trials=10, executor="serial")


def test_portfolio_command_writes_each_format(four: Path, tmp_path: Path) -> None:
    two = tmp_path / "two"
    two.mkdir()
    for name in ("alpha-ec", "bravo-ec"):
        (two / name).symlink_to(four / name, target_is_directory=True)
    runner = CliRunner()
    base = ["portfolio", str(two), "--trials", "60", "--seed", "7", "--executor", "serial"]
    html = runner.invoke(main, [*base, "--out", str(tmp_path / "p.html")])
    assert html.exit_code == 0, html.output
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "TLP:GREEN" in text and "<script" not in text and "bravo-ec" in text
    assert "suppressed (fewer than 3 EMBs)" in text
    assert "assessed 2 EMBs" in html.output
    assert '<html lang="en">' in text
    french = runner.invoke(main, [*base, "--locale", "fr", "--out", str(tmp_path / "fr.html")])
    assert french.exit_code == 0, french.output
    text = html_module.unescape((tmp_path / "fr.html").read_text(encoding="utf-8"))
    _ = translations("fr").gettext
    assert '<html lang="fr">' in text
    suppressed = _("suppressed (fewer than {n} EMBs)").format(n=3)
    assert f"{_('Tier distribution')}\u00a0: {suppressed}" in text  # French typography
    assert "suppressed (fewer than 3 EMBs)" not in text
    # tiers (tables and chart legends) and confidence as the frameworks and reports name them
    french_tiers = ("Lacunes critiques", "En développement", "Établi", "Avancé")
    assert all(name in text for name in french_tiers)  # the chart legends name every tier
    for english in ("Critical gaps", "Developing", "Established", "Advanced", ">medium<"):
        assert english not in text, english
    unknown = runner.invoke(main, [*base, "--locale", "pt", "--out", str(tmp_path / "pt.html")])
    assert unknown.exit_code == 3 and not (tmp_path / "pt.html").exists()
    anon = runner.invoke(
        main, [*base, "--anonymize", "--format", "json", "--out", str(tmp_path / "p.out")]
    )
    assert anon.exit_code == 0, anon.output
    doc = json.loads((tmp_path / "p.out").read_text(encoding="utf-8"))
    assert doc["anonymized"] is True and doc["embs"] == 2 and doc["tlp"] == "TLP:GREEN"
    assert "bravo-ec" not in (tmp_path / "p.out").read_text(encoding="utf-8")
    bad = runner.invoke(main, ["portfolio", str(tmp_path / "nowhere"), "--out", "x.html"])
    assert bad.exit_code == 3 and "not a folder" in bad.output
    usage = runner.invoke(main, [*base, "--scheduler", "tcp://h:1", "--out", "x.html"])
    assert usage.exit_code == 2 and "--executor dask" in usage.output


def test_an_arabic_portfolio_reads_right_to_left(portfolio: Portfolio) -> None:
    text = render_portfolio(portfolio, "html", locale="ar").decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert translations("ar").gettext("Portfolio readiness summary") in text


def test_a_french_portfolio_writes_costs_and_phases_the_french_way(portfolio: Portfolio) -> None:
    text = html_module.unescape(render_portfolio(portfolio, "html", locale="fr").decode())
    assert "\u00a0$US" in text and not re.search(r"\$[0-9]", text)  # 12 000 $US, never $12,000
    assert translations("fr").gettext("Voter registration") in text
    assert "voter registration" not in text


def test_a_french_portfolio_titles_the_domains_of_its_charts_in_french(
    portfolio: Portfolio,
) -> None:
    from cyberready.report.portfolio_report import portfolio_charts
    from cyberready.workspace import shipped_library

    _ = translations("fr").gettext
    charts = portfolio_charts(portfolio, _, "fr")
    heatmap = html_module.unescape(charts["heatmap"])
    domains = portfolio.to_frame("readiness")[["framework", "domain", "domain_title"]]
    frameworks = shipped_library().frameworks
    for fw, domain, english in domains.drop_duplicates().itertuples(index=False):
        french = next(d for d in frameworks[fw].domains if d.id == domain).translations["fr"]
        assert french.title and french.title != english
        # the chart wraps long titles over lines: compare the first word of each
        assert french.title.split()[0] in heatmap, french.title
        assert f">{english.split()[0]}" not in heatmap, english


def test_pdf_report_is_a_pdf(portfolio: Portfolio) -> None:
    pytest.importorskip("weasyprint")
    pdf = render_portfolio(Portfolio(records=portfolio.records[:2], trials=120, seed=7), "pdf")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


def test_settings_screen_a_tenth_of_the_trials() -> None:
    assert RunSettings(trials=10_000).screening == 1_000
    assert RunSettings(trials=500).screening == 100
    assert RunSettings(trials=50).screening == 50
    assert RunSettings(trials=10_000, screen_trials=300).screening == 300


def _unused(_: Any) -> None:  # keeps the Any import used in type hints above
    return None


# --------------------------------------------------------------------------- one pipeline


def test_each_record_holds_the_facades_own_donor_view(four: Path, portfolio: Portfolio) -> None:
    """The portfolio adds no stage of its own: each EMB's record is the donor view of
    :func:`cyberready.assess` run with the portfolio's settings (screening trials for the
    priorities, no graph analyses)."""
    settings = RunSettings(trials=120, seed=7)
    for record in portfolio.records:
        result = cyberready.assess(
            four / record.emb,
            trials=120,
            seed=7,
            screen_trials=settings.screening,
            priority_trials=settings.screening,
            graph=False,
        )
        assert record.view == build_view(result, "donor")
        assert result.simulation is not None
        assert record.expected_loss == result.simulation.expected_loss
        assert record.trust_loss == result.simulation.trust_loss


def _imports(tree: ast.Module, package: str) -> list[tuple[str, bool]]:
    """(module imported, at module level?) for every import of a parsed module, function-level
    and ``TYPE_CHECKING`` imports included."""
    top = {id(n) for n in tree.body}
    out: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], base])
            out += [(f"{base}.{a.name}", id(node) in top) for a in node.names]
            out.append((base, id(node) in top))
    return out


def _import_graph() -> dict[str, set[str]]:
    """cyberready's modules and the modules each imports (by AST). Imports of the top package
    itself (``from cyberready import __version__``) are left out: it re-exports lazily."""
    root = Path(cyberready.__file__).parent
    files: dict[str, Path] = {}
    for f in root.rglob("*.py"):
        parts = ["cyberready", *f.relative_to(root).with_suffix("").parts]
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    graph: dict[str, set[str]] = {}
    for name, f in files.items():
        package = name if f.name == "__init__.py" else name.rsplit(".", 1)[0]
        tree = ast.parse(f.read_text(encoding="utf-8"))
        graph[name] = {
            m for m, _top in _imports(tree, package) if m in files and m not in (name, "cyberready")
        }
    return graph


def test_the_portfolio_never_imports_the_report_layer_back() -> None:
    """Reports read portfolios, never the reverse: no portfolio module imports the report
    layer at module level or the portfolio report at all, and no chain of imports (function-level
    ones included) leads from a portfolio module back to the portfolio."""
    root = Path(cyberready.__file__).parent / "portfolio"
    for f in root.glob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for module, top in _imports(tree, "cyberready.portfolio"):
            assert not (top and module.startswith("cyberready.report")), (f.name, module)
            assert module not in ("cyberready.report", "cyberready.report.portfolio_report")
    graph = _import_graph()
    ours = {m for m in graph if m.split(".")[:2] == ["cyberready", "portfolio"]}
    outside = {n for m in ours for n in graph[m]} - ours
    reached: set[str] = set()
    while outside:
        m = outside.pop()
        reached.add(m)
        back = graph[m] & ours
        assert not back, f"{m}, imported by the portfolio, imports {sorted(back)}"
        outside |= graph[m] - reached
    order: list[str] = []  # the portfolio's own modules import one another without a cycle
    while len(order) < len(ours):
        ready = sorted(m for m in ours - set(order) if graph[m] & ours <= set(order))
        assert ready, f"import cycle among {sorted(ours - set(order))}"
        order += ready
    assert "cyberready.portfolio" in graph["cyberready.report.portfolio_report"]


def test_notebook_view_shows_tables_without_charts(portfolio: Portfolio) -> None:
    shown = portfolio._repr_html_()
    assert "<h4>EMBs per tier</h4>" in shown and "<svg" not in shown
    assert "alpha-ec" in shown


def test_tiers_and_weak_threshold_come_from_the_default_tiers() -> None:
    from cyberready.models.framework import DEFAULT_TIERS
    from cyberready.portfolio import DEFAULT_TIERS_SCALE, DEFAULT_WEAK_BELOW

    assert tuple((float(t.min), t.name) for t in DEFAULT_TIERS) == DEFAULT_TIERS_SCALE
    assert DEFAULT_WEAK_BELOW == 60.0
    assert Portfolio(records=(), trials=2, seed=0).tiers_scale == DEFAULT_TIERS_SCALE


def test_an_arabic_portfolio_workbook_names_its_sheets_and_columns_in_arabic(
    four: Path, tmp_path: Path
) -> None:
    import openpyxl

    two = tmp_path / "two"
    two.mkdir()
    for name in ("alpha-ec", "bravo-ec"):
        (two / name).symlink_to(four / name, target_is_directory=True)
    base = ["portfolio", str(two), "--trials", "60", "--seed", "7", "--executor", "serial"]
    books, printed = {}, {}
    for lang in ("en", "ar"):
        out = tmp_path / f"{lang}.xlsx"
        result = CliRunner().invoke(main, [*base, "--locale", lang, "--out", str(out)])
        assert result.exit_code == 0, result.output
        books[lang], printed[lang] = openpyxl.load_workbook(out), result.output
        said = result.output.splitlines()[-1]  # what it assessed and wrote, in the language
        assert ("wrote" in said) is (lang == "en") and str(out) in said
    en, ar = books["en"], books["ar"]
    _ = translations("ar").gettext
    # English keeps the table and column keys scripts read (as the JSON does)
    assert en.sheetnames[:3] == ["about", "embs", "readiness"]
    assert [c.value for c in en["embs"][2]][:3] == ["emb", "name", "country"]
    assert ar.sheetnames[:3] == [_("About"), _("EMBs"), _("Readiness")]
    assert len(set(ar.sheetnames)) == len(en.sheetnames)
    headers = [c.value for c in ar[_("EMBs")][2]]
    assert headers[:4] == [_("EMB"), _("Name"), _("Country"), _("Region")]
    assert _("Readiness (0–100)") in headers and "score" not in headers
    for ws in ar.worksheets:  # every header is Arabic, right to left
        assert ws.sheet_view.rightToLeft
        assert not re.search(r"[a-z]{3,}", ws.title)
        if ws.title != _("About"):
            assert all(re.search("[\u0600-\u06ff]", str(h.value)) for h in ws[2]), ws.title
    # the numbers are the English workbook's
    assert [c.value for c in ar[_("EMBs")]["G"]][2:] == [c.value for c in en["embs"]["G"]][2:]
    # and so are the cells, in Arabic: tiers as the frameworks translate them, confidence
    # bands, the suppressed flags, domain titles; ids, EMB names and regions stay as written
    english_tiers = {"Critical gaps", "Developing", "Established", "Advanced"}
    arabic_tiers = {"ثغرات حرجة", "قيد التطوير", "راسخ", "متقدم"}  # docs/glossary-ar.md

    def column(book: Any, sheet: str, header: str) -> list[object]:
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        k = rows[0].index(header)
        return [r[k] for r in rows[1:]]

    en_tiers = column(en, "tiers", "tier")
    ar_tiers = column(ar, _("Tiers"), _("Tier"))
    assert set(en_tiers) == english_tiers and set(ar_tiers) == arabic_tiers
    assert set(column(ar, _("EMBs"), _("Tier"))) <= arabic_tiers
    assert set(column(en, "embs", "confidence")) <= {"high", "medium", "low"}
    assert set(column(ar, _("EMBs"), _("Confidence"))) <= {_("high"), _("medium"), _("low")}
    assert column(en, "tiers", "suppressed") == [True] * len(en_tiers)  # two EMBs only
    assert column(ar, _("Tiers"), _("Suppressed (too few EMBs)")) == [_("yes")] * len(ar_tiers)
    assert set(column(ar, _("Tiers"), _("Region"))) == {_("All EMBs"), "coast"}
    for title in column(ar, _("Domains"), _("Domain")):
        assert re.search("[\u0600-\u06ff]", str(title)), title
    # what the command prints: the same tier names
    table = printed["ar"].split(_("weak in every EMB"))[0]
    assert not english_tiers & set(re.findall("[A-Z][a-z]+(?: gaps)?", table))
    assert any(name in table for name in arabic_tiers)
    assert any(name in printed["en"] for name in english_tiers)

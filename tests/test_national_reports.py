"""National models in the reports: generated assets grouped, routes named, failures worded.

The Tarvonia example (2,640 polling stations from ``generate:`` CSVs) is assessed once for the
whole session (``assess --save``) and every report of these tests is rendered from that run,
through the real CLI, on a copy of the example.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.report.render import ASSET_ROWS

EXAMPLES = Path(cyberready.example_path()).parent


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def tarvonia(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of Tarvonia, assessed once (200 trials), and its technical and advisor reports
    in Markdown, JSON and HTML rendered from that saved run: (workspace, report folder)."""
    base = tmp_path_factory.mktemp("national")
    ws = base / "tarvonia"
    shutil.copytree(EXAMPLES / "tarvonia", ws)
    run = base / "run.json"
    res = _invoke("assess", str(ws), "--save", str(run), "--trials", "200", "--screen-trials", "20")
    assert res.exit_code == 0, res.output
    out = base / "reports"
    res = _invoke(
        "report",
        str(ws),
        "--from",
        str(run),
        "--trials",
        "200",
        "--screen-trials",
        "20",
        "--audience",
        "technical,advisor",
        "--format",
        "md,json,html",
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    return ws, out


def _generated(ws: Path) -> dict[str, int]:
    """Each ``generate:`` block's id template -> how many assets it generates (its CSV rows)."""
    system = yaml.safe_load((ws / "system.yaml").read_text(encoding="utf-8"))
    out = {}
    for block in system["generate"]:
        with (ws / block["csv"]).open(encoding="utf-8", newline="") as f:
            out[block["asset"]["id"]] = sum(1 for _row in csv.DictReader(f))
    return out


def _explicit(ws: Path) -> int:
    return len(yaml.safe_load((ws / "system.yaml").read_text(encoding="utf-8"))["assets"])


def _view(out: Path, audience: str = "technical") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (out / f"tarvonia-neb-{audience}.json").read_text(encoding="utf-8")
    )
    return data


def _asset_table(md: str) -> list[str]:
    section = md.split("## Assets and attack paths", 1)[1].split("\n#", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][
        1:
    ]


def test_tarvonia_asset_table_is_short_with_group_rows(tarvonia: tuple[Path, Path]) -> None:
    ws, out = tarvonia
    generated = _generated(ws)
    # every asset is in the JSON: a row each for the hand-written ones, one per group
    assert len(_view(out)["assets"]) <= _explicit(ws) + 12 * len(generated)
    for audience in ("technical", "advisor"):
        md = (out / f"tarvonia-neb-{audience}.md").read_text(encoding="utf-8")
        rows = _asset_table(md)
        assert len(rows) == ASSET_ROWS
        assert not any(re.search(r"`phone-[a-z]+-\d+`", r) for r in rows)
        groups = [r for r in rows if re.search(r"\*\*\([\d,]+\)\*\*", r)]
        assert groups, rows
        # a group row names its size and the spread over its members (min–median–max)
        assert all(re.search(r"\([^()]*%–[^()]*%–[^()]*%\)", r) for r in groups)
        assert "more rows (assets or groups) are listed in the JSON and XLSX formats" in md


def test_tarvonia_groups_hold_every_generated_asset(tarvonia: tuple[Path, Path]) -> None:
    ws, out = tarvonia
    generated = _generated(ws)
    assets = _view(out)["assets"]
    for template, n in generated.items():
        members = [a for a in assets if a["asset_id"].split("@")[0] == template]
        assert sum(a["group_size"] for a in members) == n, template
        for a in members:
            low, median, high = a["spread"]
            assert low <= median <= high
            assert a["p_compromise"] == median
    # stations are split by their district tag (2 to 12 parts); districts stay one group each
    phones = [a for a in assets if a["asset_id"].startswith("phone-{station}@district-")]
    assert 2 <= len(phones) <= 12
    tally = next(a for a in assets if a["asset_id"] == "tally-{district}")
    assert tally["group_size"] == generated["tally-{district}"]
    hand_written = [a for a in assets if a["group_size"] == 1]
    assert len(hand_written) == _explicit(ws)


def test_tarvonia_graph_draws_groups_as_nodes(tarvonia: tuple[Path, Path]) -> None:
    ws, out = tarvonia
    view = _view(out)
    nodes = view["graph_nodes"]
    total = _explicit(ws) + sum(_generated(ws).values())
    # nothing silently dropped: the nodes stand for every asset of the system
    assert sum(n["size"] for n in nodes) + view["graph_left_out"] == total
    assert view["graph_left_out"] == 0
    groups = {n["asset_id"]: n["size"] for n in nodes if n["size"] > 1}
    phones = sum(size for key, size in groups.items() if key.startswith("phone-"))
    assert phones == _generated(ws)["phone-{station}"]
    ids = {n["asset_id"] for n in nodes}
    edges = view["graph_edges"]
    # the phones' links to the call desks are drawn, merged between the two groups
    assert any(
        e["source"].startswith("phone-") and e["target"] == "call-desk-{district}" for e in edges
    )
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    html = (out / "tarvonia-neb-technical.html").read_text(encoding="utf-8")
    chart = html.split('aria-label="Assets coloured', 1)[1].split("</svg>", 1)[0]
    size = groups["tally-{district}"]
    assert f"tally-{{district}} ({size:,})" in chart


def test_routes_from_the_internet_name_their_assets(tarvonia: tuple[Path, Path]) -> None:
    _ws, out = tarvonia
    md = (out / "tarvonia-neb-technical.md").read_text(encoding="utf-8")
    routes = md.split("### Shortest routes from the internet to critical assets", 1)[1]
    routes = routes.split("\n#", 1)[0]
    items = [line for line in routes.splitlines() if line.startswith("- ")]
    assert items
    # a group of generated phones appears once, by its label, not as 2,640 bare ids
    assert not any(re.fullmatch(r"- `?[a-z0-9-]+`?", line) for line in items)
    assert sum("Presiding officer's phone" in line for line in items) <= 12


def test_routes_name_entry_and_target_on_examplia(
    demo_run: tuple[int, str, Path], example_dir: Path
) -> None:
    code, output, out = demo_run  # the demo's Examplia reports, shared with other tests
    assert code == 0, output
    page = (out / "examplia-iec-technical.html").read_text(encoding="utf-8")
    routes = page.split("Shortest routes from the internet to critical assets", 1)[1]
    routes = routes.split("</ul>", 1)[0]
    items = [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in routes.split("<li")[1:]]
    items = [i.split(">", 1)[1].strip() if i.startswith(" title=") else i for i in items]
    system = yaml.safe_load((example_dir / "system.yaml").read_text(encoding="utf-8"))
    labels = {a.get("label", a["id"]) for a in system["assets"]}
    ids = {a["id"] for a in system["assets"]}
    long = [item.split(" → ") for item in items if " → " in item]
    # entry → … → target, each step by its label (the shipped Examplia has such a route)
    assert long, items
    for steps in long:
        assert steps[0] in labels and steps[-1] in labels, steps
    assert not any(step in ids for steps in long for step in steps)


def _only_scenario(ws: Path, scenario: str) -> None:
    emb = ws / "emb.yaml"
    text = emb.read_text(encoding="utf-8")
    emb.write_text(text.replace("scenarios: all", f"scenarios: [{scenario}]"), encoding="utf-8")


def test_equipment_failure_is_worded_failed(example_copy: Path, tmp_path: Path) -> None:
    # the telecom outage has no attacker (actor: accidental, technique: equipment_failure)
    _only_scenario(example_copy, "election-night-telecom-outage")
    res = _invoke("simulate", str(example_copy), "--trials", "300")
    assert res.exit_code == 0, res.output
    table = res.output.split("Assets most often lost", 1)[1]
    lost = [line for line in table.splitlines() if "election-night-telecom-outage" in line]
    assert lost
    assert all(line.rstrip().endswith("failed") for line in lost)
    assert "compromised" not in "".join(lost)
    res = _invoke(
        "report",
        str(example_copy),
        "--format",
        "json,md",
        "--trials",
        "300",
        "--out",
        str(tmp_path),
    )
    assert res.exit_code == 0, res.output
    view = json.loads(next(tmp_path.glob("*-technical.json")).read_text(encoding="utf-8"))
    assert all(a["p_compromise"] == 0 for a in view["assets"])
    assert any(a["p_failure"] > 0 for a in view["assets"])
    md = next(tmp_path.glob("*-technical.md")).read_text(encoding="utf-8")
    assert "Chance of failure (no attacker)" in md
    paths = md.split("### Most frequent attack paths", 1)[1].split("\n#", 1)[0]
    listed = [line for line in paths.splitlines() if line.startswith("- ")]
    assert listed and all("(no attacker: the assets failed)" in line for line in listed)


def test_a_malicious_scenario_is_worded_compromised(example_copy: Path) -> None:
    _only_scenario(example_copy, "ransomware-shared-it")
    res = _invoke("simulate", str(example_copy), "--trials", "300")
    assert res.exit_code == 0, res.output
    table = res.output.split("Assets most often lost", 1)[1]
    lost = [line for line in table.splitlines() if "ransomware-shared-it" in line]
    assert lost and all(line.rstrip().endswith("compromised") for line in lost)


def test_simulation_frame_names_each_assets_group(tarvonia: tuple[Path, Path]) -> None:
    from cyberready.engine import simulate
    from cyberready.workspace import load_workspace

    ws, _out = tarvonia
    workspace = load_workspace(ws)
    result = simulate(workspace, scenarios=["election-night-telecom-outage"], trials=20)
    frame = result.to_frame("assets")
    assert len(frame) == workspace.resolved.n_assets
    by_asset = dict(zip(frame["asset"], frame["group"], strict=True))
    assert by_asset["phone-calder-001"] == "phone-{station}@district-calder"
    assert by_asset["tally-national"] == "tally-national"


def test_validate_counts_generated_assets(tarvonia: tuple[Path, Path]) -> None:
    ws, _out = tarvonia
    res = _invoke("validate", str(ws))
    assert res.exit_code == 0, res.output
    total = _explicit(ws) + sum(_generated(ws).values())
    assert f"tarvonia-neb: {total:,} assets" in res.output
    assert "election functions" in res.output and "scenarios in scope" in res.output

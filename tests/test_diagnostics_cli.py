"""Scenario diagnostics as a user meets them: ``cyberready validate`` (warnings, ``--strict``,
the not-relevant line, the tag note), ``simulate --json``, ``assess`` and every report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import cyberready
from cyberready.cli import main

SYSTEM: dict[str, Any] = {
    "schema_version": 1,
    "kind": "system",
    "emb": "phones-emb",
    "assets": [
        {"id": "phone", "type": "official_device", "exposure": "internet", "tags": ["HQ"]},
        {"id": "net", "type": "network", "tags": ["telecom"]},
        {"id": "tally-1", "type": "tally_server", "data": ["results"]},
        {"id": "site", "type": "results_website", "exposure": "internet"},
    ],
    "links": [
        {"from": "phone", "to": "net", "kind": "depends_on"},
        {"from": "net", "to": "tally-1", "kind": "connects_to"},
        {"from": "site", "to": "net", "kind": "depends_on"},
    ],
    "functions": [
        {
            "id": "tabulate",
            "title": "Tabulate results",
            "phase": "tabulation_transmission",
            "max_tolerable_outage_hours": 12,
            "requires": [{"all": ["tally-1"]}],
        }
    ],
}


def _scenario(sid: str, title: str, entry: list[Any], effects: list[Any], **more: Any) -> Any:
    return {
        "schema_version": 1,
        "kind": "scenario",
        "id": sid,
        "title": title,
        "actor": "criminal",
        "objective": "integrity",
        "phases": ["tabulation_transmission"],
        "likelihood": 0.2,
        "entry": [
            {"select": sel, "technique": "phishing", "probability": 0.5, "time": {"fixed": 4}}
            for sel in entry
        ],
        "effects": effects,
        **more,
    }


SCENARIOS = {
    # phones reach the network only by depends_on; the scenario spreads along connects_to
    "phone-hijack": _scenario(
        "phone-hijack",
        "Hijacked official phones alter the tally",
        [{"types": ["official_device"]}],
        [{"type": "alter", "targets": {"types": ["tally_server"]}}],
        propagation=[
            {
                "kinds": ["connects_to", "administers"],
                "technique": "lateral_movement",
                "probability": 0.5,
                "time": {"fixed": 4},
            }
        ],
    ),
    # voting machines: this EMB has none
    "machine-tamper": _scenario(
        "machine-tamper",
        "Voting machines tampered with",
        [{"types": ["vote_capture_device"]}],
        [{"type": "alter"}],
    ),
    # relevant (a results website exists), but entry[0] and effects[1] match nothing
    "site-attack": _scenario(
        "site-attack",
        "Results website defaced",
        [{"types": ["tally_server"], "exposure": ["internet"]}, {"types": ["results_website"]}],
        [
            {"type": "deface", "targets": {"types": ["results_website"]}},
            {"type": "disrupt", "targets": {"types": ["dns"]}, "duration": {"fixed": 8}},
        ],
    ),
}


def _dump(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def phones(tmp_path: Path) -> Path:
    """A small EMB whose own scenarios are unreachable, irrelevant and partly unmatched."""
    root = tmp_path / "phones"
    _dump(
        root / "emb.yaml",
        {
            "schema_version": 1,
            "kind": "emb",
            "id": "phones-emb",
            "name": "Phones EMB",
            "frameworks": ["usaid-ecbs"],
            "scenarios": sorted(SCENARIOS),
        },
    )
    _dump(root / "system.yaml", SYSTEM)
    for sid, data in SCENARIOS.items():
        _dump(root / "scenarios" / f"{sid}.yaml", data)
    return root


def _line(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if text in ln)


def test_validate_warns_with_file_rule_and_selector_and_exits_0(phones: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(phones)])
    assert result.exit_code == 0, result.output
    assert "valid:" in result.stdout
    err = result.stderr
    assert "3 warning(s)" in err
    hijack = phones / "scenarios" / "phone-hijack.yaml"
    line = _line(hijack, "propagation:")
    assert (
        f"phone-hijack.yaml:{line}: propagation: phone-hijack can affect nothing in phones-emb"
        in err
    )
    assert "official_device phone reaches network net only by depends_on" in err
    assert "spreads along connects_to, administers" in err
    assert "{from: phone, to: net, kind: connects_to}" in err
    site = phones / "scenarios" / "site-attack.yaml"
    assert f"site-attack.yaml:{_line(site, 'select:')}: entry[0].select" in err
    assert "types=tally_server & exposure=internet; no asset has all of them" in err
    assert "effects[1].targets: effects[1] (disrupt) of site-attack targets no asset" in err
    assert "types=dns; no asset has type dns" in err


def test_validate_summarises_a_valid_workspace_in_one_line(phones: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(phones)])
    assert (
        "phones-emb: 4 assets, 3 links, 1 election function; no assessment yet; 3 scenarios in "
        "scope (0 apply, 1 in part, 1 can affect nothing, 1 not relevant)"
    ) in result.stdout.splitlines()
    ws = cyberready.load_workspace(cyberready.example_path())
    items = int(ws.resolved.counts.sum())
    result = CliRunner().invoke(main, ["validate", str(cyberready.example_path())])
    summary = next(ln for ln in result.stdout.splitlines() if ln.startswith(f"{ws.emb.id}: "))
    assert f"{ws.resolved.n_assets} assets ({items:,} items), {ws.resolved.n_links} links" in (
        summary
    )
    assert ws.assessment is not None
    own = {c.id for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) == "emb"}
    assert f"{len(own & set(ws.assessment.answers))} of {len(own)} EMB controls answered" in (
        summary
    )
    assert f"{len(ws.scenarios)} scenarios in scope" in summary


def test_validate_strict_makes_warnings_exit_3(phones: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--strict", str(phones)])
    assert result.exit_code == 3, result.output
    assert "phone-hijack can affect nothing" in result.stderr
    assert "--strict: 3 warning(s) count as problems" in result.stderr


def test_an_irrelevant_scenario_is_listed_once_without_warning(phones: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(phones)])
    assert "machine-tamper" not in result.stderr
    assert result.stdout.count("machine-tamper") == 1
    assert (
        "not relevant to phones-emb (no asset of the types they start from): machine-tamper"
        in result.stdout
    )


def test_validate_suggests_sites_and_operators_from_tags_once(phones: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(phones)])
    notes = [ln for ln in result.stdout.splitlines() if ln.startswith("note:")]
    assert notes == [
        "note: no asset of phones-emb has a site or an operator; scenarios may narrow where an "
        "attack goes and what it hits by site and operator; tags that look like them: "
        "HQ → site: headquarters (1 asset), telecom → operator: vendor (1 asset)"
    ]
    system = yaml.safe_load((phones / "system.yaml").read_text())
    system["assets"][0]["site"] = "headquarters"
    system["assets"][1]["operator"] = "vendor"
    _dump(phones / "system.yaml", system)
    result = CliRunner().invoke(main, ["validate", str(phones)])
    assert "note:" not in result.stdout


def test_a_fixed_model_is_warning_free(phones: Path) -> None:
    system = yaml.safe_load((phones / "system.yaml").read_text())
    system["links"][0]["kind"] = "connects_to"  # the phone can reach the network
    _dump(phones / "system.yaml", system)
    emb = yaml.safe_load((phones / "emb.yaml").read_text())
    emb["scenarios"] = ["phone-hijack", "machine-tamper"]
    _dump(phones / "emb.yaml", emb)
    result = CliRunner().invoke(main, ["validate", "--strict", str(phones)])
    assert result.exit_code == 0, result.output
    assert "warning(s)" not in result.output


def test_simulate_shows_why_a_scenario_is_at_zero(phones: Path) -> None:
    text = CliRunner().invoke(main, ["simulate", str(phones), "--trials", "50"])
    assert text.exit_code == 0, text.output
    assert "0% by construction, not relevant here" in text.output
    assert "0% by construction, phone-hijack could not apply: it can reach phone" in text.output
    assert "site-attack: entry[0] (types=tally_server & exposure=internet)" in text.output
    raw = CliRunner().invoke(main, ["simulate", str(phones), "--trials", "50", "--json"])
    data = json.loads(raw.stdout)
    status = {s["scenario"]: s["status"] for s in data["scenarios"]}
    assert status == {
        "machine-tamper": "not_relevant",
        "phone-hijack": "cannot_apply",
        "site-attack": "partial",
    }
    diag = data["diagnostics"]
    assert diag["not_relevant"] == ["machine-tamper"]
    assert diag["cannot_apply"] == ["phone-hijack"]
    hijack = next(s for s in diag["scenarios"] if s["scenario"] == "phone-hijack")
    assert hijack["cause"] == "no_path"
    assert len(diag["warnings"]) == 3


def test_assess_carries_the_diagnostics(phones: Path) -> None:
    result = cyberready.assess(phones, trials=50, priorities=False)
    assert [d.scenario_id for d in result.diagnostics.cannot_apply] == ["phone-hijack"]
    assert result.summary()["scenarios_not_relevant"] == ["machine-tamper"]
    frame = result.diagnostics.to_frame().set_index("scenario")
    assert frame.loc["phone-hijack", "cause"] == "no_path"
    assert frame.loc["site-attack", "rules_matching_nothing"] == "entry[0]; effects[1]"


@pytest.mark.parametrize("audience", ["technical", "advisor", "donor"])
def test_every_report_names_the_scenarios_that_did_not_apply(
    phones: Path, tmp_path: Path, audience: str
) -> None:
    out = tmp_path / f"{audience}.md"
    args = ["report", str(phones), "--audience", audience, "--format", "md", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--trials", "50"])
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", out.read_text()).replace("\\_", "_")
    assert "Not relevant here: Voting machines tampered with." in text
    assert (
        "Could not apply: Hijacked official phones alter the tally, because no link in the "
        "system model leads from where it starts to what it could harm." in text
    )
    if audience == "donor":
        for secret in ("phone", "depends_on", "official_device", "tally_server"):
            assert secret not in text.replace("phones", "")
    else:
        assert "{from: phone, to: net, kind: connects_to}" in text
        assert "Could not apply here (see Limitations)" in text
    # the technical and advisor Markdown list the rules that match nothing, as their HTML does
    # (Markdown-escaped: the brackets and the ampersand render as written)
    rules = (
        r"- Results website defaced: entry\[0\] (types=tally_server &amp; exposure=internet): "
        "no asset has all of them (1 with type tally_server, 2 with exposure internet) "
        r"- Results website defaced: effects\[1\] (types=dns): no asset has type dns"
    )
    assert (rules in text) == (audience != "donor")


def test_rules_that_match_nothing_and_asset_types_are_in_the_reports_language(
    phones: Path, tmp_path: Path
) -> None:
    """The Limitations of a French technical report say why each rule matches nothing in
    French (the rules and selectors are keys of the scenario file: as written), and its asset
    table names the asset types in French."""
    import html

    out = tmp_path / "fr.html"
    args = ["report", str(phones), "--audience", "technical", "--format", "html"]
    result = CliRunner().invoke(
        main, [*args, "--locale", "fr", "--trials", "20", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = html.unescape(out.read_text(encoding="utf-8"))
    nb = "\u00a0"
    assert (
        f"Results website defaced{nb}: entry[0] (types=tally_server & exposure=internet){nb}: "
        "aucun actif ne remplit tous ces critères à la fois (1 avec type tally_server, "
        "2 avec exposition internet)"
    ) in text
    assert f"effects[1] (types=dns){nb}: aucun actif n'a pour type dns" in text
    assert "no asset has" not in text and " with type " not in text
    # the asset table names the asset types in French too (the ids stay as written)
    assert "serveur de décompte" in text and "site des résultats" in text
    assert "tally server" not in text and "results website" not in text


DOC = Path(__file__).resolve().parents[1] / "docs" / "diagnostics.md"


def test_the_documented_validate_output_is_what_validate_prints(phones: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    shown = doc.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    result = CliRunner().invoke(main, ["validate", str(phones)])
    printed = result.output.replace(str(phones), "phones").splitlines()
    assert shown[0] == "$ cyberready validate phones"
    assert sorted(shown[1:]) == sorted(printed)


def test_the_documented_tag_table_is_the_one_validate_uses() -> None:
    from cyberready.workspace._diagnostics import TAG_LOOKALIKES, _norm

    rows = re.findall(r"^\| `(site|operator): (\w+)` \| (.+) \|$", DOC.read_text(), re.M)
    documented = {
        _norm(tag): (field, value) for field, value, tags in rows for tag in tags.split(", ")
    }
    assert documented == dict(TAG_LOOKALIKES)

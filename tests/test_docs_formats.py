"""docs/system-model.md stays true: its examples load, and its vocabulary lists are the code's.

A user copies these snippets into a workspace; a snippet the loader refuses, or a list that has
lost a type, site or operator the code accepts, would send them wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cyberready.models import Asset, Function, Link, Scenario
from cyberready.models.system import GenerateSpec
from cyberready.models.vocab import ASSET_TYPES, OPERATORS, PHASES, SITES, Selector
from cyberready.workspace import load_library

PAGE = Path(__file__).resolve().parents[1] / "docs" / "system-model.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.DOTALL)


def _block(starting: str) -> str:
    found = [b for b in BLOCKS if b.lstrip().startswith(starting)]
    assert len(found) == 1, f"one yaml block starting with {starting!r}"
    return str(found[0])


def _row(field: str) -> str:
    row = re.search(rf"^\| `{field}` \|(.*)$", TEXT, flags=re.MULTILINE)
    assert row is not None, field
    return row.group(1)


def _backticked(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


def test_every_yaml_example_parses() -> None:
    assert len(BLOCKS) >= 6
    for block in BLOCKS:
        yaml.safe_load(block)


def test_asset_link_function_and_generate_examples_validate() -> None:
    system = yaml.safe_load(_block("schema_version: 1\nkind: system"))
    for asset in system["assets"]:
        Asset.model_validate(asset)
    for link in yaml.safe_load(_block("links:"))["links"]:
        Link.model_validate(link)
    for function in yaml.safe_load(_block("functions:"))["functions"]:
        Function.model_validate(function)
    for spec in yaml.safe_load(_block("generate:"))["generate"]:
        GenerateSpec.model_validate(spec)


def test_selector_examples_validate() -> None:
    selectors = yaml.safe_load(_block("- {types:"))
    assert len(selectors) == 4
    parsed = [Selector.model_validate(s) for s in selectors]
    assert parsed[2].sites == ("tally_centre",)
    assert parsed[3].ids == ("tally-north", "tally-south")


def test_scenario_example_validates_against_the_shipped_techniques_and_incidents() -> None:
    scenario = Scenario.model_validate(yaml.safe_load(_block("schema_version: 1\nkind: scenario")))
    library = load_library()
    techniques = set(library.techniques)
    used = {r.technique for r in scenario.entry} | {r.technique for r in scenario.propagation}
    assert used <= techniques
    assert set(scenario.references.incidents) <= set(library.incidents)
    assert scenario.entry[0].mode == "one"


@pytest.mark.parametrize(
    ("where", "vocabulary"),
    [("type", ASSET_TYPES), ("site", SITES), ("operator", OPERATORS), ("phases", PHASES)],
)
def test_the_page_lists_exactly_the_vocabulary(where: str, vocabulary: tuple[str, ...]) -> None:
    if where == "type":
        start = TEXT.index("**Types**")
        listed = _backticked(TEXT[start : TEXT.index("\n\n", start)])
    elif where == "phases":
        start = TEXT.index("The phases are")
        listed = _backticked(TEXT[start : TEXT.index("\n\n", start)]) - {"emb"}
    else:
        listed = _backticked(_row(where))
    assert listed == set(vocabulary)


ROOT = PAGE.parents[1]


def test_every_link_between_the_docs_resolves() -> None:
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert len(pages) >= 8
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"


def test_nothing_shipped_points_to_the_teams_internal_design_notes() -> None:
    # users get the project, not the team's notes: formats and rules are documented in docs/
    for folder in ("cyberready", "docs", "frameworks", "scenarios", "examples", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".yaml", ".j2", ".txt"}:
                assert "DESIGN.md" not in path.read_text("utf-8", errors="replace"), path
                assert "DESIGN §" not in path.read_text("utf-8", errors="replace"), path
    for name in ("README.md", "CHANGELOG.md"):
        assert "DESIGN" not in (ROOT / name).read_text("utf-8"), name

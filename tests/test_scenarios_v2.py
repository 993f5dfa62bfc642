"""Content rules for the shipped scenarios (version 2) and the voting-machine example.

Every shipped scenario says why its base likelihood is what it is, selects on the vocabulary
only, enters isolated and physical assets only the ways they can be entered, is relevant to a
shipped example and can affect something in every shipped example it is relevant to. Every
technique is used, and every phase of the electoral cycle is one a shipped scenario can make a
function fail in. ``docs/scenarios.md`` is generated from the files and kept in step.

"Can affect something" is decided by an oracle of this file, independent of the engine: the
assets reachable from the entry rules along the propagation rules, then the effects on them —
a public effect that hits an asset, or an in-phase function member that an alteration hits
directly, an outage reaches through its dependencies, or a leak reaches through its copies.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pytest

from cyberready import load_workspace, validate_paths
from cyberready.io import data_dir
from cyberready.models import Scenario
from cyberready.models.vocab import DEPENDENCY_LINK_KINDS, PHASES, Selector
from cyberready.report.scenario_docs import main as docs_main
from cyberready.report.scenario_docs import render_page
from cyberready.workspace import ResolvedSystem, Workspace, load_library

EXAMPLES = sorted(p for p in data_dir("examples").iterdir() if (p / "emb.yaml").is_file())
EVM_EXAMPLE = data_dir("examples") / "vardenia"
SCENARIOS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"

OFFLINE_ENTRY_TECHNIQUES = frozenset(
    {
        # someone with hands on it, or what it is built and fed with
        "insider_misuse",
        "physical_tampering",
        "removable_media",
        "supply_chain_compromise",
        "malicious_update",
        # no attacker: failures reach offline assets as well
        "equipment_failure",
        "capacity_overload",
        "faulty_supply",
        "service_withdrawal",
    }
)
"""How an ``isolated`` or ``physical`` asset can be entered: never by phishing or a web exploit."""


LIBRARY = load_library()
SCENARIOS = {s.id: s for s in sorted(LIBRARY.scenarios.values(), key=lambda s: s.id)}


def library_scenarios() -> list[Scenario]:
    return list(SCENARIOS.values())


@pytest.fixture(scope="module")
def workspaces() -> dict[str, Workspace]:
    return {p.name: load_workspace(p) for p in EXAMPLES}


@pytest.fixture(scope="module")
def affected(workspaces: dict[str, Workspace]) -> dict[tuple[str, str], set[str]]:
    """(example, scenario id) -> what the scenario can affect there (see :func:`affects`)."""
    return {
        (name, s.id): affects(ws.resolved, s)
        for name, ws in workspaces.items()
        for s in library_scenarios()
    }


# --------------------------------------------------------------------------- the oracle


def _adjacency(system: ResolvedSystem, kinds: tuple[str, ...]) -> list[list[int]]:
    """``out[a]``: assets ``a`` links to with a link of one of ``kinds`` (from -> to)."""
    out: list[list[int]] = [[] for _ in range(system.n_assets)]
    for e in system.links_of_kinds(kinds):
        out[int(system.link_src[e])].append(int(system.link_dst[e]))
    return out


def _closure(start: int, out: list[list[int]]) -> set[int]:
    seen = {start}
    todo = deque([start])
    while todo:
        for w in out[todo.popleft()]:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def reachable(system: ResolvedSystem, scenario: Scenario) -> set[int]:
    """Every asset a campaign could compromise: entries, then propagation, transitively."""
    steps: list[list[int]] = [[] for _ in range(system.n_assets)]
    for rule in scenario.propagation:
        for e in system.links_of_kinds(rule.kinds):
            a, b = int(system.link_src[e]), int(system.link_dst[e])
            src, dst = (a, b) if rule.direction == "forward" else (b, a)
            steps[src].append(dst)
    found: set[int] = set()
    for entry in scenario.entry:
        for a in system.select(entry.select):
            found |= _closure(int(a), steps)
    return found


def affects(system: ResolvedSystem, scenario: Scenario) -> set[str]:
    """What the scenario can affect: ``public`` and the ids of in-phase functions it can fail."""
    hit = reachable(system, scenario)
    depends = _adjacency(system, tuple(sorted(DEPENDENCY_LINK_KINDS)))
    copies = _adjacency(system, ("copies_data_to",))
    struck: dict[str, set[int]] = {"alter": set(), "disrupt": set(), "leak": set()}
    out: set[str] = set()
    for effect in scenario.effects:
        targets = system.mask(effect.targets)
        on = {a for a in hit if targets[a]}
        if on and effect.effective_visibility == "public":
            out.add("public")
        if effect.type in struck:
            struck[effect.type] |= on
    for fn in system.functions:
        if not set(fn.phases) & set(scenario.phases):
            continue
        for group in fn.requires:
            for m in (int(i) for i in system.select(group.members)):
                if (
                    m in struck["alter"]
                    or _closure(m, depends) & struck["disrupt"]
                    or (group.protects_data and _closure(m, copies) & struck["leak"])
                ):
                    out.add(fn.id)
    return out


def relevant(system: ResolvedSystem, scenario: Scenario) -> bool:
    """An asset has a type the entry rules name (or, without types, matches a rule)."""
    present = set(system.type_names)
    return any(
        bool(set(rule.select.types) & present)
        if rule.select.types
        else bool(system.mask(rule.select).any())
        for rule in scenario.entry
    )


def idle_rules(system: ResolvedSystem, scenario: Scenario) -> list[str]:
    """Entry rules and effects that match nothing here, and propagation with no link to follow."""
    idle = [f"entry[{r}]" for r, e in enumerate(scenario.entry) if not system.mask(e.select).any()]
    idle += [
        f"propagation[{r}]"
        for r, p in enumerate(scenario.propagation)
        if len(system.links_of_kinds(p.kinds)) == 0
    ]
    idle += [
        f"effects[{i}]"
        for i, e in enumerate(scenario.effects)
        if e.targets is not None and not system.mask(e.targets).any()
    ]
    return idle


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_the_base_likelihood_has_a_one_line_basis(scenario: Scenario) -> None:
    basis = (scenario.likelihood_basis or "").strip()
    assert len(basis) >= 40, "likelihood_basis: say where the base rate comes from"
    assert "\n" not in basis


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_selectors_use_the_vocabulary_only(scenario: Scenario) -> None:
    """Never tags or ids (an EMB would have to name things by convention); entry selectors
    only types, exposure and data (whether a campaign can start never depends on sites)."""
    for rule in scenario.entry:
        sel = rule.select
        assert sel.tags is None and sel.ids is None and sel.sites is None, sel.describe()
        assert sel.operators is None, sel.describe()
        assert sel.types, f"entry selector without types: {sel.describe()}"
    for effect in scenario.effects:
        if effect.targets is not None:
            assert effect.targets.tags is None and effect.targets.ids is None


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_offline_assets_are_entered_only_the_ways_they_can_be(
    scenario: Scenario, workspaces: dict[str, Workspace]
) -> None:
    """In every shipped example, an entry rule that reaches an isolated or physical asset uses
    an insider, physical access, removable media, the supply chain, or no attacker at all."""
    wrong: list[str] = []
    for name, ws in workspaces.items():
        system = ws.resolved
        offline = system.mask(Selector(exposure=("isolated", "physical")))
        for r, rule in enumerate(scenario.entry):
            if rule.technique in OFFLINE_ENTRY_TECHNIQUES:
                continue
            hits = np.flatnonzero(system.mask(rule.select) & offline)
            wrong += [f"{name}: entry[{r}] {rule.technique} -> {system.ids[i]}" for i in hits]
    assert wrong == []


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_relevant_somewhere_and_effective_wherever_relevant(
    scenario: Scenario,
    workspaces: dict[str, Workspace],
    affected: dict[tuple[str, str], set[str]],
) -> None:
    """Relevant to a shipped example; where relevant, no rule idle and something affected (the
    conditions under which validate stays silent)."""
    where = {n: ws.resolved for n, ws in workspaces.items() if relevant(ws.resolved, scenario)}
    assert where, "relevant to no shipped example"
    for name, system in where.items():
        assert idle_rules(system, scenario) == [], name
        assert affected[(name, scenario.id)], f"{name}: can affect nothing"


def test_every_technique_is_used_by_a_scenario() -> None:
    used = {r.technique for s in SCENARIOS.values() for r in s.entry} | {
        r.technique for s in SCENARIOS.values() for r in s.propagation
    }
    assert sorted(set(LIBRARY.techniques) - used) == []


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_has_a_scenario_that_can_fail_a_function_in_it(
    phase: str,
    workspaces: dict[str, Workspace],
    affected: dict[tuple[str, str], set[str]],
) -> None:
    """Some shipped scenario of the phase can fail a function of that phase in an example."""
    phases_of = {
        (name, fn.id): fn.phases for name, ws in workspaces.items() for fn in ws.resolved.functions
    }
    failing = {
        (name, sid, fn)
        for (name, sid), hit in affected.items()
        if phase in SCENARIOS[sid].phases
        for fn in hit - {"public"}
        if phase in phases_of[(name, fn)]
    }
    assert failing, f"no scenario can fail a {phase} function in any shipped example"


# --------------------------------------------------------------------------- docs/scenarios.md


def test_the_scenarios_page_is_the_one_the_files_give() -> None:
    assert SCENARIOS_PAGE.read_text(encoding="utf-8") == render_page(LIBRARY), (
        "docs/scenarios.md is out of date: run python -m cyberready.report.scenario_docs"
    )


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_the_scenarios_page_shows_each_scenario_in_full(scenario: Scenario) -> None:
    """Title, actor, phases, base likelihood, its basis and every incident by title and year."""
    section = render_page(LIBRARY).split(f'<a id="{scenario.id}"></a>')[1].split("<a id=")[0]
    assert f"## {scenario.title}" in section and f"actor: {scenario.actor}" in section
    assert ", ".join(scenario.phases) in section
    assert f"**Base likelihood:** {scenario.likelihood:g}" in section
    assert " ".join((scenario.likelihood_basis or "-").split()) in section
    for iid in scenario.references.incidents:
        incident = LIBRARY.incidents[iid]
        assert f"{incident.title} ({incident.year})" in section


@pytest.mark.parametrize("scenario", library_scenarios(), ids=lambda s: s.id)
def test_the_scenarios_page_says_what_each_scenario_needs_to_apply(scenario: Scenario) -> None:
    """The entry types (what makes it relevant), the link kinds it spreads along, its effects."""
    section = render_page(LIBRARY).split(f'<a id="{scenario.id}"></a>')[1].split("<a id=")[0]
    starts = next(line for line in section.splitlines() if line.startswith("- **Starts at:**"))
    for rule in scenario.entry:
        assert rule.technique in starts
        for asset_type in rule.select.types or ():
            assert f"`{asset_type}`" in starts
    spreads = next(line for line in section.splitlines() if "**Spreads along:**" in line)
    for prop in scenario.propagation:
        assert all(f"`{kind}`" in spreads for kind in prop.kinds)
    effects = next(line for line in section.splitlines() if "**Effects:**" in line)
    assert all(effect.type in effects for effect in scenario.effects)


def test_the_page_check_fails_on_a_stale_page_and_passes_once_written(tmp_path: Path) -> None:
    page = tmp_path / "scenarios.md"
    page.write_text(SCENARIOS_PAGE.read_text(encoding="utf-8").replace("0.25", "0.5"), "utf-8")
    assert docs_main([str(page), "--check"]) == 1
    assert docs_main([str(page)]) == 0
    assert docs_main([str(page), "--check"]) == 0
    assert page.read_text(encoding="utf-8") == SCENARIOS_PAGE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the EVM example


def test_the_voting_machine_example_validates() -> None:
    assert validate_paths([EVM_EXAMPLE]) == []


def test_the_voting_machine_example_models_the_whole_chain(
    workspaces: dict[str, Workspace],
) -> None:
    """Ballot definitions -> media -> offline programmers -> cards -> machines with a paper
    trail -> count centres -> national aggregation, at national size, with paper backing the
    electronic count where it is certified."""
    system = workspaces[EVM_EXAMPLE.name].resolved
    types = system.type_names

    def where(t: str) -> set[str | None]:
        return {system.site_of(i) for i, x in enumerate(types) if x == t}

    assert types.count("vote_capture_device") >= 1000  # one per station, generated
    assert types.count("removable_media") >= types.count("vote_capture_device")
    ems = [i for i, t in enumerate(types) if t == "election_management_system"]
    assert {system.exposure_of(i) for i in ems} == {"isolated"}
    assert "tally_centre" in where("tally_server") and "tally_centre" in where("paper_records")
    phases = {p for fn in system.functions for p in fn.phases}
    assert {"legal_planning", "counting", "post_election"} <= phases
    backed = [
        g
        for fn in system.functions
        for g in fn.requires
        if g.mode == "any"
        and {types[i] for i in system.select(g.members)} == {"tally_server", "paper_records"}
    ]
    assert len(backed) >= 2
    assert any(system.group_of(e) for e in range(system.n_links))  # grid or generator


def test_the_voting_machine_example_has_a_threat_context(workspaces: dict[str, Workspace]) -> None:
    emb = workspaces[EVM_EXAMPLE.name].emb
    assert emb.threat_context is not None
    for sid, entry in emb.threat_context.scenarios.items():
        assert sid in SCENARIOS and entry.rationale.strip()


def _evm_paths() -> list[Path]:
    return sorted(EVM_EXAMPLE.glob("*.yaml"))


@pytest.mark.parametrize("path", _evm_paths(), ids=lambda p: p.name)
def test_the_voting_machine_example_is_marked_fictional(path: Path) -> None:
    assert "FICTIONAL" in path.read_text(encoding="utf-8")

"""The shipped scenarios apply to any EMB, and both shipped examples show it.

Shipped scenarios and frameworks select assets only by the vocabulary (types, exposure, data,
sites, operators), never by ``tags`` or ``ids``: anything an EMB must name by convention for a
shipped rule to apply is a hidden requirement. A campaign starts from ``types``, ``exposure`` and
``data`` only, so stripping every ``site`` and ``operator`` from an example leaves every entry
rule of every relevant scenario matching. Each example validates and ``cyberready demo
--example NAME`` runs it; every scenario is relevant to some example, applies there in full
and, simulated, makes a function fail or a public event happen.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import _cmd_demo as demo_cli
from cyberready.cli import main
from cyberready.models import Scenario
from cyberready.models.vocab import Selector
from cyberready.workspace import Library, ResolvedSystem, load_library

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library()
SCENARIOS = sorted(LIBRARY.scenarios.values(), key=lambda s: s.id)
EXAMPLES = cyberready.example_names()
ENTRY_KEYS = frozenset({"types", "exposure", "data"})


# --------------------------------------------------------------------------- the rules


def _keys(sel: Selector | None) -> set[str]:
    """The selector keys a selector uses (None: no selector)."""
    if sel is None:
        return set()
    return {name for name in Selector.model_fields if getattr(sel, name) is not None}


def selector_violations(lib: Library) -> list[str]:
    """Every selector of a scenario or framework in ``lib`` that names tags or ids, and every
    entry selector that uses anything but types, exposure and data."""
    out: list[str] = []
    for sc in lib.scenarios.values():
        for i, rule in enumerate(sc.entry):
            extra = _keys(rule.select) - ENTRY_KEYS
            if extra:
                out.append(f"{sc.id} entry[{i}]: {', '.join(sorted(extra))}")
        for i, eff in enumerate(sc.effects):
            bad = _keys(eff.targets) & {"tags", "ids"}
            if bad:
                out.append(f"{sc.id} effects[{i}]: {', '.join(sorted(bad))}")
    for fw in lib.frameworks.values():
        for c in fw.controls:
            if isinstance(c.applies_to, Selector):
                bad = _keys(c.applies_to) & {"tags", "ids"}
                if bad:
                    out.append(f"{fw.id} {c.id} applies_to: {', '.join(sorted(bad))}")
    return sorted(out)


def test_no_shipped_selector_uses_tags_or_ids_and_entries_use_only_the_vocabulary() -> None:
    assert selector_violations(LIBRARY) == []


def test_the_selector_rule_catches_each_kind_of_flaw() -> None:
    """The check has teeth: a tag or an id in an effect, a site in an entry, a tag in a
    control's ``applies_to`` are each reported, naming the rule."""
    sc = LIBRARY.scenarios["internet-shutdown"]
    bad_sc = sc.model_copy(
        update={
            "entry": (
                sc.entry[0].model_copy(
                    update={"select": Selector(types=("network",), sites=("cloud",))}
                ),
                *sc.entry[1:],
            ),
            "effects": (
                sc.effects[0].model_copy(update={"targets": Selector(tags=("telecom",))}),
                sc.effects[1].model_copy(update={"targets": Selector(ids=("net-isp",))}),
            ),
        }
    )
    fw = LIBRARY.frameworks["usaid-ecbs"]
    ctl = fw.controls[0]
    bad_fw = fw.model_copy(
        update={"controls": (ctl.model_copy(update={"applies_to": Selector(tags=("hq",))}),)}
    )
    lib = dataclasses.replace(LIBRARY, scenarios={sc.id: bad_sc}, frameworks={fw.id: bad_fw})
    assert selector_violations(lib) == [
        "internet-shutdown effects[0]: tags",
        "internet-shutdown effects[1]: ids",
        "internet-shutdown entry[0]: sites",
        f"usaid-ecbs {ctl.id} applies_to: tags",
    ]


# --------------------------------------------------------------------------- relevance


def entry_types(sc: Scenario) -> set[str]:
    """The asset types a scenario's entry selectors name."""
    return {t for rule in sc.entry for t in rule.select.types or ()}


def relevant(sc: Scenario, system: ResolvedSystem) -> bool:
    """Some asset has a type the entry selectors name (a selector without types: it matches)."""
    present = {system.type_of(i) for i in range(system.n_assets)}
    if entry_types(sc) & present:
        return True
    return any(rule.select.types is None and system.mask(rule.select).any() for rule in sc.entry)


def stripped(system: ResolvedSystem) -> ResolvedSystem:
    """The same system with no asset's ``site`` or ``operator``."""
    none = np.full(system.n_assets, -1, dtype=np.int64)
    return dataclasses.replace(system, sites=none, operators=none.copy())


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> cyberready.Workspace:
    return cyberready.load_workspace(cyberready.example_path(request.param))


def test_both_examples_ship() -> None:
    assert {"examplia", "tarvonia"} <= set(EXAMPLES)
    assert cyberready.example_path("tarvonia").name == "tarvonia"
    with pytest.raises(ValueError, match="examplia, tarvonia"):
        cyberready.example_path("atlantis")


def test_entry_rules_of_relevant_scenarios_match_without_site_or_operator(
    example: cyberready.Workspace,
) -> None:
    system = example.resolved
    bare = stripped(system)
    # not vacuous: the example carries sites and operators, and some selector needs them
    assert (system.sites >= 0).sum() > system.n_assets // 2
    assert (system.operators >= 0).sum() > system.n_assets // 2
    assert (bare.sites < 0).all() and (bare.operators < 0).all()
    needs = Selector(types=("voter_registration_db",), operators=("party",))
    assert system.mask(needs).any() and not bare.mask(needs).any()
    unmatched = [
        f"{sc.id} entry[{i}] ({rule.select.describe()})"
        for sc in SCENARIOS
        if relevant(sc, system)
        for i, rule in enumerate(sc.entry)
        if not bare.mask(rule.select).any()
    ]
    assert unmatched == []


def test_every_shipped_scenario_is_relevant_to_some_example() -> None:
    systems = [cyberready.load_workspace(cyberready.example_path(n)).resolved for n in EXAMPLES]
    assert [sc.id for sc in SCENARIOS if not any(relevant(sc, s) for s in systems)] == []


def test_the_second_example_is_of_another_shape() -> None:
    """Tarvonia shows what Examplia does not: paper counting with phones, a register in a
    vendor's cloud, generated stations, alternatives, several phases, a threat context, and a
    scenario that is not relevant to it."""
    ws = cyberready.load_workspace(cyberready.example_path("tarvonia"))
    r = ws.resolved
    types = {r.type_of(i) for i in range(r.n_assets)}
    assert {"official_device", "paper_records", "dns", "cloud_hosting"} <= types
    assert r.mask(Selector(types=("official_device",))).sum() >= 2000  # generated, one per station
    assert r.mask(
        Selector(types=("voter_registration_db",), sites=("cloud",), operators=("vendor",))
    ).any()
    assert len(set(r.group_names)) >= 3
    assert any(len(fn.phases) > 1 for fn in ws.system.functions)
    assert ws.emb.threat_context is not None and ws.emb.threat_context.scenarios
    assert ws.emb.public_confidence_weight != 3
    assert not relevant(LIBRARY.scenarios["registration-portal-exploit"], r)


# --------------------------------------------------------------------------- simulation


@pytest.fixture(scope="module")
def simulations() -> dict[str, tuple[cyberready.Workspace, cyberready.SimulationResult]]:
    # without the assessment (every control at 0): whether a scenario can affect something is
    # a property of the model, and an EMB's controls may rightly stop it (Tarvonia's paper
    # reconciliation catches every tally-centre alteration before a function fails)
    out = {}
    for name in EXAMPLES:
        ws = cyberready.load_workspace(cyberready.example_path(name))
        bare = dataclasses.replace(ws, assessment=None)
        out[name] = (ws, cyberready.simulate(bare, trials=4000, seed=2027))
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_relevant_scenario_applies_in_full_and_affects_something(
    name: str, simulations: dict[str, tuple[cyberready.Workspace, cyberready.SimulationResult]]
) -> None:
    """Where a scenario is relevant, every rule and effect finds its assets and links, and the
    simulation shows a failed function or a public event in some trial; where it is not, it
    does nothing at all."""
    ws, sim = simulations[name]
    problems = []
    for sc in SCENARIOS:
        res = sim.scenarios[sc.id]
        affects = bool(res.failure_counts.any()) or res.confidence_units > 0
        if relevant(sc, ws.resolved):
            problems += [f"{sc.id}: {msg}" for msg in res.not_applicable]
            if not affects:
                problems.append(f"{sc.id}: no function failed and no public event in any trial")
        else:
            assert not affects, sc.id
    assert problems == []


# --------------------------------------------------------------------------- the CLI


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cyberready", "demo", *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def tarvonia_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """``cyberready demo --example tarvonia`` run once, in this process and with a tenth of
    the demo's 2,000 trials in each of its sections: nothing checked here depends on the
    numbers, and the session's demo of Examplia (conftest) runs the command in full as a user
    does. Every section still runs and every report is still written, PDFs included."""
    out = tmp_path_factory.mktemp("tarvonia") / "reports"
    risks, actions, reports = (
        demo_cli._demo_top_risks,
        demo_cli._demo_top_actions,
        demo_cli._demo_reports,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo_cli, "_demo_top_risks", lambda ws, loc: risks(ws, loc, trials=200))
        mp.setattr(demo_cli, "_demo_top_actions", lambda ws, loc: actions(ws, loc, trials=200))
        mp.setattr(
            demo_cli,
            "_demo_reports",
            lambda ws, out, trials, locale: reports(ws, out, trials=200, locale=locale),
        )
        res = CliRunner().invoke(main, ["demo", "--example", "tarvonia", "--out", str(out)])
    return res.exit_code, res.output, out


def test_demo_runs_the_second_example(tarvonia_demo: tuple[int, str, Path]) -> None:
    code, output, out = tarvonia_demo
    assert code == 0, output
    assert "National Electoral Board of Tarvonia (tarvonia-neb)" in output
    assert "system: 2,728 assets" in output
    assert "top risks" in output and "top actions" in output
    assert (out / "tarvonia-neb-technical.html").is_file()
    assert (out / "tarvonia-neb-donor.html").is_file()
    if importlib.util.find_spec("weasyprint") is not None:  # the PDFs the fixture waits for
        for audience in ("technical", "advisor", "donor", "public"):
            assert (out / f"tarvonia-neb-{audience}.pdf").read_bytes().startswith(b"%PDF-")


def test_demo_runs_the_first_example_by_default(demo_run: tuple[int, str, Path]) -> None:
    code, output, out = demo_run
    assert code == 0, output
    assert "(examplia-iec)" in output
    assert (out / "examplia-iec-technical.html").is_file()


def test_demo_lists_the_examples_and_refuses_an_unknown_one() -> None:
    listed = _demo("--list")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == list(EXAMPLES)
    unknown = _demo("--example", "atlantis")
    assert unknown.returncode == 2
    assert "no shipped example 'atlantis'" in unknown.stderr and "tarvonia" in unknown.stderr

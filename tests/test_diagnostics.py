"""Relevance, applicability and reachability of scenarios (cyberready.workspace), on small
hand-made graphs whose answers are plain to see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from cyberready.models import Scenario, SystemModel
from cyberready.models.vocab import LINK_KINDS, OPERATORS, SITES
from cyberready.workspace import (
    TAG_LOOKALIKES,
    ResolvedSystem,
    diagnose_scenario,
    harmable,
    reachable,
    tag_suggestions,
)


def system(
    assets: list[dict[str, Any]],
    links: Sequence[tuple[str, ...]] | None = None,
    functions: list[dict[str, Any]] | None = None,
) -> ResolvedSystem:
    """A resolved system from short asset dicts and (from, to, kind[, group]) links."""
    model = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "t",
            "assets": assets,
            "links": [
                {
                    "from": lk[0],
                    "to": lk[1],
                    "kind": lk[2],
                    **({"group": lk[3]} if len(lk) > 3 else {}),
                }
                for lk in links or []
            ],
            "functions": functions or [],
        }
    )
    return ResolvedSystem.from_model(model)


def function(
    members: list[str], *, phase: str = "voting", protects_data: bool = False
) -> dict[str, Any]:
    return {
        "id": "f",
        "title": "F",
        "phase": phase,
        "max_tolerable_outage_hours": 1,
        "requires": [{"any": members, "protects_data": protects_data}],
    }


def scenario(
    entry: list[Any],
    effects: list[dict[str, Any]],
    propagation: list[dict[str, Any]] | None = None,
    *,
    phases: tuple[str, ...] = ("voting",),
) -> Scenario:
    """A scenario; each entry is a selector (a bare string: one asset id), or a
    ``(selector, probability)`` pair (default probability 0.5)."""
    rules = []
    for e in entry:
        sel, p = e if isinstance(e, tuple) else (e, 0.5)
        rules.append(
            {
                "select": [sel] if isinstance(sel, str) else sel,
                "technique": "phishing",
                "probability": p,
                "time": {"fixed": 1},
            }
        )
    return Scenario.model_validate(
        {
            "schema_version": 1,
            "kind": "scenario",
            "id": "s",
            "title": "S",
            "actor": "criminal",
            "objective": "availability",
            "phases": list(phases),
            "likelihood": 0.1,
            "entry": rules,
            "propagation": [
                {"technique": "lateral_movement", "probability": 0.5, "time": {"fixed": 1}, **r}
                for r in propagation or []
            ],
            "effects": effects,
        }
    )


def ids(sys_: ResolvedSystem, mask: Any) -> set[str]:
    return {sys_.ids[i] for i in np.flatnonzero(mask)}


WS: dict[str, Any] = {"id": "ws", "type": "staff_workstation"}
HOST: dict[str, Any] = {"id": "host", "type": "data_center"}
DB: dict[str, Any] = {"id": "db", "type": "voter_registration_db", "data": ["pii"]}
SITE: dict[str, Any] = {"id": "site", "type": "results_website", "exposure": "internet"}


# --------------------------------------------------------------------------- reachability


def test_propagation_follows_kinds_in_each_rules_direction() -> None:
    s = system(
        [WS, HOST, DB, SITE],
        [("ws", "host", "connects_to"), ("db", "host", "hosted_on"), ("site", "ws", "connects_to")],
    )
    forward: list[dict[str, Any]] = [{"kinds": ["connects_to"]}]
    sc = scenario(["ws"], [{"type": "deface"}], forward)
    assert ids(s, reachable(s, sc)) == {"ws", "host"}  # site -> ws points the other way
    both = [*forward, {"kinds": ["hosted_on"], "direction": "reverse"}]
    sc = scenario(["ws"], [{"type": "deface"}], both)
    assert ids(s, reachable(s, sc)) == {"ws", "host", "db"}  # from the host to what it hosts
    sc = scenario(["ws"], [{"type": "deface"}], [{"kinds": ["hosted_on"]}])
    assert ids(s, reachable(s, sc)) == {"ws"}  # hosted_on forward would go db -> host


def test_rules_with_probability_zero_reach_nothing() -> None:
    s = system([WS, HOST, DB], [("ws", "host", "connects_to"), ("host", "db", "connects_to")])
    dead = [{"kinds": ["connects_to"], "probability": 0}]
    assert ids(s, reachable(s, scenario(["ws"], [{"type": "deface"}], dead))) == {"ws"}
    never = scenario([("ws", 0.0)], [{"type": "deface"}], [{"kinds": ["connects_to"]}])
    assert ids(s, reachable(s, never)) == set()


def test_reachability_crosses_cycles_and_long_chains() -> None:
    n = 2_000
    assets = [{"id": f"a{i}", "type": "network"} for i in range(n)]
    links = [(f"a{i}", f"a{i + 1}", "connects_to") for i in range(n - 1)] + [
        (f"a{n - 1}", "a0", "connects_to")
    ]
    s = system(assets, links)
    sc = scenario([f"a{n // 2}"], [{"type": "deface"}], [{"kinds": ["connects_to"]}])
    assert int(reachable(s, sc).sum()) == n


# --------------------------------------------------------------------------- what it can hurt


def _verdict(s: ResolvedSystem, sc: Scenario) -> str:
    return diagnose_scenario(s, sc).status


def test_alter_hurts_the_member_itself_only() -> None:
    s = system(
        [WS, HOST, DB],
        [("ws", "db", "connects_to"), ("db", "host", "hosted_on")],
        [function(["db"])],
    )
    spread = [{"kinds": ["connects_to"]}]
    on_db = scenario(["ws"], [{"type": "alter", "targets": ["db"]}], spread)
    assert _verdict(s, on_db) == "applies"
    on_host = scenario(["host"], [{"type": "alter", "targets": ["host"]}])  # what db needs
    assert _verdict(s, on_host) == "cannot_apply"
    assert diagnose_scenario(s, on_host).cause == "no_target"


def test_disrupt_hurts_the_dependency_closure_through_alternatives_groups() -> None:
    assets = [DB, HOST, {"id": "grid", "type": "power"}, {"id": "gen", "type": "power"}]
    links = [
        ("db", "host", "hosted_on"),
        ("host", "grid", "powered_by", "supply"),
        ("host", "gen", "powered_by", "supply"),
    ]
    s = system(assets, links, [function(["db"])])
    out_gen = scenario(["gen"], [{"type": "disrupt", "duration": {"fixed": 9}}])
    assert _verdict(s, out_gen) == "applies"  # one of two alternatives: still in the closure
    assert ids(s, harmable(s, out_gen)) == {"db", "host", "grid", "gen"}
    upstream = system([DB, WS], [("ws", "db", "depends_on")], [function(["db"])])
    # ws needs db; an outage of ws does not reach db
    assert _verdict(
        upstream, scenario(["ws"], [{"type": "disrupt", "duration": {"fixed": 9}}])
    ) == ("cannot_apply")


def test_leak_hurts_the_copies_closure_of_protected_members_only() -> None:
    copy = {"id": "copy", "type": "voter_registration_db", "data": ["pii"]}
    feed = {"id": "feed", "type": "civil_registry_feed", "data": ["pii"]}
    links = [("db", "copy", "copies_data_to"), ("feed", "db", "copies_data_to")]
    guarded = system([DB, copy, feed], links, [function(["db"], protects_data=True)])
    leak_copy = scenario(["copy"], [{"type": "leak"}])
    assert _verdict(guarded, leak_copy) == "applies"  # db's data also lives at the copy
    leak_feed = scenario(["feed"], [{"type": "leak"}])
    assert _verdict(guarded, leak_feed) == "cannot_apply"  # the feed holds its own data only
    unguarded = system([DB, copy, feed], links, [function(["db"])])
    found = diagnose_scenario(unguarded, leak_copy)
    assert found.cause == "no_target"
    assert "protects_data: true" in found.fix


def test_a_public_effect_counts_anywhere_and_a_function_out_of_phase_never() -> None:
    s = system([WS, DB], functions=[function(["db"], phase="counting")])
    assert _verdict(s, scenario(["ws"], [{"type": "deface"}])) == "applies"
    public = {"type": "disrupt", "duration": {"fixed": 2}, "visibility": "public"}
    assert _verdict(s, scenario(["ws"], [public])) == "applies"
    internal = {**public, "visibility": "internal"}
    assert _verdict(s, scenario(["db"], [internal])) == "cannot_apply"  # db serves counting
    found = diagnose_scenario(s, scenario(["db"], [internal]))
    assert "no function of this system is delivered in its phases (voting)" in found.reason
    assert _verdict(s, scenario(["db"], [internal], phases=("counting",))) == "applies"


# --------------------------------------------------------------------------- relevance and rules


def test_a_scenario_is_relevant_when_an_entry_type_exists() -> None:
    s = system([WS, {"id": "kit", "type": "biometric_kit", "exposure": "isolated"}])
    machines = scenario([{"types": ["vote_capture_device"]}], [{"type": "deface"}])
    found = diagnose_scenario(s, machines)
    assert (found.relevant, found.status, found.warnings) == (False, "not_relevant", ())
    no_types = scenario([{"tags": ["register-copy"]}], [{"type": "deface"}])
    assert diagnose_scenario(s, no_types).status == "not_relevant"
    narrowed = scenario(
        [{"types": ["biometric_kit"], "exposure": ["internet"]}], [{"type": "deface"}]
    )
    found = diagnose_scenario(s, narrowed)
    assert found.relevant and found.cause == "no_entry"
    assert [r.rule for r in found.rules] == ["entry[0]"]
    assert found.rules[0].selector == "types=biometric_kit & exposure=internet"
    assert found.rules[0].reason == "no asset has exposure internet"
    both = scenario([{"types": ["biometric_kit"], "exposure": ["internal"]}], [{"type": "deface"}])
    assert diagnose_scenario(s, both).rules[0].reason == (
        "no asset has all of them (1 with type biometric_kit, 1 with exposure internal)"
    )


def test_every_rule_that_matches_nothing_is_named_with_its_selector() -> None:
    s = system([WS, SITE], [("ws", "site", "connects_to")], [function(["site"])])
    sc = scenario(
        [{"types": ["staff_workstation"]}, {"types": ["results_website"], "sites": ["cloud"]}],
        [
            {"type": "disrupt", "duration": {"fixed": 9}},
            {"type": "alter", "targets": {"types": ["tally_server"]}},
        ],
        [{"kinds": ["connects_to"]}, {"kinds": ["administers", "supplies"]}],
    )
    found = diagnose_scenario(s, sc, emb="mini")
    assert found.status == "partial"
    assert [(r.rule, r.selector) for r in found.rules] == [
        ("entry[1]", "types=results_website & sites=cloud"),
        ("propagation[1]", "kinds=administers, supplies"),
        ("effects[1]", "types=tally_server"),
    ]
    assert found.rules[0].reason == "no asset has site cloud"
    assert found.rules[2].reason == "no asset has type tally_server"
    assert [w.field for w in found.warnings] == [
        "entry[1].select",
        "propagation[1].kinds",
        "effects[1].targets",
    ]
    assert "entry[1] of s matches no asset of mini" in found.warnings[0].message


# --------------------------------------------------------------------------- what would connect it


PHONE = {"id": "phone", "type": "official_device", "exposure": "internet"}
NET = {"id": "net", "type": "network"}
TALLY = {"id": "tally", "type": "tally_server", "data": ["results"]}


def test_no_path_names_the_link_that_would_connect_it() -> None:
    s = system(
        [PHONE, NET, TALLY],
        [("phone", "net", "depends_on"), ("net", "tally", "connects_to")],
        [function(["tally"], phase="tabulation_transmission")],
    )
    sc = scenario(
        [{"types": ["official_device"]}],
        [{"type": "alter", "targets": {"types": ["tally_server"]}}],
        [{"kinds": ["connects_to", "administers"]}],
        phases=("tabulation_transmission",),
    )
    found = diagnose_scenario(s, sc)
    assert found.cause == "no_path"
    assert found.reachable == 1
    assert "it can reach phone (official_device)" in found.reason
    assert "its effects would hurt only tally (tally_server)" in found.reason
    assert (
        "official_device phone reaches network net only by depends_on (phone depends_on net)"
        in (found.fix)
    )
    assert "spreads along connects_to, administers" in found.fix
    assert "{from: phone, to: net, kind: connects_to}" in found.fix
    assert found.warnings[-1].field == "propagation"


def test_no_path_says_when_a_link_points_against_the_rules_direction() -> None:
    s = system(
        [PHONE, NET, TALLY],
        [("net", "phone", "connects_to"), ("net", "tally", "connects_to")],
        [function(["tally"])],
    )
    sc = scenario(
        ["phone"], [{"type": "alter", "targets": ["tally"]}], [{"kinds": ["connects_to"]}]
    )
    found = diagnose_scenario(s, sc)
    assert found.cause == "no_path"
    assert "only by connects_to (net connects_to phone)" in found.fix
    assert "against the direction in which this scenario follows connects_to (forward)" in found.fix
    reverse = scenario(
        ["phone"],
        [{"type": "alter", "targets": ["tally"]}],
        [{"kinds": ["connects_to"]}, {"kinds": ["connects_to"], "direction": "reverse"}],
    )
    assert diagnose_scenario(s, reverse).status == "applies"


def test_no_path_without_any_link_between_them() -> None:
    s = system([PHONE, TALLY], functions=[function(["tally"])])
    sc = scenario(["phone"], [{"type": "alter", "targets": ["tally"]}])
    found = diagnose_scenario(s, sc)
    assert found.cause == "no_path"
    assert "without spreading (no propagation rule)" in found.reason
    assert found.fix.startswith("no link of any kind joins them")


# --------------------------------------------------------------------------- tag look-alikes


def test_every_site_and_operator_has_look_alikes() -> None:
    assert {v for f, v in TAG_LOOKALIKES.values() if f == "site"} == set(SITES)
    assert {v for f, v in TAG_LOOKALIKES.values() if f == "operator"} == set(OPERATORS)


@pytest.mark.parametrize(
    ("tag", "field", "value"),
    [
        ("hq", "site", "headquarters"),
        ("Regional_Office", "site", "regional_office"),
        ("regional office", "site", "regional_office"),
        ("register-copy", "operator", "party"),
        ("TELECOM", "operator", "vendor"),
        ("Polling-Station", "site", "polling_station"),
    ],
)
def test_tags_that_look_like_a_site_or_operator_are_suggested(
    tag: str, field: str, value: str
) -> None:
    s = system([{**WS, "tags": [tag, "crown_jewel"]}])
    assert [(x.tag, x.field, x.value, x.assets) for x in tag_suggestions(s)] == [
        (tag, field, value, 1)
    ]


def test_no_suggestion_for_a_field_some_asset_already_uses() -> None:
    s = system([{**WS, "tags": ["hq", "telecom"]}, {**HOST, "site": "data_centre"}])
    assert [(x.tag, x.field) for x in tag_suggestions(s)] == [("telecom", "operator")]


# --------------------------------------------------------------------------- against the engine


KINDS = list(LINK_KINDS)


def _random_case(rng: np.random.Generator) -> tuple[ResolvedSystem, Scenario]:
    """A small random system and scenario where every step that can happen does (p = 1,
    outages far past every tolerance, no controls) and every requirement is an `all` group,
    so hurting one member fails its function."""
    n = int(rng.integers(2, 8))
    names = [f"a{i}" for i in range(n)]

    def some() -> list[str]:
        return [str(x) for x in rng.choice(names, size=int(rng.integers(1, 3)), replace=False)]

    assets = [{"id": a, "type": "network"} for a in names]
    links = [
        (str(rng.choice(names)), str(rng.choice(names)), str(rng.choice(KINDS)))
        for _ in range(int(rng.integers(0, 2 * n)))
    ]
    functions = [
        {
            "id": f"f{k}",
            "title": "F",
            "phase": str(rng.choice(["voting", "counting"])),
            "max_tolerable_outage_hours": 1,
            "requires": [{"all": some(), "protects_data": bool(rng.random() < 0.5)}],
        }
        for k in range(int(rng.integers(1, 3)))
    ]
    effects = []
    for _ in range(int(rng.integers(1, 3))):
        kind = str(rng.choice(["disrupt", "alter", "leak", "deface"]))
        effect: dict[str, Any] = {
            "type": kind,
            "visibility": str(rng.choice(["none", "internal", "public"])),
        }
        if rng.random() < 0.6:
            effect["targets"] = some()
        if kind == "disrupt":
            effect["duration"] = {"fixed": 1e6}
        effects.append(effect)
    propagation = [
        {
            "kinds": [str(k) for k in rng.choice(KINDS, size=2, replace=False)],
            "direction": str(rng.choice(["forward", "reverse"])),
            "probability": float(rng.choice([0.0, 1.0], p=[0.2, 0.8])),
        }
        for _ in range(int(rng.integers(0, 3)))
    ]
    entry = [(some(), float(rng.choice([0.0, 1.0], p=[0.2, 0.8])))]
    return system(assets, links, functions), scenario(entry, effects, propagation)


def test_a_scenario_can_affect_something_exactly_when_the_engine_shows_an_impact() -> None:
    from cyberready.engine import simulate_scenario

    rng = np.random.default_rng(20261203)
    seen: set[str] = set()
    for _ in range(300):
        s, sc = _random_case(rng)
        found = diagnose_scenario(s, sc)
        seen.add(found.cause or found.status)
        result = simulate_scenario(s, sc, trials=1)
        impact = bool(result.failures.any()) or result.confidence_units > 0
        assert impact == (found.cause is None), (sc.model_dump(), found)
        assert int(result.compromised.astype(bool).sum()) == found.reachable
    assert {"applies", "no_entry", "no_target", "no_path"} <= seen  # every verdict exercised

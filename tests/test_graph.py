"""Graph conversion and analyses (cyberready.graph), on small hand-built systems."""

# Graphs are named G, as in networkx (STYLE rule 8).
# ruff: noqa: N806

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberready.graph import (
    attack_reach,
    blast_radius,
    dependency_closure,
    dependents,
    internet_exposed_paths,
    link_role,
    single_points_of_failure,
    to_digraph,
)
from cyberready.models import Asset, SystemModel
from cyberready.models.vocab import ATTACK_LINK_KINDS, DEPENDENCY_LINK_KINDS, LINK_KINDS
from cyberready.workspace import ResolvedSystem

Spec = dict[str, Any]


def asset(ident: str, type_: str = "staff_workstation", **extra: Any) -> Spec:
    return {"id": ident, "type": type_, **extra}


def link(src: str, dst: str, kind: str) -> Spec:
    return {"from": src, "to": dst, "kind": kind}


def function(ident: str, *requires: Spec) -> Spec:
    return {
        "id": ident,
        "title": ident,
        "phase": "results_publication",
        "max_tolerable_outage_hours": 6,
        "requires": list(requires),
    }


def build(
    assets: Sequence[Spec], links: Sequence[Spec] = (), functions: Sequence[Spec] = ()
) -> tuple[ResolvedSystem, nx.MultiDiGraph[str]]:
    model = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "test",
            "assets": list(assets),
            "links": list(links),
            "functions": list(functions),
        }
    )
    system = ResolvedSystem.from_model(model)
    return system, to_digraph(system)


def plain(*ids: str) -> list[Spec]:
    return [asset(i) for i in ids]


# ---------------------------------------------------------------------------------- to_digraph


def test_to_digraph_keeps_every_asset_attribute_and_link() -> None:
    system, G = build(
        [
            asset("vr-db", "voter_registration_db", label="Register", data=["pii", "biometric"]),
            asset("kits", "biometric_kit", exposure="isolated", count=320, tags=["field", "b"]),
            asset("dc", "data_center", exposure="physical"),
        ],
        [
            link("vr-db", "dc", "hosted_on"),
            link("kits", "vr-db", "connects_to"),
            link("kits", "vr-db", "connects_to"),  # a duplicate link stays a second edge
            link("vr-db", "kits", "copies_data_to"),
        ],
        [function("register", {"all": ["vr-db"]}, {"any": {"types": ["biometric_kit"]}})],
    )
    assert list(G.nodes) == ["vr-db", "kits", "dc"]
    assert G.nodes["vr-db"] == {
        "type": "voter_registration_db",
        "label": "Register",
        "exposure": "internal",
        "tags": (),
        "data": ("pii", "biometric"),
        "count": 1,
        "functions": ("register",),
    }
    assert G.nodes["kits"]["tags"] == ("b", "field")
    assert G.nodes["kits"]["count"] == 320
    assert G.nodes["kits"]["exposure"] == "isolated"
    assert G.nodes["kits"]["functions"] == ("register",)
    assert G.nodes["dc"]["label"] == "dc"  # no label: the id stands in
    assert G.nodes["dc"]["functions"] == ()
    assert sorted(G.edges(keys=True, data=True)) == [
        ("kits", "vr-db", 1, {"kind": "connects_to", "role": "attack"}),
        ("kits", "vr-db", 2, {"kind": "connects_to", "role": "attack"}),
        ("vr-db", "dc", 0, {"kind": "hosted_on", "role": "dependency"}),
        ("vr-db", "kits", 3, {"kind": "copies_data_to", "role": "data"}),
    ]
    assert G.number_of_edges() == system.n_links


def test_to_digraph_includes_extra_assets_and_isolated_nodes() -> None:
    model = SystemModel.model_validate(
        {"schema_version": 1, "kind": "system", "emb": "t", "assets": plain("a")}
    )
    system = ResolvedSystem.from_model(model, extra_assets=[Asset(id="kit-1", type="pollbook")])
    G = to_digraph(system)
    assert list(G.nodes) == ["a", "kit-1"]
    assert G.nodes["kit-1"]["type"] == "pollbook"
    assert G.number_of_edges() == 0


def test_every_link_kind_has_the_role_the_design_gives_it() -> None:
    roles = {k: link_role(k) for k in LINK_KINDS}
    assert roles == {
        "hosted_on": "dependency",
        "depends_on": "dependency",
        "powered_by": "dependency",
        "connects_to": "attack",
        "administers": "attack",
        "authenticates": "attack",
        "supplies": "attack",
        "copies_data_to": "data",
    }


# ---------------------------------------------------------------------------------- closures

# vendor -supplies-> ws -connects_to-> host; site hosted_on host; app depends_on site; site
# powered_by ups powered_by grid; app -connects_to-> db; db -copies_data_to-> backup.
CHAIN = (
    plain("ws", "host", "site", "app", "db", "ups", "grid", "vendor", "backup"),
    [
        link("ws", "host", "connects_to"),
        link("site", "host", "hosted_on"),
        link("app", "site", "depends_on"),
        link("site", "ups", "powered_by"),
        link("ups", "grid", "powered_by"),
        link("app", "db", "connects_to"),
        link("vendor", "ws", "supplies"),
        link("db", "backup", "copies_data_to"),
    ],
)


def test_dependency_closure_and_dependents_follow_dependency_links_only() -> None:
    _, G = build(*CHAIN)
    assert dependency_closure(G, "app") == {"app", "site", "host", "ups", "grid"}
    assert dependency_closure(G, "ws") == {"ws"}
    assert dependents(G, "grid") == {"grid", "ups", "site", "app"}
    assert dependents(G, "host") == {"host", "site", "app"}
    assert dependents(G, "db") == {"db"}


def test_attack_reach_goes_forward_and_from_host_to_hosted() -> None:
    _, G = build(*CHAIN)
    assert attack_reach(G, "vendor") == {"vendor", "ws", "host", "site"}
    # attack links are one-way, and a hosted asset does not reach its host
    assert attack_reach(G, "host") == {"host", "site"}
    assert attack_reach(G, "site") == {"site"}


def test_blast_radius_is_compromise_then_outage_spread() -> None:
    _, G = build(*CHAIN)
    # compromise: vendor, ws, host, site; outage: app (depends on site). The attack does not
    # continue from app (only down), so db is safe; ups and grid are needed by site, not hit.
    assert blast_radius(G, "vendor") == {"vendor", "ws", "host", "site", "app"}
    assert blast_radius(G, "grid") == {"grid", "ups", "site", "app"}
    assert blast_radius(G, "app") == {"app", "db"}
    # data copies are not followed
    assert blast_radius(G, "db") == {"db"}
    assert blast_radius(G, "backup") == {"backup"}


def test_closures_terminate_on_cycles() -> None:
    _, G = build(
        plain("a", "b", "c", "d"),
        [
            link("a", "b", "connects_to"),
            link("b", "a", "administers"),
            link("b", "c", "depends_on"),
            link("c", "b", "depends_on"),
            link("d", "d", "connects_to"),
        ],
    )
    assert blast_radius(G, "a") == {"a", "b", "c"}
    assert blast_radius(G, "c") == {"b", "c"}
    assert dependency_closure(G, "c") == {"b", "c"}
    assert blast_radius(G, "d") == {"d"}


@pytest.mark.parametrize("fn", [blast_radius, attack_reach, dependents, dependency_closure])
def test_unknown_asset_is_named(fn: Any) -> None:
    _, G = build(plain("a"))
    with pytest.raises(nx.NodeNotFound, match="'nope'"):
        fn(G, "nope")


# ---------------------------------------------------------------------------------- SPOF


def test_redundant_pair_is_not_a_spof_but_their_shared_host_and_its_power_are() -> None:
    system, G = build(
        [*plain("site-a", "site-b", "host", "ups", "other-host")],
        [
            link("site-a", "host", "hosted_on"),
            link("site-b", "host", "hosted_on"),
            link("host", "ups", "powered_by"),
            link("site-a", "other-host", "depends_on"),
        ],
        [function("publish", {"any": ["site-a", "site-b"]})],
    )
    assert single_points_of_failure(G, system) == {"publish": ["host", "ups"]}


def test_all_group_fails_with_any_member_or_anything_a_member_needs() -> None:
    system, G = build(
        plain("vr-db", "afis", "dc", "spare"),
        [link("vr-db", "dc", "hosted_on"), link("spare", "dc", "hosted_on")],
        [function("register", {"all": ["vr-db", "afis"]})],
    )
    assert single_points_of_failure(G, system) == {"register": ["afis", "dc", "vr-db"]}


def kits_system(fraction: float, shared: dict[str, int], n: int = 4) -> tuple[ResolvedSystem, Any]:
    """``n`` kits; each ``shared`` asset powers the first ``count`` kits."""
    kits = [asset(f"kit-{i:02d}", "results_transmission") for i in range(n)]
    links = [
        link(f"kit-{i:02d}", dep, "powered_by")
        for dep, count in shared.items()
        for i in range(count)
    ]
    return build(
        [*kits, *plain(*shared)],
        links,
        [function("transmit", {"at_least": fraction, "of": {"types": ["results_transmission"]}})],
    )


def test_at_least_three_of_four_tolerates_one_member_down() -> None:
    system, G = kits_system(0.75, {"one": 1, "two": 2, "three": 3})
    assert single_points_of_failure(G, system) == {"transmit": ["three", "two"]}


def test_at_least_half_of_four_tolerates_two_members_down() -> None:
    system, G = kits_system(0.5, {"one": 1, "two": 2, "three": 3})
    assert single_points_of_failure(G, system) == {"transmit": ["three"]}


def test_at_least_uses_the_design_rounding_not_float_noise() -> None:
    # 0.28 * 25 is 7.000000000000001 in floats: k must be 7, so 18 of 25 may be down.
    assert 0.28 * 25 > 7
    system, G = kits_system(0.28, {"eighteen": 18, "nineteen": 19}, n=25)
    assert single_points_of_failure(G, system) == {"transmit": ["nineteen"]}


def test_at_least_one_hundred_percent_is_an_all_group() -> None:
    system, G = kits_system(1.0, {"one": 1})
    assert single_points_of_failure(G, system) == {
        "transmit": ["kit-00", "kit-01", "kit-02", "kit-03", "one"]
    }


def test_spof_lists_every_function_sorted_and_can_be_restricted() -> None:
    system, G = build(
        plain("a", "b", "c"),
        [],
        [
            function("zeta", {"all": ["a"]}),
            function("alpha", {"any": ["b", "c"]}),
            function("mid", {"any": ["a"]}, {"all": {"ids": ["c"]}}),
        ],
    )
    result = single_points_of_failure(G, system)
    assert list(result) == ["alpha", "mid", "zeta"]
    assert result == {"alpha": [], "mid": ["a", "c"], "zeta": ["a"]}
    only = [f for f in system.functions if f.id == "zeta"]
    assert single_points_of_failure(G, system, only) == {"zeta": ["a"]}


def test_spof_with_a_dependency_cycle_takes_the_whole_cycle() -> None:
    system, G = build(
        plain("a", "b", "c", "d"),
        [link("a", "b", "depends_on"), link("b", "c", "depends_on"), link("c", "a", "depends_on")],
        [function("f", {"any": ["a", "d"]}), function("g", {"all": ["a"]})],
    )
    assert single_points_of_failure(G, system) == {"f": [], "g": ["a", "b", "c"]}


def test_group_selecting_nothing_cannot_fail() -> None:
    system, G = build(plain("a"), [], [function("f", {"any": {"tags": ["nothing-has-this"]}})])
    assert single_points_of_failure(G, system) == {"f": []}


def test_attack_links_do_not_spread_outages() -> None:
    system, G = build(
        plain("a", "b"),
        [link("b", "a", "connects_to"), link("a", "b", "copies_data_to")],
        [function("f", {"all": ["b"]})],
    )
    assert single_points_of_failure(G, system) == {"f": ["b"]}


def test_one_of_two_alternatives_is_no_spof_but_what_both_need_is() -> None:
    """Grid or generator: neither alone takes the site down, the fuel that both need does; an
    ungrouped link stays required, and a cycle through a group cannot keep itself down."""
    grouped = {"kind": "powered_by", "group": "mains"}
    system, G = build(
        plain("site", "grid", "generator", "fuel", "host", "loop", "intruder"),
        [
            link("site", "host", "hosted_on"),
            {"from": "host", "to": "grid", **grouped},
            {"from": "host", "to": "generator", **grouped},
            link("grid", "fuel", "depends_on"),
            link("generator", "fuel", "depends_on"),
            {"from": "grid", "to": "loop", "kind": "depends_on", "group": "either"},
            {"from": "grid", "to": "host", "kind": "depends_on", "group": "either"},
            link("intruder", "loop", "connects_to"),
            link("intruder", "generator", "connects_to"),
        ],
        [function("publish", {"all": ["site"]})],
    )
    assert single_points_of_failure(G, system) == {"publish": ["fuel", "host", "site"]}
    assert dependents(G, "grid") == {"grid"}
    assert dependents(G, "fuel") == {"fuel", "grid", "generator", "host", "site"}
    assert dependents(G, "loop") == {"loop"}  # grid also has host, which is up
    assert blast_radius(G, "generator") == {"generator"}
    # loop and generator down: grid waits for host, host for grid; neither goes down
    assert blast_radius(G, "intruder") == {"intruder", "loop", "generator"}
    assert G.edges["host", "grid", 1]["group"] == "mains"
    assert "group" not in G.edges["site", "host", 0]


# ---------------------------------------------------------------------------------- paths


def exposure_system() -> tuple[ResolvedSystem, Any]:
    return build(
        [
            asset("portal", "registration_portal", exposure="internet"),
            asset("mail", "email", exposure="internet"),
            asset("site", "results_website", exposure="internet"),
            asset("ws", "staff_workstation"),
            asset("app", "election_management_system"),
            asset("cloud", "cloud_hosting"),
            asset("vr-db", "voter_registration_db", tags=["crown_jewel"]),
            asset("tally", "tally_server"),
            asset("grid", "power"),
            asset("island", "tally_server", exposure="isolated"),
        ],
        [
            link("portal", "app", "connects_to"),
            link("app", "vr-db", "connects_to"),
            link("mail", "ws", "connects_to"),
            link("ws", "vr-db", "administers"),
            link("ws", "cloud", "administers"),
            link("tally", "cloud", "hosted_on"),  # cloud compromised -> tally
            link("vr-db", "grid", "powered_by"),  # dependency: not an attack step
            link("island", "grid", "powered_by"),
        ],
        [function("publish", {"all": ["site", "tally"]}), function("count", {"all": ["island"]})],
    )


def test_internet_paths_default_to_crown_jewels_and_function_members() -> None:
    _, G = exposure_system()
    assert internet_exposed_paths(G) == [
        ["site"],  # an exposed function member is its own one-asset path
        ["mail", "ws", "vr-db"],  # ties with portal-app-vr-db: the smaller ids win
        ["mail", "ws", "cloud", "tally"],
    ]


def test_internet_paths_with_given_targets_sources_and_cap() -> None:
    _, G = exposure_system()
    assert internet_exposed_paths(G, ["vr-db", "app", "grid"], sources=["portal"]) == [
        ["portal", "app"],
        ["portal", "app", "vr-db"],
    ]
    assert internet_exposed_paths(G, max_paths=2) == [["site"], ["mail", "ws", "vr-db"]]
    assert internet_exposed_paths(G, max_paths=0) == []
    assert internet_exposed_paths(G, ["island"]) == []
    with pytest.raises(nx.NodeNotFound, match="'nope'"):
        internet_exposed_paths(G, ["nope"])
    with pytest.raises(ValueError, match="max_paths"):
        internet_exposed_paths(G, max_paths=-1)


def test_internet_paths_terminate_on_attack_cycles() -> None:
    _, G = build(
        [asset("edge", exposure="internet"), *plain("a", "b"), asset("db", tags=["crown_jewel"])],
        [
            link("edge", "a", "connects_to"),
            link("a", "b", "connects_to"),
            link("b", "a", "connects_to"),
            link("b", "edge", "connects_to"),
            link("b", "db", "authenticates"),
        ],
    )
    assert internet_exposed_paths(G) == [["edge", "a", "b", "db"]]


# ---------------------------------------------------------------------------------- properties

IDS = [f"a{i}" for i in range(7)]
EXPOSURE_VALUES = ["internet", "internal", "isolated", "physical"]
FRACTIONS = [0.25, 0.34, 0.5, 0.67, 0.75, 1.0]


@st.composite
def systems(draw: st.DrawFn) -> tuple[list[Spec], list[Spec], list[Spec]]:
    n = draw(st.integers(2, len(IDS)))
    ids = IDS[:n]
    assets = [
        asset(
            i,
            exposure=draw(st.sampled_from(EXPOSURE_VALUES)),
            tags=["crown_jewel"] if draw(st.booleans()) else [],
        )
        for i in ids
    ]
    links = draw(
        st.lists(
            st.builds(
                link, st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(LINK_KINDS)
            ),
            max_size=14,
        )
    )
    groups = st.one_of(
        st.builds(lambda m: {"any": m}, st.lists(st.sampled_from(ids), min_size=1, unique=True)),
        st.builds(lambda m: {"all": m}, st.lists(st.sampled_from(ids), min_size=1, unique=True)),
        st.builds(
            lambda f, m: {"at_least": f, "of": m},
            st.sampled_from(FRACTIONS),
            st.lists(st.sampled_from(ids), min_size=1, unique=True),
        ),
    )
    functions = [
        function(f"f{j}", *draw(st.lists(groups, min_size=1, max_size=3)))
        for j in range(draw(st.integers(0, 3)))
    ]
    return assets, links, functions


def brute_force_spof(assets: list[Spec], links: list[Spec], functions: list[Spec]) -> Any:
    """The rule of docs/trial-model.md, steps 6 and 7, applied literally, one outage at a time."""
    out = {}
    for f in sorted(functions, key=lambda f: f["id"]):
        found = []
        for a in sorted(x["id"] for x in assets):
            down = {a}
            while True:
                more = {
                    lk["from"]
                    for lk in links
                    if lk["kind"] in DEPENDENCY_LINK_KINDS and lk["to"] in down
                } - down
                if not more:
                    break
                down |= more
            for g in f["requires"]:
                members = g.get("any") or g.get("all") or g["of"]
                n = len(members)
                k = 1 if "any" in g else n if "all" in g else math.ceil(g["at_least"] * n - 1e-9)
                if n - len(down & set(members)) < k:
                    found.append(a)
                    break
        out[f["id"]] = found
    return out


@given(systems())
@settings(max_examples=200, deadline=None)
def test_spof_agrees_with_brute_force(spec: tuple[list[Spec], list[Spec], list[Spec]]) -> None:
    system, G = build(*spec)
    assert single_points_of_failure(G, system) == brute_force_spof(*spec)


@given(systems(), st.data())
@settings(max_examples=200, deadline=None)
def test_removing_an_attack_link_never_widens_a_blast_radius(
    spec: tuple[list[Spec], list[Spec], list[Spec]], data: st.DataObject
) -> None:
    assets, links, functions = spec
    attack = [i for i, lk in enumerate(links) if lk["kind"] in ATTACK_LINK_KINDS]
    if not attack:
        links = [*links, link(assets[0]["id"], assets[-1]["id"], "connects_to")]
        attack = [len(links) - 1]
    drop = data.draw(st.sampled_from(attack))
    _, G = build(assets, links, functions)
    _, G_less = build(assets, [lk for i, lk in enumerate(links) if i != drop], functions)
    for a in G:
        assert blast_radius(G_less, a) <= blast_radius(G, a)
        assert a in blast_radius(G_less, a)


@given(systems())
@settings(max_examples=200, deadline=None)
def test_internet_paths_are_the_smallest_shortest_attack_paths(
    spec: tuple[list[Spec], list[Spec], list[Spec]],
) -> None:
    assets, links, functions = spec
    _, G = build(assets, links, functions)
    steps: nx.DiGraph[str] = nx.DiGraph()
    steps.add_nodes_from(G)
    for lk in links:
        if lk["kind"] in ATTACK_LINK_KINDS:
            steps.add_edge(lk["from"], lk["to"])
        elif lk["kind"] == "hosted_on":
            steps.add_edge(lk["to"], lk["from"])
    sources = [a["id"] for a in assets if a["exposure"] == "internet"]
    targets = [a["id"] for a in assets if a["tags"]]
    expected = []
    for t in targets:
        candidates = [
            p
            for s in sources
            if nx.has_path(steps, s, t)
            for p in nx.all_shortest_paths(steps, s, t)
        ]
        if candidates:
            shortest = min(len(p) for p in candidates)
            expected.append(min(p for p in candidates if len(p) == shortest))
    expected.sort(key=lambda p: (len(p), p))
    assert internet_exposed_paths(G, targets, max_paths=None) == expected

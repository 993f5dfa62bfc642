"""All blast radii at once (:func:`cyberready.graph.blast_radii`) are the per-asset ones.

On random multigraphs with every link kind, cycles through attack and dependency links, and
alternatives groups whose members are reached from different places; and on the shipped
examples, where the per-asset walk was what made ``assess`` slow on a national model.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

import cyberready
from cyberready import graph as g
from cyberready.models.vocab import LINK_KINDS


def random_graph(rng: random.Random) -> nx.MultiDiGraph[str]:
    n = rng.randint(1, 14)
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()  # noqa: N806 - networkx's name for a graph
    G.add_nodes_from(f"a{i}" for i in range(n))
    for _ in range(rng.randint(0, 3 * n)):
        u, w = f"a{rng.randrange(n)}", f"a{rng.randrange(n)}"
        kind = rng.choice(LINK_KINDS)
        attrs: dict[str, str] = {"kind": kind}
        if kind in ("hosted_on", "depends_on", "powered_by") and rng.random() < 0.5:
            attrs["group"] = rng.choice(("power", "uplink"))
        G.add_edge(u, w, **attrs)
    return G


@pytest.mark.parametrize("seed", range(300))
def test_all_radii_at_once_are_the_per_asset_radii(seed: int) -> None:
    G = random_graph(random.Random(seed))  # noqa: N806
    assert g.blast_radii(G) == {a: len(g.blast_radius(G, a)) for a in G}


def test_the_random_graphs_exercise_groups_met_only_by_a_union() -> None:
    """Not vacuous: in some graphs an asset's radius is more than its own outage and its
    successors' radii put together (an alternatives group whose members are taken down from
    different places: the case the merge has to close again)."""
    found = 0
    for seed in range(300):
        G = random_graph(random.Random(seed))  # noqa: N806
        for a in G:
            nxt = {w for w in g.attack_reach(G, a) if w != a}
            parts = set(g.dependents(G, a)).union(*(g.blast_radius(G, w) for w in nxt))
            found += len(g.blast_radius(G, a)) > len(parts)
    assert found > 0


def test_a_subset_of_assets_and_an_unknown_one() -> None:
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()  # noqa: N806
    G.add_edge("ws", "host", kind="connects_to")
    G.add_edge("site", "host", kind="hosted_on")
    assert g.blast_radii(G, ["ws"]) == {"ws": 3}
    with pytest.raises(nx.NodeNotFound):
        g.blast_radii(G, ["nope"])


@pytest.mark.parametrize("name", ["examplia", "tarvonia"])
def test_the_shipped_examples_agree(name: str) -> None:
    ws = cyberready.load_workspace(cyberready.example_path(name))
    G = g.to_digraph(ws.resolved)  # noqa: N806
    radii = g.blast_radii(G)
    sample = list(G)[:: max(1, len(G) // 150)]
    assert {a: radii[a] for a in sample} == {a: len(g.blast_radius(G, a)) for a in sample}

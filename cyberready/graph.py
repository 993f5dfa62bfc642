"""The system as a graph, and the analyses reports read from it (docs/trial-model.md, 3, 6, 7).

Conversion happens in one place, :func:`to_digraph`; every analysis is a plain function
``f(G, ...)`` of the :class:`networkx.MultiDiGraph` it returns, so it also works on a graph built
by hand. Analyses read two things only: the ``kind`` of each edge and, for path searches, the
``exposure`` and ``tags`` / ``functions`` node attributes. Every result is deterministic: sets,
or lists sorted by id.

Link kinds play three roles (:data:`~cyberready.models.vocab.DEPENDENCY_LINK_KINDS` and
friends):

- **dependency** ``hosted_on``, ``depends_on``, ``powered_by`` — ``from`` needs ``to``: an outage
  of ``to`` takes ``from`` down (followed backwards when outages spread);
- **attack** ``connects_to``, ``administers``, ``authenticates``, ``supplies`` — compromise of
  ``from`` lets an attacker try ``to`` (followed forwards); a compromised host also exposes what
  is ``hosted_on`` it (that link followed backwards);
- **data** ``copies_data_to`` — ``from``'s data also lives at ``to``; no analysis here follows it.

Examples
--------
>>> from cyberready.workspace import ResolvedSystem
>>> from cyberready.models import SystemModel
>>> model = SystemModel.model_validate({
...     "schema_version": 1, "kind": "system", "emb": "demo",
...     "assets": [
...         {"id": "ws", "type": "staff_workstation", "exposure": "internet"},
...         {"id": "host", "type": "data_center", "exposure": "physical"},
...         {"id": "site", "type": "results_website", "tags": ["crown_jewel"]},
...         {"id": "mirror", "type": "results_website"},
...     ],
...     "links": [
...         {"from": "ws", "to": "host", "kind": "connects_to"},
...         {"from": "site", "to": "host", "kind": "hosted_on"},
...     ],
...     "functions": [{
...         "id": "publish", "title": "Publish results", "phase": "results_publication",
...         "max_tolerable_outage_hours": 6, "requires": [{"any": ["site", "mirror"]}],
...     }],
... })
>>> system = ResolvedSystem.from_model(model)
>>> G = to_digraph(system)
>>> sorted(blast_radius(G, "ws"))
['host', 'site', 'ws']
>>> single_points_of_failure(G, system)
{'publish': []}
>>> internet_exposed_paths(G)
[['ws', 'host', 'site']]
"""

# The graph argument is named G, as in networkx (STYLE rule 8); pep8-naming would lower-case it.
# ruff: noqa: N803, N806

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Final, Literal, TypeAlias

import networkx as nx

from cyberready.models import Function, RequirementGroup
from cyberready.models.vocab import (
    ATTACK_LINK_KINDS,
    DATA_CLASSES,
    DATA_LINK_KINDS,
    DEPENDENCY_LINK_KINDS,
    EXPOSURES,
    LINK_KINDS,
)
from cyberready.workspace import ResolvedSystem

__all__ = [
    "attack_reach",
    "blast_radii",
    "blast_radius",
    "dependency_closure",
    "dependents",
    "internet_exposed_paths",
    "link_role",
    "single_points_of_failure",
    "to_digraph",
]

Role = Literal["dependency", "attack", "data"]

_ROLE: Final[dict[str, Role]] = {
    **dict.fromkeys(DEPENDENCY_LINK_KINDS, "dependency"),
    **dict.fromkeys(ATTACK_LINK_KINDS, "attack"),
    **dict.fromkeys(DATA_LINK_KINDS, "data"),
}
assert set(_ROLE) == set(LINK_KINDS), "every link kind needs a role"

CROWN_JEWEL_TAG: Final = "crown_jewel"
"""Tag that marks an asset as critical for :func:`internet_exposed_paths`."""

_Step: TypeAlias = "Callable[[nx.MultiDiGraph[str], str], Iterator[str]]"


def link_role(kind: str) -> Role:
    """The role of a link kind: ``dependency``, ``attack`` or ``data``.

    Examples
    --------
    >>> link_role("hosted_on"), link_role("administers"), link_role("copies_data_to")
    ('dependency', 'attack', 'data')
    """
    return _ROLE[kind]


# ---------------------------------------------------------------------------------- conversion


def to_digraph(system: ResolvedSystem) -> nx.MultiDiGraph[str]:
    """The system as a directed multigraph: one node per asset, one edge per link.

    Parameters
    ----------
    system : ResolvedSystem
        Assets and links, replicas included.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are asset ids, in the system's order, with attributes ``type``, ``label``,
        ``exposure`` (str), ``tags``, ``data`` (tuples), ``count`` (int) and ``functions`` (the
        sorted ids of the functions whose requirement groups select the asset). Edges go
        ``from -> to`` with attributes ``kind`` and ``role`` (``dependency``, ``attack`` or
        ``data``), and ``group`` for a dependency link in an alternatives group; an edge's key
        is the link's position in ``system``'s link arrays, so two links of one kind between the
        same assets stay two edges.

    Examples
    --------
    >>> from cyberready.workspace import ResolvedSystem
    >>> from cyberready.models import SystemModel
    >>> model = SystemModel.model_validate({
    ...     "schema_version": 1, "kind": "system", "emb": "demo",
    ...     "assets": [
    ...         {"id": "site", "type": "results_website", "exposure": "internet"},
    ...         {"id": "host", "type": "cloud_hosting", "tags": ["public-facing"]},
    ...     ],
    ...     "links": [{"from": "site", "to": "host", "kind": "hosted_on"}],
    ... })
    >>> G = to_digraph(ResolvedSystem.from_model(model))
    >>> G.nodes["site"]["exposure"], G.nodes["host"]["tags"]
    ('internet', ('public-facing',))
    >>> list(G.edges(keys=True, data="role"))
    [('site', 'host', 0, 'dependency')]
    """
    n = system.n_assets
    tags: list[list[str]] = [[] for _ in range(n)]
    for tag in sorted(system.tags):
        for i in system.tags[tag].tolist():
            tags[i].append(tag)
    data: list[list[str]] = [[] for _ in range(n)]
    for d in DATA_CLASSES:
        for i in system.data[d].nonzero()[0].tolist():
            data[i].append(d)
    functions: dict[int, set[str]] = {}
    for f in system.functions:
        for group in f.requires:
            for i in system.select(group.members).tolist():
                functions.setdefault(i, set()).add(f.id)
    types = system.type_names
    exposures = system.exposure.tolist()
    counts = system.counts.tolist()
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    G.add_nodes_from(
        (
            asset,
            {
                "type": types[i],
                "label": system.labels[i] if i < len(system.labels) else asset,
                "exposure": EXPOSURES[exposures[i]],
                "tags": tuple(tags[i]),
                "data": tuple(data[i]),
                "count": int(counts[i]),
                "functions": tuple(sorted(functions.get(i, ()))),
            },
        )
        for i, asset in enumerate(system.ids)
    )
    ids = system.ids
    groups = system.group_names
    # One add_edge per link with its index as key: what add_edges_from does with (u, v, key,
    # data) tuples, a form the networkx stubs do not describe.
    for e, (s, t, k, g) in enumerate(
        zip(
            system.link_src.tolist(),
            system.link_dst.tolist(),
            system.link_kind.tolist(),
            system.link_group.tolist(),
            strict=True,
        )
    ):
        attrs = {"kind": LINK_KINDS[k], "role": _ROLE[LINK_KINDS[k]]}
        if g >= 0:
            attrs["group"] = groups[g]
        G.add_edge(ids[s], ids[t], e, **attrs)
    return G


# ---------------------------------------------------------------------------------- walking


def _needs(G: nx.MultiDiGraph[str], v: str) -> Iterator[str]:
    """What ``v`` needs directly: dependency links followed forwards."""
    for _, w, attrs in G.out_edges(v, data=True):
        if attrs.get("kind") in DEPENDENCY_LINK_KINDS:
            yield w


def _attack_next(G: nx.MultiDiGraph[str], v: str) -> Iterator[str]:
    """What an attacker holding ``v`` can try next: attack links forwards, hosted_on backwards."""
    for _, w, attrs in G.out_edges(v, data=True):
        if attrs.get("kind") in ATTACK_LINK_KINDS:
            yield w
    for u, _, attrs in G.in_edges(v, data=True):
        if attrs.get("kind") == "hosted_on":
            yield u


def _check_nodes(G: nx.MultiDiGraph[str], assets: Iterable[str]) -> list[str]:
    out = list(assets)
    missing = sorted({a for a in out if a not in G})
    if missing:
        raise nx.NodeNotFound(f"asset(s) not in the graph: {', '.join(map(repr, missing))}")
    return out


def _group_down(G: nx.MultiDiGraph[str], v: str, group: str, down: set[str]) -> bool:
    """Every alternative of ``v``'s dependency group ``group`` is in ``down``."""
    return all(
        w in down
        for _, w, attrs in G.out_edges(v, data=True)
        if attrs.get("group") == group and attrs.get("kind") in DEPENDENCY_LINK_KINDS
    )


def _outage_closure(G: nx.MultiDiGraph[str], starts: Iterable[str]) -> set[str]:
    """``starts`` and everything their outage takes down: dependency links followed backwards,
    a link of an alternatives group only once every alternative in it is down. The least fixed
    point, so a cycle through a group cannot keep itself down."""
    down: set[str] = set(_check_nodes(G, starts))
    stack = list(down)
    while stack:
        for u, _, attrs in G.in_edges(stack.pop(), data=True):
            if u in down or attrs.get("kind") not in DEPENDENCY_LINK_KINDS:
                continue
            group = attrs.get("group")
            if group is None or _group_down(G, u, group, down):
                down.add(u)
                stack.append(u)
    return down


def _closure(G: nx.MultiDiGraph[str], starts: Iterable[str], step: _Step) -> set[str]:
    """``starts`` and everything reachable from them by ``step`` (cycles are fine)."""
    seen: set[str] = set(_check_nodes(G, starts))
    stack = list(seen)
    while stack:
        for w in step(G, stack.pop()):
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


# ---------------------------------------------------------------------------------- closures


def dependency_closure(G: nx.MultiDiGraph[str], asset: str) -> set[str]:
    """``asset`` and everything it needs, transitively.

    Follows dependency links (``hosted_on``, ``depends_on``, ``powered_by``) from ``from`` to
    ``to``, alternatives included: an outage of any of these takes ``asset`` down unless it
    has an alternative (a link in an alternatives ``group``, see :func:`dependents`).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_digraph` (or any multigraph whose edges carry ``kind``).
    asset : str
        Asset id.

    Returns
    -------
    set of str
        ``asset`` and every asset it needs, directly or through others.

    Raises
    ------
    networkx.NodeNotFound
        If ``asset`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("site", "host", {"kind": "hosted_on"}),
    ...                   ("host", "grid", {"kind": "powered_by"}),
    ...                   ("ws", "site", {"kind": "connects_to"})])
    [0, 0, 0]
    >>> sorted(dependency_closure(G, "site"))
    ['grid', 'host', 'site']
    """
    return _closure(G, [asset], _needs)


def dependents(G: nx.MultiDiGraph[str], asset: str) -> set[str]:
    """``asset`` and everything that needs it, transitively: what its outage takes down.

    This is the dependency spread of the trial model: if ``X depends_on Y`` (or is
    ``hosted_on`` / ``powered_by`` ``Y``) and ``Y`` is down, ``X`` is down too, unless the link
    is in an alternatives ``group`` of ``X`` (grid or generator) with another member still up.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_digraph`.
    asset : str
        Asset id.

    Returns
    -------
    set of str
        ``asset`` and every asset its outage takes down.

    Raises
    ------
    networkx.NodeNotFound
        If ``asset`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("site", "host", {"kind": "hosted_on"}),
    ...                   ("host", "grid", {"kind": "powered_by"}),
    ...                   ("grid", "ws", {"kind": "connects_to"})])
    [0, 0, 0]
    >>> sorted(dependents(G, "grid"))
    ['grid', 'host', 'site']
    >>> G.add_edges_from([("host", "generator", {"kind": "powered_by", "group": "mains"}),
    ...                   ("host", "grid", {"kind": "powered_by", "group": "mains"})])
    [0, 1]
    >>> G.remove_edge("host", "grid", key=0)  # now the grid or the generator
    >>> sorted(dependents(G, "grid"))
    ['grid']
    """
    return _outage_closure(G, [asset])


def attack_reach(G: nx.MultiDiGraph[str], asset: str) -> set[str]:
    """``asset`` and every asset an attacker holding it can go on to try, transitively.

    Follows attack links (``connects_to``, ``administers``, ``authenticates``, ``supplies``)
    from ``from`` to ``to``, and ``hosted_on`` links from the host to what it hosts. Whether an
    attempt succeeds is the simulation's business: this is the most an attacker could reach.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_digraph`.
    asset : str
        Asset id of the first compromised asset.

    Returns
    -------
    set of str
        ``asset`` and every asset an attacker holding it could go on to try.

    Raises
    ------
    networkx.NodeNotFound
        If ``asset`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("ws", "host", {"kind": "connects_to"}),
    ...                   ("site", "host", {"kind": "hosted_on"}),
    ...                   ("host", "grid", {"kind": "powered_by"})])
    [0, 0, 0]
    >>> sorted(attack_reach(G, "ws"))
    ['host', 'site', 'ws']
    """
    return _closure(G, [asset], _attack_next)


def blast_radius(G: nx.MultiDiGraph[str], asset: str) -> set[str]:
    """Every asset that can be affected if ``asset`` is compromised.

    The rule, in two stages:

    1. **Compromise** spreads from ``asset`` along attack links forwards (``connects_to``,
       ``administers``, ``authenticates``, ``supplies``: ``from`` compromised lets the attacker
       try ``to``) and from a compromised host to what is ``hosted_on`` it (:func:`attack_reach`).
    2. **Outage** spreads from every compromised asset to everything that depends on it,
       transitively (``hosted_on``, ``depends_on``, ``powered_by`` followed backwards: if
       ``X depends_on Y`` and ``Y`` is affected, ``X`` is affected; through an alternatives
       group only once all its members are; :func:`dependents`). Assets affected only by this
       stage are down, not compromised: the attack does not go on from them.

    Data copies (``copies_data_to``) are not followed. The result is an upper bound on what one
    compromise can touch, whatever the controls: removing an attack link never widens it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_digraph`.
    asset : str
        Asset id of the compromised asset.

    Returns
    -------
    set of str
        ``asset``, every asset an attacker could compromise from it, and every asset those
        compromises take down.

    Raises
    ------
    networkx.NodeNotFound
        If ``asset`` is not in ``G``.

    Examples
    --------
    ``ws`` reaches ``host``, which hosts ``site``; ``portal`` depends on ``site`` (an outage),
    but ``portal``'s own attack link to ``db`` is not open to the attacker:

    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("ws", "host", {"kind": "connects_to"}),
    ...                   ("site", "host", {"kind": "hosted_on"}),
    ...                   ("portal", "site", {"kind": "depends_on"}),
    ...                   ("portal", "db", {"kind": "connects_to"})])
    [0, 0, 0, 0]
    >>> sorted(blast_radius(G, "ws"))
    ['host', 'portal', 'site', 'ws']
    """
    return _outage_closure(G, attack_reach(G, asset))


def _bits(ix: Iterable[int]) -> int:
    out = 0
    for i in ix:
        out |= 1 << i
    return out


def _set_bits(x: int) -> Iterator[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def blast_radii(G: nx.MultiDiGraph[str], assets: Iterable[str] | None = None) -> dict[str, int]:
    """``len(blast_radius(G, a))`` for each of ``assets`` (default: every node), all at once.

    Calling :func:`blast_radius` per asset walks the graph once per asset (quadratic on a
    national model). Here the attack graph's strongly connected components are taken in
    reverse topological order, and a component's blast radius (a bitset) is the union of its
    successors' radii and its own members, closed under outage spread. The union of closed sets
    can only bring down more where an alternatives group's members come from different sets, so
    the closure starts from the members and from the assets whose grouped dependency links all
    point into the union, and walks only what is new. Same result as :func:`blast_radius`.

    An attacker on ``ws`` can reach both the grid and the generator of ``dc``, which is down
    only when both are:

    >>> G = nx.MultiDiGraph()
    >>> G.add_edges_from([("ws", "grid", {"kind": "connects_to"}),
    ...                   ("ws", "gen", {"kind": "connects_to"}),
    ...                   ("dc", "grid", {"kind": "powered_by", "group": "power"}),
    ...                   ("dc", "gen", {"kind": "powered_by", "group": "power"})])
    [0, 0, 0, 0]
    >>> blast_radii(G)
    {'ws': 4, 'grid': 1, 'gen': 1, 'dc': 1}
    """
    wanted = _check_nodes(G, G.nodes if assets is None else assets)
    nodes = list(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    attack: nx.DiGraph[int] = nx.DiGraph()
    attack.add_nodes_from(range(len(nodes)))
    attack.add_edges_from((index[v], index[w]) for v in nodes for w in _attack_next(G, v))
    # outage spread: who goes down with i (ungrouped), and the grouped links into i
    plain: list[list[int]] = [[] for _ in nodes]
    grouped_in: list[list[tuple[int, str]]] = [[] for _ in nodes]
    alternatives: dict[tuple[int, str], int] = {}
    for u, w, attrs in G.edges(data=True):
        if attrs.get("kind") not in DEPENDENCY_LINK_KINDS:
            continue
        iu, iw, group = index[u], index[w], attrs.get("group")
        if group is None:
            plain[iw].append(iu)
        else:
            grouped_in[iw].append((iu, group))
            alternatives[(iu, group)] = alternatives.get((iu, group), 0) | (1 << iw)
    group_targets = _bits(i for i, links in enumerate(grouped_in) if links)

    def spread(down: int, start: list[int]) -> int:
        """Close ``down`` (closed but for ``start`` and groups) under outage spread."""
        for w in _set_bits(down & group_targets):
            for u, group in grouped_in[w]:
                if not down >> u & 1 and alternatives[(u, group)] & ~down == 0:
                    down |= 1 << u
                    start.append(u)
        stack = start
        while stack:
            w = stack.pop()
            for u in plain[w]:
                if not down >> u & 1:
                    down |= 1 << u
                    stack.append(u)
            for u, group in grouped_in[w]:
                if not down >> u & 1 and alternatives[(u, group)] & ~down == 0:
                    down |= 1 << u
                    stack.append(u)
        return down

    dag = nx.condensation(attack)
    radius: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        members = list(dag.nodes[c]["members"])
        down = _bits(members)
        for s in dag.successors(c):
            down |= radius[s]
        radius[c] = spread(down, members)
    of = dag.graph["mapping"]
    return {a: radius[of[index[a]]].bit_count() for a in wanted}


# ---------------------------------------------------------------------------------- functions


def _required_up(group: RequirementGroup, n: int) -> int:
    """How many of a group's ``n`` members must be up for it to hold (trial model, step 7)."""
    if group.mode == "any":
        return 1
    if group.mode == "all":
        return n
    assert group.at_least is not None
    return math.ceil(group.at_least * n - 1e-9)


def single_points_of_failure(
    G: nx.MultiDiGraph[str],
    system: ResolvedSystem,
    functions: Iterable[Function] | None = None,
) -> dict[str, list[str]]:
    """Assets whose outage alone makes a function fail, per function.

    An asset's outage takes down itself and, transitively, everything that depends on it
    (:func:`dependents`: an alternatives group only once all its members are down, so one of
    a grid and a generator is not a single point of failure). A function fails when one of its
    requirement groups fails; a group of ``n`` members fails when fewer than ``k`` members are
    up, with ``k`` = 1 for ``any``, ``n`` for ``all`` and ``ceil(f*n - 1e-9)`` for
    ``at_least: f`` (the trial model's step 7). An asset is a single point of failure of the
    function if its outage alone brings more than ``n - k`` members of some group down.
    Alteration and leaks are not outages and do not count here; a group whose selector matches
    no asset cannot fail.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of ``system`` (:func:`to_digraph`).
    system : ResolvedSystem
        Resolves the groups' selectors into member assets.
    functions : iterable of Function, optional
        The functions to examine (default: all of ``system``'s).

    Returns
    -------
    dict of str to list of str
        Every function id, in sorted order, to the sorted ids of its single points of failure
        (an empty list when it has none).

    Examples
    --------
    Two redundant sites on one host: neither site is a single point of failure, the host is.

    >>> from cyberready.workspace import ResolvedSystem
    >>> from cyberready.models import SystemModel
    >>> model = SystemModel.model_validate({
    ...     "schema_version": 1, "kind": "system", "emb": "demo",
    ...     "assets": [{"id": i, "type": t} for i, t in [
    ...         ("site-a", "results_website"), ("site-b", "results_website"),
    ...         ("host", "cloud_hosting"), ("tally", "tally_server")]],
    ...     "links": [{"from": "site-a", "to": "host", "kind": "hosted_on"},
    ...               {"from": "site-b", "to": "host", "kind": "hosted_on"}],
    ...     "functions": [{
    ...         "id": "publish", "title": "Publish results", "phase": "results_publication",
    ...         "max_tolerable_outage_hours": 6,
    ...         "requires": [{"any": ["site-a", "site-b"]}, {"all": ["tally"]}]}],
    ... })
    >>> system = ResolvedSystem.from_model(model)
    >>> single_points_of_failure(to_digraph(system), system)
    {'publish': ['host', 'tally']}
    """
    chosen = sorted(system.functions if functions is None else functions, key=lambda f: f.id)
    needs: dict[str, set[str]] = {}
    takes_down: dict[str, set[str]] = {}
    out: dict[str, list[str]] = {}
    for f in chosen:
        spof: set[str] = set()
        for group in f.requires:
            members = [system.ids[i] for i in system.select(group.members).tolist()]
            if not members:
                continue
            may_be_down = len(members) - _required_up(group, len(members))
            downs: dict[str, int] = {}  # candidate -> members it may take down (an upper bound)
            for m in members:
                if m not in needs:
                    needs[m] = dependency_closure(G, m)
                for a in needs[m]:
                    downs[a] = downs.get(a, 0) + 1
            member_set = set(members)
            for a, bound in downs.items():
                if bound <= may_be_down or a in spof:
                    continue
                if a not in takes_down:
                    takes_down[a] = dependents(G, a)
                if len(takes_down[a] & member_set) > may_be_down:
                    spof.add(a)
        out[f.id] = sorted(spof)
    return out


# ---------------------------------------------------------------------------------- exposure


def _default_targets(G: nx.MultiDiGraph[str]) -> list[str]:
    return [
        v
        for v, attrs in G.nodes(data=True)
        if CROWN_JEWEL_TAG in attrs.get("tags", ()) or attrs.get("functions", ())
    ]


def internet_exposed_paths(
    G: nx.MultiDiGraph[str],
    targets: Iterable[str] | None = None,
    *,
    sources: Iterable[str] | None = None,
    max_paths: int | None = 100,
) -> list[list[str]]:
    """Shortest attack paths from internet-exposed assets to critical assets.

    A path follows what an attacker can try (:func:`attack_reach`): attack links forwards and
    ``hosted_on`` links from host to hosted. For each target reachable from some source, the
    result holds one path: the shortest from the nearest source, ties broken by the
    lexicographically smallest sequence of ids. A target that is itself a source (a critical
    asset exposed to the internet) gets the one-asset path ``[target]``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`to_digraph`.
    targets : iterable of str, optional
        Critical asset ids. Default: assets tagged ``crown_jewel`` and assets selected by a
        function's requirement group (the ``tags`` and ``functions`` node attributes).
    sources : iterable of str, optional
        Where the attacker starts. Default: assets whose ``exposure`` is ``internet``.
    max_paths : int or None, default 100
        Keep at most this many paths (the shortest); None keeps all.

    Returns
    -------
    list of list of str
        Each path lists asset ids from a source to a target; paths are sorted by length, then
        by their ids.

    Raises
    ------
    networkx.NodeNotFound
        If a given target or source is not in ``G``.
    ValueError
        If ``max_paths`` is negative.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("portal", {"exposure": "internet"}),
    ...                   ("mail", {"exposure": "internet"}),
    ...                   ("db", {"exposure": "internal", "tags": ("crown_jewel",)})])
    >>> G.add_edges_from([("portal", "app", {"kind": "connects_to"}),
    ...                   ("app", "db", {"kind": "connects_to"}),
    ...                   ("mail", "ws", {"kind": "connects_to"}),
    ...                   ("ws", "db", {"kind": "administers"})])
    [0, 0, 0, 0]
    >>> internet_exposed_paths(G)
    [['mail', 'ws', 'db']]
    >>> internet_exposed_paths(G, ["db", "ws"], sources=["portal", "mail"])
    [['mail', 'ws'], ['mail', 'ws', 'db']]
    """
    if max_paths is not None and max_paths < 0:
        raise ValueError(f"max_paths must be >= 0 or None, got {max_paths}")
    wanted = set(_check_nodes(G, _default_targets(G) if targets is None else targets))
    if sources is None:
        start = [v for v, attrs in G.nodes(data=True) if attrs.get("exposure") == "internet"]
    else:
        start = _check_nodes(G, sources)
    # Level-by-level BFS from all sources at once. Within a level, nodes are ranked by the
    # lexicographic order of their (equal-length) best paths, so a node's best parent is its
    # lowest-ranked predecessor in the level before, and the next level ranks by
    # (parent's rank, id): each path found is the lexicographically smallest shortest one.
    parent: dict[str, str | None] = {}
    level = sorted(set(start))
    for v in level:
        parent[v] = None
    paths: list[list[str]] = []
    while level:
        rank = {v: r for r, v in enumerate(level)}
        for v in level:
            if v in wanted:
                path = [v]
                while (p := parent[path[-1]]) is not None:
                    path.append(p)
                paths.append(path[::-1])
        best: dict[str, str] = {}
        for v in level:
            for w in _attack_next(G, v):
                if w not in parent and (w not in best or rank[v] < rank[best[w]]):
                    best[w] = v
        level = sorted(best, key=lambda w: (rank[best[w]], w))
        for w in level:
            parent[w] = best[w]
    paths.sort(key=lambda p: (len(p), p))
    return paths if max_paths is None else paths[:max_paths]

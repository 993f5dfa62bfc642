"""The one façade: run everything cyberready knows about one EMB (docs/risk.md, "One pipeline").

:func:`assess` scores readiness (today and at every earlier assessment in ``history/``), runs the
threat scenarios over the system graph, answers the graph questions reports ask (blast radius,
single points of failure, internet-exposed paths) and ranks what to fix first. The CLI, the
notebooks and the portfolio all call it (a caller skips what it does not need, or passes a
simulation it ran elsewhere, but never re-assembles the stages); reports are rendered from its
:class:`AssessmentResult` (:mod:`cyberready.report`).

>>> import cyberready
>>> ws = cyberready.load_workspace(cyberready.example_path())
>>> result = cyberready.assess(ws, trials=200, priorities=False)
>>> result.readiness.overall.tier in {"Critical gaps", "Developing", "Established", "Advanced"}
True
>>> sorted(result.to_frame("functions").columns)[:3]
['function', 'p_fail_cycle', 'phases']
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from cyberready.workspace import Diagnostics, Workspace, diagnose

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.engine.results import SimulationResult
    from cyberready.prioritize import Priorities, Progress
    from cyberready.scoring import Readiness

__all__ = ["AssessmentResult", "GraphFacts", "assess", "graph_facts"]

BLAST_RADIUS_LIMIT: Final = 5_000
"""Above this many assets, blast radii are computed for the explicitly listed assets only."""


@dataclass(frozen=True)
class GraphFacts:
    """What the system graph says before any simulation.

    ``blast_radius`` maps an asset id to how many assets an attacker holding it can reach or
    take down (itself included); ``single_points_of_failure`` maps each function id to the
    assets whose outage alone fails it; ``exposed_paths`` are the shortest attack paths from
    internet-exposed assets to critical ones; ``edges`` are ``(from, to, role)`` per link and
    ``critical`` the assets tagged ``crown_jewel`` or needed by a function.
    """

    blast_radius: Mapping[str, int]
    single_points_of_failure: Mapping[str, tuple[str, ...]]
    exposed_paths: tuple[tuple[str, ...], ...]
    edges: tuple[tuple[str, str, str], ...]
    critical: frozenset[str]

    @classmethod
    def empty(cls) -> GraphFacts:
        """No graph facts (``assess(graph=False)``: the donor view does not use them, and they
        are the slow part of an assessment of a large model)."""
        return cls(
            blast_radius={},
            single_points_of_failure={},
            exposed_paths=(),
            edges=(),
            critical=frozenset(),
        )


def graph_facts(ws: Workspace, *, max_paths: int | None = None) -> GraphFacts:
    """The graph analyses of :mod:`cyberready.graph` for a workspace."""
    from cyberready import graph as g

    G = g.to_digraph(ws.resolved)  # noqa: N806 - networkx's name for a graph
    system = ws.resolved
    ids = system.ids if system.n_assets <= BLAST_RADIUS_LIMIT else system.ids[: system.explicit]
    radius = g.blast_radii(G, ids)
    spof = {f: tuple(v) for f, v in g.single_points_of_failure(G, system).items()}
    paths = tuple(tuple(p) for p in g.internet_exposed_paths(G, max_paths=max_paths))
    edges = tuple(sorted({(str(u), str(v), str(d["role"])) for u, v, d in G.edges(data=True)}))
    critical = frozenset(
        str(v)
        for v, attrs in G.nodes(data=True)
        if g.CROWN_JEWEL_TAG in attrs.get("tags", ()) or attrs.get("functions", ())
    )
    return GraphFacts(
        blast_radius=radius,
        single_points_of_failure=spof,
        exposed_paths=paths,
        edges=edges,
        critical=critical,
    )


@dataclass(frozen=True, eq=False)
class AssessmentResult:
    """Everything :func:`assess` computed for one EMB.

    ``history`` holds the readiness of each earlier assessment in ``history/``, oldest first;
    ``graph`` is empty when the graph was not analysed, ``simulation`` is None when threats
    were not simulated and ``priorities`` None when actions were not ranked; ``diagnostics``
    says which scenarios are not relevant here or could not apply, and why.
    """

    workspace: Workspace
    readiness: Readiness
    history: tuple[Readiness, ...]
    graph: GraphFacts
    simulation: SimulationResult | None
    priorities: Priorities | None
    trials: int
    seed: int

    @cached_property
    def diagnostics(self) -> Diagnostics:
        """Relevance, applicability and reachability of the scenarios simulated (or, without a
        simulation, of those in scope): :func:`cyberready.workspace.diagnose`."""
        ws = self.workspace
        if self.simulation is None:
            return diagnose(ws)
        return diagnose(ws, [ws.library.scenarios[s] for s in self.simulation.scenarios])

    def to_frame(
        self, table: Literal["readiness", "domains", "functions", "assets", "actions"] = "readiness"
    ) -> pd.DataFrame:
        """A DataFrame: ``readiness`` (per control), ``domains``, ``functions`` (chance of failing
        this cycle), ``assets`` (chance of compromise, blast radius) or ``actions`` (ranking)."""
        import pandas as pd

        if table == "readiness":
            return self.readiness.to_frame("control")
        if table == "domains":
            return self.readiness.to_frame("domain")
        fns = self.workspace.resolved.functions
        if table == "functions":
            cycle = self.simulation.cycle_probability if self.simulation else None
            return pd.DataFrame(
                {
                    "function": [f.id for f in fns],
                    "title": [f.title for f in fns],
                    "phases": [", ".join(f.phases) for f in fns],
                    "weight": [f.weight for f in fns],
                    "p_fail_cycle": [
                        float(cycle[i]) if cycle is not None else None for i in range(len(fns))
                    ],
                    "single_points_of_failure": [
                        ", ".join(self.graph.single_points_of_failure.get(f.id, ())) for f in fns
                    ],
                }
            )
        if table == "assets":
            ids = self.workspace.resolved.ids
            comp = self.simulation.cycle_compromise if self.simulation else None
            return pd.DataFrame(
                {
                    "asset": list(ids),
                    "p_compromise_cycle": [
                        float(comp[i]) if comp is not None else None for i in range(len(ids))
                    ],
                    "blast_radius": [self.graph.blast_radius.get(a) for a in ids],
                }
            )
        if table == "actions":
            if self.priorities is None:
                return pd.DataFrame()
            return self.priorities.to_frame("ranking")
        raise ValueError(
            f"table={table!r}: expected readiness, domains, functions, assets or actions"
        )

    def summary(self) -> dict[str, Any]:
        """Headline numbers as plain data: readiness, tier, expected loss, top risks."""
        o = self.readiness.overall
        out: dict[str, Any] = {
            "emb": self.workspace.emb.id,
            "readiness": o.score,
            "tier": o.tier,
            "confidence": o.confidence_band,
            "unassessed": len(o.unassessed),
        }
        if self.simulation is not None:
            out["expected_loss"] = self.simulation.expected_loss
            out["scenarios_not_relevant"] = [d.scenario_id for d in self.diagnostics.not_relevant]
            out["scenarios_cannot_apply"] = [d.scenario_id for d in self.diagnostics.cannot_apply]
            out["trust_loss"] = self.simulation.trust_loss
            out["top_risks"] = [
                {"function": f, "p_fail_cycle": p, "main_scenario": s}
                for f, p, s in self.simulation.top_risks(3)
            ]
        if self.priorities is not None and self.priorities.ranking:
            out["top_actions"] = [r.action.id for r in self.priorities.top(5)]
        return out

    def _repr_html_(self) -> str:
        s = self.summary()
        parts = [
            f"<p><b>{html.escape(self.workspace.emb.name)}</b>: readiness "
            f"{s['readiness']:.0f}/100 ({html.escape(str(s['tier']))}), confidence "
            f"{html.escape(str(s['confidence']))}"
        ]
        if "expected_loss" in s:
            parts.append(
                f", expected loss {s['expected_loss']:.3f} weight points (of which public trust "
                f"{s['trust_loss']:.3f})"
            )
        parts.append(".</p>")
        if "top_risks" in s:
            parts.append("<ol>")
            for r in s["top_risks"]:
                parts.append(
                    f"<li>{html.escape(r['function'])}: {r['p_fail_cycle']:.1%} "
                    f"(mainly {html.escape(r['main_scenario'])})</li>"
                )
            parts.append("</ol>")
        return "".join(parts)


def assess(
    workspace: Workspace | str | Path,
    *,
    trials: int = 10_000,
    seed: int = 0,
    screen_trials: int | None = None,
    priority_trials: int | None = None,
    budget_usd: float | None = None,
    simulation: bool | SimulationResult = True,
    priorities: bool = True,
    graph: bool = True,
    progress: Progress | None = None,
    exact: bool = False,
) -> AssessmentResult:
    """Score, simulate, analyse and prioritise one EMB.

    Parameters
    ----------
    workspace
        A loaded :class:`~cyberready.workspace.Workspace`, or the path of its folder.
    trials
        Monte Carlo trials per scenario (default 10,000).
    seed
        Seed of every simulation; the same inputs and seed give the same result.
    screen_trials
        Trials per scenario when screening every candidate action (default:
        :func:`~cyberready.prioritize.screening_trials` of ``trials``: a tenth, at least 100,
        at most ``trials``).
    priority_trials
        Trials per scenario to re-simulate the leading actions and the plan (default:
        ``trials``; the portfolio uses the screening trials).
    budget_usd
        Budget of the plan (default: ``emb.yaml``'s ``budget_usd``; no plan without one).
    simulation
        True: run the threat scenarios; False: readiness and graph facts only; or a
        :class:`~cyberready.engine.SimulationResult` of this workspace's in-scope scenarios as
        they are (its posture, ``trials`` and ``seed``), run elsewhere — e.g. combined from a
        cluster's trial ranges — and used as is.
    priorities
        Rank actions (needs a simulation).
    graph
        Analyse the system graph (False: :meth:`GraphFacts.empty`).
    progress
        Called as ``progress(stage, done, total)``.
    exact
        Re-simulate the leading actions and the plan on all their trials (default: each
        until its 95% interval is narrow enough; :func:`~cyberready.prioritize.prioritize`).

    Returns
    -------
    AssessmentResult
    """
    from cyberready.engine import SimulationResult
    from cyberready.scoring import score

    if not isinstance(workspace, Workspace):
        from cyberready.workspace import load_workspace

        workspace = load_workspace(Path(workspace))
    ws = workspace
    if isinstance(simulation, SimulationResult):
        if (simulation.trials, simulation.seed) != (trials, seed):
            raise ValueError(
                f"the simulation ran {simulation.trials} trials with seed {simulation.seed}, "
                f"not {trials} with seed {seed}"
            )
        if set(simulation.scenarios) != {s.id for s in ws.scenarios}:
            raise ValueError(
                "the simulation must cover exactly the workspace's in-scope scenarios "
                f"({len(ws.scenarios)}), not {len(simulation.scenarios)}"
            )

    def tick(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    tick("readiness", 0, 1)
    readiness = score(ws)
    history = tuple(score(ws, assessment=h) for h in ws.history)
    tick("readiness", 1, 1)
    facts = GraphFacts.empty()
    if graph:
        tick("graph", 0, 1)
        facts = graph_facts(ws)
        tick("graph", 1, 1)
    sim = simulation if isinstance(simulation, SimulationResult) else None
    prio = None
    if simulation is True:
        from cyberready.engine import simulate

        n_scen = len(ws.scenarios)
        done = [0]

        def sim_tick(n: int) -> None:
            done[0] += n
            tick("simulation", done[0], n_scen * trials)

        sim = simulate(ws, trials=trials, seed=seed, progress=sim_tick)
    if sim is not None and priorities:
        from cyberready.prioritize import prioritize, screening_trials

        full = priority_trials if priority_trials is not None else trials
        prio = prioritize(
            ws,
            budget_usd=budget_usd,
            trials=full,
            screen_trials=min(screening_trials(trials, screen_trials), full),
            seed=seed,
            progress=progress,
            exact=exact,
        )
    return AssessmentResult(
        workspace=ws,
        readiness=readiness,
        history=history,
        graph=facts,
        simulation=sim,
        priorities=prio,
        trials=trials,
        seed=seed,
    )

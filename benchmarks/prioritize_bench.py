"""Prioritisation benchmark (issue 6): speed on the example EMB, plan quality, what-if check.

Run from the repository root::

    python -m benchmarks.prioritize_bench            # everything, prints Markdown
    python -m benchmarks.prioritize_bench --quick    # fewer cases

Three measurements:

1. **Speed**: ``prioritize`` on the shipped example with the defaults (1,000 screening trials
   per scenario for every candidate, 10,000 for the 10 leaders, the budget plan of
   ``emb.yaml``), wall time per stage, best of ``--repeat`` runs.
2. **Plan quality**: on small models where every subset of candidate actions can be
   enumerated, the plan's benefit over the best affordable subset's (same trials, same cost
   rule). Simulated models (``tests/prioritize_models.random_model``), and synthetic
   instances with diminishing returns (additive or weighted-coverage benefits) where the
   greedy alone, the better of greedy and best single action, and greedy + max are compared.
3. **What-if check**: the top three recommendations applied through ``what_if`` with
   independent seeds, against the ranking's claimed cumulative benefit.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cyberready
from cyberready.prioritize import (
    Action,
    budget_plan,
    candidate_actions,
    exhaustive_plan,
    loss_model,
    plan_cost,
    prioritize,
    what_if,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from prioritize_models import random_model  # the tests' small-model generator


def speed(repeat: int) -> list[str]:
    ws = cyberready.load_workspace(cyberready.example_path())
    prioritize(ws, trials=200, screen_trials=100, leaders=2, plan=False)  # imports, compile
    runs = []
    for _ in range(repeat):
        marks: dict[str, float] = {}
        t0 = time.perf_counter()

        def tick(
            stage: str, done: int, total: int, t0: float = t0, m: dict[str, float] = marks
        ) -> None:
            if done == total:
                m[stage] = time.perf_counter() - t0

        p = prioritize(ws, progress=tick)
        runs.append((time.perf_counter() - t0, marks, p))
    total, marks, p = min(runs, key=lambda r: r[0])
    n_risk = len(p.ranking)
    lines = [
        f"Example EMB ({ws.resolved.n_assets} assets, {len(p.scenarios)} scenarios, "
        f"{p.candidates} candidate actions: {n_risk} with a simulated effect, "
        f"{len(p.readiness)} without), defaults (screen 1,000 trials, 10 leaders at 10,000, "
        f"budget ${ws.emb.budget_usd:,.0f} from emb.yaml), best of {repeat}:",
        "",
        "| stage | cumulative wall time (s) |",
        "|---|---|",
    ]
    for stage, t in marks.items():
        lines.append(f"| {stage} | {t:.1f} |")
    lines.append(f"| total (incl. readiness list, roadmap) | {total:.1f} |")
    lines.append("")
    lines.append(
        f"All runs: {', '.join(f'{r[0]:.1f}' for r in runs)} s. Plan: {len(p.plan.steps)} "
        f"actions ({p.plan.method}), cost {p.plan.cost.describe()}, benefit "
        f"{p.plan.benefit.value:.3f} ± {p.plan.benefit.se:.3f} of {p.baseline:.3f}."
        if p.plan and p.plan.benefit
        else f"All runs: {', '.join(f'{r[0]:.1f}' for r in runs)} s."
    )
    return lines


def simulated_quality(seeds: int) -> list[str]:
    ours: list[float] = []
    plain: list[float] = []
    worst = (2.0, "")
    for seed in range(seeds):
        ws = random_model(seed)
        acts = candidate_actions(ws)
        model = loss_model(ws, trials=500, seed=9)
        total = plan_cost(acts).mid
        for share in (0.1, 0.25, 0.5, 0.75):
            budget = share * total

            def cost(s: frozenset[Action]) -> float:
                return plan_cost(s).mid

            p = prioritize(ws, trials=500, screen_trials=500, seed=9, budget_usd=budget, leaders=1)
            assert p.plan is not None
            best = exhaustive_plan(acts, budget, model.value, cost, key=lambda a: a.id).value
            no_swaps = budget_plan(acts, budget, model.value, cost, key=lambda a: a.id, swaps=False)
            r = p.plan.screened_value / best if best > 0 else 1.0
            ours.append(r)
            plain.append(no_swaps.value / best if best > 0 else 1.0)
            if r < worst[0]:
                worst = (r, f"model {seed}, budget {share:.0%}")
    return [
        "",
        "| simulated small models | cases | min | mean | optimal |",
        "|---|---|---|---|---|",
        f"| greedy + max | {len(plain)} | {min(plain):.3f} | {statistics.mean(plain):.3f} | "
        f"{sum(r > 1 - 1e-9 for r in plain)} |",
        f"| greedy + max + swaps (the plan) | {len(ours)} | **{min(ours):.3f}** ({worst[1]}) | "
        f"{statistics.mean(ours):.3f} | {sum(r > 1 - 1e-9 for r in ours)} |",
        "",
        f"{seeds} random models (6 assets, 2 scenarios, 8 controls, 2 override selectors: 10 "
        "candidates, 1,024 subsets), budgets 10/25/50/75% of all candidates' cost, 500 trials.",
    ]


def _synthetic(
    rnd: random.Random, cover: bool
) -> tuple[list[str], Callable[[frozenset[str]], float], Callable[[frozenset[str]], float], float]:
    n = rnd.randint(3, 10)
    items = [f"i{k}" for k in range(n)]
    prices = {i: rnd.uniform(0.5, 10) for i in items}
    if cover:
        weights = [rnd.uniform(0, 5) for _ in range(10)]
        covers = {i: {e for e in range(10) if rnd.random() < 0.3} for i in items}

        def value(s: frozenset[str]) -> float:
            return sum(weights[e] for e in set().union(*(covers[i] for i in s)))
    else:
        gains = {i: rnd.uniform(0, 10) for i in items}

        def value(s: frozenset[str]) -> float:
            return sum(gains[i] for i in s)

    def cost(s: frozenset[str]) -> float:
        return sum(prices[i] for i in s)

    return items, value, cost, rnd.uniform(0.1, 0.8) * sum(prices.values())


def synthetic_quality(cases: int) -> list[str]:
    rnd = random.Random(2026)
    out = [
        "",
        "| synthetic benefits | cases | greedy only (min / mean) | better of greedy and single "
        "| greedy + max | greedy + max + swaps (the plan) |",
        "|---|---|---|---|---|---|",
    ]
    for cover in (False, True):
        g, gs, gm, gw = [], [], [], []
        for _ in range(cases):
            items, value, cost, budget = _synthetic(rnd, cover)
            plan = budget_plan(items, budget, value, cost, swaps=False)
            swapped = budget_plan(items, budget, value, cost)
            best = exhaustive_plan(items, budget, value, cost).value
            if best <= 0:
                continue
            greedy_value = plan.greedy_values[-1] if plan.greedy_values else value(frozenset())
            single = max(
                (value(frozenset({i})) for i in items if cost(frozenset({i})) <= budget),
                default=0.0,
            )
            g.append(greedy_value / best)
            gs.append(max(greedy_value, single) / best)
            gm.append(plan.value / best)
            gw.append(swapped.value / best)
        kind = "weighted coverage (submodular)" if cover else "additive"
        out.append(
            f"| {kind} | {len(g)} | {min(g):.3f} / {statistics.mean(g):.3f} | "
            f"{min(gs):.3f} / {statistics.mean(gs):.3f} | "
            f"{min(gm):.3f} / {statistics.mean(gm):.3f} | "
            f"{min(gw):.3f} / {statistics.mean(gw):.3f} |"
        )
    return out


def what_if_check(seeds: int) -> list[str]:
    ws = cyberready.load_workspace(cyberready.example_path())
    p = prioritize(ws, plan=False, leaders=3)
    top = p.top(3)
    claim = top[-1].cumulative
    assert claim is not None
    zs = []
    for k in range(seeds):
        w = what_if(ws, [r.action for r in top], seed=1_000_003 + k)
        zs.append((w.before - w.after - claim.value) / math.hypot(claim.se, w.benefit.se))
    return [
        f"Top three ({', '.join(r.action.id for r in top)}) claimed {claim.value:.4f} ± "
        f"{claim.se:.4f} (seed 0); re-simulated through `what_if` with {seeds} independent "
        f"seeds: differences of {', '.join(f'{z:+.2f}' for z in zs)} combined standard "
        f"errors (limit ±4).",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer cases and one speed run")
    ap.add_argument("--repeat", type=int, default=3, help="speed runs (best is reported)")
    args = ap.parse_args()
    quick = args.quick
    print(
        f"Machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}.\n"
    )
    print("\n".join(speed(1 if quick else args.repeat)))
    print()
    print("\n".join(simulated_quality(4 if quick else 20)))
    print("\n".join(synthetic_quality(200 if quick else 2000)))
    print()
    print("\n".join(what_if_check(2 if quick else 5)))


if __name__ == "__main__":
    main()

"""The budget plan search: greedy + max, then local swaps, on any items (rules and the
approximation guarantee in :mod:`cyberready.prioritize`), and the exhaustive search that checks it
on small models.

Nothing here knows about actions or simulations: items, a value and a cost of sets of items.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class PlanSearch(Generic[T]):
    """What :func:`budget_plan` (or :func:`exhaustive_plan`) chose.

    ``chosen`` is in the order picked; ``greedy`` the full greedy sequence and ``greedy_values``
    the value after each of its picks.
    """

    chosen: tuple[T, ...]
    value: float
    cost: float
    method: str
    greedy: tuple[T, ...] = ()
    greedy_values: tuple[float, ...] = ()
    evaluations: int = 0


def _fits(cost: float, budget: float) -> bool:
    return cost <= budget + 1e-9 * max(1.0, abs(budget))


def budget_plan(
    items: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    *,
    key: Callable[[T], str] = str,
    swaps: bool = True,
    max_passes: int = 10,
) -> PlanSearch[T]:
    """The best plan found within ``budget``: greedy + max, then local swaps.

    Parameters
    ----------
    items
        The candidate actions (any hashable items).
    budget
        Most the plan may cost, in the units of ``cost``.
    value
        Benefit of a set of items (the empty set is worth ``value(frozenset())``).
    cost
        Cost of a set of items (need not be additive).
    key
        Tie-breaker, so the result is deterministic.
    swaps
        After greedy + max, try adding one item or exchanging one chosen item for one other,
        keeping the best strict improvement, until none is left (at most ``max_passes``
        passes). It can only raise the value, so every guarantee of greedy + max holds.

    Returns
    -------
    PlanSearch
        The chosen items in pick order, their value and cost, and which rule found them:
        ``greedy``, ``best single action``, ``greedy + best single action`` (each followed by
        ``+ swaps`` when local search improved it) or ``nothing affordable``.

    Examples
    --------
    Three actions whose benefits add up; a budget of 10:

    >>> gain = {"a": 6.0, "b": 5.0, "c": 5.0}
    >>> price = {"a": 10.0, "b": 5.0, "c": 5.0}
    >>> plan = budget_plan(list(gain), 10.0, lambda s: sum(gain[i] for i in s),
    ...                    lambda s: sum(price[i] for i in s))
    >>> plan.chosen, plan.value, plan.method
    (('b', 'c'), 10.0, 'greedy')
    """
    empty: frozenset[T] = frozenset()
    base = value(empty)
    evaluations = 1
    chosen: frozenset[T] = empty
    order: list[T] = []
    cur_value, cur_cost = base, cost(empty)
    best: tuple[float, float, tuple[T, ...], str] = (base, cur_cost, (), "nothing affordable")
    greedy_values: list[float] = []
    pool = sorted(set(items), key=key)
    remaining = list(pool)
    while remaining:
        scored: list[tuple[T, float, float]] = []
        for it in remaining:
            s = chosen | {it}
            c = cost(s)
            if not _fits(c, budget):
                continue
            v = value(s)
            evaluations += 1
            scored.append((it, v, c))
        if not scored:
            break
        # "max": the plan so far plus the single affordable item worth most
        top_item, top_value, top_cost = max(scored, key=lambda t: (t[1], -t[2]))
        if top_value > best[0] + 1e-12:
            method = "best single action" if not order else "greedy + best single action"
            best = (top_value, top_cost, (*order, top_item), method)
        # greedy: best marginal benefit per marginal cost
        gains = [(it, v - cur_value, c - cur_cost, v, c) for it, v, c in scored]
        useful = [g for g in gains if g[1] > 1e-12]
        if not useful:
            break
        pick = max(
            useful,
            key=lambda g: (g[1] / g[2] if g[2] > 1e-12 else math.inf, g[1]),
        )
        order.append(pick[0])
        chosen = chosen | {pick[0]}
        cur_value, cur_cost = pick[3], pick[4]
        greedy_values.append(cur_value)
        remaining = [it for it in remaining if it not in chosen]
    if order and cur_value >= best[0] - 1e-12:
        best = (cur_value, cur_cost, tuple(order), "greedy")
    if swaps and best[2]:
        improved, evaluations = _local_swaps(
            pool, budget, value, cost, key, best[:3], max_passes, evaluations
        )
        if improved[0] > best[0] + 1e-12:
            best = (*improved, best[3] + " + swaps")
    return PlanSearch(
        chosen=best[2],
        value=best[0],
        cost=best[1],
        method=best[3],
        greedy=tuple(order),
        greedy_values=tuple(greedy_values),
        evaluations=evaluations,
    )


def _local_swaps(
    pool: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    key: Callable[[T], str],
    start: tuple[float, float, tuple[T, ...]],
    max_passes: int,
    evaluations: int,
) -> tuple[tuple[float, float, tuple[T, ...]], int]:
    """Best-improvement local search: add one item, or exchange one chosen item for another."""
    cur_value, cur_cost, order = start
    for _ in range(max_passes):
        current = frozenset(order)
        move: tuple[float, float, T | None, T] | None = None
        for out in [None, *sorted(current, key=key)]:
            kept = current - {out} if out is not None else current
            for inn in pool:
                if inn in current:
                    continue
                s = kept | {inn}
                c = cost(s)
                if not _fits(c, budget):
                    continue
                v = value(s)
                evaluations += 1
                if v > (move[0] if move else cur_value) + 1e-12:
                    move = (v, c, out, inn)
        if move is None:
            break
        cur_value, cur_cost = move[0], move[1]
        order = (*(it for it in order if it != move[2]), move[3])
    return (cur_value, cur_cost, order), evaluations


def exhaustive_plan(
    items: Sequence[T],
    budget: float,
    value: Callable[[frozenset[T]], float],
    cost: Callable[[frozenset[T]], float],
    *,
    key: Callable[[T], str] = str,
    max_items: int = 16,
) -> PlanSearch[T]:
    """The best plan within ``budget`` by trying every subset (small sets only).

    Used to check :func:`budget_plan` on small models. Raises ``ValueError`` above
    ``max_items`` items (2**16 subsets).
    """
    pool = sorted(set(items), key=key)
    if len(pool) > max_items:
        raise ValueError(f"{len(pool)} items: exhaustive search is limited to {max_items}")
    empty: frozenset[T] = frozenset()
    best: tuple[float, float, tuple[T, ...]] = (value(empty), cost(empty), ())
    evaluations = 1
    for r in range(1, len(pool) + 1):
        for combo in itertools.combinations(pool, r):
            s = frozenset(combo)
            c = cost(s)
            if not _fits(c, budget):
                continue
            v = value(s)
            evaluations += 1
            if v > best[0] + 1e-12 or (abs(v - best[0]) <= 1e-12 and c < best[1]):
                best = (v, c, combo)
    return PlanSearch(
        chosen=best[2], value=best[0], cost=best[1], method="exhaustive", evaluations=evaluations
    )

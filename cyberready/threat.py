"""Threat context: an EMB's own view of how likely each campaign is (``emb.yaml``
``threat_context``).

The shipped scenarios carry a *base* likelihood, for a threat of medium level. An EMB may set
its threat actors' levels (none, low, medium, high) and, for any scenario, a likelihood of its
own with a rationale. The **effective likelihood** ``L`` is then:

* the scenario's entry in ``threat_context.scenarios``, as written, when there is one;
* else, with a threat context, ``min(base × m, max(base, 0.95))`` where ``m`` is the multiplier
  of the scenario actor's level (none 0, low 0.3, medium 1, high 2; an unlisted actor is
  medium) — the cap only limits a raise, so a base above 0.95 is never lowered by it;
* else (no threat context) the base likelihood exactly.

``L`` is what expected loss, the cycle probability and the priorities use.

>>> from cyberready.models import Scenario, ThreatContext
>>> sc = Scenario.model_validate({
...     "schema_version": 1, "kind": "scenario", "id": "x", "title": "X", "actor": "government",
...     "objective": "availability", "phases": ["voting"], "likelihood": 0.2,
...     "entry": [{"select": "type:network", "technique": "t", "probability": 1,
...                "time": {"fixed": 1}}],
...     "effects": [{"type": "deface"}]})
>>> effective_likelihood(sc, None).value
0.2
>>> ctx = ThreatContext(source="assessment", actors={"government": "low"})
>>> round(effective_likelihood(sc, ctx).value, 6), effective_likelihood(sc, ctx).origin
(0.06, 'actor')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from cyberready.models import Scenario, ThreatContext

__all__ = ["ACTOR_MULTIPLIER", "CAP", "Likelihood", "Origin", "effective_likelihood"]

ACTOR_MULTIPLIER: Final = {"none": 0.0, "low": 0.3, "medium": 1.0, "high": 2.0}
"""Factor on a scenario's base likelihood for each actor level."""
CAP: Final = 0.95
"""A raise by an actor level never takes a likelihood above this (or above the base)."""

Origin = Literal["generic", "actor", "emb"]


@dataclass(frozen=True)
class Likelihood:
    """A scenario's effective likelihood for one EMB and where it came from."""

    value: float
    """The effective likelihood ``L``, 0–1."""
    base: float
    """The scenario's own (generic) likelihood."""
    origin: Origin
    """``generic`` (no threat context), ``actor`` (base × the actor level's multiplier) or
    ``emb`` (the EMB's own figure for this scenario)."""
    actor: str
    level: str | None = None
    """The actor's level in the threat context (None without one)."""
    rationale: str = ""
    """The EMB's rationale, for ``emb``."""

    def describe(self) -> str:
        """Where the figure comes from, in a few words."""
        if self.origin == "emb":
            return f"set by the EMB: {self.rationale}"
        if self.origin == "actor":
            return (
                f"base {self.base:g} × {ACTOR_MULTIPLIER[self.level or 'medium']:g} "
                f"({self.actor.replace('_', ' ')}: {self.level})"
            )
        return "generic (no threat context)"


def effective_likelihood(scenario: Scenario, context: ThreatContext | None) -> Likelihood:
    """The effective likelihood of ``scenario`` under ``context`` (see the module docstring)."""
    base = scenario.likelihood
    if context is None:
        return Likelihood(value=base, base=base, origin="generic", actor=scenario.actor)
    level = context.actors.get(scenario.actor, "medium")
    own = context.scenarios.get(scenario.id)
    if own is not None:
        return Likelihood(
            value=own.likelihood,
            base=base,
            origin="emb",
            actor=scenario.actor,
            level=level,
            rationale=own.rationale,
        )
    value = min(base * ACTOR_MULTIPLIER[level], max(base, CAP))
    return Likelihood(value=value, base=base, origin="actor", actor=scenario.actor, level=level)

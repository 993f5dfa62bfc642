"""Small models built in code for the engine and posture tests (no files, no shipped data)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from cyberready.models import Assessment, Framework, Scenario, SystemModel
from cyberready.posture import AssetLevels, Posture, levels_from
from cyberready.workspace import ResolvedSystem

SCALE = {
    "levels": [{"level": i, "name": f"L{i}", "description": ""} for i in range(5)],
    "effectiveness": [0.0, 0.25, 0.5, 0.75, 1.0],
}


def system(
    assets: Sequence[dict[str, Any] | tuple[str, str]],
    links: Sequence[tuple[str, str, str] | tuple[str, str, str, str]] = (),
    functions: Sequence[dict[str, Any]] = (),
) -> ResolvedSystem:
    """A resolved system; assets as dicts or ``(id, type)``, links as ``(from, to, kind)`` or
    ``(from, to, kind, group)`` (a dependency link in an alternatives group)."""
    model = SystemModel.model_validate(
        {
            "schema_version": 1,
            "kind": "system",
            "emb": "test-emb",
            "assets": [a if isinstance(a, dict) else {"id": a[0], "type": a[1]} for a in assets],
            "links": [
                {"from": lk[0], "to": lk[1], "kind": lk[2]}
                | ({"group": lk[3]} if len(lk) == 4 else {})
                for lk in links
            ],
            "functions": list(functions),
        }
    )
    return ResolvedSystem.from_model(model)


def function(
    fid: str,
    requires: Sequence[dict[str, Any]],
    *,
    tolerance: float = 6,
    phase: str | Sequence[str] = "results_publication",
    weight: int = 3,
) -> dict[str, Any]:
    """A function definition (dict, as in system.yaml); ``phase`` one phase or a list."""
    return {
        "id": fid,
        "title": fid,
        "weight": weight,
        **({"phase": phase} if isinstance(phase, str) else {"phases": list(phase)}),
        "max_tolerable_outage_hours": tolerance,
        "requires": list(requires),
    }


def scenario(
    entry: Sequence[dict[str, Any]],
    propagation: Sequence[dict[str, Any]] = (),
    effects: Sequence[dict[str, Any]] = ({"type": "disrupt", "duration": {"fixed": 24}},),
    *,
    sid: str = "test-scenario",
    phases: Sequence[str] = ("results_publication",),
    likelihood: float = 1.0,
) -> Scenario:
    """A scenario model."""
    return Scenario.model_validate(
        {
            "schema_version": 1,
            "kind": "scenario",
            "id": sid,
            "title": sid,
            "actor": "criminal",
            "objective": "availability",
            "phases": list(phases),
            "likelihood": likelihood,
            "entry": list(entry),
            "propagation": list(propagation),
            "effects": list(effects),
        }
    )


def entry(
    select: Any, p: float, time: Any = None, technique: str = "phishing", *, mode: str = "each"
) -> dict[str, Any]:
    """An entry rule (``mode``: each or one)."""
    return {
        "select": select,
        "mode": mode,
        "technique": technique,
        "probability": p,
        "time": time or {"fixed": 1},
    }


def spread(
    kinds: Sequence[str],
    p: float,
    time: Any = None,
    *,
    direction: str = "forward",
    technique: str = "lateral_movement",
) -> dict[str, Any]:
    """A propagation rule."""
    return {
        "kinds": list(kinds),
        "direction": direction,
        "technique": technique,
        "probability": p,
        "time": time or {"fixed": 1},
    }


def framework(controls: Sequence[dict[str, Any]], fid: str = "test-fw") -> Framework:
    """A framework whose controls are given as dicts (id, applies_to, effects...)."""
    return Framework.model_validate(
        {
            "schema_version": 1,
            "kind": "framework",
            "id": fid,
            "title": fid,
            "maturity_scale": SCALE,
            "domains": [{"id": "D", "title": "D"}],
            "controls": [{"domain": "D", "title": c["id"], "objective": "", **c} for c in controls],
        }
    )


def assessment(
    answers: dict[str, Any], overrides: Sequence[dict[str, Any]] = (), fid: str = "test-fw"
) -> Assessment:
    """An assessment with ``{control: level}`` answers."""
    return Assessment.model_validate(
        {
            "schema_version": 1,
            "kind": "assessment",
            "emb": "test-emb",
            "frameworks": [fid],
            "as_of": "2026-01-01",
            "answers": {c: {"level": lv} for c, lv in answers.items()},
            "overrides": list(overrides),
        }
    )


def levels(
    rs: ResolvedSystem,
    controls: Sequence[dict[str, Any]],
    answers: dict[str, Any],
    overrides: Sequence[dict[str, Any]] = (),
) -> AssetLevels:
    """AssetLevels of in-code controls and answers."""
    return levels_from(rs, [framework(controls)], assessment(answers, overrides))


def posture(
    rs: ResolvedSystem,
    controls: Sequence[dict[str, Any]],
    answers: dict[str, Any],
    overrides: Sequence[dict[str, Any]] = (),
) -> Posture:
    """The posture of in-code controls and answers."""
    return levels(rs, controls, answers, overrides).posture()


# --------------------------------------------------------------------------- random models

TYPES = ("staff_workstation", "data_center", "results_website", "tally_server", "email")
KINDS = (
    "hosted_on",
    "depends_on",
    "powered_by",
    "connects_to",
    "administers",
    "authenticates",
    "supplies",
    "copies_data_to",
)
TECHNIQUES = ("phishing", "lateral_movement", "web_exploit", "ddos")
DEPENDENCY_KINDS = ("hosted_on", "depends_on", "powered_by")
PHASES = ("results_publication", "voting", "counting")


def _time(rnd: random.Random) -> dict[str, Any]:
    kind = rnd.choice(["fixed", "fixed", "fixed", "exponential", "lognormal", "uniform"])
    if kind == "fixed":
        return {"fixed": rnd.choice([1, 2, 3])}  # small integers: plenty of exact ties
    if kind == "exponential":
        return {"exponential": {"mean": rnd.uniform(0.5, 30)}}
    if kind == "lognormal":
        median = rnd.uniform(1, 20)
        return {"lognormal": {"median": median, "p90": median * rnd.uniform(1.5, 6)}}
    lo = rnd.choice([0, 1, 5])
    return {"uniform": [lo, lo + rnd.uniform(1, 30)]}


def _selector(rnd: random.Random, ids: list[str]) -> Any:
    roll = rnd.random()
    if roll < 0.5:
        return rnd.sample(ids, rnd.randint(1, min(3, len(ids))))
    if roll < 0.8:
        return {"types": rnd.sample(TYPES, rnd.randint(1, 2))}
    return {"tags": ["t0"]}


def random_model(seed: int) -> tuple[ResolvedSystem, Scenario, list[dict[str, Any]], AssetLevels]:
    """A small random system, scenario and control set (with random levels).

    Every feature of the trial model appears across seeds: counts, ``mode: one`` entries,
    alternatives groups (often in a dependency cycle through the group), functions over several
    phases, several verifying controls with different recheck laws, public effects, detection,
    mitigation, recovery and reassurance."""
    rnd = random.Random(seed)
    n = rnd.randint(2, 9)
    ids = [f"a{i}" for i in range(n)]
    assets = [
        {
            "id": a,
            "type": rnd.choice(TYPES),
            "tags": ["t0"] if rnd.random() < 0.3 else [],
            "data": ["pii"] if rnd.random() < 0.4 else [],
            "count": rnd.choice([1, 1, 1, 2, 3, 5]),
        }
        for a in ids
    ]
    links: list[tuple[str, str, str] | tuple[str, str, str, str]] = [
        (rnd.choice(ids), rnd.choice(ids), rnd.choice(KINDS)) for _ in range(rnd.randint(1, 3 * n))
    ]
    for gi in range(rnd.choice([0, 1, 1, 2, 3])):  # alternatives groups, often in a cycle
        owner = rnd.choice(ids)
        alternatives = rnd.sample(ids, rnd.randint(1, min(3, n)))
        links += [(owner, m, rnd.choice(DEPENDENCY_KINDS), f"g{gi}") for m in alternatives]
        if rnd.random() < 0.6:
            links.append((rnd.choice(alternatives), owner, rnd.choice(DEPENDENCY_KINDS)))
    rnd.shuffle(links)
    functions = []
    for fi in range(rnd.randint(1, 3)):
        groups = []
        for _ in range(rnd.randint(1, 2)):
            members = rnd.sample(ids, rnd.randint(1, min(4, n)))
            mode = rnd.choice(["any", "all", "at_least"])
            group: dict[str, Any] = (
                {"at_least": rnd.choice([0.3, 0.5, 0.67, 1.0]), "of": members}
                if mode == "at_least"
                else {mode: members}
            )
            if rnd.random() < 0.4:
                group["protects_data"] = True
            groups.append(group)
        functions.append(
            function(
                f"f{fi}",
                groups,
                tolerance=rnd.choice([0.5, 4, 12, 30]),
                phase=rnd.sample(PHASES, rnd.randint(1, 2)),
                weight=rnd.randint(1, 5),
            )
        )
    rs = system(assets, links, functions)
    effects = []
    for _ in range(rnd.randint(1, 3)):
        etype = rnd.choice(["disrupt", "alter", "alter", "leak", "deface"])
        eff: dict[str, Any] = {"type": etype}
        if etype == "disrupt":
            eff["duration"] = _time(rnd)
        if rnd.random() < 0.4:
            eff["targets"] = _selector(rnd, ids)
        if rnd.random() < 0.5:
            eff["visibility"] = rnd.choice(["none", "internal", "public"])
        effects.append(eff)
    sc = scenario(
        entry=[
            entry(
                _selector(rnd, ids),
                rnd.uniform(0.1, 0.9),
                _time(rnd),
                rnd.choice(TECHNIQUES),
                mode="one" if rnd.random() < 0.35 else "each",
            )
            for _ in range(rnd.randint(1, 3))
        ],
        propagation=[
            spread(
                rnd.sample(KINDS, rnd.randint(1, 3)),
                rnd.uniform(0.2, 1.0),
                _time(rnd),
                direction=rnd.choice(["forward", "reverse"]),
                technique=rnd.choice(TECHNIQUES),
            )
            for _ in range(rnd.randint(0, 3))
        ],
        effects=effects,
        phases=rnd.sample(PHASES, rnd.randint(1, 2)),
        sid=f"random-{seed}",
    )
    controls: list[dict[str, Any]] = []
    for ci in range(rnd.randint(1, 5)):
        techs = rnd.sample(TECHNIQUES, rnd.randint(1, 3))
        effects_of: dict[str, Any] = {
            "mitigates": {t: round(rnd.uniform(0, 1), 2) for t in techs if rnd.random() < 0.7},
            "detects": {t: round(rnd.uniform(0, 1), 2) for t in techs if rnd.random() < 0.6},
            "recovers": round(rnd.uniform(0, 1), 2) if rnd.random() < 0.3 else 0.0,
            "reassures": round(rnd.uniform(0, 1), 2) if rnd.random() < 0.3 else 0.0,
        }
        if rnd.random() < 0.45:
            effects_of["verifies"] = {
                "probability": round(rnd.uniform(0.2, 1), 2),
                "recheck": _time(rnd),
            }
        controls.append(
            {
                "id": f"C-{ci}",
                "applies_to": ["organization"]
                if rnd.random() < 0.5
                else rnd.sample(TYPES, rnd.randint(1, 3)),
                "effects": effects_of,
            }
        )
    answers = {c["id"]: rnd.randint(0, 4) for c in controls if rnd.random() < 0.85}
    overrides = [
        {"select": rnd.sample(ids, 1), "control": c["id"], "level": rnd.randint(0, 4)}
        for c in controls
        if rnd.random() < 0.3
    ]
    return rs, sc, controls, levels(rs, controls, answers, overrides)

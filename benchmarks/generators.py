"""Seeded, deterministic benchmark models at 10^3–10^6 assets.

Two generators:

* :func:`random_graph` — the "mostly forward" random graph of our performance research:
  out-degree Poisson(3), 95% of links to a uniformly
  random *higher* position, 5% anywhere (so there are cycles), 8 entry assets in the first 1%,
  16 critical assets in the upper half. Built in code as a
  :class:`~cyberready.workspace.ResolvedSystem`
  plus scenarios (a 10^6-asset explicit ``system.yaml`` is exactly what docs/system-model.md,
  "Generated assets", advises against writing).
* :func:`write_emb_workspace` — an EMB-shaped hierarchy written as an ordinary workspace whose
  replicas come from ``generate:`` CSVs: national centre → regions → districts → polling
  stations → a results kit, an e-pollbook and an officer account per station, with hubs (a
  central update server that supplies every kit and pollbook, a voter register copied to every
  pollbook, an HQ admin account). Assets carry a ``site`` and an ``operator``. It goes through
  the ordinary CLI (``python -m cyberready validate DIR``, ``simulate DIR``); its three
  scenarios are benchmark fixtures that select by tags and ids (the shipped scenarios never do).

Regimes (the same graph, different spread):

* ``narrow`` — propagation probability 0.5 from a few entry points (a few % of assets reached);
* ``wide`` — propagation probability 0.9 through the hubs (tens of % reached);
* ``posture`` (hierarchy only) — real techniques whose step probabilities come from an
  assessment with per-region overrides, so every asset has its own probability.
* ``v2`` (the hierarchy written with ``version2=True``) — the trial model's version-2
  features at national scale: regional tallies and every results kit powered by the region's
  grid *or* its generator (an alternatives group, so outages spread by the per-trial fixed
  point), two verifying controls on tallies and kits (a framework of the workspace's own),
  a ``mode: one`` entry that strikes one station's account, and the 120 HQ workstations
  attacked as one asset with a count.

Everything is a pure function of ``(n_assets, seed)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cyberready.io import atomic_write_text, dump_yaml
from cyberready.models import Function, Scenario
from cyberready.models.vocab import ASSET_TYPES, DATA_CLASSES, EXPOSURES, LINK_KINDS
from cyberready.workspace import ResolvedSystem

__all__ = [
    "HierarchyShape",
    "RandomGraph",
    "hierarchy_shape",
    "random_graph",
    "random_graph_scenario",
    "write_emb_workspace",
]

REGIMES = ("narrow", "wide")
PROPAGATION_P = {"narrow": 0.5, "wide": 0.9}


# --------------------------------------------------------------------------- random graph


@dataclass(frozen=True)
class RandomGraph:
    """A random mostly-forward graph and its benchmark scenario per regime."""

    system: ResolvedSystem
    scenarios: dict[str, Scenario]


def _scenario(data: dict[str, object]) -> Scenario:
    return Scenario.model_validate({"schema_version": 1, "kind": "scenario", **data})


def random_graph_scenario(regime: str) -> Scenario:
    """The random graph's scenario: 8 entries, one propagation rule with the regime's p."""
    return _scenario(
        {
            "id": f"random-{regime}",
            "title": f"Random mostly-forward graph, {regime} spread",
            "actor": "criminal",
            "objective": "availability",
            "phases": ["voting"],
            "likelihood": 0.5,
            "entry": [
                {
                    "select": {"tags": ["entry"]},
                    "technique": "account_takeover",
                    "probability": 0.9,
                    "time": {"exponential": {"mean": 24}},
                }
            ],
            "propagation": [
                {
                    "kinds": ["connects_to"],
                    "direction": "forward",
                    "technique": "account_takeover",
                    "probability": PROPAGATION_P[regime],
                    "time": {"lognormal": {"median": 6, "p90": 48}},
                }
            ],
            "effects": [{"type": "disrupt", "duration": {"lognormal": {"median": 24, "p90": 120}}}],
        }
    )


def random_graph(n_assets: int, *, seed: int = 0) -> RandomGraph:
    """The research's random graph with ``n_assets`` assets (deterministic in ``seed``).

    Out-degree is Poisson(3); each link goes to a uniformly random higher position with
    probability 0.95 (the last asset's links go anywhere), else anywhere; self-links and repeated
    links are dropped. Assets ``entry`` (8, in the first 1%) and ``critical`` (16, upper half)
    are tags; one function ``keep_critical`` needs all critical assets within 6 h.
    """
    if n_assets < 100:
        raise ValueError("the random graph needs at least 100 assets")
    rng = np.random.Generator(np.random.PCG64(seed))
    n = n_assets
    degree = rng.poisson(3.0, size=n)
    src = np.repeat(np.arange(n, dtype=np.int64), degree)
    forward = (rng.random(len(src)) < 0.95) & (src < n - 1)
    span = (n - 1 - src).astype(np.float64)
    dst_fwd = src + 1 + np.floor(rng.random(len(src)) * span).astype(np.int64)
    dst_any = rng.integers(0, n, size=len(src), dtype=np.int64)
    dst = np.where(forward, dst_fwd, dst_any)
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    width = len(str(n - 1))
    ids = tuple(f"n{i:0{width}d}" for i in range(n))
    entry = np.sort(rng.choice(max(n // 100, 8), size=8, replace=False)).astype(np.int64)
    critical = np.sort(n // 2 + rng.choice(n - n // 2, size=16, replace=False)).astype(np.int64)
    types = np.full(n, ASSET_TYPES.index("staff_workstation"), dtype=np.int64)
    types[critical] = ASSET_TYPES.index("tally_server")
    function = Function.model_validate(
        {
            "id": "keep_critical",
            "title": "Keep the critical assets up",
            "phase": "voting",
            "max_tolerable_outage_hours": 6,
            "requires": [{"all": {"tags": ["critical"]}}],
        }
    )
    system = ResolvedSystem(
        ids=ids,
        types=types,
        exposure=np.full(n, EXPOSURES.index("internal"), dtype=np.int64),
        counts=np.ones(n, dtype=np.int64),
        labels=ids,
        tags={"entry": entry, "critical": critical},
        data={d: np.zeros(n, dtype=bool) for d in DATA_CLASSES},
        link_src=np.ascontiguousarray(pairs[:, 0]),
        link_dst=np.ascontiguousarray(pairs[:, 1]),
        link_kind=np.full(len(pairs), LINK_KINDS.index("connects_to"), dtype=np.int64),
        functions=(function,),
        explicit=n,
        _index={a: i for i, a in enumerate(ids)},
    )
    return RandomGraph(system=system, scenarios={r: random_graph_scenario(r) for r in REGIMES})


# --------------------------------------------------------------------------- EMB hierarchy

_HQ = {"site": "headquarters", "operator": "emb"}
CENTRE_ASSETS = [
    {"id": "dc-primary", "type": "data_center", "exposure": "physical", **_HQ, "tags": ["hq"]},
    {"id": "net-wan", "type": "network", "operator": "emb", "tags": ["hq"]},
    {
        "id": "net-mobile",
        "type": "network",
        "exposure": "internet",
        "operator": "vendor",
        "tags": ["telecom"],
    },
    {"id": "hq-ws", "type": "staff_workstation", **_HQ, "tags": ["hq"], "count": 120},
    {"id": "admin-hq", "type": "admin_account", **_HQ, "tags": ["hq"]},
    {"id": "update-server", "type": "election_management_system", **_HQ, "tags": ["hq", "hub"]},
    {
        "id": "vr-db",
        "type": "voter_registration_db",
        "data": ["pii", "biometric"],
        **_HQ,
        "tags": ["hq", "crown_jewel", "hub"],
    },
    {"id": "tally-national", "type": "tally_server", "data": ["results"], **_HQ, "tags": ["hq"]},
    {
        "id": "results-site",
        "type": "results_website",
        "exposure": "internet",
        "site": "cloud",
        "operator": "emb",
        "tags": ["hq"],
    },
]
CENTRE_LINKS = [
    {"from": "update-server", "to": "dc-primary", "kind": "hosted_on"},
    {"from": "vr-db", "to": "dc-primary", "kind": "hosted_on"},
    {"from": "tally-national", "to": "dc-primary", "kind": "hosted_on"},
    {"from": "hq-ws", "to": "net-wan", "kind": "depends_on"},
    {"from": "hq-ws", "to": "admin-hq", "kind": "authenticates"},
    {"from": "admin-hq", "to": "update-server", "kind": "administers"},
    {"from": "admin-hq", "to": "vr-db", "kind": "administers"},
    {"from": "admin-hq", "to": "tally-national", "kind": "administers"},
    {"from": "tally-national", "to": "results-site", "kind": "connects_to"},
    {"from": "results-site", "to": "tally-national", "kind": "depends_on"},
]
PER_STATION = 3
"""Replicas per polling station: results kit, e-pollbook, officer account."""
PER_DISTRICT = 1
PER_REGION = 2


@dataclass(frozen=True)
class HierarchyShape:
    """How many regions, districts and stations make about ``n_assets`` assets."""

    regions: int
    districts: int
    stations: int
    stations_per_district: tuple[int, ...]
    district_region: tuple[int, ...]

    @property
    def n_assets(self) -> int:
        """Exact number of assets the workspace will have."""
        return (
            len(CENTRE_ASSETS)
            + PER_REGION * self.regions
            + PER_DISTRICT * self.districts
            + PER_STATION * self.stations
        )


def hierarchy_shape(n_assets: int, *, seed: int = 0) -> HierarchyShape:
    """Regions (about 25 districts each, at most 40), districts (20–60 stations each) and
    stations."""
    rng = np.random.Generator(np.random.PCG64(seed))
    budget = max(n_assets - len(CENTRE_ASSETS), 10 * PER_STATION)
    stations_target = budget // (PER_STATION + PER_DISTRICT / 40 + PER_REGION / 1000)
    districts = max(2, round(stations_target / 40))
    regions = min(40, max(2, math.ceil(districts / 25)))  # national EMBs: a few dozen regions
    per = rng.integers(20, 61, size=districts)
    per = np.maximum(1, np.round(per * stations_target / per.sum())).astype(np.int64)
    # trim or pad the largest districts so the total is exact
    fixed = len(CENTRE_ASSETS) + PER_REGION * regions + PER_DISTRICT * districts
    want = max(1, (n_assets - fixed) // PER_STATION)
    order = np.argsort(-per, kind="stable")
    k = 0
    while per.sum() != want:
        i = order[k % districts]
        step = 1 if per.sum() < want else -1
        if per[i] + step >= 1:
            per[i] += step
        k += 1
    region_of = np.sort(rng.integers(0, regions, size=districts))
    region_of[:regions] = np.arange(regions)  # every region has a district
    region_of = np.sort(region_of)
    return HierarchyShape(
        regions=regions,
        districts=districts,
        stations=int(per.sum()),
        stations_per_district=tuple(int(x) for x in per),
        district_region=tuple(int(x) for x in region_of),
    )


def _hierarchy_scenarios() -> list[dict[str, object]]:
    """The three benchmark scenarios. They are fixtures of the benchmark, not shipped content:
    they select by tags and ids (``field``, ``hq-ws``) on purpose, to start the spread at known
    places whatever the vocabulary, so their numbers stay comparable across versions."""
    narrow = {
        "id": "bench-narrow",
        "title": "Phished station accounts (narrow spread)",
        "actor": "criminal",
        "objective": "availability",
        "phases": ["tabulation_transmission", "voting"],
        "likelihood": 0.3,
        "entry": [
            {
                "select": {"types": ["admin_account"], "tags": ["field"]},
                "technique": "account_takeover",
                "probability": 0.03,
                "time": {"exponential": {"mean": 72}},
            },
            {
                "select": ["hq-ws"],
                "technique": "account_takeover",
                "probability": 0.2,
                "time": {"exponential": {"mean": 240}},
            },
        ],
        "propagation": [
            {
                "kinds": ["authenticates", "administers", "connects_to"],
                "direction": "forward",
                "technique": "account_takeover",
                "probability": PROPAGATION_P["narrow"],
                "time": {"lognormal": {"median": 12, "p90": 72}},
            }
        ],
        "effects": [
            {
                "type": "disrupt",
                "targets": {"types": ["results_transmission", "tally_server", "pollbook"]},
                "duration": {"lognormal": {"median": 24, "p90": 96}},
                "visibility": "public",
            },
            {"type": "alter", "targets": {"types": ["tally_server"]}},
        ],
    }
    wide = {
        **narrow,
        "id": "bench-wide",
        "title": "Compromised update server pushes to every station (wide spread)",
        "entry": [
            {
                "select": ["hq-ws"],
                "technique": "account_takeover",
                "probability": 0.9,
                "time": {"exponential": {"mean": 48}},
            }
        ],
        "propagation": [
            {
                "kinds": ["authenticates", "administers", "supplies", "connects_to"],
                "direction": "forward",
                "technique": "account_takeover",
                "probability": PROPAGATION_P["wide"],
                "time": {"lognormal": {"median": 12, "p90": 72}},
            }
        ],
    }
    posture = {
        "id": "bench-posture",
        "title": "Phishing, stolen credentials and a malicious update (probabilities from the "
        "assessment)",
        "actor": "foreign_state",
        "objective": "integrity",
        "phases": ["tabulation_transmission", "voting", "voter_registration"],
        "likelihood": 0.1,
        "entry": [
            {
                "select": ["hq-ws"],
                "technique": "phishing",
                "probability": 0.9,
                "time": {"exponential": {"mean": 120}},
            },
            {
                "select": {"types": ["admin_account"], "tags": ["field"]},
                "technique": "phishing",
                "probability": 0.001,
                "time": {"exponential": {"mean": 240}},
            },
        ],
        "propagation": [
            {
                "kinds": ["authenticates"],
                "technique": "credential_theft",
                "probability": 0.8,
                "time": {"lognormal": {"median": 12, "p90": 72}},
            },
            {
                "kinds": ["administers"],
                "technique": "valid_account_abuse",
                "probability": 0.8,
                "time": {"lognormal": {"median": 24, "p90": 120}},
            },
            {
                "kinds": ["supplies"],
                "technique": "malicious_update",
                "probability": 0.95,
                "time": {"lognormal": {"median": 48, "p90": 240}},
            },
            {
                "kinds": ["connects_to"],
                "technique": "lateral_movement",
                "probability": 0.6,
                "time": {"lognormal": {"median": 24, "p90": 168}},
            },
        ],
        "effects": [
            {"type": "alter", "targets": {"types": ["results_transmission", "tally_server"]}},
            {"type": "leak", "targets": {"data": ["pii"]}, "visibility": "public"},
            {
                "type": "disrupt",
                "targets": {"types": ["pollbook"]},
                "duration": {"lognormal": {"median": 8, "p90": 48}},
                "visibility": "public",
            },
        ],
    }
    return [narrow, wide, posture]


V2_SCENARIO: dict[str, object] = {
    "id": "bench-v2",
    "title": "Power cuts, one station's account and a malicious update, with verification "
    "(version-2 features)",
    "actor": "foreign_state",
    "objective": "integrity",
    "phases": ["tabulation_transmission", "voting"],
    "likelihood": 0.1,
    "entry": [
        {
            "select": {"types": ["power"]},
            "technique": "equipment_failure",
            "probability": 0.3,
            "time": {"exponential": {"mean": 24}},
        },
        {
            "select": {"types": ["admin_account"], "tags": ["field"]},
            "mode": "one",
            "technique": "account_takeover",
            "probability": 0.5,
            "time": {"exponential": {"mean": 72}},
        },
        {
            "select": ["hq-ws"],
            "technique": "phishing",
            "probability": 0.02,
            "time": {"exponential": {"mean": 120}},
        },
    ],
    "propagation": [
        {  # no supplies: a national push is the wide regime's, and its rare trials would
            # dominate the timings
            "kinds": ["authenticates", "administers", "connects_to"],
            "technique": "account_takeover",
            "probability": 0.4,
            "time": {"lognormal": {"median": 12, "p90": 72}},
        }
    ],
    "effects": [
        {
            "type": "disrupt",
            "targets": {"types": ["power"]},
            "duration": {"lognormal": {"median": 10, "p90": 48}},
            "visibility": "public",
        },
        {
            "type": "alter",
            "targets": {"types": ["results_transmission", "tally_server"]},
            "visibility": "public",
        },
    ],
}

V2_FRAMEWORK: dict[str, object] = {
    "schema_version": 1,
    "kind": "framework",
    "id": "bench-verify",
    "title": "Benchmark verification practices",
    "provenance": "supplementary",
    "maturity_scale": {
        "levels": [{"level": i, "name": f"L{i}", "description": ""} for i in range(5)],
        "effectiveness": [0.0, 0.2, 0.5, 0.8, 1.0],
    },
    "domains": [{"id": "VER", "title": "Verification"}],
    "controls": [
        {
            "id": "BENCH-VER-01",
            "domain": "VER",
            "title": "Reconcile transmitted results with the signed paper forms",
            "objective": "Catch an altered result whatever technique altered it.",
            "applies_to": ["tally_server", "results_transmission"],
            "effects": {
                "verifies": {
                    "probability": 0.6,
                    "recheck": {"lognormal": {"median": 12, "p90": 48}},
                }
            },
        },
        {
            "id": "BENCH-VER-02",
            "domain": "VER",
            "title": "Audit the regional tallies",
            "objective": "Catch an altered tally.",
            "applies_to": ["tally_server"],
            "effects": {"verifies": {"probability": 0.5, "recheck": {"fixed": 36}}},
        },
    ],
}


def _assessment(shape: HierarchyShape, seed: int) -> dict[str, object]:
    """Answers to every usaid-ecbs EMB control (seeded levels) and per-region overrides."""
    from cyberready.workspace import shipped_library

    rng = np.random.Generator(np.random.PCG64(seed + 1))
    fw = shipped_library().frameworks["usaid-ecbs"]
    answers = {
        c.id: {"level": int(rng.integers(0, 5)), "source": "document"}
        for c in fw.controls
        if fw.subject_of(c) == "emb"
    }
    overrides: list[dict[str, object]] = []
    for r in range(shape.regions):
        for control in ("ECBS-VR-03", "ECBS-GOV-05", "ECBS-RM-04", "ECBS-GOV-06"):
            overrides.append(
                {
                    "select": {"tags": [f"region-r{r:03d}"]},
                    "control": control,
                    "level": int(rng.integers(0, 5)),
                }
            )
    overrides.append({"select": ["update-server"], "control": "ECBS-RM-04", "level": 3})
    return {
        "schema_version": 1,
        "kind": "assessment",
        "emb": "bench-emb",
        "frameworks": ["usaid-ecbs"],
        "as_of": "2026-11-01",
        "assessor": "benchmark generator",
        "answers": answers,
        "overrides": overrides,
    }


def write_emb_workspace(
    root: Path, n_assets: int, *, seed: int = 0, version2: bool = False
) -> HierarchyShape:
    """Write an EMB-shaped workspace of about ``n_assets`` assets into ``root``.

    Files: ``emb.yaml``, ``system.yaml`` (9 central assets and three ``generate:`` CSVs),
    ``regions.csv``, ``districts.csv``, ``stations.csv``, ``assessment.yaml`` and the three
    benchmark scenarios in ``scenarios/``. Returns the shape (its ``n_assets`` is exact, less the
    two power assets per region of ``version2``).

    ``version2`` adds a grid and a generator per region, as alternatives powering the regional
    tally and every results kit of the region, the verification framework
    ``frameworks/bench-verify.yaml`` (answered in the assessment) and the ``bench-v2``
    scenario.
    """
    shape = hierarchy_shape(n_assets, seed=seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(exist_ok=True)
    regions = [f"r{r:03d}" for r in range(shape.regions)]
    width = len(str(shape.districts - 1))
    districts = [f"d{d:0{width}d}" for d in range(shape.districts)]
    swidth = len(str(shape.stations - 1))
    atomic_write_text(root / "regions.csv", "region\n" + "".join(f"{r}\n" for r in regions))
    atomic_write_text(
        root / "districts.csv",
        "district,region\n"
        + "".join(f"{d},{regions[shape.district_region[k]]}\n" for k, d in enumerate(districts)),
    )
    lines = ["station,district,region\n"]
    s = 0
    for k, d in enumerate(districts):
        reg = regions[shape.district_region[k]]
        for _ in range(shape.stations_per_district[k]):
            lines.append(f"ps{s:0{swidth}d},{d},{reg}\n")
            s += 1
    atomic_write_text(root / "stations.csv", "".join(lines))
    field_tags = ["field", "region-{region}", "district-{district}"]
    system = {
        "schema_version": 1,
        "kind": "system",
        "emb": "bench-emb",
        "assets": CENTRE_ASSETS,
        "generate": [
            {
                "csv": "regions.csv",
                "asset": {
                    "id": "tally-{region}",
                    "type": "tally_server",
                    "data": ["results"],
                    "site": "regional_office",
                    "operator": "emb",
                    "tags": ["regional", "region-{region}"],
                },
                "links": [
                    {"to": "tally-national", "kind": "connects_to"},
                    {"from": "tally-national", "kind": "depends_on"},
                    {"from": "admin-hq", "kind": "administers"},
                ],
            },
            {
                "csv": "regions.csv",
                "asset": {
                    "id": "rws-{region}",
                    "type": "staff_workstation",
                    "count": 12,
                    "site": "regional_office",
                    "operator": "emb",
                    "tags": ["regional", "region-{region}"],
                },
                "links": [
                    {"to": "tally-{region}", "kind": "connects_to"},
                    {"to": "net-wan", "kind": "depends_on"},
                ],
            },
            {
                "csv": "districts.csv",
                "asset": {
                    "id": "dws-{district}",
                    "type": "staff_workstation",
                    "site": "local_office",
                    "operator": "emb",
                    "tags": ["district-office", "region-{region}", "district-{district}"],
                },
                "links": [
                    {"to": "rws-{region}", "kind": "connects_to"},
                    {"to": "net-wan", "kind": "depends_on"},
                ],
            },
            {
                "csv": "stations.csv",
                "asset": {
                    "id": "kit-{station}",
                    "type": "results_transmission",
                    "label": "Results kit {station}",
                    "exposure": "internet",
                    "data": ["results"],
                    "site": "polling_station",
                    "operator": "emb",
                    "tags": field_tags,
                },
                "links": [
                    {"to": "tally-{region}", "kind": "connects_to"},
                    {"from": "update-server", "kind": "supplies"},
                    {"to": "net-mobile", "kind": "depends_on"},
                ],
            },
            {
                "csv": "stations.csv",
                "asset": {
                    "id": "epb-{station}",
                    "type": "pollbook",
                    "exposure": "isolated",
                    "data": ["pii", "biometric"],
                    "site": "polling_station",
                    "operator": "emb",
                    "tags": field_tags,
                },
                "links": [
                    {"from": "vr-db", "kind": "copies_data_to"},
                    {"from": "update-server", "kind": "supplies"},
                ],
            },
            {
                "csv": "stations.csv",
                "asset": {
                    "id": "acct-{station}",
                    "type": "admin_account",
                    "site": "polling_station",
                    "operator": "emb",
                    "tags": field_tags,
                },
                "links": [
                    {"from": "kit-{station}", "kind": "authenticates"},
                    {"from": "dws-{district}", "kind": "authenticates"},
                    {"to": "kit-{station}", "kind": "administers"},
                    {"to": "epb-{station}", "kind": "administers"},
                ],
            },
        ],
        "links": CENTRE_LINKS,
        "functions": [
            {
                "id": "transmit_results",
                "title": "Transmit provisional results from the stations",
                "weight": 5,
                "phase": "tabulation_transmission",
                "max_tolerable_outage_hours": 12,
                "requires": [
                    {"at_least": 0.95, "of": {"types": ["results_transmission"]}},
                    {"all": {"types": ["tally_server"]}},
                ],
            },
            {
                "id": "verify_voters",
                "title": "Verify voters at the stations",
                "weight": 4,
                "phase": "voting",
                "max_tolerable_outage_hours": 4,
                "requires": [{"at_least": 0.9, "of": {"types": ["pollbook"]}}],
            },
            {
                "id": "protect_voter_data",
                "title": "Keep voter data confidential",
                "weight": 5,
                "phase": "voter_registration",
                "max_tolerable_outage_hours": 720,
                "requires": [{"any": ["vr-db"], "protects_data": True}],
            },
        ],
    }
    frameworks = ["usaid-ecbs"]
    scenarios = _hierarchy_scenarios()
    assessment = _assessment(shape, seed)
    if version2:
        power = {"kind": "powered_by", "group": "power"}
        generate = system["generate"]
        assert isinstance(generate, list)
        for spec in generate:
            if spec["asset"]["id"] in ("tally-{region}", "kit-{station}"):
                spec["links"] = [
                    *spec["links"],
                    {"to": "grid-{region}", **power},
                    {"to": "gen-{region}", **power},
                ]
        for name, label in (("grid", "Grid supply"), ("gen", "Standby generator")):
            generate.insert(
                0,
                {
                    "csv": "regions.csv",
                    "asset": {
                        "id": f"{name}-{{region}}",
                        "type": "power",
                        "label": f"{label} {{region}}",
                        "exposure": "physical",
                        "tags": ["regional", "region-{region}"],
                    },
                },
            )
        (root / "frameworks").mkdir(exist_ok=True)
        atomic_write_text(root / "frameworks" / "bench-verify.yaml", dump_yaml(V2_FRAMEWORK))
        frameworks.append("bench-verify")
        scenarios.append(V2_SCENARIO)
        answers = assessment["answers"]
        assert isinstance(answers, dict)
        answers["BENCH-VER-01"] = {"level": 3, "source": "document"}
        answers["BENCH-VER-02"] = {"level": 2, "source": "document"}
        assessment["frameworks"] = frameworks
    atomic_write_text(root / "system.yaml", dump_yaml(system))
    for sc in scenarios:
        doc = {"schema_version": 1, "kind": "scenario", **sc}
        atomic_write_text(root / "scenarios" / f"{sc['id']}.yaml", dump_yaml(doc))
    emb = {
        "schema_version": 1,
        "kind": "emb",
        "id": "bench-emb",
        "name": "Benchmark EMB (generated)",
        "country": "Benchmarkia (fictional)",
        "frameworks": frameworks,
        "scenarios": [sc["id"] for sc in scenarios],
    }
    atomic_write_text(root / "emb.yaml", dump_yaml(emb))
    atomic_write_text(root / "assessment.yaml", dump_yaml(assessment))
    return shape


if __name__ == "__main__":  # pragma: no cover - a convenience for trying the CLI by hand
    import argparse

    parser = argparse.ArgumentParser(description="Write the EMB-shaped benchmark workspace.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    got = write_emb_workspace(args.out, args.assets, seed=args.seed)
    print(
        f"wrote {args.out}: {got.n_assets:,} assets ({got.regions} regions, {got.districts:,} "
        f"districts, {got.stations:,} stations)"
    )

"""A realistic sample portfolio of fictional EMB workspaces, generated reproducibly.

Donor and regional-network features only show their worth across many EMBs: regions with enough
members to compare, domains weak everywhere, histories that trend, a few national-scale models.
:func:`sample_portfolio` builds such a portfolio from one parameterised EMB template, varying
size, architecture, posture, region and history. The template's system model (assets, links,
``generate:`` rules, election functions) is package data, ``sample_system.yaml`` beside this
module; this module draws each EMB's parameters and fills them in. It is pure: it returns every
file's relative path and text; :func:`cyberready.io.write_files` writes them (atomically, file
by file).

Determinism: EMB ``i`` is drawn from its own generator seeded with ``(seed, i)``, so the same seed
gives byte-identical files, and the first ``k`` EMBs of a 40-EMB sample are the ``k`` EMBs of a
``k``-EMB sample. Sizes follow a fixed schedule so every sample of 40 holds a few big models and
small samples (the tests) hold none:

- EMBs 12 and 28 (1-based; then every 16th) list polling stations in a ``generate:`` CSV, a
  results tablet and an e-pollbook each: 10^4–3·10^4 assets;
- EMB 38 (then every 40th) is national-scale: about 10^5 assets from a ``generate:`` CSV;
- every other EMB lists 10^2–10^3 assets explicitly.

Everything is invented: countries, commissions, vendors, documents and findings.

>>> import cyberready
>>> from cyberready.portfolio.sample import sample_portfolio
>>> files = sample_portfolio(3, seed=7, library=cyberready.load_library())
>>> sorted({path.split("/")[0] for path in files})[:1]
['README.md']
>>> sum(path.endswith("/emb.yaml") for path in files)
3
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cyberready.io import dump_yaml, read_yaml
from cyberready.models import Control, Framework
from cyberready.workspace import Library

__all__ = [
    "DEFAULT_SEED",
    "EmbSpec",
    "emb_specs",
    "render_workspace",
    "sample_portfolio",
]

DEFAULT_SEED = 2026
"""Seed used when none is given (the CLI prints it, so a run can be repeated)."""

_LARGE_EVERY, _LARGE_AT = 16, 11
"""0-based index ``i`` with ``i % 16 == 11`` is a large EMB (generated stations)."""
_NATIONAL_EVERY, _NATIONAL_AT = 40, 37
"""0-based index ``i`` with ``i % 40 == 37`` is national-scale (about 10^5 assets)."""

_PORTFOLIO_REGIONS: tuple[tuple[str, float], ...] = (
    ("sahel-coast", 0.22),
    ("great-lakes", 0.2),
    ("andean", 0.18),
    ("south-east-asia", 0.18),
    ("balkans", 0.16),
    ("pacific-islands", 0.06),
)
"""Portfolio regions and how often they are drawn; the last is usually too small to show."""

_LANGUAGES: dict[str, tuple[str, ...]] = {
    "sahel-coast": ("fr", "en", "ar"),
    "great-lakes": ("en", "fr", "sw"),
    "andean": ("es", "qu"),
    "south-east-asia": ("en", "id", "tl"),
    "balkans": ("en", "sr", "sq"),
    "pacific-islands": ("en", "fr", "to"),
}

_SYLLABLES_A = (
    "Al",
    "Bar",
    "Cor",
    "Dun",
    "El",
    "Far",
    "Gal",
    "Hes",
    "Ist",
    "Jor",
    "Kal",
    "Lor",
    "Mar",
    "Nor",
    "Or",
    "Pel",
    "Quar",
    "Ros",
    "Sal",
    "Tor",
    "Ul",
    "Vel",
    "Wes",
    "Xan",
    "Yor",
    "Zel",
)
_SYLLABLES_B = ("a", "e", "i", "o", "u", "an", "en", "ir", "ov", "")
_SYLLABLES_C = ("nia", "ria", "land", "via", "dor", "mark", "onia", "esia", "ador", "ica")
_COMMISSIONS = (
    ("iec", "Independent Electoral Commission of {c}"),
    ("nec", "National Election Commission of {c}"),
    ("ec", "Electoral Commission of {c}"),
    ("cena", "Autonomous National Electoral Commission of {c}"),
    ("tse", "Supreme Electoral Tribunal of {c}"),
)
_SUBREGIONS = (
    "north",
    "south",
    "east",
    "west",
    "central",
    "coast",
    "highlands",
    "lakes",
    "delta",
    "valley",
    "plateau",
    "islands",
    "capital",
    "border",
    "river",
    "forest",
    "savanna",
    "mountain",
    "desert",
    "bay",
)
_COMPANIES: tuple[tuple[str, float], ...] = (
    ("Chirper", 2.8),
    ("VidStream", 1.2),
    ("Natter", 2.0),
    ("PixGram", 1.6),
)
"""Fictional technology companies and their typical level (the same company behaves alike in
every EMB, as platform commitments are global)."""

_DOMAIN_OFFSET = {"VR": 0.3, "RM": 0.2, "GOV": 0.0, "DP": -0.3, "EMB": -1.8}
"""How far each domain's levels sit from the EMB's posture. Working with technology companies
(EMB) is weak in every EMB: a regional programme would pay off there."""

_EVIDENCE = {
    "document": (
        "{doc} v{v}.{w} ({month})",
        "{doc}, approved by the chief electoral officer, {month}",
    ),
    "test": (
        "Test report by the national CERT, {month}: {finding}",
        "Exercise after-action report, {month}: {finding}",
    ),
    "observation": (
        "Site visit to the {place}, {month}",
        "Observed during the {place} walkthrough, {month}",
    ),
    "interview": (
        "Interview with the {role}, {month}",
        "Interview with the {role} and the {role2}, {month}",
    ),
    "none": ("",),
}
_DOCS = (
    "Information security policy",
    "Incident response plan",
    "Business continuity plan",
    "Data protection impact assessment",
    "Access control procedure",
    "Vendor management procedure",
    "Results management procedure",
    "Crisis communication plan",
)
_FINDINGS = (
    "two medium findings, fixed and retested",
    "no high findings",
    "one high finding open",
    "restore met the target",
    "failover took longer than planned",
)
_PLACES = (
    "headquarters data centre",
    "regional office",
    "kit depot",
    "tally centre",
    "call centre",
)
_ROLES = (
    "head of ICT",
    "database administrator",
    "head of operations",
    "legal adviser",
    "communications director",
    "regional election officer",
    "procurement officer",
)
_NOTES = (
    "Rollout to the regional offices planned for next quarter.",
    "Depends on funding from the development partner.",
    "Owner left in the last reorganisation; a successor is being named.",
    "Covered at headquarters only.",
    "Vendor contract renewal will add this.",
)


@dataclass(frozen=True)
class EmbSpec:
    """The parameters one fictional EMB workspace is generated from."""

    index: int
    """0-based position in the portfolio."""
    id: str
    name: str
    country: str
    region: str
    languages: tuple[str, ...]
    election_date: dt.date
    as_of: dt.date
    subregions: tuple[str, ...]
    districts: int
    """Districts per subregion (one district office, results fleet and pollbook fleet each)."""
    stations: int
    """Polling stations in the country."""
    generated_stations: int
    """Polling stations listed in ``stations.csv`` (each one a node); 0 for none."""
    biometric: bool
    epollbooks: bool
    results_mirror: bool
    backup_site: bool
    gov_email: bool
    portal: bool
    socials: int
    posture: float
    """Typical maturity level, 0–4."""
    history: int
    """Earlier assessments kept in ``history/``."""
    regression: bool
    """Whether the EMB stood higher in the past than now (e.g. after staff turnover)."""
    platforms: tuple[str, ...]
    frameworks: tuple[str, ...]
    budget_usd: int

    @property
    def size_class(self) -> str:
        """``national``, ``large`` or ``standard``."""
        if self.generated_stations >= 20_000:
            return "national"
        return "large" if self.generated_stations else "standard"


# --------------------------------------------------------------------------- specs


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    """An independent generator per (seed, EMB, purpose): stable across Python versions."""
    return random.Random(f"cyberready-sample|{seed}|{index}|{purpose}")


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for name, w in options:
        x -= w
        if x < 0:
            return name
    return options[-1][0]


def _country(rng: random.Random) -> str:
    return rng.choice(_SYLLABLES_A) + rng.choice(_SYLLABLES_B) + rng.choice(_SYLLABLES_C)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _spec(index: int, seed: int, taken: set[str]) -> EmbSpec:
    rng = _rng(seed, index, "spec")
    country = _country(rng)
    for _ in range(50):
        if _slug(country) not in {t.split("-")[0] for t in taken}:
            break
        country = _country(rng)
    suffix, pattern = rng.choice(_COMMISSIONS)
    emb_id = f"{_slug(country)}-{suffix}"
    if emb_id in taken:
        emb_id = f"{emb_id}-{index + 1}"
    region = _weighted(rng, _PORTFOLIO_REGIONS)
    langs = _LANGUAGES[region]
    languages = tuple(langs[: 1 + rng.randrange(len(langs))])
    election = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(0, 540))
    as_of = election - dt.timedelta(days=rng.randrange(110, 220))

    national = index % _NATIONAL_EVERY == _NATIONAL_AT
    large = not national and index % _LARGE_EVERY == _LARGE_AT
    n_sub = rng.randint(12, 20) if (national or large) else rng.randint(3, 12)
    subregions = tuple(_SUBREGIONS[:n_sub])
    if national:
        generated = rng.randint(48_000, 52_000)
    elif large:
        generated = rng.randint(5_000, 15_000)
    else:
        generated = 0
    if generated:
        districts = rng.randint(4, 12)
        stations = generated
    else:
        # total explicit assets ~ 50 core + 4 per subregion + 3 per district: 10^2-10^3
        target = math.exp(rng.uniform(math.log(130), math.log(1000)))
        districts = max(1, round((target - 50 - 4 * n_sub) / (3 * n_sub)))
        stations = n_sub * districts * rng.randint(8, 60)
    posture = min(3.7, max(0.8, rng.gauss(2.4, 0.6)))
    history = [0, 1, 2, 3][_pick(rng, (0.2, 0.35, 0.3, 0.15))]
    n_platforms = [0, 1, 2][_pick(rng, (0.3, 0.4, 0.3))]
    companies = sorted(rng.sample([c for c, _ in _COMPANIES], n_platforms))
    frameworks = ("usaid-ecbs",) if rng.random() < 0.12 else ("usaid-ecbs", "ifes-tech-guidelines")
    if "ifes-tech-guidelines" not in frameworks:
        companies = []
    return EmbSpec(
        index=index,
        id=emb_id,
        name=pattern.format(c=country),
        country=f"{country} (fictional)",
        region=region,
        languages=languages,
        election_date=election,
        as_of=as_of,
        subregions=subregions,
        districts=districts,
        stations=stations,
        generated_stations=generated,
        biometric=rng.random() < 0.7,
        epollbooks=rng.random() < 0.6 or generated > 0,
        results_mirror=rng.random() < 0.55,
        backup_site=rng.random() < 0.65,
        gov_email=rng.random() < 0.6,
        portal=rng.random() < 0.7,
        socials=rng.randint(1, 3),
        posture=posture,
        history=history,
        regression=rng.random() < 0.15,
        platforms=tuple(companies),
        frameworks=frameworks,
        budget_usd=int(round(20_000 + 400 * stations**0.75, -3)),
    )


def _pick(rng: random.Random, weights: Sequence[float]) -> int:
    x = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        x -= w
        if x < 0:
            return i
    return len(weights) - 1


def emb_specs(n: int, seed: int = DEFAULT_SEED) -> list[EmbSpec]:
    """The parameters of the ``n`` EMBs of a sample portfolio (see the module docstring).

    >>> [s.size_class for s in emb_specs(40, seed=1)].count("standard")
    37
    """
    if n < 1:
        raise ValueError(f"a portfolio needs at least one EMB, got n={n}")
    taken: set[str] = set()
    specs = []
    for i in range(n):
        spec = _spec(i, seed, taken)
        taken.add(spec.id)
        specs.append(spec)
    return specs


# --------------------------------------------------------------------------- system.yaml


def _asset(
    asset_id: str,
    type_: str,
    label: str,
    exposure: str,
    *,
    data: Sequence[str] = (),
    tags: Sequence[str] = (),
    count: int = 1,
    site: str | None = None,
    operator: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": asset_id, "type": type_, "label": label, "exposure": exposure}
    if data:
        out["data"] = list(data)
    if count != 1:
        out["count"] = count
    if site:
        out["site"] = site
    if operator:
        out["operator"] = operator
    if tags:
        out["tags"] = list(tags)
    return out


_TEMPLATE: Final = "sample_system.yaml"
"""The system model template (package data beside this module): assets, links, generate: rules
and election functions, with the parts that depend on an EMB marked (see the file's header)."""
_PARAMETER = re.compile(r"\$\{(\w+)\}")


@functools.cache
def _template() -> dict[str, Any]:
    """The parsed template, read once per process through :func:`cyberready.io.read_yaml`."""
    doc, problems = read_yaml(Path(__file__).with_name(_TEMPLATE), display=_TEMPLATE)
    if doc is None or problems or not isinstance(doc.data, dict):
        raise RuntimeError(f"the packaged {_TEMPLATE} is broken: {problems}")
    return doc.data


def _parameters(spec: EmbSpec) -> dict[str, Any]:
    """What the template's ``${name}``, ``when:``, ``unless:`` and ``for:`` refer to."""
    first_region_tag = f"region-{spec.subregions[0]}"
    register: list[dict[str, Any]] = [
        {"all": ["vr-db", "afis-server"] if spec.biometric else ["vr-db"]}
    ]
    if spec.biometric:
        register.append({"at_least": 0.75, "of": {"types": ["biometric_kit"]}})
    return {
        "bio": ["pii", "biometric"] if spec.biometric else ["pii"],
        "stations": spec.stations,
        "first_region_tag": first_region_tag,
        "backup_site": spec.backup_site,
        "biometric": spec.biometric,
        "portal": spec.portal,
        "results_mirror": spec.results_mirror,
        "gov_email": spec.gov_email,
        "epollbooks": spec.epollbooks,
        "biometric_or_epollbooks": spec.biometric or spec.epollbooks,
        "generated_stations": bool(spec.generated_stations),
        "generated_pollbooks": bool(spec.generated_stations) and spec.epollbooks,
        "replica_tags": [first_region_tag] if spec.backup_site else ["hq"],
        "replica_site": "data_centre" if spec.backup_site else "headquarters",
        "replica_host": "dc-backup" if spec.backup_site else "dc-primary",
        "party_copies": 3 + spec.index % 12,
        "email_site": "data_centre" if spec.gov_email else "cloud",
        "email_operator": "government" if spec.gov_email else "vendor",
        "email_host": "gov-it" if spec.gov_email else "cloud-hosting",
        "socials": [
            {"net": net, "number": k + 1}
            for k, net in enumerate(("facebook", "x", "whatsapp")[: spec.socials])
        ],
        "hq_staff": 40 + spec.stations // 40,
        "hq_ict": 4 + spec.stations // 1000,
        "hq_admins": 3 + spec.stations // 2000,
        "comms_accounts": 2 + spec.socials,
        "regions": [{"r": r} for r in spec.subregions],
        "regional_workstations": 6 + spec.districts * 2,
        "regional_accounts": 4 + spec.districts,
        "kits": 5 + spec.districts * 4,
        "districts": [{"d": d, "dd": f"{d:02d}"} for d in range(1, spec.districts + 1)],
        "per_district": max(1, spec.stations // (len(spec.subregions) * spec.districts)),
        "register": register,
    }


def _fill(value: Any, params: Mapping[str, Any]) -> Any:
    """``value`` with every ``${name}`` replaced: a whole ``"${name}"`` by the parameter itself
    (a number, a list), one inside text by the parameter spelled out."""
    if isinstance(value, str):
        whole = _PARAMETER.fullmatch(value)
        if whole:
            return copy.deepcopy(params[whole[1]])
        return _PARAMETER.sub(lambda m: str(params[m[1]]), value)
    if isinstance(value, dict):
        return {k: _fill(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    return value


def _taken(part: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """Whether a part's ``when:`` / ``unless:`` condition holds."""
    if "when" in part and not params[part["when"]]:
        return False
    return not ("unless" in part and params[part["unless"]])


def _expand(
    parts: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    assets: list[dict[str, Any]],
    links: list[dict[str, str]],
) -> None:
    """Append the assets and links of the template's ``parts`` (in order) for one EMB."""
    for part in parts:
        if not _taken(part, params):
            continue
        if "for" in part:
            for item in params[part["for"]]:
                _expand(part["parts"], {**params, **item}, assets, links)
            continue
        if "parts" in part:
            _expand(part["parts"], params, assets, links)
        for raw in part.get("assets", ()):
            t = _fill(raw, params)
            assets.append(
                _asset(
                    t["id"],
                    t["type"],
                    t["label"],
                    t["exposure"],
                    data=t.get("data", ()),
                    tags=t.get("tags", ()),
                    count=t.get("count", 1),
                    site=t.get("site"),
                    operator=t.get("operator"),
                )
            )
        for raw in part.get("links", ()):
            src, dst, kind, *group = _fill(raw, params)
            links.append(
                {"from": src, "to": dst, "kind": kind, **({"group": group[0]} if group else {})}
            )


def _system(spec: EmbSpec) -> tuple[dict[str, Any], str | None]:
    """The system model (and the stations CSV text, for large EMBs), from the template."""
    template = _template()
    params = _parameters(spec)
    a: list[dict[str, Any]] = []
    links: list[dict[str, str]] = []
    _expand(template["parts"], params, a, links)
    generate = [_fill(g["rule"], params) for g in template["generate"] if _taken(g, params)]
    csv_text: str | None = None
    if spec.generated_stations:
        rows = ["station,region,district"]
        n_sub = len(spec.subregions)
        for s in range(spec.generated_stations):
            r = spec.subregions[s % n_sub]
            d = 1 + (s // n_sub) % spec.districts
            rows.append(f"ps-{s + 1:06d},{r},{d}")
        csv_text = "\n".join(rows) + "\n"

    functions = _fill(template["functions"], params)
    system: dict[str, Any] = {
        "schema_version": 1,
        "kind": "system",
        "emb": spec.id,
        "assets": a,
    }
    if generate:
        system["generate"] = generate
    system["links"] = links
    system["functions"] = functions
    return system, csv_text


# --------------------------------------------------------------------------- emb.yaml


def _emb(spec: EmbSpec) -> dict[str, Any]:
    e = spec.election_date

    def window(start: int, end: int) -> dict[str, dt.date]:
        return {"start": e + dt.timedelta(days=start), "end": e + dt.timedelta(days=end)}

    return {
        "schema_version": 1,
        "kind": "emb",
        "id": spec.id,
        "name": spec.name,
        "country": spec.country,
        "region": spec.region,
        "languages": list(spec.languages),
        "election": {"name": f"{e.year} General Election", "date": e},
        "as_of": spec.as_of,
        "phases": {
            "legal_planning": window(-285, -104),
            "voter_registration": window(-103, -42),
            "candidate_registration": window(-62, -44),
            "campaign": window(-30, -2),
            "voting": window(0, 0),
            "counting": window(0, 1),
            "tabulation_transmission": window(0, 3),
            "results_publication": window(0, 7),
            "post_election": window(8, 108),
        },
        "budget_usd": spec.budget_usd,
        "frameworks": list(spec.frameworks),
        "scenarios": "all",
    }


# --------------------------------------------------------------------------- assessments


def _emb_controls(library: Library, spec: EmbSpec) -> list[Control]:
    out: list[Control] = []
    for fid in spec.frameworks:
        fw = library.frameworks[fid]
        out += [c for c in fw.controls if fw.subject_of(c) == "emb"]
    return out


def _month(rng: random.Random, as_of: dt.date) -> str:
    d = as_of - dt.timedelta(days=rng.randrange(10, 300))
    return d.strftime("%Y-%m")


def _source(rng: random.Random, level: int) -> str:
    weights = {
        0: (("none", 0.7), ("interview", 0.3)),
        1: (("interview", 0.6), ("document", 0.25), ("observation", 0.15)),
        2: (("document", 0.5), ("interview", 0.25), ("observation", 0.25)),
        3: (("test", 0.4), ("document", 0.4), ("observation", 0.2)),
        4: (("test", 0.6), ("document", 0.3), ("observation", 0.1)),
    }[level]
    return _weighted(rng, weights)


def _answer(rng: random.Random, level: int, as_of: dt.date) -> dict[str, Any]:
    source = _source(rng, level)
    role, role2 = rng.sample(_ROLES, 2)
    text = rng.choice(_EVIDENCE[source]).format(
        doc=rng.choice(_DOCS),
        v=rng.randint(1, 3),
        w=rng.randint(0, 9),
        month=_month(rng, as_of),
        finding=rng.choice(_FINDINGS),
        place=rng.choice(_PLACES),
        role=role,
        role2=role2,
    )
    out: dict[str, Any] = {"level": level, "source": source}
    if text:
        out["evidence"] = text
    if rng.random() < 0.2:
        out["notes"] = rng.choice(_NOTES)
    if level < 4:
        out["target"] = min(4, level + rng.choice((1, 1, 2)))
    return out


def _levels(spec: EmbSpec, controls: Sequence[Control], seed: int) -> dict[str, int | str | None]:
    """Current level per control: an int, ``"n/a"``, or None (unanswered)."""
    rng = _rng(seed, spec.index, "levels")
    out: dict[str, int | str | None] = {}
    for c in controls:
        x = rng.random()
        if x < 0.03:
            out[c.id] = None
            continue
        if x < 0.05:
            out[c.id] = "n/a"
            continue
        mean = spec.posture + _DOMAIN_OFFSET.get(c.domain, 0.0)
        out[c.id] = int(min(4, max(0, round(rng.gauss(mean, 0.8)))))
    return out


def _assessment(
    spec: EmbSpec,
    levels: dict[str, int | str | None],
    as_of: dt.date,
    rng: random.Random,
    overrides: list[dict[str, Any]],
    assessor: str,
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for cid, level in levels.items():
        if level is None:
            continue
        if level == "n/a":
            answers[cid] = {"level": "n/a", "notes": "Not applicable this cycle."}
        else:
            assert isinstance(level, int)
            answers[cid] = _answer(rng, level, as_of)
    out: dict[str, Any] = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": spec.id,
        "frameworks": list(spec.frameworks),
        "as_of": as_of,
        "assessor": assessor,
        "answers": answers,
    }
    if overrides:
        out["overrides"] = overrides
    return out


def _overrides(
    spec: EmbSpec, controls: Sequence[Control], levels: dict[str, int | str | None], seed: int
) -> list[dict[str, Any]]:
    """Per-asset differences: weaker in regional offices, stronger on the crown jewels."""
    rng = _rng(seed, spec.index, "overrides")
    if len(spec.subregions) < 4 or rng.random() < 0.3:
        return []
    office = [
        c
        for c in controls
        if isinstance(levels.get(c.id), int)
        and int(levels[c.id] or 0) >= 1
        and {"organization", "staff_workstation", "admin_account"} & set(c.applies_names)
    ]
    out: list[dict[str, Any]] = []
    if office:
        out.append(
            _override(
                rng.choice(office),
                levels,
                {"sites": ["regional_office"]},
                -1,
                "Regional offices lag headquarters.",
            )
        )
    jewels = [
        c
        for c in controls
        if isinstance(levels.get(c.id), int)
        and int(levels[c.id] or 0) <= 3
        and c.id not in {o["control"] for o in out}
        and {"organization", "voter_registration_db", "tally_server"} & set(c.applies_names)
    ]
    if jewels and rng.random() < 0.6:
        out.append(
            _override(
                rng.choice(jewels),
                levels,
                {"tags": ["crown_jewel"]},
                +1,
                "Stronger on the register and the national tally.",
            )
        )
    return out


def _override(
    c: Control,
    levels: dict[str, int | str | None],
    select: dict[str, list[str]],
    step: int,
    notes: str,
) -> dict[str, Any]:
    """An override that sets ``c`` ``step`` levels away from its answer on the ``select``ed
    assets (``c`` has a numeric answer)."""
    lv = levels[c.id]
    assert isinstance(lv, int)
    return {"select": select, "control": c.id, "level": lv + step, "notes": notes}


def _history(
    spec: EmbSpec, levels: dict[str, int | str | None], seed: int
) -> list[tuple[dt.date, dict[str, int | str | None]]]:
    """Earlier assessments, newest first: mostly lower, some left unanswered; a regressing EMB
    stood higher in the past."""
    rng = _rng(seed, spec.index, "history")
    out: list[tuple[dt.date, dict[str, int | str | None]]] = []
    current = dict(levels)
    for j in range(1, spec.history + 1):
        earlier: dict[str, int | str | None] = {}
        for cid, lv in current.items():
            if not isinstance(lv, int):
                earlier[cid] = lv
                continue
            if rng.random() < 0.04 * j:
                earlier[cid] = None
                continue
            up = rng.random() < (0.3 if spec.regression and j == 1 else 0.05)
            down = rng.random() < (0.05 if spec.regression and j == 1 else 0.35)
            earlier[cid] = int(min(4, max(0, lv - down + up)))
        date = spec.as_of - dt.timedelta(days=365 * j + rng.randrange(-20, 20))
        out.append((date, earlier))
        current = earlier
    return out


def _platform(
    spec: EmbSpec, company: str, quality: float, library: Library, seed: int
) -> dict[str, Any]:
    rng = _rng(seed, spec.index, f"platform|{company}")
    fw: Framework = library.frameworks["ifes-tech-guidelines"]
    answers: dict[str, Any] = {}
    for c in fw.controls:
        if fw.subject_of(c) != "platform" or rng.random() < 0.05:
            continue
        level = int(min(4, max(0, round(rng.gauss(quality, 0.8)))))
        answers[c.id] = _answer(rng, level, spec.as_of)
    return {
        "schema_version": 1,
        "kind": "platform_scorecard",
        "company": company,
        "framework": fw.id,
        "as_of": spec.as_of - dt.timedelta(days=rng.randrange(5, 40)),
        "assessor": "Communications unit",
        "answers": answers,
    }


# --------------------------------------------------------------------------- render

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_./-]*$")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _scalar(value: object) -> str:
    """A YAML scalar: plain when unambiguous (ids, control ids, n/a), else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _flow(value: object) -> str:
    """A one-line YAML flow value, like the hand-written example workspace uses."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _dump(doc: dict[str, Any]) -> str:
    """YAML with one line per asset, link, answer and override (readable, and quick to write
    for thousands of assets); every other key in block style."""
    parts: list[str] = []
    for key, value in doc.items():
        if key in ("assets", "links", "answers", "overrides") and value:
            if isinstance(value, dict):
                lines = [f"  {k}: {_flow(v)}" for k, v in value.items()]
            else:
                lines = [f"  - {_flow(v)}" for v in value]
            parts.append(f"{key}:\n" + "\n".join(lines) + "\n")
        else:
            parts.append(dump_yaml({key: value}))
    return "".join(parts)


def _header(spec: EmbSpec, seed: int, what: str) -> str:
    return (
        f"# {what} of the {spec.name}.\n"
        f"# FICTIONAL: generated by `cyberready examples portfolio --seed {seed}` (EMB "
        f"{spec.index + 1}).\n# Nothing here describes a real country or election body.\n"
    )


def render_workspace(spec: EmbSpec, library: Library, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Every file of one EMB workspace: relative path -> text.

    ``library`` supplies the controls to answer (the frameworks of ``spec.frameworks`` must be
    in it).
    """
    files: dict[str, str] = {}
    files["emb.yaml"] = _header(spec, seed, "Workspace settings") + _dump(_emb(spec))
    system, csv_text = _system(spec)
    files["system.yaml"] = _header(spec, seed, "System model") + _dump(system)
    if csv_text is not None:
        files["stations.csv"] = csv_text
    controls = _emb_controls(library, spec)
    levels = _levels(spec, controls, seed)
    overrides = _overrides(spec, controls, levels, seed)
    rng = _rng(seed, spec.index, "answers")
    files["assessment.yaml"] = _header(spec, seed, "Readiness assessment") + _dump(
        _assessment(spec, levels, spec.as_of, rng, overrides, "ICT security unit")
    )
    for date, earlier in _history(spec, levels, seed):
        doc = _assessment(spec, earlier, date, rng, [], "Self-assessment")
        files[f"history/assessment-{date.isoformat()}.yaml"] = _header(
            spec, seed, "Earlier readiness assessment"
        ) + _dump(doc)
    qualities = dict(_COMPANIES)
    for company in spec.platforms:
        card = _platform(spec, company, qualities[company], library, seed)
        files[f"platforms/{company.lower()}.yaml"] = _header(
            spec, seed, f"Platform scorecard ({company})"
        ) + _dump(card)
    return files


def sample_portfolio(
    n: int,
    seed: int = DEFAULT_SEED,
    *,
    library: Library,
    progress: Callable[[EmbSpec], None] | None = None,
) -> dict[str, str]:
    """Every file of an ``n``-EMB sample portfolio: ``<emb id>/<file>`` -> text, plus a
    ``README.md`` listing the EMBs.

    ``library`` must hold the shipped frameworks (``usaid-ecbs`` and ``ifes-tech-guidelines``);
    ``progress`` is called after each EMB is rendered.
    """
    specs = emb_specs(n, seed)
    files: dict[str, str] = {}
    rows = []
    for spec in specs:
        for rel, text in render_workspace(spec, library, seed).items():
            files[f"{spec.id}/{rel}"] = text
        rows.append(
            f"| {spec.index + 1} | `{spec.id}` | {spec.region} | {spec.size_class} | "
            f"{len(spec.subregions)} × {spec.districts} | {spec.stations:,} | {spec.history} |"
        )
        if progress is not None:
            progress(spec)
    files["README.md"] = (
        f"# Sample EMB portfolio (FICTIONAL)\n\n"
        f"Generated by `cyberready examples portfolio --n {n} --seed {seed}`. Every country, "
        "commission, vendor, document and finding is invented.\n\n"
        "Assess it with `cyberready portfolio DIR --out summary.html`.\n\n"
        "| # | EMB | region | size | subregions × districts | polling stations | "
        "earlier assessments |\n|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    return dict(sorted(files.items()))

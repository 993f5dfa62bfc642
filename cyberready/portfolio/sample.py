"""A realistic sample portfolio of fictional EMB workspaces, generated reproducibly.

Donor and regional-network features only show their worth across many EMBs: regions with enough
members to compare, domains weak everywhere, histories that trend, a few national-scale models.
:func:`sample_portfolio` builds such a portfolio from one parameterised EMB template, varying
size, architecture, posture, region and history. It is pure: it returns every file's relative
path and text; :func:`cyberready.io.write_files` writes them (atomically, file by file).

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

import datetime as dt
import json
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cyberready.io import dump_yaml
from cyberready.models import Control, Framework
from cyberready.workspace._inputs import Library

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


def _system(spec: EmbSpec) -> tuple[dict[str, Any], str | None]:
    """The system model (and the stations CSV text, for large EMBs)."""
    bio = ["pii", "biometric"] if spec.biometric else ["pii"]
    a: list[dict[str, Any]] = []
    links: list[dict[str, str]] = []

    def link(src: str, dst: str, kind: str, *, group: str | None = None) -> None:
        links.append({"from": src, "to": dst, "kind": kind, **({"group": group} if group else {})})

    # --- facilities, hosting, power and networks
    a += [
        _asset("dc-primary", "data_center", "Primary data centre (headquarters)", "physical",
               tags=["hq"], site="headquarters", operator="emb"),
        _asset("cloud-hosting", "cloud_hosting", "Commercial cloud and CDN", "internet",
               tags=["public-facing"], site="cloud", operator="vendor"),
        _asset("power-grid", "power", "National grid supply", "physical", operator="government"),
        _asset("ups-hq", "power", "UPS and generator of the headquarters data centre",
               "physical", tags=["hq"], site="headquarters", operator="emb"),
        # one arrangement for every station: a count would make each battery take all down
        _asset("power-field", "power", "Field power (power banks, solar chargers)", "physical",
               tags=["field"], site="field", operator="emb"),
        _asset("net-hq-lan", "network", "Headquarters local network", "internal", tags=["hq"],
               site="headquarters", operator="emb"),
        _asset("net-wan", "network", "Government WAN to the regional offices", "internal",
               tags=["regional-office"], operator="government"),
        _asset("net-isp", "network", "National internet access", "internet", tags=["telecom"],
               operator="vendor"),
        _asset("net-mobile-data", "network", "Mobile data networks", "internet",
               tags=["telecom", "field"], operator="vendor"),
        _asset("net-mobile-sms", "network", "Mobile SMS and voice service", "internal",
               tags=["telecom", "field"], operator="vendor"),
    ]  # fmt: skip
    for src in ("dc-primary", "net-hq-lan"):  # grid or the UPS and generator
        link(src, "power-grid", "powered_by", group="mains")
        link(src, "ups-hq", "powered_by", group="mains")
    link("net-wan", "gov-it", "depends_on")
    link("net-hq-lan", "net-wan", "connects_to")
    link("net-wan", "net-hq-lan", "connects_to")
    if spec.backup_site:
        a.append(
            _asset(
                "dc-backup",
                "data_center",
                "Backup racks in the government data centre",
                "physical",
                tags=[f"region-{spec.subregions[0]}"],
                site="data_centre",
                operator="government",
            )
        )
        link("dc-backup", "power-grid", "powered_by")
        link("dc-backup", "gov-it", "depends_on")

    # --- voter registration
    a += [
        _asset("civil-registry", "civil_registry_feed", "Civil registry and ID feed", "internal",
               data=["pii"], site="data_centre", operator="government"),
        _asset("vr-db", "voter_registration_db", "Central voter register", "internal", data=bio,
               tags=["crown_jewel", "hq"], site="headquarters", operator="emb"),
        _asset("vr-db-replica", "voter_registration_db", "Standby copy of the voter register",
               "internal", data=bio, tags=["hq"] if not spec.backup_site else
               [f"region-{spec.subregions[0]}"],
               site="data_centre" if spec.backup_site else "headquarters", operator="emb"),
        _asset("regcopy-parties", "voter_registration_db", "Register copies issued to parties",
               "internet", data=["pii"], count=3 + spec.index % 12, tags=["register-copy"],
               site="third_party_premises", operator="party"),
        _asset("paper-voter-lists", "paper_records", "Printed polling-station voter lists",
               "physical", data=["pii"], count=spec.stations, tags=["field"],
               site="polling_station", operator="emb"),
        _asset("ems", "election_management_system", "Candidate nomination and ballot system",
               "internal", data=["pii"], tags=["hq"], site="headquarters", operator="emb"),
    ]  # fmt: skip
    link("vr-db", "dc-primary", "hosted_on")
    link("ems", "dc-primary", "hosted_on")
    link("vr-db-replica", "dc-backup" if spec.backup_site else "dc-primary", "hosted_on")
    link("civil-registry", "gov-it", "hosted_on")
    link("vr-db", "civil-registry", "depends_on")
    link("ems", "net-hq-lan", "depends_on")
    link("net-hq-lan", "vr-db", "connects_to")
    link("net-hq-lan", "ems", "connects_to")
    link("civil-registry", "vr-db", "connects_to")
    link("vr-db", "vr-db-replica", "connects_to")
    link("ems", "tally-national", "connects_to")
    if spec.backup_site:
        link("gov-it", "vr-db-replica", "connects_to")
    for dst in ("vr-db-replica", "paper-voter-lists", "regcopy-parties"):
        link("vr-db", dst, "copies_data_to")
    link("civil-registry", "vr-db", "copies_data_to")
    if spec.biometric:
        a.append(
            _asset(
                "afis-server",
                "voter_registration_db",
                "Biometric de-duplication server",
                "internal",
                data=["pii", "biometric"],
                tags=["hq"],
                site="headquarters",
                operator="emb",
            )
        )
        link("afis-server", "dc-primary", "hosted_on")
        link("afis-server", "vr-db", "connects_to")
        link("vr-db", "afis-server", "connects_to")
        link("vendor-biometric", "afis-server", "administers")
        link("vendor-biometric", "afis-server", "supplies")
    if spec.portal:
        a.append(
            _asset(
                "reg-portal",
                "registration_portal",
                "Online voter look-up portal",
                "internet",
                data=["pii"],
                tags=["public-facing"],
                site="cloud",
                operator="emb",
            )
        )
        link("reg-portal", "cloud-hosting", "hosted_on")
        link("reg-portal", "vr-db", "depends_on")
        link("reg-portal", "net-isp", "depends_on")
        link("reg-portal", "vr-db", "connects_to")

    # --- results
    a += [
        _asset("results-forms", "results_form", "Polling-station results forms (paper)",
               "physical", data=["results"], count=spec.stations, tags=["field"],
               site="polling_station", operator="emb"),
        _asset("rtx-server", "results_transmission", "Results transmission receiving server",
               "internet", data=["results"], tags=["hq"], site="headquarters", operator="emb"),
        _asset("sms-gateway", "results_transmission", "SMS results fallback gateway", "internal",
               data=["results"], tags=["hq"], site="headquarters", operator="emb"),
        _asset("tally-national", "tally_server", "National tally server", "internal",
               data=["results"], tags=["crown_jewel", "hq"], site="headquarters",
               operator="emb"),
        _asset("results-site", "results_website", "Provisional results website", "internet",
               data=["results"], tags=["public-facing"], site="headquarters", operator="emb"),
    ]  # fmt: skip
    for src in ("rtx-server", "sms-gateway", "tally-national", "results-site"):
        link(src, "dc-primary", "hosted_on")
    link("rtx-server", "net-mobile-data", "depends_on")
    link("sms-gateway", "net-mobile-sms", "depends_on")
    link("results-site", "net-isp", "depends_on")
    link("results-site", "tally-national", "depends_on")
    link("rtx-server", "tally-national", "connects_to")
    link("sms-gateway", "tally-national", "connects_to")
    link("tally-national", "results-site", "connects_to")
    link("net-mobile-data", "rtx-server", "connects_to")
    link("net-mobile-sms", "sms-gateway", "connects_to")
    if spec.results_mirror:
        a.append(
            _asset(
                "results-mirror",
                "results_website",
                "Static results mirror on the CDN",
                "internet",
                data=["results"],
                tags=["public-facing"],
                site="cloud",
                operator="emb",
            )
        )
        link("results-mirror", "cloud-hosting", "hosted_on")
        link("results-mirror", "net-isp", "depends_on")
        link("results-mirror", "tally-national", "depends_on")
        link("results-site", "results-mirror", "connects_to")
        link("results-site", "results-mirror", "copies_data_to")

    # --- communication
    a += [
        _asset("emb-website", "emb_website", "Commission website", "internet",
               tags=["public-facing"], site="cloud", operator="emb"),
        _asset("email-hq", "email", "Commission e-mail", "internet", data=["pii", "credentials"],
               tags=["hq"], site="data_centre" if spec.gov_email else "cloud",
               operator="government" if spec.gov_email else "vendor"),
    ]  # fmt: skip
    link("emb-website", "cloud-hosting", "hosted_on")
    link("emb-website", "net-isp", "depends_on")
    link("email-hq", "gov-it" if spec.gov_email else "cloud-hosting", "hosted_on")
    link("email-hq", "net-isp", "depends_on")
    if spec.gov_email:
        link("gov-it", "email-hq", "administers")
    for k, net in enumerate(("facebook", "x", "whatsapp")[: spec.socials]):
        sid = f"social-{net}"
        a.append(
            _asset(
                sid,
                "social_platform",
                f"Official {net} account {k + 1}",
                "internet",
                tags=["public-facing"],
                operator="platform",
            )
        )
        link(sid, "net-isp", "depends_on")
        link("acct-comms", sid, "administers")

    # --- headquarters staff and accounts
    a += [
        _asset("ws-hq-staff", "staff_workstation", "Headquarters staff workstations", "internal",
               data=["pii"], count=40 + spec.stations // 40, tags=["hq"],
               site="headquarters", operator="emb"),
        _asset("ws-hq-ict", "staff_workstation", "ICT administrator workstations", "internal",
               data=["credentials"], count=4 + spec.stations // 1000, tags=["hq"],
               site="headquarters", operator="emb"),
        _asset("acct-hq-admin", "admin_account", "Server and database administrator accounts",
               "internal", data=["credentials"], count=3 + spec.stations // 2000, tags=["hq"],
               site="headquarters", operator="emb"),
        _asset("acct-comms", "admin_account", "Website and social media accounts", "internet",
               data=["credentials"], count=2 + spec.socials, tags=["hq", "public-facing"],
               site="headquarters", operator="emb"),
    ]  # fmt: skip
    for ws in ("ws-hq-staff", "ws-hq-ict"):
        link(ws, "power-grid", "powered_by")
        link(ws, "net-hq-lan", "connects_to")
        link("net-hq-lan", ws, "connects_to")
        link("email-hq", ws, "connects_to")
        link("acct-hq-admin", ws, "administers")
    link("ws-hq-ict", "tally-national", "connects_to")
    link("ws-hq-ict", "acct-hq-admin", "authenticates")
    link("vr-db", "acct-hq-admin", "authenticates")
    link("tally-national", "acct-hq-admin", "authenticates")
    link("ws-hq-staff", "acct-comms", "authenticates")
    link("email-hq", "acct-comms", "authenticates")
    link("acct-comms", "emb-website", "administers")
    admin_targets = ["vr-db", "vr-db-replica", "ems", "rtx-server", "sms-gateway"]
    admin_targets += ["tally-national", "results-site", "net-hq-lan"]
    if spec.biometric:
        admin_targets.append("afis-server")
    for dst in admin_targets:
        link("acct-hq-admin", dst, "administers")

    # --- vendors and shared government IT
    a += [
        _asset("vendor-tally", "vendor", "Tally and results software vendor", "internet",
               site="vendor_premises", operator="vendor"),
        _asset("vendor-tally-update", "vendor", "Vendor-operated update server", "internet",
               site="vendor_premises", operator="vendor"),
        _asset("vendor-hosting", "vendor", "Cloud hosting provider", "internet",
               site="vendor_premises", operator="vendor"),
        _asset("gov-it", "shared_government_it", "Ministry shared IT", "internet",
               site="data_centre", operator="government"),
    ]  # fmt: skip
    if spec.biometric or spec.epollbooks:
        a.append(
            _asset(
                "vendor-biometric",
                "vendor",
                "Biometric and pollbook supplier",
                "internet",
                site="vendor_premises",
                operator="vendor",
            )
        )
        link("vendor-biometric", "email-hq", "connects_to")
    link("vendor-tally", "email-hq", "connects_to")
    link("vendor-hosting", "email-hq", "connects_to")
    link("vendor-tally", "tally-national", "administers")
    link("vendor-hosting", "cloud-hosting", "administers")
    link("vendor-hosting", "cloud-hosting", "supplies")
    link("vendor-tally", "vendor-tally-update", "supplies")
    link("vendor-tally-update", "tally-national", "supplies")
    link("vendor-tally-update", "rtx-server", "supplies")
    link("gov-it", "net-wan", "administers")

    # --- subregions (regional offices) and their districts
    per_district = max(1, spec.stations // (len(spec.subregions) * spec.districts))
    for r in spec.subregions:
        tag = f"region-{r}"
        office = ["regional-office", tag]
        a += [
            _asset(f"tally-{r}", "tally_server", f"Tally server, {r} region", "internal",
                   data=["results"], tags=office, site="regional_office", operator="emb"),
            _asset(f"ws-regional-{r}", "staff_workstation", f"Regional office workstations, {r}",
                   "internal", data=["pii"], count=6 + spec.districts * 2, tags=office,
                   site="regional_office", operator="emb"),
            _asset(f"acct-regional-{r}", "admin_account", f"Regional officer accounts, {r}",
                   "internal", data=["credentials"], count=4 + spec.districts, tags=office,
                   site="regional_office", operator="emb"),
        ]  # fmt: skip
        link(f"tally-{r}", "power-grid", "powered_by")
        link(f"tally-{r}", "net-wan", "depends_on")
        link(f"tally-{r}", "results-forms", "depends_on")
        link(f"ws-regional-{r}", "power-grid", "powered_by")
        link(f"ws-regional-{r}", "net-wan", "depends_on")
        link(f"ws-regional-{r}", "net-wan", "connects_to")
        link("net-wan", f"ws-regional-{r}", "connects_to")
        link("net-wan", f"tally-{r}", "connects_to")
        link(f"ws-regional-{r}", f"tally-{r}", "connects_to")
        link(f"tally-{r}", "tally-national", "connects_to")
        link("email-hq", f"ws-regional-{r}", "connects_to")
        link("acct-hq-admin", f"tally-{r}", "administers")
        link(f"acct-regional-{r}", "vr-db", "administers")
        link(f"acct-regional-{r}", f"ws-regional-{r}", "administers")
        link(f"ws-regional-{r}", f"acct-regional-{r}", "authenticates")
        link("gov-it", f"acct-regional-{r}", "authenticates")
        link("vendor-tally-update", f"tally-{r}", "supplies")
        if spec.biometric:
            a.append(
                _asset(
                    f"bvr-kits-{r}",
                    "biometric_kit",
                    f"Biometric registration kits, {r}",
                    "isolated",
                    data=["pii", "biometric"],
                    count=5 + spec.districts * 4,
                    tags=["field", tag],
                    site="field",
                    operator="emb",
                )
            )
            link(f"bvr-kits-{r}", "power-field", "powered_by")
            link(f"ws-regional-{r}", f"bvr-kits-{r}", "connects_to")
            link(f"acct-regional-{r}", f"bvr-kits-{r}", "administers")
            link("vendor-biometric", f"bvr-kits-{r}", "supplies")
            link(f"bvr-kits-{r}", "vr-db", "copies_data_to")
        for d in range(1, spec.districts + 1):
            ws = f"ws-district-{r}-{d:02d}"
            a.append(
                _asset(
                    ws,
                    "staff_workstation",
                    f"District office, {r} {d}",
                    "internal",
                    data=["pii"],
                    count=3,
                    tags=["district-office", tag],
                    site="local_office",
                    operator="emb",
                )
            )
            link(ws, "net-wan", "depends_on")
            link(ws, "net-wan", "connects_to")
            link(ws, f"tally-{r}", "connects_to")
            link(f"acct-regional-{r}", ws, "administers")
            if spec.generated_stations:
                continue
            rtx = f"rtx-{r}-{d:02d}"
            a.append(
                _asset(
                    rtx,
                    "results_transmission",
                    f"Results tablets, {r} {d}",
                    "internet",
                    data=["results"],
                    count=per_district,
                    tags=["field", tag],
                    site="polling_station",
                    operator="emb",
                )
            )
            link(rtx, "power-field", "powered_by")
            link(rtx, "results-forms", "depends_on")
            link(rtx, "rtx-server", "connects_to")
            link("vendor-tally-update", rtx, "supplies")
            if spec.epollbooks:
                pb = f"pollbooks-{r}-{d:02d}"
                a.append(
                    _asset(
                        pb,
                        "pollbook",
                        f"E-pollbooks, {r} {d}",
                        "isolated",
                        data=bio,
                        count=per_district,
                        tags=["field", tag],
                        site="polling_station",
                        operator="emb",
                    )
                )
                link(pb, "power-field", "powered_by")
                link("vendor-biometric", pb, "supplies")
                link("vr-db", pb, "copies_data_to")
            else:
                acct = f"acct-district-{r}-{d:02d}"
                a.append(
                    _asset(
                        acct,
                        "admin_account",
                        f"District officer accounts, {r} {d}",
                        "internal",
                        data=["credentials"],
                        count=2,
                        tags=["district-office", tag],
                        site="local_office",
                        operator="emb",
                    )
                )
                link(acct, rtx, "administers")
                link(ws, acct, "authenticates")

    generate: list[dict[str, Any]] = []
    csv_text: str | None = None
    if spec.generated_stations:
        generate.append(
            {
                "csv": "stations.csv",
                "asset": {
                    "id": "rtx-{station}",
                    "type": "results_transmission",
                    "label": "Results tablet, station {station}",
                    "exposure": "internet",
                    "data": ["results"],
                    "site": "polling_station",
                    "operator": "emb",
                    "tags": ["field", "region-{region}"],
                },
                "links": [
                    {"to": "power-field", "kind": "powered_by"},
                    {"to": "results-forms", "kind": "depends_on"},
                    {"to": "rtx-server", "kind": "connects_to"},
                    {"from": "vendor-tally-update", "kind": "supplies"},
                ],
            }
        )
        if spec.epollbooks:
            generate.append(
                {
                    "csv": "stations.csv",
                    "asset": {
                        "id": "pollbook-{station}",
                        "type": "pollbook",
                        "label": "E-pollbook, station {station}",
                        "exposure": "isolated",
                        "data": bio,
                        "site": "polling_station",
                        "operator": "emb",
                        "tags": ["field", "region-{region}"],
                    },
                    "links": [
                        {"to": "power-field", "kind": "powered_by"},
                        {"from": "vendor-biometric", "kind": "supplies"},
                        {"from": "vr-db", "kind": "copies_data_to"},
                    ],
                }
            )
        rows = ["station,region,district"]
        n_sub = len(spec.subregions)
        for s in range(spec.generated_stations):
            r = spec.subregions[s % n_sub]
            d = 1 + (s // n_sub) % spec.districts
            rows.append(f"ps-{s + 1:06d},{r},{d}")
        csv_text = "\n".join(rows) + "\n"

    functions = _functions(spec)
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


def _functions(spec: EmbSpec) -> list[dict[str, Any]]:
    register: list[dict[str, Any]] = [
        {"all": ["vr-db", "afis-server"] if spec.biometric else ["vr-db"]}
    ]
    if spec.biometric:
        register.append({"at_least": 0.75, "of": {"types": ["biometric_kit"]}})
    return [
        {
            "id": "register_voters",
            "title": "Register voters",
            "weight": 4,
            "phase": "voter_registration",
            "max_tolerable_outage_hours": 72,
            "requires": register,
        },
        {
            "id": "protect_voter_data",
            "title": "Keep voter data confidential",
            "weight": 5,
            "phase": "voter_registration",
            "max_tolerable_outage_hours": 720,
            "requires": [
                {
                    "any": {
                        "types": [
                            "voter_registration_db",
                            "registration_portal",
                            "biometric_kit",
                            "pollbook",
                        ]
                    },
                    "protects_data": True,
                }
            ],
        },
        {
            "id": "register_candidates",
            "title": "Register candidates and design ballots",
            "weight": 3,
            "phase": "candidate_registration",
            "max_tolerable_outage_hours": 48,
            "requires": [{"all": ["ems"]}],
        },
        {
            "id": "protect_emb_correspondence",
            "title": "Keep internal correspondence confidential",
            "weight": 2,
            "phase": "campaign",
            "max_tolerable_outage_hours": 720,
            "requires": [
                {
                    "any": {"types": ["email", "staff_workstation"], "tags": ["hq"]},
                    "protects_data": True,
                }
            ],
        },
        {
            "id": "identify_voters_on_polling_day",
            "title": "Identify voters at polling stations",
            "weight": 5,
            "phase": "voting",
            "max_tolerable_outage_hours": 3,
            "requires": [{"any": {"types": ["pollbook", "paper_records"]}}],
        },
        {
            "id": "communicate_with_public",
            "title": "Inform voters on polling day",
            "weight": 3,
            "phase": "voting",
            "max_tolerable_outage_hours": 24,
            "requires": [{"all": ["emb-website"]}, {"any": {"types": ["social_platform"]}}],
        },
        {
            "id": "transmit_results",
            "title": "Transmit provisional results",
            "weight": 4,
            "phase": "tabulation_transmission",
            "max_tolerable_outage_hours": 12,
            "requires": [
                {"any": ["rtx-server", "sms-gateway"]},
                {
                    "at_least": 0.75,
                    "of": {"types": ["results_transmission"], "sites": ["polling_station"]},
                },
            ],
        },
        {
            "id": "tabulate_results",
            "title": "Aggregate results",
            "weight": 5,
            "phase": "tabulation_transmission",
            "max_tolerable_outage_hours": 24,
            "requires": [
                {"all": ["tally-national"]},
                {
                    "at_least": 0.75,
                    "of": {"types": ["tally_server"], "sites": ["regional_office"]},
                },
            ],
        },
        {
            "id": "publish_results",
            "title": "Publish provisional results",
            "weight": 4,
            "phase": "results_publication",
            "max_tolerable_outage_hours": 12,
            "requires": [{"any": {"types": ["results_website"]}}, {"all": ["tally-national"]}],
        },
    ]


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
        c = rng.choice(office)
        lv = levels[c.id]
        assert isinstance(lv, int)
        out.append(
            {
                "select": {"sites": ["regional_office"]},
                "control": c.id,
                "level": lv - 1,
                "notes": "Regional offices lag headquarters.",
            }
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
        c = rng.choice(jewels)
        lv = levels[c.id]
        assert isinstance(lv, int)
        out.append(
            {
                "select": {"tags": ["crown_jewel"]},
                "control": c.id,
                "level": lv + 1,
                "notes": "Stronger on the register and the national tally.",
            }
        )
    return out


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

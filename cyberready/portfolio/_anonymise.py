"""Anonymised portfolios: aliases, budget bands, quarters and generic titles.

:meth:`cyberready.portfolio.Portfolio.anonymize` calls :func:`anonymised`; the rules are in
the package's docstring.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from cyberready.portfolio._record import WITHHELD, EmbRecord

if TYPE_CHECKING:
    from cyberready.report.redaction import Term

BUDGET_BANDS: Final[tuple[tuple[float, str], ...]] = (
    (0.0, "<$100k"),
    (100_000.0, "$100k–$500k"),
    (500_000.0, "$500k–$1M"),
    (1_000_000.0, "$1M–$5M"),
    (5_000_000.0, "≥$5M"),
)
"""(lower bound, label) of the budget bands an anonymised portfolio shows."""


def budget_band(usd: float) -> tuple[float, str]:
    """The (lower bound, label) of the band holding a budget.

    >>> budget_band(250_000)
    (100000.0, '$100k–$500k')
    """
    lower, label = BUDGET_BANDS[0]
    for lo, name in BUDGET_BANDS:
        if usd >= lo:
            lower, label = lo, name
    return lower, label


def quarter(d: object) -> str | None:
    """A date as its quarter (``2026-Q3``; None for no date)."""
    if isinstance(d, dt.date):
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return None


def missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


GENERIC: Final = {
    "function": "Election function",
    "framework": "EMB framework",
    "domain": "EMB domain",
    "control": "EMB control",
    "scenario": "EMB scenario",
}


def generic_labels(r: EmbRecord) -> dict[str, str]:
    """EMB-written titles -> generic labels (``Election function 3``, ``EMB domain 2``)."""
    labels: dict[str, str] = {}
    counts: Counter[str] = Counter()
    pairs = [(f.title, "function") for f in r.functions] + list(r.own_titles)
    for fdv in r.view.functions:  # a title the record's functions spell the same way
        pairs.append((fdv.title, "function"))
    for title, kind in pairs:
        if title and title not in labels:
            counts[kind] += 1
            labels[title] = f"{GENERIC[kind]} {counts[kind]}"
    return labels


def anonymous(value: Any, labels: Mapping[str, str], red: Any) -> Any:
    """``value`` (nested dicts, lists, tuples) with EMB-written titles replaced by their
    generic labels, identities withheld and every date moved to the first day of its
    quarter."""
    if isinstance(value, str):
        return labels.get(value) or red.scrub(value, WITHHELD)
    if isinstance(value, dt.date):
        return dt.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)
    if isinstance(value, Mapping):
        return {k: anonymous(v, labels, red) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(anonymous(v, labels, red) for v in value)
    return value


def aliases(n: int, seed: int) -> list[str]:
    """The aliases of ``n`` EMBs in portfolio order (``EMB-01``…), their order drawn from
    ``seed``: the names :func:`anonymised` gives them.

    >>> sorted(aliases(3, 0))
    ['EMB-01', 'EMB-02', 'EMB-03']
    """
    width = max(2, len(str(n)))
    order = random.Random(f"cyberready-aliases|{seed}").sample(range(n), n)
    return [f"EMB-{order[k] + 1:0{width}d}" for k in range(n)]


def anonymised(
    records: Sequence[EmbRecord], seed: int, min_group: int
) -> tuple[tuple[EmbRecord, ...], tuple[Term, ...]]:
    """The records of :meth:`cyberready.portfolio.Portfolio.anonymize`, sorted by alias, and
    the EMB identities withheld from them (the report is checked for those; never rendered).
    The aliases' order is drawn from ``seed``; a region of fewer than ``min_group`` EMBs
    becomes ``other``."""
    from cyberready.report.redaction import Redactor, Term

    alias_of = aliases(len(records), seed)
    sizes = Counter(r.region for r in records)
    terms: list[Term] = []
    for r in records:
        m = r.view.meta
        names = [m.emb_id, m.emb_name, m.country, re.sub(r"\s*\(.*\)\s*$", "", m.country)]
        names.append(m.election_name or "")
        terms += [Term(t, "EMB identity", "emb.yaml") for t in names if t]
    red = Redactor(terms)
    out = []
    for k, r in enumerate(records):
        alias = alias_of[k]
        labels = generic_labels(r)
        meta = r.view.meta.model_copy(
            update={
                "emb_id": alias,
                "emb_name": alias,
                "country": "",
                "election_name": None,
                "election_date": None,
                "days_to_election": None,
            }
        )
        data = anonymous(r.view.model_copy(update={"meta": meta}).model_dump(), labels, red)
        if data.get("plan"):
            data["plan"]["budget_usd"] = budget_band(data["plan"]["budget_usd"])[0]
        view = type(r.view).model_validate(data)
        functions = tuple(replace(f, title=anonymous(f.title, labels, red)) for f in r.functions)
        region = r.region if sizes[r.region] >= min_group and r.region else "other"
        out.append(replace(r, view=view, functions=functions, region=region))
    ordered = tuple(sorted(out, key=lambda r: r.emb))
    return ordered, tuple(red.terms.values())

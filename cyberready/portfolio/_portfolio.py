"""The :class:`Portfolio`: donor views of many EMBs and every table across them."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from cyberready.models.framework import DEFAULT_TIERS
from cyberready.portfolio._anonymise import aliases, anonymised, budget_band, missing, quarter
from cyberready.portfolio._record import EmbRecord
from cyberready.portfolio._tables import (
    COMPARISON_COLUMNS,
    COMPARISON_FLOATS,
    DOMAIN_COLUMNS,
    EMB_COLUMNS,
    PEER_COLUMNS,
    PLAN_COLUMNS,
    PRIORITY_COLUMNS,
    READINESS_COLUMNS,
    REGION_COLUMNS,
    TABLES,
    Table,
    floats,
    html_table,
    json_rows,
    median_of,
)

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.report.models import DonorView
    from cyberready.report.redaction import Term

DEFAULT_MIN_GROUP: Final = 3
"""Smallest group of EMBs a breakdown is shown for."""
DEFAULT_TIERS_SCALE: Final[tuple[tuple[float, str], ...]] = tuple(
    (float(t.min), t.name) for t in DEFAULT_TIERS
)
"""The default readiness tiers as (min, name): the scale of a portfolio whose views hold none."""
DEFAULT_WEAK_BELOW: Final = next(lo for lo, name in DEFAULT_TIERS_SCALE if name == "Established")
"""A domain score below this is weak: below the default "Established" tier (60)."""
DEFAULT_STRONG_FROM: Final = DEFAULT_TIERS_SCALE[-1][0]
"""A domain score at or above this is strong: the default top tier, "Advanced" (80)."""
PEER_DOMAINS: Final = 3
"""Weakest domains of an EMB that peers are suggested for."""


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Donor views of many EMBs and every comparison across them (see the module docstring).

    ``to_frame(table)`` gives tidy DataFrames; in Jupyter a portfolio shows its weak domains,
    tier distribution, EMBs and domains as tables.
    """

    records: tuple[EmbRecord, ...]
    trials: int
    seed: int
    screen_trials: int | None = None
    anonymized: bool = False
    min_group: int = DEFAULT_MIN_GROUP
    weak_below: float = DEFAULT_WEAK_BELOW
    strong_from: float = DEFAULT_STRONG_FROM
    elapsed: float = field(default=0.0, compare=False)
    """Wall-clock seconds the assessment took (not part of the results)."""
    withheld: tuple[Term, ...] = field(default=(), compare=False, repr=False)
    """Anonymised: the EMBs' identities (ids, names, countries, elections), which the report
    is checked for besides each EMB's sensitive terms (never rendered)."""

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[EmbRecord]:
        return iter(self.records)

    @property
    def embs(self) -> tuple[str, ...]:
        """EMB ids (aliases when anonymised), in portfolio order."""
        return tuple(r.emb for r in self.records)

    def record(self, emb: str) -> EmbRecord:
        """The record of one EMB (KeyError if absent)."""
        for r in self.records:
            if r.emb == emb:
                return r
        raise KeyError(emb)

    def shown(self, n: int) -> bool:
        """True when a breakdown over ``n`` EMBs may be shown (not suppressed)."""
        return n >= self.min_group

    @property
    def tiers_scale(self) -> tuple[tuple[float, str], ...]:
        """Tier thresholds (min, name), from the EMBs' views (the default tiers if none)."""
        for r in self.records:
            if r.view.readiness.tiers:
                return tuple(r.view.readiness.tiers)
        return DEFAULT_TIERS_SCALE

    def _regions(self) -> dict[str, list[EmbRecord]]:
        groups: dict[str, list[EmbRecord]] = defaultdict(list)
        for r in self.records:
            groups[r.region or "unspecified"].append(r)
        return groups

    def region_of(self, record: EmbRecord) -> str:
        """The region shown for an EMB (``unspecified`` without one)."""
        return record.region or "unspecified"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Portfolio):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # equal by value, so not hashable

    # ------------------------------------------------------------------ anonymised

    def anonymize(self, seed: int | None = None) -> Portfolio:
        """A copy with EMBs as ``EMB-01``… (order drawn from ``seed``, default the portfolio's
        seed), identities removed and scrubbed, small regions shown as ``other``, budgets as
        bands (:func:`budget_band`), dates coarsened to their quarter and EMB-written titles
        (election functions, the EMB's own frameworks, domains, controls and scenarios)
        replaced by generic labels."""
        if self.anonymized:
            return self
        records, withheld = anonymised(
            self.records, self.seed if seed is None else seed, self.min_group
        )
        return replace(self, records=records, anonymized=True, withheld=withheld)

    # ------------------------------------------------------------------ frames

    def to_frame(self, table: Table = "readiness") -> pd.DataFrame:
        """A tidy DataFrame.

        Parameters
        ----------
        table
            Per EMB: ``embs`` (headline numbers), ``readiness`` (EMB × domain), ``comparison``
            (EMB × domain against the portfolio and region medians), ``trend`` (EMB ×
            assessment), ``functions`` (EMB × election function: chance of failing, expected
            loss), ``priorities`` (EMB × recommended domain, screening pass). Breakdowns, with
            ``n_embs`` and ``suppressed``: ``domains`` (best, worst, weak everywhere),
            ``regions`` (region × domain), ``tiers`` (EMBs per tier, overall and per region),
            ``years`` (median readiness per year), ``phases`` (expected loss per phase),
            ``plans`` (cost of the combined priority plans, per domain and in total);
            ``peers`` (EMB × weak domain × peer: :meth:`peers`).
        """
        builders: dict[str, Callable[[], pd.DataFrame]] = {
            "embs": self._embs,
            "readiness": self._readiness,
            "comparison": self._comparison,
            "trend": self._trend,
            "functions": self._functions,
            "priorities": self._priorities,
            "domains": self._domains,
            "regions": self._region_frame,
            "tiers": self._tiers,
            "years": self._years,
            "phases": self._phases,
            "plans": self._plans,
            "peers": self._peers,
        }
        if table not in builders:
            raise ValueError(f"table={table!r}: expected one of {', '.join(TABLES)}")
        return builders[table]()

    def _embs(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for r in self.records:
            v = r.view
            rd = v.readiness
            trend = rd.trend
            plan = v.plan
            rows.append(
                {
                    "emb": r.emb,
                    "name": v.meta.emb_name,
                    "country": v.meta.country,
                    "region": self.region_of(r),
                    "as_of": v.meta.as_of,
                    "election_date": v.meta.election_date,
                    "score": rd.score,
                    "low": rd.low,
                    "high": rd.high,
                    "tier": rd.tier,
                    "confidence": rd.confidence,
                    "coverage": rd.coverage,
                    "unassessed": v.limitations.unassessed,
                    "assessments": len(trend),
                    "change": trend[-1].score - trend[0].score if len(trend) > 1 else None,
                    "expected_loss": r.expected_loss,
                    "trust_loss": r.trust_loss,
                    "budget_usd": plan.budget_usd if plan else None,
                    "plan_cost_low": plan.cost_low if plan else None,
                    "plan_cost_high": plan.cost_high if plan else None,
                    "plan_risk_reduction": plan.risk_reduction_share if plan else None,
                    "plan_next_cycle": plan.next_cycle_share if plan else None,
                }
            )
        df = pd.DataFrame(rows, columns=EMB_COLUMNS)
        if self.anonymized:
            df = df.drop(columns=["name", "country", "election_date"])
            df["as_of"] = [quarter(d) for d in df["as_of"]]
            df.insert(
                list(df.columns).index("budget_usd"),
                "budget_band",
                [None if missing(b) else budget_band(b)[1] for b in df["budget_usd"]],
            )
            df = df.drop(columns=["budget_usd"])
        return df

    def _readiness(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "region": self.region_of(r),
                "framework": d.framework_id,
                "framework_title": d.framework_title,
                "domain": d.domain_id,
                "domain_title": d.title,
                "score": d.score,
                "low": d.low,
                "high": d.high,
                "tier": d.tier,
                "coverage": d.coverage,
                "unassessed": d.unassessed,
            }
            for r in self.records
            for d in r.view.readiness.domains
        ]
        return pd.DataFrame(rows, columns=READINESS_COLUMNS)

    def _domain_keys(self) -> list[tuple[str, str, str, str]]:
        """(framework id, domain id, framework title, domain title), first-seen order."""
        seen: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        for r in self.records:
            for d in r.view.readiness.domains:
                key = (d.framework_id, d.domain_id)
                seen.setdefault(key, (d.framework_id, d.domain_id, d.framework_title, d.title))
        return list(seen.values())

    def _scores(self) -> dict[tuple[str, str], list[tuple[EmbRecord, float]]]:
        out: dict[tuple[str, str], list[tuple[EmbRecord, float]]] = defaultdict(list)
        for r in self.records:
            for d in r.view.readiness.domains:
                out[(d.framework_id, d.domain_id)].append((r, d.score))
        return out

    def _comparison(self) -> pd.DataFrame:
        import pandas as pd

        scores = self._scores()
        rows = []
        for key, members in scores.items():
            n = len(members)
            median = median_of(s for _r, s in members) if self.shown(n) else None
            by_region: dict[str, list[float]] = defaultdict(list)
            for r, s in members:
                by_region[self.region_of(r)].append(s)
            for r, s in members:
                region = self.region_of(r)
                peers = by_region[region]
                rmed = median_of(peers) if self.shown(len(peers)) else None
                rows.append(
                    {
                        "emb": r.emb,
                        "framework": key[0],
                        "domain": key[1],
                        "score": s,
                        "portfolio_n": n,
                        "portfolio_median": median,
                        "vs_portfolio": None if median is None else s - median,
                        "region": region,
                        "region_n": len(peers),
                        "region_median": rmed,
                        "vs_region": None if rmed is None else s - rmed,
                        "region_suppressed": not self.shown(len(peers)),
                    }
                )
        order = {e: i for i, e in enumerate(self.embs)}
        rows.sort(key=lambda row: (order[str(row["emb"])], str(row["framework"])))
        return floats(pd.DataFrame(rows, columns=COMPARISON_COLUMNS), COMPARISON_FLOATS)

    def _trend(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"emb": r.emb, "region": self.region_of(r), "as_of": p.as_of, "score": p.score,
             "tier": p.tier}
            for r in self.records
            for p in r.view.readiness.trend
        ]  # fmt: skip
        df = pd.DataFrame(rows, columns=["emb", "region", "as_of", "score", "tier"])
        if self.anonymized:
            df["as_of"] = [quarter(d) for d in df["as_of"]]
        return df

    def _functions(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "function": f.title,
                "phases": ", ".join(f.phases),
                "weight": f.weight,
                "p_fail": f.p_fail,
                "expected_loss": f.expected_loss,
            }
            for r in self.records
            for f in r.functions
        ]
        return pd.DataFrame(
            rows, columns=["emb", "function", "phases", "weight", "p_fail", "expected_loss"]
        )

    def _priorities(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "emb": r.emb,
                "rank": p.rank,
                "framework_title": p.framework_title,
                "domain_title": p.domain_title,
                "actions": p.actions,
                "cost_low": p.cost_low,
                "cost_high": p.cost_high,
                "risk_reduction_share": p.risk_reduction_share,
                "next_cycle_share": p.next_cycle_share,
                "readiness_gain": p.readiness_gain,
                "ready_by": p.ready_by,
            }
            for r in self.records
            for p in r.view.priorities
        ]
        return pd.DataFrame(rows, columns=PRIORITY_COLUMNS)

    def _domains(self) -> pd.DataFrame:
        import pandas as pd

        scores = self._scores()
        rows = []
        for fw, dom, fw_title, title in self._domain_keys():
            members = scores[(fw, dom)]
            n = len(members)
            ok = self.shown(n)
            values = [s for _r, s in members]
            weak = sum(1 for s in values if s < self.weak_below)
            best = max(members, key=lambda t: (t[1], t[0].emb)) if ok else None
            worst = min(members, key=lambda t: (t[1], t[0].emb)) if ok else None
            rows.append(
                {
                    "framework": fw,
                    "framework_title": fw_title,
                    "domain": dom,
                    "domain_title": title,
                    "n_embs": n,
                    "suppressed": not ok,
                    "median": median_of(values) if ok else None,
                    "min": min(values) if ok else None,
                    "max": max(values) if ok else None,
                    "best": best[0].emb if best else None,
                    "worst": worst[0].emb if worst else None,
                    "weak_embs": weak if ok else None,
                    "share_weak": weak / n if ok else None,
                    "weak_everywhere": ok and weak == n,
                }
            )
        return floats(pd.DataFrame(rows, columns=DOMAIN_COLUMNS), {"median", "min", "max"})

    def _region_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for region, members in sorted(self._regions().items()):
            n = len(members)
            ok = self.shown(n)
            rows.append(
                {
                    "region": region,
                    "framework": "",
                    "domain": "overall",
                    "domain_title": "Overall readiness",
                    "n_embs": n,
                    "suppressed": not ok,
                    "median": median_of(r.view.readiness.score for r in members) if ok else None,
                    "expected_loss_median": median_of(r.expected_loss for r in members)
                    if ok
                    else None,
                }
            )
            per: dict[tuple[str, str, str], list[float]] = defaultdict(list)
            for r in members:
                for d in r.view.readiness.domains:
                    per[(d.framework_id, d.domain_id, d.title)].append(d.score)
            for (fw, dom, title), values in per.items():
                ok_d = self.shown(len(values))
                rows.append(
                    {
                        "region": region,
                        "framework": fw,
                        "domain": dom,
                        "domain_title": title,
                        "n_embs": len(values),
                        "suppressed": not ok_d,
                        "median": median_of(values) if ok_d else None,
                        "expected_loss_median": None,
                    }
                )
        return floats(
            pd.DataFrame(rows, columns=REGION_COLUMNS), {"median", "expected_loss_median"}
        )

    def _tiers(self) -> pd.DataFrame:
        import pandas as pd

        names = [name for _lo, name in self.tiers_scale]
        rows = []
        groups = [("all", list(self.records)), *sorted(self._regions().items())]
        for region, members in groups:
            ok = self.shown(len(members))
            counts = Counter(r.view.readiness.tier for r in members)
            for name in [*names, *sorted(set(counts) - set(names))]:
                rows.append(
                    {
                        "region": region,
                        "tier": name,
                        "n_embs": len(members),
                        "suppressed": not ok,
                        "embs": counts.get(name, 0) if ok else None,
                    }
                )
        df = pd.DataFrame(rows, columns=["region", "tier", "n_embs", "suppressed", "embs"])
        df["embs"] = df["embs"].astype("Int64")
        return df

    def _years(self) -> pd.DataFrame:
        import pandas as pd

        latest: dict[tuple[int, str], float] = {}
        for r in self.records:
            for p in sorted(r.view.readiness.trend, key=lambda p: p.as_of):
                latest[(p.as_of.year, r.emb)] = p.score
        by_year: dict[int, list[float]] = defaultdict(list)
        for (year, _emb), s in latest.items():
            by_year[year].append(s)
        rows = [
            {
                "year": year,
                "n_embs": len(v),
                "suppressed": not self.shown(len(v)),
                "median": median_of(v) if self.shown(len(v)) else None,
            }
            for year, v in sorted(by_year.items())
        ]
        return floats(pd.DataFrame(rows, columns=["year", "n_embs", "suppressed", "median"]),
                       {"median"})  # fmt: skip

    def _phases(self) -> pd.DataFrame:
        import pandas as pd

        from cyberready.models.vocab import PHASES

        per: dict[str, dict[str, float]] = defaultdict(dict)
        for r in self.records:
            for f in r.functions:
                # a function's loss counts in the first phase it serves
                first = f.phases[0]
                per[first][r.emb] = per[first].get(r.emb, 0.0) + f.expected_loss
        rows = []
        for phase in [p for p in PHASES if p in per]:
            values = list(per[phase].values())
            ok = self.shown(len(values))
            rows.append(
                {
                    "phase": phase,
                    "n_embs": len(values),
                    "suppressed": not ok,
                    "median": median_of(values) if ok else None,
                    "total": float(sum(values)) if ok else None,
                    "max": max(values) if ok else None,
                }
            )
        return floats(
            pd.DataFrame(rows, columns=["phase", "n_embs", "suppressed", "median", "total", "max"]),
            {"median", "total", "max"},
        )

    def _plans(self) -> pd.DataFrame:
        import pandas as pd

        per: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
        for r in self.records:
            for p in r.view.priorities:
                per[(p.framework_title, p.domain_title)].append(
                    (p.cost_low, p.cost_high, p.actions)
                )
        rows = []
        for (fw, dom), items in sorted(per.items(), key=lambda t: -sum(c[1] for c in t[1])):
            ok = self.shown(len(items))
            rows.append(
                {
                    "framework_title": fw,
                    "domain_title": dom,
                    "n_embs": len(items),
                    "suppressed": not ok,
                    "actions": sum(a for _l, _h, a in items) if ok else None,
                    "cost_low": float(sum(lo for lo, _h, _a in items)) if ok else None,
                    "cost_high": float(sum(hi for _l, hi, _a in items)) if ok else None,
                }
            )
        plans = [r.view.plan for r in self.records if r.view.plan is not None]
        ok = self.shown(len(plans))
        rows.append(
            {
                "framework_title": "",
                "domain_title": "All budget plans",
                "n_embs": len(plans),
                "suppressed": not ok,
                "actions": sum(p.actions for p in plans) if ok else None,
                "cost_low": float(sum(p.cost_low for p in plans)) if ok else None,
                "cost_high": float(sum(p.cost_high for p in plans)) if ok else None,
            }
        )
        df = pd.DataFrame(rows, columns=PLAN_COLUMNS)
        df["actions"] = df["actions"].astype("Int64")
        return floats(df, {"cost_low", "cost_high"})

    # ------------------------------------------------------------------ peers

    def aliases(self) -> dict[str, str]:
        """Each EMB's alias: its id when the portfolio is anonymised, else the alias
        :meth:`anonymize` would give it (with the portfolio's seed)."""
        if self.anonymized:
            return {r.emb: r.emb for r in self.records}
        return dict(zip(self.embs, aliases(len(self.records), self.seed), strict=True))

    def peers(self) -> list[tuple[str, str, str, str, str, float, str, float]]:
        """Peer learning: for each EMB's weakest domains, the EMBs strong there.

        A domain is weak for an EMB when its score is below ``weak_below`` (the "Established"
        tier); of those, its ``PEER_DOMAINS`` lowest are its weakest. An EMB is strong in a
        domain when its score there is at least ``strong_from`` (the top tier). A weakest
        domain gets suggestions only when at least ``min_group`` EMBs are strong in it (the
        portfolio's small-group rule): then every strong EMB is a peer, best first, named by
        its alias (:meth:`aliases`), never its identity.

        Returns (emb, framework, framework title, domain, domain title, the EMB's score, peer
        alias, the peer's score) rows, by EMB then weakest domain first.
        """
        names = self.aliases()
        scores = self._scores()
        strong = {
            key: sorted(
                ((r, s) for r, s in members if s >= self.strong_from),
                key=lambda t: (-t[1], names[t[0].emb]),
            )
            for key, members in scores.items()
        }
        rows = []
        for r in self.records:
            weak = sorted(
                (d for d in r.view.readiness.domains if d.score < self.weak_below),
                key=lambda d: (d.score, d.framework_id, d.domain_id),
            )[:PEER_DOMAINS]
            for d in weak:
                peers = strong.get((d.framework_id, d.domain_id), [])
                if not self.shown(len(peers)):
                    continue
                for peer, score in peers:
                    rows.append(
                        (
                            r.emb,
                            d.framework_id,
                            d.framework_title,
                            d.domain_id,
                            d.title,
                            d.score,
                            names[peer.emb],
                            score,
                        )
                    )
        return rows

    def donor_view(self, emb: str) -> DonorView:
        """The donor view of one EMB (id, or alias when anonymised) carrying "peers strong in
        your weak domains" (:meth:`peers`) by alias: render it as any donor report.

        Raises
        ------
        KeyError
            If ``emb`` is not in the portfolio.
        """
        from cyberready.report.models import DonorPeers

        view = self.record(emb).view
        groups: dict[tuple[str, str], list[str]] = {}
        titles: dict[tuple[str, str], tuple[str, str]] = {}
        for e, fw, fw_title, dom, title, _s, peer, _ps in self.peers():
            if e == emb:
                groups.setdefault((fw, dom), []).append(peer)
                titles[(fw, dom)] = (fw_title, title)
        peers = tuple(
            DonorPeers(framework_title=titles[k][0], domain_title=titles[k][1], peers=tuple(v))
            for k, v in groups.items()
        )
        return view.model_copy(update={"peers": peers})

    def _peers(self) -> pd.DataFrame:
        import pandas as pd

        df = pd.DataFrame(self.peers(), columns=PEER_COLUMNS)
        return floats(df, {"score", "peer_score"})

    # ------------------------------------------------------------------ summaries

    def weak_everywhere(self) -> list[str]:
        """Titles of the domains weak in every EMB (shown only over ``min_group`` EMBs)."""
        d = self._domains()
        return [str(t) for t in d.loc[d["weak_everywhere"].astype(bool), "domain_title"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: run parameters, every per-EMB table and every breakdown."""
        return {
            "schema_version": 1,
            "kind": "portfolio",
            "tlp": "TLP:GREEN",
            "embs": len(self.records),
            "trials": self.trials,
            "seed": self.seed,
            "screen_trials": self.screen_trials,
            "anonymized": self.anonymized,
            "min_group": self.min_group,
            "weak_below": self.weak_below,
            "strong_from": self.strong_from,
            "weak_everywhere": self.weak_everywhere(),
            "tables": {t: json_rows(self.to_frame(t)) for t in TABLES},
        }

    def _repr_html_(self) -> str:
        """Headline, weak domains and tables as HTML (the charts are in the portfolio report,
        :func:`cyberready.report.portfolio_report.render_portfolio`: a result does not load the
        report layer)."""
        n = len(self.records)
        weak = self.weak_everywhere()
        head = (
            f"<p><b>Portfolio of {n} EMB{'s' if n != 1 else ''}</b>"
            f"{' (anonymised)' if self.anonymized else ''}: {self.trials:,} trials per "
            f"scenario, seed {self.seed}. Breakdowns over fewer than {self.min_group} EMBs are "
            "suppressed.</p>"
        )
        weak_html = (
            "<p>Weak in every EMB: " + ", ".join(html.escape(w) for w in weak) + "</p>"
            if weak
            else ""
        )
        embs = self._embs()[["emb", "region", "score", "tier", "confidence", "expected_loss"]]
        domains = self._domains()[
            ["domain_title", "n_embs", "median", "min", "max", "best", "worst", "share_weak"]
        ]
        tiers = self._tiers()
        tiers = tiers[tiers["region"] == "all"][["tier", "embs"]]
        return (
            head
            + weak_html
            + "<h4>EMBs per tier</h4>"
            + html_table(tiers)
            + "<h4>EMBs</h4>"
            + html_table(embs)
            + "<h4>Domains across the portfolio</h4>"
            + html_table(domains)
        )

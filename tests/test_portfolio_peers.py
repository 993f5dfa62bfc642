"""Peer learning in a portfolio: for each EMB's weakest domains, the EMBs strong there, by
alias, only when at least ``min_group`` EMBs are strong (the small-group rule).

The portfolio is generated from one assessed workspace: seven EMBs whose domain scores are set
by hand, so the expected (EMB, weak domain, peer) triples are known before the code runs.
"""

from __future__ import annotations

import pytest
from report_workspace import write_workspace

import cyberready
from cyberready.portfolio import Portfolio
from cyberready.portfolio._record import EmbRecord
from cyberready.report.models import DonorView
from cyberready.report.portfolio_report import render_portfolio

# EMB -> (NET score, DATA score). Weak: below 60; strong: 80 or more.
SCORES = {
    "emb-a": (20.0, 85.0),
    "emb-b": (50.0, 81.0),
    "emb-c": (85.0, 10.0),
    "emb-d": (90.0, 55.0),
    "emb-e": (80.0, 59.9),
    "emb-f": (70.0, 95.0),
    "emb-g": (30.0, 90.0),
}
# strong in NET: d (90), c (85), e (80): three, so a, b and g get them, best first;
# strong in DATA: f (95), g (90), a (85), b (81): four, so c, d and e get them.
WEAK_NET, STRONG_NET = ("emb-a", "emb-b", "emb-g"), ("emb-d", "emb-c", "emb-e")
WEAK_DATA, STRONG_DATA = ("emb-c", "emb-d", "emb-e"), ("emb-f", "emb-g", "emb-a", "emb-b")
EXPECTED = {(e, "NET", q) for e in WEAK_NET for q in STRONG_NET} | {
    (e, "DATA", q) for e in WEAK_DATA for q in STRONG_DATA
}


@pytest.fixture(scope="module")
def donor(tmp_path_factory: pytest.TempPathFactory) -> DonorView:
    root = write_workspace(tmp_path_factory.mktemp("peers") / "ws")
    view = cyberready.report.build_view(cyberready.assess(root, trials=50, seed=1), "donor")
    assert isinstance(view, DonorView)
    return view


def _portfolio(donor: DonorView, scores: dict[str, tuple[float, float]]) -> Portfolio:
    records = []
    for emb, (net, data) in scores.items():
        by_domain = {"NET": net, "DATA": data}
        domains = tuple(
            d.model_copy(update={"score": by_domain[d.domain_id], "low": 0.0, "high": 100.0})
            for d in donor.readiness.domains
            if d.domain_id in by_domain
        )
        view = donor.model_copy(
            update={
                "meta": donor.meta.model_copy(update={"emb_id": emb, "emb_name": emb.upper()}),
                "readiness": donor.readiness.model_copy(update={"domains": domains}),
            }
        )
        records.append(
            EmbRecord(view=view, region=None, functions=(), expected_loss=0, trust_loss=0, assets=1)
        )
    return Portfolio(records=tuple(records), trials=50, seed=7)


def _triples(p: Portfolio, names: dict[str, str]) -> set[tuple[str, str, str]]:
    """The peers table as (EMB id, domain, peer id), peers' aliases mapped back to ids."""
    ids = {alias: emb for emb, alias in names.items()}
    df = p.to_frame("peers")
    rows = zip(df.emb, df.domain, df.peer, strict=True)
    return {(ids.get(e, e), d, ids[peer]) for e, d, peer in rows}


def test_peers_are_the_strong_embs_of_each_weak_domain(donor: DonorView) -> None:
    p = _portfolio(donor, SCORES)
    names = p.aliases()
    assert sorted(names.values()) == [f"EMB-0{k}" for k in range(1, 8)]
    assert _triples(p, names) == EXPECTED
    df = p.to_frame("peers")
    # peers are aliases, never ids; the best peer first in each (EMB, domain)
    assert set(df.peer) <= set(names.values()) and not set(df.peer) & set(SCORES)
    first = df.groupby(["emb", "domain"], sort=False).peer.first()
    assert first[("emb-a", "NET")] == names["emb-d"]
    assert first[("emb-c", "DATA")] == names["emb-f"]
    assert list(df.columns) == [
        "emb", "framework", "framework_title", "domain", "domain_title", "score", "peer",
        "peer_score",
    ]  # fmt: skip


def test_the_anonymised_portfolio_names_the_same_pairs_by_alias(donor: DonorView) -> None:
    p = _portfolio(donor, SCORES)
    names = p.aliases()
    anon = p.anonymize()
    assert anon.aliases() == {a: a for a in names.values()}
    aliased = {(names[e], d, names[q]) for e, d, q in EXPECTED}
    df = anon.to_frame("peers")
    assert set(zip(df.emb, df.domain, df.peer, strict=True)) == aliased


def test_no_suggestion_with_fewer_than_min_group_strong_embs(donor: DonorView) -> None:
    # e drops just below 80 in NET: two strong EMBs are left, too few to suggest
    p = _portfolio(donor, {**SCORES, "emb-e": (79.9, 59.9)})
    triples = _triples(p, p.aliases())
    assert not {t for t in triples if t[1] == "NET"}
    assert {t for t in triples if t[1] == "DATA"} == {t for t in EXPECTED if t[1] == "DATA"}
    # ...and with min_group 2 they are shown again
    two = Portfolio(records=p.records, trials=50, seed=7, min_group=2)
    assert {t for t in _triples(two, two.aliases()) if t[1] == "NET"} == {
        (e, "NET", q) for e in WEAK_NET for q in ("emb-d", "emb-c")
    }


def test_the_portfolio_report_has_a_peer_learning_section(donor: DonorView) -> None:
    anon = _portfolio(donor, SCORES).anonymize()
    html = render_portfolio(anon, "html", check=False).decode()
    section = html[html.index('<section id="peers">') :]
    section = section[: section.index("</section>")]
    assert "Peer learning" in section
    row = anon.to_frame("peers").iloc[0]
    assert row.emb in section and row.peer in section
    assert not any(emb in section for emb in SCORES)
    assert "peers" in anon.to_dict()["tables"]


def test_a_donor_report_in_the_portfolio_lists_its_peers_by_alias(donor: DonorView) -> None:
    from cyberready.report import render

    p = _portfolio(donor, SCORES)
    names = p.aliases()
    view = p.donor_view("emb-a")
    assert [(g.domain_title, g.peers) for g in view.peers] == [
        ("Network defence", tuple(names[q] for q in STRONG_NET))
    ]
    md = render(view, "md").decode()
    assert "Peers strong in your weak domains" in md
    assert all(names[q] in md for q in STRONG_NET)
    assert not any(q in md for q in STRONG_NET)  # never a peer's identity
    # a single EMB's donor report has no such section
    assert not donor.peers
    assert "Peers strong" not in render(donor, "md").decode()

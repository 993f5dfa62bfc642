"""``generate:`` (docs/system-model.md): replicas from a CSV inside the workspace, kept columnar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cyberready import InputError, load_workspace, validate_paths
from cyberready.io import read_csv_columns
from cyberready.models import Selector

REGIONS = ("north", "south", "east", "west")

EMB = """\
schema_version: 1
kind: emb
id: natl
name: National Electoral Commission
frameworks: [usaid-ecbs]
"""

SYSTEM = """\
schema_version: 1
kind: system
emb: natl
assets:
  - {id: tally-national, type: tally_server, exposure: internal, tags: [hq]}
  - {id: update-server, type: election_management_system, exposure: internal, tags: [hq]}
  - {id: tally-north, type: tally_server, tags: [regional]}
  - {id: tally-south, type: tally_server, tags: [regional]}
  - {id: tally-east, type: tally_server, tags: [regional]}
  - {id: tally-west, type: tally_server, tags: [regional]}
generate:
  - csv: stations.csv
    asset: {id: "kit-{station}", type: results_transmission, label: "Results kit {station}",
            exposure: internet, data: [results], tags: ["region-{region}", field]}
    links:
      - {to: "tally-{region}", kind: connects_to}
      - {from: update-server, kind: supplies}
  - csv: stations.csv
    asset: {id: "acct-{station}", type: admin_account, tags: ["region-{region}"]}
    links:
      - {to: "kit-{station}", kind: administers}
links:
  - {from: tally-north, to: tally-national, kind: connects_to}
  - {from: tally-national, to: kit-s00007, kind: administers}
functions:
  - id: transmit_results
    title: Transmit provisional results
    phase: tabulation_transmission
    max_tolerable_outage_hours: 12
    requires:
      - at_least: 0.95
        of: {types: [results_transmission]}
      - all: [tally-national]
"""


def station_rows(n: int) -> list[tuple[str, str]]:
    """Station ``s00000``… with regions in rotation (north, south, east, west, north, …)."""
    return [(f"s{i:05d}", REGIONS[i % 4]) for i in range(n)]


def write_workspace(
    root: Path,
    n: int = 40,
    *,
    system: str = SYSTEM,
    csv_text: str | None = None,
    assessment: str | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "emb.yaml").write_text(EMB)
    (root / "system.yaml").write_text(system)
    if csv_text is None:
        csv_text = "station,region\n" + "".join(f"{s},{r}\n" for s, r in station_rows(n))
    (root / "stations.csv").write_text(csv_text)
    if assessment is not None:
        (root / "assessment.yaml").write_text(assessment)
    return root


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in validate_paths([path])]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- the happy path


def test_ten_thousand_station_workspace_loads_columnar(tmp_path: Path) -> None:
    n = 10_000
    ws = load_workspace(write_workspace(tmp_path / "natl", n))
    r = ws.resolved
    assert r.n_assets == 6 + 2 * n
    assert r.explicit == 6
    # explicit first, then each generate entry's rows in order
    assert r.ids[6] == "kit-s00000" and r.ids[6 + n] == "acct-s00000"
    kit = r.position("kit-s00123")
    assert r.type_of(kit) == "results_transmission"
    assert r.exposure_of(kit) == "internet"
    assert r.labels[kit] == "Results kit s00123"
    assert r.data_of(kit) == ["results"]
    assert r.tags_of(kit) == ["field", "region-west"]
    assert r.origin_of(kit) == "natl/stations.csv:125"
    assert r.origin_of(0) == "system.yaml"
    # links: 2 explicit, then kit->tally, update->kit, acct->kit per station
    assert r.n_links == 2 + 3 * n
    kinds = [r.kind_of(e) for e in range(r.n_links)]
    out_of_kit = [(r.ids[int(r.link_dst[e])], kinds[e]) for e in np.flatnonzero(r.link_src == kit)]
    assert out_of_kit == [("tally-west", "connects_to")]
    into_kit = sorted(
        (r.ids[int(r.link_src[e])], kinds[e]) for e in np.flatnonzero(r.link_dst == kit)
    )
    assert into_kit == [("acct-s00123", "administers"), ("update-server", "supplies")]
    # an explicit link may point into a replica
    e = int(np.flatnonzero(r.link_src == r.position("tally-national"))[0])
    assert r.ids[int(r.link_dst[e])] == "kit-s00007"
    # tags are index arrays: a quarter of the stations, twice (kits and accounts)
    assert len(r.tags["region-north"]) == 2 * n // 4
    assert len(r.tags["field"]) == n
    assert r.mask(Selector(types=("results_transmission",))).sum() == n


def test_validate_cli_accepts_a_generated_workspace(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cyberready.cli import main

    path = write_workspace(tmp_path / "natl", 500)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


# --------------------------------------------------------------------------- overrides


ASSESSMENT = """\
schema_version: 1
kind: assessment
emb: natl
frameworks: [usaid-ecbs]
as_of: 2026-11-01
answers:
  ECBS-RM-03: {level: 2, source: document}
  ECBS-VR-03: {level: 3, source: document}
overrides:
  - {select: {tags: [region-north], types: [results_transmission]}, control: ECBS-RM-03, level: 4}
  - {select: {ids: [kit-s00001, kit-s00004]}, control: ECBS-RM-03, level: 0}
  - {select: {types: [admin_account]}, control: ECBS-VR-03, level: 1}
  - {select: "tag:region-east", control: ECBS-VR-03, level: 2}
"""


def test_selector_overrides_reach_the_right_replicas(tmp_path: Path) -> None:
    n = 10_000
    ws = load_workspace(write_workspace(tmp_path / "natl", n, assessment=ASSESSMENT))
    assert ws.assessment is not None
    r = ws.resolved
    rows = station_rows(n)
    masks = [r.mask(ov.select) for ov in ws.assessment.overrides]
    north_kits = {r.position(f"kit-{s}") for s, reg in rows if reg == "north"}
    assert set(np.flatnonzero(masks[0]).tolist()) == north_kits
    assert set(np.flatnonzero(masks[1]).tolist()) == {
        r.position("kit-s00001"),
        r.position("kit-s00004"),
    }
    assert set(np.flatnonzero(masks[2]).tolist()) == {r.position(f"acct-{s}") for s, _ in rows}
    # tags are shared by both generate entries: east kits and east accounts
    east = {r.position(f"{p}-{s}") for s, reg in rows if reg == "east" for p in ("kit", "acct")}
    assert set(np.flatnonzero(masks[3]).tolist()) == east

    posture = pytest.importorskip("cyberready.posture")
    levels = posture.asset_levels(ws)
    rm03 = levels.level("ECBS-RM-03")  # applies to results_transmission (kits), not accounts
    kits = np.array([r.position(f"kit-{s}") for s, _ in rows])
    expected = np.array([4 if reg == "north" else 2 for _, reg in rows])
    assert rows[1][1] == "south" and rows[4][1] == "north"
    expected[[1, 4]] = 0  # ids beat the answer (s00001) and the tag override (s00004)
    assert (rm03[kits] == expected).all()
    accts = np.array([r.position(f"acct-{s}") for s, _ in rows])
    assert (rm03[accts] == -1).all()
    vr03 = levels.level("ECBS-VR-03")  # applies to admin_account, not to kits
    # tag:region-east (tags) beats types: [admin_account] on east accounts
    assert (vr03[accts] == np.array([2 if reg == "east" else 1 for _, reg in rows])).all()
    assert (vr03[kits] == -1).all()


# --------------------------------------------------------------------------- problems


def test_bad_rows_are_reported_with_their_csv_line(tmp_path: Path) -> None:
    csv_text = (
        "station,region\n"
        "s00000,north\n"
        "S 1,north\n"  # line 3: the generated id 'kit-S 1' is not a valid id
        "s00002,middle\n"  # line 4: no asset 'tally-middle'
        "\n"
        "s00003,east,extra\n"  # line 6: too many fields
    )
    path = write_workspace(tmp_path / "natl", csv_text=csv_text)
    found = problems_of(path)
    # the broken row does not hide the bad values of the others (one run for both) ...
    assert found[0].startswith("natl/stations.csv:3: generate[0].asset.id: generated id 'kit-S 1'")
    assert found[-1] == (
        "natl/stations.csv:6: row does not have the header's 2 fields "
        "(quote values that contain commas)"
    )
    # ... but link ends are checked only with every row read (its ids might be the missing ones)
    assert not any("tally-middle" in p for p in found), found
    (path / "stations.csv").write_text(csv_text.replace("s00003,east,extra\n", ""))
    found = problems_of(path)
    assert any(
        p.startswith("natl/stations.csv:3: generate[0].asset.id: generated id 'kit-S 1'")
        for p in found
    ), found
    assert any(
        p.startswith("natl/stations.csv:4: generate[0].links[0].to: link end 'tally-middle'")
        for p in found
    ), found
    assert all("stations.csv:2:" not in p for p in found)


def test_bad_vocabulary_from_a_column_names_the_row(tmp_path: Path) -> None:
    system = SYSTEM.replace("type: results_transmission, label", 'type: "{kind}", label').replace(
        "exposure: internet, data: [results]", 'exposure: internet, data: ["{data}"]'
    )
    csv_text = (
        "station,region,kind,data\n"
        "s00000,north,results_transmission,results\n"
        "s00001,south,results_transmision,\n"  # typo on line 3
        "s00002,east,results_transmission,secrets\n"  # bad data class on line 4
    )
    found = problems_of(write_workspace(tmp_path / "natl", system=system, csv_text=csv_text))
    found = [p for p in found if "stations.csv" in p]  # (the explicit link to kit-s00007 dangles)
    assert any(
        p.startswith("natl/stations.csv:3: generate[0].asset.type: 'results_transmision' is not")
        for p in found
    ), found
    assert any(
        p.startswith("natl/stations.csv:4: generate[0].asset.data[0]: 'secrets' is not a data")
        for p in found
    ), found
    assert len(found) == 2


def test_duplicate_replica_id_names_both_rows(tmp_path: Path) -> None:
    csv_text = "station,region\ns1,north\ns2,south\ns1,east\n"
    found = problems_of(write_workspace(tmp_path / "natl", csv_text=csv_text))
    dups = [p for p in found if "duplicate asset id 'kit-s1'" in p]
    assert dups == [
        "natl/stations.csv:4: generate[0].asset.id: duplicate asset id 'kit-s1' "
        "(already defined at natl/stations.csv:2)"
    ]


def test_unknown_column_is_reported_at_the_template(tmp_path: Path) -> None:
    system = SYSTEM.replace('"kit-{station}", type', '"kit-{staton}", type')
    found = problems_of(write_workspace(tmp_path / "natl", system=system))
    line = line_of(system, "kit-{staton}")
    assert any(
        p.startswith(f"natl/system.yaml:{line}: generate[0].asset.id: column 'staton' is not in")
        and "did you mean 'station'?" in p
        for p in found
    ), found


def test_csv_path_leaving_the_workspace_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "outside.csv").write_text("station,region\ns1,north\n")
    system = SYSTEM.replace("csv: stations.csv", "csv: ../outside.csv", 1)
    path = write_workspace(tmp_path / "natl", system=system)
    found = problems_of(path)
    line = line_of(system, "../outside.csv")
    assert any(
        p.startswith(f"natl/system.yaml:{line}: generate[0].csv: CSV path '../outside.csv' leaves")
        for p in found
    ), found
    with pytest.raises(InputError):
        load_workspace(path)


def test_explicit_link_into_a_missing_replica_is_dangling(tmp_path: Path) -> None:
    found = problems_of(write_workspace(tmp_path / "natl", 5))  # no kit-s00007 among 5 rows
    line = line_of(SYSTEM, "to: kit-s00007")
    assert found == [
        f"natl/system.yaml:{line}: links[1].to: link to unknown asset 'kit-s00007' "
        "(did you mean 'kit-s00004' or 'kit-s00003' or 'kit-s00002'?)"
    ]


def test_many_bad_rows_are_summarised(tmp_path: Path) -> None:
    csv_text = "station,region\n" + "".join(f"s{i},nowhere\n" for i in range(100))
    found = problems_of(write_workspace(tmp_path / "natl", csv_text=csv_text))
    link_problems = [p for p in found if "tally-nowhere" in p]
    assert len(link_problems) == 20
    assert any("… and 80 more rows" in p for p in found)


def test_read_csv_columns_keeps_lines_across_quoted_newlines(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text('station,label\ns1,"two\nlines"\ns2, plain \n')
    table, problems = read_csv_columns(p)
    assert problems == []
    assert table is not None
    assert table.columns == {"station": ["s1", "s2"], "label": ["two\nlines", "plain"]}
    assert table.lines.tolist() == [2, 4]


def test_csv_header_problems(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("station,,station\ns1,a,b\n")
    _, problems = read_csv_columns(p, display="s.csv")
    assert [str(x) for x in problems] == [
        "s.csv:1: column 2: empty column name (every column needs a name in the header row)",
        "s.csv:1: station: duplicate column 'station'",
    ]

"""Issue 17, items 2 and 3: redaction finds ordinary spelling variants of a sensitive term, and
never treats vocabulary (evidence sources, provenance, phase and domain names) as sensitive."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cyberready.cli import main
from cyberready.report.redaction import Redactor, Term, normalise

FAST = ["--trials", "20", "--screen-trials", "10", "--seed", "3"]
REPLICA = "Standby replica of the voter register"
DEPOT = "Dépôt régional"

VARIANTS = {
    "vr_db": ("vr-db", "Keep vr_db up"),
    "VR DB": ("vr-db", "Keep VR DB up"),
    "non-breaking hyphen": ("vr-db", "Keep vr\u2011db up"),
    "no-break space": (REPLICA, "Sync " + REPLICA.replace(" ", "\u00a0", 1)),
    "line break": (REPLICA, "Sync " + REPLICA.replace(" the", "\nthe")),
    "Cyrillic look-alike": (REPLICA, "Sync \u0405" + REPLICA[1:]),
    "inside a longer id": ("SMS-GW", "Copy SMS-GW_backup nightly"),
    "NFD for NFC": (DEPOT, "Guard the " + unicodedata.normalize("NFD", DEPOT)),
    "ß for SS": ("Netz Hauptstraße", "Keep NETZ HAUPTSTRASSE up"),
}  # fmt: skip
"""name -> (the sensitive term, an EMB-written function title holding a variant of it)."""


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_variant_is_found_and_withheld(name: str) -> None:
    term, text = VARIANTS[name]
    red = Redactor([Term(term, "asset label", "system.yaml")])
    assert red.find(text) is not None, name
    scrubbed = red.scrub(text)
    assert "[withheld]" in scrubbed
    assert red.find(scrubbed) is None


def test_ordinary_words_match_whole_tokens_only_and_ids_inside_tokens() -> None:
    red = Redactor([Term("email", "asset id", "s"), Term("ems", "asset id", "s")])
    assert red.find("the EMAIL server") and red.find("ems down")
    assert not red.find("emailing voters") and not red.find("election systems")
    ids = Redactor([Term("db01", "asset id", "s")])
    assert ids.find("replica db01b") and ids.find("DB01-backup")
    assert normalise("A\u00adB\u200bC") == "abc"  # invisible characters dropped


def test_vocabulary_is_never_sensitive() -> None:
    red = Redactor(
        [Term("Interview", "evidence", "a"), Term("derived", "note", "a"), Term("x1-y", "id", "s")],
        vocabulary=["Interview", "derived from the source's intent", "Voter registration"],
    )
    assert [t.text for t in red.terms.values()] == ["x1-y"]


@pytest.fixture(scope="module")
def variant_reports(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Path:
    """The example with asset labels to hide and EMB-written function titles holding variants
    of them, and its donor report in every format."""
    root = tmp_path_factory.mktemp("variants")
    ws = Path(shutil.copytree(example_dir, root / "examplia"))
    system = yaml.safe_load((ws / "system.yaml").read_text(encoding="utf-8"))
    labels = {
        "net-mobile-sms": "SMS-GW",
        "dc-backup": "Dépôt régional",
        "power-grid": "Netz Hauptstraße",
    }
    for asset in system["assets"]:
        asset["label"] = labels.get(asset["id"], asset.get("label"))
    titles = [text for _term, text in VARIANTS.values()]
    assert len(system["functions"]) >= len(titles)
    for fn, title in zip(system["functions"], titles, strict=False):
        fn["title"] = title
    (ws / "system.yaml").write_text(yaml.safe_dump(system, allow_unicode=True), encoding="utf-8")
    out = root / "out"
    run = CliRunner().invoke(
        main,
        ["report", str(ws), "--audience", "donor", "--format", "all", "--out", str(out), *FAST],
    )
    assert run.exit_code == 0, run.output
    return out


def _texts(out: Path) -> dict[str, str]:
    texts = {
        "html": (out / "examplia-iec-donor.html").read_text(encoding="utf-8"),
        "md": (out / "examplia-iec-donor.md").read_text(encoding="utf-8"),
        "json": json.dumps(
            json.loads((out / "examplia-iec-donor.json").read_text(encoding="utf-8")),
            ensure_ascii=False,
        ),
    }
    with zipfile.ZipFile(out / "examplia-iec-donor.xlsx") as z:
        texts["xlsx"] = "\n".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")
        )
    if shutil.which("pdftotext"):
        pdf = out / "examplia-iec-donor.pdf"
        texts["pdf"] = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
    return texts


def test_no_variant_reaches_any_donor_format(variant_reports: Path) -> None:
    texts = _texts(variant_reports)
    variants = ["vr_db", "VR DB", "vr\u2011db", "Standby\u00a0replica", "\u0405tandby",
                "SMS-GW", "HAUPTSTRASSE", "Hauptstraße", unicodedata.normalize("NFD", "Dépôt"),
                "Dépôt", "replica of\nthe"]  # fmt: skip
    for fmt, text in texts.items():
        flat = text.replace("\\n", "\n")
        leaked = [v for v in variants if v in flat or v.casefold() in flat.casefold()]
        assert not leaked, (fmt, leaked)
    donor = json.loads(texts["json"])
    titles = {f["title"] for f in donor["functions"]}
    assert titles and all("[withheld]" in t for t in titles), titles


@pytest.fixture(scope="module")
def vocabulary_ws(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> Path:
    """The example with an evidence text `Interview`, a note `derived` and an asset labelled
    `Voter registration`."""
    ws = Path(shutil.copytree(example_dir, tmp_path_factory.mktemp("vocab") / "examplia"))
    assessment = yaml.safe_load((ws / "assessment.yaml").read_text(encoding="utf-8"))
    answers = list(assessment["answers"].values())
    answers[0]["evidence"] = "Interview"
    answers[1]["notes"] = "derived"
    (ws / "assessment.yaml").write_text(yaml.safe_dump(assessment), encoding="utf-8")
    system = yaml.safe_load((ws / "system.yaml").read_text(encoding="utf-8"))
    for asset in system["assets"]:
        if asset["id"] == "reg-portal":
            asset["label"] = "Voter registration"
    (ws / "system.yaml").write_text(yaml.safe_dump(system, allow_unicode=True), encoding="utf-8")
    return ws


def test_vocabulary_in_free_text_neither_blocks_nor_withholds_the_donor_report(
    vocabulary_ws: Path, tmp_path: Path
) -> None:
    out = tmp_path / "donor"
    run = CliRunner().invoke(
        main,
        ["report", str(vocabulary_ws), "--audience", "donor", "--format", "json,md", "--out",
         str(out), *FAST],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    donor = json.loads((out / "examplia-iec-donor.json").read_text(encoding="utf-8"))
    domain_titles = [d["title"] for d in donor["readiness"]["domains"]]
    assert domain_titles and not any("[withheld]" in t for t in domain_titles)
    assert any("voter registration" in t.casefold() for t in domain_titles)
    assert "Interview" in (out / "examplia-iec-donor.md").read_text(encoding="utf-8")


def test_vocabulary_in_free_text_does_not_block_the_portfolio(
    vocabulary_ws: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "portfolio"
    shutil.copytree(vocabulary_ws, folder / "examplia")
    out = tmp_path / "summary.json"
    run = CliRunner().invoke(
        main,
        ["portfolio", str(folder), "--out", str(out), "--executor", "serial", *FAST],
    )
    assert run.exit_code == 0, run.output
    assert "[withheld]" not in out.read_text(encoding="utf-8")

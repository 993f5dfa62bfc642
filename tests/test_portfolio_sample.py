"""The sample portfolio generator: reproducible, valid workspaces, the promised size mix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cyberready
from cyberready.cli import main
from cyberready.errors import InputError
from cyberready.io import write_files
from cyberready.portfolio.sample import emb_specs, render_workspace, sample_portfolio
from cyberready.workspace import shipped_library


@pytest.fixture(scope="module")
def small_sample() -> dict[str, str]:
    return sample_portfolio(4, seed=11, library=shipped_library())


def test_same_seed_same_bytes_and_another_seed_differs(small_sample: dict[str, str]) -> None:
    assert sample_portfolio(4, seed=11, library=shipped_library()) == small_sample
    other = sample_portfolio(4, seed=12, library=shipped_library())
    assert other != small_sample
    assert {p.split("/")[0] for p in other} != {p.split("/")[0] for p in small_sample}


def test_a_smaller_sample_is_the_start_of_a_larger_one(small_sample: dict[str, str]) -> None:
    smaller = sample_portfolio(2, seed=11, library=shipped_library())
    assert {k: v for k, v in smaller.items() if k != "README.md"}.items() <= small_sample.items()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-EMB sample written by the CLI."""
    out = tmp_path_factory.mktemp("sample") / "portfolio"
    made = CliRunner().invoke(
        main, ["examples", "portfolio", "--n", "2", "--seed", "11", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert "wrote 2 EMB workspaces" in made.output
    return out


def test_every_generated_workspace_validates_through_the_cli(written: Path) -> None:
    folders = sorted(p for p in written.iterdir() if p.is_dir())
    assert len(folders) == 2
    checked = CliRunner().invoke(main, ["validate", *map(str, folders)])
    assert checked.exit_code == 0, checked.output
    # and the files on disk are exactly the generated ones
    expected = sample_portfolio(2, seed=11, library=shipped_library())
    on_disk = {
        p.relative_to(written).as_posix(): p.read_text(encoding="utf-8")
        for p in written.rglob("*")
        if p.is_file()
    }
    assert on_disk == expected


def test_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    runner = CliRunner()
    args = ["examples", "portfolio", "--n", "1", "--seed", "3", "--out", str(out)]
    refused = runner.invoke(main, args)
    assert refused.exit_code == 3
    assert "not empty" in refused.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    forced = runner.invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "notes.txt").read_text() == "mine"
    assert any((p / "emb.yaml").is_file() for p in out.iterdir())


def test_write_files_never_leaves_the_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        write_files(tmp_path / "out", {"ok.txt": "x", "../escape.txt": "y", "/abs.txt": "z"})
    assert {p.file for p in err.value.problems} == {"../escape.txt", "/abs.txt"}
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "out" / "ok.txt").exists()  # nothing written when anything is wrong


def test_workspaces_vary_in_posture_history_and_size(small_sample: dict[str, str]) -> None:
    specs = emb_specs(40, seed=11)
    assert len({s.id for s in specs}) == 40
    assert len({s.region for s in specs}) >= 4
    assert {s.history for s in specs} == {0, 1, 2, 3}
    postures = sorted(s.posture for s in specs)
    assert postures[-1] - postures[0] > 1.5
    assert any(s.regression for s in specs)


def test_size_schedule_most_hundreds_a_few_ten_thousands_one_national(tmp_path: Path) -> None:
    specs = emb_specs(40, seed=11)
    classes = [s.size_class for s in specs]
    assert [i + 1 for i, c in enumerate(classes) if c == "large"] == [12, 28]
    assert [i + 1 for i, c in enumerate(classes) if c == "national"] == [38]
    # standard EMBs list 10^2-10^3 assets explicitly, one line each
    for spec in specs[:8]:
        system = render_workspace(spec, shipped_library(), seed=11)["system.yaml"]
        assert "generate:" not in system
        n = sum(line.startswith("  - {id: ") for line in system.split("links:")[0].splitlines())
        assert 100 <= n <= 1_000, (spec.id, n)
    # the big ones are generated from a stations CSV and load as 10^4 and 10^5 nodes
    for spec, lo, hi in ((specs[11], 10_000, 30_000), (specs[37], 90_000, 110_000)):
        files = render_workspace(spec, shipped_library(), seed=11)
        assert "generate:" in files["system.yaml"] and "stations.csv" in files
        write_files(tmp_path / spec.id, files)
        n = cyberready.load_workspace(tmp_path / spec.id).resolved.n_assets
        assert lo <= n <= hi, (spec.id, n)


def test_history_is_dated_before_the_current_assessment(written: Path) -> None:
    specs = emb_specs(2, seed=11)
    spec = max(specs, key=lambda s: s.history)
    assert spec.history >= 1
    ws = cyberready.load_workspace(written / spec.id)
    assert ws.assessment is not None
    assert len(ws.history) == spec.history
    dates = [h.as_of for h in ws.history]
    assert dates == sorted(dates) and dates[-1] < ws.assessment.as_of


@pytest.mark.parametrize(
    ("seed", "files", "digest"),
    [
        (2026, 66, "bfcfdd95b1a6bac64e7225c1925afbe2f06700a9fd8323914b9a992499e92922"),
        (7, 67, "c111ed983e2f4eab50573c61528dcdb1b4081061ad7c82979d81f089d15c2336"),
    ],
)
def test_sample_bytes_are_pinned(seed: int, files: int, digest: str) -> None:
    """Twelve EMBs (the twelfth lists its stations in a generate: CSV) hash to the bytes the
    generator wrote when its system model was still Python code: moving the template into
    ``sample_system.yaml`` changed nothing. A deliberate change of the generator, the template
    or the shipped frameworks updates these digests."""
    import hashlib

    sample = sample_portfolio(12, seed=seed, library=shipped_library())
    h = hashlib.sha256()
    for path in sorted(sample):
        h.update(path.encode() + b"\0" + sample[path].encode() + b"\0")
    assert (len(sample), h.hexdigest()) == (files, digest)


def test_the_system_template_is_package_data() -> None:
    """The template sits inside the package folder, so the wheel ships it."""
    import cyberready.portfolio

    assert (Path(cyberready.portfolio.__file__).parent / "sample_system.yaml").is_file()

"""``cyberready init DIR``: a new workspace that validates at once, from flags, prompts or
defaults; hostile values stay values; a folder in use and bad options write nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cyberready
from cyberready.cli import _cmd_init, main
from cyberready.workspace import ARCHETYPES

ARCHETYPE_IDS = list(ARCHETYPES)


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One workspace per archetype, written by ``init`` with flags only (shared: read-only)."""
    root = tmp_path_factory.mktemp("init")
    made = {}
    for archetype in ARCHETYPE_IDS:
        folder = root / archetype
        code, out = _run(
            "init",
            str(folder),
            "--name",
            f"Electoral Commission ({archetype})",
            "--country",
            "KE",
            "--election-date",
            "2027-10-17",
            "--archetype",
            archetype,
        )
        assert code == 0, out
        made[archetype] = folder
    return made


@pytest.mark.parametrize("archetype", ARCHETYPE_IDS)
def test_each_archetype_validates_strictly(workspaces: dict[str, Path], archetype: str) -> None:
    code, out = _run("validate", "--strict", str(workspaces[archetype]))
    assert code == 0, out
    assert "valid:" in out and "warning" not in out
    assert "0 of 59 EMB controls answered" in out


def test_the_archetypes_differ_in_what_they_model(workspaces: dict[str, Path]) -> None:
    def types(archetype: str) -> set[str]:
        ws = cyberready.load_workspace(workspaces[archetype])
        return {a.type for a in ws.system.assets}

    assert "vote_capture_device" in types("evm")
    assert "vote_capture_device" not in types("paper-ert") | types("biometric-register")
    assert "registration_portal" in types("biometric-register")
    assert "results_transmission" in types("paper-ert")
    for archetype in ARCHETYPE_IDS:
        assert 10 <= len(cyberready.load_workspace(workspaces[archetype]).system.assets) <= 30


def test_flag_values_are_loaded_back(workspaces: dict[str, Path]) -> None:
    ws = cyberready.load_workspace(workspaces["evm"])
    assert ws.emb.name == "Electoral Commission (evm)"
    assert ws.emb.id == "electoral-commission-evm"
    assert ws.emb.country == "KE"
    assert ws.emb.election is not None and ws.emb.election.date == dt.date(2027, 10, 17)
    assert ws.emb.frameworks == ("usaid-ecbs", "ifes-tech-guidelines")
    assert ws.emb.phases["voting"].start == dt.date(2027, 10, 17)
    assert ws.assessment is not None and ws.assessment.answers == {}
    assert ws.system.emb == ws.assessment.emb == ws.emb.id
    text = (workspaces["evm"] / "system.yaml").read_text(encoding="utf-8")
    assert "# " in text and "replace" in text  # it says what to fill in next


def test_a_new_workspace_assesses(workspaces: dict[str, Path]) -> None:
    code, out = _run("assess", str(workspaces["paper-ert"]))
    assert code == 0, out
    assert "unassessed" in out.lower()


def test_it_prints_what_it_wrote_and_what_to_run_next(tmp_path: Path) -> None:
    code, out = _run("init", str(tmp_path / "new"), "--no-input")
    assert code == 0, out
    for expected in ("emb.yaml", "system.yaml", "assessment.yaml", "cyberready validate"):
        assert expected in out
    assert "a year from today" in out  # the assumed polling day is said, not hidden
    ws = cyberready.load_workspace(tmp_path / "new")
    assert ws.emb.id == "my-emb"
    assert {a.type for a in ws.system.assets} >= {"results_form", "results_transmission"}


def test_a_hostile_name_stays_one_value(tmp_path: Path) -> None:
    name = "Commission \"X\": the\nkind: system # not a comment\x85 'end'"
    code, out = _run("init", str(tmp_path / "h"), "--name", name, "--country", "a: b\n- c")
    assert code == 0, out
    ws = cyberready.load_workspace(tmp_path / "h")
    assert ws.emb.name == name.strip()
    assert ws.emb.country == "a: b\n- c"
    raw = yaml.safe_load((tmp_path / "h" / "emb.yaml").read_text(encoding="utf-8"))
    assert raw["kind"] == "emb" and raw["name"] == name.strip()
    assert ws.emb.id == "commission-x-the-kind-system-not-a-comment-end"


def test_prompts_ask_for_what_the_flags_do_not_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cmd_init, "stdin_is_terminal", lambda: True)
    answers = "\n".join(
        [
            "National Election Board",
            "TV",
            "2027-02-30",  # not a day of the calendar: asked again
            "2027-11-07",
            "usaid-ecb",  # a typo: asked again, with a did-you-mean
            "usaid-ecbs",
            "biometric-register",
        ]
    )
    code, out = _run("init", str(tmp_path / "p"), input=answers + "\n")
    assert code == 0, out
    assert "not a date of the calendar" in out
    assert "did you mean 'usaid-ecbs'" in out
    ws = cyberready.load_workspace(tmp_path / "p")
    assert (ws.emb.name, ws.emb.id, ws.emb.country) == (
        "National Election Board",
        "national-election-board",
        "TV",
    )
    assert ws.emb.election is not None and ws.emb.election.date == dt.date(2027, 11, 7)
    assert ws.emb.frameworks == ("usaid-ecbs",)
    assert "biometric_kit" in {a.type for a in ws.system.assets}

    # only what no flag gives is asked; Enter keeps each default
    code, out = _run(
        "init", str(tmp_path / "q"), "--name", "Given", "--archetype", "evm", input="\n\n\n"
    )
    assert code == 0, out
    assert "Name of the EMB" not in out and "Starter system" not in out
    assert "Country" in out and "Polling day" in out and "Frameworks" in out
    ws = cyberready.load_workspace(tmp_path / "q")
    assert ws.emb.frameworks == ("usaid-ecbs", "ifes-tech-guidelines")

    # --no-input: no prompt even on a terminal
    code, out = _run("init", str(tmp_path / "r"), "--no-input")
    assert code == 0 and "Country" not in out


def test_without_a_terminal_it_takes_defaults_and_does_not_wait(tmp_path: Path) -> None:
    # stdin is an open pipe that never says anything: a prompt would wait for ever
    proc = subprocess.Popen(
        [sys.executable, "-m", "cyberready", "init", str(tmp_path / "ci"), "--archetype", "evm"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        code = proc.wait(timeout=120)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.kill()
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    assert code == 0, out
    assert (tmp_path / "ci" / "emb.yaml").is_file()


def test_a_folder_in_use_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out = _run("init", str(folder), "--no-input")
    assert code == 2, out
    assert "not empty" in out
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["used"]  # no temporary left

    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = _run("init", str(empty), "--no-input")
    assert code == 0, out
    assert (empty / "system.yaml").is_file()

    # never inside another workspace
    code, out = _run("init", str(empty / "inner"), "--no-input")
    assert code == 2, out
    assert "inside the EMB workspace" in out
    assert not (empty / "inner").exists()


def test_bad_options_name_every_field_and_write_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    code, out = _run(
        "init",
        str(folder),
        "--framework",
        "usaid-ecb",
        "--election-date",
        "17/10/2027",
        "--id",
        "Bad Id",
    )
    assert code == 3, out
    assert "--framework" in out and "did you mean 'usaid-ecbs'" in out
    assert "--election-date" in out and "YYYY-MM-DD" in out
    assert "--id" in out and "'bad-id'" in out
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_help_lists_the_archetypes_of_the_library() -> None:
    assert tuple(ARCHETYPES) == _cmd_init._ARCHETYPES
    code, out = _run("init", "--help")
    assert code == 0
    for archetype in ARCHETYPES:
        assert archetype in out


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    from cyberready.errors import InputError
    from cyberready.io import write_new_tree

    # the second file cannot be written (its path leaves the folder): the first is not kept
    with pytest.raises(InputError):
        write_new_tree(tmp_path / "new", {"emb.yaml": "kind: emb\n", "../escape.yaml": "x"})
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_use_is_refused_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cmd_init, "stdin_is_terminal", lambda: True)
    (tmp_path / "emb.txt").write_text("x", encoding="utf-8")
    code, out = _run("init", str(tmp_path), input="\n" * 6)
    assert code == 2, out
    assert "Name of the EMB" not in out

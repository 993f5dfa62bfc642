"""The exception tree of cyberready.errors is what the code raises: every class is raised by
something a user can do (each triggered here, most with a minimal bad copy of the shipped
example workspace), the input errors are named after the kind of file that is wrong, and the
tree drawn in the module's docstring lists exactly the classes defined, with their parents."""

from __future__ import annotations

import inspect
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner

import cyberready
from cyberready import errors
from cyberready.cli import main
from cyberready.errors import (
    AssessmentError,
    CyberReadyError,
    DisclosureError,
    FrameworkError,
    InputError,
    OptionalDependencyError,
    OutputPathError,
    ReportError,
    ScenarioError,
    SystemModelError,
    ThresholdError,
    UnsafeTemplateError,
    WorkspaceBusyError,
)
from cyberready.workspace import load_library, load_workspace

ERROR_CLASSES: set[type[CyberReadyError]] = {
    obj
    for _name, obj in inspect.getmembers(errors, inspect.isclass)
    if issubclass(obj, CyberReadyError) and obj.__module__ == errors.__name__
}


def _example(tmp_path: Path) -> Path:
    ws = tmp_path / "examplia"
    shutil.copytree(cyberready.example_path(), ws)
    return ws


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


BAD_FRAMEWORK = "schema_version: 1\nkind: framework\nid: my-framework\ntitle: Mine\n"
BAD_SCENARIO = "schema_version: 1\nkind: scenario\nid: my-scenario\ntitle: Mine\n"


def _bad_asset_type(ws: Path) -> None:
    _edit(ws / "system.yaml", "{id: dc-primary, type: data_center,", "{id: dc-primary, type: dc,")


def _bad_assessment(ws: Path) -> None:
    _edit(ws / "assessment.yaml", "emb: examplia-iec", "emb: somebody-else")


def _load_error(ws: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_workspace(ws)
    return info.value


# --------------------------------------------------------------------------- input errors by file


def test_a_broken_asset_type_is_a_system_model_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _bad_asset_type(ws)
    error = _load_error(ws)
    assert type(error) is SystemModelError
    assert {p.file for p in error.problems} == {"examplia/system.yaml"}
    assert error.exit_code == 3


def test_a_missing_generate_csv_is_a_system_model_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _edit(
        ws / "system.yaml",
        "\nlinks:",
        '\ngenerate:\n  - csv: kits.csv\n    asset: {id: "kit-{n}", type: laptop}\n\nlinks:',
    )
    assert type(_load_error(ws)) is SystemModelError


def test_a_wrong_assessment_is_an_assessment_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _bad_assessment(ws)
    error = _load_error(ws)
    assert type(error) is AssessmentError
    assert {p.file for p in error.problems} == {"examplia/assessment.yaml"}


def test_a_broken_platform_scorecard_is_an_assessment_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _edit(ws / "platforms" / "chirper.yaml", "kind: platform_scorecard", "kind: scorecard")
    assert type(_load_error(ws)) is AssessmentError


def test_a_broken_framework_of_the_workspace_is_a_framework_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _write(ws / "frameworks" / "mine.yaml", BAD_FRAMEWORK)
    error = _load_error(ws)
    assert type(error) is FrameworkError
    assert {p.file for p in error.problems} == {"examplia/frameworks/mine.yaml"}


def test_a_broken_scenario_of_the_workspace_is_a_scenario_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _write(ws / "scenarios" / "mine.yaml", BAD_SCENARIO)
    error = _load_error(ws)
    assert type(error) is ScenarioError
    assert {p.file for p in error.problems} == {"examplia/scenarios/mine.yaml"}


def test_load_library_raises_by_the_kind_of_file(tmp_path: Path) -> None:
    _write(tmp_path / "fw" / "mine.yaml", BAD_FRAMEWORK)
    _write(tmp_path / "sc" / "mine.yaml", BAD_SCENARIO)
    with pytest.raises(FrameworkError):
        load_library([tmp_path / "fw"])
    with pytest.raises(FrameworkError):
        load_library([tmp_path / "no-such-folder"])
    with pytest.raises(ScenarioError):
        load_library(scenarios_dirs=[tmp_path / "sc"])
    with pytest.raises(InputError) as info:
        load_library([tmp_path / "fw"], [tmp_path / "sc"])
    assert type(info.value) is InputError


def test_problems_in_files_of_several_kinds_are_an_input_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _bad_asset_type(ws)
    _bad_assessment(ws)
    error = _load_error(ws)
    assert type(error) is InputError
    assert {p.file for p in error.problems} == {"examplia/system.yaml", "examplia/assessment.yaml"}


def test_a_broken_emb_yaml_or_folder_is_an_input_error(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _edit(ws / "emb.yaml", "frameworks: [usaid-ecbs,", "frameworks: [usaid-ecb,")
    assert type(_load_error(ws)) is InputError
    assert type(_load_error(tmp_path / "nowhere")) is InputError


def test_every_input_error_is_caught_as_input_error_and_exits_3(tmp_path: Path) -> None:
    ws = _example(tmp_path)
    _bad_asset_type(ws)
    result = CliRunner().invoke(main, ["assess", str(ws)])
    assert result.exit_code == 3, result.output
    assert "system.yaml" in result.output


# --------------------------------------------------------------------------- every class raised


def _optional_dependency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberready.portfolio._run import _dask_client

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    _dask_client("tcp://127.0.0.1:1")


def _output_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberready.io import check_output

    check_output(_example(tmp_path) / "report.html")


def _workspace_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform == "win32":
        pytest.skip("holds the lock with flock")
    import fcntl

    from cyberready.io import LOCK_FILE, workspace_lock

    ws = _example(tmp_path)
    with (ws / LOCK_FILE).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another command would
        with workspace_lock(ws, wait=0):
            pass


def _threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(
        main, ["assess", str(cyberready.example_path()), "--fail-under", "100"]
    )
    assert result.exit_code == ThresholdError.exit_code, result.output
    assert "below --fail-under 100" in result.output
    # the CLI turned the error into its exit code while handling it
    assert isinstance(result.exception, SystemExit)
    raised = result.exception.__context__
    assert raised is not None
    raise raised


def _report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberready.report.render import _environment

    # the folder is checked before the view is read
    _environment(cast("Any", None), "html", tmp_path / "no-such-templates")


def _unsafe_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    from cyberready.report.render import _render_template, sandboxed_environment

    env = sandboxed_environment(loader=jinja2.DictLoader({"t.j2": "{{ items.append(1) }}"}))
    _render_template(env, "t.j2", {"items": []})


def _disclosure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cyberready.report.views import redactor

    ws = load_workspace(cyberready.example_path())
    redactor(ws).check_output(b"<html><body><p>Fix vr-db first</p></body></html>", "html")


def _framework(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _example(tmp_path)
    _write(ws / "frameworks" / "mine.yaml", BAD_FRAMEWORK)
    load_workspace(ws)


def _scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _example(tmp_path)
    _write(ws / "scenarios" / "mine.yaml", BAD_SCENARIO)
    load_workspace(ws)


def _system_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _example(tmp_path)
    _bad_asset_type(ws)
    load_workspace(ws)


def _assessment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _example(tmp_path)
    _bad_assessment(ws)
    load_workspace(ws)


def _input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _example(tmp_path)
    _bad_asset_type(ws)
    _bad_assessment(ws)
    load_workspace(ws)


TRIGGERS: dict[type[BaseException], Callable[[Path, pytest.MonkeyPatch], None]] = {
    InputError: _input,
    FrameworkError: _framework,
    SystemModelError: _system_model,
    AssessmentError: _assessment,
    ScenarioError: _scenario,
    OptionalDependencyError: _optional_dependency,
    OutputPathError: _output_path,
    WorkspaceBusyError: _workspace_busy,
    ThresholdError: _threshold,
    ReportError: _report,
    UnsafeTemplateError: _unsafe_template,
    DisclosureError: _disclosure,
}


def test_every_error_class_has_a_trigger() -> None:
    # CyberReadyError is the root: only ever raised as one of its subclasses
    assert set(TRIGGERS) == ERROR_CLASSES - {CyberReadyError}
    defined = {
        obj
        for _name, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == errors.__name__
    }
    assert defined == ERROR_CLASSES  # every exception of the module is in the one tree


@pytest.mark.parametrize("cls", sorted(TRIGGERS, key=str), ids=lambda c: getattr(c, "__name__", ""))
def test_every_error_class_is_raised(
    cls: type[CyberReadyError], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(cls) as info:
        TRIGGERS[cls](tmp_path, monkeypatch)
    assert type(info.value) is cls


# --------------------------------------------------------------------------- the drawn tree


def _drawn_tree() -> dict[str, str | None]:
    """Class name -> its parent's name, as drawn in the module docstring."""
    doc = errors.__doc__ or ""
    block = doc.split("::", 1)[1].split("\n\n")[1]
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        m = re.match(r"([\s│├└─]*)([A-Z]\w*Error)\b", line)
        if m is None:
            continue  # a description continued
        depth, name = len(m[1]), m[2]  # the column of the name
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name] = stack[-1][1] if stack else None
        stack.append((depth, name))
    return parents


def test_the_docstring_tree_lists_exactly_the_classes_defined() -> None:
    drawn = _drawn_tree()
    assert set(drawn) == {cls.__name__ for cls in ERROR_CLASSES}
    for cls in ERROR_CLASSES:
        parent = cls.__bases__[0]
        expected = parent.__name__ if parent in ERROR_CLASSES else None
        assert drawn[cls.__name__] == expected, cls.__name__


def test_exit_codes_of_the_tree() -> None:
    drawn = (errors.__doc__ or "").split("::", 1)[1].split("\n\n")[1]
    for cls in ERROR_CLASSES:
        line = next(x for x in drawn.splitlines() if re.search(rf"\b{cls.__name__}\b", x))
        code = re.search(r"\(exit (\d)", line)
        if code is not None:
            assert int(code[1]) == cls.exit_code, cls.__name__


def test_the_users_guide_draws_the_same_tree() -> None:
    drawn = (errors.__doc__ or "").split("::", 1)[1].split("\n\n")[1]
    page = (Path(__file__).resolve().parents[1] / "docs" / "errors.md").read_text("utf-8")
    shown = page.split("```\n", 2)[1]
    assert textwrap.dedent(drawn).strip() == shown.strip()

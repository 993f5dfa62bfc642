"""The documentation site's examples are real: its YAML validates, its tutorial runs real commands.

``docs/bring-your-own.md`` shows a framework and a scenario written from scratch; each is copied,
as printed, into a workspace (the shipped example, with the framework put in scope the way the
page says), and ``cyberready validate --strict`` must accept it: no problem and no warning.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest
import yaml
from click.testing import CliRunner

from cyberready.cli import main
from cyberready.io import data_dir
from cyberready.workspace import load_library

DOCS = Path(__file__).resolve().parent.parent / "docs"
FILE_BLOCK = re.compile(r"```yaml\n# (?P<path>\S+)\n(?P<body>.*?)```", re.S)


def _examples(page: str) -> dict[str, str]:
    """The page's YAML blocks whose first line names the file they go in."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return {m["path"]: m["body"] for m in FILE_BLOCK.finditer(text)}


@pytest.fixture(scope="module")
def own_files() -> dict[str, str]:
    examples = _examples("bring-your-own.md")
    assert sorted(examples) == [
        "frameworks/national-baseline.yaml",
        "scenarios/county-office-phish.yaml",
    ]
    return examples


def test_the_framework_and_scenario_of_the_page_validate(
    tmp_path: Path, own_files: dict[str, str]
) -> None:
    ws = tmp_path / "my-emb"
    shutil.copytree(data_dir("examples") / "examplia", ws, ignore=shutil.ignore_patterns("history"))
    for rel, body in own_files.items():
        (ws / rel).parent.mkdir(exist_ok=True)
        (ws / rel).write_text(body, encoding="utf-8")
    framework_id = yaml.safe_load(own_files["frameworks/national-baseline.yaml"])["id"]
    for name in ("emb.yaml", "assessment.yaml"):
        text = (ws / name).read_text(encoding="utf-8")
        scope = "frameworks: [usaid-ecbs, ifes-tech-guidelines]"
        assert scope in text
        (ws / name).write_text(
            text.replace(scope, scope[:-1] + f", {framework_id}]"), encoding="utf-8"
        )
    result = CliRunner().invoke(main, ["validate", str(ws), "--strict"])
    assert result.exit_code == 0, result.output
    shipped = len(load_library().scenarios)
    assert f"{shipped + 1} scenarios in scope" in result.output  # the shipped ones and the page's

    listed = CliRunner().invoke(
        main, ["frameworks", "list", "--frameworks-dir", str(ws / "frameworks")]
    )
    assert listed.exit_code == 0 and framework_id in listed.output


def test_a_broken_example_would_fail(tmp_path: Path, own_files: dict[str, str]) -> None:
    """The check has teeth: the same scenario with a technique that does not exist is refused."""
    ws = tmp_path / "my-emb"
    shutil.copytree(data_dir("examples") / "examplia", ws, ignore=shutil.ignore_patterns("history"))
    (ws / "scenarios").mkdir()
    body = own_files["scenarios/county-office-phish.yaml"].replace(
        "technique: phishing", "technique: phishing-by-pigeon"
    )
    (ws / "scenarios" / "county-office-phish.yaml").write_text(body, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(ws)])
    assert result.exit_code == 3 and "phishing-by-pigeon" in result.output


def _tutorial_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tutorial_capture", DOCS / "_tools" / "tutorial_capture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_tutorial_shows_the_output_of_every_command_it_runs_and_nothing_else() -> None:
    """The site build runs the commands; here: the page includes exactly what they produce."""
    steps = _tutorial_module().steps()
    produced = {f"{s.name}.txt" for s in steps} | {"reports-list.txt"}
    produced |= {f"{s.name}-input.txt" for s in steps if s.before is not None}
    page = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    included = set(re.findall(r"```\{literalinclude\} _generated/(\S+)", page))
    assert included == produced
    assert [s.args[0] for s in steps][:2] == ["init", "validate"]
    for step in steps:  # every command the tutorial runs is a real one
        group: click.Command = main
        for word in step.args[:2]:
            if isinstance(group, click.Group) and word in group.commands:
                group = group.commands[word]
        assert group is not main and not isinstance(group, click.Group), step.args


TOCTREE = re.compile(r"```\{toctree\}\n(?P<body>.*?)```", re.S)


def test_every_page_is_in_the_site_navigation() -> None:
    """A page in docs/ that no toctree lists fails the strict site build only in CI (minutes
    later): the same rule, checked here at once."""
    pages = {
        p.relative_to(DOCS).with_suffix("").as_posix()
        for p in DOCS.rglob("*.md")
        if not p.relative_to(DOCS).parts[0].startswith("_")
    }
    listed = {"index"}
    for page in pages:
        text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
        folder = Path(page).parent
        for block in TOCTREE.finditer(text):
            for line in block["body"].splitlines():
                entry = line.strip()
                if entry and not entry.startswith(":"):
                    target = re.sub(r"^.*<(.+)>$", r"\1", entry).removesuffix(".md")
                    listed.add((folder / target).as_posix())
    assert sorted(pages - listed) == []

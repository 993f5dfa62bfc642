"""The validation promises, each shown on the command line a user runs.

Every kind of bad input is put into a small hand-made workspace and ``cyberready validate`` is
run as a subprocess: it must exit 3, name the file and the exact line, print no traceback,
change no file and answer well within a (generous) timeout. Lines are found by searching the
file for the text of the mistake, so the assertions are exact without hard-coded numbers.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from cyberready.errors import Problem
from cyberready.io import read_yaml, safe_join
from cyberready.workspace import validate_inputs, validate_paths

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds; generous on purpose: a hang or an alias bomb would blow far past it

# --------------------------------------------------------------------------- a small workspace

FRAMEWORK = """\
schema_version: 1
kind: framework
id: mini
title: Mini framework
maturity_scale:
  levels:
    - {level: 0, name: None, description: Not done.}
    - {level: 1, name: Ad hoc, description: Sometimes.}
    - {level: 2, name: Documented, description: Written down.}
    - {level: 3, name: Tested, description: Tested.}
    - {level: 4, name: Improved, description: Measured.}
  effectiveness: [0, 0.25, 0.5, 0.75, 1]
domains:
  - {id: GV, title: Governance}
controls:
  - id: MINI-GV-01
    domain: GV
    title: Multi-factor authentication
    objective: Stolen passwords alone do not open accounts.
    weight: 3
    applies_to: [staff_workstation]
    effects:
      mitigates: {phishing: 0.5}
    references: {nist-csf-2.0: [PR.AA-01]}
  - id: MINI-GV-02
    domain: GV
    title: Backups
    objective: Data can be restored.
    weight: 2
    effects: {recovers: 0.5}
"""

SCENARIO = """\
schema_version: 1
kind: scenario
id: mini-scn
title: Phishing spreads to the host
actor: criminal
objective: availability
phases: [results_publication]
likelihood: 0.2
entry:
  - select: [ws]
    technique: phishing
    probability: 0.5
    time: {exponential: {mean: 24}}
propagation:
  - kinds: [connects_to]
    technique: lateral_movement
    probability: 0.6
    time: {lognormal: {median: 12, p90: 48}}
effects:
  - type: disrupt
    duration: {fixed: 24}
"""

EMB = """\
schema_version: 1
kind: emb
id: t-emb
name: Test Electoral Commission
frameworks: [mini]
scenarios: [mini-scn]
"""

SYSTEM = """\
schema_version: 1
kind: system
emb: t-emb
assets:
  - {id: ws, type: staff_workstation, exposure: internet}
  - {id: host, type: data_center, exposure: physical}
  - id: site
    type: results_website
    exposure: internet
links:
  - {from: ws, to: host, kind: connects_to}
  - {from: site, to: host, kind: hosted_on}
functions:
  - id: publish
    title: Publish results
    phase: results_publication
    max_tolerable_outage_hours: 6
    requires:
      - any: [site]
"""

ASSESSMENT = """\
schema_version: 1
kind: assessment
emb: t-emb
frameworks: [mini]
as_of: 2026-11-01
answers:
  MINI-GV-01: {level: 2, source: document}
  MINI-GV-02: {level: n/a}
overrides:
  - {select: [ws], control: MINI-GV-01, level: 3}
"""

BASE = {
    "frameworks/mini.yaml": FRAMEWORK,
    "scenarios/mini-scn.yaml": SCENARIO,
    "emb.yaml": EMB,
    "system.yaml": SYSTEM,
    "assessment.yaml": ASSESSMENT,
}


def make_workspace(tmp_path: Path, name: str = "ws", /, **changes: str | bytes | None) -> Path:
    """The small valid workspace, with some files replaced (``None`` removes one).

    Keys are file names with ``/`` written as ``__`` and ``.`` as ``_``, e.g.
    ``frameworks__mini_yaml`` or ``system_yaml``.
    """
    ws = tmp_path / name
    files: dict[str, str | bytes | None] = dict(BASE)
    for key, content in changes.items():
        files[_name(key)] = content
    for rel, content in files.items():
        if content is None:
            continue
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return ws


def _name(key: str) -> str:
    stem, _, ext = key.rpartition("_")
    return stem.replace("__", "/") + "." + ext


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line of ``path`` containing ``needle``."""
    hits = [
        i
        for i, text in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1)
        if needle in text
    ]
    assert len(hits) >= nth, f"{needle!r} not found {nth} time(s) in {path}"
    return hits[nth - 1]


def tree_hash(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the sha256 of its bytes (and nothing else there)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(*args: str | Path, cwd: Path) -> Run:
    """``python -m cyberready ARGS`` in ``cwd``, as a separate process (this checkout first)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.pop("CYBERREADY_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "cyberready", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def validate_cli(ws: Path) -> Run:
    """``cyberready validate ws`` as a user runs it; asserts what holds for any bad input."""
    before = tree_hash(ws)
    run = cli("validate", ws.name, cwd=ws.parent)
    assert run.code == 3, run.out + run.err
    assert "Traceback" not in run.out + run.err
    assert "internal error" not in run.err
    assert tree_hash(ws) == before, "validate changed a file"
    return run


def assert_reported(run: Run, where: str, *fragments: str) -> None:
    """One printed problem line starts at ``where`` (``file:line``) and holds every fragment."""
    lines = [ln.strip() for ln in run.err.splitlines() if ln.strip().startswith(where + ":")]
    assert lines, f"nothing reported at {where}:\n{run.err}"
    assert any(all(f in ln for f in fragments) for ln in lines), (
        f"no problem at {where} mentions {fragments}:\n{run.err}"
    )


# --------------------------------------------------------------------------- the valid base


def test_the_small_workspace_is_valid(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    assert validate_paths([ws]) == []
    run = cli("validate", ws.name, cwd=tmp_path)
    assert run.code == 0, run.err
    assert "valid" in run.out


# --------------------------------------------------------------------------- one bad input each


@dataclass
class Case:
    """A change to the valid workspace and the problem it must produce."""

    changes: dict[str, str | bytes | None]
    file: str
    needle: str | None  # the text on the problem's line (None: the problem has no line)
    fragments: tuple[str, ...]
    nth: int = 1


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BILLION_LAUGHS = """\
schema_version: 1
kind: system
emb: t-emb
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

CASES: dict[str, Case] = {
    "yaml syntax error": Case(
        {"system_yaml": _sub(SYSTEM, "- {id: host, type: data_center", "- {id: host type: [")},
        "system.yaml",
        "id: host type",
        ("YAML syntax error",),
    ),
    "empty file": Case(
        {"assessment_yaml": "\n# nothing yet\n"}, "assessment.yaml", None, ("empty",)
    ),
    "not utf-8": Case(
        {"emb_yaml": EMB.replace("Test Electoral", "Comisi\xf3n Electoral").encode("latin-1")},
        "emb.yaml",
        "name:",
        ("not UTF-8", "save the file as UTF-8"),
    ),
    "unknown key with a did-you-mean": Case(
        {"system_yaml": _sub(SYSTEM, "exposure: physical", "exposur: physical")},
        "system.yaml",
        "exposur:",
        ("unknown key 'exposur'", "did you mean 'exposure'"),
    ),
    "a comma in an unquoted flow value": Case(
        {
            "system_yaml": _sub(
                SYSTEM,
                "- {id: host, type: data_center, exposure: physical}",
                "- {id: host, type: data_center, exposure: physical, label: Host (web, social)}",
            )
        },
        "system.yaml",
        "label: Host (web",
        ("unknown key 'social)'", "put the value in quotes"),
    ),
    "wrong type": Case(
        {
            "system_yaml": _sub(
                SYSTEM, "max_tolerable_outage_hours: 6", "max_tolerable_outage_hours: [6]"
            )
        },
        "system.yaml",
        "max_tolerable_outage_hours",
        ("expected a number", "a list"),
    ),
    "probability above 1": Case(
        {"scenarios__mini-scn_yaml": _sub(SCENARIO, "probability: 0.5", "probability: 1.5")},
        "scenarios/mini-scn.yaml",
        "probability: 1.5",
        ("must be at most 1", "1.5"),
    ),
    "weight 9": Case(
        {"frameworks__mini_yaml": _sub(FRAMEWORK, "weight: 3", "weight: 9")},
        "frameworks/mini.yaml",
        "weight: 9",
        ("must be at most 5", "9"),
    ),
    "level 7": Case(
        {"assessment_yaml": _sub(ASSESSMENT, "{level: 2, source: document}", "{level: 7}")},
        "assessment.yaml",
        "level: 7",
        ("level 7 is not a maturity level", "0, 1, 2, 3, 4 or n/a"),
    ),
    "duplicate asset id": Case(
        {"system_yaml": _sub(SYSTEM, "  - id: site\n", "  - id: ws\n")},
        "system.yaml",
        "- id: ws",
        ("duplicate asset id 'ws'",),
    ),
    "duplicate control id": Case(
        {"frameworks__mini_yaml": _sub(FRAMEWORK, "id: MINI-GV-02", "id: MINI-GV-01")},
        "frameworks/mini.yaml",
        "id: MINI-GV-01",
        ("duplicate control id 'MINI-GV-01'",),
        nth=2,
    ),
    "duplicate function id": Case(
        {
            "system_yaml": SYSTEM
            + "  - id: publish\n    title: Again\n    phase: voting\n"
            + "    max_tolerable_outage_hours: 1\n    requires: [{all: [host]}]\n"
        },
        "system.yaml",
        "- id: publish",
        ("duplicate function id 'publish'",),
        nth=2,
    ),
    "missing required field": Case(
        {"system_yaml": _sub(SYSTEM, "    title: Publish results\n", "")},
        "system.yaml",
        "- id: publish",
        ("missing required field 'title'",),
    ),
    "link to an unknown asset": Case(
        {"system_yaml": _sub(SYSTEM, "{from: ws, to: host,", "{from: ws, to: hots,")},
        "system.yaml",
        "to: hots",
        ("unknown asset 'hots'", "did you mean 'host'"),
    ),
    "unknown technique in a scenario": Case(
        {"scenarios__mini-scn_yaml": _sub(SCENARIO, "technique: phishing", "technique: phising")},
        "scenarios/mini-scn.yaml",
        "technique: phising",
        ("unknown technique 'phising'", "did you mean 'phishing'"),
    ),
    "unknown technique in a control effect": Case(
        {"frameworks__mini_yaml": _sub(FRAMEWORK, "mitigates: {phishing:", "mitigates: {fishing:")},
        "frameworks/mini.yaml",
        "fishing",
        ("unknown technique 'fishing'", "did you mean 'phishing'"),
    ),
    "unknown framework in emb.yaml": Case(
        {"emb_yaml": _sub(EMB, "frameworks: [mini]", "frameworks: [mini, usaid-ecb]")},
        "emb.yaml",
        "frameworks:",
        ("unknown framework 'usaid-ecb'", "did you mean 'usaid-ecbs'"),
    ),
    "unknown control in an assessment": Case(
        {"assessment_yaml": _sub(ASSESSMENT, "MINI-GV-02: {level: n/a}", "MINI-GV-03: {level: 1}")},
        "assessment.yaml",
        "MINI-GV-03",
        ("unknown control 'MINI-GV-03'", "MINI-GV-0"),
    ),
    "unknown CSF item in a reference": Case(
        {"frameworks__mini_yaml": _sub(FRAMEWORK, "[PR.AA-01]", "[PR.AA-99]")},
        "frameworks/mini.yaml",
        "PR.AA-99",
        ("'PR.AA-99' is not an item of nist-csf-2.0",),
    ),
    "unsupported schema_version": Case(
        {"emb_yaml": _sub(EMB, "schema_version: 1", "schema_version: 2")},
        "emb.yaml",
        "schema_version: 2",
        ("unsupported schema_version 2", "reads 1"),
    ),
    "billion laughs": Case({"system_yaml": BILLION_LAUGHS}, "system.yaml", None, ("alias bomb",)),
    "path leaving the workspace": Case(
        {
            "system_yaml": SYSTEM
            + "generate:\n  - csv: ../../etc/passwd\n"
            + "    asset: {id: 'kit-{root}', type: results_transmission}\n"
        },
        "system.yaml",
        "csv: ../../etc/passwd",
        ("leaves the workspace",),
    ),
    "duplicate yaml key": Case(
        {"emb_yaml": EMB + "name: Another name\n"},
        "emb.yaml",
        "name: Another name",
        ("duplicate key 'name'",),
    ),
    "python object tag": Case(
        {
            "emb_yaml": _sub(
                EMB,
                "name: Test Electoral Commission",
                "name: !!python/object/apply:os.system ['touch pwned']",
            )
        },
        "emb.yaml",
        "!!python",
        ("unsupported YAML tag '!!python/object/apply:os.system'",),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_reported_at_its_line(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    ws = make_workspace(tmp_path, **case.changes)
    run = validate_cli(ws)
    shown = f"ws/{case.file}"
    if case.needle is None:
        assert_reported(run, shown, *case.fragments)
    else:
        line = line_of(ws / case.file, case.needle, case.nth)
        assert_reported(run, f"{shown}:{line}", *case.fragments)


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, **CASES["python object tag"].changes)
    validate_cli(ws)
    assert not (ws / "pwned").exists() and not (tmp_path / "pwned").exists()


# ------------------------------------------------------------------ scenario rules

TIME_LINE = "time: {exponential: {mean: 24}}"

SCENARIO_CASES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    # name: (old text, new text, needle on the problem's line, fragments)
    "unknown technique": (
        "technique: lateral_movement",
        "technique: lateral_move",
        "technique: lateral_move",
        ("unknown technique 'lateral_move'", "did you mean 'lateral_movement'"),
    ),
    "unknown link kind": (
        "kinds: [connects_to]",
        "kinds: [connect_to]",
        "kinds: [connect_to]",
        ("'connect_to' is not a valid value", "did you mean 'connects_to'"),
    ),
    "probability below 0": (
        "probability: 0.6",
        "probability: -0.1",
        "probability: -0.1",
        ("must be at least 0",),
    ),
    "likelihood above 1": (
        "likelihood: 0.2",
        "likelihood: 2",
        "likelihood: 2",
        ("must be at most 1",),
    ),
    "two time kinds": (
        TIME_LINE,
        "time: {exponential: {mean: 24}, fixed: 3}",
        "time: {exponential",
        ("exactly one of fixed, exponential, lognormal, uniform", "got fixed, exponential"),
    ),
    "lognormal p90 not above median": (
        "{lognormal: {median: 12, p90: 48}}",
        "{lognormal: {median: 12, p90: 12}}",
        "p90: 12",
        ("p90 (12) must be greater than median (12)",),
    ),
    "uniform lo >= hi": (
        TIME_LINE,
        "time: {uniform: [10, 2]}",
        "uniform: [10, 2]",
        ("uniform needs 0 <= lo < hi", "[10, 2]"),
    ),
    "negative fixed": (
        "duration: {fixed: 24}",
        "duration: {fixed: -4}",
        "fixed: -4",
        ("must be greater than 0", "-4"),
    ),
}


@pytest.mark.parametrize("name", list(SCENARIO_CASES))
def test_bad_scenario_is_reported_at_its_line(tmp_path: Path, name: str) -> None:
    old, new, needle, fragments = SCENARIO_CASES[name]
    ws = make_workspace(tmp_path, **{"scenarios__mini-scn_yaml": _sub(SCENARIO, old, new)})
    run = validate_cli(ws)
    line = line_of(ws / "scenarios/mini-scn.yaml", needle)
    assert_reported(run, f"ws/scenarios/mini-scn.yaml:{line}", *fragments)


def test_lone_scenario_file_is_checked_against_the_shipped_techniques(tmp_path: Path) -> None:
    path = tmp_path / "my-scenario.yaml"
    path.write_text(_sub(SCENARIO, "technique: phishing", "technique: phising"), encoding="utf-8")
    run = cli("validate", path.name, cwd=tmp_path)
    assert run.code == 3
    assert_reported(run, f"my-scenario.yaml:{line_of(path, 'phising')}", "unknown technique")


# --------------------------------------------------------------------------- all problems at once


def test_every_problem_of_one_file_is_listed_together(tmp_path: Path) -> None:
    system = _sub(SYSTEM, "exposure: physical", "exposur: physical")  # unknown key
    system = _sub(system, "  - id: site\n", "  - id: ws\n")  # duplicate id
    system = _sub(system, "{from: ws, to: host,", "{from: ws, to: hots,")  # dangling link
    system = _sub(system, "kind: hosted_on", "kind: hosted_in")  # bad link kind
    system = _sub(system, "max_tolerable_outage_hours: 6", "max_tolerable_outage_hours: -6")
    system += "  - id: count\n    title: Count\n    phase: counting\n"
    system += "    max_tolerable_outage_hours: 2\n    requires: [{any: [sit]}]\n"  # unknown asset
    ws = make_workspace(tmp_path, system_yaml=system)
    run = validate_cli(ws)
    path = ws / "system.yaml"
    expected = {
        "exposur:": "unknown key 'exposur'",
        "- id: ws": "duplicate asset id 'ws'",
        "to: hots": "unknown asset 'hots'",
        "kind: hosted_in": "'hosted_in' is not a valid value",
        "outage_hours: -6": "must be greater than 0",
        "any: [sit]": "unknown asset 'sit'",
    }
    for needle, fragment in expected.items():
        nth = 2 if needle == "- id: ws" else 1
        needle = "id: ws" if nth == 2 else needle
        assert_reported(run, f"ws/system.yaml:{line_of(path, needle, nth)}", fragment)


def test_every_problem_of_every_file_is_listed_together(tmp_path: Path) -> None:
    ws = make_workspace(
        tmp_path,
        frameworks__mini_yaml=_sub(FRAMEWORK, "weight: 3", "weight: 9"),
        **{"scenarios__mini-scn_yaml": _sub(SCENARIO, "probability: 0.5", "probability: 1.5")},
        emb_yaml=EMB + "budget_usd: lots\n",
        system_yaml=_sub(SYSTEM, "exposure: physical", "exposur: physical"),
        assessment_yaml=_sub(ASSESSMENT, "MINI-GV-02: {level: n/a}", "MINI-GV-03: {level: 1}"),
    )
    run = validate_cli(ws)
    assert_reported(
        run, f"ws/frameworks/mini.yaml:{line_of(ws / 'frameworks/mini.yaml', 'weight: 9')}"
    )
    sc = ws / "scenarios/mini-scn.yaml"
    assert_reported(run, f"ws/scenarios/mini-scn.yaml:{line_of(sc, 'probability: 1.5')}")
    assert_reported(
        run, f"ws/emb.yaml:{line_of(ws / 'emb.yaml', 'budget_usd')}", "expected a number"
    )
    assert_reported(run, f"ws/system.yaml:{line_of(ws / 'system.yaml', 'exposur:')}", "unknown key")
    assert_reported(
        run,
        f"ws/assessment.yaml:{line_of(ws / 'assessment.yaml', 'MINI-GV-03')}",
        "unknown control",
    )
    assert "5 problem(s) in 5 file(s)" in run.err


def test_several_workspaces_and_files_in_one_run(tmp_path: Path) -> None:
    make_workspace(tmp_path, "a", emb_yaml=_sub(EMB, "schema_version: 1", "schema_version: 2"))
    b = make_workspace(tmp_path, "b", assessment_yaml=_sub(ASSESSMENT, "level: 3", "level: 5"))
    lone = tmp_path / "lone.yaml"
    lone.write_text("schema_version: 1\nkind: sytem\nemb: x\n", encoding="utf-8")
    run = cli("validate", "a", "b", lone, cwd=tmp_path)
    assert run.code == 3
    assert_reported(run, "a/emb.yaml:1", "unsupported schema_version 2")
    assert_reported(run, f"b/assessment.yaml:{line_of(b / 'assessment.yaml', 'level: 5')}")
    assert_reported(run, f"{lone}:2", "'sytem' is not a kind", "did you mean 'system'")
    assert "3 problem(s) in 3 file(s)" in run.err


def test_broken_system_does_not_hide_the_assessment(tmp_path: Path) -> None:
    """system.yaml cannot even be parsed: the assessment's own problems still show."""
    ws = make_workspace(
        tmp_path,
        system_yaml="schema_version: 1\nkind: system\nassets: [\n",
        assessment_yaml=_sub(ASSESSMENT, "MINI-GV-02: {level: n/a}", "MINI-GV-03: {level: 1}"),
    )
    run = validate_cli(ws)
    assert_reported(run, "ws/system.yaml", "YAML syntax error")
    line = line_of(ws / "assessment.yaml", "MINI-GV-03")
    assert_reported(run, f"ws/assessment.yaml:{line}", "unknown control 'MINI-GV-03'")


def test_references_into_a_broken_item_are_not_blamed(tmp_path: Path) -> None:
    """An asset with a bad type is reported once, in system.yaml: links, functions and overrides
    that name it are not reported as dangling, but a real typo next to them still is."""
    system = _sub(SYSTEM, "type: data_center", "type: datacenter")
    assessment = ASSESSMENT + "  - {select: [host], control: MINI-GV-02, level: 1}\n"
    assessment += "  - {select: [hots], control: MINI-GV-02, level: 1}\n"
    ws = make_workspace(tmp_path, system_yaml=system, assessment_yaml=assessment)
    run = validate_cli(ws)
    problems = [ln for ln in run.err.splitlines()[1:] if ln.strip()]
    assert_reported(
        run, f"ws/system.yaml:{line_of(ws / 'system.yaml', 'datacenter')}", "datacenter"
    )
    assert_reported(
        run, f"ws/assessment.yaml:{line_of(ws / 'assessment.yaml', 'hots')}", "unknown asset 'hots'"
    )
    assert len(problems) == 2, run.err


def test_broken_framework_does_not_hide_the_rest(tmp_path: Path) -> None:
    """A framework whose one control is broken: the assessment answering that control is not
    blamed, the other control still resolves, and a typo elsewhere is still found."""
    framework = _sub(FRAMEWORK, "weight: 2", "weight: heavy")
    ws = make_workspace(
        tmp_path,
        frameworks__mini_yaml=framework,
        emb_yaml=_sub(EMB, "scenarios: [mini-scn]", "scenarios: [mini-scn, nope]"),
    )
    run = validate_cli(ws)
    assert_reported(run, f"ws/frameworks/mini.yaml:{line_of(ws / 'frameworks/mini.yaml', 'heavy')}")
    assert_reported(
        run, f"ws/emb.yaml:{line_of(ws / 'emb.yaml', 'scenarios')}", "unknown scenario 'nope'"
    )
    assert "MINI-GV-02" not in run.err


# --------------------------------------------------------------------------- the library API


def test_validate_paths_returns_problems_with_file_line_and_field(tmp_path: Path) -> None:
    ws = make_workspace(
        tmp_path,
        assessment_yaml=_sub(ASSESSMENT, "level: 2, source: document", "level: 2, sorce: document"),
    )
    [problem] = validate_paths([ws])
    assert problem == Problem(
        file="ws/assessment.yaml",
        line=line_of(ws / "assessment.yaml", "sorce"),
        field="answers.MINI-GV-01.sorce",
        message="unknown key 'sorce'",
        hint="did you mean 'source'?",
    )


def test_load_workspace_raises_input_error_with_every_problem(tmp_path: Path) -> None:
    import cyberready

    ws = make_workspace(
        tmp_path,
        emb_yaml=EMB + "budget_usd: -5\n",
        system_yaml=_sub(SYSTEM, "exposure: internet}", "exposure: intranet}"),
    )
    with pytest.raises(cyberready.InputError) as info:
        cyberready.load_workspace(ws)
    err = info.value
    assert {p.file for p in err.problems} == {"ws/emb.yaml", "ws/system.yaml"}
    frame = err.to_frame()
    assert list(frame["line"]) == [
        line_of(ws / "emb.yaml", "budget_usd"),
        line_of(ws / "system.yaml", "intranet"),
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &a [*a]\n", "cycle"),
        ("[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("a: !!binary aGVsbG8=\n", "unsupported YAML tag '!!binary'"),
        ("a: !custom 1\n", "unsupported YAML tag '!custom'"),
        ("a: !!set {x}\n", "unsupported YAML tag '!!set'"),
        ("a: 1\n\tb: 2\n", "spaces, not tabs"),
        ("a: 2026-13-45\n", "month must be in 1..12"),
        ("a: 1\n---\nb: 2\n", "one document"),
    ],
)
def test_unreadable_yaml_is_a_problem_not_a_crash(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    _doc, problems = read_yaml(path)
    assert problems, "expected a problem"
    assert any(fragment in str(p) for p in problems), problems


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    doc, problems = read_yaml(path)
    assert doc is None
    assert "alias bomb" in problems[0].hint


def test_small_aliases_and_merge_keys_still_work(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", encoding="utf-8")
    doc, problems = read_yaml(path)
    assert problems == [] and doc is not None
    assert doc.data == {"base": {"x": 1, "y": 2}, "other": {"x": 1, "y": 3}}
    assert doc.line_of(("other", "y")) == 4


@pytest.mark.parametrize(
    "relative", ["../outside.csv", "../../etc/passwd", "/etc/passwd", "a/../../x.csv", ""]
)
def test_safe_join_refuses_paths_that_leave(tmp_path: Path, relative: str) -> None:
    (tmp_path / "ws").mkdir()
    assert safe_join(tmp_path / "ws", relative) is None


def test_safe_join_refuses_a_link_pointing_outside(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (tmp_path / "secret.csv").write_text("x\n1\n", encoding="utf-8")
    (ws / "inside.csv").symlink_to(tmp_path / "secret.csv")
    assert safe_join(ws, "inside.csv") is None
    assert safe_join(ws, "data/stations.csv") == (ws / "data/stations.csv").resolve()


def test_a_target_below_the_level_reached_is_a_warning_at_its_line(tmp_path: Path) -> None:
    answers = _sub(
        ASSESSMENT,
        "MINI-GV-01: {level: 2, source: document}",
        "MINI-GV-01: {level: 2, source: document, target: 1}",
    )
    ws = make_workspace(tmp_path, assessment_yaml=answers)
    found = validate_inputs([ws])
    assert found.valid
    [warning] = found.warnings
    assert warning.line == line_of(ws / "assessment.yaml", "MINI-GV-01")
    assert "target 1 is below the level already reached (2)" in warning.message
    run = cli("validate", ws.name, cwd=tmp_path)
    assert run.code == 0, run.err
    assert f"assessment.yaml:{warning.line}: answers.MINI-GV-01.target: target 1" in run.err
    assert cli("validate", "--strict", ws.name, cwd=tmp_path).code == 3


def test_the_fast_yaml_composer_reads_every_shipped_file_as_the_python_one_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cyberready.io._yaml_io as cio

    if cio._FAST_COMPOSER is None:
        pytest.skip("PyYAML was built without libyaml")
    files = [
        p
        for d in ("frameworks", "scenarios", "examples")
        for p in sorted((ROOT / d).rglob("*.yaml"))
    ]
    assert len(files) > 40
    fast = {p: read_yaml(p) for p in files}
    monkeypatch.setattr(cio, "_FAST_COMPOSER", None)
    for p in files:
        doc, problems = read_yaml(p)
        fdoc, fproblems = fast[p]
        assert doc is not None and fdoc is not None, p
        assert (fdoc.data, fdoc.lines, fproblems) == (doc.data, doc.lines, problems), p

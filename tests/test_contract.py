"""The contract test: everything shipped loads, and every reference in it resolves.

It loads whatever is in ``frameworks/``, ``scenarios/`` and ``examples/*/`` at the time it runs
(new scenarios and examples are covered without editing this file), checks the references again
with its own small oracle (not the loader's code), and shows that a user's own framework is
listed, validated and used beside the shipped ones, while an id clash is an error naming both
files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cyberready
from cyberready.io import data_dir, read_yaml
from cyberready.workspace import load_library, load_workspace, validate_paths

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120

FRAMEWORK_FILES = sorted(data_dir("frameworks").glob("*.yaml"))
SCENARIO_FILES = sorted(data_dir("scenarios").glob("*.yaml"))
EXAMPLES = sorted(p for p in data_dir("examples").iterdir() if (p / "emb.yaml").is_file())


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "cyberready", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
        check=False,
    )


# --------------------------------------------------------------------------- shipped library


def test_there_is_shipped_data_to_check() -> None:
    assert len(FRAMEWORK_FILES) >= 3  # two scored frameworks and the CSF catalog
    assert any(p.name == "techniques.yaml" for p in SCENARIO_FILES)
    assert EXAMPLES, "no example workspace under examples/"


def test_every_shipped_file_is_loaded_none_skipped() -> None:
    lib = load_library()
    loaded = {doc.file for doc in lib.docs.values()}
    expected = {f"frameworks/{p.name}" for p in FRAMEWORK_FILES}
    expected |= {f"scenarios/{p.name}" for p in SCENARIO_FILES}
    assert loaded == expected
    registries = ("techniques.yaml", "incidents.yaml")  # the vocabulary and the incidents
    assert len(lib.scenarios) == len(SCENARIO_FILES) - len(registries)
    assert {p.name for p in SCENARIO_FILES} >= set(registries)
    assert {"usaid-ecbs", "ifes-tech-guidelines"} <= set(lib.frameworks)
    assert "nist-csf-2.0" in lib.catalogs


def test_every_shipped_reference_resolves() -> None:
    """An independent oracle over the loaded models: techniques, domains, catalogs and their
    items named by controls and scenarios all exist, and control ids are unique."""
    lib = load_library()
    techniques = set(lib.techniques)
    registry = read_yaml(data_dir("scenarios") / "incidents.yaml")[0]
    assert registry is not None
    incidents = {item["id"] for item in registry.data["items"]}
    dangling: list[str] = []
    seen: dict[str, str] = {}
    for fw in lib.frameworks.values():
        domains = {d.id for d in fw.domains}
        for c in fw.controls:
            if c.id in seen:
                dangling.append(f"{c.id} in {fw.id} and {seen[c.id]}")
            seen[c.id] = fw.id
            if c.domain not in domains:
                dangling.append(f"{fw.id} {c.id}: domain {c.domain}")
            for tech in c.effects.techniques - techniques:
                dangling.append(f"{fw.id} {c.id}: technique {tech}")
            for cat_id, items in c.references.items():
                cat = lib.catalogs.get(cat_id)
                if cat is None:
                    dangling.append(f"{fw.id} {c.id}: catalog {cat_id}")
                    continue
                known = {it.id for it in cat.items}
                dangling += [f"{fw.id} {c.id}: {cat_id} {i}" for i in items if i not in known]
    for sc in lib.scenarios.values():
        for technique in [r.technique for r in sc.entry] + [r.technique for r in sc.propagation]:
            if technique not in techniques:
                dangling.append(f"{sc.id}: technique {technique}")
        # a shipped scenario cites only incidents of the shipped registry, never free text
        unknown = [i for i in sc.references.incidents if i not in incidents]
        dangling += [f"{sc.id}: incident {i}" for i in unknown]
    assert dangling == []


def test_attack_ids_are_pinned_to_a_release_and_none_is_revoked() -> None:
    """techniques.yaml says which ATT&CK release its ids were checked against; T1656
    (Impersonation) was revoked in v19 in favour of T1684.001 and is used nowhere."""
    doc, problems = read_yaml(data_dir("scenarios") / "techniques.yaml")
    assert doc is not None and not problems
    assert doc.data["attack_version"] == "19"
    lib = load_library()
    used = {a for t in lib.techniques.values() for a in t.attack}
    used |= {a for sc in lib.scenarios.values() for a in sc.references.attack}
    assert "T1656" not in used
    assert "T1684.001" in lib.techniques["impersonation_of_officials"].attack


def test_the_csf_catalog_holds_the_106_subcategories() -> None:
    reference = Path("/work/shared/reference/csf2-subcategory-ids.txt")
    catalog = load_library().catalogs["nist-csf-2.0"]
    ids = [it.id for it in catalog.items]
    assert len(ids) == len(set(ids)) == 106
    if reference.is_file():  # the team's reference list, when present
        listed = {ln.strip() for ln in reference.read_text().splitlines() if ln.strip()}
        assert set(ids) == listed


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_each_shipped_scenario_validates_alone(path: Path) -> None:
    assert validate_paths([path]) == []


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_each_shipped_framework_validates_alone(path: Path) -> None:
    assert validate_paths([path]) == []


# --------------------------------------------------------------------------- example workspaces


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_workspace_loads_and_resolves(path: Path) -> None:
    ws = load_workspace(path)
    lib = ws.library
    r = ws.resolved
    assert set(ws.emb.frameworks) <= set(lib.frameworks)
    if ws.emb.scenarios != "all":
        assert set(ws.emb.scenarios) <= set(lib.scenarios)
    assert ws.system.emb == ws.emb.id
    for a in ws.system.assets:
        assert r.has(a.id)
    for lk in ws.system.links:
        assert r.has(lk.from_) and r.has(lk.to), lk
    for fn in ws.system.functions:
        for group in fn.requires:
            assert r.mask(group.members).any(), f"{fn.id}: {group.members.describe()}"
    # the EMB answers its own controls and its partners' practices (scored apart)
    emb_controls = {
        c.id for fw in ws.frameworks for c in fw.controls if fw.subject_of(c) in ("emb", "partner")
    }
    current = [ws.assessment] if ws.assessment is not None else []
    for assessment in [*current, *ws.history]:
        assert assessment.emb == ws.emb.id
        assert set(assessment.answers) <= emb_controls
        for ov in assessment.overrides:
            assert ov.control in emb_controls
            assert all(r.has(a) for a in ov.select.ids or ()), ov.select.ids
    for card in ws.platforms:
        fw = lib.frameworks[card.framework]
        platform = {c.id for c in fw.controls if fw.subject_of(c) == "platform"}
        assert set(card.answers) <= platform, card.company


def test_validate_accepts_all_shipped_data_on_the_command_line() -> None:
    run = cli("validate", "frameworks", "scenarios", *(p.relative_to(ROOT) for p in EXAMPLES))
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout


# --------------------------------------------------------------------------- user frameworks

USER_FRAMEWORK = """\
schema_version: 1
kind: framework
id: {id}
title: ACME election security checklist
publisher: ACME
version: "1"
provenance: official
maturity_scale:
  levels:
    - {{level: 0, name: Absent, description: Not done.}}
    - {{level: 1, name: Ad hoc, description: Sometimes.}}
    - {{level: 2, name: Defined, description: Written.}}
    - {{level: 3, name: Managed, description: Tested.}}
    - {{level: 4, name: Optimised, description: Measured.}}
  effectiveness: [0, 0.3, 0.6, 0.85, 1]
domains:
  - {{id: AC, title: Access}}
controls:
  - id: ACME-AC-01
    domain: AC
    title: Hardware keys for administrators
    objective: Administrator accounts resist phishing.
    weight: 4
    applies_to: [admin_account]
    effects: {{mitigates: {{phishing: 0.8, credential_theft: 0.6}}}}
    references: {{nist-csf-2.0: [PR.AA-03]}}
"""


def _user_framework(folder: Path, ident: str = "acme-fw", name: str = "acme.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(USER_FRAMEWORK.format(id=ident), encoding="utf-8")
    return path


def test_user_framework_dir_is_listed_and_validated(tmp_path: Path) -> None:
    _user_framework(tmp_path / "my-frameworks")
    run = cli("frameworks", "list", "--frameworks-dir", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "acme-fw" in run.stdout and "usaid-ecbs" in run.stdout
    run = cli("frameworks", "list", "--frameworks-dir", "my-frameworks", "--json", cwd=tmp_path)
    rows = {r["id"]: r for r in json.loads(run.stdout)}
    assert rows["acme-fw"]["controls"] == 1
    assert rows["acme-fw"]["file"] == "my-frameworks/acme.yaml"
    run = cli("validate", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    show = cli("frameworks", "show", "acme-fw", "--frameworks-dir", "my-frameworks", cwd=tmp_path)
    assert show.returncode == 0 and "ACME-AC-01" in show.stdout


def test_user_framework_problems_are_found_by_validate(tmp_path: Path) -> None:
    path = _user_framework(tmp_path / "my-frameworks")
    path.write_text(
        path.read_text().replace("credential_theft", "credentials_theft"), encoding="utf-8"
    )
    run = cli("validate", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 3
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "credentials" in t)
    assert f"my-frameworks/acme.yaml:{line}:" in run.stderr
    assert "did you mean 'credential_theft'" in run.stderr


def _workspace_using(tmp_path: Path, framework_id: str) -> Path:
    ws = tmp_path / "emb"
    ws.mkdir()
    (ws / "emb.yaml").write_text(
        textwrap.dedent(f"""\
            schema_version: 1
            kind: emb
            id: acme-emb
            name: ACME test EMB
            frameworks: [{framework_id}]
            """),
        encoding="utf-8",
    )
    (ws / "system.yaml").write_text(
        textwrap.dedent("""\
            schema_version: 1
            kind: system
            emb: acme-emb
            assets:
              - {id: admin, type: admin_account}
            """),
        encoding="utf-8",
    )
    (ws / "assessment.yaml").write_text(
        textwrap.dedent(f"""\
            schema_version: 1
            kind: assessment
            emb: acme-emb
            frameworks: [{framework_id}]
            as_of: 2026-11-01
            answers:
              ACME-AC-01: {{level: 3, source: test}}
            """),
        encoding="utf-8",
    )
    return ws


def test_workspace_own_framework_is_used(tmp_path: Path) -> None:
    ws = _workspace_using(tmp_path, "acme-fw")
    _user_framework(ws / "frameworks")
    loaded = cyberready.load_workspace(ws)
    assert [fw.id for fw in loaded.frameworks] == ["acme-fw"]
    assert loaded.library.doc("framework", "acme-fw").file == "emb/frameworks/acme.yaml"
    assert loaded.assessment is not None
    assert loaded.assessment.answers["ACME-AC-01"].level == 3
    run = cli("validate", "emb", cwd=tmp_path)
    assert run.returncode == 0, run.stderr


def test_framework_translations_are_checked_by_validate(tmp_path: Path) -> None:
    # A translated framework title, domain, level and tier validate; a key that is not a
    # locale, or a field the item does not have, is an error at its file and line.
    path = _user_framework(tmp_path / "my-frameworks")
    text = path.read_text(encoding="utf-8")
    good = (
        text.replace(
            "title: ACME election security checklist\n",
            "title: ACME election security checklist\ntranslations: {fr: {title: Liste ACME}}\n",
        )
        .replace(
            "  - {id: AC, title: Access}",
            "  - {id: AC, title: Access, translations: {fr_CA: {title: Accès}}}\n"
            "tiers:\n  - {min: 0, name: Weak, translations: {ar: {name: ضعيف}}}\n"
            "  - {min: 50, name: Strong}",
        )
        .replace(
            "name: Absent, description: Not done.}",
            "name: Absent, description: Not done., translations: {es: {name: Ausente}}}",
        )
    )
    path.write_text(good, encoding="utf-8")
    run = cli("validate", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    bad = good.replace("{fr_CA: {title: Accès}}", "{french: {title: Accès}}").replace(
        "{ar: {name: ضعيف}}", "{ar: {name: ضعيف, title: ضعيف}}"
    )
    path.write_text(bad, encoding="utf-8")
    run = cli("validate", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 3
    lines = bad.splitlines()
    domain = next(i for i, t in enumerate(lines, 1) if "french" in t)
    tier = next(i for i, t in enumerate(lines, 1) if "Weak" in t)
    assert f"my-frameworks/acme.yaml:{domain}:" in run.stderr
    assert "'french' is not a valid locale" in run.stderr
    assert f"my-frameworks/acme.yaml:{tier}:" in run.stderr
    assert "unknown key 'title'" in run.stderr and "valid: name" in run.stderr


def test_workspace_uses_a_framework_dir_given_on_the_command_line(tmp_path: Path) -> None:
    ws = _workspace_using(tmp_path, "acme-fw")
    _user_framework(tmp_path / "shared-frameworks")
    run = cli("validate", "emb", cwd=tmp_path)
    assert run.returncode == 3 and "unknown framework 'acme-fw'" in run.stderr
    run = cli("validate", "emb", "--frameworks-dir", "shared-frameworks", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    loaded = load_workspace(ws, frameworks_dirs=[tmp_path / "shared-frameworks"])
    assert [fw.id for fw in loaded.frameworks] == ["acme-fw"]


def test_id_clash_with_a_shipped_framework_names_both_files(tmp_path: Path) -> None:
    _user_framework(tmp_path / "my-frameworks", ident="usaid-ecbs", name="copy.yaml")
    run = cli("frameworks", "list", "--frameworks-dir", "my-frameworks", cwd=tmp_path)
    assert run.returncode == 3
    assert "Traceback" not in run.stderr
    clash = [ln for ln in run.stderr.splitlines() if "clashes" in ln]
    assert len(clash) == 1, run.stderr
    assert "my-frameworks/copy.yaml:3" in clash[0]
    assert "frameworks/usaid-ecbs.yaml" in clash[0]


def test_id_clash_in_a_workspace_names_both_files(tmp_path: Path) -> None:
    ws = _workspace_using(tmp_path, "acme-fw")
    _user_framework(ws / "frameworks")
    _user_framework(ws / "frameworks", ident="ifes-tech-guidelines", name="ifes-copy.yaml")
    _user_framework(tmp_path / "team", ident="acme-fw", name="acme-team.yaml")
    run = cli("validate", "emb", "--frameworks-dir", "team", cwd=tmp_path)
    assert run.returncode == 3
    clash = [ln for ln in run.stderr.splitlines() if "clashes" in ln]
    assert len(clash) == 2, run.stderr
    assert any(
        "emb/frameworks/ifes-copy.yaml:3" in ln and "frameworks/ifes-tech-guidelines.yaml" in ln
        for ln in clash
    )
    assert any("emb/frameworks/acme.yaml:3" in ln and "team/acme-team.yaml" in ln for ln in clash)


def test_workspace_own_scenario_clash_names_both_files(tmp_path: Path) -> None:
    ws = _workspace_using(tmp_path, "acme-fw")
    _user_framework(ws / "frameworks")
    shipped = next(p for p in SCENARIO_FILES if p.name != "techniques.yaml")
    (ws / "scenarios").mkdir()
    (ws / "scenarios" / "mine.yaml").write_text(shipped.read_text(), encoding="utf-8")
    run = cli("validate", "emb", cwd=tmp_path)
    assert run.returncode == 3
    clash = [ln for ln in run.stderr.splitlines() if "clashes" in ln]
    assert len(clash) == 1, run.stderr
    assert "emb/scenarios/mine.yaml" in clash[0] and f"scenarios/{shipped.name}" in clash[0]


def test_workspace_may_add_techniques_but_not_redefine_one(tmp_path: Path) -> None:
    ws = _workspace_using(tmp_path, "acme-fw")
    _user_framework(ws / "frameworks")
    (ws / "scenarios").mkdir()
    extra = ws / "scenarios" / "more-techniques.yaml"
    extra.write_text(
        "schema_version: 1\nkind: techniques\ntechniques:\n"
        "  - {id: sim_swap, title: SIM swap of an official's phone number}\n",
        encoding="utf-8",
    )
    loaded = load_workspace(ws)
    assert "sim_swap" in loaded.library.techniques and "phishing" in loaded.library.techniques
    extra.write_text(
        extra.read_text(encoding="utf-8") + "  - {id: phishing, title: Phishing again}\n",
        encoding="utf-8",
    )
    run = cli("validate", "emb", cwd=tmp_path)
    assert run.returncode == 3
    clash = [ln for ln in run.stderr.splitlines() if "clashes" in ln]
    assert len(clash) == 1, run.stderr
    assert "emb/scenarios/more-techniques.yaml:5" in clash[0]
    assert "scenarios/techniques.yaml" in clash[0]

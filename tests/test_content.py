"""Content rules for the shipped frameworks, beyond what the schema enforces.

The schema lets an EMB's own framework leave ``rubric`` out (the scale's descriptions are shown
instead); the shipped files must do better: every control carries a rubric of its own, with five
levels that are all written, all different and not just the scale's generic text. The shipped
example's platform scorecards must keep up with the platform commitments.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cyberready.io import data_dir
from cyberready.models import Framework
from cyberready.workspace import load_library, load_workspace

LIBRARY = load_library()
FRAMEWORKS = sorted(LIBRARY.frameworks.values(), key=lambda fw: fw.id)
EXAMPLES = sorted(p for p in data_dir("examples").iterdir() if (p / "emb.yaml").is_file())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def rubric_problems(fw: Framework) -> list[str]:
    """Every way a control of ``fw`` falls short of a complete rubric of its own."""
    generic = {_norm(lv.description) for lv in fw.maturity_scale.levels}
    problems: list[str] = []
    for c in fw.controls:
        if c.rubric is None:
            problems.append(f"{c.id}: no rubric")
            continue
        seen: dict[str, int] = {}
        for lv in range(5):
            text = _norm(c.rubric.get(lv, ""))
            if not text:
                problems.append(f"{c.id}: level {lv} is empty")
            elif text in generic:
                problems.append(f"{c.id}: level {lv} is the scale's text")
            elif text in seen:
                problems.append(f"{c.id}: levels {seen[text]} and {lv} are identical")
            seen.setdefault(text, lv)
    return problems


def test_the_shipped_scored_frameworks_are_checked() -> None:
    assert {"usaid-ecbs", "ifes-tech-guidelines"} <= {fw.id for fw in FRAMEWORKS}


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=lambda fw: fw.id)
def test_every_shipped_control_has_a_complete_rubric_of_its_own(fw: Framework) -> None:
    assert fw.controls
    assert rubric_problems(fw) == []


def test_the_rubric_check_catches_each_kind_of_flaw() -> None:
    """The content rule has teeth: a missing rubric, an empty level, two identical levels and a
    level copied from the scale are each reported, naming the control and level."""
    fw = LIBRARY.frameworks["usaid-ecbs"]
    first, second, third, fourth = fw.controls[:4]
    assert first.rubric is not None and second.rubric is not None and third.rubric is not None
    flawed = fw.model_copy(
        update={
            "controls": (
                first.model_copy(update={"rubric": None}),
                second.model_copy(update={"rubric": {**second.rubric, 3: "  "}}),
                third.model_copy(update={"rubric": {**third.rubric, 4: " " + third.rubric[2]}}),
                fourth.model_copy(
                    update={"rubric": {lv.level: lv.description for lv in fw.maturity_scale.levels}}
                ),
                *fw.controls[4:],
            )
        }
    )
    problems = rubric_problems(flawed)
    assert f"{first.id}: no rubric" in problems
    assert f"{second.id}: level 3 is empty" in problems
    assert f"{third.id}: levels 2 and 4 are identical" in problems
    assert f"{fourth.id}: level 0 is the scale's text" in problems
    assert all(p.split(":")[0] in {first.id, second.id, third.id, fourth.id} for p in problems)


def test_the_schema_still_accepts_a_control_without_a_rubric() -> None:
    fw = LIBRARY.frameworks["usaid-ecbs"]
    bare = fw.controls[0].model_dump(exclude={"rubric"})
    control = type(fw.controls[0]).model_validate(bare)
    assert control.rubric is None


def test_platform_commitments_keep_their_ids_and_add_twelve_and_thirteen() -> None:
    """Existing scorecards name TCG-01 ... TCG-11: those ids stay, and the commitments added
    later continue the numbering."""
    fw = LIBRARY.frameworks["ifes-tech-guidelines"]
    platform = [c.id for c in fw.controls if fw.subject_of(c) == "platform"]
    assert platform == [f"TCG-{n:02d}" for n in range(1, 14)]
    for c in fw.controls:
        if fw.subject_of(c) == "platform":
            ours = f"the number {c.id.casefold()} and this wording are ours"
            assert ours in _norm(c.guidance), c.id


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_scorecards_answer_every_platform_commitment(path: Path) -> None:
    """Together, an example's scorecards answer every commitment of the frameworks they use (one
    company may leave one out on purpose; a commitment nobody answers is a stale example)."""
    ws = load_workspace(path)
    for fw_id in {card.framework for card in ws.platforms}:
        fw = ws.library.frameworks[fw_id]
        commitments = {c.id for c in fw.controls if fw.subject_of(c) == "platform"}
        answered = {cid for card in ws.platforms if card.framework == fw_id for cid in card.answers}
        assert commitments - answered == set(), fw_id

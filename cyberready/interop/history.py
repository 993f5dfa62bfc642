"""Writing ``assessment.yaml`` and keeping every earlier one under ``history/`` (docs/scoring.md);
platform scorecards likewise, under ``platforms/history/``.

An earlier assessment is never overwritten: before a new ``assessment.yaml`` replaces it, the
old file is copied byte for byte to ``history/assessment-<as_of>.yaml`` (``-2``, ``-3``… when
that date is already taken), created exclusively so that two writers cannot clobber each other,
and only then is the new file put in place atomically. The workspace's lock is held meanwhile
(:mod:`cyberready.io._lock`); copying bytes that history already holds adds no entry, so a run
killed between the copy and the write can simply be run again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cyberready.errors import AssessmentError, Problem
from cyberready.io import (
    atomic_write_text,
    dump_yaml,
    is_inside,
    load_model_file,
    raise_if,
    read_bytes,
    workspace_lock,
    write_new_file,
)
from cyberready.models import Answer, Assessment, PlatformScorecard
from cyberready.workspace import history_key

__all__ = [
    "ASSESSMENT_FILE",
    "HISTORY_DIR",
    "assessment_yaml",
    "history_files",
    "history_key",
    "load_assessment_file",
    "save_assessment",
    "save_scorecard",
    "scorecard_yaml",
]

ASSESSMENT_FILE = "assessment.yaml"
HISTORY_DIR = "history"


def history_files(root: Path) -> list[Path]:
    """The workspace's history files, oldest first (by name: date, then repeat number)."""
    folder = root / HISTORY_DIR
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")]
    return sorted(files, key=lambda p: history_key(p.name))


def load_assessment_file(path: Path) -> Assessment:
    """Read and validate one ``kind: assessment`` file on its own (control ids are checked
    against the frameworks by whoever scores it). Raises :class:`AssessmentError`."""
    model, _, problems = load_model_file(path, display=str(path), expect=["assessment"])
    raise_if(problems, AssessmentError)
    assert isinstance(model, Assessment)
    return model


def _answer_dict(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {"level": answer.level}
    if answer.source != "none":
        out["source"] = answer.source
    if answer.evidence:
        out["evidence"] = answer.evidence
    if answer.notes:
        out["notes"] = answer.notes
    if answer.target is not None:
        out["target"] = answer.target
    return out


def scorecard_yaml(card: PlatformScorecard, header: str = "") -> str:
    """The platform scorecard as ``kind: platform_scorecard`` YAML, after ``header`` comment
    lines."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "kind": "platform_scorecard",
        "company": card.company,
        "framework": card.framework,
        "as_of": card.as_of,
        "assessor": card.assessor,
        "answers": {cid: _answer_dict(a) for cid, a in card.answers.items()},
    }
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + dump_yaml(data)


def save_scorecard(
    path: Path, card: PlatformScorecard, *, header: str = "", keep_previous: bool = True
) -> Path | None:
    """Write a company's platform scorecard to ``path`` (``platforms/<name>.yaml``), first
    keeping the previous file as ``platforms/history/<name>-<its as_of>.yaml`` (the workspace
    loader does not read that folder: only the current scorecard is scored). Returns where the
    previous one was kept (None if there was none). Like :func:`save_assessment`, it holds the
    workspace's lock, archives the very bytes it read, and refuses links out of the workspace."""
    workspace = path.parent.parent
    with workspace_lock(workspace):
        _check_links(workspace, path.parent, path, path.parent / HISTORY_DIR)
        archived = None
        if keep_previous and path.exists():
            data = read_bytes(path)
            archived = _archive(path.parent, _as_of_of(data), data, stem=path.stem)
        atomic_write_text(path, scorecard_yaml(card, header))
        return archived


def assessment_yaml(assessment: Assessment, header: str = "") -> str:
    """The assessment as ``kind: assessment`` YAML (defaults left out), after ``header``
    comment lines."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "kind": "assessment",
        "emb": assessment.emb,
        "frameworks": list(assessment.frameworks),
        "as_of": assessment.as_of,
        "assessor": assessment.assessor,
        "answers": {cid: _answer_dict(a) for cid, a in assessment.answers.items()},
    }
    if assessment.overrides:
        data["overrides"] = [
            ov.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
            for ov in assessment.overrides
        ]
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + dump_yaml(data)


def _archive(root: Path, as_of: str, data: bytes, *, stem: str = "assessment") -> Path:
    """Keep ``data`` in ``root/history/``: the entry already holding these bytes if there is
    one (a run killed between its archive and its write, then run again, adds no second copy),
    else a new ``<stem>-<as_of>[-n].yaml``, created exclusively."""
    folder = root / HISTORY_DIR
    for path in history_files(root):
        if not path.name.startswith(f"{stem}-"):
            continue
        if path.stat().st_size == len(data) and read_bytes(path) == data:
            return path
    n = 1
    while True:
        path = folder / (f"{stem}-{as_of}.yaml" if n == 1 else f"{stem}-{as_of}-{n}.yaml")
        if write_new_file(path, data):  # never replaces an entry, even one a racing writer made
            return path
        n += 1


_AS_OF_LINE = re.compile(r"""^as_of:[ \t]*(["']?)(\d{4}-\d{2}-\d{2})\1[ \t]*(?:#.*)?$""", re.M)


def _as_of_of(data: bytes) -> str:
    """The top-level ``as_of`` of an assessment file's bytes, as text (``undated`` if it has
    none): read from the very bytes that are archived, so name and content always agree."""
    m = _AS_OF_LINE.search(data.decode("utf-8", "replace"))
    return m[2] if m else "undated"


def _check_links(root: Path, *paths: Path) -> None:
    """Refuse to write through any of ``paths`` that is (or passes through) a link leaving the
    workspace ``root`` (docs/security.md)."""
    raise_if(
        [
            Problem(
                file=str(p),
                message="is a link that leaves the workspace; nothing was written",
                hint="a workspace's files and folders may link only to places inside it",
            )
            for p in paths
            if (p.exists() or p.is_symlink()) and not is_inside(root, p)
        ],
        AssessmentError,
    )


def save_assessment(
    root: Path, assessment: Assessment, *, header: str = "", keep_previous: bool = True
) -> Path | None:
    """Write ``root/assessment.yaml``, first keeping the previous one in ``history/``.

    Returns the history file the previous assessment was copied to (None if there was none).
    The previous file is read once, and those bytes are copied (comments kept) to
    ``history/assessment-<their as_of>.yaml``, or ``-2``, ``-3``… if that name is taken (or
    to nothing, if an entry already holds the same bytes); then the new file replaces
    ``assessment.yaml`` atomically. ``keep_previous=False`` is for the caller that has checked
    that nothing of the previous file would be lost (the same assessment, completed): it is
    replaced without a history entry. The workspace's lock is held throughout
    (:func:`~cyberready.io._lock.workspace_lock`); a link that leaves the workspace is refused.
    """
    with workspace_lock(root):
        _check_links(root, root / ASSESSMENT_FILE, root / HISTORY_DIR)
        target = root / ASSESSMENT_FILE
        archived = None
        if keep_previous and target.exists():
            data = read_bytes(target)
            archived = _archive(root, _as_of_of(data), data)
        atomic_write_text(target, assessment_yaml(assessment, header))
        return archived

"""Writing ``assessment.yaml`` and keeping every earlier one under ``history/`` (docs/scoring.md);
platform scorecards likewise, under ``platforms/history/``.

An earlier assessment is never overwritten: before a new ``assessment.yaml`` replaces it, the
old file is copied byte for byte to ``history/assessment-<as_of>.yaml`` (``-2``, ``-3``… when
that date is already taken), created exclusively so that two writers cannot clobber each other,
and only then is the new file put in place atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from cyberready.errors import AssessmentError
from cyberready.io import atomic_write_text, dump_yaml, load_model_file, raise_if, read_yaml
from cyberready.models import Answer, Assessment, PlatformScorecard

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
_HISTORY_NAME = re.compile(r"assessment-(\d{4}-\d{2}-\d{2})(?:-(\d+))?\.ya?ml")


def history_key(name: str) -> tuple[str, int, str]:
    """Sort key of a history file name: its date, then its repeat number (none = 1).

    >>> names = ["assessment-2026-01-05-2.yaml", "assessment-2026-01-05.yaml",
    ...          "assessment-2026-01-05-10.yaml", "assessment-2025-12-01.yaml"]
    >>> for n in sorted(names, key=history_key):
    ...     print(n)
    assessment-2025-12-01.yaml
    assessment-2026-01-05.yaml
    assessment-2026-01-05-2.yaml
    assessment-2026-01-05-10.yaml
    """
    m = _HISTORY_NAME.fullmatch(name)
    if m is None:
        return ("", 0, name)
    return (m[1], int(m[2] or 1), name)


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
    previous one was kept (None if there was none)."""
    archived = None
    if keep_previous and path.exists():
        archived = _archive(path.parent, _as_of_of(path), path.read_bytes(), stem=path.stem)
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


def _create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file atomically; FileExistsError if ``path`` exists (never overwrites)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if path exists: no overwrite, even in a race
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            with open(path, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _archive(root: Path, as_of: str, data: bytes, *, stem: str = "assessment") -> Path:
    """Keep ``data`` as ``root/history/<stem>-<as_of>.yaml`` (``-2``, ``-3``… when taken)."""
    folder = root / HISTORY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / (f"{stem}-{as_of}.yaml" if n == 1 else f"{stem}-{as_of}-{n}.yaml")
        if not path.exists():
            try:
                _create_exclusive(path, data)
                return path
            except FileExistsError:
                pass
        n += 1


def _as_of_of(path: Path) -> str:
    """The ``as_of`` of an assessment file, as text (``undated`` if it has none)."""
    doc, _ = read_yaml(path)
    value = doc.data.get("as_of") if doc is not None and isinstance(doc.data, dict) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return "undated"


def save_assessment(
    root: Path, assessment: Assessment, *, header: str = "", keep_previous: bool = True
) -> Path | None:
    """Write ``root/assessment.yaml``, first keeping the previous one in ``history/``.

    Returns the history file the previous assessment was copied to (None if there was none).
    The previous file is copied byte for byte (comments kept) to
    ``history/assessment-<its as_of>.yaml``, or ``-2``, ``-3``… if that name is taken; then the
    new file replaces ``assessment.yaml`` atomically. ``keep_previous=False`` is for the caller
    that has checked that nothing of the previous file would be lost (the same assessment,
    completed): it is replaced without a history entry.
    """
    target = root / ASSESSMENT_FILE
    archived = None
    if keep_previous and target.exists():
        archived = _archive(root, _as_of_of(target), target.read_bytes())
    atomic_write_text(target, assessment_yaml(assessment, header))
    return archived

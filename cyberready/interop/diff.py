"""Re-assessment diffs: what changed between two assessments of an EMB.

:func:`diff_assessments` is pure: it scores both assessments with the same frameworks (answers
only, at organisation level: the asset spread depends on the system and is left to
:func:`cyberready.score`) and lists controls that went up or down, controls that became
unassessed, ``n/a`` or applicable again, changed evidence sources and targets, score deltas per
domain, framework and overall, and overrides added or removed. :func:`diff_paths` loads the two
sides from files or workspaces first.

Examples
--------
>>> import cyberready
>>> from cyberready.interop.diff import diff_paths
>>> d = diff_paths(cyberready.example_path())  # the workspace against its latest history entry
>>> d.overall.delta is not None
True
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from cyberready.errors import AssessmentError, Problem
from cyberready.models import Assessment, Framework, Override
from cyberready.models.assessment import Level
from cyberready.scoring import AggregateScore, ControlScore, Readiness, score

if TYPE_CHECKING:
    import pandas as pd

    from cyberready.workspace import Library

__all__ = ["AggregateDelta", "AssessmentDiff", "ControlChange", "diff_assessments", "diff_paths"]

ChangeKind = Literal[
    "up", "down", "unassessed", "assessed", "now n/a", "applicable", "evidence", "target"
]


@dataclass(frozen=True)
class ControlChange:
    """One control whose answer changed.

    ``kind``: ``up``/``down`` (its score rose/fell; unassessed counts 0), ``unassessed`` (it
    had an answer and has none now), ``assessed`` (it had none and is answered at level 0, so
    its score is unchanged), ``now n/a``, ``applicable`` (it was ``n/a`` and has a level now),
    ``evidence`` (same level, another evidence source), ``target``.
    """

    framework: str
    domain: str
    control: str
    title: str
    kind: ChangeKind
    old_level: Level | None
    new_level: Level | None
    old_source: str
    new_source: str
    old_score: float | None
    new_score: float | None
    old_target: int | None
    new_target: int | None

    @property
    def delta(self) -> float | None:
        """New score - old score (None when either side is ``n/a``)."""
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score


@dataclass(frozen=True)
class AggregateDelta:
    """A domain, framework or the overall score, before and after."""

    scope: str
    framework: str
    domain: str
    title: str
    old: AggregateScore | None
    new: AggregateScore | None

    @property
    def delta(self) -> float | None:
        """New score - old score (None when either is missing)."""
        if self.old is None or self.new is None or self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "scope": self.scope,
            "framework": self.framework,
            "domain": self.domain,
            "title": self.title,
            "old": self.old.score if self.old else None,
            "new": self.new.score if self.new else None,
            "delta": self.delta,
            "old_coverage": self.old.coverage if self.old else None,
            "new_coverage": self.new.coverage if self.new else None,
            "old_unassessed": len(self.old.unassessed) if self.old else None,
            "new_unassessed": len(self.new.unassessed) if self.new else None,
        }


@dataclass(frozen=True)
class AssessmentDiff:
    """Everything that changed from ``old`` to ``new``."""

    old_label: str
    new_label: str
    old_as_of: dt.date
    new_as_of: dt.date
    overall: AggregateDelta
    frameworks: tuple[AggregateDelta, ...]
    domains: tuple[AggregateDelta, ...]
    changes: tuple[ControlChange, ...]
    overrides_added: tuple[str, ...] = ()
    overrides_removed: tuple[str, ...] = ()

    @property
    def up(self) -> tuple[ControlChange, ...]:
        """Controls whose score rose."""
        return tuple(c for c in self.changes if c.kind == "up")

    @property
    def down(self) -> tuple[ControlChange, ...]:
        """Controls whose score fell (newly unassessed ones included when they had a level)."""
        return tuple(
            c
            for c in self.changes
            if c.kind == "down" or (c.kind == "unassessed" and (c.delta or 0) < 0)
        )

    @property
    def newly_unassessed(self) -> tuple[ControlChange, ...]:
        """Controls that had an answer (a level or ``n/a``) and have none now."""
        return tuple(c for c in self.changes if c.kind == "unassessed")

    def to_frame(self, by: Literal["control", "domain"] = "control") -> pd.DataFrame:
        """One row per changed control (``control``), or per domain, framework and overall
        (``domain``, with old, new and delta scores)."""
        import pandas as pd

        if by == "domain":
            rows = [a.to_dict() for a in (self.overall, *self.frameworks, *self.domains)]
            return pd.DataFrame(rows)
        if by != "control":
            raise ValueError(f"by={by!r}: expected control or domain")
        return pd.DataFrame([_change_dict(c) for c in self.changes], columns=_CHANGE_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (``cyberready diff --json``)."""
        return {
            "old": {"label": self.old_label, "as_of": self.old_as_of.isoformat()},
            "new": {"label": self.new_label, "as_of": self.new_as_of.isoformat()},
            "overall": self.overall.to_dict(),
            "frameworks": [f.to_dict() for f in self.frameworks],
            "domains": [d.to_dict() for d in self.domains],
            "changes": [_change_dict(c) for c in self.changes],
            "newly_unassessed": [c.control for c in self.newly_unassessed],
            "overrides_added": list(self.overrides_added),
            "overrides_removed": list(self.overrides_removed),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{html.escape(self.old_label)}</b> ({self.old_as_of}) → "
            f"<b>{html.escape(self.new_label)}</b> ({self.new_as_of}): overall "
            f"{_signed(self.overall.delta)}; {len(self.up)} up, {len(self.down)} down, "
            f"{len(self.newly_unassessed)} newly unassessed.</p>"
        )
        return head + self.to_frame().to_html(index=False, na_rep="", escape=True)


_CHANGE_COLUMNS: Final = [
    "framework",
    "domain",
    "control",
    "title",
    "kind",
    "old_level",
    "new_level",
    "old_source",
    "new_source",
    "old_score",
    "new_score",
    "delta",
    "old_target",
    "new_target",
]
"""The columns of a change, in order: each is the :class:`ControlChange` attribute of its name,
so the JSON keys and the table's columns are the same list."""


def _change_dict(c: ControlChange) -> dict[str, Any]:
    return {k: getattr(c, k) for k in _CHANGE_COLUMNS}


def _signed(v: float | None) -> str:
    return "n/a" if v is None else f"{v:+.1f}"


def _kind(old: ControlScore, new: ControlScore) -> ChangeKind | None:
    if old.status != "unassessed" and new.status == "unassessed":
        return "unassessed"
    if old.status != "n/a" and new.status == "n/a":
        return "now n/a"
    if old.status == "n/a" and new.status != "n/a":
        return "applicable"
    if old.score is not None and new.score is not None and new.score != old.score:
        return "up" if new.score > old.score else "down"
    if old.status == "unassessed" and new.status == "answered":
        return "assessed"
    if old.source != new.source:
        return "evidence"
    if old.target != new.target:
        return "target"
    return None


def _override_text(ov: Override) -> str:
    return f"{ov.control} = {ov.level} on {ov.select.describe()}"


def _pair(
    old: Sequence[AggregateScore], new: Sequence[AggregateScore], scope: str
) -> tuple[AggregateDelta, ...]:
    olds = {(a.framework, a.domain): a for a in old}
    news = {(a.framework, a.domain): a for a in new}
    keys = [*news, *(k for k in olds if k not in news)]
    out = []
    for k in keys:
        o, n = olds.get(k), news.get(k)
        either = n or o
        title = either.title if either is not None else ""
        out.append(AggregateDelta(scope, k[0], k[1], title, o, n))
    return tuple(out)


def diff_assessments(
    old: Assessment,
    new: Assessment,
    frameworks: Sequence[Framework],
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> AssessmentDiff:
    """Compare two assessments scored with the same ``frameworks`` (those in either's scope).

    Every control of either side is compared: a control present in one framework list only
    shows as unassessed on the other side.
    """
    old_r: Readiness = score(frameworks=frameworks, assessment=old)
    new_r: Readiness = score(frameworks=frameworks, assessment=new)
    changes: list[ControlChange] = []
    for n in new_r.controls:
        o = old_r.control(n.control)
        kind = _kind(o, n)
        if kind is None:
            continue
        changes.append(
            ControlChange(
                framework=n.framework,
                domain=n.domain,
                control=n.control,
                title=n.title,
                kind=kind,
                old_level=o.level,
                new_level=n.level,
                old_source=o.source,
                new_source=n.source,
                old_score=o.score,
                new_score=n.score,
                old_target=o.target,
                new_target=n.target,
            )
        )
    old_ov = {_override_text(ov) for ov in old.overrides}
    new_ov = {_override_text(ov) for ov in new.overrides}
    return AssessmentDiff(
        old_label=old_label,
        new_label=new_label,
        old_as_of=old.as_of,
        new_as_of=new.as_of,
        overall=AggregateDelta(
            "overall", "", "", "All frameworks in scope", old_r.overall, new_r.overall
        ),
        frameworks=_pair(old_r.frameworks, new_r.frameworks, "framework"),
        domains=_pair(old_r.domains, new_r.domains, "domain"),
        changes=tuple(changes),
        overrides_added=tuple(sorted(new_ov - old_ov)),
        overrides_removed=tuple(sorted(old_ov - new_ov)),
    )


# --------------------------------------------------------------------------- from paths


def _side(
    path: Path, frameworks_dirs: Sequence[Path]
) -> tuple[Assessment, Library, str, Path | None]:
    """Load one side: an assessment file, or a workspace's current assessment."""
    from cyberready.interop.history import load_assessment_file
    from cyberready.workspace import load_library, load_workspace

    if path.is_dir():
        ws = load_workspace(path, frameworks_dirs=frameworks_dirs)
        if ws.assessment is None:
            raise AssessmentError(
                [
                    Problem(
                        file=str(path / "assessment.yaml"),
                        message="the workspace has no assessment",
                    )
                ]
            )
        return ws.assessment, ws.library, str(path / "assessment.yaml"), path
    assessment = load_assessment_file(path)
    dirs = list(frameworks_dirs)
    for parent in (path.parent, path.parent.parent):
        if (parent / "emb.yaml").is_file():
            if (parent / "frameworks").is_dir():
                dirs.append(parent / "frameworks")
            break
    return assessment, load_library(dirs), str(path), None


def diff_paths(
    old: Path | str, new: Path | str | None = None, *, frameworks_dirs: Sequence[Path] = ()
) -> AssessmentDiff:
    """Diff two assessment files or workspaces; with one workspace only, its latest history
    entry (``history/``) is the old side and its ``assessment.yaml`` the new.

    Raises :class:`~cyberready.errors.AssessmentError` when a side cannot be loaded or a
    single workspace has no history.
    """
    from cyberready.interop.history import history_files, load_assessment_file

    old_path = Path(old)
    if new is None:
        if not old_path.is_dir():
            raise AssessmentError(
                [
                    Problem(
                        file=str(old_path),
                        message="give two assessments, or one workspace folder with a history/",
                    )
                ]
            )
        new_a, lib, new_label, _ = _side(old_path, frameworks_dirs)
        entries = history_files(old_path)
        if not entries:
            raise AssessmentError(
                [
                    Problem(
                        file=str(old_path / "history"),
                        message="no earlier assessment to compare with",
                        hint="history/ fills up when `cyberready questionnaire import` replaces "
                        "an assessment; or give two files",
                    )
                ]
            )
        old_a = load_assessment_file(entries[-1])
        old_label = str(entries[-1])
    else:
        old_a, _, old_label, _ = _side(old_path, frameworks_dirs)
        new_a, lib, new_label, _ = _side(Path(new), frameworks_dirs)
    fw_ids = [*new_a.frameworks, *(f for f in old_a.frameworks if f not in new_a.frameworks)]
    missing = [f for f in fw_ids if f not in lib.frameworks]
    if missing:
        raise AssessmentError(
            [
                Problem(
                    file=old_label if f in old_a.frameworks else new_label,
                    field="frameworks",
                    value=f,
                    message=f"unknown framework {f!r}",
                    hint="pass its folder with --frameworks-dir",
                )
                for f in missing
            ]
        )
    return diff_assessments(
        old_a,
        new_a,
        [lib.frameworks[f] for f in fw_ids],
        old_label=old_label,
        new_label=new_label,
    )

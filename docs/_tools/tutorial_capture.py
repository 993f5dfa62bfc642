"""Run every command of the tutorial for real and keep what it printed.

The tutorial page (``docs/tutorial.md``) shows no hand-pasted output: each command below is run
in a fresh temporary folder, in order, through ``python -m cyberready`` of this checkout, and
its output (stdout and stderr, as a terminal would show them) is written to
``docs/_generated/<step>.txt``, which the page includes. The Sphinx build runs it first (this
module is a Sphinx extension), so a site that built is a tutorial whose every command ran; a
command that exits with a code other than the one the tutorial expects stops the build.

Run it alone with ``python docs/_tools/tutorial_capture.py [OUT_DIR]``.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
OUT = DOCS / "_generated"

WORKSPACE = "my-emb"
"""The folder the tutorial's EMB lives in, inside the temporary folder."""

AS_OF = date.today().isoformat()
"""The assessment date the filled-in questionnaire is imported with: the day `init` dated the
workspace's (empty) assessment."""

BUDGET = "150000"
"""The improvement budget, in USD, given on the command line (a new emb.yaml sets none)."""

TRIALS = "300"
"""Trials per scenario: few, so the build stays quick (the tutorial says the default is 10,000)."""


@dataclass(frozen=True)
class Step:
    """One command of the tutorial: its snippet name, its arguments and its expected exit code."""

    name: str
    args: tuple[str, ...]
    exit_code: int = 0
    before: Callable[[Path], str] | None = None
    """Work done in the folder before the command (what a person would do by hand); it returns
    what the snippet shows of it."""


def _fill_questionnaire(folder: Path) -> str:
    """What the assessors do in a spreadsheet: answer every control the workbook leaves blank,
    and record one improvement since the last assessment."""
    path = folder / "questionnaire.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or ())
        rows = list(reader)
    evidence = {
        "document": "Procedure approved by the Commission, 2026",
        "interview": "Interview with the ICT manager",
        "test": "Tested by the national CERT, exercise of 2026-10",
        "observation": "Seen in operation at headquarters",
    }
    changed = []
    for i, row in enumerate(rows):
        if not row["level"].strip():
            level = (1, 2, 2, 3, 0, 2)[i % 6]
            source = ("document", "interview", "test", "observation")[i % 4]
            row.update(
                level=str(level),
                source=source,
                evidence=evidence[source],
                target=str(min(4, max(level + 1, 3))),
            )
            changed.append(row)
    if rows and not changed:
        row = rows[0]
        row["level"] = str(min(4, int(row["level"] or 0) + 1))
        row["source"] = "test"
        row["evidence"] = "Tutorial: checked again after the fix"
        changed.append(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    shown = ["framework", "control", "level", "source", "evidence", "target"]
    text = io.StringIO()
    table = csv.writer(text, lineterminator="\n")
    table.writerow(shown)
    table.writerows([row[k] for k in shown] for row in changed[:5])
    if len(changed) > 5:
        text.write(f"... ({len(changed)} rows answered in all, other columns left out here)\n")
    return text.getvalue()


def steps() -> list[Step]:
    """The tutorial's commands, in order."""
    ws = WORKSPACE
    return [
        Step(
            "init",
            (
                "init",
                ws,
                "--name",
                "Electoral Commission of Examplia",
                "--id",
                "examplia-ec",
                "--country",
                "EX",
                "--election-date",
                "2027-03-14",
                "--archetype",
                "paper-ert",
                "--no-input",
            ),
        ),
        Step("validate-new", ("validate", ws)),
        Step("export", ("questionnaire", "export", "--emb", ws, "--out", "questionnaire.csv")),
        Step(
            "import",
            ("questionnaire", "import", "questionnaire.csv", "--into", ws, "--as-of", AS_OF),
            before=_fill_questionnaire,
        ),
        Step("validate", ("validate", ws)),
        Step("assess", ("assess", ws)),
        Step("simulate", ("simulate", ws, "--trials", TRIALS)),
        Step(
            "prioritize",
            (
                "prioritize",
                ws,
                "--budget",
                BUDGET,
                "--trials",
                TRIALS,
                "--top",
                "5",
                "--explain",
                "2",
            ),
        ),
        Step(
            "report",
            (
                "report",
                ws,
                "--budget",
                BUDGET,
                "--trials",
                TRIALS,
                "--audience",
                "all",
                "--format",
                "html,md,json",
                "--out",
                "reports/",
            ),
        ),
    ]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CYBERREADY", "COLUMNS"))}
    env.update(
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        COLUMNS="100",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
        PYTHONUNBUFFERED="1",  # stdout and stderr in the order a terminal shows them
    )
    return env


def capture(out: Path = OUT, *, log: Callable[[str], Any] = print) -> float:
    """Run the tutorial in a temporary folder, writing one snippet per step to ``out``.

    Returns the seconds it took. Raises ``RuntimeError`` naming the command whose exit code is
    not the expected one, with what it printed.
    """
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    env = _environment()
    with tempfile.TemporaryDirectory(prefix="cyberready-tutorial-") as tmp:
        folder = Path(tmp)
        for step in steps():
            shown = step.before(folder) if step.before is not None else ""
            if shown:
                (out / f"{step.name}-input.txt").write_text(shown, encoding="utf-8")
            log(f"tutorial: cyberready {' '.join(step.args)}")
            proc = subprocess.run(
                [sys.executable, "-m", "cyberready", *step.args],
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                timeout=600,
                check=False,
            )
            text = proc.stdout.replace(tmp, "").rstrip() + "\n"
            if proc.returncode != step.exit_code:
                raise RuntimeError(
                    f"tutorial command `cyberready {' '.join(step.args)}` exited "
                    f"{proc.returncode}, not {step.exit_code}:\n{text}"
                )
            command = " ".join(_quote(a) for a in step.args)
            (out / f"{step.name}.txt").write_text(
                f"$ cyberready {command}\n{text}", encoding="utf-8"
            )
        reports = sorted(p.relative_to(folder).as_posix() for p in (folder / "reports").iterdir())
        (out / "reports-list.txt").write_text(
            "$ ls reports/\n" + "\n".join(Path(r).name for r in reports) + "\n", encoding="utf-8"
        )
    return time.monotonic() - started


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: capture the tutorial before the pages are read."""
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    logger = logging.getLogger(__name__)

    def run(_app: Any) -> None:
        if os.environ.get("CYBERREADY_DOCS_REUSE_TUTORIAL") and any(OUT.glob("*.txt")):
            logger.info("tutorial: reusing the output captured before (not for CI)")
            return
        try:
            seconds = capture(OUT, log=logger.info)
        except RuntimeError as e:
            raise ExtensionError(str(e)) from e
        logger.info(f"tutorial: every command ran, in {seconds:.0f} s")

    app.connect("builder-inited", run)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else OUT
    seconds = capture(out)
    print(f"wrote {out} in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

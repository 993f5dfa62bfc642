"""Workflow benchmark (issue 13, items 7–8): what a user waits for, before and after, in one run.

Run from the repository root (a git checkout: the *before* tree is read from its history)::

    python -m benchmarks.workflow_bench                 # 4,000 assets, default trials (~1 h)
    python -m benchmarks.workflow_bench --quick         # 300 assets, 200 trials: a smoke test
    python -m benchmarks.workflow_bench --before-sample 3   # 3 of the 15 old reports, scaled

Two trees are timed on the same machine, one after the other, each command in a fresh process:

* **before**: commit ``2f1dd6e`` (the last commit before the workflow work), exported with
  ``git archive`` into a temporary folder. There every report re-runs the whole assessment, so
  the 15 reports (3 audiences × 5 formats) are 15 ``report`` invocations;
* **after**: this tree. The 15 reports are one ``report --audience all --format all``, and
  again as ``assess --save`` followed by ``report --from``.

Both trees time ``prioritize`` on the same workspace, ``cyberready --help`` and ``validate`` of
the Examplia example. The workspace is generated once, by the *before* tree's
:func:`benchmarks.generators.write_emb_workspace` (``version2=True``; its assessment answers
only the controls that tree knows, which this one reads as well, the newer controls
unassessed), and both trees read the same files; both validate it, untimed, before anything
is timed. Each tree first runs one small ``simulate`` of Examplia, untimed, so that neither
pays for writing its bytecode or compiling the numba kernels (the ``fast`` extra) in a timed
command.

Every timed command records its wall time, exit code, peak memory and the load average
(``os.getloadavg``) just before it starts. The results go to ``benchmarks/workflow-results.json``
and ``benchmarks/workflow-results.md``; ``python -m benchmarks.run --render-from
benchmarks/results.json`` copies the Markdown into ``benchmarks/results.md`` (this script does
that itself unless ``--no-render``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEFORE_COMMIT = "2f1dd6e"
"""The last commit before the workflow work (issue 13)."""
AUDIENCES = ("technical", "advisor", "donor")
FORMATS = ("html", "pdf", "md", "json", "xlsx")
RESULTS_MD = ROOT / "benchmarks" / "workflow-results.md"
RESULTS_JSON = ROOT / "benchmarks" / "workflow-results.json"
TARGETS = {
    "reports": (240.0, "all 15 reports"),
    "prioritize": (30.0, "`prioritize`"),
    "help": (0.5, "`cyberready --help`"),
    "validate": (1.5, "`validate examples/examplia`"),
}
"""Issue 13's targets in seconds, by task."""

_MEASURE = (
    "import json, os, resource, subprocess, sys, time\n"
    "load = os.getloadavg()[0]\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'seconds': time.perf_counter() - t, 'rc': r.returncode, 'load': load,\n"
    "    'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,\n"
    "    'err': r.stderr[-1500:]}))\n"
)
"""Runs argv in a child process: wall time, exit code, peak memory, load average at start."""


@dataclass
class Timed:
    """One command of one tree."""

    tree: str
    """``before`` or ``after``."""
    task: str
    """``reports``, ``prioritize``, ``help`` or ``validate`` (what the targets are about)."""
    command: str
    seconds: float
    exit_code: int
    peak_rss_mb: float
    load: float
    """1-minute load average just before the command started."""
    error: str = ""


def export_tree(commit: str, dest: Path) -> Path:
    """The files of ``commit`` (``git archive``) in ``dest``: no worktree to clean up."""
    dest.mkdir(parents=True)
    archive = dest.with_suffix(".tar")
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", commit], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()
    return dest


class Tree:
    """A source tree of cyberready run as ``python -m cyberready`` with its own PYTHONPATH."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.root = root
        self.env = {**os.environ, "PYTHONPATH": str(root)}

    def run(self, task: str, args: list[str], shown: str, cwd: Path) -> Timed:
        """Time ``cyberready ARGS`` in a fresh process."""
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURE, sys.executable, "-m", "cyberready", *args],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(proc.stdout.splitlines()[-1])
        err = got["err"].strip().splitlines()
        timed = Timed(
            tree=self.name,
            task=task,
            command=shown,
            seconds=got["seconds"],
            exit_code=got["rc"],
            peak_rss_mb=got["rss_mb"],
            load=got["load"],
            error=err[-1] if got["rc"] and err else "",
        )
        status = f"exit {timed.exit_code}" + (f": {timed.error}" if timed.error else "")
        print(
            f"[{time.strftime('%H:%M:%S')}] {self.name:6} {shown}: {timed.seconds:.1f} s, "
            f"load {timed.load:.1f}, {status}",
            file=sys.stderr,
            flush=True,
        )
        return timed

    def generate(self, dest: Path, size: int) -> int:
        """This tree's generated workspace of about ``size`` assets: its exact asset count."""
        code = (
            "import sys; from pathlib import Path; from benchmarks.generators import "
            "write_emb_workspace as w; "
            "print(w(Path(sys.argv[1]), int(sys.argv[2]), version2=True).n_assets)"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, str(dest), str(size)],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(proc.stdout.split()[-1])

    def check(self, ws: Path) -> None:
        """Stop before timing anything when this tree cannot read the workspace."""
        proc = subprocess.run(
            [sys.executable, "-m", "cyberready", "validate", str(ws)],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            raise SystemExit(f"the {self.name} tree rejects the workspace:\n{proc.stderr[-3000:]}")

    def warm_up(self) -> None:
        """Bytecode and numba caches written before anything is timed."""
        subprocess.run(
            [sys.executable, "-m", "cyberready", "simulate", "examples/examplia", "--trials", "50"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            check=False,
        )


def sampled(n: int | None) -> list[tuple[str, str]]:
    """The (audience, format) reports the *before* tree times: all 15, or ``n`` spread evenly
    over the audiences and formats (every one re-runs the same assessment, so they take about
    the same time; ``--before-sample`` keeps a two-hour measurement to a fraction of it)."""
    every = [(a, f) for a in AUDIENCES for f in FORMATS]
    if n is None or n >= len(every):
        return every
    # i -> (i mod 3, i mod 5) visits all 15 pairs once (3 and 5 are coprime): any n of them
    # cover as many audiences and formats as n allows
    return [(AUDIENCES[i % len(AUDIENCES)], FORMATS[i % len(FORMATS)]) for i in range(n)]


def run_tree(
    tree: Tree,
    ws: Path,
    work: Path,
    *,
    trials: list[str],
    one_run: bool,
    sample: int | None = None,
) -> list[Timed]:
    """Every timed command of one tree (``one_run``: the tree writes the 15 reports from one
    assessment; else one ``report`` per audience and format, or ``sample`` of them)."""
    out = work / tree.name
    out.mkdir()
    tree.warm_up()
    example = str(tree.root / "examples" / "examplia")

    def cli(task: str, args: list[str]) -> Timed:
        shown = " ".join(["cyberready", *args]).replace(str(ws), "WS")
        return tree.run(task, [*args, *trials], shown, out)

    rows = [tree.run("help", ["--help"], "cyberready --help", out)]
    shown = "cyberready validate examples/examplia"
    rows.append(tree.run("validate", ["validate", example], shown, out))
    every = ["--audience", "all", "--format", "all"]
    if one_run:
        rows.append(cli("reports", ["report", str(ws), *every, "--out", "all"]))
        rows.append(cli("reports (saved run)", ["assess", str(ws), "--save", "run.json"]))
        rows.append(
            cli(
                "reports (saved run)",
                ["report", str(ws), "--from", "run.json", *every, "--out", "from-run"],
            )
        )
    else:
        for aud, fmt in sampled(sample):
            one = ["--audience", aud, "--format", fmt, "--out", f"{aud}.{fmt}"]
            rows.append(cli("reports", ["report", str(ws), *one]))
    rows.append(cli("prioritize", ["prioritize", str(ws)]))
    return rows


def totals(rows: list[Timed]) -> dict[tuple[str, str], tuple[float, int, bool]]:
    """Per (tree, task): seconds summed over its commands, how many, all exited 0."""
    out: dict[tuple[str, str], tuple[float, int, bool]] = {}
    for r in rows:
        s, n, ok = out.get((r.tree, r.task), (0.0, 0, True))
        out[(r.tree, r.task)] = (s + r.seconds, n + 1, ok and r.exit_code == 0)
    return out


def render(data: dict[str, Any]) -> str:
    """The workflow section of ``results.md``."""
    meta = data["meta"]
    rows = [Timed(**r) for r in data["rows"]]
    sums = totals(rows)
    loads = [r.load for r in rows]

    def minutes(s: float) -> str:
        return f"{s:.1f} s" if s < 60 else f"{s / 60:.1f} min"

    def cell(tree: str, task: str) -> str:
        if (tree, task) not in sums:
            return "–"
        s, n, ok = sums[(tree, task)]
        if tree == "before" and task == "reports" and n < len(AUDIENCES) * len(FORMATS):
            whole = s / n * len(AUDIENCES) * len(FORMATS)
            text = f"≈ {minutes(whole)} ({n} of 15 timed: {minutes(s / n)} each)"
        else:
            text = minutes(s) + (f" ({n} runs)" if n > 1 else "")
        return text if ok else f"{text}, FAILED"

    lines = [
        "## Workflow (issue 13, items 7–8)",
        "",
        f"Measured {meta['date']} with `{meta['command']}` ({meta['elapsed_minutes']:.0f} min) on "
        f"{meta['machine']}: a generated workspace of {meta['n_assets']:,} assets "
        f"(`write_emb_workspace(root, {meta['size']}, version2=True)`), {meta['trials']} trials. "
        f"*before* is commit {meta['before']} (every report re-runs the assessment), *after* "
        f"commit {meta['after']}; "
        + (
            f"only the {meta['only']} tree timed (a check)"
            if meta.get("only")
            else "both in the same run"
        )
        + ", one command at a time, each in a fresh "
        f"process. Load average (1 min) before the commands: {min(loads):.1f} to "
        f"{max(loads):.1f}; the machine has {meta['cores']} vCPUs.",
        "",
        "| task | target | before | after | after, `assess --save` + `report --from` |",
        "|---|---:|---:|---:|---:|",
    ]
    for task, (goal, label) in TARGETS.items():
        saved = cell("after", "reports (saved run)") if task == "reports" else ""
        lines.append(
            f"| {label} | ≤ {goal:g} s | {cell('before', task)} | {cell('after', task)} | {saved} |"
        )
    lines += [
        "",
        "Every command (seconds, peak memory of its process, load average when it started):",
        "",
        "| tree | command | exit | seconds | peak MB | load |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.tree} | `{r.command}` | {r.exit_code} | {r.seconds:.1f} | "
            f"{r.peak_rss_mb:.0f} | {r.load:.1f} |"
        )
    return "\n".join(lines) + "\n"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.workflow_bench", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument(
        "--size", type=int, default=None, help="Assets of the generated workspace (4,000)."
    )
    ap.add_argument(
        "--trials", type=int, default=None, help="--trials for every command (default: theirs)."
    )
    ap.add_argument("--before", default=BEFORE_COMMIT, help="The commit timed as 'before'.")
    ap.add_argument("--quick", action="store_true", help="300 assets, 200 trials: a smoke test.")
    ap.add_argument(
        "--only", choices=("before", "after"), default=None, help="Time one tree (a check)."
    )
    ap.add_argument(
        "--before-sample",
        type=int,
        default=None,
        metavar="N",
        help="Time N of the before tree's 15 reports, spread over audiences and formats, and "
        "scale their mean to 15 (each re-runs the whole assessment: about 8 min on 4,000 assets).",
    )
    ap.add_argument("--no-render", action="store_true", help="Leave benchmarks/results.md.")
    ap.add_argument("--out", type=Path, default=RESULTS_MD)
    ap.add_argument("--json", type=Path, default=RESULTS_JSON)
    args = ap.parse_args(argv)
    if args.quick:
        args.trials = args.trials or 200
    args.size = args.size or (300 if args.quick else 4000)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from benchmarks.run import machine

    command = " ".join(
        ["python -m benchmarks.workflow_bench", *(argv if argv is not None else sys.argv[1:])]
    )
    started = time.time()
    trials = ["--trials", str(args.trials)] if args.trials else []
    git = ["git", "rev-parse", "--short"]
    before = subprocess.run([*git, args.before], cwd=ROOT, capture_output=True, text=True)
    after = subprocess.run([*git, "HEAD"], cwd=ROOT, capture_output=True, text=True)
    with tempfile.TemporaryDirectory(prefix="cyberready-workflow-") as tmp:
        work = Path(tmp)
        old = Tree("before", export_tree(args.before, work / "before-tree"))
        new = Tree("after", ROOT)
        n_assets = old.generate(work / "ws", args.size)
        old.check(work / "ws")
        new.check(work / "ws")
        rows: list[Timed] = []
        if args.only != "after":
            rows += run_tree(
                old, work / "ws", work, trials=trials, one_run=False, sample=args.before_sample
            )
        if args.only != "before":
            rows += run_tree(new, work / "ws", work, trials=trials, one_run=True)
    info = machine()
    data = {
        "meta": {
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "command": command.strip(),
            "elapsed_minutes": (time.time() - started) / 60,
            "machine": f"{info['cpu']}, {info['memory']}, Python {info['python']}, "
            f"numba {info['numba']}",
            "cores": info["cores"],
            "size": args.size,
            "n_assets": n_assets,
            "trials": args.trials or "default",
            "before": before.stdout.strip() or args.before,
            "after": after.stdout.strip() or "unknown",
            "only": args.only,
            "before_sample": args.before_sample,
        },
        "rows": [asdict(r) for r in rows],
    }
    from cyberready.io import atomic_write_text

    atomic_write_text(args.json, json.dumps(data, indent=1) + "\n")
    atomic_write_text(args.out, render(data))
    print(f"wrote {args.out} and {args.json}", file=sys.stderr)
    results = ROOT / "benchmarks" / "results.json"
    if not args.no_render and args.out == RESULTS_MD and results.exists():
        from benchmarks.run import main as run_main

        run_main(["--render-from", str(results)])
    failed = [r for r in rows if r.exit_code]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The notebooks in ``notebooks/`` run top to bottom (each cell asserts on what it shows), on
this very interpreter, and are kept in git with their outputs stripped."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "cyberready-tests"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A kernelspec, in a folder of its own, that starts ``sys.executable`` (not whatever
    ``python3`` a user or CI image happens to have installed), with this checkout importable."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "cyberready tests",
                "language": "python",
                "env": {
                    "PYTHONPATH": os.pathsep.join(
                        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
                    ),
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                },
            }
        ),
        encoding="utf-8",
    )
    return {"JUPYTER_PATH": str(home)}


def test_there_are_three_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-analyst-walkthrough.ipynb",
        "02-scenario-exploration.ipynb",
        "03-donor-portfolio.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_its_checks_pass(
    path: Path, kernel_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, if a check fails
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    # and it showed something: tables or charts, not just silence
    shown = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type in ("display_data", "execute_result")
    ]
    assert any("text/html" in o.get("data", {}) for o in shown)
    assert any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
               for o in shown) or path.stem == "03-donor-portfolio"  # fmt: skip

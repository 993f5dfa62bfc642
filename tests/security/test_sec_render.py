"""Issue 17, items 1 and 15: templates run sandboxed, the finished donor and portfolio documents
are read back for sensitive text before they are written, and the same input gives the same
bytes in every format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_workspace import write_workspace

import cyberready
from cyberready.cli import main
from cyberready.errors import DisclosureError
from cyberready.report import Format, build_view, render
from cyberready.report.models import DonorView
from cyberready.report.render import html_to_pdf
from cyberready.report.views import redactor

FAST = ["--trials", "20", "--screen-trials", "10", "--seed", "3"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> tuple[Path, Path]:
    """A copy of Examplia and a run of it saved once (``assess --save``): the template tests
    render from it with ``report --from``, as what they check happens when rendering."""
    ws = Path(shutil.copytree(example_dir, tmp_path_factory.mktemp("saved") / "examplia"))
    run = ws.parent / "run.json"
    res = CliRunner().invoke(main, ["assess", str(ws), "--save", str(run), *FAST])
    assert res.exit_code == 0, res.output
    return ws, run


@pytest.fixture(scope="module")
def example_result(examplia_quick: cyberready.AssessmentResult) -> cyberready.AssessmentResult:
    """Examplia, 20 trials, seed 3 (the session's, see conftest)."""
    return examplia_quick


def _templates(root: Path, **files: str) -> Path:
    folder = root / "my-templates"
    folder.mkdir()
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def _report(saved: tuple[Path, Path], out: Path, *args: str) -> tuple[int, str]:
    ws, run = saved
    res = CliRunner().invoke(
        main,
        ["report", str(ws), "--from", str(run), "--audience", "donor", "--out", str(out), *args],
    )
    return res.exit_code, res.output


def test_a_template_reaching_python_globals_is_refused_and_runs_nothing(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    attack = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}\n"
    folder = _templates(tmp_path, donor_md_j2=attack)
    out = tmp_path / "donor.md"
    code, output = _report(saved, out, "--format", "md", "--templates", str(folder))
    assert code == 3, output
    assert str(folder / "donor.md.j2") in output
    assert "unsafe" in output and "Traceback" not in output
    assert not marker.exists()  # the shell command never ran
    assert not out.exists()


@pytest.mark.parametrize(
    "walk",
    [
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ lipsum.__globals__['__builtins__']['__import__']('gc').get_objects() }}",
    ],
)
def test_a_template_walking_the_objects_cannot_reach_the_assessment(
    saved: tuple[Path, Path], tmp_path: Path, walk: str
) -> None:
    folder = _templates(tmp_path, donor_html_j2=walk)
    out = tmp_path / "donor.html"
    code, output = _report(saved, out, "--format", "html", "--templates", str(folder))
    assert code == 3, output
    assert "donor.html.j2" in output
    assert not out.exists()
    assert "vr-db" not in output and "Central voter register" not in output


def test_a_template_printing_a_sensitive_term_is_refused_naming_term_and_file(
    saved: tuple[Path, Path], tmp_path: Path
) -> None:
    # the template does nothing unsafe: it just types an asset label (with a no-break space)
    folder = _templates(
        tmp_path,
        donor_md_j2="# Donor summary\n\nWe fund the AFIS biometric de\u2011duplication\nSERVER.\n",
        donor_html_j2="<html><body><p>Priority: vr_db</p></body></html>",
    )
    for fmt, term in (("md", "'AFIS biometric de-duplication server'"), ("pdf", "'vr-db'")):
        out = tmp_path / f"donor.{fmt}"
        code, output = _report(saved, out, "--format", fmt, "--templates", str(folder))
        assert code == 3, output
        assert term in output and "system.yaml" in output, output
        assert not out.exists()


@pytest.mark.parametrize("fmt", ["html", "md", "json", "xlsx", "pdf"])
def test_the_final_bytes_of_every_donor_format_are_checked(
    example_result: cyberready.AssessmentResult, fmt: Format
) -> None:
    view = build_view(example_result, "donor")
    assert isinstance(view, DonorView)
    guard = redactor(example_result.workspace)
    render(view, fmt, guard=guard)  # the real view passes
    leaked = view.model_copy(
        update={"meta": view.meta.model_copy(update={"emb_name": "IEC (vr\u2011db)"})}
    )
    with pytest.raises(DisclosureError, match=r"asset id .vr-db. from system\.yaml"):
        render(leaked, fmt, guard=guard)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_a_pdf_is_checked_through_its_text_layer(
    example_result: cyberready.AssessmentResult,
) -> None:
    pdf = html_to_pdf("<html><body><p>Fix the afis server first</p></body></html>")
    with pytest.raises(DisclosureError, match="text layer"):
        redactor(example_result.workspace).check_output(pdf, "pdf")


def test_the_shipped_portfolio_template_runs_in_the_sandbox() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from cyberready.report.portfolio_report import _environment

    assert isinstance(_environment(), ImmutableSandboxedEnvironment)


def test_the_same_input_gives_the_same_bytes_in_every_format(tmp_path: Path) -> None:
    # the small report workspace, not Examplia: what could differ between two runs (the clock,
    # random ids, counters kept from one render to the next) does not depend on the EMB's size,
    # and its reports have every section and chart of a full one (history, a platform
    # scorecard, incidents, overrides)
    ws = write_workspace(tmp_path / "ws")
    outs = []
    for k in (1, 2):
        out = tmp_path / f"run{k}"
        run = CliRunner().invoke(
            main,
            ["report", str(ws), "--audience", "donor,technical", "--format", "all", "--out",
             str(out), *FAST],
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert len(names) == 10
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    # the XLSX dates are the assessment's, not the moment of rendering
    import zipfile

    with zipfile.ZipFile(outs[0] / "rep-emb-donor.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {i.date_time for i in z.infolist()}
    assessment = cyberready.load_workspace(ws).assessment
    assert assessment is not None
    as_of = assessment.as_of
    assert core.count(f"{as_of.isoformat()}T00:00:00Z") == 2
    assert stamps == {(as_of.year, as_of.month, as_of.day, 0, 0, 0)}

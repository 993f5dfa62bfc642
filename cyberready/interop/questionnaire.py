"""The spreadsheet questionnaire: an EMB's answers to every framework in its scope as one XLSX
workbook (or a CSV) that a non-programmer can fill in offline, and its validated import back
into a workspace.

The workbook has an *Instructions* sheet (how to fill it in, each framework's maturity scale,
the evidence sources, the assessment date and assessor cells), one sheet per domain of each
framework (one row per control: the answer cells — level, evidence source, evidence, notes,
target — are the only unlocked cells, with drop-downs; the rubric of each level sits beside
them) and a hidden metadata sheet naming the frameworks, their versions, the EMB and the sheet
and row of every control, so that renamed sheets and deleted rows are caught on import.

:func:`read_questionnaire` checks every cell and reports all problems at once, each with its
sheet and cell (``VR!D14``: ``level 7 is not in 0–4 or n/a``); :func:`import_questionnaire`
takes one or more files as one assessment, writes nothing unless everything is valid, and
keeps the previous ``assessment.yaml`` under ``history/`` (:mod:`cyberready.interop.history`)
when the import starts a new assessment; completing the current one (another framework's
answers for the same date) or changing nothing adds no history entry. The CSV form holds the
same answers, one row per control, and is checked the same way (problems name the CSV line).

Carriage returns in text cells come back as plain newlines (XML normalises them).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from cyberready._version import __version__
from cyberready.errors import AssessmentError, Problem, did_you_mean
from cyberready.interop.history import ASSESSMENT_FILE, save_assessment, save_scorecard
from cyberready.io import (
    CSV_GUARD,
    GENERATOR,
    MAX_FILE_BYTES,
    MAX_ROW_PROBLEMS,
    CsvRecords,
    atomic_write_bytes,
    atomic_write_text,
    csv_guard,
    read_text,
    workspace_lock,
)
from cyberready.models import (
    Answer,
    Assessment,
    Control,
    EmbProfile,
    Framework,
    PlatformScorecard,
)
from cyberready.models.assessment import Level
from cyberready.models.framework import localized, translation_of
from cyberready.models.vocab import EVIDENCE_SOURCES
from cyberready.report.i18n import default_locale, translations
from cyberready.report.numbers import punctuation, text_direction
from cyberready.scoring import SOURCE_WEIGHTS

if TYPE_CHECKING:
    from cyberready.models.framework import Translation
    from cyberready.workspace import Workspace

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ImportResult",
    "QuestionnaireAnswers",
    "build_workbook",
    "export_questionnaire",
    "import_questionnaire",
    "questionnaire_csv",
    "read_questionnaire",
    "write_questionnaire",
    "write_scorecard_workbook",
]

FORMAT_NAME: Final = "cyberready-questionnaire"
FORMAT_VERSION: Final = 2
"""Version 2 holds several frameworks (version 1, one framework per workbook, is still read)."""
META_SHEET: Final = "_cyberready"
INSTRUCTIONS_SHEET: Final = "Instructions"
AS_OF_CELL: Final = "B6"
ASSESSOR_CELL: Final = "B7"
HEADER_ROW: Final = 3
FIRST_ROW: Final = 4
MAX_UNZIPPED_BYTES: Final = 64 * 1024 * 1024
"""Largest uncompressed workbook read (a questionnaire is a few hundred kilobytes)."""
ROW_MARGIN: Final = 1_000
"""Rows a sheet may use beyond one per control of the frameworks known (notes typed below the
table, blank formatted rows); a sheet reaching further is refused before it is read."""
MAX_COLUMNS: Final = 64
"""Columns a sheet may use (A to BL; the domain sheets use A to O)."""
MACRO_PARTS: Final = ("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml")
"""Zip members (lower case) that make a workbook macro-enabled: refused, whatever its name."""

# (key, header) of each column of a domain sheet, in order: A, B, C, ...
_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("control", "Control"),
    ("title", "Title"),
    ("objective", "Objective and guidance"),
    ("level", "Level"),
    ("source", "Evidence source"),
    ("evidence", "Evidence"),
    ("notes", "Notes"),
    ("target", "Target level"),
    ("rubric0", "Level 0"),
    ("rubric1", "Level 1"),
    ("rubric2", "Level 2"),
    ("rubric3", "Level 3"),
    ("rubric4", "Level 4"),
    ("weight", "Weight"),
    ("applies_to", "Applies to"),
)
_COL: Final = {key: i + 1 for i, (key, _h) in enumerate(_COLUMNS)}
_ANSWER_KEYS: Final = ("level", "source", "evidence", "notes", "target")
_WIDTHS: Final = {
    "control": 14,
    "title": 36,
    "objective": 60,
    "level": 8,
    "source": 14,
    "evidence": 40,
    "notes": 32,
    "target": 9,
    "weight": 8,
    "applies_to": 28,
}
_LEVELS_TEXT: Final = "0,1,2,3,4,n/a"
_NA_SPELLINGS: Final = frozenset({"n/a", "na", "n.a."})
Gettext = Callable[[str], str]

_CSV_COLUMNS: Final = (
    "framework",
    "domain",
    "control",
    "title",
    "weight",
    "level",
    "source",
    "evidence",
    "notes",
    "target",
)
_CSV_REQUIRED: Final = frozenset({"framework", "control", *_ANSWER_KEYS})
_CSV_GUARD: Final = CSV_GUARD
"""A text cell starting with one of these is written with a leading ``'`` so that a
spreadsheet does not run it as a formula (CSV injection); the import removes it again."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QuestionnaireAnswers:
    """What a filled-in questionnaire says (validated)."""

    frameworks: tuple[str, ...]
    """The frameworks it holds, in order (every control of each has a row)."""
    emb: str
    """The EMB it was exported for ("" for a blank questionnaire)."""
    as_of: dt.date | None
    assessor: str | None
    answers: dict[str, Answer]
    """Answered controls only (a blank level = unassessed), in framework order."""
    company: str = ""
    """The company of a platform scorecard workbook ("" for the EMB's questionnaire)."""
    scorecard: str = ""
    """Its scorecard file's name in ``platforms/``, without ``.yaml``."""


ImportChange = Literal["first", "new", "completed", "corrected", "unchanged"]


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_questionnaire` did.

    ``change`` says how the import relates to the assessment it replaces: ``first`` (there
    was none), ``new`` (another date: the previous one is kept in ``history/``), ``completed``
    (same date, only answers of frameworks not yet assessed at that date: no history entry),
    ``corrected`` (same date, changed answers, the date confirmed with ``as_of``: the previous
    one is kept in ``history/``) or ``unchanged`` (nothing written).
    """

    assessment: Assessment | PlatformScorecard
    """The new assessment, or the company's new scorecard."""
    written: Path | None
    """``assessment.yaml``, or None when nothing changed (nothing was written)."""
    archived: Path | None
    """Where the previous ``assessment.yaml`` was kept (None if it was not)."""
    frameworks: tuple[str, ...]
    answered: int
    not_applicable: int
    unassessed: int
    change: ImportChange = "new"
    company: str = ""
    """The company whose platform scorecard was imported ("" for the EMB's assessment)."""
    languages: tuple[str, ...] = ()
    """The workspace's ``emb.yaml`` ``languages`` (what the CLI tells the user in)."""


# --------------------------------------------------------------------------- helpers


def _emb_controls(framework: Framework) -> list[Control]:
    """The controls an EMB answers in its assessment: its own (``subject: emb``) and its
    partners' practices (``subject: partner``, scored apart); platform commitments are not."""
    return [c for c in framework.controls if framework.subject_of(c) in ("emb", "partner")]


def _platform_controls(framework: Framework) -> list[Control]:
    """The platform commitments of a framework (``subject: platform``), answered per company
    in ``platforms/<company>.yaml``."""
    return [c for c in framework.controls if framework.subject_of(c) == "platform"]


def _controls(framework: Framework, company: str) -> list[Control]:
    """The controls a workbook holds: the company's commitments, or the EMB's controls."""
    return _platform_controls(framework) if company else _emb_controls(framework)


def _translation(control: Control, locale: str) -> Translation | None:
    """The control's text in ``locale`` (``fr_CA``, else ``fr``) from its framework's
    ``translations:``, or None (English, or not translated)."""
    if locale.split("_")[0] == "en":
        return None
    return translation_of(control, locale)


def _title(control: Control, locale: str) -> str:
    tr = _translation(control, locale)
    return tr.title if tr is not None and tr.title else control.title


def _rubric(framework: Framework, control: Control, level: int, locale: str = "en") -> str:
    tr = _translation(control, locale)
    if tr is not None and tr.rubric is not None:
        return tr.rubric[level]
    if control.rubric is not None:
        return control.rubric[level]
    return localized(framework.maturity_scale.levels[level], "description", locale)


def _objective(control: Control, locale: str = "en", _: Gettext = str) -> str:
    tr = _translation(control, locale)
    objective = tr.objective if tr is not None and tr.objective else control.objective
    guidance = tr.guidance if tr is not None and tr.guidance else control.guidance
    text = objective.strip()
    if guidance.strip():
        text += "\n\n" + _("Guidance: %(text)s") % {"text": guidance.strip()}
    return text


def _headers(_: Gettext) -> dict[str, str]:
    """The header of each column of a domain sheet, in the workbook's language (the rubric
    columns are headed by their level's name, see :func:`_domain_sheet`)."""
    return {
        "control": _("Control"),
        "title": _("Title"),
        "objective": _("Objective and guidance"),
        "level": _("Level"),
        "source": _("Evidence source"),
        "evidence": _("Evidence"),
        "notes": _("Notes"),
        "target": _("Target level"),
        "weight": _("Weight"),
        "applies_to": _("Applies to"),
    }


def _instructions_sheet(_: Gettext) -> str:
    """The name of the Instructions sheet in the workbook's language (safe for Excel)."""
    name = _("Instructions")
    return "".join("_" if ch in "[]:*?/\\'" else ch for ch in name)[:31] or INSTRUCTIONS_SHEET


def _sheet_names(
    frameworks: Sequence[Framework], instructions: str = INSTRUCTIONS_SHEET
) -> dict[tuple[str, str], str]:
    """(framework id, domain id) -> sheet name (the domain id, made safe for Excel and unique
    across the frameworks: a repeated one gets ``-2``, ``-3``…)."""
    out: dict[tuple[str, str], str] = {}
    used = {instructions.casefold(), META_SHEET.casefold()}
    for fw in frameworks:
        for d in fw.domains:
            base = "".join("_" if ch in "[]:*?/\\'" else ch for ch in d.id)[:31] or "Domain"
            name, k = base, 2
            while name.casefold() in used:
                suffix = f"-{k}"
                name, k = base[: 31 - len(suffix)] + suffix, k + 1
            used.add(name.casefold())
            out[(fw.id, d.id)] = name
    return out


def _as_list(frameworks: Framework | Sequence[Framework]) -> list[Framework]:
    return [frameworks] if isinstance(frameworks, Framework) else list(frameworks)


_csv_guard = csv_guard  # the one guard of every CSV cyberready writes


def _csv_unguard(text: str) -> str:
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in _CSV_GUARD else text


# --------------------------------------------------------------------------- export


def build_workbook(
    frameworks: Framework | Sequence[Framework],
    assessment: Assessment | PlatformScorecard | None = None,
    *,
    emb: EmbProfile | None = None,
    company: str = "",
    scorecard: str = "",
    locale: str = "en",
) -> Any:
    """The questionnaire workbook of the ``subject: emb`` and ``partner`` controls of
    ``frameworks`` (one or several: a sheet per domain of each), with the answers of
    ``assessment`` (if given) prefilled. With ``company``, the platform scorecard workbook of
    that company instead: the ``subject: platform`` commitments, its current scorecard
    (``assessment``, a :class:`PlatformScorecard`) prefilled, to be imported back into
    ``platforms/<scorecard>.yaml``. Returns an ``openpyxl.Workbook``.

    ``locale`` (a shipped report language) sets the language of the instructions, headers,
    prompts and, where the framework translates them, control titles, objectives and rubrics;
    what the import reads (control ids, levels, evidence source keys, the hidden sheet) is the
    same in every language."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    _ = translations(locale).gettext

    fws = [fw for fw in _as_list(frameworks) if _controls(fw, company)]
    if not fws:
        kind = "platform commitments" if company else "EMB controls"
        raise ValueError(f"no framework with {kind} to put in the questionnaire")
    wb = Workbook()
    instructions = _instructions_sheet(_)
    sheets = _sheet_names(fws, instructions)
    answers = assessment.answers if assessment is not None else {}
    listed: list[tuple[str, str]] = []
    meta_rows: list[tuple[str, str, int, str, str]] = []
    parts = []
    for fw in fws:
        controls = _controls(fw, company)
        domains = [d for d in fw.domains if any(c.domain == d.id for c in controls)]
        parts.append((fw, controls, domains))
        prefix = (
            f"{localized(fw, 'title', locale)}{punctuation(locale).colon} " if len(fws) > 1 else ""
        )
        listed += [(sheets[(fw.id, d.id)], prefix + localized(d, "title", locale)) for d in domains]
    _instructions(wb.active, fws, assessment, emb, listed, company, locale=locale)
    for fw, controls, domains in parts:
        for d in domains:
            ws = wb.create_sheet(sheets[(fw.id, d.id)])
            in_domain = [c for c in controls if c.domain == d.id]
            _domain_sheet(
                ws,
                fw,
                d.id,
                localized(d, "title", locale),
                localized(d, "description", locale),
                in_domain,
                answers,
                locale,
            )
            meta_rows += [
                (ws.title, d.id, FIRST_ROW + i, c.id, fw.id) for i, c in enumerate(in_domain)
            ]
    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("format", FORMAT_NAME),
        ("format_version", FORMAT_VERSION),
        ("frameworks", ",".join(fw.id for fw in fws)),
        ("framework_versions", ",".join(fw.version for fw in fws)),
        ("emb", emb.id if emb is not None else ""),
        ("exported_as_of", assessment.as_of.isoformat() if assessment is not None else ""),
        ("company", company),
        ("scorecard", scorecard),
        ("locale", locale),
        ("instructions_sheet", instructions),
    ):
        meta.append([key, value])
    meta.append([])
    meta.append(["sheet", "domain", "row", "control", "framework"])
    for row in meta_rows:
        meta.append(list(row))
    if text_direction(locale) == "rtl":  # Arabic: columns run from the right, as Excel does
        for sheet in wb.worksheets:
            sheet.sheet_view.rightToLeft = True
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = f"{GENERATOR} {__version__}"  # until someone saves it filled in
    return wb


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "input": PatternFill("solid", fgColor="FFF5CC"),
        "header": PatternFill("solid", fgColor="D9D9D9"),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=14),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "top": Alignment(vertical="top"),
        "unlocked": Protection(locked=False),
    }


def _put_text(cell: Any, text: str) -> None:
    """Write text as a string cell (never a formula); control characters Excel cannot hold
    become U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not text:
        cell.value = None
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = "s"


def _protect(ws: Any) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns and rows
    ws.protection.formatRows = False


def _provenance(framework: Framework, _: Gettext = str) -> str:
    if framework.provenance == "derived":
        return _(
            "derived: our encoding of the source's intent; the official text was not available"
        )
    return _("official")


def _instructions(
    ws: Any,
    frameworks: Sequence[Framework],
    assessment: Assessment | PlatformScorecard | None,
    emb: EmbProfile | None,
    sheets: Sequence[tuple[str, str]],
    company: str = "",
    *,
    locale: str = "en",
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    _ = translations(locale).gettext
    sep = punctuation(locale)
    st = _styles()
    ws.title = _instructions_sheet(_)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    several = len(frameworks) > 1
    titles = _(" and ").join(localized(fw, "title", locale) for fw in frameworks)
    ws["A1"] = (
        _("cyberready platform scorecard: %(company)s, against %(frameworks)s")
        % {"company": company, "frameworks": titles}
        if company
        else _("cyberready questionnaire: %(frameworks)s") % {"frameworks": titles}
    )
    ws["A1"].font = st["title"]
    unversioned = _("unversioned")
    rows: list[tuple[str, str]] = [
        (
            _("Frameworks") if several else _("Framework"),
            sep.item_sep.join(
                _("%(framework)s, version %(version)s")
                % {"framework": fw.id, "version": fw.version or unversioned}
                for fw in frameworks
            ),
        ),
        (
            _("Provenance"),
            sep.item_sep.join(f"{fw.id}{sep.colon} {_provenance(fw, _)}" for fw in frameworks)
            if several
            else _provenance(frameworks[0], _),
        ),
        (
            _("EMB"),
            f"{emb.name} ({emb.id})" if emb else _("(blank questionnaire, for any EMB)"),
        ),
    ]
    if company:
        rows[2] = (
            _("Company"),
            _("%(company)s (assessed by the EMB %(emb)s)")
            % {"company": company, "emb": emb.name if emb else ""},
        )
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=label).font = st["bold"]
        _put_text(ws.cell(row=i, column=2), value)
    ws["A6"] = _("Assessment date (YYYY-MM-DD)")
    ws["A7"] = _("Assessor")
    for ref in ("A6", "A7"):
        ws[ref].font = st["bold"]
    date_cell, who_cell = ws[AS_OF_CELL], ws[ASSESSOR_CELL]
    date_cell.value = assessment.as_of if assessment is not None else None
    date_cell.number_format = "yyyy-mm-dd"
    _put_text(who_cell, assessment.assessor if assessment is not None else "")
    for cell in (date_cell, who_cell):
        cell.fill = st["input"]
        cell.protection = st["unlocked"]
    dv = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",  # 2000-01-01
        showErrorMessage=True,
        errorTitle=_("Assessment date"),
        error=_("Type a date, e.g. 2026-11-01."),
    )
    ws.add_data_validation(dv)
    dv.add(AS_OF_CELL)

    who = company if company else _("your EMB")
    kept = (
        _("the previous scorecard is kept in the workspace's platforms/history/ folder.")
        if company
        else _("the previous assessment is kept in the workspace's history/ folder.")
    )
    last = (
        (
            "8.",
            _(
                "The answers go into this company's scorecard in the workspace's platforms/ "
                "folder; import the EMB's own questionnaire separately."
            ),
        )
        if company
        else (
            "8.",
            _(
                "Levels that differ between groups of assets (overrides) are not in this "
                "workbook; they are kept as they are in the workspace's assessment.yaml."
            ),
        )
    )
    sources = _("Evidence sources")
    sheets_heading = _("Sheets")
    how = _("How to fill it in")
    scales = _scales(frameworks, locale)
    lines: list[tuple[str, str]] = [
        ("", ""),
        (how, ""),
        (
            "1.",
            _(
                "Each domain of each framework has its own sheet (the tabs below); each "
                "control is one row. Its framework's maturity scale heads the rubric columns."
            ),
        ),
        (
            "2.",
            _(
                "Type only in the yellow cells: Level, Evidence source, Evidence, Notes and "
                "Target level. Use the drop-downs. Everything else is locked."
            ),
        ),
        (
            "3.",
            _(
                "Level: 0 to 4 as described in the rubric to the right of each control "
                "(columns I to M), or n/a when the control does not apply to %(who)s (n/a is "
                "left out of scores, it never counts as 0)."
            )
            % {"who": who},
        ),
        (
            "4.",
            _(
                "Leave Level blank for a control you have not assessed: it is reported as "
                "unassessed and scored as 0, visibly. Leave the other answer cells blank too."
            ),
        ),
        (
            "5.",
            _(
                "Evidence source: how you know (see below, and choose the word in the first "
                "column); it sets the confidence of the scores. Evidence: what shows it "
                "(document name and date, test report, etc.)."
            ),
        ),
        (
            "6.",
            _(
                "Do not rename, add or delete sheets, rows or columns: the import checks the "
                "structure and lists every problem with its cell."
            ),
        ),
        (
            "7.",
            _(
                "Fill in the date of this assessment above (a new date for a new assessment), "
                "save, then run: cyberready questionnaire import <this file> --into "
                "<workspace folder>. Nothing is written if any cell is wrong; %(kept)s"
            )
            % {"kept": kept},
        ),
        last,
        ("", ""),
        *scales,
        (sources, _("(the confidence weight of each source is in brackets)")),
        (
            "test",
            _("A technical test, exercise or audit checked it (%(weight)s).")
            % {"weight": f"{SOURCE_WEIGHTS['test']:.1f}"},
        ),
        (
            "observation",
            _("The assessor saw it in operation (%(weight)s).")
            % {"weight": f"{SOURCE_WEIGHTS['observation']:.1f}"},
        ),
        (
            "document",
            _("A written policy, procedure or record shows it (%(weight)s).")
            % {"weight": f"{SOURCE_WEIGHTS['document']:.1f}"},
        ),
        (
            "interview",
            _("Someone said so (%(weight)s).") % {"weight": f"{SOURCE_WEIGHTS['interview']:.1f}"},
        ),
        ("none", _("No evidence (%(weight)s).") % {"weight": f"{SOURCE_WEIGHTS['none']:.1f}"}),
        ("", ""),
        (sheets_heading, ""),
        *((name, title) for name, title in sheets),
    ]
    maturity = _("Maturity levels")
    start = 8
    for i, (a, b) in enumerate(lines):
        ca = ws.cell(row=start + i, column=1)
        _put_text(ca, a)
        if a in (how, sources, sheets_heading) or a.startswith(maturity):
            ca.font = st["bold"]
        cb = ws.cell(row=start + i, column=2)
        _put_text(cb, b)
        cb.alignment = st["wrap"]
        ca.alignment = st["top"]
    _protect(ws)


def _scales(frameworks: Sequence[Framework], locale: str = "en") -> list[tuple[str, str]]:
    """The maturity scale of each framework, as Instructions rows."""

    _ = translations(locale).gettext
    colon = punctuation(locale).colon
    out: list[tuple[str, str]] = []
    for fw in frameworks:
        heading = _("Maturity levels")
        title = f"{heading}{colon} {fw.id}" if len(frameworks) > 1 else heading
        out += [
            (title, localized(fw, "title", locale) if len(frameworks) > 1 else ""),
            *(
                (
                    f"{lv.level} {localized(lv, 'name', locale)}",
                    localized(lv, "description", locale),
                )
                for lv in fw.maturity_scale.levels
            ),
            ("n/a", _("The control does not apply here (say why in Notes).")),
            ("", ""),
        ]
    return out


def _domain_sheet(
    ws: Any,
    framework: Framework,
    domain_id: str,
    title: str,
    description: str,
    controls: Sequence[Control],
    answers: Mapping[str, Answer],
    locale: str = "en",
) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    _ = translations(locale).gettext
    sep = punctuation(locale)
    headers = _headers(_)
    st = _styles()
    ws["A1"] = f"{localized(framework, 'title', locale)} — {domain_id}{sep.colon} {title}"
    ws["A1"].font = st["title"]
    _put_text(ws["A2"], " ".join(description.split()))
    levels = framework.maturity_scale.levels
    for key, _english in _COLUMNS:
        col = _COL[key]
        if key.startswith("rubric"):
            lv = levels[int(key[-1])]
            name = localized(lv, "name", locale)
            header = _("Level %(level)d: %(name)s") % {"level": lv.level, "name": name}
        else:
            header = headers[key]
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = st["bold"]
        cell.fill = st["header"]
        cell.alignment = st["wrap"]
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(key, 30)
    for i, c in enumerate(controls):
        r = FIRST_ROW + i
        ans = answers.get(c.id)
        ws.cell(row=r, column=_COL["control"], value=c.id)
        _put_text(ws.cell(row=r, column=_COL["title"]), _title(c, locale))
        _put_text(ws.cell(row=r, column=_COL["objective"]), _objective(c, locale, _))
        for k in range(5):
            _put_text(ws.cell(row=r, column=_COL[f"rubric{k}"]), _rubric(framework, c, k, locale))
        ws.cell(row=r, column=_COL["weight"], value=c.weight)
        _put_text(ws.cell(row=r, column=_COL["applies_to"]), c.describe_applies())
        if ans is not None:
            ws.cell(row=r, column=_COL["level"], value=ans.level)
            ws.cell(row=r, column=_COL["source"], value=ans.source)
            _put_text(ws.cell(row=r, column=_COL["evidence"]), ans.evidence)
            _put_text(ws.cell(row=r, column=_COL["notes"]), ans.notes)
            ws.cell(row=r, column=_COL["target"], value=ans.target)
        for key, _english in _COLUMNS:
            cell = ws.cell(row=r, column=_COL[key])
            cell.alignment = st["wrap"]
            if key in _ANSWER_KEYS:
                cell.fill = st["input"]
                cell.protection = st["unlocked"]
    if controls:
        last = FIRST_ROW + len(controls) - 1

        def column(key: str) -> str:
            letter = get_column_letter(_COL[key])
            return f"{letter}{FIRST_ROW}:{letter}{last}"

        for key, choices, prompt in (
            ("level", _LEVELS_TEXT, _("0 to 4 (see the rubric to the right), or n/a")),
            (
                "source",
                ",".join(EVIDENCE_SOURCES),
                _("How you know: see the %(sheet)s sheet") % {"sheet": _instructions_sheet(_)},
            ),
            ("target", "0,1,2,3,4", _("The level you aim for (optional)")),
        ):
            dv = DataValidation(
                type="list",
                formula1=f'"{choices}"',
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle=_("Not a valid choice"),
                error=_("Choose one of: %(choices)s") % {"choices": choices.replace(",", ", ")},
                prompt=prompt,
            )
            ws.add_data_validation(dv)
            dv.add(column(key))
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=_COL["level"])
    _protect(ws)


def questionnaire_csv(
    frameworks: Framework | Sequence[Framework], assessment: Assessment | None = None
) -> str:
    """The same questionnaire as CSV text: one row per ``subject: emb`` or ``partner``
    control of each framework."""
    answers = assessment.answers if assessment is not None else {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for framework, c in ((fw, c) for fw in _as_list(frameworks) for c in _emb_controls(fw)):
        a = answers.get(c.id)
        writer.writerow(
            [
                framework.id,
                c.domain,
                c.id,
                _csv_guard(c.title),
                c.weight,
                "" if a is None else a.level,
                "" if a is None else a.source,
                "" if a is None else _csv_guard(a.evidence),
                "" if a is None else _csv_guard(a.notes),
                "" if a is None or a.target is None else a.target,
            ]
        )
    return buf.getvalue()


def export_questionnaire(
    path: Path,
    frameworks: Framework | Sequence[Framework],
    assessment: Assessment | None = None,
    *,
    emb: EmbProfile | None = None,
    locale: str = "en",
) -> Path:
    """Write the questionnaire to ``path`` (``.xlsx`` or ``.csv``, by suffix), atomically;
    a workbook in ``locale`` (see :func:`build_workbook`; the CSV's columns are keys).

    Raises :class:`AssessmentError` for another suffix.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        # with a byte-order mark so that spreadsheet programs read it as UTF-8
        atomic_write_text(path, "\ufeff" + questionnaire_csv(frameworks, assessment))
        return path
    if suffix != ".xlsx":
        raise AssessmentError(
            [
                Problem(
                    file=str(path),
                    message=f"cannot write a questionnaire as {suffix or 'a file without suffix'}",
                    hint="use .xlsx (a workbook) or .csv",
                )
            ]
        )
    wb = build_workbook(frameworks, assessment, emb=emb, locale=locale)
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


def write_questionnaire(
    out: Path,
    framework_ids: str | Sequence[str] = (),
    *,
    workspace: Path | None = None,
    frameworks_dirs: Sequence[Path] = (),
    company: str = "",
    locale: str | None = None,
) -> Path:
    """Export the questionnaire of ``framework_ids`` to ``out`` (``.xlsx`` or ``.csv``), the
    workbook in ``locale`` (a shipped report language; default: the first of the workspace's
    ``languages`` that ships, else English).

    With ``workspace``, the frameworks must be in its scope (default: every framework in its
    scope that has EMB controls) and its current answers are prefilled; without, the
    questionnaire is blank (frameworks from the shipped library and ``frameworks_dirs``; at
    least one must be named). Raises :class:`AssessmentError` for an unknown framework.

    With ``company`` (and ``workspace``), the platform scorecard workbook of that company
    (:func:`write_scorecard_workbook`) instead.
    """
    from cyberready.workspace import load_library, load_workspace

    ids = [framework_ids] if isinstance(framework_ids, str) else list(framework_ids)
    if company:
        return write_scorecard_workbook(
            out, company, ids, workspace=workspace, frameworks_dirs=frameworks_dirs, locale=locale
        )
    emb: EmbProfile | None = None
    assessment: Assessment | None = None
    if workspace is not None:
        ws = load_workspace(workspace, frameworks_dirs=frameworks_dirs)
        frameworks, emb, assessment = ws.library.frameworks, ws.emb, ws.assessment
        in_scope: Sequence[str] = ws.emb.frameworks
        if not ids:
            ids = [f for f in in_scope if f in frameworks and _emb_controls(frameworks[f])]
    else:
        frameworks = load_library(frameworks_dirs).frameworks
        in_scope = list(frameworks)
    where = "<command line>"
    problems: list[Problem] = []
    if not ids:
        problems.append(
            Problem(
                file=where,
                field="--framework",
                message="no framework to export"
                if workspace is not None
                else "name the frameworks of a blank questionnaire",
                hint="pass --framework ID (repeat it for several), or --emb DIR for every "
                "framework in a workspace's scope",
            )
        )
    for fid in dict.fromkeys(ids):
        framework = frameworks.get(fid)
        if framework is None or fid not in in_scope:
            problems.append(
                Problem(
                    file=where,
                    field="--framework",
                    value=fid,
                    message=f"unknown framework {fid!r}"
                    if framework is None
                    else f"framework {fid!r} is not in the workspace's scope",
                    hint=did_you_mean(fid, in_scope),
                )
            )
        elif not _emb_controls(framework):
            problems.append(
                Problem(
                    file=where,
                    field="--framework",
                    value=fid,
                    message=f"{fid} has no EMB controls (only platform commitments)",
                    hint="platform commitments are answered per company in platforms/*.yaml",
                )
            )
    if problems:
        raise AssessmentError(problems)
    chosen = [frameworks[f] for f in dict.fromkeys(ids)]
    if locale is None:
        locale = default_locale(emb.languages) if emb is not None else "en"
    return export_questionnaire(out, chosen, assessment, emb=emb, locale=locale)


def write_scorecard_workbook(
    out: Path,
    company: str,
    framework_ids: Sequence[str] = (),
    *,
    workspace: Path | None,
    frameworks_dirs: Sequence[Path] = (),
    locale: str | None = None,
) -> Path:
    """Export one company's platform scorecard workbook (``.xlsx``) from a workspace, in
    ``locale`` (default: the first of the workspace's ``languages`` that ships, else English).

    The company is found by its scorecard's file name in ``platforms/`` or its name
    (case-insensitive); its framework's platform commitments are listed, its current answers
    prefilled. A company without a scorecard gets a blank one, against the framework named
    (or the one framework in scope with platform commitments); a name close to an existing
    company's is refused as a likely typo. Raises :class:`AssessmentError`.
    """
    from cyberready.workspace import load_workspace

    where = "<command line>"
    problems: list[Problem] = []
    if workspace is None:
        problems.append(
            Problem(
                file=where,
                field="--company",
                message="a platform scorecard is exported from a workspace",
                hint="pass --emb DIR with --company",
            )
        )
    if out.suffix.lower() != ".xlsx":
        problems.append(
            Problem(
                file=str(out),
                field="--out",
                message="a platform scorecard is exported as a workbook (.xlsx)",
                hint="a CSV cannot say which company it is for",
            )
        )
    if problems or workspace is None:
        raise AssessmentError(problems)
    ws = load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    frameworks = ws.library.frameworks
    stem, card = _find_scorecard(ws, company)
    known = {name: c.company for name, (_p, c) in _scorecards(ws).items()}
    if card is None:
        names = {n.casefold(): n for n in [*known, *known.values()]}
        close = difflib.get_close_matches(company.strip().casefold(), names, n=2, cutoff=0.8)
        if close:
            problems.append(
                Problem(
                    file=where,
                    field="--company",
                    value=company,
                    message=f"no scorecard for {company!r} in platforms/",
                    hint="did you mean "
                    + " or ".join(repr(names[c]) for c in close)
                    + "? (a new company's name must not be this close to another's)",
                )
            )
    in_scope = [f for f in ws.emb.frameworks if f in frameworks]
    with_commitments = [f for f in in_scope if _platform_controls(frameworks[f])]
    fid = card.framework if card is not None else ""
    if card is not None and framework_ids and list(dict.fromkeys(framework_ids)) != [fid]:
        problems.append(
            Problem(
                file=where,
                field="--framework",
                value=",".join(framework_ids),
                message=f"the scorecard of {card.company} is against {fid}",
                hint="leave --framework out",
            )
        )
    elif card is None and len(framework_ids) > 1:
        problems.append(
            Problem(
                file=where,
                field="--framework",
                message="a platform scorecard is against one framework",
                hint="valid: " + ", ".join(with_commitments),
            )
        )
    elif card is None and framework_ids:
        fid = framework_ids[0]
        if fid not in with_commitments:
            problems.append(
                Problem(
                    file=where,
                    field="--framework",
                    value=fid,
                    message=f"{fid!r} is no framework in the workspace's scope with platform "
                    "commitments",
                    hint=did_you_mean(fid, with_commitments),
                )
            )
    elif card is None and len(with_commitments) == 1:
        fid = with_commitments[0]
    elif card is None:
        problems.append(
            Problem(
                file=where,
                field="--framework",
                message="name the framework of the new scorecard"
                if with_commitments
                else "no framework in the workspace's scope has platform commitments",
                hint="valid: " + ", ".join(with_commitments) if with_commitments else "",
            )
        )
    if fid and fid not in frameworks:
        problems.append(
            Problem(file=where, field="framework", message=f"unknown framework {fid!r}")
        )
    if problems:
        raise AssessmentError(problems)
    wb = build_workbook(
        [frameworks[fid]],
        card,
        emb=ws.emb,
        company=card.company if card is not None else company.strip(),
        scorecard=stem,
        locale=default_locale(ws.emb.languages) if locale is None else locale,
    )
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(out, buf.getvalue())
    return out


# --------------------------------------------------------------------------- cell parsing


_Locate = Callable[[str], dict[str, Any]]
"""column key -> Problem keyword arguments locating that cell (file, cell or line, field)."""


def _shown(value: object) -> str:
    """A cell value as a message shows it: numbers plain (``7``), text quoted (``'high'``)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return repr(value)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _small_int(value: object) -> int | None:
    """0–4 from an int, an integral float or a digit string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= 4:
        return value
    return None


def _formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


_CELL_TYPES: Final = (str, int, float, dt.date, dt.time, dt.timedelta)
"""What a typed cell holds (bool is an int; datetime a date)."""


def _is_formula_cell(cell: object) -> bool:
    """A workbook cell holding a formula (plain, shared, array or data table) or anything else
    that is not a typed value."""
    value = getattr(cell, "value", None)
    return getattr(cell, "data_type", "") == "f" or not (
        value is None or isinstance(value, _CELL_TYPES)
    )


def _parse_answer(
    cells: Mapping[str, object], locate: _Locate
) -> tuple[Answer | None, list[Problem]]:
    """One row's answer cells -> an Answer (None when unassessed) and its problems."""
    problems: list[Problem] = []

    def scale_point(key: str, raw: object, scale: str) -> int | None:
        """``raw`` as 0–4, or None with a problem saying it is not on ``scale``."""
        parsed = _small_int(raw)
        if parsed is None:
            problems.append(
                Problem(
                    **locate(key),
                    message=f"{key} {_shown(raw)} is not in {scale}",
                    value=_as_text(raw),
                )
            )
        return parsed

    level_raw = cells.get("level")
    for key in ("level", "source", "target"):
        if _formula(cells.get(key)):
            problems.append(
                Problem(
                    **locate(key),
                    message=f"{key} is a formula ({cells.get(key)}); type the value instead",
                )
            )
    if problems:
        return None, problems
    level: Level | None = None
    if not _is_blank(level_raw):
        if isinstance(level_raw, str) and level_raw.strip().casefold() in _NA_SPELLINGS:
            level = "n/a"
        else:
            level = scale_point("level", level_raw, "0–4 or n/a")
    source_raw = cells.get("source")
    source = "none"
    if not _is_blank(source_raw):
        text = _as_text(source_raw).strip().casefold()
        if text in EVIDENCE_SOURCES:
            source = text
        else:
            problems.append(
                Problem(
                    **locate("source"),
                    message=f"evidence source {_shown(source_raw)} is not a valid source",
                    value=_as_text(source_raw),
                    hint=did_you_mean(text, EVIDENCE_SOURCES),
                )
            )
    target_raw = cells.get("target")
    target = None if _is_blank(target_raw) else scale_point("target", target_raw, "0–4")
    if _is_blank(level_raw):
        filled = [
            k for k in ("source", "evidence", "notes", "target") if not _is_blank(cells.get(k))
        ]
        if filled:
            problems.append(
                Problem(
                    **locate("level"),
                    message="no level, but " + ", ".join(filled) + " filled in",
                    hint="give a level (0–4 or n/a), or clear the row's answer cells to leave "
                    "the control unassessed",
                )
            )
        return None, problems
    if problems or level is None:
        return None, problems
    return (
        Answer(
            level=level,
            source=source,  # type: ignore[arg-type]  # checked above against the schema's sources
            evidence=_as_text(cells.get("evidence")),
            notes=_as_text(cells.get("notes")),
            target=target,
        ),
        [],
    )


# --------------------------------------------------------------------------- reading


def read_questionnaire(
    path: Path,
    frameworks: Mapping[str, Framework],
    *,
    need_date: bool = True,
) -> QuestionnaireAnswers:
    """Read and check a filled-in questionnaire (``.xlsx`` or ``.csv``).

    Parameters
    ----------
    path
        The file.
    frameworks
        Frameworks by id; the questionnaire's framework must be among them.
    need_date
        Report a workbook without an assessment date as a problem (CSV files carry no date).

    Raises
    ------
    AssessmentError
        With every problem found, each naming its sheet and cell (or CSV line).
    """
    answers, problems = _read(path, frameworks, need_date=need_date)
    if problems or answers is None:
        raise AssessmentError(problems, f"{len(problems)} problem(s) in {path}")
    return answers


def _read(
    path: Path, frameworks: Mapping[str, Framework], *, need_date: bool
) -> tuple[QuestionnaireAnswers | None, list[Problem]]:
    name = str(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        return None, [Problem(file=name, message="no such file")]
    max_rows = FIRST_ROW + sum(len(_emb_controls(fw)) for fw in frameworks.values()) + ROW_MARGIN
    if suffix == ".csv":
        return _read_csv(path, frameworks, max_rows=max_rows)
    if suffix in (".xlsm", ".xltm"):
        return None, [_macro_problem(name)]
    if suffix != ".xlsx":
        return None, [
            Problem(
                file=name,
                message=f"cannot read a questionnaire from {suffix or 'a file without suffix'}",
                hint="give the .xlsx workbook or a .csv exported by cyberready",
            )
        ]
    wb, problems = _open_workbook(path, max_rows=max_rows)
    if wb is None:
        return None, problems
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            answers, problems = _read_workbook(wb, name, frameworks, need_date=need_date)
    except Exception as exc:  # cells are parsed as they are read: a damaged one fails here
        return None, [_unreadable(name, exc)]
    finally:
        wb.close()
    return answers, _capped(problems)


def _macro_problem(name: str) -> Problem:
    return Problem(
        file=name,
        message="a macro-enabled workbook is not read (it may run code when opened)",
        hint="open it, remove the macros and save it as an Excel workbook (.xlsx), or export "
        "a new questionnaire",
    )


def _unreadable(name: str, exc: Exception) -> Problem:
    return Problem(
        file=name,
        message=f"the workbook could not be read ({type(exc).__name__}: {str(exc)[:200]})",
        hint="open it in a spreadsheet program and save it again as .xlsx",
    )


def _kind(message: str) -> str:
    """A problem's message with its particulars (quoted values, ids, numbers) blanked out:
    problems of one kind differ only in those."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\S*\d\S*", "…", message)


def _capped(problems: Sequence[Problem]) -> list[Problem]:
    """At most :data:`~cyberready.io.MAX_ROW_PROBLEMS` problems of each kind (as for
    ``generate:`` CSVs), then one line saying how many more there are."""
    kinds = [(p.file, _kind(p.message)) for p in problems]
    total: dict[tuple[str, str], int] = {}
    for kind in kinds:
        total[kind] = total.get(kind, 0) + 1
    seen: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], str] = {}
    out: list[Problem] = []
    for p, kind in zip(problems, kinds, strict=True):
        k = seen[kind] = seen.get(kind, 0) + 1
        first.setdefault(kind, p.message)
        if k <= MAX_ROW_PROBLEMS:
            out.append(p)
        elif k == MAX_ROW_PROBLEMS + 1:
            more = total[kind] - MAX_ROW_PROBLEMS
            out.append(
                replace(
                    p,
                    message=f"… and {more:,} more like {first[kind]!r}",
                    value="",
                    hint="",
                )
            )
    return out


def _open_workbook(path: Path, *, max_rows: int) -> tuple[Any, list[Problem]]:
    """The workbook (read-only: close it), or one clear problem if the file is not a readable
    .xlsx, is macro-enabled, or has a sheet reaching beyond ``max_rows`` rows or
    :data:`MAX_COLUMNS` columns (found by streaming each sheet, before any cell is read)."""
    from openpyxl import load_workbook

    name = str(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(file=name, message=f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit")
        ]
    not_xlsx = Problem(
        file=name,
        message="not an Excel workbook (.xlsx)",
        hint="is it another kind of file renamed .xlsx? open it in a spreadsheet program and "
        "save it as an Excel workbook, or export a new questionnaire",
    )
    if not zipfile.is_zipfile(path):
        return None, [not_xlsx]
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            unzipped = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, [not_xlsx]
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return None, [not_xlsx]
    if any(n.lower().rpartition("/")[2] in MACRO_PARTS for n in names):
        return None, [_macro_problem(name)]
    if unzipped > MAX_UNZIPPED_BYTES:
        return None, [
            Problem(
                file=name,
                message=f"workbook unpacks to {unzipped:,} bytes, over the "
                f"{MAX_UNZIPPED_BYTES:,} limit",
            )
        ]
    try:
        with zipfile.ZipFile(path) as zf:
            for title, part in _sheet_parts(zf):
                beyond = _beyond(zf, part, max_rows) if part in names else ""
                if beyond:
                    return None, [
                        Problem(
                            file=name,
                            cell=f"{title}!A1",
                            value=beyond,
                            message=f"sheet {title!r} uses {beyond}, beyond the "
                            f"questionnaire's {max_rows:,} rows and {MAX_COLUMNS} columns",
                            hint="clear the cells below and right of the questionnaire (or "
                            "export a new one and copy the answers over)",
                        )
                    ]
    except Exception as exc:  # a damaged workbook or sheet part
        return None, [_unreadable(name, exc)]
    try:
        with warnings.catch_warnings():
            # spreadsheet programs add extensions openpyxl does not read; they do not matter here
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file: report, don't crash
        return None, [_unreadable(name, exc)]
    return wb, []


_NS_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_DOC_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every sheet of the workbook, from ``xl/workbook.xml`` and
    its relationships (read before openpyxl opens a sheet: it would parse a sheet without a
    ``<dimension>`` whole just to size it)."""
    from openpyxl.xml.functions import fromstring

    book = fromstring(zf.read("xl/workbook.xml"))
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): str(r.get("Target", "")) for r in rels.iter(f"{_NS_PKG_REL}Relationship")
    }
    parts = []
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_DOC_REL}id"), "")
        if target:
            part = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
            parts.append((str(sheet.get("name", "")), part))
    return parts


_CELL_REF: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _beyond(zf: zipfile.ZipFile, part: str, max_rows: int) -> str:
    """``""``, or the range (``A1:XFD1048576``) or cell a worksheet part uses beyond
    ``max_rows`` rows or :data:`MAX_COLUMNS` columns. Streams the XML and stops at the first
    such cell, so a sheet of a million cells is refused as fast as one of a hundred."""
    from openpyxl.utils.cell import column_index_from_string, get_column_letter
    from openpyxl.xml.functions import iterparse

    def position(ref: str) -> tuple[int, int] | None:
        m = _CELL_REF.fullmatch(ref.strip())
        return (int(m.group(2)), column_index_from_string(m.group(1).upper())) if m else None

    row = col = cells = 0
    with zf.open(part.lstrip("/")) as src:
        for event, element in iterparse(src, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "end":
                if tag in ("c", "row"):
                    element.clear()
                continue
            if tag == "dimension":
                ref = str(element.get("ref", ""))
                corners = [position(r) for r in ref.split(":")]
                if any(c and (c[0] > max_rows or c[1] > MAX_COLUMNS) for c in corners):
                    return ref
            elif tag == "row":
                row, col = int(element.get("r") or row + 1), 0
            elif tag == "c":
                cells += 1
                if cells > max_rows * MAX_COLUMNS:
                    return f"more than {max_rows * MAX_COLUMNS:,} cells"
                found = position(element.get("r", ""))
                row, col = found if found else (row, col + 1)  # no reference: the next cell
            else:
                continue
            if row > max_rows or col > MAX_COLUMNS:
                letter = get_column_letter(min(col, 16384) or 1)
                return f"cell {letter}{row}" if col else f"row {row}"
    return ""


_MetaRow = tuple[str, str, int, str, str]
"""sheet, domain, row, control, framework"""


def _meta(wb: Any, name: str) -> tuple[dict[str, str], list[_MetaRow], list[Problem]]:
    if META_SHEET not in wb.sheetnames:
        return (
            {},
            [],
            [
                Problem(
                    file=name,
                    message="not a cyberready questionnaire (its hidden metadata sheet is missing)",
                    hint="export one with `cyberready questionnaire export`",
                )
            ],
        )
    ws = wb[META_SHEET]
    info: dict[str, str] = {}
    rows: list[_MetaRow] = []
    in_table = False
    for values in ws.iter_rows(max_col=5, values_only=True):
        cells = [*values, None, None, None, None, None][:5]
        if cells[0] == "sheet" and cells[3] == "control":
            in_table = True
            continue
        if in_table:
            if cells[0] is not None and isinstance(cells[2], int):
                fid = _as_text(cells[4]) or info.get("framework", "")  # version 1: one framework
                rows.append((str(cells[0]), str(cells[1]), cells[2], str(cells[3]), fid))
        elif cells[0] is not None:
            info[str(cells[0])] = _as_text(cells[1])
    problems = []
    if info.get("format") != FORMAT_NAME:
        problems.append(
            Problem(
                file=name,
                message="not a cyberready questionnaire (unknown metadata)",
                hint="export one with `cyberready questionnaire export`",
            )
        )
    elif info.get("format_version") not in ("1", str(FORMAT_VERSION)):
        problems.append(
            Problem(
                file=name,
                message=f"questionnaire format version {info.get('format_version')!r} is not "
                f"supported (this cyberready reads 1 to {FORMAT_VERSION})",
            )
        )
    return info, rows, problems


def _read_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _read_workbook(
    wb: Any, name: str, frameworks: Mapping[str, Framework], *, need_date: bool
) -> tuple[QuestionnaireAnswers | None, list[Problem]]:
    info, meta_rows, problems = _meta(wb, name)
    if problems:
        return None, problems
    fids = [f for f in info.get("frameworks", info.get("framework", "")).split(",") if f]
    for fid in fids if fids else [""]:
        if fid not in frameworks:
            problems.append(
                Problem(
                    file=name,
                    cell=f"{META_SHEET}!B3",
                    field="framework",
                    value=fid,
                    message=f"unknown framework {fid!r}",
                    hint=did_you_mean(fid, frameworks) + "; pass its folder with --frameworks-dir",
                )
            )
    if problems:
        return None, problems
    chosen = [frameworks[f] for f in fids]
    # the Instructions sheet is named in the workbook's language, as its hidden sheet records
    # (a workbook exported before languages were added has the English name)
    instructions = info.get("instructions_sheet") or INSTRUCTIONS_SHEET
    as_of: dt.date | None = None
    assessor: str | None = None
    if instructions in wb.sheetnames:
        ins = wb[instructions]
        date_cell, assessor_cell = ins[AS_OF_CELL], ins[ASSESSOR_CELL]
        for ref, cell in ((AS_OF_CELL, date_cell), (ASSESSOR_CELL, assessor_cell)):
            if _is_formula_cell(cell):
                problems.append(
                    Problem(
                        file=name,
                        cell=f"{instructions}!{ref}",
                        message="this cell holds a formula; type the value itself",
                        hint="formulas are not read from a questionnaire",
                    )
                )
        raw_date = None if _is_formula_cell(date_cell) else date_cell.value
        as_of = _read_date(raw_date)
        if (
            as_of is None
            and not _is_formula_cell(date_cell)
            and (need_date or not _is_blank(raw_date))
        ):
            problems.append(
                Problem(
                    file=name,
                    cell=f"{instructions}!{AS_OF_CELL}",
                    field="assessment date",
                    value=_as_text(raw_date),
                    message="the assessment date is blank"
                    if _is_blank(raw_date)
                    else f"assessment date {_shown(raw_date)} is not a date",
                    hint="type it as YYYY-MM-DD, e.g. 2026-11-01",
                )
            )
        if not _is_formula_cell(assessor_cell):
            assessor = _as_text(assessor_cell.value).strip() or None
    elif need_date:
        problems.append(
            Problem(
                file=name,
                message=f"the {instructions!r} sheet (with the assessment date) is missing",
                hint="do not rename or delete sheets; export the questionnaire again",
            )
        )

    company = info.get("company", "")
    emb_controls = {c.id: c for fw in chosen for c in _controls(fw, company)}
    platform_ids = [c.id for fw in chosen for c in fw.controls if c.id not in emb_controls]
    expected_at = {control: (sheet, row) for sheet, _, row, control, _ in meta_rows}
    sheets = list(dict.fromkeys(sheet for sheet, _, _, _, _ in meta_rows))
    unknown_sheets = [s for s in wb.sheetnames if s not in (*sheets, instructions, META_SHEET)]
    readable: set[str] = set()
    found: dict[str, tuple[str, int, Answer | None]] = {}
    for sheet in sheets:
        if sheet not in wb.sheetnames:
            problems.append(
                Problem(
                    file=name,
                    cell=f"{sheet}!A1",
                    message=f"sheet {sheet!r} is missing (renamed or deleted?)",
                    hint=(
                        "found sheets not in the questionnaire: "
                        + ", ".join(map(repr, unknown_sheets))
                        if unknown_sheets
                        else "do not rename or delete sheets"
                    )
                    + "; restore its name",
                )
            )
            continue
        ws = wb[sheet]
        if _check_headers(ws, name, sheet, problems, info.get("locale", "en")):
            readable.add(sheet)
            _read_rows(ws, name, sheet, emb_controls, platform_ids, found, problems, company)
    answers: dict[str, Answer] = {}
    for cid in emb_controls:
        if cid in found:
            ans = found[cid][2]
            if ans is not None:
                answers[cid] = ans
            continue
        where = expected_at.get(cid)
        if where is None:
            problems.append(
                Problem(
                    file=name,
                    field=cid,
                    message=f"control {cid} is not in this questionnaire (the framework changed "
                    "since it was exported)",
                    hint="export the questionnaire again and copy the answers over",
                )
            )
        elif where[0] in readable:
            problems.append(
                Problem(
                    file=name,
                    cell=f"{where[0]}!A{where[1]}",
                    field=cid,
                    message=f"the row of control {cid} is missing (deleted?)",
                    hint="do not delete rows: leave Level blank to leave a control unassessed",
                )
            )
    if problems:
        order = {s: i for i, s in enumerate([instructions, *sheets])}
        return None, sorted(problems, key=lambda p: _cell_key(p.cell, order))
    return (
        QuestionnaireAnswers(
            frameworks=tuple(fids),
            emb=info.get("emb", ""),
            as_of=as_of,
            assessor=assessor,
            answers=answers,
            company=company,
            scorecard=info.get("scorecard", ""),
        ),
        [],
    )


def _cell_key(cell: str, order: Mapping[str, int]) -> tuple[int, int, int]:
    """Sort key putting problems in sheet order, then by row and column (no cell: last)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    sheet, _, ref = cell.rpartition("!")
    if not sheet:
        return (len(order) + 1, 0, 0)
    try:
        letters, row = coordinate_from_string(ref)
        return (order.get(sheet, len(order)), row, column_index_from_string(letters))
    except ValueError:
        return (order.get(sheet, len(order)), 0, 0)


def _check_headers(
    ws: Any, name: str, sheet: str, problems: list[Problem], locale: str = "en"
) -> bool:
    """True when the header cells of columns A–H are as exported, in the workbook's language
    (``locale``, from its hidden sheet) or in English (else a problem each)."""
    from openpyxl.utils import get_column_letter

    local = _headers(translations(locale).gettext)
    ok = True
    for key, header in _COLUMNS[: _COL["target"]]:
        ref = f"{get_column_letter(_COL[key])}{HEADER_ROW}"
        found = ws[ref].value
        if found not in (header, local[key]):
            header = local[key]
            ok = False
            problems.append(
                Problem(
                    file=name,
                    cell=f"{sheet}!{ref}",
                    value=_as_text(found),
                    message=f"expected the column {header!r} here, found {_shown(found)}",
                    hint="do not insert, delete or move columns; export the questionnaire again",
                )
            )
    return ok


def _read_rows(
    ws: Any,
    name: str,
    sheet: str,
    emb_controls: Mapping[str, Control],
    platform_ids: Sequence[str],
    found: dict[str, tuple[str, int, Answer | None]],
    problems: list[Problem],
    company: str = "",
) -> None:
    from openpyxl.utils import get_column_letter

    letters = {key: get_column_letter(col) for key, col in _COL.items()}
    for r, row in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=len(_COLUMNS)), start=FIRST_ROW
    ):
        typed = {key: row[_COL[key] - 1] for key in ("control", *_ANSWER_KEYS)}
        cells = {key: getattr(cell, "value", None) for key, cell in typed.items()}
        raw_id = cells["control"]
        cid = "" if _is_formula_cell(typed["control"]) else _as_text(raw_id).strip()

        def locate(key: str, r: int = r, cid: str = cid) -> dict[str, Any]:
            return {"file": name, "cell": f"{sheet}!{letters[key]}{r}", "field": cid}

        formulas = [
            Problem(
                **locate(key),
                message=f"{key} is a formula; type the value itself",
                hint="formulas are not read from a questionnaire (they could run or fetch "
                "something when the file is opened)",
            )
            for key, cell in typed.items()
            if _is_formula_cell(cell)
        ]
        if formulas:
            problems += formulas
            if cid in emb_controls:
                found.setdefault(cid, (sheet, r, None))  # its row is there: not "missing"
            continue
        if not cid:
            if any(not _is_blank(cells[k]) for k in _ANSWER_KEYS):
                problems.append(
                    Problem(
                        **locate("control"),
                        message="answers in a row without a control id",
                        hint="do not move answers between rows",
                    )
                )
            continue
        if cid not in emb_controls:
            if cid in platform_ids and company:
                message = f"{cid} is an EMB control, not a platform commitment"
                hint = "EMB controls are answered in the EMB's own questionnaire"
            elif cid in platform_ids:
                message = f"{cid} is a platform commitment, not an EMB control"
                hint = "platform commitments are answered per company in platforms/<company>.yaml"
            else:
                message = f"unknown control id {cid!r}"
                hint = did_you_mean(cid, emb_controls)
            problems.append(Problem(**locate("control"), value=cid, message=message, hint=hint))
            problems += _parse_answer(cells, locate)[1]  # its bad cells are problems too
            continue
        if cid in found:
            other_sheet, other_row, _ = found[cid]
            problems.append(
                Problem(
                    **locate("control"),
                    message=f"control {cid} appears twice",
                    hint=f"also in {other_sheet}!A{other_row}",
                )
            )
            continue
        answer, more = _parse_answer(cells, locate)
        problems += more
        found[cid] = (sheet, r, answer)


def _read_csv(
    path: Path, frameworks: Mapping[str, Framework], *, max_rows: int
) -> tuple[QuestionnaireAnswers | None, list[Problem]]:
    answers, problems = _read_csv_rows(path, frameworks, max_rows=max_rows)
    return answers, _capped(problems)


def _read_csv_rows(
    path: Path, frameworks: Mapping[str, Framework], *, max_rows: int
) -> tuple[QuestionnaireAnswers | None, list[Problem]]:
    name = str(path)
    text, problems = read_text(path, display=name)
    if text is None:
        return None, problems
    reader = CsvRecords(text, delimiter=None)  # ',' or what a spreadsheet saved: ';' or tab
    try:
        header = [h.strip().casefold() for h in next(reader)[1]]
    except (StopIteration, csv.Error):
        return None, [Problem(file=name, line=1, message="no header row")]
    for col in sorted(set(header) - set(_CSV_COLUMNS)):
        problems.append(
            Problem(
                file=name,
                line=1,
                value=col,
                message=f"unknown column {col!r}",
                hint=did_you_mean(col, _CSV_COLUMNS) or "it is ignored; remove it",
            )
        )
    missing = sorted(_CSV_REQUIRED - set(header))
    for col in missing:
        problems.append(Problem(file=name, line=1, message=f"missing column {col!r}"))
    twice = sorted({h for h in header if header.count(h) > 1})
    for col in twice:
        problems.append(Problem(file=name, line=1, message=f"column {col!r} appears twice"))
    if missing or twice:
        return None, problems  # the rows cannot be read reliably (an unknown column is ignored)
    index = {h: i for i, h in enumerate(header)}
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for start, values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= max_rows:
                return None, [
                    *problems,
                    Problem(
                        file=name,
                        line=start,
                        message=f"more than {max_rows:,} rows: a questionnaire of the known "
                        "frameworks has one row per control",
                        hint="is it the right file? keep only the exported rows",
                    ),
                ]
            padded = [*values, *([""] * len(header))]
            rows.append((start, {h: padded[i] for h, i in index.items()}))
    except csv.Error as exc:
        problems.append(Problem(file=name, line=reader.line_num, message=f"CSV error: {exc}"))
    if not rows:
        return None, [*problems, Problem(file=name, field="framework", message="no rows")]
    fids = list(dict.fromkeys(r["framework"].strip() for _, r in rows))
    known = [f for f in fids if f in frameworks]
    emb_controls = {c.id: c for f in known for c in _emb_controls(frameworks[f])}
    platform_ids = [c.id for f in known for c in frameworks[f].controls if c.id not in emb_controls]
    bad_fw: set[str] = set()
    seen: dict[str, int] = {}
    answers: dict[str, Answer] = {}
    for start, row in rows:
        cid = row["control"].strip()
        fid = row["framework"].strip()

        def locate(key: str, start: int = start, cid: str = cid) -> dict[str, Any]:
            return {"file": name, "line": start, "field": f"{cid or '(no id)'} {key}"}

        if fid not in frameworks:
            if fid not in bad_fw:  # once per framework, at its first row
                bad_fw.add(fid)
                problems.append(
                    Problem(
                        **locate("framework"),
                        value=fid,
                        message=f"unknown framework {fid!r}",
                        hint=did_you_mean(fid, frameworks),
                    )
                )
            continue
        control = emb_controls.get(cid)
        if control is None:
            problems.append(
                Problem(
                    **locate("control"),
                    value=cid,
                    message=f"{cid} is a platform commitment, not an EMB control"
                    if cid in platform_ids
                    else f"unknown control id {cid!r}",
                    hint="" if cid in platform_ids else did_you_mean(cid, emb_controls),
                )
            )
            continue
        if not any(c.id == cid for c in frameworks[fid].controls):
            problems.append(
                Problem(
                    **locate("framework"),
                    value=fid,
                    message=f"control {cid} is not in framework {fid!r}",
                    hint="do not change the framework column",
                )
            )
            continue
        if cid in seen:
            problems.append(
                Problem(
                    **locate("control"), message=f"control {cid} appears twice (line {seen[cid]})"
                )
            )
            continue
        seen[cid] = start
        typed = [k for k in ("evidence", "notes") if _formula(row[k])]
        if typed:  # an unguarded '=': a spreadsheet would run it (the export guards text)
            problems += [
                Problem(
                    **locate(k),
                    message=f"{k} is a formula; type the value itself",
                    hint="formulas are not read from a questionnaire; start text that begins "
                    "with '=' with an apostrophe",
                )
                for k in typed
            ]
            continue
        cells = {k: _csv_unguard(row[k]) for k in _ANSWER_KEYS}
        cells["level"], cells["source"], cells["target"] = (
            cells["level"].strip(),
            cells["source"].strip(),
            cells["target"].strip(),
        )
        answer, more = _parse_answer(cells, locate)
        problems += more
        if answer is not None:
            answers[cid] = answer
    for cid in emb_controls:
        if cid not in seen:
            problems.append(
                Problem(
                    file=name,
                    field=cid,
                    message=f"control {cid} has no row (deleted?)",
                    hint="keep every row; leave level blank for an unassessed control",
                )
            )
    if problems:
        return None, problems
    ordered = {cid: answers[cid] for cid in emb_controls if cid in answers}
    return QuestionnaireAnswers(tuple(known), "", None, None, ordered), []


# --------------------------------------------------------------------------- import


def import_questionnaire(
    paths: Path | Sequence[Path],
    workspace: Path,
    *,
    as_of: dt.date | None = None,
    assessor: str | None = None,
    frameworks_dirs: Sequence[Path] = (),
) -> ImportResult:
    """Import one or more filled-in questionnaires into a workspace's ``assessment.yaml``, as
    one assessment.

    Each file's frameworks must be in the workspace's scope, and no framework may come from
    two files. Their answers replace those frameworks' answers (a blank level removes an
    answer: the control becomes unassessed); other frameworks' answers and all overrides are
    kept. The date is ``as_of`` if given, else the workbooks' assessment date (they must
    agree; a CSV needs ``as_of``). Nothing is written unless everything checks out. Then:

    - nothing changed: nothing is written (``change="unchanged"``);
    - another date than the current assessment's: the current ``assessment.yaml`` is kept as
      ``history/assessment-<its as_of>.yaml`` and the new one written atomically (``new``);
    - the same date, and only frameworks not yet assessed at that date change (their answers
      are still those of the previous assessment in ``history/``, or there are none): the
      assessment is completed in place, no history entry (``completed``);
    - the same date with other changes: refused unless ``as_of`` is given (a correction: the
      current file is kept in ``history/`` first, ``corrected``), since a workbook exported
      with the old date and filled in again is most likely a new assessment.

    Raises
    ------
    InputError
        The workspace does not load (:class:`~cyberready.errors.InputError`), or the
        questionnaires have problems (:class:`AssessmentError`, every one with its cell).
    """
    from cyberready.workspace import load_workspace

    files = [paths] if isinstance(paths, Path) else list(paths)
    with workspace_lock(Path(workspace)):
        ws = load_workspace(workspace, frameworks_dirs=frameworks_dirs)
        return _import_into(ws, files, as_of=as_of, assessor=assessor)


def _import_into(
    ws: Workspace, files: Sequence[Path], *, as_of: dt.date | None, assessor: str | None
) -> ImportResult:
    """:func:`import_questionnaire` into the loaded ``ws``, its lock held."""
    read: list[tuple[Path, QuestionnaireAnswers]] = []
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    for path in files:
        name = str(path)
        q, more = _read(path, ws.library.frameworks, need_date=as_of is None)
        problems += more
        if as_of is None and path.suffix.lower() == ".csv":
            # said even when cells are wrong: one run lists everything to fix
            problems.append(
                Problem(
                    file=name,
                    message="no assessment date",
                    hint="pass --as-of YYYY-MM-DD (a CSV carries no date)",
                )
            )
        if q is None:
            continue
        read.append((path, q))
        for fid in () if q.company else q.frameworks:
            if fid not in ws.emb.frameworks:
                problems.append(
                    Problem(
                        file=name,
                        field="framework",
                        value=fid,
                        message=f"framework {fid!r} is not in the workspace's scope",
                        hint="emb.yaml lists: " + ", ".join(ws.emb.frameworks),
                    )
                )
            elif fid in taken:
                problems.append(
                    Problem(
                        file=name,
                        field="framework",
                        value=fid,
                        message=f"the answers of {fid} are also in {taken[fid]}",
                        hint="give each framework's answers once",
                    )
                )
            else:
                taken[fid] = name
        if q.emb and q.emb != ws.emb.id:
            problems.append(
                Problem(
                    file=name,
                    field="emb",
                    value=q.emb,
                    message=f"this questionnaire was exported for EMB {q.emb!r}, not {ws.emb.id!r}",
                    hint="import it into its own workspace",
                )
            )
    companies = [(p, q) for p, q in read if q.company]
    if companies and len(files) > 1:
        for p, q in companies:
            problems.append(
                Problem(
                    file=str(p),
                    field="company",
                    value=q.company,
                    message=f"this is the platform scorecard of {q.company}: it is one "
                    "assessment on its own",
                    hint="import the EMB's questionnaires and each company's scorecard in "
                    "separate runs",
                )
            )
    elif companies and not problems and len(read) == len(files):
        path, q = companies[0]
        return _import_scorecard(ws, path, q, as_of=as_of, assessor=assessor)
    dates = {q.as_of for _, q in read if q.as_of is not None}
    if as_of is None and len(dates) > 1:
        problems.append(
            Problem(
                file=", ".join(str(p) for p, _ in read),
                field="assessment date",
                message="the workbooks give different assessment dates: "
                + ", ".join(f"{p.name} {q.as_of}" for p, q in read if q.as_of is not None),
                hint="one assessment has one date: correct the Instructions sheets, or pass "
                "--as-of YYYY-MM-DD",
            )
        )
    shown = ", ".join(str(p) for p in files)
    if problems or len(read) != len(files):
        raise AssessmentError(problems, f"{len(problems)} problem(s) in {shown}; nothing written")
    date = as_of or next(iter(dates))
    old = ws.assessment
    imported: dict[str, Answer] = {}
    for _, q in read:
        imported.update(q.answers)
    merged: dict[str, Answer] = {}
    for fw in ws.frameworks:
        source = imported if fw.id in taken else (old.answers if old else {})
        for c in _emb_controls(fw):
            if c.id in source:
                merged[c.id] = source[c.id]
    given = next((q.assessor for _, q in read if q.assessor), None)
    new = Assessment(
        schema_version=1,
        kind="assessment",
        emb=ws.emb.id,
        frameworks=ws.emb.frameworks,
        as_of=date,
        assessor=assessor if assessor is not None else given or (old.assessor if old else ""),
        answers=merged,
        overrides=old.overrides if old else (),
    )
    change = _change(ws, old, new, list(taken), confirmed=as_of is not None)
    fw_ids = tuple(taken)
    n_controls = sum(len(_emb_controls(ws.library.frameworks[f])) for f in fw_ids)
    answered = len(imported)  # each file's answers are of its own frameworks only
    result = ImportResult(
        assessment=new,
        written=None,
        archived=None,
        frameworks=fw_ids,
        answered=answered,
        not_applicable=sum(1 for a in imported.values() if a.level == "n/a"),
        unassessed=n_controls - answered,
        change=change,
        languages=tuple(ws.emb.languages),
    )
    if change == "unchanged":
        return result
    header = (
        f"Assessment of {ws.emb.name}, as of {date}.\n"
        f"Answers for {', '.join(fw_ids)} imported from {', '.join(p.name for p in files)} "
        "by cyberready; earlier assessments are in history/."
    )
    archived = save_assessment(ws.path, new, header=header, keep_previous=change != "completed")
    return replace(result, written=ws.path / ASSESSMENT_FILE, archived=archived)


def _scorecards(ws: Workspace) -> dict[str, tuple[Path, PlatformScorecard]]:
    """The workspace's platform scorecards by file name (without ``.yaml``)."""
    folder = ws.path / "platforms"
    if not folder.is_dir():
        return {}
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    # the loader reads the same files in the same order, and refuses a workspace with a bad one
    return {p.stem: (p, card) for p, card in zip(files, ws.platforms, strict=False)}


def _find_scorecard(
    ws: Workspace, company: str, stem: str = ""
) -> tuple[str, PlatformScorecard | None]:
    """(file name without ``.yaml``, current scorecard or None) of a company, found by its
    file name or its name (case-insensitive); a new company's file name is its name in lower
    case, other characters than letters and digits as ``-``."""
    cards = _scorecards(ws)
    if stem and stem in cards:
        return stem, cards[stem][1]
    wanted = company.strip().casefold()
    for name, (_path, card) in cards.items():
        if wanted in (name.casefold(), card.company.strip().casefold()):
            return name, card
    slug = "".join(ch if ch.isalnum() else "-" for ch in wanted).strip("-")
    return stem or slug or "company", None


def _import_scorecard(
    ws: Workspace,
    path: Path,
    q: QuestionnaireAnswers,
    *,
    as_of: dt.date | None,
    assessor: str | None,
) -> ImportResult:
    """Write a company's platform scorecard workbook into ``platforms/<name>.yaml`` with the
    EMB questionnaire's history rules (see :func:`import_questionnaire`)."""
    stem, old = _find_scorecard(ws, q.company, q.scorecard)
    fid = q.frameworks[0]
    date = as_of or q.as_of
    assert date is not None  # a workbook without a date was refused when as_of is None
    new = PlatformScorecard(
        schema_version=1,
        kind="platform_scorecard",
        company=old.company if old is not None else q.company,
        framework=fid,
        as_of=date,
        assessor=assessor if assessor is not None else q.assessor or (old.assessor if old else ""),
        answers=q.answers,
    )
    target = ws.path / "platforms" / f"{stem}.yaml"
    change: ImportChange
    if old is None:
        change = "first"
    elif new == old:
        change = "unchanged"
    elif new.as_of != old.as_of:
        change = "new"
    elif as_of is not None:
        change = "corrected"
    else:
        raise _same_date(
            target,
            old.as_of,
            f"the import changes the scorecard of {old.company} of {old.as_of}",
            "scorecard",
            "platforms/history/",
        )
    n_controls = len(_platform_controls(ws.library.frameworks[fid]))
    result = ImportResult(
        assessment=new,
        written=None,
        archived=None,
        frameworks=(fid,),
        answered=len(q.answers),
        not_applicable=sum(1 for a in q.answers.values() if a.level == "n/a"),
        unassessed=n_controls - len(q.answers),
        change=change,
        company=new.company,
        languages=tuple(ws.emb.languages),
    )
    if change == "unchanged":
        return result
    header = (
        f"Platform scorecard: {new.company}, against {fid}, as of {date}.\n"
        f"Imported from {path.name} by cyberready; earlier scorecards are in platforms/history/."
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    archived = save_scorecard(target, new, header=header)
    return replace(result, written=target, archived=archived)


def _change(
    ws: Workspace,
    old: Assessment | None,
    new: Assessment,
    imported: Sequence[str],
    *,
    confirmed: bool,
) -> ImportChange:
    """How ``new`` relates to the current assessment ``old`` (see :func:`import_questionnaire`);
    raises :class:`AssessmentError` for a changed import with the current date, unconfirmed."""
    if old is None:
        return "first"
    if new == old:
        return "unchanged"
    if new.as_of != old.as_of:
        return "new"
    earlier = [h for h in ws.history if h.as_of < old.as_of]
    before = earlier[-1].answers if earlier else {}

    def answers_of(answers: Mapping[str, Answer], fid: str) -> dict[str, Answer]:
        ids = {c.id for c in _emb_controls(ws.library.frameworks[fid])}
        return {cid: a for cid, a in answers.items() if cid in ids}

    changed = [f for f in imported if answers_of(old.answers, f) != answers_of(new.answers, f)]
    # completing the assessment loses nothing: what is replaced is empty, or still the answers
    # of the previous assessment, which history/ holds
    if all(
        not answers_of(old.answers, f) or answers_of(old.answers, f) == answers_of(before, f)
        for f in changed
    ):
        return "completed"
    if confirmed:
        return "corrected"
    frameworks = [f for f in changed if answers_of(old.answers, f) != answers_of(before, f)]
    raise _same_date(
        ws.path / ASSESSMENT_FILE,
        old.as_of,
        f"the import changes answers of {', '.join(frameworks)} already assessed on {old.as_of}",
        "assessment",
        "history/",
    )


def _same_date(file: Path, as_of: dt.date, what: str, kind: str, history: str) -> AssessmentError:
    """The refusal of a changed import that gives the current date without ``--as-of``."""
    return AssessmentError(
        [
            Problem(
                file=str(file),
                field="as_of",
                value=as_of.isoformat(),
                message=f"{what}, and gives the same date",
                hint=f"for a new {kind}, type its date in the workbook's Instructions!"
                f"{AS_OF_CELL} or pass --as-of YYYY-MM-DD; to correct the {kind} of "
                f"{as_of} (the current one is then kept in {history}), pass --as-of {as_of}",
            )
        ],
        f"the {kind} date was not changed; nothing written",
    )

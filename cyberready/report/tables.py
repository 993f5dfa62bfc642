"""An assessment as tidy CSV tables with a Frictionless Data Package descriptor (docs/exports.md).

``cyberready export csv`` writes one CSV file per table of :data:`EXPORT_TABLES` — one
observation per row, one variable per column — and a ``datapackage.json`` (`Frictionless Data
Package <https://datapackage.org/>`_, tabular profile) naming every file's columns, types, units
and meaning. The tables are read from the advisor view
(:class:`~cyberready.report.AdvisorView`), which holds the library's numbers at full precision,
so a saved run (``--from run.json``) gives the same files as a fresh run with the same options,
and the figures equal those of the reports.

How cells are written (the same for every table):

* numbers: plain decimals at full precision, never in exponent notation (the shortest digits
  that read back as the same value, e.g. ``0.1``, ``0.00001``); probabilities and shares
  between 0 and 1, scores between 0 and 100, costs in USD;
* dates: ISO 8601 (``2026-03-01``); booleans ``true`` / ``false``; a missing value is an empty
  cell;
* text: UTF-8; a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
  ``'`` gets a leading ``'`` (:func:`cyberready.io.csv_guard`), so that a spreadsheet shows it
  as text and never runs it as a formula;
* several values in one cell (the phases of a function, the assets of an action) are separated
  by ``; ``;
* comma-separated, every line ended by CRLF (RFC 4180), a header row first.

The column definitions below are the one source of the descriptor and of the tables in
docs/exports.md (:func:`columns_markdown`; a test keeps the page equal to it). A row with a
column the definitions do not name is an error, never a silently undocumented column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

from cyberready.errors import ReportError
from cyberready.io import csv_guard

if TYPE_CHECKING:
    from cyberready.report.models import TechnicalView

__all__ = [
    "DESCRIPTOR",
    "EXPORT_TABLES",
    "LIST_SEPARATOR",
    "ExportColumn",
    "ExportTable",
    "columns_markdown",
    "datapackage",
    "export_files",
    "table_rows",
]

ColumnType = Literal["string", "integer", "number", "boolean", "date"]
Cell = str | int | float | bool | dt.date | None

DESCRIPTOR: Final = "datapackage.json"
"""The file name of the Data Package descriptor written next to the CSV files."""

LIST_SEPARATOR: Final = "; "
"""Between the values of a cell that holds several (phases, assets, scenario titles)."""


@dataclass(frozen=True)
class ExportColumn:
    """One column of an exported table: its name, Table Schema type and meaning (with unit)."""

    name: str
    type: ColumnType
    description: str


@dataclass(frozen=True)
class ExportTable:
    """One exported CSV file: what one row is, its columns and its primary key."""

    name: str
    title: str
    description: str
    columns: tuple[ExportColumn, ...]
    primary_key: tuple[str, ...]

    @property
    def path(self) -> str:
        """The file name, ``<name>.csv``."""
        return f"{self.name}.csv"


def _c(name: str, type_: ColumnType, description: str) -> ExportColumn:
    return ExportColumn(name, type_, description)


_FRAMEWORK = _c("framework_id", "string", "Framework id (see `cyberready frameworks list`).")
_DOMAIN = _c("domain_id", "string", "Domain id within the framework.")
_CONTROL = _c("control_id", "string", "Control id.")
_SCENARIO = _c("scenario_id", "string", "Threat scenario id.")
_FUNCTION = _c("function_id", "string", "Election function id (system.yaml).")
_RANK = _c("rank", "integer", "Rank of the action in actions.csv (1 = do first).")
_COST_LOW = _c("cost_low_usd", "number", "Cost, low end, in USD.")
_COST_HIGH = _c("cost_high_usd", "number", "Cost, high end, in USD.")

EXPORT_TABLES: Final[tuple[ExportTable, ...]] = (
    ExportTable(
        "answers",
        "Answers",
        "One row per control of the EMB's frameworks: the answer given and its evidence.",
        (
            _FRAMEWORK,
            _DOMAIN,
            _CONTROL,
            _c("title", "string", "Control title (in the export's language)."),
            _c(
                "provenance",
                "string",
                "official, derived (cyberready's encoding of the source's intent) or "
                "supplementary (a practice cyberready adds beyond the source).",
            ),
            _c("weight", "integer", "Weight of the control in its domain, 1–5."),
            _c("status", "string", "answered, n/a (not applicable) or unassessed (scored as 0)."),
            _c("level", "integer", "Maturity level answered, 0–4 (empty: n/a or unassessed)."),
            _c("target", "integer", "Target level, 0–4 (empty: none set)."),
            _c(
                "level_min",
                "integer",
                "Lowest level over the assets the control applies to (overrides can set a "
                "level per asset; unassessed counts 0; empty: n/a or no asset).",
            ),
            _c(
                "level_max",
                "integer",
                "Highest level over the assets the control applies to (empty: n/a or no asset).",
            ),
            _c(
                "evidence_source",
                "string",
                "What the answer rests on: test, document, observation, interview or none.",
            ),
            _c("evidence", "string", "Evidence text from assessment.yaml."),
            _c("notes", "string", "Notes from assessment.yaml."),
            _c("as_of", "date", "Date of the assessment."),
        ),
        ("control_id",),
    ),
    ExportTable(
        "scores",
        "Readiness scores",
        "One row per score: the overall score, each framework, each domain and each control.",
        (
            _c("kind", "string", "What the row scores: overall, framework, domain or control."),
            _c("framework_id", "string", "Framework id (empty for the overall row)."),
            _c("domain_id", "string", "Domain id (domain and control rows)."),
            _c("control_id", "string", "Control id (control rows)."),
            _c("title", "string", "Title of the framework, domain or control."),
            _c(
                "score",
                "number",
                "Weighted readiness score, 0–100 (a control: level / 4 × 100; empty for a "
                "control that is n/a or unassessed).",
            ),
            _c(
                "score_low",
                "number",
                "Lower end of the confidence band, 0–100, wider for weaker evidence "
                "(aggregate rows).",
            ),
            _c("score_high", "number", "Upper end of the confidence band, 0–100 (aggregate rows)."),
            _c("tier", "string", "Readiness tier of the score (aggregate rows)."),
            _c("coverage", "number", "Share of controls answered, 0–1 (aggregate rows)."),
            _c(
                "confidence",
                "string",
                "high, medium or low: how much of the evidence is tested or documented "
                "(overall row).",
            ),
            _c("controls", "integer", "Controls scored, n/a excluded (domain rows)."),
            _c("unassessed", "integer", "Controls not answered, scored as 0 (domain rows)."),
            _c(
                "target_score",
                "number",
                "Score if every target level were met, 0–100 (domain rows; empty: no targets).",
            ),
            _c("weight", "integer", "Weight of the control in its domain, 1–5 (control rows)."),
        ),
        (),  # the ids that make a row unique are empty in the others' rows
    ),
    ExportTable(
        "risks",
        "Function failure by scenario",
        "One row per threat scenario × election function: the simulated chance that the "
        "function fails when the scenario is attempted.",
        (
            _SCENARIO,
            _FUNCTION,
            _c("p_fail", "number", "P(the function fails | the scenario is attempted), 0–1."),
            _c("p_fail_low", "number", "Wilson 95% lower bound of p_fail, 0–1."),
            _c("p_fail_high", "number", "Wilson 95% upper bound of p_fail, 0–1."),
        ),
        ("scenario_id", "function_id"),
    ),
    ExportTable(
        "scenarios",
        "Threat scenarios",
        "One row per threat scenario simulated: its likelihood and what it is expected to "
        "cost, in weight points (a function's importance 1–5 counts that many points when it "
        "fails; a full loss of public trust counts the EMB's public_confidence_weight).",
        (
            _SCENARIO,
            _c("title", "string", "Scenario title."),
            _c("actor", "string", "Threat actor."),
            _c("objective", "string", "availability, integrity, confidentiality or perception."),
            _c(
                "status",
                "string",
                "applies, partial (a rule matches nothing here), cannot_apply or not_relevant "
                "(the last two explain a 0).",
            ),
            _c("likelihood", "number", "Chance the campaign is attempted this cycle, 0–1."),
            _c("base_likelihood", "number", "Generic likelihood before any threat context, 0–1."),
            _c(
                "likelihood_origin",
                "string",
                "generic, actor (generic × the actor level's multiplier) or emb (the EMB's "
                "own figure).",
            ),
            _c(
                "actor_level",
                "string",
                "The actor's level in the EMB's threat context: none, low, medium or high "
                "(empty without a threat context).",
            ),
            _c("p_any_failure", "number", "P(some function fails | attempted), 0–1."),
            _c(
                "expected_loss",
                "number",
                "Expected loss this cycle, weight points: function_loss + trust_loss.",
            ),
            _c("function_loss", "number", "The part of expected_loss from failed functions."),
            _c("trust_loss", "number", "The part of expected_loss from lost public trust."),
            _c(
                "mean_trust",
                "number",
                "Share of public trust lost per attempt, 0–1 (min(C, 3) / 3 averaged).",
            ),
            _c(
                "public_confidence",
                "number",
                "Mean C per attempt: public incidents plus failed functions, after reassurance.",
            ),
            _c("hours_p10", "number", "10th percentile of hours to the first failure."),
            _c("hours_p50", "number", "Median hours to the first failure."),
            _c("hours_p90", "number", "90th percentile of hours to the first failure."),
        ),
        ("scenario_id",),
    ),
    ExportTable(
        "functions",
        "Election functions",
        "One row per election function: the chance it fails this cycle, over every scenario.",
        (
            _FUNCTION,
            _c("title", "string", "Function title."),
            _c("phases", "string", "Phases of the electoral cycle it serves ('; ' between)."),
            _c("weight", "integer", "Importance, 1–5 (weight points when it fails)."),
            _c(
                "p_fail_cycle",
                "number",
                "P(fails this cycle), 0–1: 1 - the product over the scenarios of "
                "(1 - likelihood × p_fail).",
            ),
            _c(
                "main_threats",
                "string",
                "Titles of the scenarios contributing most ('; ' between).",
            ),
            _c(
                "single_points_of_failure",
                "string",
                "Asset ids whose outage alone fails the function ('; ' between).",
            ),
        ),
        ("function_id",),
    ),
    ExportTable(
        "actions",
        "Prioritised actions",
        "One row per recommended action (raise one control): risk-ranked actions first, then "
        "those that raise readiness only.",
        (
            _c("rank", "integer", "Rank, 1 = do first."),
            _CONTROL,
            _c("title", "string", "Control title."),
            _FRAMEWORK,
            _DOMAIN,
            _c("domain_title", "string", "Domain title."),
            _c("from_level", "integer", "Current level, 0–4."),
            _c("to_level", "integer", "Level after the action, 0–4."),
            _c("scope", "string", "Where: everywhere it applies, or an asset selector."),
            _COST_LOW,
            _COST_HIGH,
            _c("weeks", "number", "Weeks to put in place."),
            _c(
                "ready_by_phase",
                "string",
                "First phase of the electoral cycle it is in place before (empty: none this "
                "cycle).",
            ),
            _c(
                "risk_reduction",
                "number",
                "Drop in expected loss, weight points, if this action alone is done.",
            ),
            _c(
                "risk_reduction_share",
                "number",
                "risk_reduction as a share of today's expected loss, 0–1.",
            ),
            _c("readiness_gain", "number", "Rise in the overall readiness score, points of 0–100."),
            _c("in_budget", "boolean", "Part of the budget plan."),
            _c(
                "simulated",
                "boolean",
                "true: ranked by simulated risk reduction; false: raises readiness only.",
            ),
            _c("scenarios", "string", "Titles of the scenarios it affects ('; ' between)."),
            _c("functions", "string", "Titles of the functions it protects ('; ' between)."),
            _c(
                "references",
                "string",
                "Crosswalk items it maps to, e.g. PR.AA-01 ('; ' between).",
            ),
            _c("assets", "string", "Ids of the assets it touches ('; ' between)."),
            _c("why", "string", "One-sentence explanation."),
        ),
        ("rank",),
    ),
    ExportTable(
        "roadmap",
        "Roadmap",
        "One row per action on the electoral calendar: when it starts and is ready, and how "
        "its benefit in the plan splits between this cycle and the next.",
        (
            _RANK,
            _CONTROL,
            _c("title", "string", "Control title."),
            _c("start", "date", "Start date."),
            _c("ready", "date", "Date it is in place."),
            _c(
                "before_phase",
                "string",
                "First phase it is ready for (empty: only from the next cycle on).",
            ),
            _COST_LOW,
            _COST_HIGH,
            _c(
                "this_cycle_share",
                "number",
                "Share of today's expected loss it removes in this cycle, 0–1 (in the phases "
                "that start after it is ready).",
            ),
            _c(
                "next_cycle_share",
                "number",
                "Share of today's expected loss it removes only from the next cycle on, 0–1 "
                "(phases that start before it is ready).",
            ),
        ),
        ("rank", "control_id", "ready"),
    ),
)
"""Every exported table, in the order of the descriptor."""


# --------------------------------------------------------------------------- rows


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _answers(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for c in view.controls:
        status = "n/a" if c.level == "n/a" else "unassessed" if c.level is None else "answered"
        yield {
            "framework_id": c.framework_id,
            "domain_id": c.domain_id,
            "control_id": c.control_id,
            "title": c.title,
            "provenance": c.provenance,
            "weight": c.weight,
            "status": status,
            "level": c.level if isinstance(c.level, int) else None,
            "target": c.target,
            "level_min": c.spread[0] if c.spread else None,
            "level_max": c.spread[1] if c.spread else None,
            "evidence_source": c.source,
            "evidence": c.evidence,
            "notes": c.notes,
            "as_of": view.meta.as_of,
        }


def _scores(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    r = view.readiness
    yield {
        "kind": "overall",
        "title": view.meta.emb_name,
        "score": r.score,
        "score_low": r.low,
        "score_high": r.high,
        "tier": r.tier,
        "coverage": r.coverage,
        "confidence": r.confidence,
    }
    for f in r.frameworks:
        yield {
            "kind": "framework",
            "framework_id": f.framework_id,
            "title": f.title,
            "score": f.score,
            "score_low": f.low,
            "score_high": f.high,
            "tier": f.tier,
            "coverage": f.coverage,
        }
    for d in r.domains:
        yield {
            "kind": "domain",
            "framework_id": d.framework_id,
            "domain_id": d.domain_id,
            "title": d.title,
            "score": d.score,
            "score_low": d.low,
            "score_high": d.high,
            "tier": d.tier,
            "coverage": d.coverage,
            "controls": d.controls,
            "unassessed": d.unassessed,
            "target_score": d.target,
        }
    for c in view.controls:
        yield {
            "kind": "control",
            "framework_id": c.framework_id,
            "domain_id": c.domain_id,
            "control_id": c.control_id,
            "title": c.title,
            "score": c.score,
            "weight": c.weight,
        }


def _risks(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for cell in view.matrix:
        yield {
            "scenario_id": cell.scenario_id,
            "function_id": cell.function_id,
            "p_fail": cell.p_fail,
            "p_fail_low": cell.low,
            "p_fail_high": cell.high,
        }


def _scenarios(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for s in view.scenarios:
        hours = s.hours_to_failure or (None, None, None)
        yield {
            "scenario_id": s.scenario_id,
            "title": s.title,
            "actor": s.actor,
            "objective": s.objective,
            "status": s.status,
            "likelihood": s.likelihood,
            "base_likelihood": s.base_likelihood,
            "likelihood_origin": s.likelihood_origin,
            "actor_level": s.actor_level,
            "p_any_failure": s.p_any_failure,
            "expected_loss": s.expected_loss,
            "function_loss": max(0.0, s.expected_loss - s.trust_loss),
            "trust_loss": s.trust_loss,
            "mean_trust": s.mean_trust,
            "public_confidence": s.public_confidence,
            "hours_p10": hours[0],
            "hours_p50": hours[1],
            "hours_p90": hours[2],
        }


def _functions(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for f in view.functions:
        yield {
            "function_id": f.function_id,
            "title": f.title,
            "phases": _joined(f.phases),
            "weight": f.weight,
            "p_fail_cycle": f.p_fail,
            "main_threats": _joined(f.main_threats),
            "single_points_of_failure": _joined(f.spof),
        }


def _actions(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for a in view.actions:
        yield {
            "rank": a.rank,
            "control_id": a.control_id,
            "title": a.title,
            "framework_id": a.framework_id,
            "domain_id": a.domain_id,
            "domain_title": a.domain_title,
            "from_level": a.from_level,
            "to_level": a.to_level,
            "scope": a.scope,
            "cost_low_usd": a.cost_low,
            "cost_high_usd": a.cost_high,
            "weeks": a.weeks,
            "ready_by_phase": a.ready_by,
            "risk_reduction": a.risk_reduction,
            "risk_reduction_share": a.risk_reduction_share,
            "readiness_gain": a.readiness_gain,
            "in_budget": a.in_budget,
            "simulated": a.simulated,
            "scenarios": _joined(a.scenarios),
            "functions": _joined(a.functions),
            "references": _joined(a.references),
            "assets": _joined(a.assets),
            "why": a.why,
        }


def _roadmap(view: TechnicalView) -> Iterable[dict[str, Cell]]:
    for item in getattr(view, "roadmap", ()):
        yield {
            "rank": item.rank,
            "control_id": item.control_id,
            "title": item.title,
            "start": item.start,
            "ready": item.ready,
            "before_phase": item.before_phase,
            "cost_low_usd": item.cost_low,
            "cost_high_usd": item.cost_high,
            "this_cycle_share": item.risk_reduction_share,
            "next_cycle_share": item.next_cycle_share,
        }


_ROWS: Final[dict[str, Callable[[TechnicalView], Iterable[dict[str, Cell]]]]] = {
    "answers": _answers,
    "scores": _scores,
    "risks": _risks,
    "scenarios": _scenarios,
    "functions": _functions,
    "actions": _actions,
    "roadmap": _roadmap,
}


def table_rows(view: TechnicalView, table: ExportTable) -> list[dict[str, Cell]]:
    """The rows of ``table`` read from ``view`` (the advisor view holds every table; a
    technical view has no roadmap), each a mapping of column name to value (None: empty).

    Raises
    ------
    ReportError
        If a row has a column that ``table`` does not define: every exported column is
        documented.
    """
    known = {c.name for c in table.columns}
    rows = list(_ROWS[table.name](view))
    for row in rows:
        extra = sorted(set(row) - known)
        if extra:
            raise ReportError(
                f"{table.path}: column(s) {', '.join(extra)} are not defined in "
                "cyberready.report.tables.EXPORT_TABLES"
            )
    return rows


# --------------------------------------------------------------------------- files


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # the shortest digits that read back as the same float, never in exponent notation
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_guard(value)


def _csv_bytes(table: ExportTable, rows: Sequence[Mapping[str, Cell]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.name)) for c in table.columns])
    return out.getvalue().encode("utf-8")


def datapackage(view: TechnicalView) -> dict[str, object]:
    """The Frictionless Data Package descriptor (tabular profile) of the export of ``view``:
    every file with its columns' names, types and descriptions, and what the run was."""
    meta = view.meta
    return {
        "profile": "tabular-data-package",
        "name": f"cyberready-{meta.emb_id}".lower(),
        "title": f"cyberready assessment of {meta.emb_name}",
        "description": (
            f"Tidy CSV export of a cyberready assessment. {view.banner.tlp}: it names systems "
            "and holds evidence; share it as you share the technical report. Numbers at full "
            "precision; probabilities and shares 0–1, scores 0–100, costs in USD, losses in "
            "weight points. Several values in one cell are separated by '; '. A text cell that "
            "starts with = + - @ or ' has a leading ' added so spreadsheets never run it."
        ),
        "cyberready_version": meta.cyberready_version,
        "emb_id": meta.emb_id,
        "as_of": meta.as_of.isoformat() if meta.as_of else None,
        "tlp": view.banner.tlp,
        "locale": meta.locale,
        "trials": meta.trials,
        "seed": meta.seed,
        "expected_loss": view.expected_loss,
        "trust_loss": view.trust_loss,
        "resources": [
            {
                "name": t.name,
                "path": t.path,
                "title": t.title,
                "description": t.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        for c in t.columns
                    ],
                    "missingValues": [""],
                    **({"primaryKey": list(t.primary_key)} if t.primary_key else {}),
                },
            }
            for t in EXPORT_TABLES
        ],
    }


def export_files(view: TechnicalView) -> dict[str, bytes]:
    """Every file of the export of ``view``: one CSV per table of :data:`EXPORT_TABLES` and the
    descriptor (:data:`DESCRIPTOR`), by file name. The same view gives the same bytes."""
    files = {t.path: _csv_bytes(t, table_rows(view, t)) for t in EXPORT_TABLES}
    text = json.dumps(datapackage(view), indent=2, ensure_ascii=False) + "\n"
    files[DESCRIPTOR] = text.encode("utf-8")
    return files


def columns_markdown() -> str:
    """Every exported file and its columns as Markdown (the generated part of
    docs/exports.md)."""
    lines: list[str] = []
    for t in EXPORT_TABLES:
        lines += [
            f"### `{t.path}`",
            "",
            t.description
            + (f" Key: {', '.join(f'`{k}`' for k in t.primary_key)}." if t.primary_key else ""),
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for c in t.columns:
            desc = c.description.replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.type} | {desc} |")
        lines.append("")
    return "\n".join(lines)

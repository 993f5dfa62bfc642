"""The only module that reads or writes files.

YAML is read with PyYAML's *safe* composer (no arbitrary objects, ever) and every node's line
is kept, so each problem names its file, line and field path. Problems are collected, never
raised one at a time: a file (and a whole workspace) reports everything wrong with it at once.
Writes are atomic (a temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io as _stdio
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ValidationError

from cyberready.errors import InputError, Problem, did_you_mean
from cyberready.models import KIND_MODELS, StrictModel

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_FILE_BYTES",
    "MAX_ROW_PROBLEMS",
    "MAX_YAML_NODES",
    "CsvTable",
    "Document",
    "atomic_write_bytes",
    "atomic_write_text",
    "data_dir",
    "dump_yaml",
    "load_model_file",
    "parse_model",
    "read_csv_columns",
    "read_text",
    "read_workspace_csv",
    "read_yaml",
    "safe_join",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest YAML file read (a system with 10^6 assets belongs in a generate: CSV)."""
MAX_YAML_NODES = 2_000_000
"""Largest number of YAML nodes after alias expansion (stops 'billion laughs' bombs)."""

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


def data_dir(name: str) -> Path:
    """The shipped data folder ``frameworks``, ``scenarios`` or ``examples``.

    Installed from a wheel they live in ``cyberready/_data``; in a source checkout they are at
    the repository root.
    """
    packaged = resources.files("cyberready").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


@dataclass
class Document:
    """A parsed YAML file: plain data plus the line of every field path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """Line of the longest known prefix of ``path`` (1-based), or None."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)

    def problem(
        self, path: Sequence[str | int], message: str, *, value: object = "", hint: str = ""
    ) -> Problem:
        """A Problem located at ``path`` in this document."""
        return Problem(
            file=self.file,
            line=self.line_of(path),
            field=format_path(path),
            value="" if value == "" else _short(value),
            message=message,
            hint=hint,
        )


def format_path(path: Sequence[str | int]) -> str:
    """``('controls', 3, 'effects')`` -> ``controls[3].effects``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_text(path: Path, *, display: str | None = None) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file; problems for a missing, huge, empty or non-UTF-8 file."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(file=name, message=f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit")
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                file=name,
                line=line,
                message=f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint="save the file as UTF-8",
            )
        ]
    if not text.strip():
        return None, [Problem(file=name, line=1, message="file is empty")]
    return text, []


class _Walker:
    """Turns a composed YAML node tree into plain data, recording each path's line."""

    def __init__(self, doc: Document, constructor: yaml.constructor.SafeConstructor) -> None:
        self.doc = doc
        self.constructor = constructor
        self.nodes = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _TooBigError
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            self.constructor.flatten_mapping(node)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(
                        Problem(
                            file=self.doc.file,
                            line=key_node.start_mark.line + 1,
                            field=format_path(path),
                            message="mapping keys must be plain values",
                        )
                    )
                    continue
                key = self.constructor.construct_object(key_node)
                if not isinstance(key, str | int | float | bool | dt.date) or key is None:
                    key = str(key)
                if key in out:
                    self.problems.append(
                        Problem(
                            file=self.doc.file,
                            line=key_node.start_mark.line + 1,
                            field=format_path((*path, key)),
                            message=f"duplicate key {key!r}",
                            hint="each key may appear once; the later one would hide the first",
                        )
                    )
                sub = (*path, key)
                self.doc.lines[sub] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self.constructor.construct_object(node)


class _TooBigError(Exception):
    pass


def read_yaml(path: Path, *, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file safely, keeping the line of every field path."""
    name = display or str(path)
    text, problems = read_text(path, display=name)
    if text is None:
        return None, problems
    doc = Document(file=name, data=None)
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, [
            Problem(
                file=name,
                line=mark.line + 1 if mark else None,
                message=f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}",
                hint=f"column {mark.column + 1}" if mark else "",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(file=name, message=f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(file=name, line=1, message="file is empty")]
    walker = _Walker(doc, yaml.SafeLoader(""))
    try:
        doc.data = walker.build(node, ())
    except _TooBigError:
        return None, [
            Problem(
                file=name,
                message=f"document expands to more than {MAX_YAML_NODES:,} nodes",
                hint="is it a YAML alias bomb? write the data out instead of using anchors",
            )
        ]
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        return None, [
            Problem(
                file=name,
                line=mark.line + 1 if mark else None,
                message=f"unsupported YAML value: {exc.problem}",
                hint="only plain YAML (mappings, lists, strings, numbers, dates) is read",
            )
        ]
    return doc, walker.problems


# --------------------------------------------------------------------------- pydantic errors


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc`` (best effort)."""
    current: Any = root
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            fld = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
            if fld is None:
                return current
            current = fld.annotation
        current = _unwrap(current, part)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any, part: str | int) -> Any:
    """Descend through Optional / list / tuple / dict annotations toward a model."""
    for _ in range(6):
        origin = get_origin(tp)
        if origin is None:
            return tp
        args = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if origin in (list, tuple, Sequence) and isinstance(part, int):
            return args[0] if args else tp
        if origin in (dict, Mapping):
            return args[-1] if args else tp
        if models:
            return models[0]
        if not args:
            return tp
        tp = args[0]
    return tp


def _problems_from_validation(
    doc: Document, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if isinstance(p, int | str)]
        # drop pydantic's internal union/function tags, keep the data path
        path = [
            p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function")))
        ]
        etype = err["type"]
        value = err.get("input", "")
        message = str(err["msg"])
        hint = ""
        if etype == "extra_forbidden":
            owner = _model_at(model, path[:-1])
            key = path[-1] if path else ""
            message = f"unknown key {key!r}"
            if owner is not None:
                hint = did_you_mean(key, _field_names(owner))
            value = ""
        elif etype == "missing":
            message = f"missing required field {path[-1]!r}" if path else "missing field"
            value = ""
        elif etype == "literal_error":
            expected = str(err.get("ctx", {}).get("expected", ""))
            choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",")]
            choices = [c for c in choices if c]
            if path and path[-1] == "schema_version":
                message = f"unsupported schema_version {value!r}"
                hint = "this cyberready reads schema_version 1"
            else:
                message = f"{value!r} is not a valid choice"
                hint = did_you_mean(value, choices)
        elif etype == "value_error":
            message = message.removeprefix("Value error, ")
        elif etype == "string_pattern_mismatch":
            pattern = err.get("ctx", {}).get("pattern", "")
            message = f"{value!r} is not a valid id"
            hint = f"ids match {pattern}"
        problems.append(doc.problem(path, message, value=value, hint=hint))
    return _dedupe(problems)


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def parse_model(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate a document against a model, turning every pydantic error into a Problem."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "expected a mapping at the top of the file")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _problems_from_validation(doc, model, exc)


def load_model_file(
    path: Path, *, display: str | None = None, expect: Iterable[str] | None = None
) -> tuple[StrictModel | None, Document | None, list[Problem]]:
    """Read and validate one cyberready file of any kind (chosen by its ``kind:``)."""
    doc, problems = read_yaml(path, display=display)
    if doc is None:
        return None, None, problems
    if not isinstance(doc.data, dict):
        return None, doc, [*problems, doc.problem((), "expected a mapping at the top of the file")]
    kind = doc.data.get("kind")
    allowed = list(expect) if expect is not None else list(KIND_MODELS)
    if "schema_version" not in doc.data:
        problems.append(
            doc.problem((), "missing required field 'schema_version'", hint="add schema_version: 1")
        )
    if kind not in allowed:
        problems.append(
            doc.problem(
                ("kind",),
                "missing kind" if kind is None else f"{kind!r} is not a kind expected here",
                value=kind if kind is not None else "",
                hint=did_you_mean(kind, allowed) if kind else "valid: " + ", ".join(allowed),
            )
        )
        return None, doc, problems
    model, more = parse_model(doc, KIND_MODELS[str(kind)])
    problems = [p for p in problems if "schema_version" not in p.message or not more] + more
    return (model if not problems else None), doc, _dedupe(problems)


# --------------------------------------------------------------------------- paths and writes


def safe_join(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it stays inside ``root`` (after resolving links), else None."""
    if not relative or Path(relative).is_absolute() or "\x00" in relative:
        return None
    root_resolved = root.resolve()
    target = (root_resolved / relative).resolve()
    try:
        target.relative_to(root_resolved)
    except ValueError:
        return None
    return target


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[tuple[int, str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        yield fd, tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new, never half."""
    with _atomic(path) as (fd, _tmp), os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """Plain, safe YAML (block style, keys in the given order, unicode kept)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def raise_if(
    problems: Sequence[Problem], error: type[InputError] = InputError, what: str = ""
) -> None:
    """Raise ``error`` with every problem if there are any."""
    if problems:
        files = sorted({p.file for p in problems})
        summary = what or (
            f"{len(problems)} problem(s) in {files[0]}"
            if len(files) == 1
            else f"{len(problems)} problem(s) in {len(files)} files"
        )
        raise error(list(problems), summary)


# --------------------------------------------------------------------------- CSV (generate:)

MAX_CSV_BYTES = 1024 * 1024 * 1024
"""Largest CSV read for ``generate:`` (10^6 rows of a few columns is a few tens of MB)."""
MAX_ROW_PROBLEMS = 20
"""Problems reported per kind of row problem before one summary line says how many more."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read column by column: ``columns[name][r]`` is row ``r``'s (stripped) value,
    found on line ``lines[r]`` (1-based, the header is line ``header_line``)."""

    file: str
    header: tuple[str, ...]
    columns: dict[str, list[str]]
    lines: npt.NDArray[np.int64]
    header_line: int = 1

    @property
    def n_rows(self) -> int:
        """Number of data rows (blank lines are not rows)."""
        return len(self.lines)


def _row_problems(
    file: str, bad: Sequence[tuple[int, str, str]], message: str, hint: str = ""
) -> list[Problem]:
    """Problems for bad rows ``(line, field, value)``, at most :data:`MAX_ROW_PROBLEMS` of them
    plus one line saying how many more there are."""
    out = [
        Problem(file=file, line=line, field=fld, value=_short(value), message=message, hint=hint)
        for line, fld, value in bad[:MAX_ROW_PROBLEMS]
    ]
    if len(bad) > MAX_ROW_PROBLEMS:
        out.append(
            Problem(
                file=file,
                line=bad[MAX_ROW_PROBLEMS][0],
                message=f"… and {len(bad) - MAX_ROW_PROBLEMS:,} more rows with the same problem "
                f"({message})",
            )
        )
    return out


def read_csv_columns(
    path: Path, *, display: str | None = None
) -> tuple[CsvTable | None, list[Problem]]:
    """Read a UTF-8 CSV with a header row into columns, keeping every row's line number.

    Values and header names are stripped of surrounding spaces; blank lines are skipped; a row
    with the wrong number of fields, an empty or repeated column name, or bytes that are not
    UTF-8 are problems naming the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_text("station,region\\nps-1,north\\n\\nps-2, south\\n")
    >>> table, problems = read_csv_columns(p)
    >>> table.columns["region"], table.lines.tolist(), problems
    (['north', 'south'], [2, 4], [])
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    if size > MAX_CSV_BYTES:
        return None, [
            Problem(file=name, message=f"file is {size:,} bytes, over the {MAX_CSV_BYTES:,} limit")
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file=name, message=f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                file=name,
                line=raw[: exc.start].count(b"\n") + 1,
                message=f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint="save the CSV as UTF-8",
            )
        ]
    del raw
    reader = csv.reader(_stdio.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    header_line = 1
    ragged: list[tuple[int, str, str]] = []
    try:
        for first in reader:
            if any(v.strip() for v in first):
                header = [h.strip() for h in first]
                header_line = reader.line_num
                break
        prev = reader.line_num
        width = len(header)
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if len(row) == width:
                rows.append(row)
                lines.append(start)
            elif any(v.strip() for v in row):
                ragged.append((start, "", f"{len(row)} fields"))
    except csv.Error as exc:
        problems.append(
            Problem(file=name, line=reader.line_num, message=f"CSV syntax error: {exc}")
        )
    if not header:
        return None, [*problems, Problem(file=name, line=1, message="no header row")]
    for k, h in enumerate(header):
        if not h:
            problems.append(
                Problem(
                    file=name,
                    line=header_line,
                    field=f"column {k + 1}",
                    message="empty column name",
                    hint="every column needs a name in the header row",
                )
            )
        elif h in header[:k]:
            problems.append(
                Problem(file=name, line=header_line, field=h, message=f"duplicate column {h!r}")
            )
    problems += _row_problems(
        name,
        ragged,
        f"row does not have the header's {len(header)} fields",
        "quote values that contain commas",
    )
    if problems:
        return None, problems
    columns = (
        {
            h: [v.strip() for v in col]
            for h, col in zip(header, zip(*rows, strict=True), strict=True)
        }
        if rows
        else {h: [] for h in header}
    )
    return (
        CsvTable(
            file=name,
            header=tuple(header),
            columns=columns,
            lines=np.array(lines, dtype=np.int64),
            header_line=header_line,
        ),
        [],
    )


def read_workspace_csv(
    root: Path, relative: str, doc: Document, where: Sequence[str | int]
) -> tuple[CsvTable | None, list[Problem]]:
    """Read the CSV a workspace file names at field ``where`` of ``doc``, relative to ``root``.

    A path that is absolute or leaves the workspace (``../``, a link pointing outside) is a
    problem located at that field of ``doc``; so is a file that does not exist.
    """
    target = safe_join(root, relative)
    if target is None:
        return None, [
            doc.problem(
                where,
                f"CSV path {relative!r} leaves the workspace",
                value=relative,
                hint="paths in workspace files are relative and stay inside the workspace folder",
            )
        ]
    shown = str(Path(root.name) / target.relative_to(root.resolve()))
    if not target.is_file():
        return None, [
            doc.problem(
                where, f"no such CSV file {relative!r}", value=relative, hint=f"looked for {shown}"
            )
        ]
    return read_csv_columns(target, display=shown)

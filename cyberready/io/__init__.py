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
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from cyberready.errors import InputError, Problem, did_you_mean
from cyberready.models import KIND_MODELS, StrictModel
from cyberready.models.vocab import CONTROL_ID_PATTERN, ID_PATTERN

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

__all__ = [
    "CSV_GUARD",
    "MAX_CSV_BYTES",
    "MAX_FILE_BYTES",
    "MAX_ROW_PROBLEMS",
    "MAX_YAML_NODES",
    "CsvTable",
    "Document",
    "Loaded",
    "atomic_write_bytes",
    "atomic_write_text",
    "csv_guard",
    "data_dir",
    "dump_yaml",
    "frame_csv",
    "is_inside",
    "load_file",
    "load_model_file",
    "parse_model",
    "read_csv_columns",
    "read_text",
    "read_workspace_csv",
    "read_yaml",
    "remove_stale_temporaries",
    "safe_join",
    "salvage_model",
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
    return Path(str(resources.files("cyberready"))).parent / name


@dataclass
class Document:
    """A parsed YAML file: plain data plus the line of every field path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    index_map: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """For a salvaged part (:func:`salvage_model`): top-level list -> the file's position of
    each item kept, so paths into the part name the file's own items."""

    def origin(self, path: Sequence[str | int]) -> Path_:
        """``path`` in the file's own positions (differs only for a salvaged part)."""
        p = tuple(path)
        if len(p) >= 2 and isinstance(p[0], str) and isinstance(p[1], int):
            positions = self.index_map.get(p[0])
            if positions is not None and 0 <= p[1] < len(positions):
                return (p[0], positions[p[1]], *p[2:])
        return p

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """Line of the longest known prefix of ``path`` (1-based), or None."""
        p = self.origin(path)
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
            field=format_path(self.origin(path)),
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
    """``value`` as text of at most ``limit`` characters, for a message or a problem's value:
    a 100,000-digit number or a page of text pasted into a field is not echoed in full."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        digits = int(value.bit_length() * 0.30103) + 1  # log10(2): no str() of a huge int
        return f"a whole number of about {digits:,} digits"
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: object) -> str:
    """``repr`` of a value as a message shows it (shortened: see :func:`_short`)."""
    return repr(_short(value)) if isinstance(value, str) else _short(value)


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


_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
"""The only scalar tags read: anything else (``!!python/object``, ``!!binary``, custom ``!tags``)
is refused, so a file can never make the loader build an object."""

_SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "a value that contains ': ' must be put in quotes"),
    ("found undefined alias", "an *alias must refer to an &anchor defined above it"),
    ("expected a single document", "a file holds one document: remove the extra '---'"),
)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node, limit: int) -> str:
    """``""``, or why the node graph cannot be read: an alias cycle or too many nodes.

    Aliases make the composed YAML a graph; its expanded size is counted with memoized subtree
    sizes (linear in distinct nodes), so a 'billion laughs' file is refused before it expands.
    """
    size: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            total = 1 + sum(size[id(c)] for c in _children(node))
            if total > limit:
                return "too big"
            size[key] = total
            continue
        if key in size:
            continue
        if key in entered:  # entered but not finished: an ancestor of itself
            return "cycle"
        entered.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in entered and id(child) not in size:
                return "cycle"
            if id(child) not in size:
                stack.append((child, False))
    return ""


class _Walker:
    """Turns a composed YAML node tree into plain data, recording each path's line."""

    def __init__(self, doc: Document, constructor: yaml.constructor.SafeConstructor) -> None:
        self.doc = doc
        self.constructor = constructor
        self.problems: list[Problem] = []
        self.refused: list[Problem] = []
        """Tags that would build objects: the file is not read at all when there are any."""
        self.merged: dict[int, int] = {}
        """Mapping node -> how many of its pairs came from ``<<`` merge keys."""

    def _refuse(self, node: yaml.Node, path: Path_) -> None:
        tag = str(node.tag)
        tag = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
        self.refused.append(
            Problem(
                file=self.doc.file,
                line=node.start_mark.line + 1,
                field=format_path(path),
                value=tag,
                message=f"unsupported YAML tag {tag!r}",
                hint="only plain YAML is read: mappings, lists, text, numbers and dates; "
                "tags that build objects are refused",
            )
        )

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _YAML + "map":
                self._refuse(node, path)
                return None
            out: dict[Any, Any] = {}
            if id(node) not in self.merged:
                own = sum(1 for k, _ in node.value if k.tag != _YAML + "merge")
                self.constructor.flatten_mapping(node)
                self.merged[id(node)] = len(node.value) - own
            merged = self.merged[id(node)]  # '<<: *anchor' pairs come first; keys may override
            explicit: set[Any] = set()
            for k, (key_node, value_node) in enumerate(node.value):
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
                if key_node.tag not in _SCALAR_TAGS:
                    self._refuse(key_node, path)
                    continue
                key = self.constructor.construct_object(key_node)
                if not isinstance(key, str | int | float | bool | dt.date) or key is None:
                    key = str(key)
                if k >= merged and key in explicit:
                    self.problems.append(
                        Problem(
                            file=self.doc.file,
                            line=key_node.start_mark.line + 1,
                            field=format_path((*path, key)),
                            message=f"duplicate key {key!r}",
                            hint="each key may appear once; the later one would hide the first",
                        )
                    )
                if k >= merged:
                    explicit.add(key)
                sub = (*path, key)
                self.doc.lines[sub] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML + "seq":
                self._refuse(node, path)
                return None
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            self._refuse(node, path)
            return None
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. a date such as 2026-13-45
            self.problems.append(
                Problem(
                    file=self.doc.file,
                    line=node.start_mark.line + 1,
                    field=format_path(path),
                    value=_short(str(node.value)),
                    message=f"cannot read {_quoted(str(node.value))}: "
                    + (
                        f"a number of {len(str(node.value)):,} digits is too large"
                        if "digits" in str(exc)
                        else _short(str(exc), 200)
                    ),
                    hint="put the value in quotes if it is meant as text",
                )
            )
            return str(node.value)


_PLAIN_WORDS = (
    ("flow sequence", "[...] list"),
    ("flow mapping", "{...} mapping"),
    ("block mapping", "mapping"),
    ("block collection", "list or mapping"),
    ("block sequence", "list"),
    ("quoted scalar", "quoted text"),
    ("plain scalar", "value"),
    ("'<stream end>'", "the end of the file"),
    ("end of stream", "end of the file"),
)


def _plain(text: str) -> str:
    for jargon, words in _PLAIN_WORDS:
        text = text.replace(jargon, words)
    return text


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    problem = str(exc.problem or exc.context or "invalid YAML")
    context = str(exc.context or "") if exc.problem else ""
    mark, ctx = exc.problem_mark or exc.context_mark, exc.context_mark
    at_end = "<stream end>" in problem or "end of stream" in problem
    if ctx is not None and at_end:
        # an unclosed bracket or quote: where it was opened is the line to fix
        mark, ctx = ctx, None
    message = f"YAML syntax error: {_plain(problem)}"
    if context and ctx is not None and (mark is None or ctx.line != mark.line):
        what = _plain(context.removeprefix("while parsing ").removeprefix("while scanning "))
        message += f" (in the {what.removeprefix('a ').removeprefix('an ')} "
        message += f"that starts on line {ctx.line + 1})"
    elif context and at_end:
        what = _plain(context.removeprefix("while parsing ").removeprefix("while scanning "))
        message += f" (in the {what.removeprefix('a ').removeprefix('an ')} that starts here)"
    hints = [h for needle, h in _SYNTAX_HINTS if needle in str(exc.problem) + str(exc.context)]
    if mark is not None:
        hints.insert(0, f"column {mark.column + 1}")
    return Problem(
        file=name,
        line=mark.line + 1 if mark else None,
        message=message,
        hint="; ".join(hints),
    )


_FAST_COMPOSER: Final = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document. libyaml's safe loader composes it when PyYAML was
    built with it (several times faster; its nodes carry the same line marks); a text it
    refuses is composed again by the pure-Python loader, whose error messages (and limits) the
    problems are worded from. Only nodes are composed here: :class:`_Walker` builds plain data
    from them with the safe constructor."""
    if _FAST_COMPOSER is not None:
        fast = _FAST_COMPOSER(text)
        try:
            return fast.get_single_node()  # type: ignore[no-any-return]
        except yaml.YAMLError:
            pass
        finally:
            fast.dispose()
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_yaml(path: Path, *, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file safely, keeping the line of every field path.

    Returns ``(None, problems)`` when the file cannot be read as plain YAML at all (missing,
    empty, not UTF-8, a syntax error, a tag that would build an object, an alias cycle or
    bomb); otherwise the document and any duplicate-key problems.
    """
    name = display or str(path)
    text, problems = read_text(path, display=name)
    if text is None:
        return None, problems
    doc = Document(file=name, data=None)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(name, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(file=name, message=f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(file=name, message="YAML is nested too deeply to read")]
    if node is None:
        return None, [Problem(file=name, line=1, message="file is empty (no YAML data)")]
    why = _check_expansion(node, MAX_YAML_NODES)
    if why == "cycle":
        return None, [
            Problem(
                file=name,
                message="an alias refers to the structure it is inside (a cycle)",
                hint="write the data out instead of using &anchors and *aliases",
            )
        ]
    if why:
        return None, [
            Problem(
                file=name,
                message=f"document expands to more than {MAX_YAML_NODES:,} values",
                hint="is it a YAML alias bomb? write the data out instead of using anchors",
            )
        ]
    walker = _Walker(doc, yaml.SafeLoader(""))
    try:
        doc.data = walker.build(node, ())
    except RecursionError:
        return None, [Problem(file=name, message="YAML is nested too deeply to read")]
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        return None, [
            Problem(
                file=name,
                line=mark.line + 1 if mark else None,
                message=f"unsupported YAML value: {exc.problem}",
                hint="only plain YAML (mappings, lists, text, numbers, dates) is read",
            )
        ]
    if walker.refused:
        return None, walker.refused
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


_KEY = "[key]"


def _data_path(data: Any, loc: Sequence[int | str], etype: str) -> tuple[Path_, bool, bool]:
    """The path of an error in the file's data, from pydantic's ``loc``.

    pydantic's ``loc`` also holds union branch names (``int``, ``literal['n/a']``) and
    ``[key]`` markers; only the steps that exist in the data are kept. Returns the path,
    whether a union branch was skipped, and whether the error is about a mapping key.
    """
    path: list[str | int] = []
    branched = is_key = False
    current = data
    for i, part in enumerate(loc):
        if part == _KEY:
            is_key = True
            continue
        in_data = (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        )
        if in_data:
            path.append(part)
            current = current[part]
        elif i == len(loc) - 1 and etype == "missing" and isinstance(part, str):
            path.append(part)
        else:
            branched = True
    return tuple(path), branched, is_key


def _describe(value: object) -> str:
    """How a wrong value reads to a person: ``a list``, ``true/false``, ``the number 5``."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        text = _short(value)
        return text if text.startswith("a ") else f"the number {text}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(_short(value))


_EXPECT = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "date_type": "a date like 2026-11-01",
    "date_parsing": "a date like 2026-11-01",
    "date_from_datetime_parsing": "a date like 2026-11-01",
    "date_from_datetime_inexact": "a date like 2026-11-01",
}

_PATTERN_WORDS = {
    ID_PATTERN: "ids use lower-case letters, digits, '_', '.' and '-', starting with a letter "
    "or digit (e.g. vr-db)",
    CONTROL_ID_PATTERN: "control ids are upper case, with dashes, e.g. ECBS-VR-03",
}


def _choices(err: Any) -> list[str]:
    expected = str(err.get("ctx", {}).get("expected", ""))
    choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",")]
    return [c for c in choices if c]


def _one_of(choices: Sequence[str], limit: int = 6) -> str:
    """``'n/a'``, or ``one of a, b, c``, shortened when there are many."""
    unique = list(dict.fromkeys(choices))
    if len(unique) == 1:
        return repr(unique[0])
    if len(unique) <= limit:
        return "one of " + ", ".join(unique)
    return "one of " + ", ".join(unique[:limit]) + f", … ({len(unique)} in all)"


def _number(x: object) -> str:
    return f"{x:g}" if isinstance(x, float) else _short(x)


def _friendly(
    err: Any, path: Path_, is_key: bool, model: type[BaseModel]
) -> tuple[str, str, object]:
    """``(message, hint, value)`` for one pydantic error, in words an EMB IT officer uses."""
    etype = str(err["type"])
    value = err.get("input", "")
    ctx = err.get("ctx", {}) or {}
    last = path[-1] if path else ""
    if etype == "extra_forbidden":
        owner = _model_at(model, path[:-1])
        hint = did_you_mean(last, _field_names(owner)) if owner else ""
        if isinstance(last, str) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", last):
            # `{label: Results (web, social)}`: the comma ended the value and began a key
            hint = (
                "a comma in an unquoted value inside { } starts a new key: put the value in "
                'quotes, e.g. label: "Results (web, social)"'
            )
        return f"unknown key {last!r}", hint, ""
    if etype == "missing":
        return f"missing required field {last!r}", "", ""
    if etype == "literal_error":
        if last == "schema_version":
            shown = str(value).lower() if isinstance(value, bool) else _quoted(value)
            return f"unsupported schema_version {shown}", "this cyberready reads 1", value
        what = "key" if is_key else "value"
        if isinstance(value, str):
            hint = did_you_mean(value, _choices(err))
            return f"{_quoted(value)} is not a valid {what} here", hint, value
        hint = "expected " + _one_of(_choices(err))
        return f"{_describe(value)} is not a valid {what} here", hint, value
    if etype in ("value_error", "assertion_error"):
        msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return msg, "", ""
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        noun = "control id" if pattern == CONTROL_ID_PATTERN else "id"
        if is_key:
            noun += " (as a key)"
        return (
            f"{_quoted(value)} is not a valid {noun}",
            _PATTERN_WORDS.get(pattern, f"it must match {pattern}"),
            value,
        )
    if etype == "greater_than":
        return f"must be greater than {_number(ctx.get('gt'))}, got {_number(value)}", "", value
    if etype == "greater_than_equal":
        return f"must be at least {_number(ctx.get('ge'))}, got {_number(value)}", "", value
    if etype == "less_than":
        return f"must be less than {_number(ctx.get('lt'))}, got {_number(value)}", "", value
    if etype == "less_than_equal":
        return f"must be at most {_number(ctx.get('le'))}, got {_number(value)}", "", value
    if etype == "finite_number":
        return (
            f"{_describe(value)} is not a finite number",
            "give an ordinary number: .inf and .nan are not amounts, durations or chances",
            value,
        )
    if etype == "too_short":
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}", "", ""
    if etype == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})", "", ""
    if etype == "string_too_short":
        return "must not be empty", "", ""
    if etype == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)", "", ""
    if etype in _EXPECT:
        hint = ""
        if etype == "string_type" and isinstance(value, bool | int | float | dt.date):
            hint = "YAML reads yes/no/on/off as true/false and 1.0 or 2026-01-01 as numbers or "
            hint += "dates: put the value in quotes"
        if etype.startswith("int") and isinstance(value, float):
            hint = "levels, weights and counts are whole numbers"
        return f"expected {_EXPECT[etype]}, got {_describe(value)}", hint, value
    return str(err["msg"]), "", value


def _problems_from_validation(
    doc: Document, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    """Every pydantic error as a Problem at its line, union branches merged into one."""
    entries = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if isinstance(p, int | str)]
        path, branched, is_key = _data_path(doc.data, loc, str(err["type"]))
        entries.append((path, branched, is_key, err))
    paths = [e[0] for e in entries]

    def has_deeper(path: Path_) -> bool:
        return any(len(q) > len(path) and q[: len(path)] == path for q in paths)

    # a list that is "too short" only because its items failed, and a union branch that
    # failed at the top while another got further into the data, say nothing new
    entries = [
        e
        for e in entries
        if not (e[3]["type"] == "too_short" and has_deeper(e[0]))
        and not (e[1] and has_deeper(e[0]))
    ]
    grouped: dict[tuple[Path_, bool], list[Any]] = {}
    for path, branched, is_key, err in entries:
        grouped.setdefault((path, is_key), []).append((branched, err))
    problems: list[Problem] = []
    for (path, is_key), errs in grouped.items():
        union = [err for branched, err in errs if branched]
        mismatched = [e for e in union if e["type"] == "literal_error" or e["type"] in _EXPECT]
        if len(union) > 1 and len(mismatched) < len(union):
            # one branch took the value and found something wrong inside: that is the news
            errs = [(b, e) for b, e in errs if not (b and e in mismatched)]
        elif len(union) > 1:
            value = union[0].get("input", "")
            wanted: list[str] = []
            choices: list[str] = []
            for err in union:
                if err["type"] == "literal_error":
                    choices += _choices(err)
                else:
                    wanted.append(_EXPECT[str(err["type"])])
            if choices:
                wanted.append(_one_of(choices))
            wanted = list(dict.fromkeys(wanted))
            message = f"{_describe(value)} is not valid here: expected " + " or ".join(wanted)
            hint = did_you_mean(value, choices) if isinstance(value, str) and choices else ""
            hint = hint if hint.startswith("did you mean") else ""  # the choices are shown
            problems.append(doc.problem(path, message, value=value, hint=hint))
            errs = [(b, e) for b, e in errs if not b]
        for _branched, err in errs:
            message, hint, value = _friendly(err, path, is_key, model)
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


_SALVAGE_ROUNDS = 4


def salvage_model(doc: Document, model: type[M]) -> tuple[M, Document] | None:
    """The valid part of a document that failed validation, to cross-check what is left.

    List items and mapping entries of top-level fields that fail are left out, and optional
    top-level fields that fail fall back to their defaults. Returns the model built from the
    rest and a :class:`Document` whose positions map back to the file's (so a problem found
    in ``assets[3]`` of the salvaged model names the file's own item), or None when a required
    field itself is unusable. Problems found this way are *in addition* to the validation
    problems; the salvaged model must never be used for results.
    """
    if not isinstance(doc.data, dict):
        return None
    data: dict[Any, Any] = dict(doc.data)
    kept: dict[str, list[int]] = {}
    fields = {f.alias or n: f for n, f in model.model_fields.items()}
    for _ in range(_SALVAGE_ROUNDS):
        try:
            salvaged = model.model_validate(data)
        except ValidationError as exc:
            drop_items: dict[Any, set[Any]] = {}
            for err in exc.errors(include_url=False):
                loc = [p for p in err["loc"] if isinstance(p, int | str)]
                path, _, _ = _data_path(data, loc, str(err["type"]))
                top = path[0] if path else None
                if top is None or top not in fields:
                    return None
                if len(path) >= 2 and isinstance(data.get(top), list | dict):
                    drop_items.setdefault(top, set()).add(path[1])
                elif not fields[top].is_required() and top in data:
                    drop_items[top] = set()  # the whole field: fall back to the default
                else:
                    return None
            for top, items in drop_items.items():
                if not items:
                    del data[top]
                    continue
                current = data[top]
                if isinstance(current, dict):
                    data[top] = {k: v for k, v in current.items() if k not in items}
                else:
                    positions = kept.get(str(top), list(range(len(current))))
                    keep = [i for i in range(len(current)) if i not in items]
                    data[top] = [current[i] for i in keep]
                    kept[str(top)] = [positions[i] for i in keep]
            continue
        view = Document(
            file=doc.file,
            data=doc.data,
            lines=doc.lines,
            index_map={k: tuple(v) for k, v in kept.items()},
        )
        return salvaged, view
    return None


@dataclass
class Loaded:
    """One file as read: the model (or ``None``), its document and every problem found.

    ``partial`` is a model of the file's valid part when the file has problems (see
    :func:`salvage_model`), used only to find more problems; ``partial_doc`` maps its
    positions back to the file.
    """

    model: StrictModel | None
    doc: Document | None
    problems: list[Problem]
    partial: StrictModel | None = None
    partial_doc: Document | None = None

    @property
    def usable(self) -> tuple[StrictModel, Document] | None:
        """The model to cross-check with its document: the full one, or the salvaged part."""
        if self.model is not None and self.doc is not None:
            return self.model, self.doc
        if self.partial is not None and self.partial_doc is not None:
            return self.partial, self.partial_doc
        return None


def load_file(
    path: Path, *, display: str | None = None, expect: Iterable[str] | None = None
) -> Loaded:
    """Read and validate one cyberready file of any kind (chosen by its ``kind:``).

    Every problem of the file is returned together; when there are some, the file's valid part
    is salvaged (:func:`salvage_model`) so that cross-checks can still find the rest.
    """
    doc, problems = read_yaml(path, display=display)
    if doc is None:
        return Loaded(None, None, problems)
    if not isinstance(doc.data, dict):
        return Loaded(
            None, doc, [*problems, doc.problem((), "expected a mapping at the top of the file")]
        )
    kind = doc.data.get("kind")
    allowed = list(expect) if expect is not None else list(KIND_MODELS)
    if "schema_version" not in doc.data:
        problems.append(
            doc.problem((), "missing required field 'schema_version'", hint="add schema_version: 1")
        )
    if not isinstance(kind, str) or kind not in allowed:
        problems.append(
            doc.problem(
                ("kind",),
                "missing required field 'kind'"
                if kind is None
                else f"{kind!r} is not a kind expected here",
                value=kind if kind is not None else "",
                hint=did_you_mean(kind, allowed) if kind else "valid: " + ", ".join(allowed),
            )
        )
        return Loaded(None, doc, _dedupe(problems))
    model_cls = KIND_MODELS[kind]
    model, more = parse_model(doc, model_cls)
    problems = [p for p in problems if "schema_version" not in p.message or not more] + more
    problems = _dedupe(problems)
    if not problems:
        return Loaded(model, doc, [])
    rescued = salvage_model(doc, model_cls)
    if rescued is None:
        return Loaded(None, doc, problems)
    return Loaded(None, doc, problems, partial=rescued[0], partial_doc=rescued[1])


def load_model_file(
    path: Path, *, display: str | None = None, expect: Iterable[str] | None = None
) -> tuple[StrictModel | None, Document | None, list[Problem]]:
    """Read and validate one cyberready file of any kind (chosen by its ``kind:``).

    The model is None whenever there is a problem; see :func:`load_file` for the salvaged part.
    """
    loaded = load_file(path, display=display, expect=expect)
    return loaded.model, loaded.doc, loaded.problems


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


def is_inside(root: Path, path: Path) -> bool:
    """True when ``path``, links resolved, is ``root`` or lies below it (links resolved too).

    The one rule for links in a workspace: a file or folder may be a link only to somewhere
    inside the same workspace.
    """
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


_TEMPORARY: Final = re.compile(r"\.(?P<name>.+?)(?:\.(?P<pid>\d+))?\.[a-z0-9_]{8}\.tmp")
"""``.<file>.<pid>.<random>.tmp``: the temporary an atomic write fills before the rename
(without ``<pid>`` from versions before 2026-12)."""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running (on Windows, always assumed so)."""
    if pid == os.getpid() or sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def remove_stale_temporaries(
    folder: Path, name: str | None = None, *, unowned: bool = False
) -> list[Path]:
    """Delete the temporaries that atomic writes of killed processes left in ``folder``
    (those of ``name`` only, if given); returns the ones removed.

    A temporary names the process that wrote it; one whose process is gone was never renamed
    into place and never will be. ``unowned``: also those that name no process (left by an
    older version), for a caller that knows no other writer is at work (the workspace lock).
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMPORARY.fullmatch(entry.name)
        if m is None or (name is not None and m["name"] != name):
            continue
        if (m["pid"] is None and not unowned) or (m["pid"] is not None and _alive(int(m["pid"]))):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


@contextlib.contextmanager
def _atomic(path: Path, *, exclusive: bool = False) -> Iterator[tuple[int, str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        yield fd, tmp
        if exclusive:
            try:
                os.link(tmp, path)  # fails if path exists: never overwrites, even in a race
            except FileExistsError:
                raise
            except OSError:  # no hard links here: claim the name first, then move onto it
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new, never half.

    ``exclusive``: create a new file; :class:`FileExistsError` if ``path`` exists (never
    replaced, even by a writer racing this one). A temporary left by a killed writer is
    removed by the next write to the same path (:func:`remove_stale_temporaries`).
    """
    try:
        with _atomic(path, exclusive=exclusive) as (fd, _tmp), os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:  # a full disk says no file: name the one being written
        if exc.filename is None and not isinstance(exc, FileExistsError):
            exc.filename = str(path)
        raise


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
    complete: bool = True
    """False when rows were left out (a row with the wrong number of fields, or everything
    after a syntax error): the table is then only good for checking the rows it has."""

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
    UTF-8 are problems naming the line. After such a problem in the structure, the table of
    the rows that could be read is still returned (a repeated column keeps its first values,
    ``complete`` is False when rows were left out), so that their values can be checked in
    the same run; it is None only when the file has no header row or cannot be read.

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
    broken = False
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
        broken = True
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
    import numpy as np  # here, not at the top: `import cyberready.io` stays light

    columns: dict[str, list[str]] = {}
    for h, col in zip(header, zip(*rows, strict=True) if rows else [()] * len(header), strict=True):
        columns.setdefault(h, [v.strip() for v in col])  # a repeated column: its first values
    return (
        CsvTable(
            file=name,
            header=tuple(header),
            columns=columns,
            lines=np.array(lines, dtype=np.int64),
            header_line=header_line,
            complete=not ragged and not broken,
        ),
        problems,
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


# --------------------------------------------------------------------------- CSV output

CSV_GUARD: Final = ("=", "+", "-", "@", "\t", "\r", "'")
"""A text cell starting with one of these is written with a leading ``'`` so that a spreadsheet
does not run it as a formula (CSV injection); the questionnaire import removes it again."""


def csv_guard(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text, never runs.

    >>> csv_guard("=1+2"), csv_guard("Backups")
    ("'=1+2", 'Backups')
    """
    return "'" + text if text.startswith(CSV_GUARD) else text


def frame_csv(frame: pd.DataFrame) -> str:
    """A table as CSV text, every text cell through :func:`csv_guard` (numbers stay numbers)."""
    guarded = frame.copy()
    for column in guarded.columns:
        if guarded[column].dtype.kind not in "biufcmM":  # text, object or categorical
            guarded[column] = guarded[column].map(
                lambda v: csv_guard(v) if isinstance(v, str) else v
            )
    return str(guarded.to_csv(index=False))


# --------------------------------------------------------------------------- file trees


def write_files(root: Path, files: Mapping[str, str | bytes], *, overwrite: bool = False) -> int:
    """Write a tree of files under ``root`` (``relative/posix/path`` -> text or bytes).

    Each file is written atomically. Unless ``overwrite``, ``root`` must be new or empty, so a
    generated tree never mixes with older files. A relative path that would leave ``root`` is
    an error. Every problem is raised at once (:class:`InputError`) before anything is written.
    Returns the number of files written.
    """
    problems: list[Problem] = []
    if root.exists() and not root.is_dir():
        problems.append(Problem(file=str(root), message="exists and is not a folder"))
    elif root.is_dir() and not overwrite and any(root.iterdir()):
        problems.append(
            Problem(
                file=str(root),
                message="folder is not empty",
                hint="choose a new or empty folder, or allow overwriting (--force)",
            )
        )
    for rel in files:
        parts = Path(rel).parts
        if not rel or Path(rel).is_absolute() or ".." in parts or "\x00" in rel:
            problems.append(Problem(file=rel, message="path leaves the output folder"))
    raise_if(problems)
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = safe_join(root, rel)
        if target is None:  # a link inside root that points outside it
            raise_if([Problem(file=rel, message="path leaves the output folder")])
            continue
        if isinstance(content, str):
            atomic_write_text(target, content)
        else:
            atomic_write_bytes(target, content)
    return len(files)

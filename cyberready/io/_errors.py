"""pydantic's validation errors worded for the person who edits the file, each a
:class:`~cyberready.errors.Problem` at its file, line and field (union branches merged, repeats
dropped), and :func:`raise_if`, which raises all of a run's problems at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cyberready.errors import InputError, Problem, did_you_mean
from cyberready.io._text import _quoted, _short
from cyberready.io._yaml_io import Document, Path_
from cyberready.models.vocab import CONTROL_ID_PATTERN, ID_PATTERN, LOCALE_PATTERN

__all__ = ["raise_if"]


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc`` (best effort)."""
    current: Any = root
    for part in loc:
        if isinstance(part, int) and isinstance(current, type) and issubclass(current, BaseModel):
            continue  # the index of a list item, already unwrapped to the item's model
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
    LOCALE_PATTERN: "a locale is a language code such as fr, es or ar, or a language and "
    "region such as fr_CA",
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
        noun = {CONTROL_ID_PATTERN: "control id", LOCALE_PATTERN: "locale"}.get(pattern, "id")
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

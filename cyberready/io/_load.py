"""Reading and validating one cyberready file: its model, its document and every problem, with
the valid part salvaged so that cross-checks still find the rest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cyberready.errors import Problem, did_you_mean
from cyberready.io._errors import _data_path, _dedupe, _problems_from_validation
from cyberready.io._yaml_io import Document, read_yaml
from cyberready.models import KIND_MODELS, StrictModel

__all__ = ["Loaded", "load_file", "load_model_file", "parse_model", "salvage_model"]


M = TypeVar("M", bound=BaseModel)


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

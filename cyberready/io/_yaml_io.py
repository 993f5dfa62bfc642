"""Safe YAML: reading a file into plain data with the line of every field path, and writing
plain YAML.

YAML is read with PyYAML's *safe* composer (no arbitrary objects, ever) and every node's line
is kept, so each problem names its file, line and field path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from cyberready.errors import Problem
from cyberready.io._text import _quoted, _short, read_text

__all__ = ["MAX_YAML_NODES", "Document", "dump_yaml", "format_path", "read_yaml"]


MAX_YAML_NODES = 2_000_000
"""Largest number of YAML nodes after alias expansion (stops 'billion laughs' bombs)."""

Path_ = tuple[str | int, ...]


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
            return fast.get_single_node()  # type: ignore[no-any-return]  # the C composer is untyped
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


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """Plain, safe YAML (block style, keys in the given order, unicode kept)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

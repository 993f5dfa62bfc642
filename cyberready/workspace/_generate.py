"""Replicated assets and links from CSV rows (``generate:``, docs/system-model.md), kept columnar.

A national model has 10^4–10^6 polling stations, kits and accounts. They are described once, as
a template over the columns of a CSV inside the workspace::

    generate:
      - csv: stations.csv
        asset: {id: "kit-{station}", type: results_transmission, tags: ["region-{region}"]}
        links: [{to: "tally-{region}", kind: connects_to}]

:func:`expand_generate` fills the templates row by row into *arrays* (ids, type and exposure
codes, counts, data masks, tag index arrays, link endpoint positions): never one pydantic object
per replica. It is pure: the CSV files are read by :func:`cyberready.io.read_workspace_csv` and
handed in. Every problem is collected, each naming the CSV file and line of the bad row (or the
line of ``system.yaml`` for a bad template), so a user fixes them all in one pass.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from cyberready.errors import Problem, did_you_mean
from cyberready.io import MAX_ROW_PROBLEMS, CsvTable, Document, format_path
from cyberready.models import SystemModel
from cyberready.models.system import GenerateSpec
from cyberready.models.vocab import (
    ASSET_TYPES,
    DATA_CLASSES,
    EXPOSURES,
    ID_PATTERN,
    LINK_KINDS,
    OPERATORS,
    SITES,
)

__all__ = ["GeneratedAssets", "ReplicaGroup", "Template", "expand_generate", "parse_template"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_ID_RE = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))
_ID_MAX = 200
_TYPE_CODE = {t: i for i, t in enumerate(ASSET_TYPES)}
_EXPOSURE_CODE = {e: i for i, e in enumerate(EXPOSURES)}
_KIND_CODE = {k: i for i, k in enumerate(LINK_KINDS)}
_SITE_CODE = {v: i for i, v in enumerate(SITES)}
_OPERATOR_CODE = {v: i for i, v in enumerate(OPERATORS)}
_SPLIT_LIMIT = 12
"""A block is split by a site or tag into at most this many groups (more: it stays whole)."""
_HINT_LIMIT = 20_000
"""Above this many assets, a dangling id gets no did-you-mean hint (it would take seconds)."""

Rendered = str | list[str]
"""A template's value: one string for every row (no placeholder), or one per row."""


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Template:
    """A string with ``{column}`` placeholders (``{{`` and ``}}`` are literal braces)."""

    text: str
    fmt: str
    """The text as a positional format string, one ``{}`` per placeholder."""
    columns: tuple[str, ...]
    """The column of each placeholder, in order."""

    @property
    def constant(self) -> bool:
        """True when the template has no placeholder (the same value for every row)."""
        return not self.columns

    def render(self, table: CsvTable) -> Rendered:
        """The value for every row of ``table`` (a plain string when constant)."""
        if self.constant:
            return self.fmt.format()
        cols = [table.columns[c] for c in self.columns]
        if self.fmt == "{}":
            return cols[0]
        return list(map(self.fmt.format, *cols))


def parse_template(text: str) -> tuple[Template | None, str]:
    """Parse a template; on failure return ``(None, reason)``.

    >>> t, _ = parse_template("kit-{station}")
    >>> t.fmt, t.columns
    ('kit-{}', ('station',))
    >>> parse_template("kit-{station:>4}")[1]
    "placeholders are plain column names, e.g. {station}; got '{station:>4}'"
    """
    fmt: list[str] = []
    columns: list[str] = []
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        return None, f"bad placeholder ({exc}); write literal braces as {{{{ and }}}}"
    for literal, name, spec, conversion in parts:
        fmt.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if not name.strip() or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            return None, f"placeholders are plain column names, e.g. {{station}}; got {shown!r}"
        fmt.append("{}")
        columns.append(name.strip())
    return Template(text=text, fmt="".join(fmt), columns=tuple(columns)), ""


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class ReplicaGroup:
    """Replicas of one ``generate:`` block shown together in reports (docs/system-model.md).

    A block is one group, split by the first templated ``site`` or tag (e.g.
    ``district-{district}``) that divides its rows into 2 to 12 parts of two or more rows on
    average; ``region`` is that site or tag value ("" when the block is not split).
    """

    key: str
    """The block's id template, plus ``@region`` when split: ``phone-{station}@district-calder``."""
    block: int
    """Index of the ``generate:`` entry."""
    label: str
    """The label template with the placeholders that vary inside the group shown as ``…``."""
    region: str
    members: IntArray
    """Positions of the replicas, in the whole system's numbering."""


@dataclass(frozen=True, eq=False)
class GeneratedAssets:
    """The replicas of every ``generate:`` entry, as arrays.

    Replica ``r`` is asset position ``explicit + r`` of the resolved system (explicit assets
    come first, then each ``generate:`` entry's rows in order). Link endpoints are positions in
    that same numbering. ``index`` maps every asset id, explicit and generated, to its position.
    """

    explicit: int
    ids: list[str]
    types: IntArray
    exposure: IntArray
    counts: IntArray
    labels: list[str]
    sites: IntArray
    """Site code per replica (-1: none)."""
    operators: IntArray
    """Operator code per replica (-1: none)."""
    tags: dict[str, IntArray]
    """Tag -> sorted positions (in the whole system's numbering) of the replicas carrying it."""
    data: dict[str, BoolArray]
    """Data class -> mask over replicas."""
    link_src: IntArray
    link_dst: IntArray
    link_kind: IntArray
    """Links of the templates, followed by nothing else (explicit links are the model's)."""
    link_group: IntArray
    """Alternatives group of each template link: an index into ``group_names`` (-1: none)."""
    group_names: tuple[str, ...]
    """The alternatives groups named by the templates' links."""
    explicit_link_src: IntArray
    explicit_link_dst: IntArray
    """The model's own ``links:`` resolved against every id (they may point into replicas)."""
    index: dict[str, int] = field(repr=False)
    files: tuple[str, ...] = ()
    """The CSV file of each ``generate:`` entry."""
    starts: IntArray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    """Entry ``k``'s replicas are ``starts[k] <= r < starts[k+1]`` (replica numbering)."""
    lines: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """CSV line of each replica."""
    groups: tuple[ReplicaGroup, ...] = ()
    """How the replicas are grouped in reports (every replica is in exactly one group)."""

    @property
    def n(self) -> int:
        """Number of replicas."""
        return len(self.ids)

    def origin(self, r: int) -> str:
        """``file:line`` of replica ``r``."""
        k = int(np.searchsorted(self.starts, r, side="right")) - 1
        return f"{self.files[k]}:{int(self.lines[r])}"


# --------------------------------------------------------------------------- expansion


@dataclass
class _Spec:
    """One ``generate:`` entry's parsed templates."""

    k: int
    spec: GenerateSpec
    table: CsvTable
    id: Template
    type: Template
    label: Template
    exposure: Template
    site: Template | None
    operator: Template | None
    count: Template | int
    data: list[Template]
    tags: list[Template]
    links: list[tuple[Template | None, Template | None]]


def _where(k: int, *path: str | int) -> tuple[str | int, ...]:
    return ("generate", k, *path)


def _parse_spec(
    k: int, spec: GenerateSpec, table: CsvTable, doc: Document
) -> tuple[_Spec | None, list[Problem]]:
    problems: list[Problem] = []

    def parse(text: str, path: tuple[str | int, ...]) -> Template | None:
        t, why = parse_template(text)
        if t is None:
            problems.append(doc.problem(path, why, value=text))
            return None
        for col in t.columns:
            if col not in table.columns:
                problems.append(
                    doc.problem(
                        path,
                        f"column {col!r} is not in {table.file}",
                        value=text,
                        hint=did_you_mean(col, table.header),
                    )
                )
                return None
        return t

    a = spec.asset
    tid = parse(a.id, _where(k, "asset", "id"))
    ttype = parse(a.type, _where(k, "asset", "type"))
    tlabel = parse(a.label, _where(k, "asset", "label"))
    texp = parse(a.exposure, _where(k, "asset", "exposure"))
    tsite = None if a.site is None else parse(a.site, _where(k, "asset", "site"))
    toper = None if a.operator is None else parse(a.operator, _where(k, "asset", "operator"))
    tcount: Template | int | None = (
        a.count if isinstance(a.count, int) else parse(a.count, _where(k, "asset", "count"))
    )
    tdata = [parse(d, _where(k, "asset", "data", i)) for i, d in enumerate(a.data)]
    ttags = [parse(t, _where(k, "asset", "tags", i)) for i, t in enumerate(a.tags)]
    tlinks: list[tuple[Template | None, Template | None]] = []
    for j, lk in enumerate(spec.links):
        ends = []
        for end, text in (("from", lk.from_), ("to", lk.to)):
            ends.append(None if text is None else parse(text, _where(k, "links", j, end)))
        tlinks.append((ends[0], ends[1]))
    if problems:
        return None, problems
    assert tid and ttype and tlabel and texp and tcount is not None
    return (
        _Spec(
            k=k,
            spec=spec,
            table=table,
            id=tid,
            type=ttype,
            label=tlabel,
            exposure=texp,
            site=tsite,
            operator=toper,
            count=tcount,
            data=[t for t in tdata if t is not None],
            tags=[t for t in ttags if t is not None],
            links=tlinks,
        ),
        [],
    )


def _row_problems(
    s: _Spec,
    rows: Sequence[int],
    values: Rendered,
    path: tuple[str | int, ...],
    message: str,
    hint: str,
    doc: Document,
) -> list[Problem]:
    """Problems for bad rows of one entry (capped), each at its CSV line."""
    line = doc.line_of(path)
    where = f"{doc.file}:{line}" if line is not None else doc.file
    template_hint = "; ".join(p for p in (hint, f"template at {where}") if p)
    out = [
        Problem(
            file=s.table.file,
            line=int(s.table.lines[r]),
            field=format_path(path),
            value=values if isinstance(values, str) else values[r],
            message=message.format(value=values if isinstance(values, str) else values[r]),
            hint=template_hint,
        )
        for r in rows[:MAX_ROW_PROBLEMS]
    ]
    if len(rows) > MAX_ROW_PROBLEMS:
        out.append(
            Problem(
                file=s.table.file,
                line=int(s.table.lines[rows[MAX_ROW_PROBLEMS]]),
                message=f"… and {len(rows) - MAX_ROW_PROBLEMS:,} more rows with the same problem",
                hint=template_hint,
            )
        )
    return out


def _not_valid(
    doc: Document, path: tuple[str | int, ...], value: str, what: str, vocab: Iterable[str]
) -> Problem:
    """The problem of one value, the same in every row, that is not in a vocabulary: shared
    by the required and the optional code fields so both word it alike."""
    return doc.problem(
        path, f"{value!r} is not a valid {what}", value=value, hint=did_you_mean(value, vocab)
    )


def _codes(
    s: _Spec,
    t: Template,
    vocab: dict[str, int],
    path: tuple[str | int, ...],
    what: str,
    doc: Document,
) -> tuple[IntArray, list[Problem]]:
    """Vocabulary codes of a (possibly templated) field, one per row."""
    n = s.table.n_rows
    values = t.render(s.table)
    choices = did_you_mean("", vocab)
    if isinstance(values, str):
        if values not in vocab:
            return np.zeros(n, dtype=np.int64), [_not_valid(doc, path, values, what, vocab)]
        return np.full(n, vocab[values], dtype=np.int64), []
    codes = np.fromiter((vocab.get(v, -1) for v in values), dtype=np.int64, count=n)
    bad = np.flatnonzero(codes < 0).tolist()
    if bad:
        return codes, _row_problems(
            s, bad, values, path, f"{{value!r}} is not a valid {what}", choices, doc
        )
    return codes, []


def _optional_codes(
    s: _Spec,
    t: Template | None,
    vocab: dict[str, int],
    path: tuple[str | int, ...],
    what: str,
    doc: Document,
) -> tuple[IntArray, list[Problem]]:
    """Codes of an optional vocabulary field, one per row: -1 where absent or empty."""
    n = s.table.n_rows
    if t is None:
        return np.full(n, -1, dtype=np.int64), []
    values = t.render(s.table)
    if isinstance(values, str):
        if not values:
            return np.full(n, -1, dtype=np.int64), []
        if values not in vocab:
            return np.full(n, -1, dtype=np.int64), [_not_valid(doc, path, values, what, vocab)]
        return np.full(n, vocab[values], dtype=np.int64), []
    codes = np.fromiter((vocab.get(v, -2) if v else -1 for v in values), dtype=np.int64, count=n)
    bad = np.flatnonzero(codes == -2).tolist()
    if bad:
        codes[bad] = -1
        return codes, _row_problems(
            s,
            bad,
            values,
            path,
            f"{{value!r}} is not a valid {what}",
            "valid: " + ", ".join(vocab) + " (or empty for none)",
            doc,
        )
    return codes, []


def _rows(values: Rendered, n: int) -> list[str]:
    return [values] * n if isinstance(values, str) else values


@dataclass
class _Columns:
    """One entry's expanded asset columns."""

    ids: list[str]
    types: IntArray
    exposure: IntArray
    counts: IntArray
    labels: list[str]
    data: dict[str, BoolArray]
    sites: IntArray
    operators: IntArray


def _expand_assets(s: _Spec, doc: Document) -> tuple[_Columns, list[Problem]]:
    """Ids, type, exposure, site and operator codes, counts, labels and data masks of one
    entry."""
    k, table, n = s.k, s.table, s.table.n_rows
    problems: list[Problem] = []
    rendered = s.id.render(table)
    ids = _rows(rendered, n)
    bad = [r for r, v in enumerate(ids) if len(v) > _ID_MAX or _ID_RE.fullmatch(v) is None]
    if bad:
        problems += _row_problems(
            s,
            bad,
            ids,
            _where(k, "asset", "id"),
            "generated id {value!r} is not a valid id",
            f"ids match {ID_PATTERN} (at most 200 characters)",
            doc,
        )
    types, more = _codes(s, s.type, _TYPE_CODE, _where(k, "asset", "type"), "asset type", doc)
    problems += more
    exposure, more = _codes(
        s, s.exposure, _EXPOSURE_CODE, _where(k, "asset", "exposure"), "exposure", doc
    )
    problems += more
    if isinstance(s.count, int):
        counts = np.full(n, s.count, dtype=np.int64)
    else:
        values = s.count.render(table)
        raw = _rows(values, n)
        counts = np.fromiter((int(v) if v.isdecimal() else 0 for v in raw), dtype=np.int64, count=n)
        bad = np.flatnonzero(counts < 1).tolist()
        if bad:
            path = _where(k, "asset", "count")
            if isinstance(values, str):
                problems.append(
                    doc.problem(path, f"count {values!r} is not a whole number >= 1", value=values)
                )
            else:
                problems += _row_problems(
                    s, bad, raw, path, "count {value!r} is not a whole number >= 1", "", doc
                )
    labels = ids if not s.spec.asset.label else _rows(s.label.render(table), n)
    data = {d: np.zeros(n, dtype=bool) for d in DATA_CLASSES}
    for i, t in enumerate(s.data):
        path = _where(k, "asset", "data", i)
        values = t.render(table)
        if isinstance(values, str):
            if values in data:
                data[values][:] = True
            elif values:
                problems.append(
                    doc.problem(
                        path,
                        f"{values!r} is not a data class",
                        value=values,
                        hint=did_you_mean(values, DATA_CLASSES),
                    )
                )
            continue
        bad = []
        for r, v in enumerate(values):
            if v in data:
                data[v][r] = True
            elif v:
                bad.append(r)
        if bad:
            problems += _row_problems(
                s,
                bad,
                values,
                path,
                "{value!r} is not a data class",
                "valid: " + ", ".join(DATA_CLASSES) + " (or empty for none)",
                doc,
            )
    sites, more = _optional_codes(s, s.site, _SITE_CODE, _where(k, "asset", "site"), "site", doc)
    problems += more
    operators, more = _optional_codes(
        s, s.operator, _OPERATOR_CODE, _where(k, "asset", "operator"), "operator", doc
    )
    problems += more
    columns = _Columns(ids, types, exposure, counts, labels, data, sites, operators)
    return columns, problems


def _tag_groups(s: _Spec, offset: int) -> dict[str, IntArray]:
    """Tag -> sorted positions (offset by the entry's first position) for one entry."""
    n = s.table.n_rows
    out: dict[str, list[IntArray]] = {}
    for t in s.tags:
        values = t.render(s.table)
        if isinstance(values, str):
            if values:
                out.setdefault(values, []).append(np.arange(offset, offset + n, dtype=np.int64))
            continue
        if n == 0:
            continue
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        order = np.argsort(codes, kind="stable").astype(np.int64)
        bounds = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=len(uniques)))))
        for u, tag in enumerate(uniques.tolist()):
            if tag:
                out.setdefault(str(tag), []).append(order[bounds[u] : bounds[u + 1]] + offset)
    return {
        tag: parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
        for tag, parts in out.items()
    }


def _replica_groups(s: _Spec, offset: int) -> list[ReplicaGroup]:
    """The groups of one entry: the whole block, or one per value of its first templated site
    or tag that splits it into 2 to ``_SPLIT_LIMIT`` parts of two or more rows on average."""
    n = s.table.n_rows
    if n == 0:
        return []
    candidates = [t for t in ([s.site] if s.site is not None else []) + s.tags if not t.constant]
    split: list[str] | None = None
    for t in candidates:
        values = _rows(t.render(s.table), n)
        parts = len(set(values))
        if 2 <= parts <= _SPLIT_LIMIT and n >= 2 * parts:
            split = values
            break
    template = s.label if s.spec.asset.label else s.id
    if split is None:
        return [
            ReplicaGroup(
                key=s.id.text,
                block=s.k,
                label=_group_label(template, s.table, np.arange(n)),
                region="",
                members=np.arange(offset, offset + n, dtype=np.int64),
            )
        ]
    codes, uniques = pd.factorize(np.asarray(split, dtype=object), sort=True)
    out = []
    for u, value in enumerate(uniques.tolist()):
        rows = np.flatnonzero(codes == u).astype(np.int64)
        label = _group_label(template, s.table, rows)
        if value and str(value) not in label:
            label = f"{label} ({value})"
        out.append(
            ReplicaGroup(
                key=f"{s.id.text}@{value}",
                block=s.k,
                label=label,
                region=str(value),
                members=rows + offset,
            )
        )
    return out


def _group_label(t: Template, table: CsvTable, rows: IntArray) -> str:
    """``t`` filled with the columns that are the same on every row of the group; the others
    shown as ``…``."""
    values = []
    for col in t.columns:
        column = table.columns[col]
        first = column[int(rows[0])]
        values.append(first if all(column[int(r)] == first for r in rows) else "…")
    label = t.fmt.format(*values)
    if label.startswith("… ") and len(label) > 2:  # "{name} district tally server"
        label = label[2].upper() + label[3:]
    return label


def _hint(value: str, index: dict[str, int]) -> str:
    if len(index) <= _HINT_LIMIT:
        return did_you_mean(value, index)
    return "no asset or replica has this id"


def expand_generate(
    system: SystemModel,
    doc: Document,
    tables: Sequence[CsvTable | None],
    *,
    check_references: bool = True,
) -> tuple[GeneratedAssets | None, list[Problem]]:
    """Fill every ``generate:`` template over its CSV rows, as arrays.

    Parameters
    ----------
    system
        The system model; its explicit assets come first in the numbering.
    doc
        The ``system.yaml`` document (for the lines of templates and links).
    tables
        The CSV of each ``generate:`` entry, in order (``None`` where it could not be read; the
        reader has reported why).
    check_references
        Check that link ends name an asset or replica. Also skipped when a table is missing or
        incomplete, or a template is wrong: the ids they would give are unknown. Everything
        else is checked anyway, row by row, so that one run lists every problem.

    Returns
    -------
    (generated, problems)
        ``generated`` is None when anything is wrong; ``problems`` lists everything wrong: bad
        templates (at their ``system.yaml`` line), bad generated ids, types, exposures, data
        classes or counts and dangling or duplicate ids (at their CSV line), and explicit
        ``links:`` whose ends are neither assets nor replicas.

    Examples
    --------
    >>> import numpy as np
    >>> from cyberready.io import CsvTable, Document
    >>> from cyberready.models import SystemModel
    >>> system = SystemModel.model_validate({
    ...     "schema_version": 1, "kind": "system", "emb": "x",
    ...     "assets": [{"id": "tally", "type": "tally_server"}],
    ...     "generate": [{"csv": "s.csv",
    ...                   "asset": {"id": "kit-{st}", "type": "results_transmission"},
    ...                   "links": [{"to": "tally", "kind": "connects_to"}]}]})
    >>> table = CsvTable("s.csv", ("st",), {"st": ["1", "2"]}, np.array([2, 3]))
    >>> gen, problems = expand_generate(system, Document("system.yaml", None), [table])
    >>> gen.ids, gen.link_src.tolist(), gen.link_dst.tolist()
    (['kit-1', 'kit-2'], [1, 2], [0, 0])
    """
    problems: list[Problem] = []
    specs: list[_Spec] = []
    for k, (spec, table) in enumerate(zip(system.generate, tables, strict=True)):
        if table is None:
            continue
        parsed, more = _parse_spec(k, spec, table, doc)
        problems += more
        if parsed is not None:
            specs.append(parsed)
    # the rows of the templates that work are still checked; references only with every id
    references = (
        check_references
        and len(specs) == len(system.generate)
        and all(s.table.complete for s in specs)
    )

    explicit = len(system.assets)
    ids: list[str] = []
    types: list[IntArray] = []
    exposure: list[IntArray] = []
    counts: list[IntArray] = []
    sites: list[IntArray] = []
    operators: list[IntArray] = []
    lines: list[IntArray] = []
    labels: list[str] = []
    data_parts: dict[str, list[BoolArray]] = {d: [] for d in DATA_CLASSES}
    tag_parts: dict[str, list[IntArray]] = {}
    groups: list[ReplicaGroup] = []
    starts = [0]
    for s in specs:
        offset = explicit + len(ids)
        cols, more = _expand_assets(s, doc)
        problems += more
        ids += cols.ids
        labels += cols.labels
        types.append(cols.types)
        exposure.append(cols.exposure)
        counts.append(cols.counts)
        sites.append(cols.sites)
        operators.append(cols.operators)
        lines.append(s.table.lines)
        for d, mask in cols.data.items():
            data_parts[d].append(mask)
        for tag, rows in _tag_groups(s, offset).items():
            tag_parts.setdefault(tag, []).append(rows)
        groups += _replica_groups(s, offset)
        starts.append(len(ids))

    # every id, explicit then generated; duplicates among the replicas are row problems
    all_ids = [a.id for a in system.assets]
    index = dict(zip(all_ids, range(explicit), strict=True))
    index.update(zip(ids, range(explicit, explicit + len(ids)), strict=True))
    if len(index) != explicit + len(ids):
        problems += _duplicates(system, doc, specs, ids, starts)

    if not references:
        return None, problems
    explicit_src, explicit_dst, more = _explicit_links(system, doc, index)
    problems += more
    link_src: list[IntArray] = []
    link_dst: list[IntArray] = []
    link_kind: list[IntArray] = []
    link_group: list[IntArray] = []
    group_names: dict[str, int] = {}
    for s, first in zip(specs, starts, strict=False):
        replicas = np.arange(explicit + first, explicit + first + s.table.n_rows, dtype=np.int64)
        for j, (tfrom, tto) in enumerate(s.links):
            ends = []
            for end, t in (("from", tfrom), ("to", tto)):
                if t is None:
                    ends.append(replicas)
                    continue
                pos, more = _resolve(s, t, index, _where(s.k, "links", j, end), doc)
                problems += more
                ends.append(pos)
            link_src.append(ends[0])
            link_dst.append(ends[1])
            link_kind.append(
                np.full(s.table.n_rows, _KIND_CODE[s.spec.links[j].kind], dtype=np.int64)
            )
            group = s.spec.links[j].group
            code = -1 if group is None else group_names.setdefault(group, len(group_names))
            link_group.append(np.full(s.table.n_rows, code, dtype=np.int64))
    if problems:
        return None, problems

    return (
        GeneratedAssets(
            explicit=explicit,
            ids=ids,
            types=_cat(types),
            exposure=_cat(exposure),
            counts=_cat(counts),
            labels=labels,
            sites=_cat(sites),
            operators=_cat(operators),
            tags={t: _cat(parts) for t, parts in tag_parts.items()},
            data={
                d: np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
                for d, parts in data_parts.items()
            },
            link_src=_cat(link_src),
            link_dst=_cat(link_dst),
            link_kind=_cat(link_kind),
            link_group=_cat(link_group),
            group_names=tuple(group_names),
            explicit_link_src=explicit_src,
            explicit_link_dst=explicit_dst,
            index=index,
            files=tuple(s.table.file for s in specs),
            starts=np.array(starts, dtype=np.int64),
            lines=_cat(lines),
            groups=tuple(groups),
        ),
        [],
    )


def _cat(parts: Sequence[IntArray]) -> IntArray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def _resolve(
    s: _Spec,
    t: Template,
    index: dict[str, int],
    path: tuple[str | int, ...],
    doc: Document,
) -> tuple[IntArray, list[Problem]]:
    """Positions of a link end template over an entry's rows."""
    n = s.table.n_rows
    values = t.render(s.table)
    if isinstance(values, str):
        pos = index.get(values, -1)
        if pos < 0:
            return np.zeros(n, dtype=np.int64), [
                doc.problem(
                    path,
                    f"link end {values!r} is neither an asset nor a replica",
                    value=values,
                    hint=_hint(values, index),
                )
            ]
        return np.full(n, pos, dtype=np.int64), []
    positions = np.fromiter((index.get(v, -1) for v in values), dtype=np.int64, count=n)
    bad = np.flatnonzero(positions < 0).tolist()
    if bad:
        hint = _hint(values[bad[0]], index) if len(bad) == 1 else "no asset or replica has it"
        return positions, _row_problems(
            s, bad, values, path, "link end {value!r} is neither an asset nor a replica", hint, doc
        )
    return positions, []


def _explicit_links(
    system: SystemModel, doc: Document, index: dict[str, int]
) -> tuple[IntArray, IntArray, list[Problem]]:
    """The model's ``links:`` resolved against every id; their dangling ends as problems."""
    problems: list[Problem] = []
    src = np.zeros(len(system.links), dtype=np.int64)
    dst = np.zeros(len(system.links), dtype=np.int64)
    for i, lk in enumerate(system.links):
        for end, value, out in (("from", lk.from_, src), ("to", lk.to, dst)):
            pos = index.get(value, -1)
            if pos < 0:
                problems.append(
                    doc.problem(
                        ("links", i, end),
                        f"link {end} unknown asset {value!r}",
                        value=value,
                        hint=_hint(value, index),
                    )
                )
            out[i] = pos
    return src, dst, problems


def _duplicates(
    system: SystemModel,
    doc: Document,
    specs: Sequence[_Spec],
    ids: Sequence[str],
    starts: Sequence[int],
) -> list[Problem]:
    """Replicas whose id is already taken (by an explicit asset or an earlier replica)."""
    first: dict[str, str] = {}
    for i, a in enumerate(system.assets):
        line = doc.line_of(("assets", i, "id"))
        first.setdefault(a.id, f"{doc.file}:{line}" if line else doc.file)
    problems: list[Problem] = []
    for s, lo, hi in zip(specs, starts[:-1], starts[1:], strict=True):
        bad: list[tuple[int, str]] = []
        for r in range(lo, hi):
            v = ids[r]
            if v in first:
                bad.append((r - lo, first[v]))
            else:
                first[v] = f"{s.table.file}:{int(s.table.lines[r - lo])}"
        for r, where in bad[:MAX_ROW_PROBLEMS]:
            problems.append(
                Problem(
                    file=s.table.file,
                    line=int(s.table.lines[r]),
                    field=f"generate[{s.k}].asset.id",
                    value=ids[lo + r],
                    message=f"duplicate asset id {ids[lo + r]!r}",
                    hint=f"already defined at {where}",
                )
            )
        if len(bad) > MAX_ROW_PROBLEMS:
            problems.append(
                Problem(
                    file=s.table.file,
                    line=int(s.table.lines[bad[MAX_ROW_PROBLEMS][0]]),
                    message=f"… and {len(bad) - MAX_ROW_PROBLEMS:,} more duplicate ids",
                )
            )
    return problems

"""The resolved system: every asset and link of an EMB, kept columnar.

A :class:`ResolvedSystem` is built once from a :class:`~cyberready.models.SystemModel` (plus any
``generate:`` replicas) and is what posture, graph analyses and the engine read. Assets are rows
(position ``i``), links are parallel arrays. Selectors are matched here, vectorized, so a
national model with 10^6 replicas never becomes 10^6 Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cyberready.models import Asset, Function, Link, Selector, SystemModel
from cyberready.models.vocab import (
    ASSET_TYPES,
    DATA_CLASSES,
    EXPOSURES,
    LINK_KINDS,
    OPERATORS,
    SITES,
)

if TYPE_CHECKING:
    from cyberready.workspace._generate import GeneratedAssets, ReplicaGroup

__all__ = ["IntArray", "ResolvedSystem"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_TYPE_CODE = {t: i for i, t in enumerate(ASSET_TYPES)}
_EXPOSURE_CODE = {e: i for i, e in enumerate(EXPOSURES)}
_KIND_CODE = {k: i for i, k in enumerate(LINK_KINDS)}
_SITE_CODE = {v: i for i, v in enumerate(SITES)}
_OPERATOR_CODE = {v: i for i, v in enumerate(OPERATORS)}


@dataclass(frozen=True, eq=False)
class ResolvedSystem:
    """Assets and links as arrays; asset ``i`` is ``ids[i]``.

    ``tags`` maps a tag to the sorted positions of the assets that carry it; ``data`` maps a
    data class to a boolean mask; ``sites`` and ``operators`` are vocabulary codes (-1: none).
    ``link_group`` gives each link's alternatives group as an index into ``group_names``
    (-1: an ordinary, required link). Explicit assets come first (``explicit`` of them), then the
    ``generate:`` replicas in file and row order; ``generated`` keeps where each replica came
    from (its CSV file and line).
    """

    ids: tuple[str, ...]
    types: IntArray
    exposure: IntArray
    counts: IntArray
    labels: tuple[str, ...]
    tags: dict[str, IntArray]
    data: dict[str, BoolArray]
    link_src: IntArray
    link_dst: IntArray
    link_kind: IntArray
    sites: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    operators: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    link_group: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group_names: tuple[str, ...] = ()
    functions: tuple[Function, ...] = ()
    explicit: int = 0
    """How many of the assets came from ``assets:`` (the rest are generated replicas)."""
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    generated: GeneratedAssets | None = field(default=None, repr=False)
    """The ``generate:`` replicas' provenance (None when the model has none)."""

    def __post_init__(self) -> None:
        # sites, operators and link groups are optional: absent means none everywhere
        for name, size in (
            ("sites", len(self.ids)),
            ("operators", len(self.ids)),
            ("link_group", len(self.link_src)),
        ):
            if len(getattr(self, name)) != size:
                if len(getattr(self, name)):
                    raise ValueError(f"{name} has the wrong length")
                object.__setattr__(self, name, np.full(size, -1, dtype=np.int64))

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_model(
        cls,
        model: SystemModel,
        extra_assets: Sequence[Asset] = (),
        extra_links: Sequence[Link] = (),
        *,
        generated: GeneratedAssets | None = None,
    ) -> ResolvedSystem:
        """Resolve the explicit assets and links of a system file (plus any extras).

        ``generated`` holds the ``generate:`` replicas already expanded into arrays by
        :func:`cyberready.workspace.expand_generate`; they are appended column by column
        (never as one object per replica), and explicit links may point into them. Link
        endpoints must already be known to exist (the loader checks them).
        """
        if generated is not None:
            if extra_assets or extra_links:
                raise ValueError("extra assets or links cannot be combined with generated ones")
            return cls._with_generated(model, generated)
        assets = [*model.assets, *extra_assets]
        links = [*model.links, *extra_links]
        ids = tuple(a.id for a in assets)
        index = {a: i for i, a in enumerate(ids)}
        tags: dict[str, list[int]] = {}
        data = {d: np.zeros(len(assets), dtype=bool) for d in DATA_CLASSES}
        for i, a in enumerate(assets):
            for t in a.tags:
                tags.setdefault(t, []).append(i)
            for d in a.data:
                data[d][i] = True
        groups: dict[str, int] = {}
        link_group = np.array(
            [-1 if lk.group is None else groups.setdefault(lk.group, len(groups)) for lk in links],
            dtype=np.int64,
        )
        return cls(
            ids=ids,
            types=np.array([_TYPE_CODE[a.type] for a in assets], dtype=np.int64),
            exposure=np.array([_EXPOSURE_CODE[a.exposure] for a in assets], dtype=np.int64),
            counts=np.array([a.count for a in assets], dtype=np.int64),
            labels=tuple(a.label or a.id for a in assets),
            tags={t: np.array(v, dtype=np.int64) for t, v in tags.items()},
            data=data,
            link_src=np.array([index[lk.from_] for lk in links], dtype=np.int64),
            link_dst=np.array([index[lk.to] for lk in links], dtype=np.int64),
            link_kind=np.array([_KIND_CODE[lk.kind] for lk in links], dtype=np.int64),
            sites=np.array(
                [-1 if a.site is None else _SITE_CODE[a.site] for a in assets], dtype=np.int64
            ),
            operators=np.array(
                [-1 if a.operator is None else _OPERATOR_CODE[a.operator] for a in assets],
                dtype=np.int64,
            ),
            link_group=link_group,
            group_names=tuple(groups),
            functions=tuple(model.functions),
            explicit=len(model.assets),
            _index=index,
        )

    @classmethod
    def _with_generated(cls, model: SystemModel, gen: GeneratedAssets) -> ResolvedSystem:
        explicit = cls.from_model(model.model_copy(update={"links": ()}))
        tags: dict[str, IntArray] = {}
        for t in explicit.tags.keys() | gen.tags.keys():
            parts = [p for p in (explicit.tags.get(t), gen.tags.get(t)) if p is not None]
            tags[t] = parts[0] if len(parts) == 1 else np.concatenate(parts)
        code: dict[str, int] = {}
        own_groups = np.array(
            [
                -1 if lk.group is None else code.setdefault(lk.group, len(code))
                for lk in model.links
            ],
            dtype=np.int64,
        )
        for g in gen.group_names:
            code.setdefault(g, len(code))
        names = tuple(code)
        remap = np.array([code[g] for g in gen.group_names] + [-1], dtype=np.int64)
        gen_groups = remap[gen.link_group]  # -1 indexes the trailing -1
        return cls(
            ids=(*explicit.ids, *gen.ids),
            types=np.concatenate([explicit.types, gen.types]),
            exposure=np.concatenate([explicit.exposure, gen.exposure]),
            counts=np.concatenate([explicit.counts, gen.counts]),
            labels=(*explicit.labels, *gen.labels),
            tags=tags,
            data={d: np.concatenate([explicit.data[d], gen.data[d]]) for d in DATA_CLASSES},
            link_src=np.concatenate([gen.explicit_link_src, gen.link_src]),
            link_dst=np.concatenate([gen.explicit_link_dst, gen.link_dst]),
            link_kind=np.concatenate(
                [
                    np.array([_KIND_CODE[lk.kind] for lk in model.links], dtype=np.int64),
                    gen.link_kind,
                ]
            ),
            sites=np.concatenate([explicit.sites, gen.sites]),
            operators=np.concatenate([explicit.operators, gen.operators]),
            link_group=np.concatenate([own_groups, gen_groups]),
            group_names=names,
            functions=tuple(model.functions),
            explicit=len(model.assets),
            _index=gen.index,
            generated=gen,
        )

    # ------------------------------------------------------------------ look-ups

    @property
    def n_assets(self) -> int:
        """Number of assets (nodes)."""
        return len(self.ids)

    @property
    def n_links(self) -> int:
        """Number of links (edges)."""
        return len(self.link_src)

    def position(self, asset_id: str) -> int:
        """Row of an asset id (KeyError if unknown)."""
        return self._index[asset_id]

    def has(self, asset_id: str) -> bool:
        """True if the asset id exists."""
        return asset_id in self._index

    def origin_of(self, i: int) -> str:
        """Where asset ``i`` was defined: ``system.yaml`` or a replica's ``file.csv:line``."""
        if i < self.explicit or self.generated is None:
            return "system.yaml"
        return self.generated.origin(i - self.explicit)

    @property
    def replica_groups(self) -> tuple[ReplicaGroup, ...]:
        """How reports group the ``generate:`` replicas (none for hand-written assets)."""
        return () if self.generated is None else self.generated.groups

    @cached_property
    def replica_group_index(self) -> IntArray:
        """Per asset: its index in :attr:`replica_groups` (-1: a hand-written asset)."""
        out = np.full(self.n_assets, -1, dtype=np.int64)
        for g, group in enumerate(self.replica_groups):
            out[group.members] = g
        return out

    @cached_property
    def report_keys(self) -> tuple[str, ...]:
        """Per asset: the row it is reported under: its group's key when it is one of a group
        of generated assets (:attr:`replica_groups`, more than one member), else its own id."""
        keys = list(self.ids)
        for g in self.replica_groups:
            if len(g.members) > 1:
                for i in g.members.tolist():
                    keys[i] = g.key
        return tuple(keys)

    def type_of(self, i: int) -> str:
        """Asset type name of row ``i``."""
        return ASSET_TYPES[int(self.types[i])]

    def exposure_of(self, i: int) -> str:
        """Exposure name of row ``i``."""
        return EXPOSURES[int(self.exposure[i])]

    def kind_of(self, e: int) -> str:
        """Link kind name of link ``e``."""
        return LINK_KINDS[int(self.link_kind[e])]

    def tags_of(self, i: int) -> list[str]:
        """Tags of row ``i`` (slow path, for reports)."""
        return sorted(t for t, rows in self.tags.items() if _contains(rows, i))

    def data_of(self, i: int) -> list[str]:
        """Data classes held at row ``i``."""
        return [d for d in DATA_CLASSES if self.data[d][i]]

    def site_of(self, i: int) -> str | None:
        """Site of row ``i`` (None when not given)."""
        code = int(self.sites[i])
        return None if code < 0 else SITES[code]

    def operator_of(self, i: int) -> str | None:
        """Operator of row ``i`` (None when not given)."""
        code = int(self.operators[i])
        return None if code < 0 else OPERATORS[code]

    def group_of(self, e: int) -> str | None:
        """Alternatives group of link ``e`` (None: an ordinary link)."""
        code = int(self.link_group[e])
        return None if code < 0 else self.group_names[code]

    @cached_property
    def type_names(self) -> tuple[str, ...]:
        """Asset type name per row."""
        return tuple(ASSET_TYPES[int(t)] for t in self.types)

    def links_of_kinds(self, kinds: Iterable[str]) -> IntArray:
        """Positions of the links whose kind is among ``kinds``."""
        codes = [_KIND_CODE[k] for k in kinds]
        return np.flatnonzero(np.isin(self.link_kind, codes)).astype(np.int64)

    # ------------------------------------------------------------------ selectors

    def mask(self, selector: Selector | None) -> BoolArray:
        """Boolean mask of the assets a selector matches (None matches all)."""
        n = self.n_assets
        out = np.ones(n, dtype=bool)
        if selector is None:
            return out
        if selector.ids is not None:
            m = np.zeros(n, dtype=bool)
            rows = [self._index[i] for i in selector.ids if i in self._index]
            m[rows] = True
            out &= m
        if selector.types is not None:
            out &= np.isin(self.types, [_TYPE_CODE[t] for t in selector.types])
        if selector.tags is not None:
            m = np.zeros(n, dtype=bool)
            for t in selector.tags:
                if t in self.tags:
                    m[self.tags[t]] = True
            out &= m
        if selector.exposure is not None:
            out &= np.isin(self.exposure, [_EXPOSURE_CODE[e] for e in selector.exposure])
        if selector.data is not None:
            m = np.zeros(n, dtype=bool)
            for d in selector.data:
                m |= self.data[d]
            out &= m
        if selector.sites is not None:
            out &= np.isin(self.sites, [_SITE_CODE[v] for v in selector.sites])
        if selector.operators is not None:
            out &= np.isin(self.operators, [_OPERATOR_CODE[v] for v in selector.operators])
        return out

    def select(self, selector: Selector | None) -> IntArray:
        """Sorted positions of the assets a selector matches."""
        return np.flatnonzero(self.mask(selector)).astype(np.int64)


def _contains(sorted_rows: IntArray, i: int) -> bool:
    k = int(np.searchsorted(sorted_rows, i))
    return k < len(sorted_rows) and int(sorted_rows[k]) == i

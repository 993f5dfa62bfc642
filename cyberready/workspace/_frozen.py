"""A read-only mapping for the loaded inputs that many callers share.

The shipped library is loaded once per process and every workspace points into it, so a caller
that changed one of its dicts would change what every later load sees. :class:`FrozenMap` is a
plain :class:`~collections.abc.Mapping` over a private copy of the dict it was given: it has no
way to change it. Unlike :class:`types.MappingProxyType` it pickles, because the portfolio sends
workspaces to worker processes (and to Dask).
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import TypeVar, overload

__all__ = ["FrozenMap", "freeze"]

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")


class FrozenMap(Mapping[K, V]):
    """An immutable mapping (a copy of the items it was built from, in their order).

    >>> m = FrozenMap({"a": 1})
    >>> m["a"], len(m), dict(m)
    (1, 1, {'a': 1})
    >>> m["b"] = 2
    Traceback (most recent call last):
    TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_data",)

    _data: dict[K, V]

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_data", dict(items))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"'FrozenMap' object is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"'FrozenMap' object is read-only (cannot delete {name!r})")

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._data,))

    # the lookups go straight to the dict: these are called in loops over every asset or control
    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | D, /) -> V | D: ...
    def get(self, key: K, default: object = None, /) -> object:
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> KeysView[K]:
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    def items(self) -> ItemsView[K, V]:
        return self._data.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a dict, so unhashable like one

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def freeze(items: Mapping[K, V]) -> FrozenMap[K, V]:
    """``items`` as a :class:`FrozenMap` (itself when it is one already: nothing to copy)."""
    return items if isinstance(items, FrozenMap) else FrozenMap(items)

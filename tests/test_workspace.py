"""The loaded inputs are immutable and shareable: the shipped library is loaded once per process
and shared by every workspace, so nothing may change it; a workspace pickles (the portfolio
sends workspaces to worker processes and to Dask); cyberready.workspace exports its public
names explicitly."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys

import pytest

import cyberready
import cyberready.workspace
from cyberready.workspace import (
    FrozenMap,
    Gaps,
    Library,
    Workspace,
    load_workspace,
    shipped_library,
)


def test_the_shipped_library_is_loaded_once_and_cannot_be_changed() -> None:
    lib = shipped_library()
    assert shipped_library() is lib
    sid = next(iter(lib.scenarios))
    with pytest.raises(TypeError):
        del lib.scenarios[sid]  # type: ignore[attr-defined]  # the point: Mapping has no del
    with pytest.raises(TypeError):
        lib.frameworks["x"] = lib.frameworks["usaid-ecbs"]  # type: ignore[index]  # read-only
    with pytest.raises(AttributeError):
        lib.shipped.add(("scenario", "x"))  # type: ignore[attr-defined]  # a frozenset
    with pytest.raises(dataclasses.FrozenInstanceError):
        lib.scenarios = {}  # type: ignore[misc]  # frozen dataclass
    with pytest.raises(AttributeError):
        lib.scenarios._data = {}  # type: ignore[attr-defined]  # FrozenMap's own copy
    ws = load_workspace(cyberready.example_path())
    assert sid in ws.library.scenarios
    assert ws.library.scenarios[sid] is lib.scenarios[sid]


def test_a_library_copies_the_dicts_it_is_built_from() -> None:
    scenarios = dict(shipped_library().scenarios)
    lib = Library(scenarios=scenarios, shipped={("scenario", "x")})  # type: ignore[arg-type]  # a plain dict on purpose
    scenarios.clear()
    assert len(lib.scenarios) == len(shipped_library().scenarios)
    assert isinstance(lib.scenarios, FrozenMap)
    assert lib.shipped == frozenset({("scenario", "x")})


def test_a_workspace_is_frozen_and_replace_makes_a_variant() -> None:
    ws = load_workspace(cyberready.example_path())
    with pytest.raises(dataclasses.FrozenInstanceError):
        ws.assessment = None  # type: ignore[misc]  # frozen dataclass
    with pytest.raises(TypeError):
        ws.docs["x"] = ws.docs[next(iter(ws.docs))]  # type: ignore[index]  # read-only
    bare = dataclasses.replace(ws, assessment=None)
    assert bare.assessment is None and ws.assessment is not None
    assert bare.library is ws.library


def test_a_workspace_pickles_and_round_trips() -> None:
    ws = load_workspace(cyberready.example_path())
    back = pickle.loads(pickle.dumps(ws))
    assert isinstance(back, Workspace)
    assert back.path == ws.path and back.emb == ws.emb and back.assessment == ws.assessment
    assert back.system == ws.system and back.history == ws.history
    assert back.library.scenarios == ws.library.scenarios
    assert back.library.shipped == ws.library.shipped
    assert back.docs.keys() == ws.docs.keys()
    assert list(back.resolved.ids) == list(ws.resolved.ids)
    assert back.library.control("ECBS-VR-08") == ws.library.control("ECBS-VR-08")
    assert [s.id for s in back.scenarios] == [s.id for s in ws.scenarios]
    with pytest.raises(AttributeError):
        back.library.scenarios.clear()  # type: ignore[attr-defined]  # still read-only


def test_gaps_are_immutable_values() -> None:
    gaps = Gaps().with_ids("asset", ["a", 7])
    assert gaps.covers("asset", "anything")  # a non-text id makes the kind unknown
    more = gaps | Gaps().with_ids("control", ["C-1"]).with_unknown("scope")
    assert more.covers("control", "C-1") and "scope" in more.unknown
    assert not gaps.covers("control", "C-1") and "scope" not in gaps.unknown
    with pytest.raises(dataclasses.FrozenInstanceError):
        gaps.unknown = frozenset()  # type: ignore[misc]  # frozen dataclass
    assert pickle.loads(pickle.dumps(more)) == more


def test_frozen_map_is_a_read_only_mapping() -> None:
    m = FrozenMap({"a": 1, "b": 2})
    assert m == {"a": 1, "b": 2} and m == FrozenMap([("a", 1), ("b", 2)])
    assert list(m) == ["a", "b"] and m.get("c", 0) == 0 and "a" in m
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(TypeError):
        m["c"] = 3  # type: ignore[index]  # the point: read-only
    with pytest.raises(TypeError):
        del m["a"]  # type: ignore[attr-defined]  # the point: read-only
    with pytest.raises(AttributeError):
        m.update({})  # type: ignore[attr-defined]  # the point: no such method
    with pytest.raises(TypeError):
        hash(m)


def test_the_workspace_package_exports_its_public_api() -> None:
    names = cyberready.workspace.__all__
    for name in names:
        assert getattr(cyberready.workspace, name) is not None, name
    assert not any(name.startswith("_") for name in names)
    with pytest.raises(AttributeError):
        cyberready.workspace.check_library  # type: ignore[attr-defined]  # noqa: B018  # private to the loader, not exported


def test_history_key_does_not_load_numpy() -> None:
    code = (
        "import sys\n"
        "from cyberready.workspace import history_key\n"
        "import cyberready.interop.history\n"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"

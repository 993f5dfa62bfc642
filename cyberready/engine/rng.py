"""Counter-based randomness shared by the engine and the reference (docs/trial-model.md).

Every uniform draw of a simulation is a pure function of ``(seed, trial, scenario id, object
key, purpose)``; nothing is a stream. The same numbers therefore come out whatever the block
size, worker count or executor, and the one-trial-at-a-time reference draws exactly what the
vectorized engine draws::

    key64 = blake2b(f"{scenario_id}|{object_key}|{purpose}", digest_size=8) as little-endian int
    x     = splitmix64(key64 ^ splitmix64(seed ^ (trial * 0x9E3779B97F4A7C15 mod 2**64)))
    u     = ((x >> 11) + 0.5) / 2**53

Object keys come from stable ids (:func:`entry_key`, :func:`entry_pick_key`, :func:`link_key`,
:func:`asset_key`), never from array positions. ``rule#`` in a key is the rule's 0-based position
in the scenario's ``entry:`` or ``propagation:`` list.

Derived numbers that every implementation must share bit for bit are computed here, once, by
one piece of code: the success threshold of an attempt on an asset that stands for ``n`` items
(:func:`count_threshold`), and the item drawn by a ``mode: one`` entry (:func:`pick_index`).

Times are drawn by exact inverse CDF (:class:`TimeLaw`). Both the scalar and the vectorized
inverse go through the same numpy / scipy ufuncs (Python's ``math.exp`` and ``numpy.exp`` may
differ in the last bit), so the scalar and vector versions agree bit for bit.

>>> u = uniform(key64("demo", asset_key("vr-db"), "detect"), seed=0, trial=0)
>>> 0.0 < u < 1.0
True
>>> keys = np.array([key64("demo", asset_key("vr-db"), "detect")], dtype=np.uint64)
>>> float(uniform_array(keys, trial_mix_array(0, np.arange(1)))[0]) == u
True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from cyberready.models import TimeDistribution

__all__ = [
    "GOLDEN",
    "PURPOSES",
    "TimeLaw",
    "U64Array",
    "asset_key",
    "count_threshold",
    "count_thresholds",
    "entry_key",
    "entry_pick_key",
    "key64",
    "key64_many",
    "link_key",
    "pick_index",
    "splitmix64",
    "splitmix64_array",
    "trial_mix",
    "trial_mix_array",
    "uniform",
    "uniform_array",
]

U64Array = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float64]

MASK64: Final = (1 << 64) - 1
GOLDEN: Final = 0x9E3779B97F4A7C15
_M1: Final = 0xBF58476D1CE4E5B9
_M2: Final = 0x94D049BB133111EB
_TWO53: Final = float(2**53)
_Z90: Final = 1.2815515655446004
"""The standard normal's 90th percentile: ``sigma = ln(p90 / median) / _Z90``."""

Purpose = Literal["success", "time", "detect", "duration", "pick", "verify", "recheck"]
PURPOSES: Final[tuple[str, ...]] = (
    "success",
    "time",
    "detect",
    "duration",
    "pick",
    "verify",
    "recheck",
)


# --------------------------------------------------------------------------- keys


def entry_key(rule: int, asset: str) -> str:
    """Object key of entry rule ``rule``'s attempt on ``asset``: ``entry:<rule#>:<asset>``."""
    return f"entry:{rule}:{asset}"


def entry_pick_key(rule: int) -> str:
    """Object key of the pick of a ``mode: one`` entry rule: ``entry:<rule#>:*``."""
    return f"entry:{rule}:*"


def link_key(rule: int, src: str, dst: str, kind: str) -> str:
    """Object key of propagation rule ``rule`` over a link: ``link:<rule#>:<from>><to>:<kind>``.

    ``src`` and ``dst`` are the link's ``from`` and ``to`` as written in the system file, whatever
    the rule's direction.
    """
    return f"link:{rule}:{src}>{dst}:{kind}"


def asset_key(asset: str) -> str:
    """Object key of per-asset draws (detection, outage duration, verification, recheck time):
    ``asset:<asset>``."""
    return f"asset:{asset}"


def key64(scenario_id: str, object_key: str, purpose: str) -> int:
    """The 64-bit key of one draw: blake2b (8 bytes, little endian) of the joined names."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    digest = hashlib.blake2b(
        f"{scenario_id}|{object_key}|{purpose}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "little")


def key64_many(scenario_id: str, object_keys: Sequence[str], purpose: str) -> U64Array:
    """:func:`key64` of many object keys at once, as a uint64 array (hashed once, at compile)."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    blake = hashlib.blake2b
    suffix = f"|{purpose}"
    prefix = f"{scenario_id}|"
    raw = b"".join(
        blake(f"{prefix}{k}{suffix}".encode(), digest_size=8).digest() for k in object_keys
    )
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64)


# --------------------------------------------------------------------------- shared derived numbers


def count_threshold(p: float, n: int) -> float:
    """Success threshold of one attempt on an asset standing for ``n`` independent items:
    ``1 - (1 - p)^n`` (it succeeds if it succeeds on any item), and ``p`` itself when ``n == 1``
    (``1 - (1 - p)`` is not always ``p`` in float64).

    Python's float power (the C library's ``pow``), element by element: numpy's vectorized
    power may take a SIMD path whose last bit differs, and a compiled kernel's differs again,
    so every implementation takes its thresholds from here, computed once per binding.

    >>> count_threshold(0.2, 1)
    0.2
    >>> round(count_threshold(0.2, 3), 12)
    0.488
    """
    if n == 1:
        return p
    return 1.0 - (1.0 - p) ** n


def count_thresholds(p: npt.ArrayLike, n: npt.ArrayLike) -> FloatArray:
    """:func:`count_threshold` elementwise (a loop over the elements with ``n != 1`` only, so
    a model without counts pays one comparison per attempt)."""
    out = np.array(p, dtype=np.float64, copy=True)
    counts = np.asarray(n, dtype=np.int64)
    for i in np.flatnonzero(counts != 1).tolist():
        out[i] = count_threshold(float(out[i]), int(counts[i]))
    return out


def pick_index(u: float, n: int) -> int:
    """The item a uniform picks among ``n``: ``min(floor(u * n), n - 1)`` (``u`` may be 1.0).

    >>> pick_index(0.5, 6), pick_index(1.0, 6)
    (3, 5)
    """
    return min(math.floor(u * n), n - 1)


# --------------------------------------------------------------------------- scalar version


def splitmix64(z: int) -> int:
    """The splitmix64 finalizer on a Python int (all arithmetic mod 2**64)."""
    z = (z + GOLDEN) & MASK64
    z = ((z ^ (z >> 30)) * _M1) & MASK64
    z = ((z ^ (z >> 27)) * _M2) & MASK64
    return z ^ (z >> 31)


def _check_seed(seed: int) -> int:
    if not 0 <= seed <= MASK64:
        raise ValueError(f"seed must be in [0, 2**64), got {seed}")
    return seed


def trial_mix(seed: int, trial: int) -> int:
    """The per-trial half of every draw: ``splitmix64(seed ^ (trial * GOLDEN mod 2**64))``."""
    return splitmix64(_check_seed(seed) ^ ((trial * GOLDEN) & MASK64))


def uniform(key: int, seed: int, trial: int) -> float:
    """One uniform in (0, 1] (1.0 only with chance 2**-53, from the rounding of ``+ 0.5``)."""
    x = splitmix64(key ^ trial_mix(seed, trial))
    return (float(x >> 11) + 0.5) / _TWO53


# --------------------------------------------------------------------------- vectorized version

_U_GOLDEN: Final = np.uint64(GOLDEN)
_U_M1: Final = np.uint64(_M1)
_U_M2: Final = np.uint64(_M2)
_U30: Final = np.uint64(30)
_U27: Final = np.uint64(27)
_U31: Final = np.uint64(31)
_U11: Final = np.uint64(11)


def splitmix64_array(z: U64Array) -> U64Array:
    """:func:`splitmix64` elementwise on a uint64 array (wraps mod 2**64, never warns)."""
    z = np.asarray(z, dtype=np.uint64) + _U_GOLDEN
    z ^= z >> _U30
    z *= _U_M1
    z ^= z >> _U27
    z *= _U_M2
    z ^= z >> _U31
    return z


def trial_mix_array(seed: int, trials: npt.NDArray[np.integer]) -> U64Array:
    """:func:`trial_mix` for an array of global trial indices."""
    t = np.asarray(trials).astype(np.uint64)
    t *= _U_GOLDEN
    t ^= np.uint64(_check_seed(seed))
    return splitmix64_array(t)


def uniform_array(keys: U64Array, mix: U64Array) -> FloatArray:
    """Uniforms for keys and per-trial mixes (broadcast together): the vector :func:`uniform`."""
    x = splitmix64_array(np.bitwise_xor(keys, mix))
    return ((x >> _U11).astype(np.float64) + 0.5) / _TWO53


# --------------------------------------------------------------------------- time laws

FIXED, EXPONENTIAL, LOGNORMAL, UNIFORM = 0, 1, 2, 3


@dataclass(frozen=True)
class TimeLaw:
    """A time distribution reduced to ``(code, a, b)`` for the inverse CDF.

    fixed ``a``; exponential ``-a * log1p(-u)``; lognormal ``a * exp(b * ndtri(u))`` with
    ``b = sigma``; uniform ``a + b * u`` with ``b = hi - lo``.
    """

    code: int
    a: float
    b: float = 0.0

    @classmethod
    def of(cls, dist: TimeDistribution) -> TimeLaw:
        """The law of a validated :class:`~cyberready.models.TimeDistribution`."""
        if dist.fixed is not None:
            return cls(FIXED, float(dist.fixed))
        if dist.exponential is not None:
            return cls(EXPONENTIAL, float(dist.exponential.mean))
        if dist.lognormal is not None:
            median, p90 = float(dist.lognormal.median), float(dist.lognormal.p90)
            return cls(LOGNORMAL, median, math.log(p90 / median) / _Z90)
        assert dist.uniform is not None
        lo, hi = float(dist.uniform[0]), float(dist.uniform[1])
        return cls(UNIFORM, lo, hi - lo)

    def times(self, u: FloatArray) -> FloatArray:
        """Inverse CDF at many uniforms: the ufuncs of :func:`inverse_times`, in the same order,
        with the law's parameters as scalars (element by element the same IEEE operations, so
        the same bits — checked against :func:`inverse_times` in the tests), without its masks.
        """
        with np.errstate(divide="ignore"):  # u == 1.0 (chance 2**-53) gives an infinite time
            if self.code == FIXED:
                return np.full(len(u), self.a)
            if self.code == EXPONENTIAL:
                return -self.a * np.log1p(-u)
            if self.code == LOGNORMAL:
                z: FloatArray = ndtri(u)
                return self.a * np.exp(self.b * z)
            if self.code == UNIFORM:
                return self.a + self.b * u
        raise ValueError(f"unknown time law code {self.code}")

    def sample(self, u: float) -> float:
        """Inverse CDF at one uniform (same ufuncs as :func:`inverse_times`)."""
        out = inverse_times(
            np.array([self.code], dtype=np.int8),
            np.array([self.a]),
            np.array([self.b]),
            np.array([u]),
        )
        return float(out[0])


def inverse_times(
    codes: npt.NDArray[np.int8], a: FloatArray, b: FloatArray, u: FloatArray
) -> FloatArray:
    """Inverse CDF elementwise, each element with its own law ``(codes, a, b)``."""
    out = np.empty(u.shape, dtype=np.float64)
    with np.errstate(divide="ignore"):  # u == 1.0 (chance 2**-53) gives an infinite time
        for code in (FIXED, EXPONENTIAL, LOGNORMAL, UNIFORM):
            m = codes == code
            if not m.any():
                continue
            if code == FIXED:
                out[m] = a[m]
            elif code == EXPONENTIAL:
                out[m] = -a[m] * np.log1p(-u[m])
            elif code == LOGNORMAL:
                out[m] = a[m] * np.exp(b[m] * ndtri(u[m]))
            else:
                out[m] = a[m] + b[m] * u[m]
    return out

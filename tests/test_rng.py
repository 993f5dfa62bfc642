"""Counter-based randomness (docs/trial-model.md): known values, scalar == vector bit for
bit, and time laws by exact inverse CDF."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberready.engine.rng import (
    TimeLaw,
    asset_key,
    entry_key,
    inverse_times,
    key64,
    key64_many,
    link_key,
    splitmix64,
    splitmix64_array,
    trial_mix,
    trial_mix_array,
    uniform,
    uniform_array,
)
from cyberready.models import TimeDistribution

MASK = (1 << 64) - 1


def test_splitmix64_known_value() -> None:
    # The first output of the reference splitmix64 generator seeded with 0 (Vigna's C code,
    # x = 0; return next()) is 0xE220A8397B1DCDAF: our finalizer adds the increment first.
    assert splitmix64(0) == 0xE220A8397B1DCDAF
    assert int(splitmix64_array(np.zeros(1, dtype=np.uint64))[0]) == 0xE220A8397B1DCDAF


def test_key64_is_blake2b_of_the_joined_names() -> None:
    digest = hashlib.blake2b(b"sc|asset:vr-db|detect", digest_size=8).digest()
    assert key64("sc", "asset:vr-db", "detect") == int.from_bytes(digest, "little")
    assert key64_many("sc", ["asset:vr-db"], "detect").tolist() == [
        key64("sc", "asset:vr-db", "detect")
    ]


def test_object_keys_use_ids() -> None:
    assert entry_key(0, "ws") == "entry:0:ws"
    assert link_key(2, "ws", "host", "connects_to") == "link:2:ws>host:connects_to"
    assert asset_key("vr-db") == "asset:vr-db"


def test_uniform_known_value() -> None:
    # Worked by hand from the formula in docs/trial-model.md, with Python ints mod 2**64.
    key = key64("demo", "asset:a", "detect")
    mix = splitmix64((7 ^ ((3 * 0x9E3779B97F4A7C15) & MASK)) & MASK)
    x = splitmix64(key ^ mix)
    expected = ((x >> 11) + 0.5) / 2**53
    assert uniform(key, seed=7, trial=3) == expected
    assert 0.0 < expected < 1.0


def test_unknown_purpose_and_bad_seed_are_rejected() -> None:
    with pytest.raises(ValueError, match="purpose"):
        key64("s", "asset:a", "colour")
    with pytest.raises(ValueError, match="seed"):
        trial_mix(-1, 0)
    with pytest.raises(ValueError, match="seed"):
        trial_mix_array(2**64, np.arange(3))


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, MASK),
    start=st.integers(0, 2**40),
    names=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5),
)
def test_scalar_and_vector_uniforms_agree_bit_for_bit(
    seed: int, start: int, names: list[str]
) -> None:
    keys = key64_many("sc", names, "success")
    trials = np.arange(start, start + 17, dtype=np.int64)
    mix = trial_mix_array(seed, trials)
    vec = uniform_array(keys[:, None], mix[None, :])
    for i, name in enumerate(names):
        k = key64("sc", name, "success")
        for j, t in enumerate(trials.tolist()):
            assert int(mix[j]) == trial_mix(seed, t)
            assert vec[i, j] == uniform(k, seed, t)


def test_uniforms_look_uniform() -> None:
    u = uniform_array(
        key64_many("sc", ["asset:a"], "detect"), trial_mix_array(1, np.arange(200_000))
    )
    assert u.min() > 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.005
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert counts.min() > 19_000 and counts.max() < 21_000


LAWS = [
    TimeDistribution(fixed=4),
    TimeDistribution.model_validate({"exponential": {"mean": 48}}),
    TimeDistribution.model_validate({"lognormal": {"median": 24, "p90": 120}}),
    TimeDistribution(uniform=(2, 10)),
]


@pytest.mark.parametrize("dist", LAWS, ids=lambda d: d.kind)
def test_scalar_and_vector_times_agree_bit_for_bit(dist: TimeDistribution) -> None:
    law = TimeLaw.of(dist)
    u = uniform_array(key64_many("sc", ["x"], "time"), trial_mix_array(0, np.arange(5000)))
    n = len(u)
    vec = inverse_times(np.full(n, law.code, np.int8), np.full(n, law.a), np.full(n, law.b), u)
    assert [law.sample(float(x)) for x in u] == vec.tolist()


def test_time_laws_are_exact_inverse_cdfs() -> None:
    assert TimeLaw.of(LAWS[0]).sample(0.3) == 4.0
    assert TimeLaw.of(LAWS[1]).sample(1 - math.exp(-1)) == pytest.approx(48.0, rel=1e-12)
    lognormal = TimeLaw.of(LAWS[2])
    assert lognormal.sample(0.5) == pytest.approx(24.0, rel=1e-12)  # median
    assert lognormal.sample(0.9) == pytest.approx(120.0, rel=1e-9)  # p90
    assert lognormal.b == math.log(120 / 24) / 1.2815515655446004
    assert TimeLaw.of(LAWS[3]).sample(0.25) == 4.0


def test_mixed_laws_in_one_call() -> None:
    laws = [TimeLaw.of(d) for d in LAWS]
    u = np.array([0.5, 0.5, 0.5, 0.5])
    got = inverse_times(
        np.array([lw.code for lw in laws], np.int8),
        np.array([lw.a for lw in laws]),
        np.array([lw.b for lw in laws]),
        u,
    )
    assert got.tolist() == [lw.sample(0.5) for lw in laws]


@pytest.mark.parametrize(
    "dist",
    [
        {"fixed": 4},
        {"exponential": {"mean": 48}},
        {"lognormal": {"median": 24, "p90": 120}},
        {"uniform": [2, 30]},
    ],
)
def test_a_laws_times_are_bit_identical_to_inverse_times(dist: dict[str, object]) -> None:
    law = TimeLaw.of(TimeDistribution.model_validate(dist))
    u = np.random.default_rng(1).random(100_000)
    u[:4] = [2.0**-53 * 0.5, 0.5, 1.0 - 2.0**-53, 1.0]  # extremes, and 1.0 (an infinite time)
    n = len(u)
    want = inverse_times(np.full(n, law.code, np.int8), np.full(n, law.a), np.full(n, law.b), u)
    got = law.times(u)
    assert got.tobytes() == want.tobytes()

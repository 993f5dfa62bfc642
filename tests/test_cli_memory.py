"""The command line keeps the memory a simulation block frees for the next block."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the tuning is glibc malloc's",
)

# a block's worth of memory (24 MB) allocated, touched and freed three times: the page faults
# of each round (the first always faults; a tuned malloc serves the others from its heap)
_ROUNDS = """
import resource, sys
import numpy as np
from cyberready.cli._memory import keep_freed_memory
print(keep_freed_memory())
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = np.ones(3_000_000)
    del block
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _rounds(**env: str) -> tuple[bool, list[int]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _ROUNDS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[0] == "True", [int(x) for x in out[1:]]


def test_freed_blocks_are_reused_without_new_page_faults() -> None:
    tuned, faults = _rounds()
    assert tuned
    assert faults[1:] == [0, 0]


def test_a_user_who_tuned_malloc_keeps_their_settings() -> None:
    # glibc's own dynamic threshold: the second block comes from fresh heap pages
    tuned, faults = _rounds(MALLOC_ARENA_MAX="8")
    assert not tuned
    assert faults[1] > 0

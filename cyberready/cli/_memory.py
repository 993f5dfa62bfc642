"""How a ``cyberready`` process asks the C allocator to keep the memory it frees.

A simulation runs its trials in blocks, and each block allocates arrays of several megabytes
(its intrusions, their times, the compromised assets). glibc's malloc hands allocations of
that size to the kernel and back on every block, and the kernel zeroes each page again when it
is touched: on a 4,000-asset model that was a tenth of ``prioritize``'s CPU time. The command
line is a process of ours, so it tells malloc to serve such blocks from its heap and not to
give freed memory back until a gigabyte is unused; a program that imports the library keeps
its allocator as it was.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Final

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD: Final = -1
_M_MMAP_THRESHOLD: Final = -3
MMAP_THRESHOLD: Final = 32 << 20
"""Allocations up to this size come from malloc's heap (glibc's largest allowed value)."""
TRIM_THRESHOLD: Final = 1 << 30
"""Free memory at the top of the heap is returned to the system beyond this size."""


def keep_freed_memory() -> bool:
    """Set glibc malloc's mmap and trim thresholds (:data:`MMAP_THRESHOLD`,
    :data:`TRIM_THRESHOLD`) for this process; True when both were set.

    Does nothing on another C library or system, and leaves malloc alone when the user tuned
    it through a ``MALLOC_*`` environment variable (``MALLOC_MMAP_THRESHOLD_``...).
    """
    if not sys.platform.startswith("linux") or any(k.startswith("MALLOC_") for k in os.environ):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no mallopt in this process's C library
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # (musl's mallopt exists but does nothing and returns 0)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

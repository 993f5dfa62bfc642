"""The order of the earlier assessments kept under a workspace's ``history/`` folder.

The loader sorts a workspace's history with it, and :mod:`cyberready.interop.history` (which
writes those files) names them so that this order holds: the date, then the repeat number.
"""

from __future__ import annotations

import re

__all__ = ["history_key"]

_HISTORY_NAME = re.compile(r"assessment-(\d{4}-\d{2}-\d{2})(?:-(\d+))?\.ya?ml")


def history_key(name: str) -> tuple[str, int, str]:
    """Sort key of a history file name: its date, then its repeat number (none = 1).

    >>> names = ["assessment-2026-01-05-2.yaml", "assessment-2026-01-05.yaml",
    ...          "assessment-2026-01-05-10.yaml", "assessment-2025-12-01.yaml"]
    >>> for n in sorted(names, key=history_key):
    ...     print(n)
    assessment-2025-12-01.yaml
    assessment-2026-01-05.yaml
    assessment-2026-01-05-2.yaml
    assessment-2026-01-05-10.yaml
    """
    m = _HISTORY_NAME.fullmatch(name)
    if m is None:
        return ("", 0, name)
    return (m[1], int(m[2] or 1), name)

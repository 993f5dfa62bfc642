"""``export`` and ``import``: moving frameworks and assessments to and from other tools.

``export csv`` writes tidy CSV files; ``export oscal`` writes OSCAL catalogs and assessment
results; ``import oscal-catalog`` turns an OSCAL catalog into a cyberready framework. Each
subcommand lives in its own module and is added to these groups in :mod:`cyberready.cli`.
"""

from __future__ import annotations

import click

__all__ = ["export", "import_", "oscal"]


@click.group(epilog="\b\nExamples:\n  cyberready export --help")
def export() -> None:
    """Export frameworks and assessments for other tools (CSV, OSCAL)."""


@export.group(epilog="\b\nExamples:\n  cyberready export oscal --help")
def oscal() -> None:
    """Export as OSCAL 1.1 JSON (catalogs, assessment results)."""


@click.group("import", epilog="\b\nExamples:\n  cyberready import --help")
def import_() -> None:
    """Import content from other tools (an OSCAL catalog as a framework)."""

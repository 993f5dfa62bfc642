"""Sphinx configuration of the cyberready documentation site.

Build it strictly (warnings are errors) with

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The pages are the Markdown files in this folder (read by MyST), so the site and a reader of the
repository see the same text. The build needs no network: no intersphinx, no remote images.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # this checkout's cyberready, not an installed one
sys.path.insert(0, str(DOCS / "_tools"))

from cyberready._version import __version__  # noqa: E402

project = "cyberready"
author = "cyberready contributors"
copyright = "cyberready contributors, Apache-2.0"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_click",
    "tutorial_capture",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_tools", "_generated/*.txt", "screenshots"]
myst_heading_anchors = 3
smartquotes = False  # keep `--option` and quotes as typed
myst_enable_extensions = ["colon_fence", "deflist"]
suppress_warnings = ["myst.header"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_numpy_docstring = True
napoleon_google_docstring = False

html_theme = "pydata_sphinx_theme"
html_title = f"cyberready {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"**": ["sidebar-nav-bs"], "index": []}
html_copy_source = False
html_show_sourcelink = False


def _examples_as_code(app: Any, ctx: Any, lines: list[str]) -> None:
    """Show the example blocks of a command's help (click's ``\\b`` blocks) as console code,
    so that ``small/*/`` or ``a|b`` in an example is not read as markup."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        first = block[0].strip()
        body = block[1:] if first.endswith(":") else block
        if first.endswith(":"):
            out.extend([first, ""])
        out.extend([".. code-block:: console", ""])
        out.extend("   " + line.strip() for line in body)
        out.append("")
        block.clear()

    for line in lines:
        if line.startswith("| "):
            block.append(line[2:])
        else:
            flush()
            out.append(line)
    flush()
    lines[:] = out


def setup(app: Any) -> None:
    app.connect("sphinx-click-process-epilog", _examples_as_code)
    app.connect("sphinx-click-process-description", _examples_as_code)

"""The language of what the CLI prints for its users (docs/languages.md).

What a command prints in the place of a report — "wrote …", an import's counts, the one-line
summaries of ``validate`` and ``demo``, the headlines of ``assess`` and ``prioritize`` — is in
the report languages, through the reports' own catalogs: the command's ``--locale`` where it
has one, else the first shipped language of the workspace's ``emb.yaml`` ``languages``, else
English. Problems with input files (exit 3), usage errors and internal errors stay in English:
they quote file names, field paths and values that are English keys, and they are what a
maintainer is sent.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path

__all__ = ["Messages", "cli_locale", "messages", "workspace_languages"]

Messages = gettext.NullTranslations
"""A catalog: ``gettext``, ``ngettext`` (with the language's plural rule)."""


def messages(locale: str) -> Messages:
    """The catalog of ``locale`` (a shipped report language, as :func:`cli_locale` gives)."""
    from cyberready.report.i18n import translations

    return translations(locale)


def workspace_languages(workspace: Path | None) -> list[str]:
    """The ``languages`` of ``workspace``'s ``emb.yaml`` (empty when there is none, or it cannot
    be read: the command that reads the workspace reports that, in English)."""
    if workspace is None:
        return []
    from cyberready.io import read_yaml

    doc, _problems = read_yaml(workspace / "emb.yaml")
    data = doc.data if doc is not None else None
    languages = data.get("languages") if isinstance(data, dict) else None
    return [str(x) for x in languages] if isinstance(languages, list) else []


def cli_locale(asked: str | None, languages: Sequence[str] = ()) -> str:
    """The language to print in: ``asked`` (``--locale``, checked), else the first shipped
    one of ``languages`` (an EMB's ``emb.yaml``), else English.

    >>> cli_locale(None, ["pt", "fr"]), cli_locale("es_MX", ["fr"]), cli_locale(None)
    ('fr', 'es_MX', 'en')
    """
    from cyberready.report.i18n import check_locale, default_locale

    return check_locale(asked) if asked is not None else default_locale(languages)

"""Translations for reports: gettext catalogs in ``locales/``, read with Babel.

Every string a report shows goes through gettext (templates with ``{% trans %}`` / ``_()`` /
``ngettext()`` / ``pgettext()``, Python code through the ``gettext`` callables passed to it).
Catalogs are plain ``.po`` files under
``cyberready/report/locales/<locale>/LC_MESSAGES/cyberready.po``. At load time a catalog is read
with Babel and compiled in memory into the standard library's :class:`gettext.GNUTranslations`,
so message contexts (``msgctxt``) and each language's own plural rule (the catalog's
``Plural-Forms`` header) work as in any gettext program, with no compiled ``.mo`` file and no
build step. A report asks for a locale whose language has a shipped catalog
(:func:`check_locale`: ``en``, ``en_GB`` and ``en-GB`` are English); any other is refused with
the list of shipped ones, never silently rendered in English.

``python -m cyberready.report.i18n`` re-extracts ``locales/cyberready.pot`` from the templates
and the report code and updates every shipped ``.po`` from it (Babel's extract and update, as
``pybabel extract`` / ``pybabel update`` would); a test checks that both are up to date.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Collection, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from cyberready.models.vocab import LOCALE_PATTERN

# Babel (a tenth of a second to import) is loaded by the functions that read or write a
# catalog: checking a locale, which the CLI does before any work, needs none of it.
if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "DOMAIN",
    "MessageKey",
    "available_locales",
    "catalog_messages",
    "check_locale",
    "default_locale",
    "extract_catalog",
    "load_catalog",
    "message_keys",
    "translations",
    "update_catalogs",
]

DOMAIN = "cyberready"
"""The gettext domain of every report string."""

HEADER_COMMENT = "# Report strings of cyberready. Regenerate with: python -m cyberready.report.i18n"
"""The comment heading the template and every catalog: how to regenerate them."""

MessageKey = tuple[str | None, str | tuple[str, ...]]
"""What identifies a catalog message: its context (``msgctxt``, or None) and its id (a
``(singular, plural)`` tuple for a plural message)."""

# Where Babel looks for messages, relative to the report package: its own modules (not the
# subpackages' data) and the shipped templates, read by Jinja's own Babel extractor.
_METHOD_MAP = [
    ("*.py", "python"),
    ("templates/*.j2", "jinja2.ext:babel_extract"),
]
# Modules outside the report package whose user-facing text is in the catalogs too (the
# questionnaire workbook, what the CLI prints for users), as globs relative to the package root.
_OTHER_SOURCES = ("interop/questionnaire.py", "cli/*.py")
# The templates are extracted with the options they are rendered with (see render.py), so a
# ``{% trans %}`` block gives the msgid that rendering looks up.
_OPTIONS_MAP = {"templates/*.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}}


def _locales_dir() -> Path:
    return Path(str(resources.files("cyberready.report").joinpath("locales")))


def _package_dir() -> Path:
    return Path(str(resources.files("cyberready.report")))


def load_catalog(path: Path) -> Catalog:
    """The catalog (``.po`` or ``.pot``) at ``path``, read with Babel.

    Raises
    ------
    ValueError
        For a malformed catalog, naming the file and line (a shipped catalog is never
        malformed: the tests read each one).
    """
    from babel.messages.pofile import PoFileError, read_po

    data = path.read_bytes()
    try:
        return read_po(io.BytesIO(data), domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        where = f"{path}:{exc.lineno + 1}"  # Babel counts lines from 0
        raise ValueError(f"{where}: {exc.line.strip()!r} is not catalog syntax") from exc


@functools.lru_cache(maxsize=16)
def _compiled(path: Path, mtime_ns: int, size: int) -> gettext.GNUTranslations:
    """The catalog at ``path`` compiled in memory; cached per file and version (the stamp is
    part of the key, so a maintainer's edit is seen without restarting)."""
    from babel.messages.mofile import write_mo

    del mtime_ns, size  # only part of the cache key
    buf = io.BytesIO()
    write_mo(buf, load_catalog(path))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def available_locales() -> list[str]:
    """Locales with a shipped catalog, sorted (``en`` is always among them)."""
    base = _locales_dir()
    return sorted(p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


_LOCALE = re.compile(LOCALE_PATTERN)


def check_locale(locale: str) -> str:
    """``locale`` in the form reports record (``en``, ``en_GB``), if its language ships.

    Raises
    ------
    InputError
        For a malformed locale, or one whose language has no shipped catalog; the message
        lists the shipped locales.
    """
    from cyberready.errors import InputError, Problem

    shipped = available_locales()
    hint = f"shipped report languages: {', '.join(shipped)}"
    match = _LOCALE.match(locale)
    if match is None:
        message = f"{locale!r} is not a locale: a language code such as 'en', or 'en_GB'"
        raise InputError([Problem("--locale", message, value=locale, hint=hint)])
    language, region = match.group(1).lower(), match.group(2)
    if language not in shipped:
        message = f"reports have no translation into {locale!r} yet"
        raise InputError([Problem("--locale", message, value=locale, hint=hint)])
    return f"{language}_{region.upper()}" if region else language


def default_locale(languages: Sequence[str]) -> str:
    """The report language of an EMB whose ``emb.yaml`` lists ``languages``: the first of them
    whose language ships (in the form :func:`check_locale` gives), else English. ``--locale``
    overrides it.

    >>> default_locale(["pt", "fr_CA", "en"]), default_locale([])
    ('fr_CA', 'en')
    """
    from cyberready.errors import InputError

    for language in languages:
        try:
            return check_locale(language)
        except InputError:
            continue
    return "en"


def translations(locale: str = "en") -> gettext.NullTranslations:
    """The catalog of ``locale`` (``fr``, ``fr_FR`` -> ``fr``), or English when none ships.

    Only a shipped catalog is ever read: ``locale`` is matched against
    :func:`available_locales` by name, never used as a path (``../../x`` gives English). The
    result supports ``gettext``, ``ngettext`` (with the catalog's plural rule), ``pgettext``
    and ``npgettext``; an untranslated or fuzzy message gives its English msgid."""
    base = _locales_dir()
    shipped = available_locales()
    for candidate in (locale, locale.split("_")[0].split("-")[0]):
        if candidate not in shipped:
            continue
        po = base / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            stat = po.stat()
            return _compiled(po, stat.st_mtime_ns, stat.st_size)
    return gettext.NullTranslations()


def message_keys(catalog: Catalog) -> set[MessageKey]:
    """The messages of ``catalog`` (header and obsolete entries left out), by context and id."""
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def catalog_messages(skip_contexts: Collection[str] = ()) -> Iterator[str]:
    """The msgid (the singular, for a plural message) of every message of the shipped template
    ``locales/cyberready.pot``, in catalog order; none whose context is in ``skip_contexts``."""
    for message in load_catalog(_locales_dir() / f"{DOMAIN}.pot"):
        if message.id and message.context not in skip_contexts:
            yield message.id if isinstance(message.id, str) else message.id[0]


# --------------------------------------------------------------------------- extraction


def extract_catalog() -> Catalog:
    """Every message used by the report templates, the report code, the questionnaire
    workbook and what the CLI prints for users, as a template catalog
    (Babel's extractor, with its default keywords: ``_``, ``gettext``, ``ngettext``,
    ``pgettext``, ``npgettext``, …)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

    from cyberready import __version__

    catalog = Catalog(
        domain=DOMAIN,
        header_comment=HEADER_COMMENT,
        project="cyberready",
        version=__version__,
        charset="utf-8",
        fuzzy=False,
    )
    found = extract_from_dir(
        str(_package_dir()),
        method_map=_METHOD_MAP,
        options_map=_OPTIONS_MAP,
        keywords=DEFAULT_KEYWORDS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    root = _package_dir().parent
    for path in sorted(p for pattern in _OTHER_SOURCES for p in root.glob(pattern)):
        name = path.relative_to(root).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=DEFAULT_KEYWORDS, strip_comment_tags=True
        ):
            catalog.add(message, None, [(name, lineno)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    # No source locations: they would change with every edit of the code, and the messages
    # are found by grepping for them anyway.
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, no_location=True, sort_output=True)
    return buf.getvalue()


def update_catalogs() -> list[Path]:
    """Rewrite ``locales/cyberready.pot`` from the templates and code when its messages changed,
    then update every shipped ``.po`` from it (new messages added, removed ones kept as
    obsolete, as ``pybabel update`` does). Returns the files written."""
    from cyberready.io import atomic_write_bytes

    written: list[Path] = []
    pot = _locales_dir() / f"{DOMAIN}.pot"
    extracted = extract_catalog()
    if not pot.is_file() or message_keys(load_catalog(pot)) != message_keys(extracted):
        atomic_write_bytes(pot, _po_bytes(extracted))
        written.append(pot)
    template = load_catalog(pot)  # the file's own creation date: no churn when unchanged
    for locale in available_locales():
        po = _locales_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = load_catalog(po)
        # English needs no msgstr (a message is its own English): Babel's fuzzy guesses from
        # similar messages would only be noise there.
        catalog.update(template, no_fuzzy_matching=locale == "en")
        catalog.project, catalog.version = template.project, template.version
        data = _po_bytes(catalog)
        if data != po.read_bytes():
            atomic_write_bytes(po, data)
            written.append(po)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    written = update_catalogs()
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("the catalogs are up to date")

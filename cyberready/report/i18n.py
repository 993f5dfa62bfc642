"""Translations for reports: gettext catalogs read from ``locales/`` without Babel.

Every string a report shows goes through gettext (templates with ``{% trans %}`` / ``_()``,
Python code through the ``gettext`` callables passed to it). Catalogs are plain ``.po`` files
under ``cyberready/report/locales/<locale>/LC_MESSAGES/cyberready.po``; they are parsed here at
load time, so no build step (and no Babel) is needed. A report asks for a locale whose language
has a shipped catalog (:func:`check_locale`: ``en``, ``en_GB`` and ``en-GB`` are English); any
other is refused with the list of shipped ones, never silently rendered in English.

``python -m cyberready.report.i18n`` rewrites ``locales/cyberready.pot`` from the templates and
the report code; a test checks that it is up to date.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from cyberready.models.vocab import LOCALE_PATTERN

__all__ = [
    "DOMAIN",
    "available_locales",
    "check_locale",
    "extract_messages",
    "parse_po",
    "translations",
]

DOMAIN = "cyberready"
"""The gettext domain of every report string."""


def _locales_dir() -> Path:
    return Path(str(resources.files("cyberready.report").joinpath("locales")))


class _Catalog(gettext.NullTranslations):
    """A gettext catalog held in a dict (msgid -> msgstr, (msgid, n) -> plural form)."""

    def __init__(self, messages: dict[str | tuple[str, int], str], plural_forms: int = 2) -> None:
        super().__init__()
        self._messages = messages
        self._nplurals = plural_forms

    def gettext(self, message: str) -> str:
        out = self._messages.get(message)
        return out if out else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        # Germanic plural rule (en, fr's "n > 1" differs only at 0); enough until a catalog with
        # another rule ships, when this reads the Plural-Forms header.
        index = 0 if n == 1 else 1
        out = self._messages.get((msgid1, min(index, self._nplurals - 1)))
        if out:
            return out
        return msgid1 if n == 1 else msgid2


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    value = ast.literal_eval(token)
    if not isinstance(value, str):  # pragma: no cover - a quoted token is always a str
        raise ValueError(f"{where}: not a string")
    return value


def parse_po(text: str, *, name: str = "<po>") -> dict[str | tuple[str, int], str]:
    """Parse the text of a ``.po`` file into ``{msgid: msgstr, (msgid, k): plural_k}``.

    Comments, fuzzy flags and the header entry (empty msgid) are skipped; empty translations
    are kept as empty strings (gettext then falls back to the msgid).

    >>> parse_po('msgid "Readiness"\\nmsgstr "Préparation"\\n')
    {'Readiness': 'Préparation'}
    """
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    pending_fuzzy = False  # a "#, fuzzy" flag applies to the entry that follows it
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{name}:{lineno}"
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                pending_fuzzy = True
            continue
        if line.startswith('"'):
            if not key:
                raise ValueError(f"{where}: continuation line outside an entry")
            current[key] += _unquote(line, where)
            continue
        word, _, rest = line.partition(" ")
        if word not in ("msgid", "msgid_plural", "msgctxt") and not word.startswith("msgstr"):
            raise ValueError(f"{where}: unknown keyword {word!r}")
        if word in ("msgid", "msgctxt") and not (word == "msgid" and key == "msgctxt"):
            if current:
                entries.append(current)
            current = {"_fuzzy": "1" if pending_fuzzy else ""}
            pending_fuzzy = False
        key = word
        current[key] = _unquote(rest, where)
    if current:
        entries.append(current)
    out: dict[str | tuple[str, int], str] = {}
    for entry in entries:
        msgid = entry.get("msgid", "")
        if not msgid or entry.get("_fuzzy"):
            continue
        if "msgid_plural" in entry:
            for k in range(10):
                form = entry.get(f"msgstr[{k}]")
                if form is None:
                    break
                out[(msgid, k)] = form
        else:
            out[msgid] = entry.get("msgstr", "")
    return out


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


def translations(locale: str = "en") -> gettext.NullTranslations:
    """The catalog of ``locale`` (``fr``, ``fr_FR`` -> ``fr``), or English when none ships.

    Only a shipped catalog is ever read: ``locale`` is matched against
    :func:`available_locales` by name, never used as a path (``../../x`` gives English)."""
    base = _locales_dir()
    shipped = available_locales()
    for candidate in (locale, locale.split("_")[0].split("-")[0]):
        if candidate not in shipped:
            continue
        po = base / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            return _Catalog(parse_po(po.read_text(encoding="utf-8"), name=str(po)))
    return gettext.NullTranslations()


# --------------------------------------------------------------------------- extraction


def _python_messages(path: Path) -> Iterator[str | tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        args = node.args
        if name in ("_", "gettext") and args and isinstance(args[0], ast.Constant):
            if isinstance(args[0].value, str):
                yield args[0].value
        elif name in ("ngettext", "_n") and len(args) >= 2:
            a, b = args[0], args[1]
            if isinstance(a, ast.Constant) and isinstance(b, ast.Constant):
                yield (str(a.value), str(b.value))


def extract_messages() -> list[str | tuple[str, str]]:
    """Every msgid used by the report templates and the report code, sorted, unique.

    Plural messages are ``(singular, plural)`` tuples.
    """
    import jinja2
    from jinja2.ext import extract_from_ast

    pkg = Path(str(resources.files("cyberready.report")))
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    found: set[str | tuple[str, str]] = set()
    for tpl in sorted((pkg / "templates").glob("*.j2")):
        tree = env.parse(tpl.read_text(encoding="utf-8"))
        for _lineno, func, msg in extract_from_ast(tree):
            if func == "ngettext" and isinstance(msg, tuple):
                found.add((str(msg[0]), str(msg[1])))
            elif isinstance(msg, str):
                found.add(msg)
    for py in sorted(pkg.glob("*.py")):
        found.update(_python_messages(py))
    return sorted(found, key=lambda m: (m if isinstance(m, str) else m[0], isinstance(m, tuple)))


def _po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_pot(messages: Iterable[str | tuple[str, str]], *, language: str = "") -> str:
    """A ``.pot`` template holding ``messages`` (no dates: stable under version control); with
    ``language``, the (untranslated) catalog of that language."""
    out = [
        "# Report strings of cyberready. Regenerate with: python -m cyberready.report.i18n",
        'msgid ""',
        'msgstr ""',
        *([f'"Language: {language}\\n"'] if language else []),
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for msg in messages:
        if isinstance(msg, tuple):
            out += [
                f"msgid {_po_quote(msg[0])}",
                f"msgid_plural {_po_quote(msg[1])}",
                'msgstr[0] ""',
                'msgstr[1] ""',
                "",
            ]
        else:
            out += [f"msgid {_po_quote(msg)}", 'msgstr ""', ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    from cyberready.io import atomic_write_text

    messages = extract_messages()
    target = _locales_dir() / f"{DOMAIN}.pot"
    atomic_write_text(target, render_pot(messages))
    print(f"wrote {target}")
    # English is the source language: its catalog is the template with empty translations.
    english = _locales_dir() / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    atomic_write_text(english, render_pot(messages, language="en"))
    print(f"wrote {english}")

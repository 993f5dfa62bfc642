"""Finding a workspace's sensitive text in donor and portfolio output (docs/security.md,
"Redaction").

One normaliser (:func:`normalise`) serves every check: the scrub that builds a donor view, the
check of the finished view and the safety net that reads the **final bytes** of every donor and
portfolio report (:meth:`Redactor.check_output`). Both sides of a comparison are normalised the
same way, so a term is found whatever its spelling variant:

* Unicode compatibility forms folded (NFKC: ``ﬁ`` is ``fi``, a full-width A is ``a``) and
  case folded (``ß`` and ``SS`` are ``ss``); combining accents kept with their letter, so NFD and
  NFC spellings are the same;
* Cyrillic and Greek letters that look like Latin ones read as those (a small hand-kept table,
  :data:`CONFUSABLES`, not Unicode's full confusables list);
* every space, line break, dash (hyphen, non-breaking hyphen, en and em dash, minus) and
  underscore read as one space, and invisible characters (zero-width space, soft hyphen) dropped:
  ``vr-db``, ``vr_db``, ``VR DB`` and ``vr`` + non-breaking hyphen + ``db`` are all ``vr db``.

A term that looks like an identifier (no space, and a digit or a dash or underscore inside:
``sms-gw``, ``db01``) is found inside longer tokens too (``SMS-GW_backup``); any other term
(``email``, an evidence sentence) only as whole tokens, so ``ems`` is not found in ``systems``.
Terms that are vocabulary (a framework, domain or control title, a phase or evidence-source
name, report wording) are never sensitive and are dropped before matching.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Final

from cyberready.errors import DisclosureError

__all__ = ["CONFUSABLES", "Redactor", "Term", "normalise"]

CONFUSABLES: Final[dict[str, str]] = dict(
    zip(
        # Cyrillic (lower case: upper-case letters are case-folded to these first), then Greek
        "\u0430\u0432\u0435\u0451\u043a\u043c\u043d\u043e\u0440\u0441\u0442\u0443\u0445\u0455\u0456\u0457"
        "\u0458\u04bb\u0501\u051b\u051d\u04cf\u0261"
        "\u03b1\u03b2\u03b5\u03b7\u03b9\u03ba\u03bc\u03bd\u03bf\u03c1\u03c4\u03c5\u03c7\u03b6\u03f2\u03f3",
        "abeekmhopctyxsiijhdqwlgabehikmnoptyxzcj",
        strict=True,
    )
)
"""Look-alike letters read as the Latin letter they imitate (after case folding)."""

_TOKEN: Final = re.compile(r"\w+")
_ASCII_SEPARATORS: Final = re.compile(r"[\s_\-\x00-\x1f\x7f]+")

_DROPPED: Final = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
"""Invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM."""


@lru_cache(maxsize=16384)
def _fold(cluster: str) -> str:
    """One letter (with its combining marks) normalised: ``" "`` for a separator."""
    if cluster[0] in _DROPPED:
        return ""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace() or ch == "_" or cat in ("Pd", "Zs", "Zl", "Zp", "Cc") or ch == "\u2212":
            out.append(" ")
        elif ch in _DROPPED or cat == "Cf":
            continue
        else:
            out.append(CONFUSABLES.get(ch, ch))
    return "".join(out)


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each base character with the combining marks that follow it."""
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, j
        i = j


def _mapped(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` normalised, and for each normalised character where it came from (start, end)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, j in _clusters(text):
        for ch in _fold(text[i:j]):
            if ch == " " and (not out or out[-1] == " "):
                continue
            out.append(ch)
            starts.append(i)
            ends.append(j)
    if out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return "".join(out), starts, ends


def normalise(text: str) -> str:
    """The form every comparison of sensitive text uses (see the module's rules).

    >>> normalise("VR\u2011DB") == normalise("vr_db") == normalise(" Vr  db\\n")
    True
    >>> normalise("Straße"), normalise("\u0421\u041c\u0421")  # Cyrillic
    ('strasse', 'cmc')
    """
    if text.isascii():  # the common case, without a step per character
        return _ASCII_SEPARATORS.sub(" ", text.lower()).strip(" ")
    return _mapped(text)[0]


@dataclass(frozen=True)
class Term:
    """A sensitive string and where it came from."""

    text: str
    kind: str
    """``asset id``, ``asset label``, ``evidence``, ``note`` or ``identity``."""
    source: str
    """The workspace file it was read from (``system.yaml``, ``assessment.yaml``, …)."""
    norm: str = field(default="", compare=False)

    def describe(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.kind} {shown!r} from {self.source}"


def _is_code(term: Term) -> bool:
    """An identifier-like term: no whitespace, and a digit, dash or underscore inside."""
    raw = term.text.strip()
    if any(ch.isspace() for ch in raw):
        return False
    return " " in term.norm or any(ch.isdigit() for ch in term.norm)


def _ngrams(phrases: Iterable[str], longest: int = 12) -> set[str]:
    grams: set[str] = set()
    for phrase in phrases:
        tokens = re.findall(r"\w+", normalise(phrase))
        for a in range(len(tokens)):
            for b in range(a + 1, min(len(tokens), a + longest) + 1):
                grams.add(" ".join(tokens[a:b]))
    return grams


class Redactor:
    """Finds and withholds sensitive terms (see the module's rules).

    ``vocabulary``: phrases that are never sensitive (titles, vocabulary words, report wording);
    a term that is one of their words or word sequences is dropped.
    """

    def __init__(self, terms: Iterable[Term], vocabulary: Iterable[str] = ()) -> None:
        vocab = _ngrams(vocabulary)
        by_norm: dict[str, Term] = {}
        for t in terms:
            norm = normalise(t.text)
            if len(norm.replace(" ", "")) < 2 or norm in vocab or norm in by_norm:
                continue
            if not re.search(r"\w", norm):
                continue
            by_norm[norm] = Term(t.text, t.kind, t.source, norm)
        self.terms: dict[str, Term] = by_norm
        # words: looked up by their first token and their length in tokens (a match starts and
        # ends at token boundaries); identifiers: by their first four characters and their
        # length (a match may start and end inside a token). No large regex: a national model's
        # 10^5 asset ids are indexed in well under a second, and text is scanned in one pass.
        self._words: dict[str, dict[int, dict[str, str]]] = {}
        self._codes: dict[str, dict[int, set[str]]] = {}
        self._code_key = 4
        for norm, t in by_norm.items():
            core = norm.strip(" ")
            tokens = list(_TOKEN.finditer(core))
            if not tokens:
                continue
            if _is_code(t) and len(core) >= self._code_key:
                self._codes.setdefault(core[: self._code_key], {}).setdefault(len(core), set()).add(
                    norm
                )
            else:
                inner = core[tokens[0].start() : tokens[-1].end()]
                first = tokens[0].group(0)
                self._words.setdefault(first, {}).setdefault(len(tokens), {})[inner] = norm

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _matches(self, norm: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, term) of every match in normalised text, by start, longest first."""
        found: list[tuple[int, int, str]] = []
        if self._words:
            tokens = list(_TOKEN.finditer(norm))
            for i, tok in enumerate(tokens):
                by_len = self._words.get(tok.group(0))
                if not by_len:
                    continue
                for n in sorted(by_len, reverse=True):
                    if i + n > len(tokens):
                        continue
                    end = tokens[i + n - 1].end()
                    term = by_len[n].get(norm[tok.start() : end])
                    if term is not None:
                        found.append((tok.start(), end, term))
                        break
        if self._codes:
            k = self._code_key
            for i in range(len(norm) - k + 1):
                lengths = self._codes.get(norm[i : i + k])
                if not lengths:
                    continue
                for n in sorted(lengths, reverse=True):
                    if norm[i : i + n] in lengths[n]:
                        found.append((i, i + n, norm[i : i + n]))
                        break
        found.sort(key=lambda m: (m[0], -m[1]))
        return iter(found)

    def find(self, text: str) -> Term | None:
        """The first sensitive term in ``text``, if any."""
        if not self.terms or not text:
            return None
        for _a, _b, term in self._matches(normalise(text)):
            return self.terms[term]
        return None

    def scrub(self, text: str, replacement: str = "[withheld]") -> str:
        """``text`` with every sensitive term (in any variant) replaced."""
        if not self.terms or not text:
            return text
        norm, starts, ends = _mapped(text)
        spans = [(starts[a], ends[b - 1]) for a, b, _t in self._matches(norm)]
        if not spans:
            return text
        out, pos = [], 0
        for a, b in spans:
            if a < pos:
                continue
            out.append(text[pos:a])
            out.append(replacement)
            pos = b
        out.append(text[pos:])
        return "".join(out)

    # ------------------------------------------------------------------ final output

    def check_output(self, data: bytes, fmt: str, *, html_source: str | None = None) -> None:
        """Refuse (:class:`~cyberready.errors.DisclosureError`, exit 3) a finished report whose
        text holds a sensitive term.

        Reads what a reader of the file sees: HTML text and attributes, Markdown, every JSON
        string, every XLSX cell, sheet name, header, footer and document property, and the PDF's
        text layer (with ``pdftotext`` when installed) plus the HTML it was laid out from.
        """
        if not self.terms:
            return
        for where, text in _output_texts(data, fmt, html_source):
            term = self.find(text)
            if term is not None:
                raise DisclosureError(
                    f"the {fmt.upper()} report would reveal the {term.describe()} (in its "
                    f"{where}); refusing to write it. Rename or reword it in {term.source}, or "
                    "check a custom template (--templates) that prints it"
                )


class _Text(HTMLParser):
    """Text and human-readable attributes of an HTML page (no style, script or data URLs)."""

    _ATTRS: Final = frozenset({"title", "alt", "aria-label", "content", "placeholder", "value"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in self._ATTRS and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(source: str) -> str:
    parser = _Text()
    parser.feed(source)
    parser.close()
    return "\n".join(parser.parts)


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def _xlsx_texts(data: bytes) -> Iterator[tuple[str, str]]:
    import io
    import zipfile

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=False)
    props = wb.properties
    for name in ("title", "subject", "creator", "keywords", "description", "category"):
        value = getattr(props, name, None)
        if value:
            yield "document properties", str(value)
    for ws in wb.worksheets:
        yield "sheet names", ws.title
        for part in (ws.oddHeader, ws.oddFooter):
            if part is None:  # a workbook may leave a header or footer out
                continue
            for pos in (part.left, part.center, part.right):
                if pos.text:
                    yield f"sheet {ws.title!r} header or footer", pos.text
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    yield f"sheet {ws.title!r}", value
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # custom and app properties
        for name in ("docProps/app.xml", "docProps/custom.xml"):
            if name in z.namelist():
                yield (
                    "document properties",
                    html.unescape(re.sub(r"<[^>]+>", " ", z.read(name).decode("utf-8", "replace"))),
                )


def _pdf_text(data: bytes) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    try:
        done = subprocess.run(
            [tool, "-q", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _output_texts(data: bytes, fmt: str, html_source: str | None) -> Iterator[tuple[str, str]]:
    if fmt == "html":
        yield "text", html_text(data.decode("utf-8", "replace"))
    elif fmt == "md":
        text = data.decode("utf-8", "replace")
        yield "text", html.unescape(re.sub(r"\\([\\`*_\[\]|])", r"\1", text))
    elif fmt == "json":
        for s in _json_strings(json.loads(data.decode("utf-8"))):
            yield "values", s
    elif fmt == "xlsx":
        yield from _xlsx_texts(data)
    elif fmt == "pdf":
        if html_source is not None:
            yield "text (the HTML it was laid out from)", html_text(html_source)
        layer = _pdf_text(data)
        if layer is not None:
            yield "text layer", layer

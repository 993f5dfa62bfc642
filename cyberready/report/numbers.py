"""How every quantity is written, in every report format and on the terminal: one rule each.

- **Chances and shares** (a probability, a share of risk removed, a share of controls
  answered): whole percent; a positive value that would round to 0 is ``<1%``, a value below 1
  that would round to 100 is ``>99%`` (so ``0%`` and ``100%`` are only ever exact).
- **Money**: whole US dollars with thousands separators, ``$12,000``; a range is
  ``$8,000–$12,000`` (an en dash; one figure when both ends round alike).
- **Weight points** (expected loss, its public-trust part, an action's benefit, and benefit per
  $1,000): three decimals, ``0.125``; a positive value below 0.0005 is ``<0.001``.
- **Durations**: a time to impact in hours below two days, days below three weeks, else
  weeks (:func:`duration_unit`); work effort in weeks, to the half week (:func:`half_weeks`).

Report templates use these through the filters of :mod:`cyberready.report.render`
(``pct``, ``usd``, ``usd_range``, ``points``, ``weeks``, ``hours``), XLSX reports through
:func:`excel_format` (the same rule as a number format, the cell keeping its value), and the
CLI directly.

Every function takes a ``locale``: English (the default, and the CLI's) is written by the
standard library as above; any other locale through Babel's CLDR data, with that language's
separators, percent and currency patterns (``8 %``, ``12 000 $US`` in French; ``12.000 US$`` in
Spanish), the same rounding and the same ``<1%`` / ``>99%`` / ``<0.001`` rules. Babel is
imported only for a non-English locale: the CLI imports this module at start-up.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from babel.core import Locale

__all__ = [
    "EXCEL_FORMATS",
    "Quantity",
    "chance",
    "chance_range",
    "date",
    "decimal",
    "duration",
    "duration_unit",
    "excel_format",
    "half_weeks",
    "is_english",
    "money",
    "money_range",
    "points",
    "punctuation",
    "text_direction",
    "weeks",
    "weeks_text",
    "whole",
]

NONE: Final = "—"
"""What a missing value is written as."""

Quantity = Literal["chance", "money", "points", "hours", "weeks"]

EXCEL_FORMATS: Final[dict[Quantity, str]] = {
    "chance": "0%",
    "money": '"$"#,##0',
    "points": "0.000",
    "hours": "0.0",
    "weeks": "0.0",
}
"""The XLSX number format of each quantity (see :func:`excel_format` for the edge cases)."""


def is_english(locale: str) -> bool:
    """True for English (``en``, ``en_GB``, ``en-GB``) and for a locale CLDR does not know
    (a test catalog ``xx``): written as in English, without Babel."""
    if locale.replace("-", "_").split("_")[0].lower() == "en":
        return True
    return _babel_locale(locale) is None


@functools.lru_cache(maxsize=8)
def _babel_locale(locale: str) -> Locale | None:
    from babel.core import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def _known(locale: str) -> Locale:
    """The CLDR locale of a locale :func:`is_english` said is not English."""
    loc = _babel_locale(locale)
    if loc is None:  # pragma: no cover - callers check is_english first
        raise ValueError(f"CLDR has no locale {locale!r}")
    return loc


def text_direction(locale: str) -> Literal["ltr", "rtl"]:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian…), else ``ltr``.

    >>> text_direction("en"), text_direction("ar"), text_direction("fr_CA")
    ('ltr', 'rtl', 'ltr')
    """
    if is_english(locale):
        return "ltr"
    loc = _babel_locale(locale)
    return "rtl" if loc is not None and loc.text_direction == "rtl" else "ltr"


class Punctuation(NamedTuple):
    """How a language writes the separators reports put between translated pieces."""

    colon: str
    """After a label, before its value (``Score: 62``)."""
    list_sep: str
    """Between the items of a short list (``a, b``)."""
    item_sep: str
    """Between longer items that may hold commas themselves (``a; b``)."""


_ENGLISH_PUNCTUATION: Final = Punctuation(":", ", ", "; ")
# French sets a no-break space before « : » and a narrow no-break space before « ; ! ? »;
# Arabic has its own comma and semicolon. Other languages write them as English does.
_PUNCTUATION: Final[dict[str, Punctuation]] = {
    "fr": Punctuation("\u00a0:", ", ", "\u202f; "),
    "ar": Punctuation(":", "\u060c ", "\u061b "),
}


def punctuation(locale: str) -> Punctuation:
    """The separators of ``locale``'s language (English's for a language with no rule here).

    >>> punctuation("fr_CA").colon == "\u00a0:", punctuation("ar").list_sep
    (True, '\u060c ')
    """
    language = locale.replace("-", "_").split("_")[0].lower()
    return _PUNCTUATION.get(language, _ENGLISH_PUNCTUATION)


def _percent(whole: int, locale: str) -> str:
    from babel.numbers import format_percent

    return format_percent(whole / 100, locale=_known(locale))


def chance(p: float | None, locale: str = "en") -> str:
    """A probability or a share as a whole percent.

    >>> [chance(x) for x in (0, 0.001, 0.004999, 0.005, 0.08, 0.996, 1.0, None)]
    ['0%', '<1%', '<1%', '<1%', '8%', '>99%', '100%', '—']
    >>> chance(0.08, "fr"), chance(0.001, "es")
    ('8\\xa0%', '<1\\xa0%')
    """
    if p is None:
        return NONE
    whole = round(p * 100)
    english = is_english(locale)
    if p > 0 and whole == 0:
        return "<1%" if english else "<" + _percent(1, locale)
    if p < 1 and whole >= 100:
        return ">99%" if english else ">" + _percent(99, locale)
    return f"{whole:.0f}%" if english else _percent(whole, locale)


def chance_range(lo: float, hi: float, locale: str = "en") -> str:
    """A range of chances: ``3–7%``, ``<1–2%``; one figure when both ends are written alike.

    >>> chance_range(0.031, 0.072), chance_range(0.001, 0.02), chance_range(0.5, 0.5)
    ('3–7%', '<1–2%', '50%')
    """
    a, b = chance(lo, locale), chance(hi, locale)
    if a == b:
        return a
    return f"{a.removesuffix('%')}–{b}" if is_english(locale) else f"{a}–{b}"


def money(x: float | None, locale: str = "en") -> str:
    """US dollars, whole, with thousands separators.

    >>> money(12000), money(1234567.8), money(None)
    ('$12,000', '$1,234,568', '—')
    >>> money(12000, "fr"), money(12000, "es")
    ('12\\u202f000\\xa0$US', '12.000\\xa0US$')
    """
    if x is None:
        return NONE
    if is_english(locale):
        return f"${x:,.0f}"
    from babel.numbers import format_currency

    loc = _known(locale)
    pattern = loc.currency_formats["standard"].pattern.replace(".00", "")
    text = format_currency(round(x), "USD", format=pattern, locale=loc, currency_digits=False)
    # In right-to-left text an amount is one left-to-right unit (a left-to-right isolate,
    # without CLDR's right-to-left mark), so its Latin currency code stays after the digits.
    if loc.text_direction == "rtl":
        return "\u2066" + text.replace("\u200f", "") + "\u2069"
    return text


def money_range(lo: float, hi: float, locale: str = "en") -> str:
    """A cost range in dollars: ``$8,000–$12,000`` (one figure when the ends round alike).

    >>> money_range(8000, 12000), money_range(5000, 5000.2)
    ('$8,000–$12,000', '$5,000')
    """
    a, b = money(lo, locale), money(hi, locale)
    return a if a == b else f"{a}–{b}"


def points(x: float | None, locale: str = "en") -> str:
    """Weight points (expected loss and benefits), three decimals; a negative value that rounds
    to zero (simulation noise in a benefit) is ``0.000``, not ``-0.000``.

    >>> points(1.23456), points(0.0002), points(0), points(-0.0001), points(None)
    ('1.235', '<0.001', '0.000', '0.000', '—')
    >>> points(1234.5, "fr"), points(0.0002, "es")
    ('1\\u202f234,500', '<0,001')
    """
    if x is None:
        return NONE
    value = 0.0 if -0.0005 < x <= 0 else x
    if is_english(locale):
        return "<0.001" if 0 < x < 0.0005 else f"{value:,.3f}"
    from babel.numbers import format_decimal

    loc = _known(locale)
    if 0 < x < 0.0005:
        return "<" + format_decimal(0.001, "0.000", locale=loc)
    return format_decimal(value, "#,##0.000", locale=loc)


def whole(x: float | None, locale: str = "en") -> str:
    """A whole number (a score out of 100, a count), grouped by the locale's rule.

    >>> whole(72.4), whole(None), whole(12345, "fr")
    ('72', '—', '12\\u202f345')
    """
    if x is None:
        return NONE
    if is_english(locale):
        return f"{x:.0f}"
    from babel.numbers import format_decimal

    return format_decimal(round(x), "#,##0", locale=_known(locale))


def decimal(x: float, places: int, locale: str = "en") -> str:
    """``x`` with ``places`` decimals, in the locale's style.

    >>> decimal(1.5, 2), decimal(1.5, 2, "fr")
    ('1.50', '1,50')
    """
    if is_english(locale):
        return f"{x:,.{places}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(x, pattern, locale=_known(locale))


def date(d: dt.date | None, locale: str = "en") -> str:
    """A date, written out: ``4 December 2026`` in English, the locale's long form otherwise
    (``4 décembre 2026``, ``4 de diciembre de 2026``).

    >>> import datetime
    >>> date(datetime.date(2026, 12, 4)), date(datetime.date(2026, 12, 4), "es")
    ('4 December 2026', '4 de diciembre de 2026')
    """
    if d is None:
        return NONE
    if is_english(locale):
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    from babel.dates import format_date

    return format_date(d, "long", locale=_known(locale))


_MONTHS: Final = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def duration_unit(hours: float) -> tuple[int, Literal["hour", "day", "week"]]:
    """How a time to impact is counted: hours below two days, days below three weeks, else
    weeks; returns (count, unit)."""
    if hours < 48:
        return round(hours), "hour"
    if hours < 24 * 21:
        return round(hours / 24), "day"
    return round(hours / 168), "week"


def duration(hours: float) -> str:
    """A time to impact in English (reports translate the same count and unit).

    >>> duration(5.4), duration(72), duration(24 * 30), duration(1)
    ('5 hours', '3 days', '4 weeks', '1 hour')
    """
    n, unit = duration_unit(hours)
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def half_weeks(w: float, locale: str = "en") -> tuple[str, int]:
    """Work effort rounded to the half week (at least half a week): (the number as written in
    ``locale``, the count that picks its plural form).

    >>> half_weeks(1), half_weeks(2.26), half_weeks(0.1), half_weeks(2.26, "fr")
    (('1', 1), ('2.5', 2), ('0.5', 2), ('2,5', 2))
    """
    halves = max(1, round(w * 2))
    if halves % 2 == 0:
        return decimal(halves // 2, 0, locale), halves // 2
    return decimal(halves / 2, 1, locale), 2


def weeks_text(w: float, locale: str, ngettext: Callable[[str, str, int], str]) -> str:
    """Work effort to the half week in ``locale``, the unit through its catalog's
    ``ngettext``: how reports and the CLI write an action's weeks in any language.

    >>> weeks_text(2.26, "fr", lambda one, many, n: one if n == 1 else many)
    '2,5 weeks'
    """
    text, n = half_weeks(w, locale)
    return ngettext("%(num)s week", "%(num)s weeks", n) % {"num": text}


def weeks(w: float | None) -> str:
    """Work effort in English weeks, to the half week.

    >>> weeks(1), weeks(2.26), weeks(None)
    ('1 week', '2.5 weeks', '—')
    """
    if w is None:
        return NONE
    text, n = half_weeks(w)
    return f"{text} week" if n == 1 else f"{text} weeks"


def excel_format(quantity: Quantity, value: float) -> str:
    """The XLSX number format of one cell: the quantity's format, except that a value that
    :func:`chance` or :func:`points` writes as ``<1%``, ``>99%`` or ``<0.001`` is shown so
    (the cell keeps its exact value for sorting and sums).

    >>> excel_format("chance", 0.001), excel_format("chance", 0.3), excel_format("points", 0)
    ('"<1%"', '0%', '0.000')
    """
    if quantity == "chance":
        text = chance(value)
        if text.startswith(("<", ">")):
            return f'"{text}"'
    if quantity == "points" and 0 < value < 0.0005:
        return '"<0.001"'
    return EXCEL_FORMATS[quantity]

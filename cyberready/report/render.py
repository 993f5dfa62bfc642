"""Render a report view as HTML, PDF, Markdown, JSON or XLSX.

Every format reads the view only. HTML is one self-contained file (inline CSS and SVG charts, a
Content-Security-Policy that forbids scripts and network requests) that prints well; PDF is the
same HTML laid out by WeasyPrint (the ``pdf`` extra), which is refused any URL; Markdown and HTML
come from jinja2 templates with autoescaping, rendered in jinja2's immutable sandbox (user
templates in ``templates_dir`` override the shipped ones, file by file); JSON is the view
itself; XLSX holds the findings, the risks and the roadmap. Each renderer returns the document
as ``bytes`` (UTF-8 for text formats): writing it is :mod:`cyberready.io`'s job; with a
``guard``, :func:`render` first reads the finished document back for sensitive text.

Escaping, per format: HTML autoescapes every value; Markdown escapes HTML and Markdown syntax in
every value; JSON additionally writes ``<``, ``>`` and ``&`` as ``\\u`` escapes (safe to embed in
a page); XLSX stores every text as a string with Excel's quote prefix, so a value starting with
``=`` is never a formula.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_module
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Literal

import jinja2
from markupsafe import Markup

from cyberready._version import __version__
from cyberready.errors import OptionalDependencyError, ReportError, UnsafeTemplateError
from cyberready.io import clean_text, markdown_marker
from cyberready.report import charts as ch
from cyberready.report import numbers
from cyberready.report.i18n import translations
from cyberready.report.models import (
    AdvisorView,
    DonorView,
    PlatformLevel,
    PlatformView,
    PublicView,
    ScenarioRisk,
    TechnicalView,
    View,
    risk_level,
)
from cyberready.report.redaction import Redactor

__all__ = [
    "FORMATS",
    "Format",
    "SharedCharts",
    "make_charts",
    "render",
    "render_each",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
]

Format = Literal["html", "pdf", "md", "json", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = ("html", "pdf", "md", "json", "xlsx")

ASSET_ROWS: Final = 25
"""Rows of the HTML/PDF/Markdown asset table, most exposed first (a group of generated assets is
one row; every row is in JSON and XLSX). About two printed pages."""

WHY_ROWS: Final = 12
"""Actions explained in full under the HTML priorities table."""

Gettext = Callable[[str], str]


# --------------------------------------------------------------------------- vocabulary


def _phase_names(_: Gettext) -> dict[str, str]:
    return {
        "legal_planning": _("Legal framework and planning"),
        "voter_registration": _("Voter registration"),
        "candidate_registration": _("Candidate registration"),
        "campaign": _("Campaign"),
        "voting": _("Voting"),
        "counting": _("Counting"),
        "tabulation_transmission": _("Results transmission and tabulation"),
        "results_publication": _("Results publication"),
        "post_election": _("Post-election"),
    }


def _actor_names(_: Gettext) -> dict[str, str]:
    return {
        "foreign_state": _("Foreign state"),
        "government": _("Government"),
        "criminal": _("Criminal group"),
        "hacktivist": _("Hacktivist"),
        "insider": _("Insider"),
        "accidental": _("Accident or failure"),
    }


def _objective_names(_: Gettext) -> dict[str, str]:
    return {
        "availability": _("Disrupt (availability)"),
        "integrity": _("Alter (integrity)"),
        "confidentiality": _("Leak (confidentiality)"),
        "perception": _("Undermine trust (perception)"),
    }


def _source_names(_: Gettext) -> dict[str, str]:
    return {
        "test": _("Test"),
        "observation": _("Observation"),
        "document": _("Document"),
        "interview": _("Interview"),
        "none": _("No evidence"),
    }


def _exposure_names(_: Gettext) -> dict[str, str]:
    return {
        "internet": _("Internet"),
        "internal": _("Internal network"),
        "isolated": _("Isolated"),
        "physical": _("Physical"),
    }


def _asset_type_names(pgettext: Callable[[str, str], str]) -> dict[str, str]:
    """Asset type (``tally_server``) -> its name in ``pgettext``'s language (English: the
    type's words, ``tally server``)."""
    return {
        "voter_registration_db": pgettext("asset type", "voter registration db"),
        "civil_registry_feed": pgettext("asset type", "civil registry feed"),
        "biometric_kit": pgettext("asset type", "biometric kit"),
        "registration_portal": pgettext("asset type", "registration portal"),
        "pollbook": pgettext("asset type", "pollbook"),
        "election_management_system": pgettext("asset type", "election management system"),
        "vote_capture_device": pgettext("asset type", "vote capture device"),
        "results_form": pgettext("asset type", "results form"),
        "results_transmission": pgettext("asset type", "results transmission"),
        "tally_server": pgettext("asset type", "tally server"),
        "results_website": pgettext("asset type", "results website"),
        "emb_website": pgettext("asset type", "emb website"),
        "email": pgettext("asset type", "email"),
        "staff_workstation": pgettext("asset type", "staff workstation"),
        "admin_account": pgettext("asset type", "admin account"),
        "network": pgettext("asset type", "network"),
        "data_center": pgettext("asset type", "data center"),
        "cloud_hosting": pgettext("asset type", "cloud hosting"),
        "power": pgettext("asset type", "power"),
        "vendor": pgettext("asset type", "vendor"),
        "shared_government_it": pgettext("asset type", "shared government it"),
        "social_platform": pgettext("asset type", "social platform"),
        "removable_media": pgettext("asset type", "removable media"),
        "paper_records": pgettext("asset type", "paper records"),
        "ballot_printing": pgettext("asset type", "ballot printing"),
        "candidate_registration_system": pgettext("asset type", "candidate registration system"),
        "official_device": pgettext("asset type", "official device"),
        "dns": pgettext("asset type", "dns"),
    }


def _threat_level_names(_: Gettext) -> dict[str, str]:
    return {"none": _("none"), "low": _("low"), "medium": _("medium"), "high": _("high")}


def confidence_names(_: Gettext) -> dict[str, str]:
    """Confidence band (``high``, ``medium``, ``low``, as the views write it) -> its name in
    ``_``'s language: for reports, workbooks and what the CLI prints."""
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}


def _risk_names(_: Gettext) -> dict[str, str]:
    return {
        "high": _("high"),
        "elevated": _("elevated"),
        "moderate": _("moderate"),
        "low": _("low"),
    }


def _provenance_names(_: Gettext) -> dict[str, str]:
    return {
        "official": _("official text"),
        "derived": _("derived from the source's intent"),
        "supplementary": _("supplementary: beyond the source's scope"),
    }


def _months(_: Gettext) -> list[str]:
    return [
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    ]


def _audience_texts(_: Gettext) -> dict[str, tuple[str, str, str]]:
    """audience -> (kicker, title, who it is for)."""
    return {
        "technical": (
            _("Technical report"),
            _("Election cybersecurity readiness"),
            _("EMB IT and security staff: includes system names, attack paths and evidence."),
        ),
        "advisor": (
            _("Advisor report"),
            _("Election cybersecurity readiness"),
            _(
                "Technical-assistance advisors: the technical report plus roadmap, crosswalks "
                "and assumptions."
            ),
        ),
        "donor": (
            _("Donor summary"),
            _("Election cybersecurity readiness"),
            _("Donors and partners: readiness and priorities by domain, without system detail."),
        ),
        "public": (
            _("Public transparency summary"),
            _("Election cybersecurity preparedness"),
            _(
                "The public: readiness bands by domain, progress since the last assessment, the "
                "measures under way and planned, and how the assessment was done."
            ),
        ),
        "platform": (
            _("Platform scorecard"),
            _("Election-integrity commitments"),
            _(
                "The technology company and the EMB: each commitment's level, the evidence "
                "and what the EMB asks next."
            ),
        ),
    }


def _tlp_texts(_: Gettext) -> dict[str, str]:
    return {
        "TLP:AMBER+STRICT": _(
            "Limited disclosure: share only within the recipient organisation, on a "
            "need-to-know basis."
        ),
        "TLP:AMBER": _(
            "Limited disclosure: share only within the recipient organisation and its clients, "
            "on a need-to-know basis."
        ),
        "TLP:GREEN": _(
            "Limited disclosure: share within the recipient's community, not through publicly "
            "accessible channels."
        ),
        "TLP:CLEAR": _("Disclosure is not limited: may be published and shared freely."),
    }


def banner_text(tlp: str, gettext: Gettext) -> str:
    """The explanation of a TLP label, in the report's language."""
    return _tlp_texts(gettext)[tlp]


SYSTEM_WORDS: Final = ("asset type", "asset field")
"""Contexts of catalog messages that name what an EMB's own files may also use as names
(an asset called ``email`` or ``dns``): they are report words, but never vocabulary that
makes a term safe to disclose."""


@functools.lru_cache(maxsize=1)
def _catalog_messages() -> tuple[str, ...]:
    """Every message id of the shipped catalog template (``locales/cyberready.pot``), but the
    :data:`SYSTEM_WORDS`."""
    from cyberready.report.i18n import catalog_messages

    try:
        return tuple(catalog_messages(SYSTEM_WORDS))
    except OSError:  # pragma: no cover - the catalog template ships with the package
        return ()


def vocabulary_texts(locale: str = "en") -> list[str]:
    """The reports' own words: every message of the catalog (template and code wording) in
    English and in ``locale``, and the vocabulary words with their display names (phases,
    actors, evidence sources, provenance, levels, months). None of it is ever sensitive."""
    t = translations(locale)
    _ = t.gettext
    out: list[str] = []
    for msgid in _catalog_messages():
        out += [msgid, _(msgid)]
    for names in (
        _phase_names(_),
        _actor_names(_),
        _objective_names(_),
        _source_names(_),
        _exposure_names(_),
        _threat_level_names(_),
        confidence_names(_),
        _risk_names(_),
        _provenance_names(_),
    ):
        out += [*names, *names.values()]
    out += _months(_)
    for texts in _audience_texts(_).values():
        out += texts
    out += list(_tlp_texts(_).values())
    return out


# --------------------------------------------------------------------------- formatting


def _css_string(text: object) -> Markup:
    """A CSS string literal, every character outside [A-Za-z0-9 ] written as a CSS escape."""
    out = []
    for ch_ in str(text):
        if ch_.isascii() and (ch_.isalnum() or ch_ == " "):
            out.append(ch_)
        else:
            out.append(f"\\{ord(ch_):x} ")
    return Markup('"' + "".join(out) + '"')


_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]|])")


def md_escape(value: object) -> Markup:
    r"""Text made inert for Markdown: HTML escaped (no tag or entity survives), the Markdown
    characters that make links, images, emphasis, code and table cells backslash-escaped, and
    line breaks turned into spaces (so a value cannot break a table row or start a block).
    Values already marked safe (template text, macro output) pass unchanged.

    >>> print(md_escape("<b>[x](javascript:alert(1))</b> | *y*"))
    &lt;b&gt;\[x\](javascript:alert(1))&lt;/b&gt; \| \*y\*
    """
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(re.sub(r"[\r\n]+", " ", text))


def _md_join(items: object, sep: str = "") -> Markup:
    values = list(items) if isinstance(items, list | tuple) else [items]
    return md_escape(sep).join(md_escape(v) for v in values)


def _md_code(value: object) -> Markup:
    text = str(value).replace("`", "'").replace("\n", " ").replace("|", "\\|")
    return Markup(f"`{text}`")


class _Formatters:
    """Filters and globals of the template environment, bound to one language."""

    def __init__(
        self,
        t: gettext_module.NullTranslations,
        tiers: list[tuple[float, str]],
        locale: str = "en",
    ) -> None:
        self.locale = locale
        self.list_sep = numbers.punctuation(locale).list_sep
        self._ = t.gettext
        self.ngettext = t.ngettext
        self.tiers = tiers
        self.phases = _phase_names(self._)
        self.actors = _actor_names(self._)
        self.objectives = _objective_names(self._)
        self.sources = _source_names(self._)
        self.exposures = _exposure_names(self._)
        self.confidences = confidence_names(self._)
        self.risks = _risk_names(self._)
        self.provenances = _provenance_names(self._)
        self.threat_levels = _threat_level_names(self._)
        self.asset_types = _asset_type_names(t.pgettext)

    def date(self, d: dt.date | None) -> str:
        if d is None or numbers.is_english(self.locale):
            return numbers.date(d)
        return numbers.date(d, self.locale)

    def pct(self, p: float | None) -> str:
        return numbers.chance(p, self.locale)

    def score(self, x: float | None) -> str:
        return numbers.whole(x, self.locale)

    def usd(self, x: float | None) -> str:
        return numbers.money(x, self.locale)

    def usd_range(self, lo: float, hi: float) -> str:
        return numbers.money_range(lo, hi, self.locale)

    def points(self, x: float | None) -> str:
        return numbers.points(x, self.locale)

    def hours(self, h: float) -> str:
        n, unit = numbers.duration_unit(h)
        if unit == "hour":
            return self.ngettext("%(num)d hour", "%(num)d hours", n) % {"num": n}
        if unit == "day":
            return self.ngettext("%(num)d day", "%(num)d days", n) % {"num": n}
        return self.ngettext("%(num)d week", "%(num)d weeks", n) % {"num": n}

    def weeks(self, w: float | None) -> str:
        if w is None:
            return "—"
        return numbers.weeks_text(w, self.locale, self.ngettext)

    def chance_level(self, p: float, level: str | None = None) -> str:
        """A chance with its plain-language level: ``8% (low)`` in every format."""
        word = self.risks.get(level or risk_level(p), level or risk_level(p))
        return f"{self.pct(p)} ({word})"

    def asset_type(self, t: str) -> str:
        return self.asset_types.get(t, t.replace("_", " "))

    def likelihood_origin(self, s: ScenarioRisk) -> str:
        """Where a scenario's effective likelihood comes from, in words."""
        base = self.pct(s.base_likelihood)
        if s.likelihood_origin == "emb":
            text = self._("set by the EMB (generic %(base)s)") % {"base": base}
            return f"{text}: {s.likelihood_rationale}" if s.likelihood_rationale else text
        if s.likelihood_origin == "actor":
            return self._("generic %(base)s, %(actor)s at threat level %(level)s") % {
                "base": base,
                "actor": self.actors.get(s.actor, s.actor),
                "level": self.threat_levels.get(s.actor_level or "medium", s.actor_level),
            }
        return self._("generic")

    def tier_index(self, name: str) -> int:
        names = [n for _lo, n in self.tiers]
        if name not in names:
            return 0
        k = names.index(name)
        return round(k * 3 / max(len(names) - 1, 1))

    def units(
        self, audience: str = "technical", tiers: list[tuple[float, str]] | None = None
    ) -> list[tuple[str, str]]:
        """(term, meaning) of every unit and number style a report uses: the glossary's
        entries in HTML and Markdown, and the XLSX reports' Units sheet. A public summary's
        bands are ``tiers`` (the formatter's own without)."""
        _ = self._
        tiers = self.tiers if tiers is None else tiers
        if audience == "public":
            return [
                (
                    _("Readiness band"),
                    _(
                        "A named range of readiness, from the lowest band to the highest: "
                        "%(bands)s. The summary gives bands, not scores."
                    )
                    % {"bands": ", ".join(name for _lo, name in tiers)},
                )
            ]
        if audience == "platform":
            return [
                (
                    _("Maturity level"),
                    _(
                        "How far a commitment is in place, from 0 (not at all) to 4 (in place, "
                        "tested and improved), with its name on the framework's scale."
                    ),
                ),
                (
                    _("Score"),
                    _(
                        "The weighted mean of the commitments' levels, on a scale of 0 to 100 "
                        "(level 4 = 100); unanswered commitments count as 0."
                    ),
                ),
            ]
        out = [
            (
                _("Weight points"),
                _(
                    "The unit of expected loss. Each election function has a weight from 1 to 5 "
                    "(its importance): a function certain to fail this cycle counts as its "
                    "weight; a full loss of public trust counts as the EMB's public-confidence "
                    "weight. Only differences and shares of weight points mean something."
                ),
            ),
            (
                _("Share of simulated risk removed"),
                _(
                    "How much an action or a plan lowers the expected loss, as a share of "
                    "today's total expected loss."
                ),
            ),
            (
                _("Costs"),
                _(
                    "Estimated costs in US dollars, as low–high ranges from the framework "
                    "(e.g. $8,000–$12,000); plans and rankings use the midpoint."
                ),
            ),
            (
                _("Chances and shares"),
                _(
                    "Written as whole percentages: <1% is above zero but under half a percent, "
                    ">99% is under 100%; 0% and 100% are exact."
                ),
            ),
        ]
        if audience != "donor":
            out.insert(
                1,
                (
                    _("Benefit per $1k"),
                    _(
                        "An action's benefit (the weight points of expected loss it removes) per "
                        "$1,000 of its mid-range cost, used to rank actions."
                    ),
                ),
            )
        return out

    def filters(self) -> dict[str, Callable[..., Any]]:
        """The template filters: they depend on the language only (a view's tiers are read
        from the template's ``view``), so one environment serves every view of a language."""

        @jinja2.pass_context
        def units(context: jinja2.runtime.Context, audience: str = "technical") -> Any:
            view = context.get("view")
            tiers = _view_tiers(view) if view is not None else None
            return self.units(audience, tiers)

        return {
            "units": units,
            "pct": self.pct,
            "score": self.score,
            "usd": self.usd,
            "usd_range": self.usd_range,
            "points": self.points,
            "weeks": self.weeks,
            "chance_level": self.chance_level,
            "css_string": _css_string,
            "date": self.date,
            "hours": self.hours,
            "phase": lambda p: self.phases.get(p, p),
            "phases": lambda ps: numbers.punctuation(self.locale).list_sep.join(
                self.phases.get(p, p) for p in ps
            ),
            "actor": lambda a: self.actors.get(a, a),
            "objective": lambda o: self.objectives.get(o, o),
            "source": lambda s: self.sources.get(s, s),
            "exposure": lambda e: self.exposures.get(e, e),
            "confidence": lambda c: self.confidences.get(c, c),
            "provenance": lambda p: self.provenances.get(p, p),
            "threat_level": lambda lv: self.threat_levels.get(lv, lv),
            "likelihood_origin": self.likelihood_origin,
            "risk_level": risk_level,
            "risk_text": lambda r: self.risks.get(r, r),
            "change": lambda c: _change_text(c, self._),
            "asset_type": self.asset_type,
            "md": md_escape,
            "code": _md_code,
        }


# --------------------------------------------------------------------------- environment


def sandboxed_environment(**options: Any) -> jinja2.Environment:
    """A jinja2 environment that runs templates in jinja2's immutable sandbox: a template reads
    the values it is given and calls the filters it is offered, and nothing else (no attribute
    starting with ``_``, no function's globals, no method that changes a value). Every report
    template, shipped or from ``--templates``, is rendered in one."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(**options)


class _OverridingLoader(jinja2.BaseLoader):
    """The files of a templates folder, then the shipped templates; a template the environment
    has compiled is read again when its file in the folder appears, changes or goes (the
    environment is kept between reports: see :func:`_shared_environment`)."""

    def __init__(self, folder: Path, shipped: jinja2.BaseLoader) -> None:
        self.folder = folder
        self.own = jinja2.FileSystemLoader(str(folder))
        self.shipped = shipped

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        own = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        overridden = own.is_file()
        loader = self.own if overridden else self.shipped
        source, filename, uptodate = loader.get_source(environment, template)

        def fresh() -> bool:
            return own.is_file() == overridden and (uptodate is None or uptodate())

        return source, filename, fresh

    def list_templates(self) -> list[str]:
        return sorted({*self.own.list_templates(), *self.shipped.list_templates()})


def _loader(templates_dir: Path | None) -> jinja2.BaseLoader:
    shipped = jinja2.PackageLoader("cyberready.report", "templates")
    if templates_dir is None:
        return shipped
    return _OverridingLoader(templates_dir, shipped)  # a folder: checked by _environment


def _environment(
    view: View, kind: Literal["html", "md"], templates_dir: Path | None
) -> tuple[jinja2.Environment, _Formatters]:
    """The template environment of ``view``'s language and ``kind`` (shared, never changed),
    and the view's formatters (its tiers, for the template context)."""
    if templates_dir is not None and not templates_dir.is_dir():
        raise ReportError(f"--templates {templates_dir}: not a folder")
    locale = view.meta.locale
    t = translations(locale)
    where = None if templates_dir is None else templates_dir.resolve()
    # English (no catalog) is a new NullTranslations each time: one key for all of them
    catalog = None if type(t) is gettext_module.NullTranslations else t
    env = _shared_environment(kind, where, locale, catalog)
    return env, _Formatters(t, _view_tiers(view), locale)


@functools.lru_cache(maxsize=32)
def _shared_environment(
    kind: Literal["html", "md"],
    where: Path | None,
    locale: str,
    catalog: gettext_module.NullTranslations | None,
) -> jinja2.Environment:
    """The sandboxed environment of a kind of template (``html`` or ``md``), a templates folder
    (``where``: its absolute path, so a change of working folder cannot mix two folders up), a
    language and its compiled catalog (None: English), made once per process so its compiled
    templates serve every later report.

    Sharing it is safe: it is fully configured here and never changed afterwards (renders only
    call ``get_template`` and ``render``, which jinja2 allows from several threads); nothing
    of a view is in it: its gettext and filters depend on the language only, a view's values
    and tiers come in each render's context. An edited catalog is a new compiled catalog
    (:func:`~cyberready.report.i18n.translations` keys it by the file's version), so a new
    environment; a template is read again when its file in ``where`` appears, changes
    or goes (:class:`_OverridingLoader`). At most 32 environments are kept.
    """
    t = catalog or gettext_module.NullTranslations()
    fmt = _Formatters(t, [], locale)
    if kind == "html":
        env = sandboxed_environment(
            loader=_loader(where),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    else:
        env = sandboxed_environment(
            loader=_loader(where),
            autoescape=True,
            finalize=md_escape,
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    install = env.install_gettext_translations  # type: ignore[attr-defined]  # by ext.i18n
    install(t, newstyle=True)
    env.filters.update(fmt.filters())
    if kind == "md":
        env.filters["join"] = _md_join
    return env


def _view_tiers(view: View) -> list[tuple[float, str]]:
    """The tier thresholds (min, name) a view is read with; a public view has only the names
    (its bands), which is all its templates need."""
    if isinstance(view, PublicView):
        return [(float(k), name) for k, name in enumerate(view.bands)]
    if isinstance(view, PlatformView):
        return list(view.tiers)
    return [(lo, name) for lo, name in view.readiness.tiers]


_TLP_COLOURS: Final = {
    "TLP:GREEN": ("tlp-green", "#33ff00"),
    "TLP:CLEAR": ("tlp-clear", "#ffffff"),
}


def _context(view: View, fmt: _Formatters) -> dict[str, Any]:
    _ = fmt._
    kicker, title, audience_text = _audience_texts(_)[view.audience]
    tlp = view.banner.tlp
    scenario_titles: dict[str, str] = {}
    function_titles: dict[str, str] = {}
    if isinstance(view, TechnicalView):
        scenario_titles = {s.scenario_id: s.title for s in view.scenarios}
        function_titles = {f.function_id: f.title for f in view.functions}
    return {
        "view": view,
        "report_kicker": kicker,
        "report_title": title,
        "audience_text": audience_text,
        "tlp_class": _TLP_COLOURS.get(tlp, ("tlp-amber", ""))[0],
        "tlp_colour": _TLP_COLOURS.get(tlp, ("", "#ffc000"))[1],
        "text_direction": numbers.text_direction(view.meta.locale),
        # the language's separators: "{{ _("Score") }}{{ colon }} 62", "| join(list_sep)"
        **numbers.punctuation(view.meta.locale)._asdict(),
        "footer_text": f"{view.meta.emb_name} · {kicker} · {tlp}",
        "tier_index": fmt.tier_index,
        "asset_rows": ASSET_ROWS,
        "why_rows": WHY_ROWS,
        "scenario_titles": scenario_titles,
        "function_titles": function_titles,
    }


def _template_name(view: View, suffix: str) -> str:
    return f"{view.audience}.{suffix}.j2"


def _template_file(env: jinja2.Environment, name: str) -> str:
    """Where template ``name`` is read from (a ``--templates`` file or the shipped one)."""
    try:
        _source, filename, _up = (env.loader or jinja2.BaseLoader()).get_source(env, name)
    except jinja2.TemplateNotFound:
        return name
    return filename or name


def _render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    from jinja2.exceptions import SecurityError

    try:
        return env.get_template(name).render(context)
    except SecurityError as exc:
        raise UnsafeTemplateError(
            f"template {_template_file(env, name)}: refused an unsafe operation ({exc}); "
            "templates may only show the report's values and use its filters"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise UnsafeTemplateError(f"template {exc.name!r} not found") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise UnsafeTemplateError(
            f"template {exc.filename or exc.name}:{exc.lineno}: {exc.message}"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise UnsafeTemplateError(f"template {_template_file(env, name)}: {exc.message}") from exc
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise UnsafeTemplateError(f"template {_template_file(env, name)}: {exc}") from exc


# --------------------------------------------------------------------------- charts


def make_charts(view: View, gettext: Gettext | None = None) -> dict[str, str]:
    """The SVG charts of a view, by name (what the HTML templates show as ``charts[name]``).

    Technical and advisor views: ``readiness``, ``trend`` (with two or more assessments),
    ``heatmap``, ``time_to_impact``, ``graph``, ``cost_benefit``; donor views: ``readiness``,
    ``trend`` and ``priorities``; public and platform views: none.
    """
    _ = gettext or translations(view.meta.locale).gettext
    if isinstance(view, PublicView | PlatformView):
        return {}  # no chart: a chart of scores would show what these views leave out
    r = view.readiness
    tiers = list(r.tiers)
    figures: dict[str, tuple[Any, str]] = {}
    if r.domains:
        figures["readiness"] = (
            ch.readiness_chart(r.domains, tiers, _),
            _("Readiness score of each domain, coloured by tier."),
        )
    if len(r.trend) > 1:
        figures["trend"] = (ch.trend_chart(r.trend, tiers, _), _("Overall readiness over time."))
    if isinstance(view, DonorView):
        if view.priorities:
            figures["priorities"] = (
                ch.donor_priority_chart(view.priorities, _, view.meta.locale),
                _("Recommended investment by domain."),
            )
    else:
        if view.scenarios and view.functions:
            figures["heatmap"] = (
                ch.heatmap_chart(
                    view.scenarios,
                    [(f.function_id, f.title) for f in view.functions],
                    view.matrix,
                    _,
                    view.meta.locale,
                ),
                _("Chance each election function fails if a threat is attempted."),
            )
        if any(s.hours_to_failure for s in view.scenarios):
            figures["time_to_impact"] = (
                ch.time_to_impact_chart(view.scenarios, _),
                _("How fast each threat can disrupt the election."),
            )
        if view.graph_nodes:
            figures["graph"] = (
                ch.graph_chart(view.graph_nodes, view.graph_edges, _),
                _("Assets coloured by their chance of compromise."),
            )
        if any(a.simulated for a in view.actions):
            figures["cost_benefit"] = (
                ch.cost_benefit_chart(view.actions, _, view.meta.locale),
                _("Cost and risk removed by each recommended action."),
            )
    font = ch.script_font(view.meta.locale)
    return {
        name: ch.to_svg(fig, name, description=desc, font=font)
        for name, (fig, desc) in figures.items()
    }


class SharedCharts:
    """The charts drawn for the views of one call, so that views showing the same charts
    (the technical and advisor views of one assessment) have them drawn once: give the same
    instance to each :func:`render_each` of the call, and drop it afterwards.

    Views share charts when everything :func:`make_charts` reads from them is equal (their
    readiness, scenarios, functions, matrix, graph and actions, and their language); a donor
    view's charts are drawn for it alone.
    """

    def __init__(self) -> None:
        self._drawn: list[tuple[tuple[object, ...], dict[str, str]]] = []

    def __call__(self, view: View, gettext: Gettext) -> dict[str, str]:
        """``view``'s charts: the ones drawn for an earlier view with the same inputs, or
        :func:`make_charts`'s."""
        if not isinstance(view, TechnicalView):
            return make_charts(view, gettext)
        key = _chart_inputs(view)
        for inputs, svgs in self._drawn:
            if inputs == key:
                return svgs
        svgs = make_charts(view, gettext)
        self._drawn.append((key, svgs))
        return svgs


def _chart_inputs(view: TechnicalView) -> tuple[object, ...]:
    """Everything :func:`make_charts` reads from a technical or advisor view (keep in step)."""
    return (
        view.meta.locale,
        view.readiness,
        view.scenarios,
        view.functions,
        view.matrix,
        view.graph_nodes,
        view.graph_edges,
        view.actions,
    )


# --------------------------------------------------------------------------- renderers


def render_html(view: View, *, templates_dir: Path | None = None) -> str:
    """The report as one self-contained HTML page."""
    return _html(view, templates_dir, None)


def _html(
    view: View, templates_dir: Path | None, charts: Callable[[View, Gettext], dict[str, str]] | None
) -> str:
    """:func:`render_html`, its charts from ``charts`` (:func:`make_charts` without)."""
    env, fmt = _environment(view, "html", templates_dir)
    context = _context(view, fmt)
    svgs = (charts or make_charts)(view, fmt._)
    context["charts"] = {k: Markup(v) for k, v in svgs.items()}
    return _render_template(env, _template_name(view, "html"), context)


def render_markdown(view: View, *, templates_dir: Path | None = None) -> str:
    """The report as Markdown (GitHub-flavoured tables; no charts)."""
    env, fmt = _environment(view, "md", templates_dir)
    text = tidy_markdown(_render_template(env, _template_name(view, "md"), _context(view, fmt)))
    return text + markdown_marker(__version__)


def tidy_markdown(text: str) -> str:
    """One blank line before every heading, table and list, none doubled, no trailing spaces.

    >>> print(tidy_markdown("text\\n## Head\\n\\n\\n| a |\\n|---|\\nend  \\n"))
    text
    <BLANKLINE>
    ## Head
    <BLANKLINE>
    | a |
    |---|
    <BLANKLINE>
    end
    <BLANKLINE>
    """
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        prev = out[-1] if out else ""
        starts_block = (
            line.startswith("#")
            or (line.startswith("|") and not prev.startswith("|"))
            or (re.match(r"^(\d+\.|-) ", line) is not None and not re.match(r"^(\d+\.|-) ", prev))
        )
        ends_table = prev.startswith("|") and line and not line.startswith("|")
        if (starts_block or ends_table or prev.startswith("#")) and prev and line:
            out.append("")
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def render_json(view: View) -> str:
    """The view as JSON (its schema: :func:`~cyberready.report.models.view_schema`)."""
    text = view.model_dump_json(indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def _data_urls_only(weasyprint: Any) -> Any:
    """A WeasyPrint URL fetcher that serves inline ``data:`` URLs (chart rasters) only: no
    network, no file is ever read while a report is laid out."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint >= 68
        return weasyprint.URLFetcher(allowed_protocols=("data",))

    def fetch(url: str, *args: object, **kwargs: object) -> Any:  # pragma: no cover - old API
        if not url.startswith("data:"):
            raise ValueError(f"reports never fetch resources (refused {url[:80]!r})")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


def html_to_pdf(html: str) -> bytes:
    """An HTML report laid out as PDF by WeasyPrint (the ``pdf`` extra): no URL is fetched, and
    the document carries no date of its own (the same page gives the same bytes)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise OptionalDependencyError("pdf", "PDF reports") from exc
    html = clean_text(html)  # PDF metadata: no terminal escapes
    doc = weasyprint.HTML(string=html, url_fetcher=_data_urls_only(weasyprint), base_url=None)
    pdf = doc.write_pdf(
        metadata=None,
        pdf_identifier=b"cyberready",
        uncompressed_pdf=False,
    )
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf without a target returns bytes
        raise ReportError("WeasyPrint returned no PDF")
    return pdf


def render_pdf(view: View, *, templates_dir: Path | None = None) -> bytes:
    """The HTML report laid out as PDF by WeasyPrint (the ``pdf`` extra)."""
    return html_to_pdf(render_html(view, templates_dir=templates_dir))


def render(
    view: View,
    fmt: Format,
    *,
    templates_dir: Path | None = None,
    guard: Redactor | None = None,
) -> bytes:
    """The report in format ``fmt`` (html, pdf, md, json or xlsx), as bytes.

    With ``guard`` (the workspace's :class:`~cyberready.report.redaction.Redactor`, given for
    every donor report), the finished document is read back and refused
    (:class:`~cyberready.errors.ReportError`) if its text holds a sensitive term. Several
    formats of one view: :func:`render_each`, which lays out the HTML page once.
    """
    page = functools.partial(render_html, view, templates_dir=templates_dir)
    return _render(view, fmt, page, templates_dir, guard)


def render_each(
    view: View,
    fmts: Iterable[Format],
    *,
    templates_dir: Path | None = None,
    guard: Redactor | None = None,
    charts: SharedCharts | None = None,
) -> Iterator[tuple[Format, bytes]]:
    """Each format of ``fmts`` in turn, with its bytes: what :func:`render` gives for each, but
    the HTML page (its charts drawn by matplotlib, the slow part) is made once and serves the
    HTML and the PDF. Nothing is kept after the last one is given. With ``charts`` (one
    :class:`SharedCharts` for the views of a call), charts already drawn for another view with
    the same inputs are reused.
    """
    page = functools.cache(lambda: _html(view, templates_dir, charts))
    for fmt in fmts:
        yield fmt, _render(view, fmt, page, templates_dir, guard)


def _render(
    view: View,
    fmt: Format,
    html: Callable[[], str],
    templates_dir: Path | None,
    guard: Redactor | None,
) -> bytes:
    """:func:`render`, with the view's HTML page from ``html`` (also the PDF's source)."""
    html_source: str | None = None
    if fmt == "html":
        data = html().encode("utf-8")
    elif fmt == "md":
        data = render_markdown(view, templates_dir=templates_dir).encode("utf-8")
    elif fmt == "json":
        data = render_json(view).encode("utf-8")
    elif fmt == "pdf":
        html_source = html()
        if guard is not None:  # refuse before laying out a page that would be refused anyway
            guard.check_output(html_source.encode("utf-8"), "html")
        data = html_to_pdf(html_source)
    elif fmt == "xlsx":
        data = render_xlsx(view)
    else:
        raise ReportError(f"unknown report format {fmt!r}; valid: {', '.join(FORMATS)}")
    if guard is not None:
        guard.check_output(data, fmt, html_source=html_source)
    return data


def fixed_xlsx(data: bytes, when: dt.date | None) -> bytes:
    """An XLSX file made reproducible: its created and modified properties set to ``when``
    (the assessment date; 2000-01-01 without one) and every zip entry dated the same, so the
    same input gives the same bytes."""
    import zipfile

    day = when or dt.date(2000, 1, 1)
    stamp = f"{day.isoformat()}T00:00:00Z"
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}\b[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, (day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            out.writestr(entry, body)
    return buf.getvalue()


# --------------------------------------------------------------------------- XLSX

_ILLEGAL_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, tuple | list):
        value = ", ".join(str(v) for v in value)
    return _ILLEGAL_XML.sub("", str(value))


def render_xlsx(view: View) -> bytes:
    """Findings, risks and priorities as a workbook; every sheet starts with the TLP label."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    t = translations(view.meta.locale)
    _ = t.gettext
    fmt = _Formatters(t, _view_tiers(view), view.meta.locale)
    wb = Workbook()
    default = wb.worksheets[0]  # a new workbook's one sheet, removed once ours are added
    tlp = view.banner.tlp
    banner_fill = PatternFill("solid", fgColor="000000")
    banner_font = Font(bold=True, color=_TLP_COLOURS.get(tlp, ("", "#ffc000"))[1][1:].upper())
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E4E7EB")

    # number formats by column header (or, on the Summary sheet, by item): shares and chances
    # as percentages, money as whole dollars, hours with one decimal, loss in weight points
    percent = {
        _("Answered"),
        _("Chance of failure"),
        _("Chance of compromise"),
        _("Lowest in the group"),
        _("Highest in the group"),
        _("Chance of failure (no attacker)"),
        _("Risk removed"),
        _("Likelihood"),
        _("Generic likelihood"),
        _("Some function fails, if attempted"),
        _("Public trust lost, if attempted"),
        _("Risk removed this cycle"),
        _("Next cycle"),
        _("Budget plan: share of risk removed this cycle"),
        _("Budget plan: share of risk removed from the next cycle on"),
    }
    hours = {
        _("Hours to impact, 10th percentile"),
        _("Hours to impact, median"),
        _("Hours to impact, 90th percentile"),
    }
    points = {_("Expected loss (weight points)"), _("Of which public trust (weight points)")}

    def quantity(name: str) -> numbers.Quantity | None:
        if name in percent:
            return "chance"
        if name in hours:
            return "hours"
        if name in points:
            return "points"
        if name == _("Weeks"):
            return "weeks"
        if "(USD)" in name:
            return "money"
        return None

    def set_format(cell: Any, kind: numbers.Quantity | None) -> None:
        """The quantity's number format (numbers.py: the same rule as the other formats)."""
        if kind is not None and isinstance(cell.value, int | float):
            cell.number_format = numbers.excel_format(kind, float(cell.value))

    def sheet(title: str, headers: list[str], rows: list[list[object]]) -> None:
        ws = wb.create_sheet(title)
        ws.append([tlp, view.banner.text])
        for c in ws[1]:
            c.fill, c.font = banner_fill, banner_font
        ws.oddHeader.center.text = tlp
        ws.oddFooter.center.text = tlp
        ws.append(headers)
        for c in ws[2]:
            c.font, c.fill = head_font, head_fill
        for row in rows:
            ws.append([_cell_value(v) for v in row])
        for r in ws.iter_rows(min_row=1):
            for c in r:
                if isinstance(c.value, str):
                    c.data_type = "s"
                    c.quotePrefix = True
        ws.freeze_panes = "A3"
        if rows:
            ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{len(rows) + 2}"
        for k, h in enumerate(headers, start=1):
            width = max([len(h)] + [len(str(r[k - 1])) for r in rows[:200] if k - 1 < len(r)])
            ws.column_dimensions[get_column_letter(k)].width = min(max(width + 2, 8), 60)
            column_kind = quantity(h)
            for c in ws[get_column_letter(k)][2:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                set_format(c, column_kind)
        if headers == [_("Item"), _("Value")]:
            for item, value in ws.iter_rows(min_row=3, max_col=2):
                set_format(value, quantity(str(item.value)))

    def finish() -> bytes:
        sheet(_("Units"), [_("Term"), _("Meaning")], [list(u) for u in fmt.units(view.audience)])
        wb.remove(default)
        wb.properties.creator = f"cyberready {__version__}"
        buf = io.BytesIO()
        wb.save(buf)
        return fixed_xlsx(buf.getvalue(), view.meta.as_of)

    if isinstance(view, PublicView):
        _public_sheets(view, sheet, fmt)
        return finish()
    if isinstance(view, PlatformView):
        _platform_sheets(view, sheet, fmt)
        return finish()
    r = view.readiness
    m = view.meta
    summary: list[list[object]] = [
        [_("EMB"), m.emb_name],
        [_("Election"), m.election_name or ""],
        [_("Polling day"), m.election_date],
        [_("Assessment date"), m.as_of],
        [_("Overall readiness"), round(r.score, 1)],
        [_("Likely range"), f"{r.low:.0f}–{r.high:.0f}"],
        [_("Tier"), r.tier],
        [_("Confidence"), fmt.confidences.get(r.confidence, r.confidence)],
        [_("Answered"), round(r.coverage, 3)],
        [_("cyberready version"), m.cyberready_version],
        [
            _("Likelihoods"),
            _("the EMB's threat context") if m.threat_context else _("generic"),
        ],
        [_("Weight of a full loss of public trust"), m.public_confidence_weight],
    ]
    if isinstance(view, TechnicalView):
        summary.append([_("Expected loss (weight points)"), round(view.expected_loss, 4)])
        summary.append([_("Of which public trust (weight points)"), round(view.trust_loss, 4)])
        if view.threat_context is not None:
            summary.append([_("Threat context"), view.threat_context.source])
            summary += [
                [fmt.actors.get(a.actor, a.actor), fmt.threat_levels.get(a.level, a.level)]
                for a in view.threat_context.actors
            ]
    if view.plan:
        summary += [
            [_("Budget (USD)"), view.plan.budget_usd],
            [_("Budget plan: actions"), view.plan.actions],
            [_("Budget plan: cost low (USD)"), view.plan.cost_low],
            [_("Budget plan: cost high (USD)"), view.plan.cost_high],
            [
                _("Budget plan: share of risk removed this cycle"),
                round(view.plan.risk_reduction_share, 4),
            ],
            [
                _("Budget plan: share of risk removed from the next cycle on"),
                round(view.plan.next_cycle_share, 4),
            ],
        ]
    sheet(_("Summary"), [_("Item"), _("Value")], summary)
    sheet(
        _("Readiness"),
        [
            _("Framework"),
            _("Domain"),
            _("Score"),
            _("Low"),
            _("High"),
            _("Tier"),
            _("Answered"),
            _("Not assessed"),
            _("Target"),
        ],
        [
            [
                d.framework_title,
                d.title,
                round(d.score, 1),
                round(d.low, 1),
                round(d.high, 1),
                d.tier,
                round(d.coverage, 3),
                d.unassessed,
                None if d.target is None else round(d.target, 1),
            ]
            for d in r.domains
        ],
    )
    if isinstance(view, DonorView):
        sheet(
            _("Functions"),
            [_("Election function"), _("Phase"), _("Chance of failure"), _("Level")],
            [
                [
                    f.title,
                    ", ".join(fmt.phases.get(p, p) for p in f.phases),
                    f.p_fail,
                    fmt.risks[f.level],
                ]
                for f in view.functions
            ],
        )
        sheet(
            _("Priorities"),
            [
                _("Rank"),
                _("Framework"),
                _("Domain"),
                _("Funded actions"),
                _("Actions"),
                _("Cost low (USD)"),
                _("Cost high (USD)"),
                _("Risk removed this cycle"),
                _("Next cycle"),
                _("Readiness gain"),
                _("Protects"),
                _("Ready before"),
            ],
            [
                [
                    p.rank,
                    p.framework_title,
                    p.domain_title,
                    "; ".join(p.action_titles),
                    p.actions,
                    p.cost_low,
                    p.cost_high,
                    round(p.risk_reduction_share, 4),
                    round(p.next_cycle_share, 4),
                    round(p.readiness_gain, 2),
                    p.protects,
                    fmt.phases.get(p.ready_by, p.ready_by) if p.ready_by else "",
                ]
                for p in view.priorities
            ],
        )
    else:
        _technical_sheets(view, sheet, fmt)
    if view.platforms:
        sheet(
            _("Platforms"),
            [_("Company"), _("Scorecard date"), _("Score"), _("Tier"), _("Answered")],
            [
                [p.company, p.as_of, round(p.score, 1), p.tier, round(p.coverage, 3)]
                for p in view.platforms
            ],
        )
        sheet(
            _("Commitments"),
            [_("Commitment"), _("Title"), *(p.company for p in view.platforms)],
            [
                [c.control_id, c.title, *(_platform_level(lv, _) for lv in c.levels)]
                for c in view.platform_commitments
            ],
        )
    return finish()


_Sheet = Callable[[str, list[str], list[list[object]]], None]


def _change_text(change: str | None, _: Gettext) -> str:
    """A band's move since the previous assessment, in words."""
    return {
        "improved": _("improved"),
        "unchanged": _("unchanged"),
        "declined": _("declined"),
        "new": _("newly assessed"),
    }.get(change or "", "—")


def _public_sheets(view: PublicView, sheet: _Sheet, fmt: Any) -> None:
    """The public summary's sheets: bands by domain, measures by domain, method."""
    _ = fmt._
    m, method = view.meta, view.method
    sheet(
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("EMB"), m.emb_name],
            [_("Election"), m.election_name or ""],
            [_("Polling day"), m.election_date],
            [_("Assessment date"), m.as_of],
            [_("Overall readiness band"), view.band],
            [_("Previous band"), view.previous_band or "—"],
            [_("Change since the previous assessment"), _change_text(view.change, _)],
            [_("Assessed by"), method.assessor or "—"],
            [_("Frameworks"), "; ".join(method.frameworks)],
            [_("Controls answered"), f"{method.answered} / {method.controls}"],
            [_("Confidence"), fmt.confidences.get(method.confidence, method.confidence)],
            [_("cyberready version"), m.cyberready_version],
        ],
    )
    sheet(
        _("Readiness bands"),
        [_("Framework"), _("Domain"), _("Band"), _("Previous band"), _("Change")],
        [
            [
                d.framework_title,
                d.title,
                d.band,
                d.previous_band or "—",
                _change_text(d.change, _),
            ]
            for d in view.domains
        ],
    )
    sheet(
        _("Measures"),
        [_("Framework"), _("Domain"), _("Under way"), _("Planned")],
        [
            [g.framework_title, g.domain_title, "; ".join(g.under_way), "; ".join(g.planned)]
            for g in view.measures
        ],
    )
    sheet(
        _("Evidence"),
        [_("Evidence behind the answer"), _("Answers")],
        [[fmt.sources.get(e.source, e.source), e.answers] for e in method.evidence_mix],
    )


def _platform_sheets(view: PlatformView, sheet: _Sheet, fmt: Any) -> None:
    """A platform scorecard's sheets: the summary and each commitment."""
    _ = fmt._
    sc = view.score
    sheet(
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("EMB"), view.meta.emb_name],
            [_("Company"), view.company],
            [_("Framework"), view.framework_title],
            [_("Scorecard date"), sc.as_of],
            [_("Assessed by"), view.assessor or "—"],
            [_("Overall score"), round(sc.score, 1)],
            [_("Tier"), sc.tier],
            [_("Answered"), round(sc.coverage, 3)],
        ],
    )
    sheet(
        _("Commitments"),
        [
            _("Commitment"),
            _("Title"),
            _("Level"),
            _("Evidence behind the answer"),
            _("Evidence"),
            _("Target"),
            _("Next ask"),
        ],
        [
            [
                c.control_id,
                c.title,
                _platform_level(PlatformLevel(level=c.level, name=c.level_name), _),
                fmt.sources.get(c.source, c.source),
                c.evidence,
                c.target,
                c.ask,
            ]
            for c in view.commitments
        ],
    )


def _platform_level(lv: PlatformLevel, _: Gettext) -> str:
    """A company's level on a commitment as the HTML and Markdown tables write it."""
    if lv.level is None:
        return _("not assessed")
    if lv.level == "n/a":
        return _("n/a")
    return f"{lv.level} ({lv.name})" if lv.name else str(lv.level)


def _status_text(status: str, _: Callable[[str], str]) -> str:
    """Whether a scenario applies here, in words (a 0% is never left unexplained)."""
    return {
        "applies": _("yes"),
        "partial": _("in part: some of its rules match nothing here"),
        "cannot_apply": _("no: it could not affect anything here (see the report's limitations)"),
        "not_relevant": _("no: not relevant here (see the report's limitations)"),
    }.get(status, status)


def _technical_sheets(
    view: TechnicalView, sheet: Callable[[str, list[str], list[list[object]]], None], fmt: Any
) -> None:
    _ = fmt._
    sheet(
        _("Findings"),
        [
            _("Framework"),
            _("Domain"),
            _("Control"),
            _("Title"),
            _("Weight"),
            _("Level"),
            _("Lowest level on an asset"),
            _("Highest level on an asset"),
            _("Target"),
            _("Evidence source"),
            _("Evidence"),
            _("Notes"),
        ],
        [
            [
                c.framework_id,
                c.domain_id,
                c.control_id,
                c.title,
                c.weight,
                _("not assessed") if c.level is None else c.level,
                c.spread[0] if c.spread else None,
                c.spread[1] if c.spread else None,
                c.target,
                fmt.sources.get(c.source, c.source),
                c.evidence,
                c.notes,
            ]
            for c in view.controls
        ],
    )
    sheet(
        _("Functions"),
        [
            _("Function"),
            _("Title"),
            _("Phase"),
            _("Weight"),
            _("Chance of failure"),
            _("Main threats"),
            _("Single points of failure"),
        ],
        [
            [
                f.function_id,
                f.title,
                ", ".join(fmt.phases.get(p, p) for p in f.phases),
                f.weight,
                f.p_fail,
                f.main_threats,
                f.spof,
            ]
            for f in view.functions
        ],
    )
    sheet(
        _("Scenarios"),
        [
            _("Scenario"),
            _("Title"),
            _("Actor"),
            _("Aim"),
            _("Likelihood"),
            _("Generic likelihood"),
            _("Likelihood from"),
            _("Some function fails, if attempted"),
            _("Public trust lost, if attempted"),
            _("Expected loss (weight points)"),
            _("Of which public trust (weight points)"),
            _("Hours to impact, 10th percentile"),
            _("Hours to impact, median"),
            _("Hours to impact, 90th percentile"),
            _("Applies here"),
        ],
        [
            [
                s.scenario_id,
                s.title,
                fmt.actors.get(s.actor, s.actor),
                fmt.objectives.get(s.objective, s.objective),
                s.likelihood,
                s.base_likelihood,
                fmt.likelihood_origin(s),
                s.p_any_failure,
                s.mean_trust,
                round(s.expected_loss, 4),
                round(s.trust_loss, 4),
                *(s.hours_to_failure or (None, None, None)),
                _status_text(s.status, _),
            ]
            for s in view.scenarios
        ],
    )
    sheet(
        _("Assets"),
        [
            _("Asset"),
            _("Label"),
            _("Type"),
            _("Exposure"),
            _("Count"),
            _("Generated assets in the group"),
            _("Chance of compromise"),
            _("Lowest in the group"),
            _("Highest in the group"),
            _("Chance of failure (no attacker)"),
            _("Blast radius"),
            _("Alone can fail"),
        ],
        [
            [
                a.asset_id,
                a.label,
                a.type,
                a.exposure,
                a.count,
                a.group_size,
                a.p_compromise,
                a.spread[0] if a.spread else None,
                a.spread[2] if a.spread else None,
                a.p_failure,
                a.blast_radius,
                a.spof_for,
            ]
            for a in view.assets
        ],
    )
    sheet(
        _("Actions"),
        [
            _("Rank"),
            _("Control"),
            _("Title"),
            _("Domain"),
            _("From level"),
            _("To level"),
            _("Where"),
            _("Cost low (USD)"),
            _("Cost high (USD)"),
            _("Weeks"),
            _("Risk removed"),
            _("Readiness gain"),
            _("In budget plan"),
            _("Ready before"),
            _("Why"),
        ],
        [
            [
                a.rank,
                a.control_id,
                a.title,
                a.domain_title,
                a.from_level,
                a.to_level,
                a.scope,
                a.cost_low,
                a.cost_high,
                a.weeks,
                round(a.risk_reduction_share, 4) if a.simulated else None,
                round(a.readiness_gain, 2),
                a.in_budget,
                fmt.phases.get(a.ready_by, a.ready_by) if a.ready_by else "",
                a.why,
            ]
            for a in view.actions
        ],
    )
    if isinstance(view, AdvisorView):
        sheet(
            _("Roadmap"),
            [
                _("Rank"),
                _("Control"),
                _("Title"),
                _("Start"),
                _("In place by"),
                _("Ready before"),
                _("Cost low (USD)"),
                _("Cost high (USD)"),
                _("Risk removed this cycle"),
                _("Next cycle"),
            ],
            [
                [
                    i.rank,
                    i.control_id,
                    i.title,
                    i.start,
                    i.ready,
                    fmt.phases.get(i.before_phase, i.before_phase) if i.before_phase else "",
                    i.cost_low,
                    i.cost_high,
                    round(i.risk_reduction_share, 4),
                    round(i.next_cycle_share, 4),
                ]
                for i in view.roadmap
            ],
        )
        sheet(
            _("Crosswalks"),
            [_("Control"), _("Title"), _("Catalog"), _("Items")],
            [[x.control_id, x.title, x.catalog_id, x.items] for x in view.crosswalks],
        )


def dump_json_schema(schema: Mapping[str, Any]) -> str:
    """A JSON Schema as stable, indented text."""
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"

"""Commands across many EMBs: ``portfolio`` and ``examples portfolio`` (sample data)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from cyberready.cli._group import handle_errors
from cyberready.cli._options import (
    force_option,
    locale_option,
    out_option,
    screen_trials_option,
    seed_option,
    trials_option,
    warn_few_trials,
)
from cyberready.cli._output import check_output, echo, render_table
from cyberready.cli._progress import Progress

if TYPE_CHECKING:
    from cyberready.portfolio import Executor
    from cyberready.report.portfolio_report import PortfolioFormat

__all__ = ["examples", "portfolio"]


@click.command(
    epilog="\b\nExamples:\n"
    "  cyberready examples portfolio --n 40 --seed 2026 --out sample/\n"
    "  cyberready portfolio sample/ --out summary.html\n"
    "  cyberready portfolio sample/ --out resume.html --locale fr\n"
    "  cyberready portfolio sample/ --out summary.xlsx --anonymize --trials 2000\n"
    "  cyberready portfolio sample/ --out summary.pdf --executor dask --scheduler tcp://h:8786"
)
@click.argument("source", type=click.Path(path_type=Path))
@out_option("Report file to write.", folder=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx", "json"]),
    default=None,
    help="Report format [default: from --out's suffix, else html].",
)
@click.option(
    "--anonymize",
    is_flag=True,
    help="Show EMBs as EMB-01, EMB-02, … only: budgets as bands, dates as quarters, election "
    "functions as generic labels.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask", "serial"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: a Dask cluster (the dask extra).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address, e.g. tcp://host:8786 [default: a local Dask cluster].",
)
@click.option(
    "--workers", type=click.IntRange(1), default=None, help="Local processes [default: CPUs]."
)
@trials_option("Trials per scenario.", minimum=2)
@screen_trials_option("Trials of the priorities' screening pass (a portfolio runs no other).")
@seed_option("Seed: the same seed gives the same numbers.")
@locale_option(
    "Language of the HTML, PDF or XLSX summary (the XLSX's sheet and column names) and of "
    "what the command prints: a shipped report language (en, fr, es, ar), optionally with a "
    "region (fr_CA) [default: en]."
)
@force_option()
@handle_errors
def portfolio(
    source: Path,
    out: Path,
    fmt: str | None,
    anonymize: bool,
    executor: Executor,
    scheduler: str | None,
    workers: int | None,
    trials: int,
    screen_trials: int | None,
    seed: int,
    locale: str | None,
    force: bool,
) -> None:
    """Assess every EMB workspace in SOURCE and write a donor summary across them.

    SOURCE is a folder with one sub-folder per EMB. The summary (TLP:GREEN) is built from
    each EMB's donor view only: readiness by EMB and domain, tiers, trends, risk to election
    functions and the cost of the combined priority plans (screening pass). Breakdowns over
    fewer than 3 EMBs are suppressed. Every executor gives the same numbers for a seed.
    """
    from cyberready.cli._lang import messages
    from cyberready.io import atomic_write_bytes
    from cyberready.portfolio import PORTFOLIO_STAGE, assess_portfolio
    from cyberready.report import numbers
    from cyberready.report.i18n import check_locale
    from cyberready.report.portfolio_report import localized_table, render_portfolio

    language = "en" if locale is None else check_locale(locale)
    if scheduler is not None and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    check_output(out, force=force)
    # --format is a click.Choice of the portfolio formats, and so is every suffix mapped here
    suffixes = {".pdf": "pdf", ".xlsx": "xlsx", ".json": "json"}
    kind = cast("PortfolioFormat", fmt or suffixes.get(out.suffix.lower(), "html"))
    warn_few_trials(trials)
    with Progress(PORTFOLIO_STAGE, locale=language) as progress:
        result = assess_portfolio(
            source,
            trials=trials,
            seed=seed,
            screen_trials=screen_trials,
            executor=executor,
            scheduler=scheduler,
            workers=workers,
            progress=progress,
        )
    shown = result.anonymize() if anonymize else result
    atomic_write_bytes(out, render_portfolio(shown, kind, locale=language))
    t = messages(language)
    _ = t.gettext
    sep = numbers.punctuation(language)
    embs = localized_table(shown, "embs", language)  # tier names in the language
    echo(
        render_table(
            [_("EMB"), _("region"), _("readiness"), _("tier"), _("expected loss")],
            [
                [
                    r["emb"],
                    r["region"],
                    round(r["score"], 1),
                    r["tier"],
                    round(r["expected_loss"], 3),
                ]
                for r in embs.to_dict(orient="records")
            ],
        )
    )
    if shown.weak_everywhere():  # the same domains, titled in the language
        domains = localized_table(shown, "domains", language)
        weak = domains.loc[domains["weak_everywhere"].astype(bool), "domain_title"]
        label = _("weak in every EMB")
        echo(f"{label}{sep.colon} {sep.list_sep.join(str(t) for t in weak)}")
    rate = len(shown) / result.elapsed * 60 if result.elapsed > 0 else float("inf")
    written = _("%(format)s, anonymised") if anonymize else "%(format)s"
    echo(
        t.ngettext(
            "assessed %(n)s EMB in %(seconds)s s (%(rate)s EMBs per minute, %(executor)s "
            "executor); wrote %(path)s (%(what)s)",
            "assessed %(n)s EMBs in %(seconds)s s (%(rate)s EMBs per minute, %(executor)s "
            "executor); wrote %(path)s (%(what)s)",
            len(shown),
        )
        % {
            "n": len(shown),
            "seconds": numbers.decimal(result.elapsed, 1, language),
            "rate": numbers.decimal(rate, 1, language),
            "executor": executor,
            "path": out,
            "what": written % {"format": kind},
        }
    )


@click.group(
    epilog="\b\nExample:\n  cyberready examples portfolio --n 40 --seed 2026 --out sample/"
)
def examples() -> None:
    """Generate sample data: fictional EMB workspaces to try cyberready at scale."""


@examples.command(
    "portfolio",
    epilog="\b\nExamples:\n  cyberready examples portfolio --n 40 --seed 2026 --out sample/\n"
    "  cyberready examples portfolio --n 5 --out small/ && cyberready validate small/*/",
)
@click.option(
    "--n", "n", type=click.IntRange(1, 1000), default=40, show_default=True, help="How many EMBs."
)
@seed_option("Seed: the same seed writes the same files.", default=2026)
@out_option("New or empty folder to write the workspaces into.", folder=True)
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@handle_errors
def examples_portfolio(n: int, seed: int, out: Path, force: bool) -> None:
    """Write a sample portfolio of N fictional EMB workspaces, one folder each.

    Sizes, architectures, postures, regions and histories vary; most EMBs have 10^2-10^3
    assets, EMBs 12 and 28 about 10^4 and EMB 38 about 10^5 (from generate: CSVs). The first
    K EMBs of any sample are the K EMBs of a smaller sample with the same seed.
    """
    from cyberready.io import write_files
    from cyberready.portfolio.sample import sample_portfolio
    from cyberready.workspace import shipped_library

    check_output(out, folder=True)
    with Progress("generating EMBs", n) as progress:
        files = sample_portfolio(
            n, seed, library=shipped_library(), progress=lambda _spec: progress.advance()
        )
    count = write_files(out, files, overwrite=force)
    echo(f"wrote {n} EMB workspaces ({count} files) to {out} (seed {seed})")

"""Commands that assess one EMB workspace: ``assess``, ``diff``, ``simulate``, ``prioritize``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from cyberready.cli._group import handle_errors
from cyberready.cli._options import (
    FRAMEWORK_DIRS,
    RunOptions,
    budget_option,
    exact_option,
    run_options,
    screen_trials_option,
    seed_option,
    trials_option,
    warn_few_trials,
)
from cyberready.cli._output import check_output, echo, emit_json
from cyberready.cli._progress import Progress

if TYPE_CHECKING:
    from cyberready import AssessmentResult, Workspace
    from cyberready.prioritize import CostBasis

__all__ = ["assess", "assess_run", "assess_shown", "diff", "prioritize", "simulate"]


@click.command(
    epilog="\b\nExamples:\n  cyberready assess examples/examplia\n"
    "  cyberready assess examples/examplia --json > readiness.json\n"
    "  cyberready assess my-emb --fail-under 60   # exit 4 below 60, for scheduled checks\n"
    "  cyberready assess my-emb --save run.json   # then: cyberready report my-emb --from run.json"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per control.")
@click.option("--controls", "show_controls", is_flag=True, help="Also list every control.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="SCORE",
    help="Exit with code 4 when the overall score is below SCORE (0–100).",
)
@click.option(
    "--save",
    "save_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="RUN",
    help="Also run the whole assessment (simulation and priorities) and save every "
    "audience's report view to RUN, for `cyberready report --from RUN` (sensitive: "
    "TLP:AMBER+STRICT).",
)
@run_options(
    trials="With --save: Monte Carlo trials per scenario.",
    seed="With --save: seed of the simulation.",
    screen_trials="With --save: trials per scenario when screening candidate actions.",
    budget="With --save: budget for the plan (default: budget_usd in emb.yaml).",
    locale="Language of the headings printed and, with --save, of the saved run's reports "
    "(default: the first shipped language of emb.yaml's languages, else en).",
    force="an existing --save file that cyberready did not write",
)
@handle_errors
def assess(
    workspace: Path,
    frameworks_dirs: tuple[Path, ...],
    as_json: bool,
    as_csv: bool,
    show_controls: bool,
    fail_under: float | None,
    save_to: Path | None,
    run: RunOptions,
) -> None:
    """Readiness scores of an EMB workspace: overall, per framework, domain and control.

    Unassessed controls are listed and counted as 0; n/a controls are left out; levels that
    differ across assets are shown as a spread; the band reflects the evidence sources. With
    --save, the whole assessment is run once and saved, so any number of reports can be
    rendered from it (`cyberready report DIR --from RUN`).
    """
    import cyberready
    from cyberready.cli._lang import cli_locale, messages
    from cyberready.errors import ThresholdError

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    if save_to is not None and frameworks_dirs:
        raise click.UsageError("--save runs the workspace as reports do: without --frameworks-dir")
    if save_to is not None:
        check_output(save_to, force=run.force)
    ws = cyberready.load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    locale = cli_locale(run.locale, ws.emb.languages)
    if save_to is not None:
        from cyberready.report.runfile import save_run

        full = assess_run(ws, run)
        options = {
            "trials": run.trials,
            "seed": run.seed,
            "screen_trials": run.screen_trials,
            "exact": run.exact,
        }
        save_run(save_to, full, options={**options, "budget": run.budget}, locale=locale)
        saved = messages(locale).gettext(
            "saved the run to %(path)s (TLP:AMBER+STRICT: it names systems)"
        )
        echo(saved % {"path": save_to}, err=True)
    result = cyberready.score(ws)
    if as_json:
        emit_json(result.to_dict())
    elif as_csv:
        from cyberready.io import frame_csv

        echo(frame_csv(result.to_frame()), nl=False)
    else:
        from cyberready.cli._render import render_readiness

        render_readiness(result, controls=show_controls, locale=locale)
    overall = result.overall.score
    if fail_under is not None and (overall is None or overall < fail_under):
        from cyberready.cli._render import score_text

        raise ThresholdError(
            f"overall readiness {score_text(overall)} is below --fail-under {fail_under:g}"
        )


@click.command(
    epilog="\b\nExamples:\n  cyberready diff examples/examplia           # against its latest "
    "history entry\n  cyberready diff old/assessment.yaml new/assessment.yaml\n"
    "  cyberready diff history/assessment-2025-10-15.yaml my-emb --json"
)
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path))
@FRAMEWORK_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@handle_errors
def diff(old: Path, new: Path | None, frameworks_dirs: tuple[Path, ...], as_json: bool) -> None:
    """What changed between two assessments: controls up and down, newly unassessed
    controls, and score deltas per domain, framework and overall.

    OLD and NEW are assessment files or workspace folders. With one workspace only, its
    assessment.yaml is compared with its latest history/ entry.
    """
    from cyberready.interop.diff import diff_paths

    d = diff_paths(old, new, frameworks_dirs=frameworks_dirs)
    if as_json:
        emit_json(d.to_dict())
        return
    from cyberready.cli._render import render_diff

    render_diff(d)


@click.command(
    epilog="\b\nExamples:\n  cyberready simulate examples/examplia\n"
    "  cyberready simulate examples/examplia --scenario ransomware-shared-it --trials 50000\n"
    "  cyberready simulate my-emb --seed 7 --json > simulation.json"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--scenario",
    "scenario_ids",
    multiple=True,
    metavar="ID",
    help="Scenario to run (repeatable); default: those in scope in emb.yaml.",
)
@trials_option("Monte Carlo trials per scenario.", minimum=1)
@seed_option("Seed: the same seed gives the same numbers.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@handle_errors
def simulate(
    workspace: Path, scenario_ids: tuple[str, ...], trials: int, seed: int, as_json: bool
) -> None:
    """Run threat scenarios over an EMB's systems (Monte Carlo) and show what fails.

    Per function: the chance it fails this electoral cycle and, per scenario, given the
    attack is attempted (with 95% intervals); per scenario, its effective likelihood (from the
    threat context in emb.yaml, if any) beside the generic one, the public trust it costs and
    its expected loss (weight points: likelihood x (weights of the failed functions + the
    public-confidence weight x the trust lost)); the assets most often lost, compromised by an
    attacker or failed in a scenario without one (generated assets by group). Scenarios
    at 0% because they are not relevant here or cannot affect anything in the model say so
    below the scenario table (--json: each scenario's status and a diagnostics section). A
    progress bar is shown when the output is a terminal.
    """
    import cyberready
    from cyberready.engine import simulate as run_simulation

    ws = cyberready.load_workspace(workspace)
    n_scenarios = len(set(scenario_ids)) if scenario_ids else len(ws.scenarios)
    from cyberready.cli._lang import cli_locale

    locale = cli_locale(None, ws.emb.languages)
    with Progress(
        "simulating", n_scenarios * trials, enabled=not as_json, locale=locale
    ) as progress:
        result = run_simulation(
            ws, scenario_ids or None, trials=trials, seed=seed, progress=progress.advance
        )
    from cyberready.workspace import diagnose

    diag = diagnose(ws, [ws.library.scenarios[s] for s in result.scenarios])
    if as_json:
        data = result.to_dict()
        for entry in data["scenarios"]:
            found = diag.of(entry["scenario"])
            entry["status"] = found.status if found is not None else "applies"
        data["diagnostics"] = diag.to_dict()
        emit_json(data)
        return
    from cyberready.cli._render import render_simulation

    render_simulation(
        result,
        {fn.id: fn.title for fn in ws.resolved.functions},
        diag,
        system=ws.resolved,
        accidental=frozenset(s.id for s in ws.scenarios if s.actor == "accidental"),
    )


def assess_shown(
    ws: Workspace,
    *,
    trials: int,
    seed: int,
    screen_trials: int | None = None,
    budget_usd: float | None = None,
    exact: bool = False,
    locale: str = "en",
) -> AssessmentResult:
    """:func:`cyberready.assess` of ``ws`` with its stages shown on stderr (:class:`Progress`,
    in ``locale``)."""
    import cyberready

    with Progress(locale=locale) as progress:
        return cyberready.assess(
            ws,
            trials=trials,
            seed=seed,
            screen_trials=screen_trials,
            budget_usd=budget_usd,
            progress=progress,
            exact=exact,
        )


def assess_run(ws: Workspace, run: RunOptions) -> AssessmentResult:
    """:func:`assess_shown` with ``run``'s options, after the warning for few trials; progress
    in the command's language (``--locale``, else ``emb.yaml``'s ``languages``)."""
    from cyberready.cli._lang import cli_locale

    warn_few_trials(run.trials)
    return assess_shown(
        ws,
        trials=run.trials,
        seed=run.seed,
        screen_trials=run.screen_trials,
        budget_usd=run.budget,
        exact=run.exact,
        locale=cli_locale(run.locale, ws.emb.languages),
    )


@click.command(
    epilog="\b\nExamples:\n  cyberready prioritize examples/examplia\n"
    "  cyberready prioritize examples/examplia --budget 150000 --top 5\n"
    "  cyberready prioritize my-emb --json > priorities.json\n"
    "  cyberready prioritize my-emb --csv --table plan > plan.csv"
)
@click.argument("workspace", type=click.Path(exists=True, file_okay=False, path_type=Path))
@FRAMEWORK_DIRS
@budget_option("Budget for the plan (default: budget_usd in emb.yaml; no plan without one).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Actions to list; these are re-simulated with --trials.",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Plan start date, YYYY-MM-DD (default: the assessment's as_of).",
)
@trials_option("Trials per scenario for the top actions and the plan.", minimum=2)
@screen_trials_option("Trials per scenario to screen every candidate.")
@exact_option()
@seed_option("Seed: the same seed gives the same numbers.")
@click.option(
    "--cost-basis",
    type=click.Choice(["low", "mid", "high"]),
    default="mid",
    show_default=True,
    help="Which end of the cost ranges must fit the budget (high: fits even at worst).",
)
@click.option(
    "--explain",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Explain the first N actions in words.",
)
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one table as CSV (see --table).")
@click.option(
    "--table",
    type=click.Choice(["ranking", "plan", "roadmap", "readiness"]),
    default="ranking",
    show_default=True,
    help="The table --csv prints.",
)
@handle_errors
def prioritize(
    workspace: Path,
    frameworks_dirs: tuple[Path, ...],
    budget: float | None,
    top: int,
    start: datetime | None,
    trials: int,
    screen_trials: int | None,
    exact: bool,
    seed: int,
    cost_basis: CostBasis,
    explain: int,
    as_json: bool,
    as_csv: bool,
    table: Literal["ranking", "plan", "roadmap", "readiness"],
) -> None:
    """Rank risk-reduction actions by simulated benefit per cost, plan them within a budget and
    place them against the electoral calendar.

    Every candidate (raise a control to its target, everywhere or on an override's assets) is
    screened with --screen-trials; the best --top are re-simulated on the same random numbers,
    in blocks of --screen-trials until each benefit's 95% interval is narrow enough, at most
    --trials (all of them with --exact; the trials used are shown beside each benefit).
    Benefit = drop in expected loss (weight points, public trust included), with a 95%
    interval. The plan's benefit is split into this cycle (what each action
    protects in the election phases that start after it is ready, counted from --start) and
    the next cycle (the rest).
    """

    import cyberready
    from cyberready.prioritize import plan_start
    from cyberready.prioritize import prioritize as run_prioritize

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    ws = cyberready.load_workspace(workspace, frameworks_dirs=frameworks_dirs)
    warn_few_trials(trials)
    from cyberready.cli._lang import cli_locale

    locale = cli_locale(None, ws.emb.languages)
    with Progress(locale=locale) as progress:
        result = run_prioritize(
            ws,
            budget_usd=budget,
            start=start.date() if start else plan_start(ws),
            trials=trials,
            screen_trials=screen_trials,
            leaders=top,
            seed=seed,
            cost_basis=cost_basis,
            progress=progress,
            exact=exact,
        )
    if as_json:
        emit_json(result.to_dict())
    elif as_csv:
        frame = result.to_frame(table)
        if table == "ranking":
            frame = frame.head(top)
        from cyberready.io import frame_csv

        echo(frame_csv(frame), nl=False)
    else:
        from cyberready.cli._render import render_priorities

        render_priorities(result, ws, top, explain, locale)

"""The ``cyberready`` command line: a thin click shell over the library.

Each command parses options, calls one library function and renders its result; errors map
to the documented exit codes in one place (:func:`~cyberready.cli._group.handle_errors`).
Everything printed passes through :func:`~cyberready.cli._output.echo` (no terminal escapes
from input files), every output path through :func:`~cyberready.cli._output.check_output`,
and long work shows its progress on stderr through :class:`~cyberready.cli._progress.Progress`.

The modules behind it: ``_group`` (the group and the error handler), ``_options`` (options
shared by several commands), ``_output`` (what is printed and written), ``_progress``,
``_render`` (text views of results) and one ``_cmd_*`` module per family of commands. The
command modules import the library (assessment, engine, reports, pandas) inside each
command, never at module level, so ``cyberready --help`` answers at once.

Public API:

``main``
    The click group, the ``cyberready`` console script (``pyproject.toml``) and
    ``python -m cyberready``.
``SCREENING_DEFAULT``
    How the default of ``--screen-trials`` reads in every command's help.
"""

from __future__ import annotations

from cyberready.cli._cmd_assess import assess, diff, prioritize, simulate
from cyberready.cli._cmd_demo import demo
from cyberready.cli._cmd_export import export, import_, oscal
from cyberready.cli._cmd_export_csv import csv_
from cyberready.cli._cmd_init import init
from cyberready.cli._cmd_inputs import frameworks, schema, validate
from cyberready.cli._cmd_oscal import assessment_results, catalog, oscal_catalog
from cyberready.cli._cmd_portfolio import examples, portfolio
from cyberready.cli._cmd_questionnaire import questionnaire
from cyberready.cli._cmd_report import report
from cyberready.cli._group import main
from cyberready.cli._options import SCREENING_DEFAULT

__all__ = ["SCREENING_DEFAULT", "main"]

for _command in (
    init,
    validate,
    schema,
    frameworks,
    assess,
    diff,
    questionnaire,
    simulate,
    prioritize,
    report,
    portfolio,
    examples,
    demo,
    export,
    import_,
):
    main.add_command(_command)

export.add_command(csv_)
oscal.add_command(catalog)
oscal.add_command(assessment_results)
import_.add_command(oscal_catalog)

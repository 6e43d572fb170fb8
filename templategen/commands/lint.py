"""`templategen lint` as seen from the click group: forwards to the fast-path parser in lint/cli.py.

The options are defined once, in `templategen.lint.cli`; this stub exists so `templategen --help`
lists the command.
"""

from __future__ import annotations

import click


@click.command(
    "lint",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.pass_context
def lint(ctx: click.Context) -> int:
    """Lint ARM templates, parameter files, Bicep files and templategen inputs."""
    from templategen.lint.cli import run

    return run(list(ctx.args))

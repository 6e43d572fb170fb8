"""The click command group. Each command lives in its own module, imported only when it runs."""

from __future__ import annotations

import importlib
import sys

import click

from templategen import __version__
from templategen.diagnostics import EXIT_USAGE, InputError

# command name -> "module:attribute" of its click.Command
COMMANDS = {
    "generate": "templategen.commands.generate:generate",
    "graph": "templategen.commands.graph:graph",
    "lint": "templategen.commands.lint:lint",
    "deploy": "templategen.commands.deploy:deploy",
    "rules": "templategen.commands.rules:rules",
    "schema": "templategen.commands.schema:schema",
}


class LazyGroup(click.Group):
    """A group that imports a command's module on first use, so `--help` and each command stay fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="templategen")
def cli() -> None:
    """Generate, lint and deploy Azure VM-backup templates (ARM JSON and Bicep)."""


def run_click(args: list[str]) -> int:
    """Run the click group on `args`; turn InputError into one line on stderr and exit code 2."""
    try:
        result = cli.main(args=args, prog_name="templategen", standalone_mode=False)
    except InputError as exc:
        click.echo(f"templategen: error: {exc}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (`templategen rules | head`): not an error worth a traceback.
        sys.stderr.close()
        return 0
    return int(result or 0)

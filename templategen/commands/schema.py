"""`templategen schema [NAME]`: list the JSON Schemas, or print one (for editors and documentation)."""

from __future__ import annotations

import click

from templategen.diagnostics import EXIT_OK, InputError


@click.command("schema")
@click.argument("name", required=False)
@click.option("--path", "show_path", is_flag=True, help="Print the schema's file path, not its content.")
def schema(name: str | None, show_path: bool) -> int:
    """Print the JSON Schema NAME; without NAME, list the schemas.

    Input files can point editors at their schema with a first line such as
    `# yaml-language-server: $schema=<path printed by --path>`.
    """
    from templategen.inputs.schemastore import load_schema, schema_names, schema_path

    if name is None:
        names = schema_names()
        width = max(len(n) for n in names)
        for entry in names:
            title = str(load_schema(entry).get("title", ""))
            click.echo(f"{entry.ljust(width)}  {title}")
        return EXIT_OK
    try:
        path = schema_path(name)
    except KeyError:
        raise InputError(f"unknown schema {name!r} (expected one of: {', '.join(schema_names())})") from None
    if show_path:
        click.echo(path)
        return EXIT_OK
    with open(path, encoding="utf-8") as handle:
        click.echo(handle.read(), nl=False)
    return EXIT_OK

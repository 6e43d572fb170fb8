"""`templategen graph TEMPLATE`: draw a template's resources and how they depend on each other.

This module is imported for `templategen --help` only through the lazy group, and then only when the
command runs; the readers, the evaluator and the renderers are imported inside the command.
"""

from __future__ import annotations

import click

from templategen.diagnostics import EXIT_OK, EXIT_USAGE


@click.command("graph")
@click.argument("template", metavar="TEMPLATE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart (renders in GitHub Markdown) or Graphviz DOT.",
)
@click.option(
    "-p",
    "--parameters",
    "parameters",
    multiple=True,
    metavar="FILE",
    help="Parameters file whose values name the resources (repeatable; later files win).",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.option(
    "--direction",
    type=click.Choice(["LR", "TB", "TD"], case_sensitive=False),
    default="LR",
    show_default=True,
    help="Left to right, or top to bottom (TD is the same as TB).",
)
@click.option("--legend", is_flag=True, help="Add a legend box showing each kind of arrow and box.")
def graph(
    template: str, fmt: str, parameters: tuple[str, ...], output: str | None, direction: str, legend: bool
) -> int:
    """Draw the resources of TEMPLATE (ARM JSON or Bicep) and their dependencies.

    Arrows show parent/child resources, `dependsOn`, and resourceId()/reference()/list*() uses;
    resources the template only refers to (existing VMs, an existing policy) are drawn as outside
    boxes. Names are evaluated offline, with the values of -p files when given.
    """
    from templategen.graph.build import build_graph
    from templategen.graph.render import render
    from templategen.graph.source import load_parameter_values, load_template

    values = load_parameter_values(list(parameters))
    loaded = load_template(template)
    for location, message in loaded.notes:
        click.echo(
            f"templategen: warning: {location}: {message} (not converted: the graph may miss it)", err=True
        )
    direction = "TB" if direction.upper() in ("TB", "TD") else "LR"
    drawn = build_graph(loaded.template, values or None)
    text = render(drawn, fmt, direction, legend)
    if fmt == "mermaid":
        from templategen.graph.mermaid import limit_warning

        warning = limit_warning(drawn, text, legend)
        if warning is not None:
            click.echo(f"templategen: warning: {warning} (use --format dot for large graphs)", err=True)
    if output is None:
        click.echo(text, nl=False)
        return EXIT_OK
    from templategen.fileio import atomic_write

    try:
        atomic_write(output, text)
    except OSError as exc:
        click.echo(f"templategen: error: cannot write {output}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    return EXIT_OK

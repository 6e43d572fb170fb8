"""`templategen rules`: the rule catalogue as a table, JSON, or the Markdown of docs/rules.md."""

from __future__ import annotations

import sys

import click

from templategen.diagnostics import InputError


@click.command("rules")
@click.argument("selectors", nargs=-1, metavar="[RULE]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for a terminal, json for tools, markdown for docs/rules.md.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE (atomically) instead of stdout."
)
def rules(selectors: tuple[str, ...], fmt: str, output: str | None) -> int:
    """List the lint rules: id, name, default severity and summary.

    RULE narrows the list: ids (TG401), prefixes (TG4 for a family) or names.
    """
    from templategen.rules import all_rules, known_rules
    from templategen.rules import docs as rule_docs
    from templategen.selectors import any_matches, normalize, problem

    catalogue = all_rules()
    if selectors:
        known = known_rules(catalogue)
        wanted = [normalize(s) for s in selectors]
        for raw, selector in zip(selectors, wanted, strict=True):
            message = problem(selector, known)
            if message is not None:
                raise InputError(f"rules {raw}: {message}")
        catalogue = [rule for rule in catalogue if any_matches(wanted, rule.id, rule.name)]

    if fmt == "json":
        text = rule_docs.render_json(catalogue)
    elif fmt == "markdown":
        text = rule_docs.render_markdown(catalogue)
    else:
        text = rule_docs.render_table(catalogue)

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from templategen.fileio import atomic_write

        try:
            atomic_write(output, text)  # a temporary file beside it, then a rename
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
    return 0

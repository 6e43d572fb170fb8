"""`templategen generate`: YAML inputs in, ARM JSON / Bicep / parameters files out.

All inputs are loaded and checked before anything is written: one bad input means no output at
all (exit 2), with every problem on its own `file:line:col` line. `--check` writes nothing either;
it compares what would be generated with the files on disk and prints a unified diff (exit 1 when
anything is stale), which is what CI runs over `examples/`.
"""

from __future__ import annotations

import click

from templategen.diagnostics import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.generate.outputs import OutputFile


@click.command("generate")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT.yaml...")
@click.option(
    "-o",
    "--output-dir",
    metavar="DIR",
    help="Write the outputs into DIR (created if missing) instead of next to each input.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["arm", "bicep", "both"]),
    default="arm",
    show_default=True,
    help="ARM JSON template, Bicep file, or both. A parameters file is always written.",
)
@click.option(
    "--snippet",
    is_flag=True,
    help="vmsnapshot-extension only: write just the extension as a child resource of the VM "
    "(NAME.snippet.json / NAME.snippet.bicep) instead of a complete template.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; compare with the files on disk, print a unified diff, exit 1 when stale.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="The arguments are changed files, not inputs (as pre-commit passes them): act on every input "
    "under the current folder that is one of them or writes one of them with these options.",
)
def generate(
    inputs: tuple[str, ...], output_dir: str | None, fmt: str, snippet: bool, check: bool, changed: bool
) -> int:
    """Generate templates from templategen YAML inputs.

    For DIR/NAME.yaml the outputs are NAME.json (ARM), NAME.bicep and NAME.parameters.json, next to
    the input or in --output-dir. See `templategen schema` for what an input may contain.
    """
    from templategen.generate.outputs import GenerateError, render_outputs
    from templategen.inputs.loader import LoadedInput, load_input
    from templategen.inputs.problems import InputProblems, Problem

    if changed:
        from templategen.generate.changed import affected_inputs

        inputs = tuple(affected_inputs(inputs, output_dir, fmt, snippet))
        if not inputs:
            click.echo("templategen: no input is affected by the changed files", err=True)
            return EXIT_OK

    loaded: list[LoadedInput] = []
    reported: list[Problem] = []
    failed = False
    for path in inputs:
        try:
            item = load_input(path)
        except InputProblems as exc:
            failed = True
            reported.extend(exc.problems)
            continue
        loaded.append(item)
        reported.extend(item.warnings)
    for problem in reported:
        click.echo(problem.format(), err=True)
    if failed:
        click.echo("templategen: nothing generated: fix the errors above", err=True)
        return EXIT_USAGE

    outputs: list[OutputFile] = []
    owners: dict[str, str] = {}
    try:
        for item in loaded:
            for output in render_outputs(item, output_dir, fmt, snippet):
                key = _normalise(output.path)
                if key in owners:
                    click.echo(
                        f"templategen: error: {owners[key]} and {item.path} would both write {output.path}",
                        err=True,
                    )
                    return EXIT_USAGE
                owners[key] = item.path
                outputs.append(output)
    except GenerateError as exc:
        click.echo(f"templategen: error: {exc}", err=True)
        return EXIT_USAGE

    if check:
        return _check(outputs)
    return _write(outputs, output_dir)


def _normalise(path: str) -> str:
    import os

    return os.path.normcase(os.path.abspath(path))


def _read(path: str) -> str | None:
    """The text of an existing output file, or None when there is none to compare with: absent, not
    a readable UTF-8 file (a directory, a FIFO, binary junk), or larger than any output we write."""
    import os

    from templategen.reading import FileTooLarge, read_bytes

    if not os.path.isfile(path):
        return None
    try:
        return read_bytes(path, 64 * 1024 * 1024).decode("utf-8")
    except (OSError, FileTooLarge, UnicodeDecodeError):
        return None


def _check(outputs: list[OutputFile]) -> int:
    """Print a unified diff for every output that differs from the file on disk."""
    import difflib

    stale = 0
    for output in outputs:
        current = _read(output.path)
        if current == output.content:
            continue
        stale += 1
        before = [] if current is None else current.splitlines(keepends=True)
        diff = difflib.unified_diff(
            before,
            output.content.splitlines(keepends=True),
            fromfile=f"{output.path} (on disk)" if current is not None else "/dev/null",
            tofile=f"{output.path} (generated)",
        )
        for line in diff:
            click.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n", nl=False)
    if stale:
        click.echo(
            f"templategen: {stale} of {len(outputs)} generated file(s) are stale: run `templategen generate`",
            err=True,
        )
        return EXIT_FINDINGS
    click.echo(f"templategen: {len(outputs)} generated file(s) up to date", err=True)
    return EXIT_OK


def _write(outputs: list[OutputFile], output_dir: str | None) -> int:
    import os

    from templategen.fileio import atomic_write_many

    if output_dir is not None:
        try:
            os.makedirs(output_dir, exist_ok=True)
        except OSError as exc:
            click.echo(f"templategen: error: cannot create {output_dir}: {exc.strerror or exc}", err=True)
            return EXIT_USAGE
    changed = [output for output in outputs if _read(output.path) != output.content]
    try:
        # every file is written to a temporary one before any is renamed: a full disk or any other
        # failure while writing leaves all outputs as they were, never a new template beside an old
        # parameters file
        atomic_write_many([(output.path, output.content) for output in changed])
    except OSError as exc:
        click.echo(f"templategen: error: cannot write {exc.filename}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    for output in changed:
        click.echo(f"wrote {output.path}")
    unchanged = len(outputs) - len(changed)
    click.echo(f"templategen: {len(changed)} file(s) written, {unchanged} unchanged", err=True)
    return EXIT_OK

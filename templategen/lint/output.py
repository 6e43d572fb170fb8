"""Print or write a lint report and decide the exit code: the last step of `templategen lint`."""

from __future__ import annotations

import sys

from templategen.diagnostics import EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.lint.result import LintResult
    from templategen.rules.base import Rule


def emit(result: LintResult, *, fmt: str, output: str | None, color: str, quiet: bool = False) -> int:
    """Render `result` as `fmt` to stdout or atomically to `output`; return the run's exit code."""
    from templategen.report import RenderOptions, color_wanted, render

    stream = sys.stdout
    if output is not None:
        use_color = False
    elif color == "always":
        use_color = True
    elif color == "never":
        use_color = False
    else:
        use_color = color_wanted(stream)
    rules: list[Rule] = []
    if fmt == "sarif":  # the only format that describes the rules: it reads them from their classes
        from templategen.rules import all_rules

        rules = all_rules()
    options = RenderOptions(
        color=use_color, source_line=result.source_lines, rules=rules, show_summary=not quiet
    )
    text = render(result, fmt, options)
    if output is not None:
        from templategen.fileio import atomic_write

        try:
            atomic_write(output, text)
        except OSError as exc:
            sys.stderr.write(f"templategen lint: error: cannot write {output}: {exc.strerror or exc}\n")
            return EXIT_USAGE
    else:
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            pass
    return result.exit_code

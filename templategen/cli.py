"""Entry point of the `templategen` command.

`lint` is dispatched before click is imported: pre-commit runs it on every commit and click alone
costs about 30 ms of start-up here, more than the rest of a one-file lint. Every other command goes
through the click group in `templategen.commands`, which imports each command's module only when
that command runs.
"""

from __future__ import annotations

import sys

#: Exit code for a bug in templategen itself (as in BSD sysexits' EX_SOFTWARE).
EXIT_INTERNAL = 70


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code (0 clean, 1 findings, 2 unusable input)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "lint":
            from templategen.lint.cli import run

            return run(args[1:])
        from templategen.commands import run_click

        return run_click(args)
    except KeyboardInterrupt:
        sys.stderr.write("templategen: interrupted\n")
        return 130
    except Exception as exc:  # a bug of ours: one line, and the traceback only when asked for
        import os

        if os.environ.get("TEMPLATEGEN_DEBUG"):
            raise
        from templategen.redact import redact_text

        sys.stderr.write(
            redact_text(f"templategen: internal error: {type(exc).__name__}: {exc}\n")
            + "Please report it; set TEMPLATEGEN_DEBUG=1 to see the traceback.\n"
        )
        return EXIT_INTERNAL

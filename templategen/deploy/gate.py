"""The lint gate: `deploy` lints the template and its parameters first and stops on errors.

A template that our own linter rejects would at best be rejected by Azure a minute later and at
worst deploy something wrong (a backup policy that never runs); refusing early is cheaper. `--no-lint`
skips the gate for people who lint elsewhere.
"""

from __future__ import annotations

import importlib

from templategen.diagnostics import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.diagnostics import Diagnostic


class LintGateUnavailable(InputError):
    """The linter is not part of this build, so the gate cannot run (exit 2, nothing sent to Azure)."""


def lint_gate(template_path: str, parameter_paths: list[str]) -> list[Diagnostic]:
    """Lint the template and its parameters files; return every finding (the caller stops on errors).

    WIRING POINT: the linter (`templategen.lint.api.lint_paths`) is built on another branch. When it
    lands, pass it the options that tie the parameters files to the template (see `lint/api.py`)
    instead of `None` below, and drop the `LintGateUnavailable` branch if it can no longer happen.
    """
    try:
        api = importlib.import_module("templategen.lint.api")
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.startswith("templategen"):
            raise LintGateUnavailable(
                "the lint gate needs templategen.lint.api, which this build does not have; "
                "pass --no-lint to deploy without linting"
            ) from None
        raise
    result = api.lint_paths([template_path, *parameter_paths], None)
    diagnostics = getattr(result, "diagnostics", result)
    return list(diagnostics)

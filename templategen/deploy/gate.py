"""The lint gate: `deploy` lints the template and its parameters first and stops on errors.

A template that our own linter rejects would at best be rejected by Azure a minute later and at
worst deploy something wrong (a backup policy that never runs); refusing early is cheaper. `--no-lint`
skips the gate for people who lint elsewhere.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.lint.result import LintResult


def lint_gate(template_path: str, parameter_paths: list[str]) -> LintResult:
    """Lint the template (or YAML input) and its parameters files, with the parameters' values used
    for the checks, under the project's configuration; the caller stops on error-level findings."""
    from templategen.lint.api import lint_paths
    from templategen.lint.options import LintOptions

    is_input = template_path.lower().endswith((".yaml", ".yml"))
    options = LintOptions(parameters=[] if is_input else list(parameter_paths), fail_level="error")
    return lint_paths([template_path, *parameter_paths], options)

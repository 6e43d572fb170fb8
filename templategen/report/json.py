"""The machine report: one JSON document with a versioned, stable schema.

    {
      "schemaVersion": 1,
      "tool": {"name": "templategen", "version": "0.1.0"},
      "filesChecked": ["templates/vm.json", ...],
      "filesSkipped": [{"path": "package.json", "reason": "..."}],
      "diagnostics": [Diagnostic.to_dict(), ...],
      "summary": {"findings": 3, "bySeverity": {"error": 1, "warning": 2, "info": 0},
                  "filesChecked": 5, "filesSkipped": 1, "filesWithFindings": 2,
                  "failLevel": "error", "exitCode": 1}
    }

`schemaVersion` changes only when a field is removed or changes meaning; new fields may appear at
any time, so consumers should ignore keys they do not know. The output is ASCII (non-ASCII characters
are escaped), so it survives any pipe or log encoding.
"""

from __future__ import annotations

from templategen.redact import redact_text
from templategen.report.options import TOOL_NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.lint.result import LintResult
    from templategen.report.options import RenderOptions

SCHEMA_VERSION = 1


def render_json(result: LintResult, options: RenderOptions) -> str:
    """The JSON report, pretty-printed, ending with a newline."""
    import json

    diagnostics = []
    for diagnostic in result.sorted_diagnostics():
        entry = diagnostic.to_dict()
        entry["message"] = redact_text(diagnostic.message)
        diagnostics.append(entry)
    counts = result.counts()
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": options.tool_version},
        "filesChecked": sorted(result.files_checked),
        "filesSkipped": [{"path": path, "reason": reason} for path, reason in sorted(result.files_skipped)],
        "diagnostics": diagnostics,
        "summary": {
            "findings": sum(counts.values()),
            "bySeverity": counts,
            "filesChecked": len(result.files_checked),
            "filesSkipped": len(result.files_skipped),
            "filesWithFindings": len({d.location.path for d in result.diagnostics}),
            "failLevel": result.fail_level,
            "exitCode": result.exit_code,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"

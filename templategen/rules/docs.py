"""The rule catalogue as people and tools read it: a terminal table, JSON, and docs/rules.md.

docs/rules.md is generated from the rule classes (`make docs`), and a test fails when the committed
page differs from what this module produces, so the reference can never drift from the code. The
page opens with the user's guide to ids, severities, configuration and suppression; that prose lives
here, next to the generator, so one command rebuilds the whole page.
"""

from __future__ import annotations

from templategen.lint.result import INPUT_ERROR_ID, INPUT_ERROR_NAME
from templategen.rules import FAMILIES, family_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from templategen.rules.base import Rule

_KIND_LABEL = {
    "template": "ARM templates and Bicep files",
    "parameters": "parameter files",
    "input": "YAML inputs",
}
_FAMILIES_MARK = "<!-- families -->"


def rule_record(rule: Rule) -> dict[str, object]:
    """Everything known about a rule, as JSON-ready data (`templategen rules --format json`)."""
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity,
        "family": family_of(rule.id),
        "summary": rule.summary,
        "why": rule.why.strip(),
        "bad": rule.bad.strip(),
        "good": rule.good.strip(),
        "exampleLanguage": rule.example_language,
        "sourceUrl": rule.source_url,
        "tags": list(rule.tags),
        "appliesTo": sorted(rule.applies_to),
    }


def render_json(rules: Sequence[Rule]) -> str:
    """The catalogue as a JSON array, one object per rule, sorted by id."""
    import json

    return json.dumps([rule_record(rule) for rule in rules], indent=2, ensure_ascii=False) + "\n"


def render_table(rules: Sequence[Rule]) -> str:
    """An aligned plain-text table: id, name, default severity, summary."""
    if not rules:
        return "No rules are registered.\n"
    rows = [("ID", "NAME", "SEVERITY", "SUMMARY")]
    rows += [(rule.id, rule.name, rule.severity, rule.summary) for rule in rules]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = []
    for row in rows:
        cells = [row[column].ljust(widths[column]) for column in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return "\n".join(lines) + "\n"


def anchor(rule: Rule) -> str:
    """The GitHub heading anchor of a rule's section in docs/rules.md."""
    return f"{rule.id.lower()}-{rule.name}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: the guide, the index table, then one section per rule."""
    guide = GUIDE.strip().replace(_FAMILIES_MARK, _family_table(rules).rstrip("\n"))
    parts = [guide + "\n", _index(rules)]
    parts.extend(_section(rule) for rule in rules)
    return "\n".join(parts)


def _family_table(rules: Sequence[Rule]) -> str:
    counts = {digit: 0 for digit in FAMILIES}
    for rule in rules:
        counts[rule.id[2]] = counts.get(rule.id[2], 0) + 1
    lines = ["| Ids | Family | Rules |", "|---|---|---|"]
    for digit, family in FAMILIES.items():
        lines.append(f"| TG{digit}xx | {family} | {counts.get(digit, 0)} |")
    return "\n".join(lines) + "\n"


def _index(rules: Sequence[Rule]) -> str:
    head = "## Rule index\n\n"
    if not rules:
        return head + "No rules are registered yet: this index fills in as rule modules are added.\n"
    lines = ["| Id | Name | Default severity | Summary |", "|---|---|---|---|"]
    for rule in rules:
        link = f"[{rule.id}](#{anchor(rule)})"
        lines.append(f"| {link} | `{rule.name}` | {rule.severity} | {_cell(rule.summary)} |")
    return head + "\n".join(lines) + "\n"


def _section(rule: Rule) -> str:
    applies = ", ".join(_KIND_LABEL.get(kind, kind) for kind in sorted(rule.applies_to))
    facts = [
        f"**Default severity:** {rule.severity}",
        f"**Family:** {family_of(rule.id)}",
        f"**Applies to:** {applies}",
    ]
    if rule.tags:
        facts.append("**Tags:** " + ", ".join(f"`{tag}`" for tag in rule.tags))
    language = rule.example_language
    out = [
        f"## {rule.id} `{rule.name}`",
        "",
        " · ".join(facts),
        "",
        rule.summary.strip(),
        "",
        "### Why it matters",
        "",
        rule.why.strip(),
        "",
        "### Failing example",
        "",
        f"```{language}",
        rule.bad.strip("\n"),
        "```",
        "",
        "### Fixed example",
        "",
        f"```{language}",
        rule.good.strip("\n"),
        "```",
        "",
    ]
    if rule.source_url:
        out += [f"**Source:** <{rule.source_url}>", ""]
    out += [
        "### Suppressing it",
        "",
        f"- for a project or some paths: `ignore: [{rule.id}]` or `per-path-ignores` in `.templategen.yaml`;",
        f'- in an ARM template: `"metadata": {{"templategen": {{"ignore": ["{rule.id}: reason"]}}}}`'
        " on the template or the resource;",
        f"- in a Bicep file: `// templategen-disable-next-line {rule.id} -- reason` above the line.",
        "",
    ]
    return "\n".join(out)


GUIDE = f"""
# templategen rules

<!-- Generated from the rule classes in templategen/rules/ by `make docs`
     (`templategen rules --format markdown -o docs/rules.md`). Do not edit by hand:
     a test fails when this page and the code disagree. -->

This page is the reference for `templategen lint`: how rules are named, how serious each finding is,
how to choose the rules a project runs, and how to silence one finding where it occurs. The index and
the rule sections at the end are generated from the rules themselves; `templategen rules` prints the
same index in a terminal.

## Ids, names and families

Every rule has two stable handles, and either can be used wherever a rule is named (configuration,
command line, suppressions):

- an **id**, `TG` followed by three digits, such as `TG401`. Ids never change meaning and are never
  reused for a different check;
- a **name** in kebab-case, such as `hardcoded-location`, which says what the rule checks.

The hundreds digit of the id is the rule's **family**, so a prefix selects a whole family: `TG4`
selects every security and practice rule, `TG40` the first ten of them, `TG` (or `ALL`) every rule.

<!-- families -->

`{INPUT_ERROR_ID}` (`{INPUT_ERROR_NAME}`) is reported for a file that cannot be used at all: it cannot be
read, is not UTF-8 or UTF-16, or is not JSON even by Resource Manager's lenient rules (comments,
trailing commas and raw line breaks in strings are accepted). It is always on, is always an error and
makes the exit code 2; configuration cannot change that.

## Severities and exit codes

Each rule has a default severity:

- **error**: the template will not deploy, or deploys something other than what it says;
- **warning**: it deploys, but is risky, fragile or against Microsoft's guidance;
- **info**: a suggestion.

The exit code of `templategen lint` is the same whatever the output format:

| Exit code | Meaning |
|---|---|
| 0 | no finding at or above the failing level (findings below it are still shown) |
| 1 | at least one finding at or above the failing level |
| 2 | a file could not be used (`{INPUT_ERROR_ID}`), or the command line or configuration is wrong |

The failing level is `error` unless `--fail-level warning` (or `info`), or `fail-level` in the
configuration, lowers it.

## Configuration

templategen reads its settings from `.templategen.yaml`, or from a `[tool.templategen]` table in
`pyproject.toml`. It looks in the current folder, then in each parent folder, and stops at the first
folder that holds `.git`, `.hg` or `.svn` (the repository root) or at the filesystem root. In one
folder, `.templategen.yaml` wins over `pyproject.toml`. `--config FILE` names the file instead.

```yaml
# .templategen.yaml
select: [TG]                 # rules to run: ids, prefixes, names, or ALL (default: every rule)
ignore:                      # rules not to run
  - TG7                      #   a family
  - unused-parameter         #   a rule, by name
severity:                    # change a rule's severity: error, warning, info, or off
  TG401: error
  hardcoded-location: off
per-path-ignores:            # rules not to apply to some files
  "tests/**/*.json": [TG4]
  "*.bicep": [TG1]
exclude: ["examples/generated/**"]   # files the linter does not read at all
fail-level: warning          # lowest severity that fails the run (default: error)
```

The same in `pyproject.toml`:

```toml
[tool.templategen]
select = ["TG"]
ignore = ["TG7", "unused-parameter"]
fail-level = "warning"

[tool.templategen.severity]
TG401 = "error"
hardcoded-location = "off"

[tool.templategen.per-path-ignores]
"tests/**/*.json" = ["TG4"]
```

How the settings combine:

- **Most specific wins.** When several entries of `select` and `ignore` name a rule, the most specific
  decides: an id or a name beats a two-digit prefix (`TG40`), which beats a one-digit prefix (`TG4`),
  which beats `TG`/`ALL`. So `select: [TG4]` with `ignore: [TG40]` runs `TG410`-`TG499` only, and
  adding `TG401` to `select` brings that one back. On a tie, `ignore` wins. The same holds for
  `severity`: `TG4: info` with `TG401: error` makes every family rule info except `TG401`.
- **`off`** in `severity` switches a rule off, like `ignore`.
- **The command line wins over the file.** `--select` replaces the file's `select` and `ignore`;
  `--ignore` switches rules off on top of the file; `--fail-level` replaces `fail-level`.
- **Disabled rules do not run**, so ignoring a slow rule makes the run faster.
- **Globs** in `per-path-ignores` and `exclude` are relative to the folder holding the configuration
  file. `*` and `?` match within one path segment, `**` matches any number of folders, `[abc]` a
  character class. A pattern without `/` (such as `*.bicep` or `tests`) matches at any depth; a
  pattern with `/` is anchored at the configuration folder. A pattern that matches a folder covers
  every file in it.
- **Mistakes are errors.** An unknown key, an unknown rule id or name, or a bad severity stops the run
  with exit code 2 and the position of the mistake (`.templategen.yaml:3:5: unknown rule id TG999`),
  rather than silently linting with settings you did not mean.

## Suppressing a finding

Prefer fixing the template; when a finding is deliberate, say so where it occurs, with the reason, so
the next reader knows.

**ARM JSON templates**: add `templategen.ignore` to the `metadata` of the template (covers the whole
file) or of a resource (covers the resource, its child resources, and the template of an inline nested
deployment). Entries are ids, prefixes or names, optionally followed by `: reason`:

```json
{{
  "type": "Microsoft.Compute/virtualMachines/extensions",
  "name": "[concat(parameters('vmName'), '/VMSnapshot')]",
  "metadata": {{
    "templategen": {{"ignore": ["TG401: this template deploys to a single region"]}}
  }}
}}
```

Metadata is used for JSON because it survives compiling and deploying, and Resource Manager ignores it.

**Bicep files**: a comment naming the rules, with an optional reason after `--`:

```bicep
// templategen-disable-next-line TG401 -- this template deploys to a single region
param location string = 'westeurope'

param backupLocation string = 'northeurope' // templategen-disable-line hardcoded-location
```

`templategen-disable-next-line` covers the next line (several can be stacked above one line);
`templategen-disable-line` covers the line it ends. A finding is covered when it starts on that line.
A directive must name at least one rule: there is no blanket "disable everything", so a rule added
later is never hidden by accident. A directive naming an unknown rule is reported.

**Parameter files and whole folders**: use `per-path-ignores` or `exclude` in the configuration.
"""

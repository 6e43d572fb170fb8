"""Checking an extension's evaluated `settings` / `protectedSettings` against the shipped schemas.

The schemas in `schemas/` are the ones the generator uses; the linter validates against the same
files, through `templategen.inputs.schemastore` (jsonschema is imported there, on first use, which
only happens for a template that has a snapshot extension).

The schemas describe literal values, while a template's values are evaluated offline and may be
partly unknown. So the object is checked in two steps:

* keys: every key, whatever its value, against the keys the schema declares (case-insensitively:
  ARM reads property names without regard to case, so `TaskId` is `taskId`);
* values: only the members whose value is fully known (and, when asked, not secret) are given to
  jsonschema; a required key that is present with an unknown value is not "missing".

The result is a list of `SchemaIssue`s with the member path and a message that names what was found
(through `describe`, so redacted) and what is expected.
"""

from __future__ import annotations

from templategen.arm.values import describe, is_known, is_secret

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any


class SchemaIssue:
    """One schema violation: `path` is the member (key spelling as in the value), `at_key` says the
    finding belongs on the member's key (unknown keys), `missing` that the member is absent."""

    __slots__ = ("at_key", "message", "missing", "path")

    def __init__(
        self, path: tuple[str, ...], message: str, *, at_key: bool = False, missing: bool = False
    ) -> None:
        self.path = path
        self.message = message
        self.at_key = at_key
        self.missing = missing

    def __repr__(self) -> str:
        return f"SchemaIssue({self.path!r}, {self.message!r})"


def validate_known(
    schema: str,
    value: dict[str, object],
    *,
    field: str,
    skip_keys: Collection[str] = (),
    skip_values: Collection[str] = (),
    value_keywords: Collection[str] | None = None,
    skip_secret: bool = False,
) -> list[SchemaIssue]:
    """Schema violations of the evaluated object `value` against schema `schema` (file name
    without `.schema.json`).

    field         how messages name the object (`settings`, `protectedSettings`)
    skip_keys     keys (lower case) not to report as unknown: another rule owns them
    skip_values   keys (lower case) whose values another rule checks completely
    value_keywords  for the keys in `skip_values`, schema keywords still checked here (e.g. "type")
    skip_secret   leave values derived from secure parameters alone
    """
    from templategen.inputs import schemastore

    declared = schemastore.allowed_keys(schema, [], value)
    canonical = {key.lower(): key for key in declared}
    issues: list[SchemaIssue] = []
    projection: dict[str, object] = {}
    spelled: dict[str, str] = {}
    present: set[str] = set()
    for key, member in value.items():
        name = canonical.get(key.lower())
        if name is None:
            if key.lower() not in skip_keys:
                issues.append(
                    SchemaIssue(
                        (key,),
                        f"unknown key `{field}.{key}`{_suggest(key, declared)}: the extension reads only "
                        + ", ".join(declared),
                        at_key=True,
                    )
                )
            continue
        present.add(name)
        spelled[name] = key
        if is_known(member) and not (skip_secret and is_secret(member)):
            projection[name] = member
    instance: Any = projection
    errors = sorted(
        schemastore.validator(schema).iter_errors(instance),
        key=lambda e: ([str(p) for p in e.absolute_path], [str(p) for p in e.absolute_schema_path]),
    )
    for error in errors:
        keyword = str(error.validator)
        path = [str(step) for step in error.absolute_path]
        if keyword == "additionalProperties":
            continue
        if keyword == "required" and not path:
            required: Any = error.validator_value
            for key in required:
                if key not in present:
                    issues.append(
                        SchemaIssue(
                            (str(key),),
                            f"`{field}` has no `{key}`: the extension needs it"
                            + _expected_suffix(schema, str(key)),
                            missing=True,
                        )
                    )
            continue
        if not path:
            continue
        name = path[0]
        if name.lower() in skip_values and (value_keywords is None or keyword not in value_keywords):
            continue
        shown_path = (spelled.get(name, name), *path[1:])
        issues.append(SchemaIssue(shown_path, _message(field, shown_path, keyword, error)))
    return _unique(issues)


def _unique(issues: list[SchemaIssue]) -> list[SchemaIssue]:
    seen: set[tuple[tuple[str, ...], str]] = set()
    out = []
    for issue in issues:
        key = (issue.path, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def _suggest(word: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _expected_suffix(schema: str, key: str) -> str:
    from templategen.inputs import schemastore

    sub = schemastore.load_schema(schema).get("properties", {}).get(key, {})
    if not isinstance(sub, dict):
        return ""
    examples = sub.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], str) and "sig=" not in examples[0]:
        return f" (for example `{examples[0]}`)"
    default = sub.get("default")
    if isinstance(default, str):
        return f" (usually `{default}`)"
    return ""


_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {describe(value)}"
    if isinstance(value, str):
        return f"'{describe(value)}'"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return describe(value)


def _message(field: str, path: tuple[str, ...], keyword: str, error: Any) -> str:
    where = f"`{field}.{'.'.join(path)}`"
    found = _found(error.instance)
    sub = error.schema if isinstance(error.schema, dict) else {}
    value = error.validator_value
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        expected = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)
        return f"{where} is {found}; expected {expected}"
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" else [value]
        shown = ", ".join(f"'{option}'" for option in options)
        return f"{where} is {found}; expected {'one of ' if len(options) > 1 else ''}{shown}"
    if keyword == "pattern":
        examples = sub.get("examples")
        like = f"like '{examples[0]}'" if isinstance(examples, list) and examples else f"matching {value}"
        return f"{where} is {found}; expected a string {like}"
    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        return f"{where} is {found}; expected {bound} {value} characters"
    if keyword == "format":
        return f"{where} is {found}; expected a valid {value}"
    from templategen.redact import redact_text

    return f"{where}: {redact_text(str(error.message))}"

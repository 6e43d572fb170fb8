"""The JSON Schemas in `schemas/`: loading, validating with positions, and taking defaults from them.

The schemas are the single source of truth for what an input may say: allowed keys, types, patterns,
ranges and default values. Nothing here repeats them. Validation turns each jsonschema error into a
`Problem` at the position of the offending node; `apply_defaults` fills in absent values from the
schemas' `default` keywords (following `$ref`, `allOf` and `if`/`then`/`else`).
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import os
import urllib.parse

from templategen.diagnostics import Location
from templategen.inputs.problems import Problem
from templategen.inputs.yamlload import escape_pointer_token
from templategen.resources import data_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    import jsonschema
    import referencing
    from referencing._core import Resolver

    from templategen.inputs.yamlload import YamlDocument

SUFFIX = ".schema.json"
_MISSING = object()


def schemas_dir() -> str:
    return data_dir("schemas")


def schema_names() -> list[str]:
    """Names of the shipped schemas (file names without `.schema.json`), sorted."""
    return sorted(name[: -len(SUFFIX)] for name in os.listdir(schemas_dir()) if name.endswith(SUFFIX))


def schema_path(name: str) -> str:
    """File path of schema `name` (with or without the `.schema.json` suffix); KeyError if unknown."""
    base = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    if base not in schema_names():
        raise KeyError(name)
    return os.path.join(schemas_dir(), base + SUFFIX)


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema `name`."""
    with open(schema_path(name), encoding="utf-8") as handle:
        data = json.load(handle)
    assert isinstance(data, dict)
    return data


def schema_id(name: str) -> str:
    return str(load_schema(name)["$id"])


@functools.lru_cache(maxsize=1)
def registry() -> referencing.Registry[Any]:
    """Every shipped schema, keyed by its `$id`, so relative `$ref`s between files resolve offline."""
    from referencing import Registry, Resource

    resources = [(schema_id(name), Resource.from_contents(load_schema(name))) for name in schema_names()]
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for schema `name` with format checking."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        load_schema(name), registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


# --- defaults -------------------------------------------------------------------------------------


def apply_defaults(instance: object, name: str) -> object:
    """A copy of `instance` with every absent property that has a schema `default` filled in."""
    root = load_schema(name)
    resolver = registry().resolver(base_uri=schema_id(name))
    return _with_defaults(instance, [(root, resolver)])


def _with_defaults(instance: object, schemas: Sequence[tuple[Any, Resolver[Any]]]) -> object:
    if isinstance(instance, dict):
        result = dict(instance)
        # Defaults can switch an `if` (e.g. a default `tier`), so settle the object level first.
        for _ in range(4):
            effective = [pair for schema, res in schemas for pair in _effective(schema, res, result)]
            properties = _property_schemas(effective)
            changed = False
            for key, subs in properties.items():
                if key not in result:
                    default = _first_default(subs)
                    if default is not _MISSING:
                        result[key] = copy.deepcopy(default)
                        changed = True
            if not changed:
                break
        effective = [pair for schema, res in schemas for pair in _effective(schema, res, result)]
        for key, subs in _property_schemas(effective).items():
            if key in result:
                result[key] = _with_defaults(result[key], subs)
        return result
    if isinstance(instance, list):
        effective = [pair for schema, res in schemas for pair in _effective(schema, res, instance)]
        items = [
            (sub["items"], res)
            for sub, res in effective
            if isinstance(sub, dict) and isinstance(sub.get("items"), dict)
        ]
        return [_with_defaults(item, items) for item in instance] if items else list(instance)
    return instance


def _effective(
    schema: Any, resolver: Resolver[Any], instance: object
) -> Iterator[tuple[dict[str, Any], Resolver[Any]]]:
    """`schema` and every subschema that applies to `instance` unconditionally or by its `if`."""
    if not isinstance(schema, dict):
        return
    yield schema, resolver
    ref = schema.get("$ref")
    if isinstance(ref, str):
        resolved = resolver.lookup(ref)
        yield from _effective(resolved.contents, resolved.resolver, instance)
    for sub in schema.get("allOf", ()):
        yield from _effective(sub, resolver, instance)
    if "if" in schema:
        branch = "then" if _is_valid(schema["if"], instance) else "else"
        if branch in schema:
            yield from _effective(schema[branch], resolver, instance)


def _is_valid(schema: Any, instance: object) -> bool:
    from jsonschema import Draft202012Validator

    # The `if` conditions in our schemas are self-contained (no $ref), so no base URI is needed.
    return bool(Draft202012Validator(schema, registry=registry()).is_valid(instance))


def _property_schemas(
    effective: Sequence[tuple[dict[str, Any], Resolver[Any]]],
) -> dict[str, list[tuple[Any, Resolver[Any]]]]:
    found: dict[str, list[tuple[Any, Resolver[Any]]]] = {}
    for schema, resolver in effective:
        props = schema.get("properties")
        if isinstance(props, dict):
            for key, sub in props.items():
                found.setdefault(key, []).append((sub, resolver))
    return found


def _first_default(subs: Sequence[tuple[Any, Resolver[Any]]]) -> object:
    for sub, resolver in subs:
        for schema, _ in _effective(sub, resolver, None):
            if "default" in schema:
                return schema["default"]
    return _MISSING


def allowed_keys(name: str, schema_path: Sequence[object], instance: object) -> list[str]:
    """Keys the (sub)schema at `schema_path` of schema `name` declares for `instance`, in schema order."""
    trail = _trail(name, schema_path)
    if trail is None:
        return []
    keys: list[str] = []
    for schema, _ in _effective(trail[-1].node, trail[-1].resolver, instance):
        for key in schema.get("properties") or {}:
            if key not in keys:
                keys.append(key)
    return keys


class _Place:
    """A node of a schema, the resolver for `$ref`s inside it, and where it is (file, pointer)."""

    __slots__ = ("file_uri", "node", "pointer", "resolver")

    def __init__(self, node: Any, resolver: Resolver[Any], file_uri: str, pointer: list[str]) -> None:
        self.node = node
        self.resolver = resolver
        self.file_uri = file_uri
        self.pointer = pointer


def _through_refs(place: _Place) -> Iterator[_Place]:
    """`place`, then what its `$ref` names, then what that one's `$ref` names, ..."""
    yield place
    for _ in range(32):  # the shipped schemas chain at most a few; bounded all the same
        ref = place.node.get("$ref") if isinstance(place.node, dict) else None
        if not isinstance(ref, str):
            return
        target = urllib.parse.urljoin(place.file_uri, ref)
        file_uri, fragment = urllib.parse.urldefrag(target)
        resolved = place.resolver.lookup(ref)
        tokens = [token for token in fragment.split("/") if token]
        place = _Place(resolved.contents, resolved.resolver, file_uri, tokens)
        yield place


def _child(node: Any, segment: object) -> Any:
    if isinstance(node, dict):
        return node.get(str(segment), _MISSING)
    if isinstance(node, list) and str(segment).isdigit() and int(str(segment)) < len(node):
        return node[int(str(segment))]
    return _MISSING


def _trail(name: str, path: Sequence[object]) -> list[_Place] | None:
    """The places jsonschema's `absolute_schema_path` passes through, or None if it cannot be followed.

    The path continues through `$ref`s without naming them, and a schema may have both a `$ref` and
    keywords of its own (`monthly` has its own `properties` beside a `$ref` to a definition that has
    `properties` too), so a segment may have to be looked up in the node or in what its `$ref` names,
    and only a later segment tells which. Item i of the result holds `path[i]`; the last one is where
    the path ends.
    """
    base = schema_id(name)
    start = _Place(load_schema(name), registry().resolver(base_uri=base), base, [])

    def search(place: _Place, index: int) -> list[_Place] | None:
        if index == len(path):
            return [place]
        segment = path[index]
        for here in _through_refs(place):
            child = _child(here.node, segment)
            if child is _MISSING:
                continue
            token = escape_pointer_token(str(segment))
            rest = search(_Place(child, here.resolver, here.file_uri, [*here.pointer, token]), index + 1)
            if rest is not None:
                return [here, *rest]
        return None

    return search(start, 0)


def schema_location(name: str, path: Sequence[object]) -> str:
    """Render jsonschema's schema path as `file#/pointer` of the rule that failed, following `$ref`s
    into other files (`vmsnapshot-settings.schema.json#/properties/taskId/pattern`)."""
    trail = _trail(name, path)
    if trail is None:
        return "#/" + "/".join(escape_pointer_token(str(segment)) for segment in path)
    end = trail[-1]
    prefix = "" if end.file_uri == schema_id(name) else end.file_uri.rsplit("/", 1)[-1]
    return f"{prefix}#/{'/'.join(end.pointer)}"


# --- validation -----------------------------------------------------------------------------------


def validate(document: YamlDocument, data: Any, name: str) -> list[Problem]:
    """Every schema violation of `data` (read from `document`) against schema `name`, as Problems."""
    errors = sorted(
        validator(name).iter_errors(data),
        key=lambda e: ([str(p) for p in e.absolute_path], [str(p) for p in e.absolute_schema_path]),
    )
    # A value of the wrong type also fails every check of its value (enum, pattern, range); saying
    # "wrong type" once is the useful part, the rest would only repeat it.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    problems: list[Problem] = []
    seen: set[str] = set()
    for error in errors:
        if error.validator in _VALUE_CHECKS and tuple(error.absolute_path) in mistyped:
            continue
        for problem in _describe(error, document, name):
            text = problem.format()
            if text not in seen:
                seen.add(text)
                problems.append(problem)
    return problems


_VALUE_CHECKS = frozenset(
    {
        "enum",
        "const",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
    }
)


def _pointer(path: Sequence[object]) -> str:
    return "".join("/" + escape_pointer_token(str(token)) for token in path)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (dict, list)):
        return "a " + _json_type(value)
    return json.dumps(value)


def _value(value: object) -> str:
    """`value 'x'`, `value 3`, or `a list` / `a mapping` (a container is not shown)."""
    return _show(value) if isinstance(value, (dict, list)) else f"value {_show(value)}"


def _one_of_values(values: Sequence[object]) -> str:
    shown = [repr(v) if isinstance(v, str) else json.dumps(v) for v in values]
    return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _condition(name: str, path: Sequence[object]) -> str:
    """For a rule inside `then`/`else`, the `if` conditions in words ("when tier is not Enhanced and
    frequency is Weekly")."""
    trail = _trail(name, path)
    if trail is None:
        return ""
    texts: list[str] = []
    for segment, place in zip(path, trail, strict=False):
        node = place.node
        if segment in ("then", "else") and isinstance(node, dict) and isinstance(node.get("if"), dict):
            text = _if_text(node["if"], negate=segment == "else")
            if text:
                texts.append(text)
    return "when " + " and ".join(texts) if texts else ""


def _if_text(condition: dict[str, Any], negate: bool) -> str:
    props = condition.get("properties")
    if isinstance(props, dict) and len(props) == 1:
        (key, sub) = next(iter(props.items()))
        if isinstance(sub, dict) and "const" in sub:
            return f"{key} is {'not ' if negate else ''}{sub['const']}"
    return ""


def _describe(error: jsonschema.ValidationError, document: YamlDocument, name: str) -> list[Problem]:
    """One or more Problems for a jsonschema error, positioned on the node (or key) at fault."""
    pointer = _pointer(error.absolute_path)
    location = document.locate(pointer)
    schema_path = list(error.absolute_schema_path)
    where = schema_location(name, schema_path)
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    sub: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    condition = _condition(name, schema_path)
    suffix = f" {condition}" if condition else ""

    def problem(message: str, loc: Location | None = None, expected: str = "") -> Problem:
        return Problem(message, loc or location, schema_path=where, expected=expected)

    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        allowed = allowed_keys(name, schema_path[:-1], instance)
        extra = [key for key in instance if key not in allowed]
        expected = "one of the keys " + ", ".join(allowed) if allowed else "no keys"
        return [
            problem(
                f"unknown key {key!r}{_suggest(key, allowed)}",
                document.locate_key(f"{pointer}/{escape_pointer_token(key)}"),
                expected,
            )
            for key in extra
        ]
    if keyword == "required" and isinstance(instance, dict):
        missing = [key for key in value if key not in instance]
        owner = document.locate_key(pointer) if pointer else location
        return [problem(f"missing key {key!r}{suffix}", owner, f"key {key!r}") for key in missing]
    if keyword == "not" and isinstance(instance, dict) and isinstance(value, dict):
        keys = _required_keys(value)
        present = [key for key in keys if key in instance]
        if present:
            return [
                problem(
                    f"key {key!r} is not allowed here{suffix}",
                    document.locate_key(f"{pointer}/{escape_pointer_token(key)}"),
                    "no " + " or ".join(repr(k) for k in keys) + " key",
                )
                for key in present
            ]
    if keyword in ("oneOf", "anyOf") and isinstance(value, list):
        alternatives = [_required_keys(branch) for branch in value]
        if all(alternatives) and isinstance(instance, dict):
            flat = [key for keys in alternatives for key in keys]
            present = [key for key in flat if key in instance]
            if not present:
                owner = document.locate_key(pointer) if pointer else location
                return [
                    problem("missing key: give " + " or ".join(repr(k) for k in flat), owner, "one of them")
                ]
            return [
                problem(
                    f"give only one of {' or '.join(repr(k) for k in flat)}",
                    document.locate_key(f"{pointer}/{escape_pointer_token(present[-1])}"),
                    "exactly one of them",
                )
            ]
        constants = _constants(name, schema_path)
        if constants:
            return [problem(f"{_value(instance)} is not allowed", expected=_one_of_values(constants))]
        from jsonschema.exceptions import best_match

        best = best_match(error.context or [])
        if best is not None:
            return _describe(best, document, name)
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        expected = " or ".join(
            "a mapping"
            if t == "object"
            else "a list"
            if t == "array"
            else f"an {t}"
            if t[:1] in ("a", "e", "i", "o", "u")
            else f"a {t}"
            for t in types
        )
        shown = _show(instance)
        got = _json_type(instance)
        message = (
            f"wrong type: got {shown}"
            if isinstance(instance, (dict, list))
            else f"wrong type: got {got} {shown}"
        )
        raw = document.raw(pointer)
        if "string" in types and document.is_plain(pointer) and raw is not None:
            if raw != _show(instance).strip("'"):
                message += f" (written {raw})"
            message += f"; quote it ('{raw}') so YAML keeps it text"
        return [problem(message, expected=expected)]
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" else [value]
        hint = _suggest(instance, [str(o) for o in options]) if isinstance(instance, str) else ""
        return [problem(f"{_value(instance)} is not allowed{suffix}{hint}", expected=_one_of_values(options))]
    if keyword == "pattern":
        examples = sub.get("examples")
        like = f"a string like {examples[0]!r} " if isinstance(examples, list) and examples else "a string "
        return [
            problem(f"{_show(instance)} does not have the required form", expected=f"{like}matching {value}")
        ]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low, high = sub.get("minimum"), sub.get("maximum")
        if low is not None and high is not None:
            expected = f"a number from {low} to {high}"
        elif keyword == "minimum":
            expected = f"at least {value}"
        elif keyword == "maximum":
            expected = f"at most {value}"
        else:
            expected = f"{'more' if keyword == 'exclusiveMinimum' else 'less'} than {value}"
        return [problem(f"value {_show(instance)} is out of range{suffix}", expected=expected)]
    if keyword in ("minItems", "maxItems") and isinstance(instance, list):
        bound = "at least" if keyword == "minItems" else "at most"
        return [problem(f"list has {len(instance)} item(s)", expected=f"{bound} {value}")]
    if keyword == "uniqueItems" and isinstance(instance, list):
        problems = []
        for index, item in enumerate(instance):
            if item in instance[:index]:
                problems.append(
                    problem(
                        f"duplicate item {_show(item)}",
                        document.locate(f"{pointer}/{index}"),
                        "distinct items",
                    )
                )
        return problems
    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        return [problem(f"{_show(instance)} has the wrong length", expected=f"{bound} {value} characters")]
    if keyword in ("minProperties", "maxProperties"):
        bound = "at least" if keyword == "minProperties" else "at most"
        return [problem("wrong number of keys", expected=f"{bound} {value} keys")]
    if keyword == "propertyNames" and isinstance(instance, dict):
        from jsonschema import Draft202012Validator

        bad = [key for key in instance if not Draft202012Validator(value).is_valid(key)]
        return [
            problem(
                f"key {key!r} is not allowed",
                document.locate_key(f"{pointer}/{escape_pointer_token(key)}"),
                "a key " + json.dumps(value),
            )
            for key in bad
        ]
    if keyword == "format":
        return [problem(f"{_show(instance)} is not a valid {value}", expected=f"a {value}")]
    if error.schema is False:
        return [problem("this key is not allowed here", document.locate_key(pointer))]
    return [problem(error.message)]


def _required_keys(schema: Any) -> list[str]:
    """Keys named by a schema that only says `required` (or anyOf/oneOf of such); [] otherwise."""
    if not isinstance(schema, dict):
        return []
    if set(schema) == {"required"}:
        return [str(key) for key in schema["required"]]
    for keyword in ("anyOf", "oneOf"):
        if set(schema) == {keyword}:
            keys = [_required_keys(branch) for branch in schema[keyword]]
            if all(keys):
                return [key for group in keys for key in group]
    return []


def _constants(name: str, schema_path: Sequence[object]) -> list[object]:
    """The values allowed by anyOf/oneOf branches that are each a `const` or an `enum` (via $ref too)."""
    trail = _trail(name, schema_path)
    if trail is None or not isinstance(trail[-1].node, list):
        return []
    node, resolver = trail[-1].node, trail[-1].resolver
    values: list[object] = []
    for branch in node:
        found = False
        for schema, _ in _effective(branch, resolver, None):
            if "const" in schema:
                values.append(schema["const"])
                found = True
            elif isinstance(schema.get("enum"), list):
                values.extend(schema["enum"])
                found = True
        if not found:
            return []
    return values

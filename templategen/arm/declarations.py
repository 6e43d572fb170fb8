"""The named things a template declares: parameters, variables, user functions, outputs, copy loops.

Each keeps its name as written (for messages), a lower-cased `key` (ARM compares names
case-insensitively), the raw JSON it was read from and its JSON pointer, so a rule can both reason
about it and point at it. See `templategen.arm.template` for how they are collected.
"""

from __future__ import annotations

from templategen.arm.names import escape_token, lower_keys, walk_path

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.arm.template import Template

_SECURE_TYPES = frozenset({"securestring", "secureobject"})


class CopyLoop:
    """One copy loop: on a resource, inside a property (`copy: [{name, count, input}]`), in
    `variables.copy`, or on an output.

    `kind` is "resource", "property", "variable" or "output". `name` is the loop name as written
    (None for output loops, which have none, and when it is missing); `copyIndex('name')` refers to it
    case-insensitively. `count`, `mode`, `batch_size` and `input` are the raw values (None when absent;
    `has_input` tells an absent `input` from a null one). `pointer` is the `copy` object (resource,
    output) or the array element (property, variable).
    """

    __slots__ = ("batch_size", "count", "has_input", "input", "kind", "mode", "name", "pointer", "raw")

    def __init__(self, kind: str, raw: dict[str, object], pointer: str) -> None:
        keys = lower_keys(raw)
        self.kind = kind
        self.raw = raw
        self.pointer = pointer
        name = raw.get(keys["name"]) if "name" in keys else None
        self.name: str | None = name if isinstance(name, str) else None
        self.count: object = raw[keys["count"]] if "count" in keys else None
        self.mode: object = raw[keys["mode"]] if "mode" in keys else None
        self.batch_size: object = raw[keys["batchsize"]] if "batchsize" in keys else None
        self.has_input = "input" in keys
        self.input: object = raw[keys["input"]] if self.has_input else None

    def matches(self, name: str) -> bool:
        """True when `copyIndex(name)` refers to this loop (loop names are case-insensitive)."""
        return self.name is not None and self.name.lower() == name.lower()

    def __repr__(self) -> str:
        return f"CopyLoop({self.kind} {self.name!r} at {self.pointer!r})"


class Parameter:
    """A template parameter. `type` is lower-cased ("string", "securestring", ...; None if absent or
    not a string, e.g. a languageVersion 2.0 `$ref` type). `secure` is true for secureString and
    secureObject. `default` is the raw `defaultValue` (check `has_default`: null is a valid default)."""

    __slots__ = (
        "allowed_values",
        "default",
        "description",
        "has_allowed_values",
        "has_default",
        "key",
        "max_length",
        "max_value",
        "metadata",
        "min_length",
        "min_value",
        "name",
        "nullable",
        "pointer",
        "raw",
        "secure",
        "template",
        "type",
    )

    def __init__(self, template: Template, name: str, raw: dict[str, object], pointer: str) -> None:
        keys = lower_keys(raw)
        self.template = template
        self.name = name
        self.key = name.lower()
        self.raw = raw
        self.pointer = pointer
        written_type = raw.get(keys["type"]) if "type" in keys else None
        self.type: str | None = written_type.lower() if isinstance(written_type, str) else None
        self.secure = self.type in _SECURE_TYPES
        self.has_default = "defaultvalue" in keys
        self.default: object = raw[keys["defaultvalue"]] if self.has_default else None
        self.has_allowed_values = "allowedvalues" in keys
        self.allowed_values: object = raw[keys["allowedvalues"]] if self.has_allowed_values else None
        self.min_value: object = raw[keys["minvalue"]] if "minvalue" in keys else None
        self.max_value: object = raw[keys["maxvalue"]] if "maxvalue" in keys else None
        self.min_length: object = raw[keys["minlength"]] if "minlength" in keys else None
        self.max_length: object = raw[keys["maxlength"]] if "maxlength" in keys else None
        self.nullable = raw.get(keys["nullable"]) is True if "nullable" in keys else False
        metadata = raw[keys["metadata"]] if "metadata" in keys else None
        self.metadata: dict[str, object] = metadata if isinstance(metadata, dict) else {}
        found = walk_path(self.metadata, "", ("description",))
        self.description: str | None = found[0] if found and isinstance(found[0], str) else None

    def pointer_of(self, *path: str | int) -> str | None:
        """Pointer of a member of this parameter (`"defaultValue"`, ...), spelled as in the file."""
        found = walk_path(self.raw, self.pointer, path)
        return None if found is None else found[1]

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, type={self.type!r})"


class Variable:
    """A variable. A copy variable (an entry of `variables.copy`) is a variable of its own with
    `copy` set: its value is the loop's `input`, and `value_pointer` points there; `pointer` is the
    array element."""

    __slots__ = ("copy", "key", "name", "pointer", "template", "value", "value_pointer")

    def __init__(
        self,
        template: Template,
        name: str,
        value: object,
        pointer: str,
        value_pointer: str,
        copy: CopyLoop | None = None,
    ) -> None:
        self.template = template
        self.name = name
        self.key = name.lower()
        self.value = value
        self.pointer = pointer
        self.value_pointer = value_pointer
        self.copy = copy

    def __repr__(self) -> str:
        return f"Variable({self.name!r}{' copy' if self.copy else ''})"


class UserFunction:
    """A user-defined function, called as `namespace.name(...)`; `key` is that, lower-cased.

    `parameters` lists (name, lower-cased type or None, pointer). Its output value may only use
    its own parameters (`parameters('x')` inside means the function's parameter), which is why the
    expression sites in it carry `function`.
    """

    __slots__ = (
        "key",
        "name",
        "namespace",
        "output_pointer",
        "output_type",
        "output_value",
        "parameters",
        "pointer",
        "raw",
        "template",
    )

    def __init__(
        self, template: Template, namespace: str, name: str, raw: dict[str, object], pointer: str
    ) -> None:
        self.template = template
        self.namespace = namespace
        self.name = name
        self.key = f"{namespace}.{name}".lower()
        self.raw = raw
        self.pointer = pointer
        self.parameters: list[tuple[str, str | None, str]] = []
        found = walk_path(raw, pointer, ("parameters",))
        if found is not None and isinstance(found[0], list):
            for index, item in enumerate(found[0]):
                if not isinstance(item, dict):
                    template.problem(f"{found[1]}/{index}", "function parameter is not an object")
                    continue
                keys = lower_keys(item)
                pname = item.get(keys["name"]) if "name" in keys else None
                ptype = item.get(keys["type"]) if "type" in keys else None
                if not isinstance(pname, str):
                    template.problem(f"{found[1]}/{index}", "function parameter has no name")
                    continue
                self.parameters.append(
                    (pname, ptype.lower() if isinstance(ptype, str) else None, f"{found[1]}/{index}")
                )
        output_type = walk_path(raw, pointer, ("output", "type"))
        self.output_type: str | None = (
            output_type[0].lower() if output_type is not None and isinstance(output_type[0], str) else None
        )
        output_value = walk_path(raw, pointer, ("output", "value"))
        self.output_value: object = output_value[0] if output_value is not None else None
        self.output_pointer: str | None = output_value[1] if output_value is not None else None

    @property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}"

    def __repr__(self) -> str:
        return f"UserFunction({self.full_name!r})"


class Output:
    """A template output; `type` lower-cased, `value` raw (`has_value`), `copy` for output loops."""

    __slots__ = (
        "condition",
        "copy",
        "has_value",
        "key",
        "metadata",
        "name",
        "pointer",
        "raw",
        "template",
        "type",
        "value",
    )

    def __init__(self, template: Template, name: str, raw: dict[str, object], pointer: str) -> None:
        keys = lower_keys(raw)
        self.template = template
        self.name = name
        self.key = name.lower()
        self.raw = raw
        self.pointer = pointer
        written_type = raw.get(keys["type"]) if "type" in keys else None
        self.type: str | None = written_type.lower() if isinstance(written_type, str) else None
        self.has_value = "value" in keys
        self.value: object = raw[keys["value"]] if self.has_value else None
        self.condition: object = raw[keys["condition"]] if "condition" in keys else None
        metadata = raw[keys["metadata"]] if "metadata" in keys else None
        self.metadata: dict[str, object] = metadata if isinstance(metadata, dict) else {}
        self.copy: CopyLoop | None = None
        if "copy" in keys:
            copy = raw[keys["copy"]]
            copy_pointer = pointer + "/" + escape_token(keys["copy"])
            if isinstance(copy, dict):
                self.copy = CopyLoop("output", copy, copy_pointer)
            else:
                template.problem(copy_pointer, "output `copy` is not an object")

    def pointer_of(self, *path: str | int) -> str | None:
        found = walk_path(self.raw, self.pointer, path)
        return None if found is None else found[1]

    def __repr__(self) -> str:
        return f"Output({self.name!r})"

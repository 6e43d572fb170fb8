"""A resource of the template model, with its full type and name, loops and nested template.

ARM lets a resource declare children inside its own `resources` array with a type and a name
*relative* to the parent (`extensions` / `VMSnapshot` under a VM). Rules should not care how a
resource was written, so each Resource carries the full type (`Microsoft.Compute/virtualMachines/
extensions`) and the full name (parent name + `/` + own name, as an ARM string).
"""

from __future__ import annotations

from templategen.arm.declarations import CopyLoop
from templategen.arm.names import escape_token, is_expression, join_names, lower_keys, walk_path

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.arm.template import Template

DEPLOYMENTS_TYPE = "microsoft.resources/deployments"


class Resource:
    """One resource, top-level or child (children are flattened into `Template.resources`).

    type            full type, e.g. `Microsoft.Compute/virtualMachines/extensions` for an
                    `extensions` child of a VM; None when it is not a literal (or the parent's is not)
    type_as_written the raw `type` value
    name            full name: a literal (`vault/policy`) or an ARM expression string combining
                    the parent's name and the own one (`[format('{0}/{1}', parameters('vm'), 'x')]`);
                    None when a part is missing or not a string
    name_as_written the raw `name` value
    name_parts      the raw name segments `name` was built from (parent's first)
    symbolic_name   the key in a languageVersion 2.0 `resources` object (None in an array)
    copy            the resource's own copy loop; `loops` every loop around it, outermost first
                    (the parent's, and for an outer-scope nested template the deployment's)
    depends_on      list of (raw value, pointer)
    nested          the Template of an inline nested deployment (`properties.template`)
    """

    __slots__ = (
        "api_version",
        "children",
        "condition",
        "copy",
        "depends_on",
        "existing",
        "key_map",
        "location",
        "loops",
        "metadata",
        "name",
        "name_as_written",
        "name_parts",
        "nested",
        "parent",
        "pointer",
        "properties",
        "raw",
        "scope",
        "symbolic_name",
        "template",
        "type",
        "type_as_written",
    )

    def __init__(
        self,
        template: Template,
        raw: dict[str, object],
        pointer: str,
        parent: Resource | None,
        symbolic_name: str | None,
    ) -> None:
        keys = lower_keys(raw)
        self.key_map = keys
        self.template = template
        self.raw = raw
        self.pointer = pointer
        self.parent = parent
        self.children: list[Resource] = []
        self.symbolic_name = symbolic_name
        self.nested: Template | None = None

        self.type_as_written: object = raw[keys["type"]] if "type" in keys else None
        self.type = _full_type(self.type_as_written, parent)
        self.api_version: object = raw[keys["apiversion"]] if "apiversion" in keys else None

        self.name_as_written: object = raw[keys["name"]] if "name" in keys else None
        written = self.name_as_written
        if not isinstance(written, str):
            self.name_parts: tuple[str, ...] = ()
        elif parent is not None and _is_relative_type(self.type_as_written):
            self.name_parts = (*parent.name_parts, written) if parent.name_parts else ()
        else:
            self.name_parts = (written,)
        self.name: str | None = join_names(self.name_parts) if self.name_parts else None

        self.condition: object = raw[keys["condition"]] if "condition" in keys else None
        self.existing = raw[keys["existing"]] is True if "existing" in keys else False
        self.location: object = raw[keys["location"]] if "location" in keys else None
        self.scope: object = raw[keys["scope"]] if "scope" in keys else None
        properties = raw[keys["properties"]] if "properties" in keys else None
        self.properties: object = properties
        metadata = raw[keys["metadata"]] if "metadata" in keys else None
        self.metadata: dict[str, object] = metadata if isinstance(metadata, dict) else {}

        self.copy: CopyLoop | None = None
        if "copy" in keys:
            copy = raw[keys["copy"]]
            copy_pointer = pointer + "/" + escape_token(keys["copy"])
            if isinstance(copy, dict):
                self.copy = CopyLoop("resource", copy, copy_pointer)
            else:
                template.problem(copy_pointer, "resource `copy` is not an object")
        outer = parent.loops if parent is not None else template.inherited_loops
        self.loops: tuple[CopyLoop, ...] = (*outer, self.copy) if self.copy is not None else outer

        self.depends_on: list[tuple[object, str]] = []
        if "dependson" in keys:
            depends = raw[keys["dependson"]]
            depends_pointer = pointer + "/" + escape_token(keys["dependson"])
            if isinstance(depends, list):
                self.depends_on = [(item, f"{depends_pointer}/{i}") for i, item in enumerate(depends)]
            else:
                template.problem(depends_pointer, "`dependsOn` is not an array")

    @property
    def has_condition(self) -> bool:
        return "condition" in self.key_map

    @property
    def is_deployment(self) -> bool:
        """True for `Microsoft.Resources/deployments` (inline nested or linked)."""
        return self.type is not None and self.type.lower() == DEPLOYMENTS_TYPE

    @property
    def type_lower(self) -> str | None:
        return None if self.type is None else self.type.lower()

    @property
    def label(self) -> str:
        """A short human name for messages: the symbolic name, else the name as written, else the pointer."""
        if self.symbolic_name is not None:
            return self.symbolic_name
        if isinstance(self.name_as_written, str):
            return self.name_as_written
        return self.pointer

    def get(self, *path: str | int, default: object = None) -> object:
        """Read a member case-insensitively: `r.get("properties", "settings", "fileUris", 0)`."""
        found = walk_path(self.raw, self.pointer, path)
        return default if found is None else found[0]

    def has(self, *path: str | int) -> bool:
        """True when the member exists (even with a null value)."""
        return walk_path(self.raw, self.pointer, path) is not None

    def pointer_of(self, *path: str | int) -> str | None:
        """The pointer of a member, with the key spelling found in the file; None when absent."""
        found = walk_path(self.raw, self.pointer, path)
        return None if found is None else found[1]

    def ancestors(self) -> Iterator[Resource]:
        """The parent, its parent, ... (nearest first)."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        return f"Resource({self.type!r}, {self.name!r} at {self.pointer!r})"


def _is_relative_type(written: object) -> bool:
    """A child `type` is relative to its parent's unless its first segment is a namespace
    (`Microsoft.Compute`): `extensions`, `blobServices/containers`, `providers/diagnosticSettings`."""
    if not isinstance(written, str):
        return False
    return "." not in written.split("/", 1)[0]


def _full_type(written: object, parent: Resource | None) -> str | None:
    if not isinstance(written, str) or is_expression(written) or not written:
        return None
    if parent is None or not _is_relative_type(written):
        return written
    if parent.type is None:
        return None
    return parent.type + "/" + written

"""The Template model: what an ARM template declares, built once per file and read by every rule.

Rules ask questions such as "which parameters exist?", "which resources does this `dependsOn` name?",
"is this `copyIndex()` inside a loop?". Answering them from the raw JSON would mean every rule
re-implements ARM's quirks: case-insensitive keys, child resources whose type and name are relative to
their parent, copy loops of four kinds, nested deployments whose expressions resolve either in their
own parameters (`inner`) or in the parent's (`outer`), `languageVersion 2.0` symbolic resources. The
model does that once.

It stays close to the JSON on purpose: every element keeps the raw value and the JSON pointer of
where it was written (RFC 6901, with the key spelling found in the file), so a rule reports at the
exact position through `JsonDocument.locate(pointer)`, and the model does not depend on the reader
or the expression parser. Where the model has to combine values (the full name of a child resource)
it writes ARM expression *strings*, so the result is ordinary ARM that the expression parser and the
evaluator read like anything else.

The model never raises on odd input that classified as a template: what it cannot use (a resource
that is not an object, a `copy` that is not an object, a parameter name repeated in another case) is
skipped and listed in `Template.problems` as (pointer, message) for the structure rules to report.
"""

from __future__ import annotations

from templategen.arm.declarations import CopyLoop, Output, Parameter, UserFunction, Variable
from templategen.arm.names import ci_lookup, escape_token, lower_keys, walk_path
from templategen.arm.parameters import ParametersFile, ParameterValue, build_parameters, parameters_from_data
from templategen.arm.resource import Resource

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Protocol, TypeVar

    from templategen.arm.sites import ExpressionSite

    class _NamedItem(Protocol):
        """What the name tables hold: parameters, variables, functions, outputs."""

        @property
        def key(self) -> str: ...

        @property
        def name(self) -> str: ...

        @property
        def pointer(self) -> str: ...

    _Named = TypeVar("_Named", bound=_NamedItem)

    class SourceDocument(Protocol):
        """What `build_template` needs from a reader's document: the display path and the data."""

        @property
        def path(self) -> str: ...

        @property
        def data(self) -> object: ...


__all__ = [
    "CopyLoop",
    "Output",
    "Parameter",
    "ParameterValue",
    "ParametersFile",
    "Resource",
    "Template",
    "UserFunction",
    "Variable",
    "build_parameters",
    "build_template",
    "classify",
    "parameters_from_data",
    "suppressed_ids",
    "template_from_data",
]

RESOURCE_GROUP = "resourceGroup"
SUBSCRIPTION = "subscription"
MANAGEMENT_GROUP = "managementGroup"
TENANT = "tenant"

#: `$schema` file names (lower-cased) → deployment scope. Longest first: every one ends in
#: "deploymenttemplate".
_SCHEMA_SCOPES = (
    ("subscriptiondeploymenttemplate", SUBSCRIPTION),
    ("managementgroupdeploymenttemplate", MANAGEMENT_GROUP),
    ("tenantdeploymenttemplate", TENANT),
    ("deploymenttemplate", RESOURCE_GROUP),
)

#: Top-level members a parameters file may have (the official schema sets additionalProperties false).
_PARAMETERS_FILE_KEYS = frozenset({"$schema", "contentversion", "parameters", "extensionconfigs"})
_PARAMETER_VALUE_KEYS = frozenset({"value", "reference", "metadata"})
#: Members that, beside `resources`, make a dict without `$schema` look like a template.
_TEMPLATE_MARKERS = ("parameters", "variables", "contentversion", "outputs", "functions", "languageversion")


# --------------------------------------------------------------------------------------------------
# classification


def classify(data: object) -> str | None:
    """Say whether parsed JSON is an ARM "template", a "parameters" file, or neither (None).

    `$schema` decides when it is a string: a URL containing `deploymentTemplate` (any of the four
    scopes) or `deploymentParameters` (also the subscription / management-group / tenant variants);
    any other `$schema` means the file is some other JSON document and is skipped. Without `$schema`,
    the shape decides, conservatively, because a directory walk reads every `.json` file
    (package.json, tsconfig.json, ...):

    * template: `resources` is an array (or an object, languageVersion 2.0) and at least one of
      `parameters`, `variables`, `contentVersion`, `outputs`, `functions`, `languageVersion` is there;
    * parameters: no `resources`, nothing beside `contentVersion` / `parameters` / `extensionConfigs`,
      and `parameters` is an object whose every entry is an object of `value` / `reference` /
      `metadata` with a `value` or a `reference` (an empty `parameters` needs `contentVersion`).

    Keys are compared case-insensitively, as ARM does.
    """
    if not isinstance(data, dict):
        return None
    keys = lower_keys(data)
    schema_key = keys.get("$schema")
    schema = data[schema_key] if schema_key is not None else None
    if isinstance(schema, str) and schema.strip():
        low = schema.lower()
        if "deploymenttemplate" in low:
            return "template"
        if "deploymentparameters" in low:
            return "parameters"
        return None
    if "resources" in keys:
        resources = data[keys["resources"]]
        if isinstance(resources, (list, dict)) and any(marker in keys for marker in _TEMPLATE_MARKERS):
            return "template"
        return None
    if "parameters" not in keys or not set(keys) <= _PARAMETERS_FILE_KEYS:
        return None
    parameters = data[keys["parameters"]]
    if not isinstance(parameters, dict):
        return None
    if not parameters:
        return "parameters" if "contentversion" in keys else None
    for entry in parameters.values():
        if not isinstance(entry, dict):
            return None
        entry_keys = {key.lower() for key in entry}
        if not entry_keys <= _PARAMETER_VALUE_KEYS or not ({"value", "reference"} & entry_keys):
            return None
    return "parameters"


def scope_of_schema(schema: object) -> str | None:
    """The deployment scope a template `$schema` names, or None when it names none."""
    if not isinstance(schema, str):
        return None
    low = schema.lower()
    for marker, scope in _SCHEMA_SCOPES:
        if marker in low:
            return scope
    return None


def suppressed_ids(metadata: object) -> tuple[str, ...]:
    """The rule ids or names listed in `metadata.templategen.ignore` (a string or a list of strings).

    Read case-insensitively like every ARM key; anything else there is ignored here (a rule about the
    suppression syntax can look at the raw metadata).
    """
    found = walk_path(metadata, "", ("templategen", "ignore"))
    if found is None:
        return ()
    value = found[0]
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list):
        return tuple(item.strip() for item in value if isinstance(item, str) and item.strip())
    return ()


# --------------------------------------------------------------------------------------------------
# the template


class Template:
    """One ARM template: a file's top level, or the inline template of a nested deployment.

    path              display path of the file (nested templates share it)
    pointer           where the template object is ("" at top level)
    scope             deployment scope: "resourceGroup" | "subscription" | "managementGroup" |
                      "tenant"; for nested templates the deployment's target (`resourceGroup`,
                      `subscriptionId`, `scope` on the deployment resource), else the parent's
    schema_scope      the scope `$schema` names (None when it names none)
    parameters        lower-cased name → Parameter (also `variables`, `functions` by `ns.name`,
                      `outputs`); document order is kept
    resources         every resource, children flattened, document order (parent before child);
                      resources of nested templates are in `nested[i].resources`
    nested            Templates of inline nested deployments in this template (direct ones)
    parent, deployment  the enclosing Template and the deployment Resource (None at top level)
    evaluation_scope  "outer" or "inner" (`properties.expressionEvaluationOptions.scope`)
    expression_scope  the Template whose parameters / variables / functions this template's
                      expressions resolve against (itself unless nested with outer scope)
    inherited_loops   copy loops of enclosing deployments that stay in force inside (outer scope)
    problems          (pointer, message) of structure the model could not use
    """

    __slots__ = (
        "api_profile",
        "content_version",
        "data",
        "definitions",
        "deployment",
        "document",
        "evaluation_scope",
        "expression_scope",
        "functions",
        "inherited_loops",
        "key_map",
        "language_version",
        "metadata",
        "nested",
        "outputs",
        "parameters",
        "parent",
        "path",
        "pointer",
        "problems",
        "resources",
        "schema",
        "schema_scope",
        "scope",
        "sites_cache",
        "source_data",
        "symbolic_resources",
        "variables",
    )

    def __init__(
        self,
        data: dict[str, object],
        path: str,
        pointer: str = "",
        parent: Template | None = None,
        deployment: Resource | None = None,
        document: object = None,
    ) -> None:
        keys = lower_keys(data)
        self.key_map = keys
        self.data = data
        self.path = path
        self.pointer = pointer
        self.parent = parent
        self.deployment = deployment
        self.document = document
        self.problems: list[tuple[str, str]] = [] if parent is None else parent.problems

        self.schema: object = data[keys["$schema"]] if "$schema" in keys else None
        self.schema_scope = scope_of_schema(self.schema)
        self.content_version: object = data[keys["contentversion"]] if "contentversion" in keys else None
        self.language_version: object = data[keys["languageversion"]] if "languageversion" in keys else None
        self.api_profile: object = data[keys["apiprofile"]] if "apiprofile" in keys else None
        metadata = data[keys["metadata"]] if "metadata" in keys else None
        self.metadata: dict[str, object] = metadata if isinstance(metadata, dict) else {}
        definitions = data[keys["definitions"]] if "definitions" in keys else None
        self.definitions: dict[str, object] = definitions if isinstance(definitions, dict) else {}

        if parent is None or deployment is None:
            self.scope = self.schema_scope or RESOURCE_GROUP
            self.evaluation_scope = "outer"
            self.expression_scope: Template = self
            self.inherited_loops: tuple[CopyLoop, ...] = ()
        else:
            self.scope = _target_scope(deployment, parent.scope, self.schema_scope)
            options = deployment.get("properties", "expressionEvaluationOptions", "scope")
            inner = isinstance(options, str) and options.lower() == "inner"
            self.evaluation_scope = "inner" if inner else "outer"
            self.expression_scope = self if inner else parent.expression_scope
            self.inherited_loops = () if inner else deployment.loops

        self.parameters: dict[str, Parameter] = {}
        self.variables: dict[str, Variable] = {}
        self.functions: dict[str, UserFunction] = {}
        self.outputs: dict[str, Output] = {}
        self.resources: list[Resource] = []
        self.symbolic_resources: dict[str, Resource] = {}
        self.nested: list[Template] = []
        self.sites_cache: list[ExpressionSite] | None = None
        self.source_data: dict[str, object] = data

        self._read_parameters()
        self._read_variables()
        self._read_functions()
        self._read_resources()
        self._read_outputs()

    # -- building ----------------------------------------------------------------------------------

    def problem(self, pointer: str, message: str) -> None:
        """Note structure the model skipped (shared by a top-level template and its nested ones)."""
        self.problems.append((pointer, message))

    def _section(self, name: str) -> tuple[object, str] | None:
        key = self.key_map.get(name)
        if key is None:
            return None
        return self.data[key], self.pointer + "/" + escape_token(key)

    def _object_section(self, name: str) -> tuple[dict[str, object], str] | None:
        found = self._section(name)
        if found is None:
            return None
        value, pointer = found
        if isinstance(value, dict):
            return value, pointer
        if value is not None:
            self.problem(pointer, f"`{name}` is not an object")
        return None

    def _read_parameters(self) -> None:
        found = self._object_section("parameters")
        if found is None:
            return
        section, base = found
        for name, raw in section.items():
            pointer = base + "/" + escape_token(name)
            if not isinstance(raw, dict):
                self.problem(pointer, f"parameter '{name}' is not an object")
                continue
            self._add(self.parameters, Parameter(self, name, raw, pointer), "parameter")

    def _read_variables(self) -> None:
        found = self._object_section("variables")
        if found is None:
            return
        section, base = found
        for name, value in section.items():
            pointer = base + "/" + escape_token(name)
            if name.lower() == "copy" and isinstance(value, list):
                self._read_copy_variables(value, pointer)
                continue
            self._add(self.variables, Variable(self, name, value, pointer, pointer), "variable")

    def _read_copy_variables(self, entries: list[object], base: str) -> None:
        for index, entry in enumerate(entries):
            pointer = f"{base}/{index}"
            if not isinstance(entry, dict):
                self.problem(pointer, "`variables.copy` entry is not an object")
                continue
            loop = CopyLoop("variable", entry, pointer)
            if loop.name is None:
                self.problem(pointer, "`variables.copy` entry has no name")
                continue
            input_key = ci_lookup(entry, "input")
            value_pointer = pointer + "/" + escape_token(input_key) if input_key is not None else pointer
            variable = Variable(self, loop.name, loop.input, pointer, value_pointer, loop)
            self._add(self.variables, variable, "variable")

    def _read_functions(self) -> None:
        found = self._section("functions")
        if found is None:
            return
        section, base = found
        if not isinstance(section, list):
            if section is not None:
                self.problem(base, "`functions` is not an array")
            return
        for index, entry in enumerate(section):
            pointer = f"{base}/{index}"
            if not isinstance(entry, dict):
                self.problem(pointer, "`functions` entry is not an object")
                continue
            namespace = walk_path(entry, pointer, ("namespace",))
            members = walk_path(entry, pointer, ("members",))
            if namespace is None or not isinstance(namespace[0], str):
                self.problem(pointer, "function namespace is missing or not a string")
                continue
            if members is None or not isinstance(members[0], dict):
                self.problem(pointer, "function `members` is missing or not an object")
                continue
            for name, raw in members[0].items():
                member_pointer = members[1] + "/" + escape_token(name)
                if not isinstance(raw, dict):
                    self.problem(member_pointer, f"function '{name}' is not an object")
                    continue
                function = UserFunction(self, namespace[0], name, raw, member_pointer)
                self._add(self.functions, function, "function")

    def _read_outputs(self) -> None:
        found = self._object_section("outputs")
        if found is None:
            return
        section, base = found
        for name, raw in section.items():
            pointer = base + "/" + escape_token(name)
            if not isinstance(raw, dict):
                self.problem(pointer, f"output '{name}' is not an object")
                continue
            self._add(self.outputs, Output(self, name, raw, pointer), "output")

    def _add(self, table: dict[str, _Named], item: _Named, what: str) -> None:
        if item.key in table:
            first = table[item.key]
            self.problem(
                item.pointer, f"{what} '{item.name}' repeats '{first.name}' (names are case-insensitive)"
            )
            return
        table[item.key] = item

    def _read_resources(self) -> None:
        found = self._section("resources")
        if found is None:
            return
        self._read_resource_list(found[0], found[1], None)

    def _read_resource_list(self, container: object, base: str, parent: Resource | None) -> None:
        if isinstance(container, list):
            entries: list[tuple[str, object, str | None]] = [
                (f"{base}/{index}", raw, None) for index, raw in enumerate(container)
            ]
        elif isinstance(container, dict):
            entries = [(base + "/" + escape_token(name), raw, name) for name, raw in container.items()]
        else:
            if container is not None:
                self.problem(base, "`resources` is neither an array nor an object")
            return
        for pointer, raw, symbolic in entries:
            if not isinstance(raw, dict):
                self.problem(pointer, "resource is not an object")
                continue
            resource = Resource(self, raw, pointer, parent, symbolic)
            self.resources.append(resource)
            if parent is not None:
                parent.children.append(resource)
            if symbolic is not None:
                if symbolic.lower() in self.symbolic_resources:
                    self.problem(pointer, f"symbolic name '{symbolic}' repeats (names are case-insensitive)")
                else:
                    self.symbolic_resources[symbolic.lower()] = resource
            if resource.is_deployment:
                inline = walk_path(raw, pointer, ("properties", "template"))
                if inline is not None and isinstance(inline[0], dict):
                    body: dict[str, object] = inline[0]
                    if self.expression_scope is not self and _inner(resource):
                        body = {key: after_outer_pass(item) for key, item in body.items()}
                    nested = Template(body, self.path, inline[1], self, resource, self.document)
                    nested.source_data = inline[0]
                    resource.nested = nested
                    self.nested.append(nested)
            children_key = resource.key_map.get("resources")
            if children_key is not None:
                self._read_resource_list(
                    raw[children_key], pointer + "/" + escape_token(children_key), resource
                )

    # -- reading -----------------------------------------------------------------------------------

    def all_templates(self) -> Iterator[Template]:
        """This template and every nested one, depth-first in document order."""
        yield self
        for nested in self.nested:
            yield from nested.all_templates()

    def all_resources(self) -> Iterator[Resource]:
        """Resources of this template and of every nested template."""
        for template in self.all_templates():
            yield from template.resources

    def resources_of_type(self, resource_type: str) -> list[Resource]:
        """This template's resources of a full type, compared case-insensitively."""
        low = resource_type.lower()
        return [r for r in self.resources if r.type is not None and r.type.lower() == low]

    def parameter(self, name: str) -> Parameter | None:
        return self.parameters.get(name.lower())

    def parameter_optional(self, parameter: Parameter) -> bool:
        """True when a deployment may give `parameter` no value: it has a default, it is nullable, or
        its type is a `$ref` to a nullable definition. A `$ref` this template cannot resolve counts as
        optional too, so nothing claims a parameter is required on a type it could not read."""
        if parameter.has_default or parameter.nullable:
            return True
        keys = lower_keys(parameter.raw)
        ref = parameter.raw.get(keys["$ref"]) if "$ref" in keys else None
        if ref is None:
            return False
        prefix = "#/definitions/"
        if not isinstance(ref, str) or not ref.startswith(prefix):
            return True
        definitions = self.get("definitions")
        found = definitions.get(ref[len(prefix) :]) if isinstance(definitions, dict) else None
        if not isinstance(found, dict):
            return True
        return any(key.lower() == "nullable" and value is True for key, value in found.items())

    def variable(self, name: str) -> Variable | None:
        return self.variables.get(name.lower())

    def function(self, name: str) -> UserFunction | None:
        """A user function by `namespace.name`, case-insensitively."""
        return self.functions.get(name.lower())

    def output(self, name: str) -> Output | None:
        return self.outputs.get(name.lower())

    def get(self, *path: str | int, default: object = None) -> object:
        """Read a member of the template object case-insensitively."""
        found = walk_path(self.data, self.pointer, path)
        return default if found is None else found[0]

    def pointer_of(self, *path: str | int) -> str | None:
        """Pointer of a member of the template object, with the key spelling found in the file."""
        found = walk_path(self.data, self.pointer, path)
        return None if found is None else found[1]

    @property
    def is_nested(self) -> bool:
        return self.deployment is not None

    @property
    def root(self) -> Template:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def depth(self) -> int:
        """0 for the file's template, 1 for a nested one, 2 for one nested in that, ..."""
        depth = 0
        node = self.parent
        while node is not None:
            depth += 1
            node = node.parent
        return depth

    @property
    def generator(self) -> tuple[str, str] | None:
        """`metadata._generator` (name, version), e.g. ("bicep", "0.26.54.24096"), or None."""
        name = walk_path(self.metadata, "", ("_generator", "name"))
        if name is None or not isinstance(name[0], str):
            return None
        version = walk_path(self.metadata, "", ("_generator", "version"))
        return name[0], version[0] if version is not None and isinstance(version[0], str) else ""

    @property
    def ignored_rules(self) -> tuple[str, ...]:
        """Rule ids or names in `metadata.templategen.ignore`."""
        return suppressed_ids(self.metadata)

    def expression_sites(self) -> Iterator[ExpressionSite]:
        """Every expression string of this template (not of nested ones), with its context.

        See `templategen.arm.sites` for what is visited and why. Collected on the first call and kept:
        every expression rule asks, and the model does not change once built.
        """
        if self.sites_cache is None:
            from templategen.arm.sites import template_sites

            self.sites_cache = template_sites(self)
        return iter(self.sites_cache)

    def all_expression_sites(self) -> Iterator[ExpressionSite]:
        """`expression_sites()` of this template and every nested one."""
        for template in self.all_templates():
            yield from template.expression_sites()

    def __repr__(self) -> str:
        where = self.pointer or "/"
        return f"Template({self.path!r} at {where!r}, {len(self.resources)} resources)"


def _inner(deployment: Resource) -> bool:
    options = deployment.get("properties", "expressionEvaluationOptions", "scope")
    return isinstance(options, str) and options.lower() == "inner"


def after_outer_pass(value: object) -> object:
    """`value` as an enclosing evaluation leaves it: each `[[` escape loses one bracket.

    An inner-scoped nested template written inside an outer-scoped one is text of the outer one:
    the deployment that evaluates the outer template walks all of it, the inner template included,
    before the inner deployment ever runs. So authors write the inner template's own expressions
    `[[...]` (Enterprise-Scale does, for deployments that create a resource group and then deploy
    into it); read as written they would be literals, their parameters unused and their names
    wrong. A `[[x]` becomes `[ x]`, same length so that every offset into the string still points
    at the same character of the file; a `[[[x]` becomes `[[x]`, still a literal. Strings the
    enclosing evaluation computes (`[x]`) stay as they are, keys too (a pointer names them).
    Returns a copy: the document's data is shared by every reader.
    """
    if isinstance(value, str):
        if value[:2] == "[[" and value[-1:] == "]":
            return value[1:] if value[:3] == "[[[" else "[ " + value[2:]
        return value
    if isinstance(value, dict):
        return {key: after_outer_pass(item) for key, item in value.items()}
    if isinstance(value, list):
        return [after_outer_pass(item) for item in value]
    return value


def _target_scope(deployment: Resource, parent_scope: str, schema_scope: str | None) -> str:
    """Where a nested deployment deploys, from the members ARM reads on the deployment resource.

    `resourceGroup` → a resource group (with `subscriptionId`: in that subscription);
    `subscriptionId` alone → that subscription; `scope` → the tenant for "/", a management group when
    it names one; nothing → the parent's scope. A `scope` we cannot read falls back to the nested
    template's own `$schema`, then to the parent's scope.
    """
    keys = deployment.key_map
    if "resourcegroup" in keys:
        return RESOURCE_GROUP
    if "subscriptionid" in keys:
        return SUBSCRIPTION
    if "scope" in keys:
        scope = deployment.raw[keys["scope"]]
        if isinstance(scope, str):
            text = scope.strip().lower()
            if text == "/":
                return TENANT
            if "managementgroups" in text or "managementgroup(" in text:
                return MANAGEMENT_GROUP
            if "resourcegroups/" in text or "resourcegroup(" in text:
                return RESOURCE_GROUP
            if "subscriptions/" in text or "subscription(" in text:
                return SUBSCRIPTION
        return schema_scope or parent_scope
    return parent_scope


def template_from_data(data: object, path: str, document: object = None) -> Template:
    """Build the model of a template from parsed JSON (plain dict/list/str/... values).

    Raises ValueError when `data` is not an object; anything else odd is in `Template.problems`.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a template must be a JSON object")
    return Template(data, path, document=document)


def build_template(document: SourceDocument) -> Template:
    """Build the model of a template from a reader's document (`arm/document.JsonDocument`)."""
    return template_from_data(document.data, document.path, document)

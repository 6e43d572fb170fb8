"""Offline evaluation of ARM template expressions: what a template's values are before deployment.

The domain rules need resource names, properties, parameters, variables and copy-loop instances as
values, not as expression text. This module evaluates them the way Resource Manager would, as far
as that is possible without Azure: what depends on Azure (the resource group's location, a
`reference()`, the clock) is *unknown*, never guessed, and named after where it came from so that
two uses of the same unknown are still recognised as the same value (see `templategen.arm.values`
for the value types and the helpers rules use to read them).

    evaluator = Evaluator(template, parameters_file)        # parameters file optional
    for instance in evaluator.resource_instances(resource):  # copy loops expanded
        name = instance.name                                  # str, Partial or Unknown
        source = instance.get("properties", "sourceResourceId")
        if same(segment_of(name), segment_of(source)) is False: ...report...
    evaluator.problems   # deploy-time errors found on the way (pointer, offsets, message)

What the evaluator does:

* Parameters: the value from the parameters file (`{"value": ...}`; a Key Vault `reference` is an
  unknown secret), else the default (an expression, evaluated; `newGuid()`/`utcNow()` give an
  unknown), else `Unknown("parameters('name')")`. Values of `secureString`/`secureObject`
  parameters are tainted (`SecretStr`...): `describe` prints `***`.
* Variables: evaluated lazily, once; a variable that refers to itself (directly or through others)
  is unknown and its cycle is listed in `cycles` (and `problems`).
* Copy loops: resource loops (`resource_instances`), property loops (`copy: [{name, count,
  input}]` inside values) and variable loops, expanded when the count is known (at most
  `MAX_COPY_COUNT`, ARM's limit); with an unknown count, one symbolic instance whose `copyIndex()`
  is `Unknown("copyindex('loop')")`.
* User-defined functions (`ns.fn(...)`), with their own `parameters()` scope.
* Lambdas: `map`, `filter`, `reduce`, `sort`, `toObject`, `groupBy`, `mapValues`.
* Nested inline deployments: expressions of an `outer`-scope template are the parent's; an
  `inner`-scope template gets its own evaluator, per deployment instance, whose parameter values are
  the deployment's `properties.parameters` evaluated in the parent, and whose resource group /
  subscription follow the deployment's `resourceGroup` / `subscriptionId`.
* Every deterministic function of the catalogue (`arm/fn_*.py`, `arm/resource_ids.py`); `if`
  evaluates only the branch it takes, `and`/`or` stop at the first deciding argument, `coalesce`
  at the first non-null one.

Errors Resource Manager would raise at deployment (index out of range, wrong argument type,
division by zero, missing format argument...) are not exceptions: they are recorded in `problems`
(JSON pointer of the string, character offsets of the offending call inside it, message) and the
value is unknown. Syntax errors, unknown functions and wrong argument counts are the expression
rules' to report: the evaluator answers unknown silently for them.

Bounds (hostile input): `MAX_DEPTH` nested evaluations (expressions, values, variables, function
calls), `MAX_STEPS` evaluation steps per file (shared by nested evaluators), `MAX_COPY_COUNT`
copies per loop and `MAX_INSTANCES` instances per resource, plus the string and array bounds of
`templategen.arm.values`. Past a bound the value is unknown and a problem says which bound; the
evaluator never hangs and never raises RecursionError.

Where the parts are: this module holds the `Evaluator` (public API, parameters, variables, JSON
values, expression nodes, pure function calls, user functions); `arm/eval_calls.py` the functions
that need the evaluator (parameters(), copyIndex(), if/and/or/coalesce, scope objects, resource
ids, lambdas); `arm/instances.py` the copies of resources and nested deployments;
`arm/eval_state.py` what they share; `arm/fn_*.py` the pure functions; `arm/values.py` the values.

This module is on the start-up path of `templategen lint`: standard library modules it needs for a
few functions (uuid, datetime, ipaddress, base64, urllib) are imported inside those functions.
"""

from __future__ import annotations

import sys

from templategen.arm.builtin import FAMILIES, FAMILY_OF, SHALLOW, STRICT, Builtin
from templategen.arm.eval_calls import SPECIAL
from templategen.arm.eval_state import (
    MAX_COPY_COUNT,
    MAX_DEPTH,
    MAX_INSTANCES,
    MAX_STEPS,
    EvaluationProblem,
    Frame,
    Given,
    Lambda,
    Shared,
    Stop,
    call_display,
    fits,
    given_values,
    kind_of,
    loop_bindings,
    name_of,
    property_copy_key,
    short,
    unknowns_in,
)
from templategen.arm.expressions import (
    Call,
    Expr,
    ExpressionError,
    Index,
    IntLit,
    Member,
    StringLit,
    is_expression,
    parse_cached,
    unescape_literal,
)
from templategen.arm.functions import lookup
from templategen.arm.instances import ResourceInstance, contexts_for, instances_of
from templategen.arm.names import ci_lookup, escape_token
from templategen.arm.resource_ids import (
    Scope,
)
from templategen.arm.values import (
    ARRAY,
    BOOL,
    DIGITS,
    GUID_CHARS,
    INDEX_DIGITS,
    INT,
    OBJECT,
    STRING,
    ArmError,
    BoundExceeded,
    OpaqueValue,
    Partial,
    Undecidable,
    Unknown,
    ci_get,
    is_known,
    is_secret,
    label_of,
    quote,
    taint,
    unknown_label,
)
from templategen.diagnostics import one_line
from templategen.redact import redact_text

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from templategen.arm.declarations import CopyLoop, Output
    from templategen.arm.parameters import ParametersFile
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template

#: The pure functions of the families merged so far (`builtin`), lower-cased name -> Builtin.
_BUILTINS: dict[str, Builtin] = {}
_MERGED: set[str] = set()


def _merge(module: str) -> None:
    if module not in _MERGED:
        __import__(module)
        _BUILTINS.update(sys.modules[module].FUNCTIONS)
        _MERGED.add(module)


def builtin(low: str) -> Builtin | None:
    """The pure function named `low` (lower-cased), its family imported on first use."""
    found = _BUILTINS.get(low)
    if found is None:
        module = FAMILY_OF.get(low)
        if module is None or module in _MERGED:
            return None
        _merge(module)
        found = _BUILTINS.get(low)
    return found


def all_builtins() -> dict[str, Builtin]:
    """Every pure function, every family imported (for the tests)."""
    for module in FAMILIES:
        _merge(module)
    return dict(_BUILTINS)


_PARAMETER_TYPES = {
    "string": STRING,
    "securestring": STRING,
    "int": INT,
    "bool": BOOL,
    "array": ARRAY,
    "object": OBJECT,
    "secureobject": OBJECT,
}
__all__ = [
    "MAX_COPY_COUNT",
    "MAX_DEPTH",
    "MAX_INSTANCES",
    "MAX_STEPS",
    "EvaluationProblem",
    "Evaluator",
    "ResourceInstance",
]


class Evaluator:
    """Evaluates the values of one template (and, on demand, of its nested deployments).

    `parameter_values`: a `ParametersFile` (its `value` entries and Key Vault `reference`s), or a
    mapping of parameter name to an already evaluated value, or None (defaults only).
    `max_steps` bounds the work of this evaluator and the nested ones it creates (`MAX_STEPS`).
    `context` and `scope` are for nested evaluators (the evaluator creates those itself).
    """

    def __init__(
        self,
        template: Template,
        parameter_values: ParametersFile | Mapping[str, object] | None = None,
        *,
        context: str | None = None,
        scope: Scope | None = None,
        max_steps: int = MAX_STEPS,
        _shared: Shared | None = None,
        _scope_contexts: tuple[str, str, str] | None = None,
    ) -> None:
        if template.deployment is not None and template.evaluation_scope == "outer":
            template = template.expression_scope
        self.template = template
        self.context = (
            template.pointer if context is None and template.deployment is not None else context or ""
        )
        self._shared = _shared if _shared is not None else Shared(max_steps)
        if _shared is None:
            for nested in template.all_templates():
                if nested is not template:
                    self._shared.opaque[id(nested.data)] = nested.pointer
                    self._shared.opaque[id(nested.source_data)] = nested.pointer
        self._given = given_values(parameter_values)
        self._parameters: dict[str, object] = {}
        self._variables: dict[str, object] = {}
        self._in_progress: list[str] = []
        self._scope_objects: dict[str, object] = {}
        if scope is None:
            subscription_id = Unknown(
                "subscription().subscriptionid",
                "subscription().subscriptionId",
                type=STRING,
                alphabet=GUID_CHARS,
            )
            group = Unknown("resourcegroup().name", "resourceGroup().name", type=STRING)
            mg = Unknown("managementgroup().name", "managementGroup().name", type=STRING)
            scope = Scope(template.scope, subscription_id, group, mg)
        self.scope = scope
        # Contexts of the subscription, resource group and deployment objects ("" = the file's).
        self._scope_contexts = _scope_contexts or ("", "", self.context)

    # -- public API ----------------------------------------------------------------------------------

    @property
    def problems(self) -> list[EvaluationProblem]:
        """Deploy-time errors and bounds met so far (shared with nested evaluators), in order found."""
        return self._shared.problems

    @property
    def cycles(self) -> list[tuple[str, ...]]:
        """Variable (or parameter default) cycles found: names as written, in reference order, the
        first name repeated at the end (`('a', 'b', 'a')`)."""
        return self._shared.cycles

    def evaluate(
        self, value: object, loops: Mapping[str, object] | None = None, pointer: str | None = None
    ) -> object:
        """Evaluate any JSON value of the template: objects and arrays recursively, expression
        strings (`[...]`), `[[` escapes, property copy loops.

        `loops` binds copy indexes: a `ResourceInstance.loops`, or a mapping of loop name to index
        (the key "" is the loop `copyIndex()` without a name refers to). `pointer` is where the value
        is in the file, for problems.
        """
        frame = Frame(loop_bindings(loops), pointer or "")
        return self._guard(lambda: self._value(value, frame, pointer or ""), pointer or "")

    def parameter(self, name: str) -> object:
        """The value of a parameter (given, default, or unknown); ArmError-free: problems recorded.
        A name this evaluator's template does not declare (a rule asking an outer-scope evaluator for
        a nested template's own parameter) is unknown, not an error of the template."""
        return self._guard(lambda: self._declared(lambda: self._parameter(name, Frame({}, ""))), "")

    def variable(self, name: str) -> object:
        """The value of a variable (copy variables: the array); undeclared: unknown, as `parameter`."""
        return self._guard(lambda: self._declared(lambda: self._variable(name, Frame({}, ""))), "")

    def output_value(self, output: Output) -> object:
        """The value of an output (an output copy loop gives the array)."""
        pointer = output.pointer

        def run() -> object:
            frame = Frame({}, pointer)
            if output.copy is not None:
                return self._copy_array(output.copy, frame, output.copy.pointer)
            value_pointer = output.pointer_of("value") or pointer
            return self._value(output.value, frame.at(value_pointer), value_pointer)

        return self._guard(run, pointer)

    def resource_instances(self, resource: Resource) -> list[ResourceInstance]:
        """The copies of `resource` that would be deployed, each with its loop indexes, evaluator and
        evaluated name / type / condition. A known count gives that many instances (0 gives none);
        an unknown count one symbolic instance. Resources of nested templates are expanded per
        deployment instance. The list is computed once."""
        key = (id(resource), id(self))
        cached = self._shared.instances.get(key)
        if cached is not None:
            return cached
        instances = self._guard_list(lambda: instances_of(self, resource), resource)
        self._shared.instances[key] = instances
        return instances

    def evaluators_for(self, template: Template) -> list[Evaluator]:
        """The evaluators for expressions written in `template` (this one or a nested one): this
        evaluator for the file's template and outer-scope nested templates; for an inner-scope nested
        template, one per instance of its deployment that may be deployed (none when its condition
        is false or its copy count is 0). Use them for variables, outputs or any site of a nested
        template; resources have theirs in `ResourceInstance.evaluator`."""
        try:
            return [evaluator for evaluator, _base in contexts_for(self, template)]
        except Stop as stop:
            self._record(template.pointer, stop.message, 0, 0, "bound", force=True)
            return []

    def resource_count(self, resource: Resource) -> object:
        """How many copies of `resource` are declared (conditions not applied): an int, or an
        unknown when a loop count is unknown or past the bounds."""
        instances = self.resource_instances(resource)
        if any(instance.symbolic for instance in instances) or id(resource) in self._shared.incomplete:
            return Unknown(
                f"count({quote(resource.pointer)})",
                "copy count",
                context=self.context,
                type=INT,
                alphabet=DIGITS,
            )
        return len(instances)

    # -- guards --------------------------------------------------------------------------------------

    def _quietly(self, run: Callable[[], object]) -> object:
        """Run an evaluation without recording deploy-time errors (bounds are still recorded)."""
        self._shared.speculative += 1
        try:
            return run()
        finally:
            self._shared.speculative -= 1

    def _declared(self, run: Callable[[], object]) -> object:
        try:
            return run()
        except ArmError:
            return self._unique("undeclared", "unknown (not declared)")

    def _guard(self, run: Callable[[], object], pointer: str) -> object:
        try:
            return run()
        except Stop as stop:
            self._record(pointer, stop.message, 0, 0, "bound", force=True)
            return self._unique("bound", "unknown (evaluation bound)")
        except RecursionError:
            self._record(pointer, "evaluation nested too deeply", 0, 0, "bound", force=True)
            return self._unique("bound", "unknown (evaluation bound)")

    def _guard_list(
        self, run: Callable[[], list[ResourceInstance]], resource: Resource
    ) -> list[ResourceInstance]:
        try:
            return run()
        except (Stop, RecursionError) as stop:
            message = stop.message if isinstance(stop, Stop) else "evaluation nested too deeply"
            self._record(resource.pointer, message, 0, 0, "bound", force=True)
            self._shared.incomplete.add(id(resource))
            return []

    # -- problems and unknowns -----------------------------------------------------------------------

    def _record(
        self, pointer: str, message: str, start: int, end: int, kind: str = "error", force: bool = False
    ) -> None:
        shared = self._shared
        if shared.speculative and not force:
            return
        message = one_line(redact_text(message))
        key = (pointer, start, end, message)
        if key in shared.problem_keys:
            return
        shared.problem_keys.add(key)
        shared.problems.append(EvaluationProblem(pointer, message, start, end, kind))

    def _problem(self, frame: Frame, node: Expr, message: str, kind: str = "error") -> None:
        self._record(frame.pointer, message, node.start, node.end, kind)

    def _unique(self, label: str, display: str, **fields: object) -> Unknown:
        """An unknown that equals nothing else (per-call values, errors)."""
        self._shared.uid += 1
        return Unknown(label, display, context=self.context, uid=self._shared.uid, **fields)  # type: ignore[arg-type]

    def _error(self, node: Expr) -> Unknown:
        return self._unique(f"error({node.start})", "error")

    def _derived(
        self,
        name: str,
        display_name: str,
        args: list[object],
        type: str | None = None,
        alphabet: str | None = None,
        nodes: Sequence[Expr] | None = None,
        frame: Frame | None = None,
    ) -> Unknown:
        """The unknown result of a deterministic function of `args`: named `name(arg labels)`, the
        same value wherever the same arguments recur; unique when an argument is itself unique.
        `nodes` (the argument expressions, when `args` are theirs) and `frame` let the display name
        read as the template wrote it (`call_display`)."""
        contexts: set[str] = set()
        unique = False
        secret = False
        for unknown in unknowns_in(args):
            if unknown.context:
                contexts.add(unknown.context)
            unique = unique or not unknown.deterministic
            secret = secret or unknown.secret
        secret = secret or (self._shared.has_secrets and any(is_secret(arg) for arg in args))
        display = call_display(self, display_name, args, nodes, frame)
        try:
            label = f"{name}({', '.join(label_of(arg) for arg in args)})"
        except OpaqueValue:
            unique = True
            label = f"{name}(…)"
        if unique:
            return self._unique(label, display, secret=secret, type=type, alphabet=alphabet)
        return Unknown(
            label, display, context="|".join(sorted(contexts)), secret=secret, type=type, alphabet=alphabet
        )

    # -- evaluation of JSON values ---------------------------------------------------------------------

    def _enter(self) -> None:
        shared = self._shared
        shared.steps += 1
        if shared.steps > shared.max_steps:
            raise Stop(f"evaluation stopped after {shared.max_steps:,} steps (bound)")
        shared.depth += 1
        if shared.depth > MAX_DEPTH:
            shared.depth -= 1
            raise Stop(f"evaluation nested deeper than {MAX_DEPTH} levels (bound)")

    def _value(self, raw: object, frame: Frame, pointer: str) -> object:
        self._enter()
        try:
            if isinstance(raw, str):
                if is_expression(raw):
                    parsed = parse_cached(raw)
                    if isinstance(parsed, ExpressionError):
                        return self._unique("invalid", "invalid expression")
                    return self._eval(parsed, frame.at(pointer))
                return unescape_literal(raw)
            if isinstance(raw, dict):
                nested = self._shared.opaque.get(id(raw))
                if nested is not None:
                    return Unknown(f"template({quote(nested)})", "nested template", type=OBJECT)
                return self._object(raw, frame, pointer)
            if isinstance(raw, list):
                return [self._value(item, frame, f"{pointer}/{index}") for index, item in enumerate(raw)]
            return raw
        finally:
            self._shared.depth -= 1

    def _object(self, raw: dict[str, object], frame: Frame, pointer: str) -> object:
        copy_key = property_copy_key(raw)
        out: dict[str, object] = {}
        for key, item in raw.items():
            member_pointer = pointer + "/" + escape_token(key)
            if key is copy_key:
                assert isinstance(item, list)
                for index, entry in enumerate(item):
                    assert isinstance(entry, dict)
                    self._property_copy(entry, frame, f"{member_pointer}/{index}", out)
                continue
            name = key
            if is_expression(key):
                evaluated = self._value(key, frame, member_pointer)
                if not isinstance(evaluated, str):
                    label = f"object({quote(pointer)})"
                    return Unknown(label, "object with a computed key", context=self.context, type=OBJECT)
                name = evaluated
            out[name] = self._value(item, frame, member_pointer)
        return out

    def _property_copy(
        self, entry: dict[str, object], frame: Frame, pointer: str, out: dict[str, object]
    ) -> None:
        from templategen.arm.declarations import CopyLoop

        loop = CopyLoop("property", entry, pointer)
        name = loop.name
        if name is None:
            self._record(pointer, "a property copy loop needs a name", 0, 0)
            return
        out[name] = self._copy_array(loop, frame, pointer)

    def _copy_array(self, loop: CopyLoop, frame: Frame, pointer: str) -> object:
        """The array a property, variable or output copy loop builds (`input` per index)."""
        name = (loop.name or "").lower()
        count = self._count(loop, frame, pointer)
        input_key = ci_lookup(loop.raw, "input")
        input_pointer = pointer + "/" + escape_token(input_key) if input_key else pointer
        if count is None:
            return Unknown(f"copy({quote(pointer)})", f"copy '{loop.name}'", context=self.context, type=ARRAY)
        out: list[object] = []
        for index in range(count):
            inner = Frame({**frame.loops, name: index}, input_pointer, frame.lambdas, frame.fn_args)
            out.append(self._value(loop.input, inner, input_pointer))
        return out

    def _count(self, loop: CopyLoop, frame: Frame, pointer: str) -> int | None:
        """A loop's count: an int within ARM's bounds, or None when unknown (problems for counts ARM
        rejects: missing, not an integer, negative, above its limit)."""
        count_key = ci_lookup(loop.raw, "count")
        count_pointer = pointer + "/" + escape_token(count_key) if count_key else pointer
        if count_key is None:
            self._record(pointer, "copy loop without a count", 0, 0)
            return None
        value = self._value(loop.count, frame.at(count_pointer), count_pointer)
        if not is_known(value):
            return None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._record(count_pointer, "the copy count is not an integer", 0, 0)
            return None
        if value < 0:
            self._record(count_pointer, "the copy count cannot be negative", 0, 0)
            return None
        if value > MAX_COPY_COUNT:
            self._record(
                count_pointer, f"the copy count {value:,} exceeds ARM's limit of {MAX_COPY_COUNT}", 0, 0
            )
            return None
        return int(value)

    def _symbolic_index(self, loop: CopyLoop) -> Unknown:
        """The index of an instance of a loop whose count is unknown: `copyindex('name')`."""
        return Unknown(
            f"copyindex({quote(name_of(loop))})",
            f"copyIndex('{loop.name}')",
            context=self.context,
            type=INT,
            alphabet=INDEX_DIGITS,
        )

    # -- parameters and variables --------------------------------------------------------------------

    def _parameter(self, name: str, frame: Frame) -> object:
        key = name.lower()
        if key in self._parameters:
            return self._parameters[key]
        parameter = self.template.parameters.get(key)
        if parameter is None:
            raise ArmError(f"the parameter '{name}' is not declared")
        if key in self._in_progress:
            return self._cycle(key, parameter.name, parameter.pointer, "parameter")
        json_type = _PARAMETER_TYPES.get(parameter.type or "")
        if key in self._given:
            value = self._given[key]
        elif parameter.has_default:
            default_pointer = parameter.pointer_of("defaultValue") or parameter.pointer
            self._in_progress.append(key)
            try:
                value = self._value(parameter.default, Frame({}, default_pointer), default_pointer)
            finally:
                self._in_progress.pop()
        else:
            value = Unknown(
                f"parameters({quote(key)})",
                f"parameters({quote(parameter.name)})",
                context=self.context,
                type=json_type,
                secret=parameter.secure,
            )
        if not isinstance(value, Given) and not fits(value, json_type):
            # A default (or given value) of another type than the declared one is never the value
            # of a deployment that succeeds: a parent passes the real value (linked templates
            # declare `"defaultValue": ""` for ints), or the deployment fails on the parameter,
            # which the structure rules report. Either way it is unknown here.
            value = Given(secret=False)
        if isinstance(value, Given):
            value = Unknown(
                f"parameters({quote(key)})",
                f"parameters({quote(parameter.name)})",
                context=self.context,
                type=json_type,
                secret=value.secret or parameter.secure,
            )
        if parameter.secure:
            value = taint(value)
            self._shared.has_secrets = True
        elif is_secret(value):
            self._shared.has_secrets = True
        self._parameters[key] = value
        return value

    def _variable(self, name: str, frame: Frame) -> object:
        key = name.lower()
        if key in self._variables:
            return self._variables[key]
        variable = self.template.variables.get(key)
        if variable is None:
            raise ArmError(f"the variable '{name}' is not declared")
        marker = "v:" + key
        if marker in self._in_progress:
            return self._cycle(marker, variable.name, variable.value_pointer, "variable")
        self._in_progress.append(marker)
        try:
            root = Frame({}, variable.value_pointer)
            if variable.copy is not None:
                value = self._copy_array(variable.copy, root, variable.copy.pointer)
            else:
                value = self._value(variable.value, root, variable.value_pointer)
        finally:
            self._in_progress.pop()
        self._variables[key] = value
        return value

    def _cycle(self, marker: str, name: str, pointer: str, what: str) -> Unknown:
        start = self._in_progress.index(marker)
        chain = [self._display_name(item) for item in self._in_progress[start:]] + [name]
        self._shared.cycles.append(tuple(chain))
        self._record(pointer, f"{what} '{name}' refers to itself: " + " -> ".join(chain), 0, 0, "cycle")
        return self._unique(f"cycle({quote(name.lower())})", f"{what}s('{name}')")

    def _display_name(self, marker: str) -> str:
        if marker.startswith("v:"):
            variable = self.template.variables.get(marker[2:])
            return variable.name if variable is not None else marker[2:]
        parameter = self.template.parameters.get(marker)
        return parameter.name if parameter is not None else marker

    # -- expressions ---------------------------------------------------------------------------------

    def _eval(self, node: Expr, frame: Frame) -> object:
        self._enter()
        try:
            if isinstance(node, StringLit):
                return node.value
            if isinstance(node, IntLit):
                return node.value
            if isinstance(node, Call):
                return self._call(node, frame)
            if isinstance(node, Member):
                return self._member(self._eval(node.target, frame), node.name, node, frame)
            if isinstance(node, Index):
                target = self._eval(node.target, frame)
                return self._index(target, self._eval(node.index, frame), node, frame)
            raise TypeError(f"not an expression node: {node!r}")
        finally:
            self._shared.depth -= 1

    def _member(self, target: object, name: str, node: Expr, frame: Frame) -> object:
        if isinstance(target, Unknown):
            if target.members is not None and name.lower() in target.members:
                return target.members[name.lower()]
            return target.replace(
                label=f"{unknown_label(target)}.{name.lower()}",
                display=f"{target.shown}.{name}",
                case="",
                type=None,
                alphabet=None,
                members=None,
            )
        if isinstance(target, dict):
            found, value = ci_get(target, name)
            if not found:
                shown = "***" if is_secret(name) else f"'{name}'"
                self._problem(frame, node, f"the property {shown} does not exist on this object")
                return self._error(node)
            return value
        shown = "***" if is_secret(name) else f"'{name}'"
        self._problem(frame, node, f"cannot read the property {shown} of a {kind_of(target)}")
        return self._error(node)

    def _index(self, target: object, index: object, node: Expr, frame: Frame) -> object:
        if isinstance(target, Unknown):
            if isinstance(index, str):
                return self._member(target, index, node, frame)
            try:
                index_label = label_of(index)
            except OpaqueValue:
                return self._unique("index", f"{target.shown}[…]")
            unique = not target.deterministic or any(not u.deterministic for u in unknowns_in([index]))
            contexts = {target.context} | {u.context for u in unknowns_in([index])}
            label = f"{unknown_label(target)}[{index_label}]"
            display = f"{target.shown}[{short(index)}]"
            if unique:
                return self._unique(label, display, secret=target.secret)
            return Unknown(
                label, display, context="|".join(sorted(c for c in contexts if c)), secret=target.secret
            )
        if isinstance(index, (Unknown, Partial)):
            if not isinstance(target, (list, dict)):
                self._problem(frame, node, f"cannot index a {kind_of(target)}")
                return self._error(node)
            return self._derived_index(target, index)
        if isinstance(target, list):
            if isinstance(index, bool) or not isinstance(index, int):
                self._problem(frame, node, f"an array index must be an integer, not a {kind_of(index)}")
                return self._error(node)
            if not 0 <= index < len(target):
                self._problem(
                    frame, node, f"index {index} is out of range for an array of {len(target)} elements"
                )
                return self._error(node)
            return target[index]
        if isinstance(target, dict):
            if not isinstance(index, str):
                self._problem(
                    frame, node, f"an object member is selected by a string, not a {kind_of(index)}"
                )
                return self._error(node)
            return self._member(target, index, node, frame)
        self._problem(frame, node, f"cannot index a {kind_of(target)}")
        return self._error(node)

    def _derived_index(self, target: list[object] | dict[str, object], index: object) -> object:
        unknowns = list(unknowns_in([index, target]))
        try:
            label = f"{label_of(target)}[{label_of(index)}]"
        except OpaqueValue:
            return self._unique("index", "element")
        if any(not u.deterministic for u in unknowns):
            return self._unique(label, f"…[{short(index)}]")
        secret = any(u.secret for u in unknowns) or (self._shared.has_secrets and is_secret(target))
        contexts = sorted({u.context for u in unknowns if u.context})
        return Unknown(label, f"…[{short(index)}]", context="|".join(contexts), secret=secret)

    def _call(self, node: Call, frame: Frame) -> object:
        low = node.name.lower()
        if "." in low:
            return self._user_function(node, frame)
        special = SPECIAL.get(low)
        if special is not None:
            info = lookup(node.name)
            if info is not None and not info.accepts(len(node.args)):
                return self._unique("arity", node.name)
            try:
                return special(self, node, frame)
            except ArmError as error:
                self._problem(frame, node, str(error))
                return self._error(node)
            except Undecidable:
                return self._unique(low, node.name)
            except BoundExceeded as bound:
                self._problem(frame, node, str(bound), "bound")
                return self._error(node)
        pure = builtin(low)
        info = lookup(node.name)
        if pure is None or info is None:
            if (info is not None and info.unknown_offline) or low.startswith("list"):
                for arg in node.args:
                    self._eval(arg, frame)
                return self._unique(f"{low}(…)", f"{node.name}(…)", type=OBJECT)
            return self._unique("unknown-function", node.name)  # the expression rules report it
        if not info.accepts(len(node.args)):
            return self._unique("arity", node.name)
        args = [self._eval(arg, frame) for arg in node.args]
        return self._apply(pure, node, args, frame)

    def _apply(self, builtin: Builtin, node: Call, args: list[object], frame: Frame) -> object:
        if any(isinstance(arg, Lambda) for arg in args):
            self._problem(frame, node, f"{builtin.name}() does not take a lambda")
            return self._error(node)
        mode = builtin.mode
        if (mode == STRICT and not all(is_known(arg) for arg in args)) or (
            mode == SHALLOW and any(isinstance(arg, (Unknown, Partial)) for arg in args)
        ):
            return self._derived(
                builtin.name.lower(), node.name, args, builtin.type, builtin.alphabet, node.args, frame
            )
        try:
            result = builtin.function(args)
        except ArmError as error:
            self._problem(frame, node, str(error))
            return self._error(node)
        except Undecidable:
            return self._derived(
                builtin.name.lower(), node.name, args, builtin.type, builtin.alphabet, node.args, frame
            )
        except BoundExceeded as bound:
            self._problem(frame, node, f"{builtin.name}(): {bound}", "bound")
            return self._error(node)
        if self._shared.has_secrets and not builtin.assembles and any(is_secret(arg) for arg in args):
            return taint(result)
        return result

    # -- user-defined functions ----------------------------------------------------------------------

    def _user_function(self, node: Call, frame: Frame) -> object:
        function = self.template.functions.get(node.name.lower())
        if function is None:
            return self._unique("unknown-function", node.name)  # the expression rules report it
        args = [self._eval(arg, frame) for arg in node.args]
        if len(args) != len(function.parameters):
            self._problem(
                frame,
                node,
                f"{function.full_name}() takes {len(function.parameters)} arguments, {len(args)} given",
            )
            return self._error(node)
        if any(isinstance(arg, Lambda) for arg in args):
            self._problem(frame, node, f"{function.full_name}() does not take a lambda")
            return self._error(node)
        fn_args = {
            name.lower(): value
            for (name, _type, _pointer), value in zip(function.parameters, args, strict=False)
        }
        pointer = function.output_pointer or function.pointer
        self._enter()
        try:
            return self._value(function.output_value, Frame({}, pointer, None, fn_args), pointer)
        finally:
            self._shared.depth -= 1

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

This module is on the start-up path of `templategen lint`: standard library modules it needs for a
few functions (uuid, datetime, ipaddress, base64, urllib) are imported inside those functions.
"""

from __future__ import annotations

from templategen.arm.builtin import SHALLOW, STRICT, Builtin, type_name
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
    to_source,
    unescape_literal,
)
from templategen.arm.fn_cidr import FUNCTIONS as _CIDR_FUNCTIONS
from templategen.arm.fn_data import FUNCTIONS as _DATA_FUNCTIONS
from templategen.arm.fn_text import FUNCTIONS as _TEXT_FUNCTIONS
from templategen.arm.fn_time import FUNCTIONS as _TIME_FUNCTIONS
from templategen.arm.functions import LAMBDA_TAKERS, lookup
from templategen.arm.names import ci_lookup, escape_token, walk_path
from templategen.arm.resource_ids import (
    Scope,
    extension_resource_id,
    management_group_resource_id,
    resource_id,
    subscription_resource_id,
    tenant_resource_id,
)
from templategen.arm.values import (
    ARRAY,
    BOOL,
    DIGITS,
    GUID_CHARS,
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
    describe,
    is_known,
    is_secret,
    join_text,
    label_of,
    quote,
    same,
    taint,
    text_parts,
    unknown_label,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from templategen.arm.declarations import CopyLoop, Output
    from templategen.arm.parameters import ParametersFile
    from templategen.arm.resource import Resource
    from templategen.arm.template import Template

#: ARM's limit on the number of copies of one loop.
MAX_COPY_COUNT = 800
#: Most instances one resource expands to (all its loops together, nested deployments included).
MAX_INSTANCES = 800
#: Deepest nesting of evaluations (expression nodes, JSON containers, variable references, function
#: and lambda calls). Real templates stay below 40; each level costs a few Python frames.
MAX_DEPTH = 160
#: Most evaluation steps for one evaluator and the nested evaluators it creates: about two seconds
#: of work. The largest template of the quickstart corpus needs 12,000.
MAX_STEPS = 500_000

_BUILTINS: dict[str, Builtin] = {**_TEXT_FUNCTIONS, **_DATA_FUNCTIONS, **_TIME_FUNCTIONS, **_CIDR_FUNCTIONS}
_PARAMETER_TYPES = {
    "string": STRING,
    "securestring": STRING,
    "int": INT,
    "bool": BOOL,
    "array": ARRAY,
    "object": OBJECT,
    "secureobject": OBJECT,
}
#: Calls whose value differs on every evaluation, or comes from Azure at deployment time.
_RUNTIME_FUNCTIONS = frozenset({"reference", "references", "pickzones", "providers", "utcnow", "newguid"})
_GUID_LOWER = "0123456789abcdef-"


class EvaluationProblem:
    """Something Resource Manager would reject at deployment time, or a bound the evaluator hit.

    pointer   JSON pointer of the string (or value) being evaluated
    start/end character offsets inside that string (the call or access at fault), 0/0 if none
    kind      "error" (the deployment would fail), "cycle" (variables referring to themselves) or
              "bound" (hostile input: the evaluator stopped, the value is unknown)
    message   what is wrong; never contains a value from the template (it may be secret)
    """

    __slots__ = ("end", "kind", "message", "pointer", "start")

    def __init__(self, pointer: str, message: str, start: int = 0, end: int = 0, kind: str = "error") -> None:
        self.pointer = pointer
        self.message = message
        self.start = start
        self.end = end
        self.kind = kind

    def __repr__(self) -> str:
        return f"EvaluationProblem({self.kind} at {self.pointer!r} [{self.start}:{self.end}]: {self.message})"


class Lambda:
    """A `lambda('x', ..., body)` argument: parameter names, the body, and what it closes over."""

    __slots__ = ("body", "fn_args", "label", "lambdas", "loops", "params")

    def __init__(
        self,
        params: tuple[str, ...],
        body: Expr,
        lambdas: dict[str, object],
        fn_args: dict[str, object] | None,
        loops: dict[str, object],
        label: str,
    ) -> None:
        self.params = params
        self.body = body
        self.lambdas = lambdas
        self.fn_args = fn_args
        self.loops = loops
        self.label = label

    @property
    def display(self) -> str:
        return "lambda(…)"


class _Stop(Exception):
    """A bound was hit: unwind to the public entry point, which records it and answers unknown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Shared:
    """State shared by an evaluator and the nested evaluators it creates."""

    __slots__ = (
        "children",
        "cycles",
        "depth",
        "has_secrets",
        "incomplete",
        "instances",
        "max_steps",
        "opaque",
        "problem_keys",
        "problems",
        "speculative",
        "steps",
        "uid",
    )

    def __init__(self, max_steps: int) -> None:
        self.max_steps = max_steps
        self.problems: list[EvaluationProblem] = []
        self.problem_keys: set[tuple[str, int, int, str]] = set()
        self.cycles: list[tuple[str, ...]] = []
        self.steps = 0
        self.depth = 0
        self.uid = 0
        self.speculative = 0
        self.has_secrets = False
        self.opaque: dict[int, str] = {}
        self.children: dict[tuple[str, str], Evaluator] = {}
        self.instances: dict[tuple[int, int], list[ResourceInstance]] = {}
        self.incomplete: set[int] = set()


class _Frame:
    """Where an expression is evaluated: copy-loop indexes, lambda variables, the arguments of the
    user function being evaluated (None outside functions), and the pointer for problems."""

    __slots__ = ("fn_args", "lambdas", "loops", "pointer")

    def __init__(
        self,
        loops: dict[str, object],
        pointer: str,
        lambdas: dict[str, object] | None = None,
        fn_args: dict[str, object] | None = None,
    ) -> None:
        self.loops = loops
        self.pointer = pointer
        self.lambdas: dict[str, object] = lambdas if lambdas is not None else {}
        self.fn_args = fn_args

    def at(self, pointer: str) -> _Frame:
        if pointer == self.pointer:
            return self
        return _Frame(self.loops, pointer, self.lambdas, self.fn_args)


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
        _shared: _Shared | None = None,
        _scope_contexts: tuple[str, str, str] | None = None,
    ) -> None:
        if template.deployment is not None and template.evaluation_scope == "outer":
            template = template.expression_scope
        self.template = template
        self.context = (
            template.pointer if context is None and template.deployment is not None else context or ""
        )
        self._shared = _shared if _shared is not None else _Shared(max_steps)
        if _shared is None:
            for nested in template.all_templates():
                if nested is not template:
                    self._shared.opaque[id(nested.data)] = nested.pointer
        self._given = _given_values(parameter_values)
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
        frame = _Frame(_loops(loops), pointer or "")
        return self._guard(lambda: self._value(value, frame, pointer or ""), pointer or "")

    def parameter(self, name: str) -> object:
        """The value of a parameter (given, default, or unknown); ArmError-free: problems recorded."""
        return self._guard(lambda: self._parameter(name, _Frame({}, "")), "")

    def variable(self, name: str) -> object:
        """The value of a variable (copy variables: the array)."""
        return self._guard(lambda: self._variable(name, _Frame({}, "")), "")

    def output_value(self, output: Output) -> object:
        """The value of an output (an output copy loop gives the array)."""
        pointer = output.pointer

        def run() -> object:
            frame = _Frame({}, pointer)
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
        instances = self._guard_list(lambda: self._instances_of(resource), resource)
        self._shared.instances[key] = instances
        return instances

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

    def _guard(self, run: Callable[[], object], pointer: str) -> object:
        try:
            return run()
        except _Stop as stop:
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
        except (_Stop, RecursionError) as stop:
            message = stop.message if isinstance(stop, _Stop) else "evaluation nested too deeply"
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
        key = (pointer, start, end, message)
        if key in shared.problem_keys:
            return
        shared.problem_keys.add(key)
        shared.problems.append(EvaluationProblem(pointer, message, start, end, kind))

    def _problem(self, frame: _Frame, node: Expr, message: str, kind: str = "error") -> None:
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
    ) -> Unknown:
        """The unknown result of a deterministic function of `args`: named `name(arg labels)`, the
        same value wherever the same arguments recur; unique when an argument is itself unique."""
        contexts: set[str] = set()
        unique = False
        secret = False
        for unknown in _unknowns_in(args):
            if unknown.context:
                contexts.add(unknown.context)
            unique = unique or not unknown.deterministic
            secret = secret or unknown.secret
        secret = secret or (self._shared.has_secrets and any(is_secret(arg) for arg in args))
        display = f"{display_name}({', '.join(_short(arg) for arg in args)})"
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
            raise _Stop(f"evaluation stopped after {shared.max_steps:,} steps (bound)")
        shared.depth += 1
        if shared.depth > MAX_DEPTH:
            shared.depth -= 1
            raise _Stop(f"evaluation nested deeper than {MAX_DEPTH} levels (bound)")

    def _value(self, raw: object, frame: _Frame, pointer: str) -> object:
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

    def _object(self, raw: dict[str, object], frame: _Frame, pointer: str) -> object:
        copy_key = _property_copy_key(raw)
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
        self, entry: dict[str, object], frame: _Frame, pointer: str, out: dict[str, object]
    ) -> None:
        from templategen.arm.declarations import CopyLoop

        loop = CopyLoop("property", entry, pointer)
        name = loop.name
        if name is None:
            self._record(pointer, "a property copy loop needs a name", 0, 0)
            return
        out[name] = self._copy_array(loop, frame, pointer)

    def _copy_array(self, loop: CopyLoop, frame: _Frame, pointer: str) -> object:
        """The array a property, variable or output copy loop builds (`input` per index)."""
        name = (loop.name or "").lower()
        count = self._count(loop, frame, pointer)
        input_key = ci_lookup(loop.raw, "input")
        input_pointer = pointer + "/" + escape_token(input_key) if input_key else pointer
        if count is None:
            return Unknown(f"copy({quote(pointer)})", f"copy '{loop.name}'", context=self.context, type=ARRAY)
        out: list[object] = []
        for index in range(count):
            inner = _Frame({**frame.loops, name: index}, input_pointer, frame.lambdas, frame.fn_args)
            out.append(self._value(loop.input, inner, input_pointer))
        return out

    def _count(self, loop: CopyLoop, frame: _Frame, pointer: str) -> int | None:
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
            alphabet=DIGITS,
        )

    # -- parameters and variables --------------------------------------------------------------------

    def _parameter(self, name: str, frame: _Frame) -> object:
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
                value = self._value(parameter.default, _Frame({}, default_pointer), default_pointer)
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
        if not isinstance(value, _Given) and not _fits(value, json_type):
            # A default (or given value) of another type than the declared one is never the value
            # of a deployment that succeeds: a parent passes the real value (linked templates
            # declare `"defaultValue": ""` for ints), or the deployment fails on the parameter,
            # which the structure rules report. Either way it is unknown here.
            value = _Given(secret=False)
        if isinstance(value, _Given):
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

    def _variable(self, name: str, frame: _Frame) -> object:
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
            root = _Frame({}, variable.value_pointer)
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

    def _eval(self, node: Expr, frame: _Frame) -> object:
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

    def _member(self, target: object, name: str, node: Expr, frame: _Frame) -> object:
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
                self._problem(frame, node, f"the property '{name}' does not exist on this object")
                return self._error(node)
            return value
        self._problem(frame, node, f"cannot read the property '{name}' of a {_kind(target)}")
        return self._error(node)

    def _index(self, target: object, index: object, node: Expr, frame: _Frame) -> object:
        if isinstance(target, Unknown):
            if isinstance(index, str):
                return self._member(target, index, node, frame)
            try:
                index_label = label_of(index)
            except OpaqueValue:
                return self._unique("index", f"{target.shown}[…]")
            unique = not target.deterministic or any(not u.deterministic for u in _unknowns_in([index]))
            contexts = {target.context} | {u.context for u in _unknowns_in([index])}
            label = f"{unknown_label(target)}[{index_label}]"
            display = f"{target.shown}[{_short(index)}]"
            if unique:
                return self._unique(label, display, secret=target.secret)
            return Unknown(
                label, display, context="|".join(sorted(c for c in contexts if c)), secret=target.secret
            )
        if isinstance(index, (Unknown, Partial)):
            if not isinstance(target, (list, dict)):
                self._problem(frame, node, f"cannot index a {_kind(target)}")
                return self._error(node)
            return self._derived_index(target, index)
        if isinstance(target, list):
            if isinstance(index, bool) or not isinstance(index, int):
                self._problem(frame, node, f"an array index must be an integer, not a {_kind(index)}")
                return self._error(node)
            if not 0 <= index < len(target):
                self._problem(
                    frame, node, f"index {index} is out of range for an array of {len(target)} elements"
                )
                return self._error(node)
            return target[index]
        if isinstance(target, dict):
            if not isinstance(index, str):
                self._problem(frame, node, f"an object member is selected by a string, not a {_kind(index)}")
                return self._error(node)
            return self._member(target, index, node, frame)
        self._problem(frame, node, f"cannot index a {_kind(target)}")
        return self._error(node)

    def _derived_index(self, target: list[object] | dict[str, object], index: object) -> object:
        unknowns = list(_unknowns_in([index, target]))
        try:
            label = f"{label_of(target)}[{label_of(index)}]"
        except OpaqueValue:
            return self._unique("index", "element")
        if any(not u.deterministic for u in unknowns):
            return self._unique(label, f"…[{_short(index)}]")
        secret = any(u.secret for u in unknowns) or (self._shared.has_secrets and is_secret(target))
        contexts = sorted({u.context for u in unknowns if u.context})
        return Unknown(label, f"…[{_short(index)}]", context="|".join(contexts), secret=secret)

    def _call(self, node: Call, frame: _Frame) -> object:
        low = node.name.lower()
        if "." in low:
            return self._user_function(node, frame)
        special = _SPECIAL.get(low)
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
        builtin = _BUILTINS.get(low)
        info = lookup(node.name)
        if builtin is None or info is None:
            if (info is not None and info.unknown_offline) or low.startswith("list"):
                for arg in node.args:
                    self._eval(arg, frame)
                return self._unique(f"{low}(…)", f"{node.name}(…)", type=OBJECT)
            return self._unique("unknown-function", node.name)  # the expression rules report it
        if not info.accepts(len(node.args)):
            return self._unique("arity", node.name)
        args = [self._eval(arg, frame) for arg in node.args]
        return self._apply(builtin, node, args, frame)

    def _apply(self, builtin: Builtin, node: Call, args: list[object], frame: _Frame) -> object:
        if any(isinstance(arg, Lambda) for arg in args):
            self._problem(frame, node, f"{builtin.name}() does not take a lambda")
            return self._error(node)
        mode = builtin.mode
        if (mode == STRICT and not all(is_known(arg) for arg in args)) or (
            mode == SHALLOW and any(isinstance(arg, (Unknown, Partial)) for arg in args)
        ):
            return self._derived(builtin.name.lower(), node.name, args, builtin.type, builtin.alphabet)
        try:
            result = builtin.function(args)
        except ArmError as error:
            self._problem(frame, node, str(error))
            return self._error(node)
        except Undecidable:
            return self._derived(builtin.name.lower(), node.name, args, builtin.type, builtin.alphabet)
        except BoundExceeded as bound:
            self._problem(frame, node, f"{builtin.name}(): {bound}", "bound")
            return self._error(node)
        if self._shared.has_secrets and not builtin.assembles and any(is_secret(arg) for arg in args):
            return taint(result)
        return result

    # -- special functions (need the evaluator: lazy arguments, state, scope) -------------------------

    def _args(self, node: Call, frame: _Frame) -> list[object]:
        return [self._eval(arg, frame) for arg in node.args]

    def _fn_parameters(self, node: Call, frame: _Frame) -> object:
        name = self._eval(node.args[0], frame)
        if not isinstance(name, str):
            if isinstance(name, (Unknown, Partial)):
                raise Undecidable("parameter name unknown")
            raise ArmError("parameters() expects the parameter name as a string")
        if frame.fn_args is not None:
            key = name.lower()
            if key not in frame.fn_args:
                raise ArmError(f"the function has no parameter '{name}'")
            return frame.fn_args[key]
        return self._parameter(name, frame)

    def _fn_variables(self, node: Call, frame: _Frame) -> object:
        name = self._eval(node.args[0], frame)
        if not isinstance(name, str):
            if isinstance(name, (Unknown, Partial)):
                raise Undecidable("variable name unknown")
            raise ArmError("variables() expects the variable name as a string")
        if frame.fn_args is not None:
            raise ArmError("user-defined functions cannot use variables()")
        return self._variable(name, frame)

    def _fn_copy_index(self, node: Call, frame: _Frame) -> object:
        args = self._args(node, frame)
        loop_name: str | None = None
        offset: object = 0
        if args and isinstance(args[0], str):
            loop_name = args[0]
            if len(args) > 1:
                offset = args[1]
        elif args:
            offset = args[0]
            if len(args) > 1:
                raise ArmError("copyIndex() takes the loop name first, then the offset")
        if isinstance(offset, (Unknown, Partial)) or not is_known(offset):
            raise Undecidable("unknown offset")
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise ArmError("copyIndex() offset must be an integer")
        key = "" if loop_name is None else loop_name.lower()
        index = frame.loops.get(key)
        if index is None:
            shown = "" if loop_name is None else quote(loop_name)
            index = Unknown(
                f"copyindex({'' if loop_name is None else quote(key)})",
                f"copyIndex({shown})",
                context=self.context,
                type=INT,
                alphabet=DIGITS,
            )
        if isinstance(index, int) and not isinstance(index, bool):
            return index + offset
        if not offset:
            return index
        return self._derived("add", "add", [index, offset], INT, DIGITS)

    def _fn_if(self, node: Call, frame: _Frame) -> object:
        condition = self._eval(node.args[0], frame)
        if condition is True:
            return self._eval(node.args[1], frame)
        if condition is False:
            return self._eval(node.args[2], frame)
        if not isinstance(condition, Unknown) or condition.type not in (None, BOOL):
            raise ArmError(f"if() expects a boolean condition, not a {_kind(condition)}")
        self._shared.speculative += 1
        try:
            first = self._eval(node.args[1], frame)
            second = self._eval(node.args[2], frame)
        finally:
            self._shared.speculative -= 1
        if same(first, second) is True:
            return first
        return self._derived("if", "if", [condition, first, second])

    def _fn_and_or(self, node: Call, frame: _Frame) -> object:
        is_and = node.name.lower() == "and"
        decisive = not is_and  # False decides `and`, True decides `or`
        unknowns: list[object] = []
        for arg in node.args:
            value = self._eval(arg, frame)
            if value is decisive:
                return decisive
            if isinstance(value, bool):
                continue
            if isinstance(value, Unknown) and value.type in (None, BOOL):
                unknowns.append(value)
                continue
            raise ArmError(f"{node.name}() expects booleans, not a {_kind(value)}")
        if unknowns:
            return self._derived(node.name.lower(), node.name, unknowns, BOOL)
        return not decisive

    def _fn_coalesce(self, node: Call, frame: _Frame) -> object:
        pending: list[object] = []
        for arg in node.args:
            value = self._eval(arg, frame)
            if value is None:
                continue
            if isinstance(value, Unknown) and value.type is None:
                pending.append(value)
                continue
            if pending:
                return self._derived("coalesce", "coalesce", [*pending, value])
            return value
        if pending:
            return pending[0] if len(pending) == 1 else self._derived("coalesce", "coalesce", pending)
        return None

    def _fn_runtime(self, node: Call, frame: _Frame) -> object:
        """`reference()`, `utcNow()`, `newGuid()`...: a value of the deployment, new on every call."""
        args = self._args(node, frame)
        secret = self._shared.has_secrets and any(is_secret(arg) for arg in args)
        low = node.name.lower()
        if low == "newguid":
            return self._unique("newguid()", "newGuid()", type=STRING, alphabet=_GUID_LOWER)
        if low == "utcnow":
            return self._unique("utcnow()", "utcNow()", type=STRING)
        return self._unique(f"{low}(…)", f"{node.name}(…)", secret=secret)

    def _fn_scope(self, node: Call, frame: _Frame) -> object:
        low = node.name.lower()
        cached = self._scope_objects.get(low)
        if cached is not None:
            return cached
        sub_ctx, rg_ctx, deploy_ctx = self._scope_contexts
        tenant_id = Unknown("tenant().tenantid", "tenant().tenantId", type=STRING, alphabet=GUID_CHARS)
        members: dict[str, object]
        context = ""
        if low == "resourcegroup":
            members = {
                "name": self.scope.resource_group,
                "id": join_text(
                    [
                        "/subscriptions/",
                        self.scope.subscription_id,
                        "/resourceGroups/",
                        self.scope.resource_group,
                    ]
                ),
                "type": "Microsoft.Resources/resourceGroups",
            }
            context = rg_ctx
        elif low == "subscription":
            members = {
                "subscriptionid": self.scope.subscription_id,
                "id": join_text(["/subscriptions/", self.scope.subscription_id]),
                "tenantid": tenant_id,
            }
            context = sub_ctx
        elif low == "managementgroup":
            members = {
                "name": self.scope.management_group,
                "id": join_text(
                    ["/providers/Microsoft.Management/managementGroups/", self.scope.management_group]
                ),
                "type": "/providers/Microsoft.Management/managementGroups",
            }
        elif low == "tenant":
            members = {"tenantid": tenant_id}
        elif low == "deployment":
            members = {}
            context = deploy_ctx
        else:  # environment(), deployer()
            members = {}
        display = {"resourcegroup": "resourceGroup", "managementgroup": "managementGroup"}.get(low, low)
        value = Unknown(f"{low}()", f"{display}()", context=context, type=OBJECT, members=members)
        self._scope_objects[low] = value
        return value

    def _fn_resource_id(self, node: Call, frame: _Frame) -> object:
        args = self._args(node, frame)
        low = node.name.lower()
        if low == "resourceid":
            result = resource_id(args, self.scope)
        elif low == "subscriptionresourceid":
            result = subscription_resource_id(args, self.scope)
        elif low == "tenantresourceid":
            result = tenant_resource_id(args)
        elif low == "extensionresourceid":
            result = extension_resource_id(args)
        else:
            result = management_group_resource_id(args, self.scope)
        return result  # made of its arguments: secret pieces stay secret by themselves

    def _fn_lambda(self, node: Call, frame: _Frame) -> object:
        raise ArmError(
            "lambda() can only be written directly as an argument of " + ", ".join(sorted(LAMBDA_TAKERS))
        )

    def _fn_lambda_variables(self, node: Call, frame: _Frame) -> object:
        name = self._eval(node.args[0], frame)
        if not isinstance(name, str):
            raise ArmError("lambdaVariables() expects the variable name as a string")
        key = name.lower()
        if key not in frame.lambdas:
            raise ArmError(f"no lambda variable named '{name}' here")
        return frame.lambdas[key]

    # -- lambdas -------------------------------------------------------------------------------------

    def _lambda(self, node: Expr, frame: _Frame, name: str) -> Lambda:
        if not isinstance(node, Call) or node.name.lower() != "lambda":
            raise ArmError(f"{name}() expects a lambda(...) argument")
        params: list[str] = []
        for arg in node.args[:-1]:
            value = self._eval(arg, frame)
            if not isinstance(value, str):
                raise ArmError("lambda() parameter names are strings")
            params.append(value.lower())
        if not node.args:
            raise ArmError("lambda() needs a body")
        body = node.args[-1]
        label = "lambda(" + ", ".join(quote(param) for param in params) + ", " + to_source(body) + ")"
        if frame.lambdas or frame.fn_args:
            self._shared.uid += 1
            label += f"#{self._shared.uid}"
        return Lambda(tuple(params), body, frame.lambdas, frame.fn_args, frame.loops, label)

    def _invoke(self, function: Lambda, values: list[object], frame: _Frame) -> object:
        if len(function.params) > len(values):
            raise ArmError(
                f"the lambda takes {len(function.params)} parameters; at most {len(values)} are given here"
            )
        bound = dict(function.lambdas)
        bound.update(zip(function.params, values, strict=False))
        inner = _Frame(function.loops, frame.pointer, bound, function.fn_args)
        return self._eval(function.body, inner)

    def _lambda_input(self, node: Call, frame: _Frame, name: str) -> tuple[object, Lambda]:
        items = self._eval(node.args[0], frame)
        function = self._lambda(node.args[-1], frame, name)
        return items, function

    def _lambda_unknown(
        self, name: str, display: str, items: object, function: Lambda, *extra: object
    ) -> Unknown:
        if isinstance(items, Unknown) and items.type not in (None, ARRAY, OBJECT):
            raise ArmError(f"{display}() expects an array, not {items.type}")
        return self._derived(name, display, [items, *extra, function])

    def _fn_map(self, node: Call, frame: _Frame) -> object:
        items, function = self._lambda_input(node, frame, "map")
        if not isinstance(items, list):
            return self._lambda_unknown_or_error("map", node, items, function, ARRAY)
        return [self._invoke(function, [item, index], frame) for index, item in enumerate(items)]

    def _lambda_unknown_or_error(
        self, name: str, node: Call, items: object, function: Lambda, kind: str
    ) -> object:
        if (
            isinstance(items, (Unknown, Partial))
            or (kind == ARRAY and isinstance(items, list))
            or (kind == OBJECT and isinstance(items, dict))
        ):
            return self._lambda_unknown(name, node.name, items, function)
        raise ArmError(
            f"{node.name}() expects an {'array' if kind == ARRAY else 'object'}, not a {_kind(items)}"
        )

    def _fn_filter(self, node: Call, frame: _Frame) -> object:
        items, function = self._lambda_input(node, frame, "filter")
        if not isinstance(items, list):
            return self._lambda_unknown_or_error("filter", node, items, function, ARRAY)
        out: list[object] = []
        for index, item in enumerate(items):
            keep = self._invoke(function, [item, index], frame)
            if isinstance(keep, bool):
                if keep:
                    out.append(item)
            elif isinstance(keep, Unknown) and keep.type in (None, BOOL):
                return self._lambda_unknown("filter", node.name, items, function)
            else:
                raise ArmError(f"the filter() lambda must return a boolean, not a {_kind(keep)}")
        return out

    def _fn_reduce(self, node: Call, frame: _Frame) -> object:
        items = self._eval(node.args[0], frame)
        current = self._eval(node.args[1], frame)
        function = self._lambda(node.args[2], frame, "reduce")
        if not isinstance(items, list):
            if isinstance(items, (Unknown, Partial)):
                return self._derived("reduce", node.name, [items, current, function])
            raise ArmError(f"reduce() expects an array, not a {_kind(items)}")
        for index, item in enumerate(items):
            current = self._invoke(function, [current, item, index], frame)
        return current

    def _fn_sort(self, node: Call, frame: _Frame) -> object:
        from functools import cmp_to_key
        from itertools import pairwise

        items, function = self._lambda_input(node, frame, "sort")
        if not isinstance(items, list):
            return self._lambda_unknown_or_error("sort", node, items, function, ARRAY)

        def before(a: object, b: object) -> bool:
            result = self._invoke(function, [a, b], frame)
            if isinstance(result, bool):
                return result
            if isinstance(result, Unknown):
                raise Undecidable("unknown order")
            raise ArmError(f"the sort() lambda must return a boolean, not a {_kind(result)}")

        def compare(a: object, b: object) -> int:
            if before(a, b):
                return -1
            return 1 if before(b, a) else 0

        try:
            ordered = sorted(items, key=cmp_to_key(compare))
            for a, b in pairwise(ordered):
                if compare(a, b) == 0 and same(a, b) is not True:
                    raise Undecidable("ties between different elements: ARM's sort order is not stable")
        except Undecidable:
            return self._lambda_unknown("sort", node.name, items, function)
        return ordered

    def _fn_to_object(self, node: Call, frame: _Frame) -> object:
        items = self._eval(node.args[0], frame)
        key_function = self._lambda(node.args[1], frame, "toObject")
        value_function = self._lambda(node.args[2], frame, "toObject") if len(node.args) > 2 else None
        extra = [value_function] if value_function is not None else []
        if not isinstance(items, list):
            if isinstance(items, (Unknown, Partial)):
                return self._derived("toobject", node.name, [items, key_function, *extra])
            raise ArmError(f"toObject() expects an array, not a {_kind(items)}")
        out: dict[str, object] = {}
        lower: set[str] = set()
        for item in items:
            key = self._invoke(key_function, [item], frame)
            if not isinstance(key, str):
                if isinstance(key, (Unknown, Partial)):
                    return self._derived("toobject", node.name, [items, key_function, *extra])
                raise ArmError(f"the toObject() key lambda must return a string, not a {_kind(key)}")
            if key.lower() in lower:
                return self._derived("toobject", node.name, [items, key_function, *extra])
            lower.add(key.lower())
            out[key] = self._invoke(value_function, [item], frame) if value_function is not None else item
        return out

    def _fn_group_by(self, node: Call, frame: _Frame) -> object:
        items, function = self._lambda_input(node, frame, "groupBy")
        if not isinstance(items, list):
            return self._lambda_unknown_or_error("groupby", node, items, function, ARRAY)
        out: dict[str, list[object]] = {}
        spelling: dict[str, str] = {}
        for item in items:
            key = self._invoke(function, [item], frame)
            if not isinstance(key, str):
                if isinstance(key, (Unknown, Partial)):
                    return self._lambda_unknown("groupby", node.name, items, function)
                raise ArmError(f"the groupBy() lambda must return a string, not a {_kind(key)}")
            first = spelling.setdefault(key.lower(), key)
            if first != key:
                return self._lambda_unknown("groupby", node.name, items, function)
            out.setdefault(key, []).append(item)
        return dict(out)

    def _fn_map_values(self, node: Call, frame: _Frame) -> object:
        items, function = self._lambda_input(node, frame, "mapValues")
        if not isinstance(items, dict):
            return self._lambda_unknown_or_error("mapvalues", node, items, function, OBJECT)
        return {key: self._invoke(function, [value], frame) for key, value in items.items()}

    # -- user-defined functions ----------------------------------------------------------------------

    def _user_function(self, node: Call, frame: _Frame) -> object:
        function = self.template.functions.get(node.name.lower())
        if function is None:
            return self._unique("unknown-function", node.name)  # the expression rules report it
        args = self._args(node, frame)
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
            return self._value(function.output_value, _Frame({}, pointer, None, fn_args), pointer)
        finally:
            self._shared.depth -= 1

    # -- resource instances --------------------------------------------------------------------------

    def _instances_of(self, resource: Resource) -> list[ResourceInstance]:
        out: list[ResourceInstance] = []
        for evaluator, base in self._contexts_for(resource.template):
            out.extend(evaluator._expand(resource, base))
            if len(out) > MAX_INSTANCES:
                self._record(
                    resource.pointer,
                    f"more than {MAX_INSTANCES} instances (bound): evaluated symbolically",
                    0,
                    0,
                    "bound",
                    force=True,
                )
                return [
                    ResourceInstance(evaluator, resource, evaluator._symbolic_loops(resource.loops, base))
                ]
        return out

    def _contexts_for(self, template: Template) -> list[tuple[Evaluator, dict[str, object]]]:
        if template is self.template:
            return [(self, {})]
        parent = template.parent
        if parent is None:
            raise ValueError(f"{template!r} is not part of the template this evaluator evaluates")
        if template.evaluation_scope == "outer":
            return self._contexts_for(parent)
        deployment = template.deployment
        assert deployment is not None
        contexts: list[tuple[Evaluator, dict[str, object]]] = []
        for evaluator, base in self._contexts_for(parent):
            for instance in evaluator._expand(deployment, base):
                if instance.condition is False:
                    continue
                contexts.append((evaluator._child(template, instance), {}))
                if len(contexts) > MAX_INSTANCES:
                    raise _Stop(f"more than {MAX_INSTANCES} nested deployment instances (bound)")
        return contexts

    def _child(self, template: Template, deployment: ResourceInstance) -> Evaluator:
        suffix = "#" + ",".join(_index_text(index) for index in deployment.index) if deployment.index else ""
        context = template.pointer + suffix
        key = (template.pointer, context)
        child = self._shared.children.get(key)
        if child is not None:
            return child
        given: dict[str, object] = {}
        declared = deployment.get("properties", "parameters")
        if isinstance(declared, dict):
            for name, entry in declared.items():
                if isinstance(entry, dict):
                    found, value = ci_get(entry, "value")
                    if found:
                        given[name.lower()] = value
                    elif ci_get(entry, "reference")[0]:
                        given[name.lower()] = _Given(secret=True)
        elif declared is not None:
            for name in template.parameters:
                given[name] = _Given(secret=False)
        sub_ctx, rg_ctx, _deploy = self._scope_contexts
        subscription_id = self.scope.subscription_id
        group = self.scope.resource_group
        # A null target means "the parent's", as when the member is absent.
        target_subscription = deployment.get("subscriptionId")
        if target_subscription is not None:
            subscription_id = _as_text(target_subscription, "subscription id", context)
            sub_ctx = rg_ctx = context
        target_group = deployment.get("resourceGroup")
        if target_group is not None:
            group = _as_text(target_group, "resource group name", context)
            rg_ctx = context
        scope = Scope(template.scope, subscription_id, group, self.scope.management_group)
        child = Evaluator(
            template,
            given,
            context=context,
            scope=scope,
            _shared=self._shared,
            _scope_contexts=(sub_ctx, rg_ctx, context),
        )
        self._shared.children[key] = child
        return child

    def _expand(self, resource: Resource, base: dict[str, object]) -> list[ResourceInstance]:
        loops = resource.loops
        default_loop = next((loop for loop in reversed(loops) if loop.kind == "resource"), None)
        states: list[tuple[dict[str, object], tuple[object, ...]]] = [(dict(base), ())]
        for loop in loops:
            next_states: list[tuple[dict[str, object], tuple[object, ...]]] = []
            for bound, indexes in states:
                pointer = loop.pointer
                count = self._count(loop, _Frame(bound, pointer), pointer)
                key = name_of(loop)
                values: Iterable[object] = range(count) if count is not None else [self._symbolic_index(loop)]
                for value in values:
                    state = {**bound, key: value}
                    if loop is default_loop:
                        state[""] = value
                    next_states.append((state, (*indexes, value)))
                    if len(next_states) > MAX_INSTANCES:
                        self._record(
                            resource.pointer,
                            f"more than {MAX_INSTANCES} instances (bound): evaluated symbolically",
                            0,
                            0,
                            "bound",
                            force=True,
                        )
                        return [ResourceInstance(self, resource, self._symbolic_loops(loops, base))]
            states = next_states
        return [ResourceInstance(self, resource, bound, indexes) for bound, indexes in states]

    def _symbolic_loops(self, loops: tuple[CopyLoop, ...], base: dict[str, object]) -> dict[str, object]:
        bound = dict(base)
        default_loop = next((loop for loop in reversed(loops) if loop.kind == "resource"), None)
        for loop in loops:
            value = self._symbolic_index(loop)
            bound[name_of(loop)] = value
            if loop is default_loop:
                bound[""] = value
        return bound


class ResourceInstance:
    """One copy of a resource: its evaluator and loop indexes, and its evaluated name, type and
    condition. `symbolic` is true when a loop count is unknown (the indexes are then unknowns)."""

    __slots__ = ("_cache", "evaluator", "index", "loops", "resource")

    def __init__(
        self,
        evaluator: Evaluator,
        resource: Resource,
        loops: dict[str, object],
        index: tuple[object, ...] | None = None,
    ) -> None:
        self.evaluator = evaluator
        self.resource = resource
        self.loops = loops
        if index is None:
            index = tuple(loops[name_of(loop)] for loop in resource.loops)
        self.index = index
        self._cache: dict[tuple[str | int, ...], object] = {}

    @property
    def symbolic(self) -> bool:
        return any(isinstance(value, Unknown) for value in self.index)

    @property
    def name(self) -> object:
        """The full name (parent names included), evaluated: str, Partial or Unknown."""
        resource = self.resource
        if resource.name is None:
            return self.evaluator._unique(f"name({quote(resource.pointer)})", "name")
        if ("name",) not in self._cache:
            pointer = resource.pointer_of("name") or resource.pointer
            self._cache[("name",)] = self._evaluate(resource.name, pointer)
        return self._cache[("name",)]

    @property
    def type(self) -> object:
        """The full type: the model's literal type, else the evaluated `type` member."""
        if self.resource.type is not None:
            return self.resource.type
        return self.get("type")

    @property
    def condition(self) -> object:
        """True when the resource has no condition, else the evaluated condition (bool or unknown)."""
        if not self.resource.has_condition:
            return True
        if ("condition",) not in self._cache:
            found = walk_path(self.resource.raw, self.resource.pointer, ("condition",))
            assert found is not None
            self._cache[("condition",)] = self.evaluator.evaluate(found[0], self.loops, found[1])
        return self._cache[("condition",)]

    def get(self, *path: str | int, default: object = None) -> object:
        """A member of the resource, evaluated in this instance (`get("properties", "policyId")`);
        `default` when absent. Keys are matched case-insensitively."""
        found = walk_path(self.resource.raw, self.resource.pointer, path)
        if found is None:
            return default
        key = tuple(path)
        if key not in self._cache:
            self._cache[key] = self._evaluate(found[0], found[1])
        return self._cache[key]

    def evaluate(self, value: object, pointer: str | None = None) -> object:
        """Any value evaluated in this instance's context (its loops, its nested scope)."""
        return self._evaluate(value, pointer)

    def _evaluate(self, value: object, pointer: str | None) -> object:
        # Resource Manager evaluates the members of a resource only when it deploys it: a resource
        # whose condition is false (or unknown here) records no problems, as its errors may never
        # happen (`condition: equals(type, 'sql')` guarding `parameters('sql').server`).
        if self.condition is True:
            return self.evaluator.evaluate(value, self.loops, pointer)
        return self.evaluator._quietly(lambda: self.evaluator.evaluate(value, self.loops, pointer))

    def __repr__(self) -> str:
        index = ", ".join(_index_text(value) for value in self.index)
        return f"ResourceInstance({self.resource.label!r}[{index}] name={describe(self.name, 60)!r})"


# --------------------------------------------------------------------------------------------------
# helpers


class _Given:
    """A parameter value that exists but is not known here (a Key Vault reference, or a deployment's
    `parameters` that could not be evaluated)."""

    __slots__ = ("secret",)

    def __init__(self, secret: bool) -> None:
        self.secret = secret


def _given_values(values: ParametersFile | Mapping[str, object] | None) -> dict[str, object]:
    """Parameter values by lower-cased name: what a parameters file gives, or an evaluated mapping."""
    if values is None:
        return {}
    entries = getattr(values, "parameters", None)
    if entries is not None and hasattr(values, "problems"):
        given: dict[str, object] = {}
        for key, entry in entries.items():
            if entry.has_reference:
                given[key] = _Given(secret=True)
            elif entry.has_value:
                given[key] = _Given(secret=False) if _has_expression(entry.value) else entry.value
        return given
    return {name.lower(): value for name, value in values.items()}  # type: ignore[union-attr]


def _fits(value: object, json_type: str | None) -> bool:
    """Does a known value have the declared parameter type? Unknowns and null always fit."""
    if json_type is None or value is None or isinstance(value, (Unknown, Partial)):
        return True
    if json_type == STRING:
        return isinstance(value, str)
    if json_type == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == BOOL:
        return isinstance(value, bool)
    if json_type == ARRAY:
        return isinstance(value, list)
    if json_type == OBJECT:
        return isinstance(value, dict)
    return True


def _as_text(value: object, what: str, context: str) -> object:
    """A deployment target (subscription id, resource group name) usable in resource ids: text as it
    is, anything else an unknown string (the deployment would fail on it; rules report that)."""
    if isinstance(value, (str, Partial)) or (isinstance(value, Unknown) and value.type in (None, STRING)):
        return value
    return Unknown(f"target({quote(what)})", what, context=context, type=STRING)


def _has_expression(value: object) -> bool:
    """True when a parameters file value holds a string that looks like an expression anywhere
    (parameters files are not evaluated by ARM; such a value is not taken at face value here)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and is_expression(item):
            return True
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _loops(loops: Mapping[str, object] | None) -> dict[str, object]:
    if not loops:
        return {}
    return {name.lower(): value for name, value in loops.items()}


def name_of(loop: CopyLoop) -> str:
    """The key of a loop in a loops mapping: its lower-cased name (its pointer when unnamed)."""
    return loop.name.lower() if loop.name is not None else loop.pointer


def _index_text(value: object) -> str:
    return str(value) if isinstance(value, int) else "*"


def _property_copy_key(raw: dict[str, object]) -> str | None:
    """The `copy` member of an object when it is a property copy loop (an array of objects that all
    have `name` and `input`), as the model's expression sites define it."""
    for key, item in raw.items():
        if (
            len(key) == 4
            and key.lower() == "copy"
            and isinstance(item, list)
            and item
            and all(
                isinstance(entry, dict)
                and ci_lookup(entry, "input") is not None
                and ci_lookup(entry, "name") is not None
                for entry in item
            )
        ):
            return key
    return None


def _unknowns_in(values: Iterable[object]) -> Iterable[Unknown]:
    """Every unknown inside the values (partials, arrays and objects included), iteratively."""
    stack = list(values)
    while stack:
        item = stack.pop()
        if isinstance(item, Unknown):
            yield item
        elif isinstance(item, Partial):
            stack.extend(item.parts)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _short(value: object) -> str:
    """A short rendering of an argument for the display name of a derived unknown."""
    if isinstance(value, Unknown):
        return "***" if value.secret else value.shown
    if isinstance(value, Lambda):
        return "lambda(…)"
    if isinstance(value, str):
        return "'***'" if is_secret(value) else quote(describe(value, 30))
    if isinstance(value, Partial):
        parts = text_parts(value) or ()
        return (
            "'"
            + "".join(
                "***" if is_secret(p) else (p if isinstance(p, str) else "{" + p.shown + "}") for p in parts
            )[:40]
            + "'"
        )
    return describe(value, 30)


def _kind(value: object) -> str:
    return type_name(value)


_SPECIAL: dict[str, Callable[[Evaluator, Call, _Frame], object]] = {
    "parameters": Evaluator._fn_parameters,
    "variables": Evaluator._fn_variables,
    "copyindex": Evaluator._fn_copy_index,
    "if": Evaluator._fn_if,
    "and": Evaluator._fn_and_or,
    "or": Evaluator._fn_and_or,
    "coalesce": Evaluator._fn_coalesce,
    "lambda": Evaluator._fn_lambda,
    "lambdavariables": Evaluator._fn_lambda_variables,
    "map": Evaluator._fn_map,
    "filter": Evaluator._fn_filter,
    "reduce": Evaluator._fn_reduce,
    "sort": Evaluator._fn_sort,
    "toobject": Evaluator._fn_to_object,
    "groupby": Evaluator._fn_group_by,
    "mapvalues": Evaluator._fn_map_values,
    "resourceid": Evaluator._fn_resource_id,
    "subscriptionresourceid": Evaluator._fn_resource_id,
    "tenantresourceid": Evaluator._fn_resource_id,
    "extensionresourceid": Evaluator._fn_resource_id,
    "managementgroupresourceid": Evaluator._fn_resource_id,
    "resourcegroup": Evaluator._fn_scope,
    "subscription": Evaluator._fn_scope,
    "managementgroup": Evaluator._fn_scope,
    "tenant": Evaluator._fn_scope,
    "deployment": Evaluator._fn_scope,
    "environment": Evaluator._fn_scope,
    "deployer": Evaluator._fn_scope,
    **dict.fromkeys(_RUNTIME_FUNCTIONS, Evaluator._fn_runtime),
}

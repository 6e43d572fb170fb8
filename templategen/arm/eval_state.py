"""What the evaluator's parts share: problems, frames, lambdas, bounds, and small helpers.

Split from `templategen.arm.evaluate` (the evaluator), `templategen.arm.eval_calls` (functions that
need the evaluator: parameters, loops, lambdas, scopes) and `templategen.arm.instances` (copies of
resources, nested deployments), which all import from here and not from each other at run time.
"""

from __future__ import annotations

from templategen.arm.builtin import type_name
from templategen.arm.expressions import Call, Index, Member, is_expression, to_source
from templategen.arm.names import ci_lookup
from templategen.arm.values import (
    ARRAY,
    BOOL,
    INT,
    OBJECT,
    STRING,
    Partial,
    Unknown,
    describe,
    is_secret,
    quote,
    text_parts,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from templategen.arm.declarations import CopyLoop
    from templategen.arm.evaluate import Evaluator
    from templategen.arm.expressions import Expr
    from templategen.arm.instances import ResourceInstance
    from templategen.arm.parameters import ParametersFile

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


class Stop(Exception):
    """A bound was hit: unwind to the public entry point, which records it and answers unknown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Shared:
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


class Frame:
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

    def at(self, pointer: str) -> Frame:
        if pointer == self.pointer:
            return self
        return Frame(self.loops, pointer, self.lambdas, self.fn_args)


# --------------------------------------------------------------------------------------------------
# helpers


class Given:
    """A parameter value that exists but is not known here (a Key Vault reference, or a deployment's
    `parameters` that could not be evaluated)."""

    __slots__ = ("secret",)

    def __init__(self, secret: bool) -> None:
        self.secret = secret


def given_values(values: ParametersFile | Mapping[str, object] | None) -> dict[str, object]:
    """Parameter values by lower-cased name: what a parameters file gives, or an evaluated mapping."""
    if values is None:
        return {}
    entries = getattr(values, "parameters", None)
    if entries is not None and hasattr(values, "problems"):
        given: dict[str, object] = {}
        for key, entry in entries.items():
            if entry.has_reference:
                given[key] = Given(secret=True)
            elif entry.has_value:
                given[key] = Given(secret=False) if has_expression(entry.value) else entry.value
        return given
    return {name.lower(): value for name, value in values.items()}  # type: ignore[union-attr]


def fits(value: object, json_type: str | None) -> bool:
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


def as_text(value: object, what: str, context: str) -> object:
    """A deployment target (subscription id, resource group name) usable in resource ids: text as it
    is, anything else an unknown string (the deployment would fail on it; rules report that)."""
    if isinstance(value, (str, Partial)) or (isinstance(value, Unknown) and value.type in (None, STRING)):
        return value
    return Unknown(f"target({quote(what)})", what, context=context, type=STRING)


def has_expression(value: object) -> bool:
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


def loop_bindings(loops: Mapping[str, object] | None) -> dict[str, object]:
    if not loops:
        return {}
    return {name.lower(): value for name, value in loops.items()}


def name_of(loop: CopyLoop) -> str:
    """The key of a loop in a loops mapping: its lower-cased name (its pointer when unnamed)."""
    return loop.name.lower() if loop.name is not None else loop.pointer


def index_text(value: object) -> str:
    return str(value) if isinstance(value, int) else "*"


def property_copy_key(raw: dict[str, object]) -> str | None:
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


def unknowns_in(values: Iterable[object]) -> Iterable[Unknown]:
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


#: Longest display name of a derived unknown; past it the arguments are shown as `…`.
MAX_DISPLAY = 100
#: Longest rendering of one argument inside a display name.
MAX_ARGUMENT = 80
#: Functions whose value depends on where the expression is read (the copy, the lambda call).
_POSITIONAL = frozenset({"copyindex", "lambdavariables"})


def call_display(
    ev: Evaluator, name: str, args: list[object], nodes: Sequence[Expr] | None, frame: Frame | None
) -> str:
    """The display name of a derived unknown `name(args)`, for messages.

    A partial string argument reads as the template spells it (`uniqueString(resourceGroup().id)`,
    not the 40 first characters of `/subscriptions/{subscription().subscriptionId}/...`), with what
    differs from one read to the next spelt as its value: the copy's index, a lambda variable, a
    user function's parameter (`uniqueString(concat(resourceGroup().id, 1))`), so copies stay
    apart. Other arguments read as their value (`parameters('vms')[0]`, `'x'`). Bounded without
    cutting a token: a long argument shows its longest inner calls as `name(…)`, a long argument
    list loses arguments in its middle (the last ones usually tell copies apart), and only then the
    display is `name(…)`. Only the display is made here: labels stay canonical (`label_of`).
    """
    shown = []
    for index, value in enumerate(args):
        node = nodes[index] if nodes is not None and index < len(nodes) else None
        if isinstance(value, Partial) and node is not None and frame is not None and not is_secret(value):
            shown.append(_fit(ev, node, frame, MAX_ARGUMENT))
        else:
            shown.append(short(value))
    return fit_call(name, shown, MAX_DISPLAY)


def fit_call(name: str, args: list[str], limit: int) -> str:
    """`name(args)` in at most `limit` characters: whole arguments dropped from the middle first
    (`f(a, …, y, z)`; the last ones are kept longer, they tell copies apart), else `name(…)`."""
    text = f"{name}({', '.join(args)})"
    count = len(args)
    for keep in range(count - 1, 1, -1):
        if len(text) <= limit:
            break
        head = max(1, keep // 2)
        text = f"{name}({', '.join([*args[:head], '…', *args[count - (keep - head) :]])})"
    return text if len(text) <= limit else f"{name}(…)"


def _fit(ev: Evaluator, node: Expr, frame: Frame, limit: int) -> str:
    """The source of `node` in at most `limit` characters: its longest inner calls are shown as
    `name(…)` one by one until it fits (`concat(variables('prefix'), uniqueString(…))`)."""
    outlined: set[int] = set()

    def spell(sub: Expr) -> str | None:
        if id(sub) in outlined:
            return _outline(sub)
        return _spell_positional(ev, sub, frame)

    text = to_source(node, spell)
    while len(text) > limit:
        inner = [
            (len(to_source(sub, spell)), position, sub)
            for position, sub in enumerate(_inner_calls(node, outlined))
        ]
        if not inner:
            return _outline(node)
        _length, _position, longest = max(inner, key=lambda entry: (entry[0], -entry[1]))
        outlined.add(id(longest))
        text = to_source(node, spell)
    return text


def _inner_calls(node: Expr, outlined: set[int]) -> list[Call]:
    """The calls inside `node` (not `node` itself) that are still spelt out, outermost first."""
    found: list[Call] = []
    stack: list[Expr] = []
    if isinstance(node, Call):
        stack.extend(reversed(node.args))
    elif isinstance(node, (Member, Index)):
        stack.append(node.target)
    while stack:
        sub = stack.pop()
        if id(sub) in outlined:
            continue
        if isinstance(sub, Call):
            if sub.args:
                found.append(sub)
            stack.extend(reversed(sub.args))
        elif isinstance(sub, Member):
            stack.append(sub.target)
        elif isinstance(sub, Index):
            stack.extend((sub.index, sub.target))
    return found


def _spell_positional(ev: Evaluator, node: Expr, frame: Frame) -> str | None:
    """The value of a call that reads the copy, lambda or user-function argument it is evaluated
    in, for `call_display`; None for every other node (spelt as written)."""
    if not isinstance(node, Call):
        return None
    low = node.name.lower()
    if low in _POSITIONAL or (low == "parameters" and frame.fn_args is not None):
        return short(ev._quietly(lambda: ev._eval(node, frame)))
    return None


def _outline(node: Expr) -> str:
    """An expression too long to show, by its outermost call: `concat(…)`, `resourceGroup().id`."""
    if isinstance(node, Call):
        return f"{node.name}(…)" if node.args else f"{node.name}()"
    if isinstance(node, Member):
        return f"{_outline(node.target)}.{node.name}"
    if isinstance(node, Index):
        return f"{_outline(node.target)}[…]"
    return "…"


def short(value: object) -> str:
    """A short rendering of an argument for the display name of a derived unknown."""
    if isinstance(value, Unknown):
        return "***" if value.secret else value.shown
    if isinstance(value, Lambda):
        return "lambda(…)"
    if isinstance(value, str):
        return "'***'" if is_secret(value) else quote(describe(value, 30))
    if isinstance(value, Partial):
        # An unknown piece is shown whole or not at all, never cut inside its name.
        text = ""
        for part in text_parts(value) or ():
            if is_secret(part):
                piece, cuttable = "***", False
            elif isinstance(part, str):
                piece, cuttable = part, True
            else:
                piece, cuttable = "{" + part.shown + "}", False
            if len(text) + len(piece) > MAX_ARGUMENT:
                return "'" + text + (piece[: MAX_ARGUMENT - len(text)] if cuttable else "") + "…'"
            text += piece
        return "'" + text + "'"
    return describe(value, 30)


def kind_of(value: object) -> str:
    return type_name(value)

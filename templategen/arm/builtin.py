"""How the pure ARM functions are registered for the evaluator, and what each registration promises.

A pure function takes evaluated arguments and returns a value; it knows nothing of parameters,
loops or templates (those are the evaluator's). Each one says how much unknown input it copes with:

* `STRICT`: every argument must be fully known. When one is not, the evaluator does not call the
  function and answers with an unknown named after the call (`tolower(parameters('x'))`), typed
  with `type`/`alphabet` when the registration gives them.
* `SHALLOW`: the arguments themselves must not be unknown or partial, but arrays and objects among
  them may hold unknown elements (`length([<u>, 'a']) == 2`); the function raises `Undecidable`
  where an unknown element matters.
* `CUSTOM`: the function handles unknown and partial arguments itself (`concat`, `toLower`,
  `equals`...), raising `Undecidable` when it cannot answer.

Functions raise `ArmError` for what fails a deployment, `Undecidable` for what cannot be known
offline, `BoundExceeded` past the evaluator's bounds (all three in `templategen.arm.values`).
"""

from __future__ import annotations

from templategen.arm.values import ArmError, Partial, Unknown

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Callable

    Function = Callable[[list[object]], object]

STRICT = "strict"
SHALLOW = "shallow"
CUSTOM = "custom"

#: The module that registers each pure function (lower-cased name), so that the evaluator imports a
#: family on the first call of one of its functions: evaluating `parameters()` and `format()` does
#: not import the CIDR, date or array code. tests/arm/test_evaluate_functions.py holds this table to
#: the modules' own `FUNCTIONS`.
FAMILIES: dict[str, tuple[str, ...]] = {
    "templategen.arm.fn_text": (
        "base64", "base64tojson", "base64tostring", "concat", "contains", "datauri", "datauritostring",
        "empty", "endswith", "first", "format", "guid", "indexof", "join", "last", "lastindexof",
        "length", "padleft", "replace", "split", "startswith", "string", "substring", "tolower",
        "toupper", "trim", "uniquestring", "uri", "uricomponent", "uricomponenttostring",
    ),
    "templategen.arm.fn_data": (
        "add", "array", "bool", "createarray", "createobject", "div", "equals", "false", "flatten",
        "float", "greater", "greaterorequals", "indexfromend", "int", "intersection", "items", "json",
        "less", "lessorequals", "max", "min", "mod", "mul", "not", "null", "objectkeys", "range",
        "shallowmerge", "skip", "sub", "take", "true", "tryget", "tryindexfromend", "union",
    ),
    "templategen.arm.fn_time": ("datetimeadd", "datetimefromepoch", "datetimetoepoch"),
    "templategen.arm.fn_cidr": ("cidrhost", "cidrsubnet", "parsecidr"),
}  # fmt: skip
FAMILY_OF = {name: module for module, names in FAMILIES.items() for name in names}


class Builtin:
    """A registered pure function: the callable, its mode and what its unknown result looks like."""

    __slots__ = ("alphabet", "assembles", "function", "mode", "name", "type")

    def __init__(
        self,
        name: str,
        function: Function,
        mode: str,
        type: str | None,
        alphabet: str | None,
        assembles: bool = False,
    ) -> None:
        self.name = name
        self.function = function
        self.mode = mode
        self.type = type
        self.alphabet = alphabet
        # True for functions whose result is made of their arguments as they are (`concat`,
        # `createArray`...): secret pieces stay secret by themselves, so the evaluator does not
        # mark the whole result secret. Every other function of a secret gives a secret.
        self.assembles = assembles

    def __repr__(self) -> str:
        return f"<Builtin {self.name} {self.mode}>"


def registry() -> tuple[dict[str, Builtin], Callable[..., Callable[[Function], Function]]]:
    """A new table and the decorator that fills it: `@register("toLower", CUSTOM, type="string")`."""
    table: dict[str, Builtin] = {}

    def register(
        name: str,
        mode: str = STRICT,
        type: str | None = None,
        alphabet: str | None = None,
        assembles: bool = False,
    ) -> Callable[[Function], Function]:
        def decorate(function: Function) -> Function:
            key = name.lower()
            if key in table:
                raise ValueError(f"function {name} registered twice")
            table[key] = Builtin(name, function, mode, type, alphabet, assembles)
            return function

        return decorate

    return table, register


# --------------------------------------------------------------------------------------------------
# argument checks shared by the function modules


def type_name(value: object) -> str:
    """The JSON type of a value in ARM's words, for error messages (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (str, Partial)):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Unknown):
        return value.type or "unknown"
    return "lambda"


def need_count(name: str, args: list[object], low: int, high: int | None = None) -> None:
    """ArmError unless `low <= len(args) <= high` (the catalogue checks arity too; this guards the
    functions when called directly)."""
    count = len(args)
    if count < low or (high is not None and count > high):
        expected = str(low) if high == low else f"{low}+" if high is None else f"{low} to {high}"
        raise ArmError(f"{name}() expects {expected} arguments, {count} given")


def need_str(name: str, value: object, position: int) -> str:
    if not isinstance(value, str):
        raise ArmError(f"{name}() expects a string as argument {position}, not {type_name(value)}")
    return value


def need_int(name: str, value: object, position: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArmError(f"{name}() expects an integer as argument {position}, not {type_name(value)}")
    return int(value)


def need_list(name: str, value: object, position: int) -> list[object]:
    if not isinstance(value, list):
        raise ArmError(f"{name}() expects an array as argument {position}, not {type_name(value)}")
    return value


def need_dict(name: str, value: object, position: int) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ArmError(f"{name}() expects an object as argument {position}, not {type_name(value)}")
    return value

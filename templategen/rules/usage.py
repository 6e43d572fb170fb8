"""Every function call in every expression of a template file, found once and shared by the rules.

The expression, reference and security rules all ask the same questions: which functions does each
expression call, with which arguments, as the argument of which call, inside a lambda or not?
Parsing is memoized (`parse_cached`), but walking some 50,000 trees once per rule would still
dominate a corpus run, so the first rule that asks builds this index (`usage_of`, kept by
`LintContext.shared`) and the others read it. Not a rule module: it is not in `RULE_MODULES`.
"""

from __future__ import annotations

from functools import lru_cache

from templategen.arm.expressions import (
    CACHE_SIZE,
    Call,
    ExpressionError,
    Index,
    Member,
    StringLit,
    parse_cached,
)
from templategen.arm.functions import lookup

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.expressions import Expr
    from templategen.arm.functions import FunctionInfo
    from templategen.arm.sites import ExpressionSite
    from templategen.arm.template import Template
    from templategen.lint.context import LintContext


class CallSite:
    """One function call inside one expression string.

    call          the Call node (its `name_start`/`name_end` locate the name inside the string)
    key           the function name in lower case (`ns.fn` for a user-defined function)
    info          the built-in function's catalogue entry (None: unknown or user-defined)
    site          the ExpressionSite holding the expression (pointer, scope, loops, section)
    parent        the call this one is a direct argument of (None at the top, or below `.x`/`[i]`)
    index         its position among `parent`'s arguments (-1 without a parent)
    lambda_depth  how many `lambda(...)` bodies enclose it
    in_branch     inside the second or third argument of an `if()`: Resource Manager evaluates only
                  the branch the condition selects, so a name there is resolved only when taken
    """

    __slots__ = ("call", "in_branch", "index", "info", "key", "lambda_depth", "parent", "site")

    def __init__(
        self,
        call: Call,
        site: ExpressionSite,
        parent: Call | None,
        index: int,
        lambda_depth: int,
        in_branch: bool = False,
        key: str | None = None,
        info: FunctionInfo | None = None,
    ) -> None:
        self.call = call
        self.key = call.name.lower() if key is None else key
        self.info = lookup(call.name) if key is None and "." not in call.name else info
        self.site = site
        self.parent = parent
        self.index = index
        self.lambda_depth = lambda_depth
        self.in_branch = in_branch

    def literal_argument(self, position: int = 0) -> str | None:
        """The value of argument `position` when it is a string literal, else None."""
        args = self.call.args
        if position < len(args):
            arg = args[position]
            if isinstance(arg, StringLit):
                return arg.value
        return None

    def __repr__(self) -> str:
        return f"CallSite({self.call.name} at {self.site.pointer!r})"


class Usage:
    """The index: every call in document order, calls by lower-cased name, and the syntax errors."""

    __slots__ = ("by_name", "calls", "errors", "trees")

    def __init__(self) -> None:
        self.calls: list[CallSite] = []
        self.by_name: dict[str, list[CallSite]] = {}
        self.errors: list[tuple[ExpressionSite, ExpressionError]] = []
        #: (site, parsed tree) for every expression that parsed
        self.trees: list[tuple[ExpressionSite, Expr]] = []

    def named(self, name: str) -> list[CallSite]:
        """Calls of the function `name` (any case; `ns.fn` for user functions)."""
        return self.by_name.get(name.lower(), [])


#: What `_calls_in` finds in one expression string: (call, lower-cased name, catalogue entry,
#: parent, index, lambda depth, in branch).
if TYPE_CHECKING:
    _Found = tuple[Call, str, FunctionInfo | None, Call | None, int, int, bool]


@lru_cache(maxsize=CACHE_SIZE)
def _calls_in(value: str) -> tuple[Expr, tuple[_Found, ...]] | ExpressionError:
    """The tree and every call of one expression string, pre-order. Memoized like `parse_cached`:
    real templates repeat the same expressions (`parameters('location')`) hundreds of times."""
    parsed = parse_cached(value)
    if isinstance(parsed, ExpressionError):
        return parsed
    found: list[_Found] = []
    stack: list[tuple[Expr, Call | None, int, int, bool]] = [(parsed, None, -1, 0, False)]
    while stack:
        node, parent, index, depth, branch = stack.pop()
        if isinstance(node, Call):
            key = node.name.lower()
            info = None if "." in key else lookup(node.name)
            found.append((node, key, info, parent, index, depth, branch))
            args = node.args
            if args:
                body = len(args) - 1 if key == "lambda" else -1
                lazy = key == "if"
                for position in range(len(args) - 1, -1, -1):
                    inner = depth + 1 if position == body else depth
                    stack.append((args[position], node, position, inner, branch or (lazy and position > 0)))
        elif isinstance(node, Member):
            stack.append((node.target, None, -1, depth, branch))
        elif isinstance(node, Index):
            stack.append((node.index, None, -1, depth, branch))
            stack.append((node.target, None, -1, depth, branch))
    return parsed, tuple(found)


def build_usage(template: Template) -> Usage:
    """Index every expression site of `template` and its nested templates."""
    usage = Usage()
    calls = usage.calls
    by_name = usage.by_name
    errors = usage.errors
    trees = usage.trees
    for site in template.all_expression_sites():
        result = _calls_in(site.value)
        if isinstance(result, ExpressionError):
            errors.append((site, result))
            continue
        trees.append((site, result[0]))
        for call, key, info, parent, index, depth, branch in result[1]:
            found = CallSite(call, site, parent, index, depth, branch, key, info)
            calls.append(found)
            bucket = by_name.get(key)
            if bucket is None:
                by_name[key] = [found]
            else:
                bucket.append(found)
    return usage


def duplicate_sections(ctx: LintContext) -> frozenset[str]:
    """Pointers of members whose key the file repeats (`JsonDocument.duplicate_keys`), computed once
    per file: which of the repeated values Resource Manager uses is not certain, so the rules that
    resolve names skip what such a member declares (TG002 reports the repetition)."""
    return ctx.shared("duplicate-keys", _duplicates)


def _duplicates(ctx: LintContext) -> frozenset[str]:
    finder = getattr(ctx.source, "duplicate_keys", None)
    return frozenset(finder()) if finder is not None else frozenset()


def usage_of(ctx: LintContext) -> Usage:
    """The shared index for the template of `ctx` (built on first use)."""
    return ctx.shared("usage", _build)


def _build(ctx: LintContext) -> Usage:
    if ctx.template is None:
        return Usage()
    return build_usage(ctx.template)

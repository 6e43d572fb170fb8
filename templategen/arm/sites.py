"""Where a template's expressions are, and what surrounds each one.

The expression rules (invalid syntax, unknown function, undefined parameter, `copyIndex()` outside a
loop, ...) all start from the same list: every string ARM evaluates, its pointer, the template whose
parameters / variables / functions it resolves against, and the copy loops it sits in. Collecting it
in one walk keeps those rules consistent and cheap.

What is visited, and what is not (and why):

* parameters: `defaultValue` only. Names, `type`, `allowedValues`, `minValue`... are declarations
  that must be literals; `metadata` is documentation.
* variables: every value; a copy variable's `count` outside and its `input` inside its loop.
* user functions: the output `value`, with `function` set (it sees only its own parameters).
* resources: every member except `resources` (children are resources of their own, visited in
  turn), `comments` and `metadata` (free text), and the body of an inline nested template
  (`properties.template`, a Template of its own in `Template.nested`; its deployment's
  `properties.parameters` *are* visited: they are evaluated here). `type` and `apiVersion` are
  visited although they must be literals, so the rule that says so sees them like the others.
  The resource's own `copy` object is outside its loop; every other member is inside.
* outputs: `value`, `condition`, and `copy` (`count` outside, `input` inside the output loop).
* property loops anywhere in a visited value: an object member `copy` holding an array of
  `{name, count, input}` objects; `input` is inside the loop, `count` outside, `name` is a literal.
* `$schema`, `contentVersion`, `apiProfile`, template `metadata` and `definitions`: not visited.

Object keys: ARM evaluates a key that is an expression inside resource bodies, variables and
outputs (tags written `"[concat('hidden-link:', ...)]": "Resource"`, `userAssignedIdentities` keyed
by `[resourceId(...)]`, and Bicep compiles interpolated keys to `"[format(...)]"` keys; the corpus
deploys such templates in CI). So keys inside visited values are sites too, with `key=True` and the
member's pointer (report them with `locate_key`). Names of parameters, variables, outputs,
functions and symbolic resources are declarations, not values, and are never sites.
"""

from __future__ import annotations

from templategen.arm.names import ci_lookup, escape_token, is_expression
from templategen.arm.template import CopyLoop

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.arm.template import Output, Resource, Template, UserFunction

#: Resource members that are not evaluated (or are visited elsewhere).
_SKIPPED_RESOURCE_MEMBERS = frozenset({"resources", "comments", "metadata"})


class ExpressionSite:
    """One string ARM evaluates as an expression.

    value     the string as in the file (with its brackets)
    pointer   where it is; for a key (`key` true) the pointer of the member it names
    template  the Template the string is written in
    scope     the Template whose parameters / variables / functions it resolves against
              (`template.expression_scope`: the parent's for an outer-scope nested template)
    loops     the copy loops around it, outermost first; `copyIndex('x')` is legal when one of
              them `matches('x')`
    section   "parameters" | "variables" | "functions" | "resources" | "outputs"
    resource  the Resource it belongs to (section "resources"), else None
    function  the UserFunction whose output it is (section "functions"), else None
    output    the Output it belongs to (section "outputs"), else None
    """

    __slots__ = (
        "function",
        "key",
        "loops",
        "output",
        "pointer",
        "resource",
        "scope",
        "section",
        "template",
        "value",
    )

    def __init__(
        self,
        value: str,
        pointer: str,
        key: bool,
        template: Template,
        loops: tuple[CopyLoop, ...],
        section: str,
        resource: Resource | None,
        function: UserFunction | None,
        output: Output | None,
    ) -> None:
        self.value = value
        self.pointer = pointer
        self.key = key
        self.template = template
        self.scope = template.expression_scope
        self.loops = loops
        self.section = section
        self.resource = resource
        self.function = function
        self.output = output

    @property
    def copy_names(self) -> tuple[str | None, ...]:
        """Names of the surrounding loops, outermost first (None for an output loop)."""
        return tuple(loop.name for loop in self.loops)

    def loop_named(self, name: str) -> CopyLoop | None:
        """The innermost surrounding loop `copyIndex(name)` refers to, or None."""
        for loop in reversed(self.loops):
            if loop.matches(name):
                return loop
        return None

    def __repr__(self) -> str:
        kind = "key " if self.key else ""
        return f"ExpressionSite({kind}{self.pointer!r} {self.value[:40]!r})"


class _Walker:
    """Collects the sites of one section; the context fields are set before each walk."""

    __slots__ = ("function", "out", "output", "resource", "section", "template")

    def __init__(self, template: Template) -> None:
        self.template = template
        self.out: list[ExpressionSite] = []
        self.section = ""
        self.resource: Resource | None = None
        self.function: UserFunction | None = None
        self.output: Output | None = None

    def site(self, value: str, pointer: str, loops: tuple[CopyLoop, ...], key: bool = False) -> None:
        self.out.append(
            ExpressionSite(
                value,
                pointer,
                key,
                self.template,
                loops,
                self.section,
                self.resource,
                self.function,
                self.output,
            )
        )

    def walk(self, value: object, pointer: str, loops: tuple[CopyLoop, ...]) -> None:
        """Visit a value ARM evaluates: strings, keys, and property copy loops inside it."""
        if isinstance(value, str):
            if value[:1] == "[" and value[-1:] == "]" and value[:2] != "[[":
                self.site(value, pointer, loops)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key[:1] == "[" and is_expression(key):
                    self.site(key, pointer + "/" + escape_token(key), loops, key=True)
                if isinstance(item, str):
                    if item[:1] == "[" and item[-1:] == "]" and item[:2] != "[[":
                        self.site(item, pointer + "/" + escape_token(key), loops)
                elif isinstance(item, (dict, list)):
                    member = pointer + "/" + escape_token(key)
                    if isinstance(item, list) and len(key) == 4 and key.lower() == "copy":
                        self.property_copy(item, member, loops)
                    else:
                        self.walk(item, member, loops)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, (str, dict, list)):
                    self.walk(item, f"{pointer}/{index}", loops)

    def property_copy(self, entries: list[object], pointer: str, loops: tuple[CopyLoop, ...]) -> None:
        """`copy: [{name, count, input}]`: `input` inside the loop; anything else is an ordinary value."""
        for index, entry in enumerate(entries):
            entry_pointer = f"{pointer}/{index}"
            if not isinstance(entry, dict) or ci_lookup(entry, "input") is None:
                self.walk(entry, entry_pointer, loops)
                continue
            loop = CopyLoop("property", entry, entry_pointer)
            self.loop_body(entry, entry_pointer, loops, loop, skip_name=True)

    def loop_body(
        self,
        raw: dict[str, object],
        pointer: str,
        loops: tuple[CopyLoop, ...],
        loop: CopyLoop,
        skip_name: bool,
    ) -> None:
        """Members of a copy object: `input` inside `loop`, the rest (count, mode...) outside."""
        inner = (*loops, loop)
        for key, item in raw.items():
            low = key.lower()
            if skip_name and low == "name":
                continue
            self.walk(item, pointer + "/" + escape_token(key), inner if low == "input" else loops)


def template_sites(template: Template) -> list[ExpressionSite]:
    """Every expression site of `template` (nested templates excluded), in document order per section."""
    walker = _Walker(template)
    base = template.inherited_loops

    walker.section = "parameters"
    for parameter in template.parameters.values():
        default_key = ci_lookup(parameter.raw, "defaultValue")
        if default_key is not None:
            walker.walk(parameter.raw[default_key], parameter.pointer + "/" + escape_token(default_key), base)

    walker.section = "variables"
    for variable in template.variables.values():
        if variable.copy is None:
            walker.walk(variable.value, variable.value_pointer, base)
        else:
            walker.loop_body(variable.copy.raw, variable.copy.pointer, base, variable.copy, skip_name=True)

    walker.section = "functions"
    for function in template.functions.values():
        walker.function = function
        if function.output_pointer is not None:
            walker.walk(function.output_value, function.output_pointer, ())
    walker.function = None

    walker.section = "resources"
    for resource in template.resources:
        walker.resource = resource
        _resource_sites(walker, resource)
    walker.resource = None

    walker.section = "outputs"
    for output in template.outputs.values():
        walker.output = output
        for key, item in output.raw.items():
            low = key.lower()
            pointer = output.pointer + "/" + escape_token(key)
            if low in ("value", "condition"):
                walker.walk(item, pointer, base)
            elif low == "copy" and output.copy is not None:
                walker.loop_body(output.copy.raw, pointer, base, output.copy, skip_name=False)
    walker.output = None
    return walker.out


def _resource_sites(walker: _Walker, resource: Resource) -> None:
    own = resource.loops
    outside = own[:-1] if resource.copy is not None else own
    inline = resource.nested
    for key, item in resource.raw.items():
        low = key.lower()
        if low in _SKIPPED_RESOURCE_MEMBERS:
            continue
        pointer = resource.pointer + "/" + escape_token(key)
        if low == "copy":
            walker.walk(item, pointer, outside)
        elif low == "properties" and inline is not None and isinstance(item, dict):
            for member, value in item.items():
                member_pointer = pointer + "/" + escape_token(member)
                if member_pointer == inline.pointer:
                    continue
                if member[:1] == "[" and is_expression(member):
                    walker.site(member, member_pointer, own, key=True)
                walker.walk(value, member_pointer, own)
        else:
            walker.walk(item, pointer, own)

"""Bicep output: Jinja2 templates in `templates/` plus filters that write Bicep values correctly.

The templates give the file its shape (parameters, resources, loops, conditions) so it reads like
hand-written Bicep. Every value that comes from an input goes through `bicep_string` or `bicep_value`,
which escape it, so no name or setting can break out of its string or start an interpolation.
Jinja2 is imported only when Bicep is rendered.
"""

from __future__ import annotations

import re

from templategen.generate.armjson import Expr, Ref
from templategen.resources import data_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    import jinja2

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NEEDS_QUOTES = {"true", "false", "null"}


class BicepExpr:
    """A Bicep expression written as is (e.g. `resourceGroup().location`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"BicepExpr({self.text!r})"


def bicep_string(value: str) -> str:
    """`value` as a Bicep string literal, `'...'`, that reads back as exactly `value`.

    Escaped: `\\` as `\\\\`, `'` as `\\'`, newline, carriage return and tab as `\\n \\r \\t`, other
    control characters as `\\u{X}`. Two spellings are chosen so that pycep-parser, the Bicep grammar
    checkov scans with, reads our files too (both are valid Bicep, see the `\\u{X}` escape):

    * `${` (which would start an interpolation) is written `$\\u{7B}`: pycep ignores the `\\$` escape
      and would take `\\${` for an interpolation;
    * a backslash that ends the value is written `\\u{5C}`: pycep reads `\\\\'` as an escaped quote
      and runs on into the next string;
    * the second `/` of `//` is written `\\u{2F}`: tree-sitter-bicep 1.1 takes a `//` at the start of a
      string's text (after the quote, blanks or an escape) for a comment.
    """
    out = []
    last = len(value) - 1
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\u{5C}" if index == last else "\\\\")
        elif char == "'":
            out.append("\\'")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif char == "{" and index > 0 and value[index - 1] == "$":
            out.append("\\u{7B}")
        elif char == "/" and index > 0 and value[index - 1] == "/":
            out.append("\\u{2F}")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{{{ord(char):X}}}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def bicep_key(key: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise (`'cost-center'`)."""
    if _IDENTIFIER.fullmatch(key) and key not in _NEEDS_QUOTES:
        return key
    return bicep_string(key)


def bicep_value(value: object, indent: int = 0) -> str:
    """`value` as Bicep. Objects and arrays span lines; `indent` is the column of the line they start on."""
    if isinstance(value, BicepExpr):
        return value.text
    if isinstance(value, Ref):
        return value.name
    if isinstance(value, Expr):
        raise TypeError(f"ARM expression {value.text!r} has no Bicep form here")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return bicep_string(value)
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{pad}{bicep_key(str(k))}: {bicep_value(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        lines = [f"{pad}{bicep_value(v, indent + 2)}" for v in value]
        return "[\n" + "\n".join(lines) + "\n" + " " * indent + "]"
    raise TypeError(f"cannot write {type(value).__name__} as Bicep")


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(data_dir("templates")),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # Bicep, not HTML: escaping is the filters' job
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.filters["bicep_string"] = bicep_string
        _ENV.filters["bicep_value"] = bicep_value
        _ENV.filters["bicep_key"] = bicep_key
    return _ENV


def render(template: str, **context: object) -> str:
    """Render `templates/<template>` with `context`; the result ends with exactly one newline."""
    text = environment().get_template(template).render(**context)
    return text.rstrip("\n") + "\n"

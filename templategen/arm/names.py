"""Small string helpers the template model shares: JSON pointers and ARM name arithmetic.

The model never parses expressions (that is `arm/expressions.py`, built separately and heavier); it
only needs to tell an expression string from a literal, and to *write* a few expressions itself:
the full name of a child resource is its parent's name, a slash and its own name, and when either
part is an expression the result has to be an expression too so that the rules, the evaluator and
the messages can treat it like any other name written by hand.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence


def escape_token(key: str) -> str:
    """Escape one reference token of an RFC 6901 pointer (`~` → `~0`, `/` → `~1`)."""
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


def unescape_token(token: str) -> str:
    """Undo `escape_token` (order matters: `~1` first, then `~0`)."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a pointer: `join_pointer("/resources", 0, "a/b")` → `/resources/0/a~1b`."""
    parts = [base]
    for token in tokens:
        parts.append("/")
        parts.append(str(token) if isinstance(token, int) else escape_token(token))
    return "".join(parts)


def split_pointer(pointer: str) -> list[str]:
    """Split a pointer into its unescaped tokens (`""` → `[]`)."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape_token(token) for token in pointer[1:].split("/")]


def resolve_pointer(data: object, pointer: str) -> object:
    """Return the value `pointer` names in `data`; KeyError when it names nothing."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            if token not in node:
                raise KeyError(pointer)
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                raise KeyError(pointer)
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def is_expression(value: object) -> bool:
    """True for a string ARM evaluates: `[...]` that does not start with the `[[` escape.

    The cheap test ARM itself applies before parsing; whether the inside is a *valid* expression
    is for `arm/expressions.py` to say.
    """
    return isinstance(value, str) and value[:1] == "[" and value[-1:] == "]" and value[:2] != "[["


def literal_value(written: str) -> str:
    """The value of a literal string as ARM reads it: `[[x]` stands for `[x]`; anything else is itself.

    Only a string that also ends with `]` is an escape (`[[x` stays `[[x`), as in ARM.
    """
    if written[:2] == "[[" and written[-1:] == "]":
        return written[1:]
    return written


def write_literal(value: str) -> str:
    """How a literal string must be written in a template (the inverse of `literal_value`)."""
    if value[:1] == "[" and value[-1:] == "]":
        return "[" + value
    return value


def quote(value: str) -> str:
    """An ARM string literal for `value`: single quotes, a quote inside doubled."""
    return "'" + value.replace("'", "''") + "'"


def expression_body(written: str) -> str:
    """The source between the brackets of an expression string, trimmed: `[ f(x) ]` → `f(x)`."""
    return written[1:-1].strip()


def as_argument(written: str) -> str:
    """A template string value as an argument inside another expression.

    An expression contributes its body, a literal becomes a quoted string literal.
    """
    if is_expression(written):
        return expression_body(written)
    return quote(literal_value(written))


def join_names(parts: Sequence[str]) -> str:
    """Join resource name segments with `/` the way ARM reads them, as a template string.

    All literal → a literal (`vault/policy`, re-escaped if it happens to look like an expression).
    Any expression → `[format('{0}/{1}', a, b)]`: one `format` call over every segment rather than a
    nest of them, the shape Bicep emits, so messages stay readable for grandchildren too.
    """
    if len(parts) == 1:
        return parts[0]
    if not any(is_expression(part) for part in parts):
        return write_literal("/".join(literal_value(part) for part in parts))
    placeholders = "/".join("{" + str(index) + "}" for index in range(len(parts)))
    return "[format('" + placeholders + "', " + ", ".join(as_argument(p) for p in parts) + ")]"


def lower_keys(mapping: Mapping[str, object]) -> dict[str, str]:
    """Map each lower-cased key to its spelling in the file (ARM is case-insensitive on keys).

    When two keys differ only in case the last one wins, as with duplicate keys in the reader.
    """
    return {key.lower(): key for key in mapping}


def ci_lookup(mapping: Mapping[str, object], key: str) -> str | None:
    """The spelling of `key` in `mapping`, compared case-insensitively, or None."""
    if key in mapping:
        return key
    low = key.lower()
    found = None
    for candidate in mapping:
        if candidate.lower() == low:
            found = candidate
    return found


def walk_path(root: object, base: str, path: Iterable[str | int]) -> tuple[object, str] | None:
    """Follow `path` from `root` (case-insensitive on keys) → (value, pointer), or None if absent."""
    node = root
    pointer = base
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            index = step % len(node)
            node = node[index]
            pointer = pointer + "/" + str(index)
        else:
            if not isinstance(node, dict):
                return None
            key = ci_lookup(node, step)
            if key is None:
                return None
            node = node[key]
            pointer = pointer + "/" + escape_token(key)
    return node, pointer

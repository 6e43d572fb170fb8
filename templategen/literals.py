"""Mask the values in the text of a file that could not be read, before any line of it is shown.

When a file parses, the linter knows which values are secret (protectedSettings, secure parameters'
values) and the text report hides their lines. When it does not parse (finding TG001), nothing says
which string is a password: the syntax error may sit right after one, and the report shows that very
line. So the text kept for showing TG001's line has the *contents* of every value replaced by `*`,
character for character: the structure (keys, brackets, commas, the stray token) stays readable, the
columns stay where the finding says, and no value is printed.

Lexical and forgiving on purpose (the file is broken): JSON and Bicep string literals are masked
unless a `:` follows them (a key), comments are kept; in YAML, quoted scalars and the plain value
after `key:` or `- ` are masked, and so are the lines of a block scalar (`|`, `>`).
"""

from __future__ import annotations

import re

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|//[^\n]*|/\*.*?(?:\*/|\Z)', re.DOTALL)
_BICEP_TOKENS = re.compile(r"'''.*?(?:'''|\Z)|'(?:[^'\\\n]|\\.)*'?|//[^\n]*|/\*.*?(?:\*/|\Z)", re.DOTALL)
_KEY_AFTER = re.compile(r"[ \t]*:")
_YAML_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"?|\'(?:[^\']|\'\')*\'?')
_YAML_PLAIN_VALUE = re.compile(r"^(\s*(?:-\s+)*(?:[^\s:#'\"][^:#]*?:(?=\s|$)\s*|-\s*)?)(.*)$")
_KEEP = frozenset("\r\n")
#: Values shown as written: they name things and cannot hold a secret, and the line is easier to
#: recognise with them (resource types with or without `@apiVersion`, API versions, schema URLs,
#: contentVersion, the two input kinds).
_PLAIN_FACTS = re.compile(
    r"[A-Za-z]+(?:\.[A-Za-z0-9]+)+/[A-Za-z][\w./-]*(?:@\d{4}-\d{2}-\d{2}(?:-[a-z]+)?)?"
    r"|\d{4}-\d{2}-\d{2}(?:-[a-z]+)?|\d+(?:\.\d+){1,3}"
    r"|https://schema\.management\.azure\.com/[\w./#-]*|vmsnapshot-extension|recovery-services-backup-vms"
)
_YAML_STRUCTURE = frozenset("[]{},&*!|> \t")


def mask_literals(text: str, kind: str) -> str:
    """`text` with its values masked; `kind` is "json", "bicep" or "yaml" (the file's kind)."""
    if kind == "yaml":
        return _mask_yaml(text)
    tokens = _BICEP_TOKENS if kind == "bicep" else _JSON_TOKENS
    out = list(text)
    for match in tokens.finditer(text):
        token = match.group()
        if token.startswith("/"):
            continue  # a comment
        if _KEY_AFTER.match(text, match.end()):
            continue  # a key: `"name":`, `'my-key':`
        quote = 3 if token.startswith("'''") else 1
        closed = len(token) >= 2 * quote and token.endswith(token[:quote]) and not _escaped_end(token, quote)
        start, end = match.start() + quote, match.end() - (quote if closed else 0)
        if _PLAIN_FACTS.fullmatch(text, start, end):
            continue
        _mask(out, start, end)
    return "".join(out)


def _escaped_end(token: str, quote: int) -> bool:
    """True when the last quote of `token` is escaped (`"abc\\"` runs on: it is unterminated)."""
    if quote == 3:
        return False
    backslashes = len(token) - 1 - len(token[:-1].rstrip("\\"))
    return backslashes % 2 == 1


def _mask(out: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if out[index] not in _KEEP:
            out[index] = "*"


def _mask_yaml(text: str) -> str:
    lines = text.split("\n")
    block_indent: int | None = None
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                lines[number] = (
                    " " * indent
                    + "*" * len(line[indent:].rstrip("\r"))
                    + ("\r" if line.endswith("\r") else "")
                )
                continue
            block_indent = None
        lines[number] = _mask_yaml_line(line)
        stripped = line.split(" #", 1)[0].rstrip()
        if stripped.endswith(("|", ">", "|-", ">-", "|+", ">+")):
            block_indent = indent
    return "\n".join(lines)


def _mask_yaml_line(line: str) -> str:
    if line.lstrip().startswith("#"):
        return line
    out = list(line)
    quoted: list[tuple[int, int]] = []
    for match in _YAML_QUOTED.finditer(line):
        if "#" in line[: match.start()] and re.search(r"(^|\s)#", line[: match.start()]):
            break  # inside a comment
        quoted.append((match.start(), match.end()))
        if _PLAIN_FACTS.fullmatch(line, match.start() + 1, max(match.start() + 1, match.end() - 1)):
            continue
        if not _KEY_AFTER.match(line, match.end()):
            _mask(
                out, match.start() + 1, match.end() - 1 if match.end() - match.start() >= 2 else match.end()
            )
    plain = _YAML_PLAIN_VALUE.match(line)
    if plain is not None:
        start = plain.start(2)
        comment = re.search(r"\s#", line[start:])
        end = start + comment.start() if comment else len(line.rstrip("\r"))
        if _PLAIN_FACTS.fullmatch(line.rstrip(), start, end):
            return "".join(out)
        for index in range(start, end):
            if any(a <= index < b for a, b in quoted) or out[index] in _YAML_STRUCTURE or out[index] == ":":
                continue
            out[index] = "*"
    return "".join(out)

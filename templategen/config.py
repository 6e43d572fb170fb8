"""Project configuration: `.templategen.yaml` or `[tool.templategen]` in `pyproject.toml`.

    # .templategen.yaml
    select: [TG]                      # ids, prefixes (TG4 = a family), names, or ALL
    ignore: [TG7, unused-parameter]
    severity:                         # error | warning | info | off
      TG401: error
      hardcoded-location: off
    per-path-ignores:                 # glob -> selectors; globs relative to this file's folder
      "tests/**/*.json": [TG4]
      "*.bicep": [TG1]
    exclude: ["examples/generated/**"]
    fail-level: warning               # error | warning | info

The file is found by walking up from the current folder: in each folder `.templategen.yaml` (or
`.templategen.yml`) wins over a `pyproject.toml` that has a `[tool.templategen]` table; a
`pyproject.toml` without that table is passed over. The walk stops at the first folder that is a
version-control root (holds `.git`, `.hg` or `.svn`) or at the filesystem root. `--config FILE`
names the file explicitly (YAML, `pyproject.toml`, or any other `.toml` file whose top level holds the
keys).

Command-line options win over the file: `--select` replaces the file's selection (its ignores too,
as in ruff), `--ignore` removes more rules on top of it, `--fail-level` replaces `fail-level`. Inside
one layer the most specific selector wins (`templategen.selectors`).

Mistakes in the file are errors (exit 2) with `file:line:col`: unknown keys (with a suggestion),
values of the wrong type, unknown rule ids or names, bad severities. YAML positions are exact; for
TOML (whose standard parser keeps none) the line of the offending key or value is found in the text.

Start-up: nothing here imports `yaml` or `tomllib` unless such a file exists, and a `pyproject.toml`
that never mentions `templategen` is not parsed at all (tomllib alone costs ~20 ms to import).
"""

from __future__ import annotations

import os
import re

from templategen.diagnostics import SEVERITIES, Diagnostic, InputError, Location, one_line
from templategen.lint.result import INPUT_ERROR_ID
from templategen.selectors import (
    OFF,
    Layer,
    any_matches,
    is_severity,
    normalize,
    problem,
    protected_problem,
    severity_for,
    syntax_problem,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from templategen.rules.base import RuleInfo

    Locate = Callable[[tuple[str | int, ...], bool], Location]

YAML_NAMES = (".templategen.yaml", ".templategen.yml")
PYPROJECT = "pyproject.toml"
VCS_MARKERS = (".git", ".hg", ".svn")
KEYS = ("select", "ignore", "severity", "per-path-ignores", "exclude", "fail-level")
#: Largest configuration file read (real ones are a few hundred bytes; pyproject.toml files a few kB).
MAX_CONFIG_BYTES = 1024 * 1024


# --------------------------------------------------------------------------------------- discovery


def find_config(start: str | None = None) -> str | None:
    """The configuration file that applies to `start` (default: the current folder), or None."""
    folder = os.path.abspath(start if start is not None else os.getcwd())
    while True:
        for name in YAML_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _pyproject_has_section(candidate):
            return candidate
        if any(os.path.exists(os.path.join(folder, marker)) for marker in VCS_MARKERS):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


# `[tool.templategen]`, `[tool.templategen.severity]`, or a dotted `tool.templategen.select = ...` key.
# Compiled by `re`'s cache on first use: most runs never need it.
_SECTION = (
    r"(?m)^[ \t]*(?:\[[ \t]*tool[ \t]*\.[ \t]*([\"']?)templategen\1[ \t]*[\].]"
    r"|tool[ \t]*\.[ \t]*([\"']?)templategen\2[ \t]*[.=])"
)


def _pyproject_has_section(path: str) -> bool:
    """A text test, so that discovery never parses TOML (tomllib alone costs ~20 ms to import).

    It recognises the `[tool.templategen]` table (and its sub-tables) and dotted `tool.templategen.*`
    keys; a `templategen` entry inside an inline `tool = {...}` table is not discovered (use
    `--config pyproject.toml` for that spelling).
    """
    from templategen.reading import FileTooLarge, read_bytes

    try:
        text = read_bytes(path, MAX_CONFIG_BYTES).decode("utf-8", errors="replace")
    except (OSError, FileTooLarge):
        return False
    return "templategen" in text and re.search(_SECTION, text) is not None


# ----------------------------------------------------------------------------------------- loading


class PathPatterns:
    """Globs matched against paths relative to a root folder, with gitignore-like reach.

    `*` and `?` stay inside one path segment, `**` spans any number of segments, `[abc]` is a class.
    A pattern without `/` matches any single segment, so `*.bicep` or `tests` apply at every depth;
    a pattern with `/` is anchored at the root. A pattern that matches a folder covers everything in it.
    """

    __slots__ = ("_anchored", "_floating", "root")

    def __init__(self, root: str, patterns: Iterable[str]) -> None:
        self.root = root
        anchored, floating = [], []
        for pattern in patterns:
            text = pattern.strip().replace("\\", "/").removeprefix("./").rstrip("/")
            if "/" in text:
                anchored.append(glob_regex(text.lstrip("/")))
            elif text:
                floating.append(glob_regex(text))
        self._anchored = re.compile("|".join(anchored)) if anchored else None
        self._floating = re.compile("|".join(floating)) if floating else None

    def __bool__(self) -> bool:
        return self._anchored is not None or self._floating is not None

    def matches(self, path: str) -> bool:
        """True when `path` (absolute, or relative to the current folder) is covered by a pattern."""
        full = os.path.abspath(path)
        relative = os.path.relpath(full, self.root) if _is_inside(full, self.root) else None
        segments = (relative if relative is not None else full).replace(os.sep, "/").split("/")
        if self._floating is not None and any(self._floating.fullmatch(s) for s in segments if s):
            return True
        if self._anchored is not None and relative is not None:
            for end in range(len(segments), 0, -1):
                if self._anchored.fullmatch("/".join(segments[:end])):
                    return True
        return False


def _is_inside(path: str, root: str) -> bool:
    try:
        relative = os.path.relpath(path, root)
    except ValueError:  # another drive
        return False
    return relative != os.pardir and not relative.startswith(os.pardir + os.sep)


def glob_regex(pattern: str) -> str:
    """Regular expression (for `fullmatch`) equivalent to a `/`-separated glob."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**", i):
            before_ok = i == 0 or pattern[i - 1] == "/"
            after = pattern[i + 2 : i + 3]
            if before_ok and after == "/":
                out.append("(?:[^/]*/)*")  # `**/`: zero or more folders
                i += 3
                continue
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1)
            if close < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : close]
                negate = body[:1] in ("!", "^")
                body = body[1:] if negate else body
                out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\") + "]")
                i = close
        else:
            out.append(re.escape(ch))
        i += 1
    return "(?:" + "".join(out) + ")"


class Config:
    """A loaded configuration file (or the empty configuration when there is none).

    Selectors are kept normalized (`templategen.selectors.normalize`); `check_rules` verifies that
    every exact id and name in the file names a known rule, reporting the entry's position.
    """

    __slots__ = (
        "_entries",
        "exclude",
        "fail_level",
        "ignore",
        "path",
        "per_path_ignores",
        "root",
        "select",
        "severity",
    )

    def __init__(self, path: str | None = None, root: str | None = None) -> None:
        self.path = path
        self.root = os.path.abspath(root if root is not None else os.getcwd())
        self.select: tuple[str, ...] | None = None
        self.ignore: tuple[str, ...] = ()
        self.severity: dict[str, str] = {}
        self.per_path_ignores: list[tuple[PathPatterns, tuple[str, ...]]] = []
        self.exclude = PathPatterns(self.root, ())
        self.fail_level: str | None = None
        self._entries: list[tuple[str, Location, bool]] = []  # (selector, where, may not name TG001)

    def __repr__(self) -> str:
        return f"Config({self.path!r})"

    def check_rules(self, known: Mapping[str, str]) -> None:
        """Raise InputError at the first selector naming no known rule (`known`: id -> name)."""
        for selector, where, protected in self._entries:
            message = problem(selector, known) or (protected_problem(selector) if protected else None)
            if message is not None:
                raise InputError(message, where)

    def path_ignores(self, path: str) -> tuple[str, ...]:
        """Selectors that `per-path-ignores` switches off for the file at `path`."""
        found: list[str] = []
        for patterns, selectors in self.per_path_ignores:
            if patterns.matches(path):
                found.extend(selectors)
        return tuple(found)

    def excluded(self, path: str) -> bool:
        """True when `exclude` says the linter should not read `path` at all."""
        return bool(self.exclude) and self.exclude.matches(path)


def load_config(path: str, known: Mapping[str, str] | None = None) -> Config:
    """Read and validate a configuration file; raise InputError with file:line:col on any mistake.

    With `known` (rule id -> name), selectors naming no known rule are errors too (`check_rules`).
    """
    from templategen.reading import FileTooLarge, read_bytes

    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES)
    except FileTooLarge:
        raise InputError(
            f"configuration file {path} is larger than {MAX_CONFIG_BYTES // 1024} KiB", Location(path, 1, 1)
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read configuration file {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("configuration file is not UTF-8", Location(path, line, 1)) from None
    text = text.replace("\r\n", "\n")
    if path.endswith(".toml"):
        data, locate = _load_toml(path, text)
    else:
        data, locate = _load_yaml(path, text)
    config = Config(path, os.path.dirname(os.path.abspath(path)))
    _fill(config, data, locate)
    if known is not None:
        config.check_rules(known)
    return config


def resolve_config(
    explicit: str | None = None, start: str | None = None, known: Mapping[str, str] | None = None
) -> Config:
    """The configuration of a run: `--config FILE` when given, else the discovered file, else empty."""
    path = explicit if explicit is not None else find_config(start)
    if path is None:
        return Config()
    if explicit is not None and not os.path.isfile(path):
        raise InputError(f"--config {path}: no such file")
    return load_config(path, known)


def _load_yaml(path: str, text: str) -> tuple[object, Locate]:
    import yaml  # only when a YAML configuration file exists

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark is not None else Location(path, 1, 1)
        raise InputError(f"invalid YAML: {exc.problem or exc.context}", where) from None
    except yaml.YAMLError as exc:
        raise InputError(one_line(f"invalid YAML: {exc}"), Location(path, 1, 1)) from None
    except RecursionError:
        raise InputError("invalid YAML: nested too deeply", Location(path, 1, 1)) from None

    if node is not None:
        _reject_duplicate_keys(path, node)

    def locate(keys: tuple[str | int, ...], key: bool) -> Location:
        current = node
        target = node
        for step in keys:
            if isinstance(current, yaml.MappingNode):
                for key_node, value_node in current.value:
                    if key_node.value == step:
                        target, current = (key_node if key else value_node), value_node
                        break
                else:
                    break
            elif (
                isinstance(current, yaml.SequenceNode) and isinstance(step, int) and step < len(current.value)
            ):
                target = current = current.value[step]
            else:
                break
        if target is None:
            return Location(path, 1, 1)
        mark = target.start_mark
        return Location(path, mark.line + 1, mark.column + 1)

    return data, locate


def _reject_duplicate_keys(path: str, root: object) -> None:
    """Every mapping once, even when aliases refer to it many times (an alias "bomb" of a few lines
    refers to a billion nodes) or to itself; without recursion, so no nesting exhausts the stack."""
    import yaml

    visited: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        mark = key_node.start_mark
                        raise InputError(
                            f"duplicate key {key_node.value!r}",
                            Location(path, mark.line + 1, mark.column + 1),
                        )
                    seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _toml_section(path: str, text: str) -> object:
    """The `[tool.templategen]` table of a pyproject.toml (None when absent); parse errors raise."""
    data = _parse_toml(path, text)
    tool = data.get("tool")
    return tool.get("templategen") if isinstance(tool, dict) else None


def _parse_toml(path: str, text: str) -> dict[str, object]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, object] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if match:
            where = Location(path, int(match.group(1)), int(match.group(2)))
        else:  # "(at end of document)"
            last = text.rstrip("\n").split("\n")
            where = Location(path, len(last), len(last[-1]) + 1)
        message = (
            re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc)) or "invalid TOML"
        )
        raise InputError(f"invalid TOML: {message}", where) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise InputError("invalid TOML: nested too deeply", Location(path, 1, 1)) from None
    return data


def _load_toml(path: str, text: str) -> tuple[object, Locate]:
    if os.path.basename(path) == PYPROJECT:
        data = _toml_section(path, text)
        if data is None:
            raise InputError(f"{path} has no [tool.templategen] table", Location(path, 1, 1))
        header = re.search(_SECTION, text)
        section_start = header.start() if header else 0
        prefix = "tool.templategen."
    else:
        data, section_start, prefix = _parse_toml(path, text), 0, ""
    return data, _toml_locator(path, text, section_start, prefix)


def _toml_locator(path: str, text: str, section_start: int, prefix: str) -> Locate:
    """Best-effort positions in TOML: the standard parser keeps none, so search the text.

    Each string step of the key path is looked for as a key (`name =`, `"name" =`) or a table header
    (`[tool.templategen.name]`) after the previous one; a final string value (an offending selector)
    is looked for as a quoted string. The result points at the line holding it.
    """

    def locate(keys: tuple[str | int, ...], key: bool) -> Location:
        offset = section_start
        for n, step in enumerate(keys):
            if isinstance(step, int):
                continue
            quoted = re.escape(step)
            as_key = rf"^[ \t]*(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*="
            as_table = rf"^[ \t]*\[[ \t]*{re.escape(prefix)}(?:{quoted}|\"{quoted}\")[ \t]*\]"
            inline = rf"(?:[{{,][ \t]*|^[ \t]*)(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*="
            value = rf"[\"']{quoted}[\"']"
            options = [as_key, as_table, inline] if n == 0 else [as_key, inline, value]
            best: int | None = None
            for pattern in options:
                found = re.compile(pattern, re.MULTILINE).search(text, offset)
                if found is not None:
                    start = found.start() + len(found.group()) - len(found.group().lstrip(" \t{,\n"))
                    best = start if best is None else min(best, start)
            if best is not None:
                offset = best
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Location(path, line, column)

    return locate


# ------------------------------------------------------------------------------------- validation


def _fill(config: Config, data: object, locate: Locate) -> None:
    """Check the structure of the parsed file and store it in `config`."""
    if data is None:
        return
    if not isinstance(data, dict):
        raise InputError("the configuration must be a mapping of keys to values", locate((), False))
    for key in data:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(KEYS)
            raise InputError(f"unknown key {key!r}{hint}; known keys: {known}", locate((key,), True))

    if "select" in data:
        config.select = tuple(_selectors(config, data["select"], ("select",), locate, protected=False))
    if "ignore" in data:
        config.ignore = tuple(_selectors(config, data["ignore"], ("ignore",), locate, protected=True))
    if "severity" in data:
        table = _mapping(data["severity"], ("severity",), locate)
        for raw, level in table.items():
            where = locate(("severity", raw), True)
            selector = _selector(config, raw, where, protected=True)
            if level is False:  # YAML 1.1 reads a bare `off` as false
                level = OFF
            if not isinstance(level, str) or not is_severity(level.lower()):
                raise InputError(
                    f"severity of {raw} must be one of error, warning, info, off; got {level!r}",
                    locate(("severity", raw), False),
                )
            config.severity[selector] = level.lower()
    if "per-path-ignores" in data:
        table = _mapping(data["per-path-ignores"], ("per-path-ignores",), locate)
        for pattern, value in table.items():
            keys = ("per-path-ignores", pattern)
            selectors = tuple(_selectors(config, value, keys, locate, protected=True))
            config.per_path_ignores.append((PathPatterns(config.root, [pattern]), selectors))
    if "exclude" in data:
        config.exclude = PathPatterns(config.root, _strings(data["exclude"], ("exclude",), locate))
    if "fail-level" in data:
        level = data["fail-level"]
        if not isinstance(level, str) or level.lower() not in SEVERITIES:
            raise InputError(
                f"fail-level must be one of error, warning, info; got {level!r}",
                locate(("fail-level",), False),
            )
        config.fail_level = level.lower()


def _mapping(value: object, keys: tuple[str, ...], locate: Locate) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise InputError(f"{keys[-1]} must be a mapping", locate(keys, False))
    return value


def _strings(value: object, keys: tuple[str | int, ...], locate: Locate) -> list[str]:
    """A list of strings; a single string is split on commas and blanks (`ignore: TG4, TG5`)."""
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list):
        raise InputError(f"{keys[-1]} must be a list of strings", locate(keys, False))
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise InputError(f"{keys[-1]} must hold strings; got {item!r}", locate((*keys, index), False))
    return list(value)


def _selectors(
    config: Config, value: object, keys: tuple[str, ...], locate: Locate, protected: bool
) -> list[str]:
    items = _strings(value, keys, locate)
    out = []
    for index, item in enumerate(items):
        where = locate((*keys, index, item) if isinstance(value, list) else keys, False)
        out.append(_selector(config, item, where, protected))
    return out


def _selector(config: Config, raw: str, where: Location, protected: bool) -> str:
    selector = normalize(raw)
    message = syntax_problem(selector)  # whether it names a known rule is checked by check_rules
    if message is not None:
        raise InputError(message, where)
    config._entries.append((selector, where, protected))
    return selector


# ---------------------------------------------------------------------------------- the selection


def split_selectors(text: str) -> list[str]:
    """`--select TG4,unused-parameter` and repeated options: split on commas and blanks."""
    return [part for part in re.split(r"[,\s]+", text) if part]


def check_option_selectors(option: str, values: Sequence[str], known: Mapping[str, str]) -> None:
    """Raise InputError (exit 2) for a command-line selector that names no rule."""
    for value in values:
        selector = normalize(value)
        message = problem(selector, known)
        if message is None and option != "--select":
            message = protected_problem(selector)
        if message is not None:
            raise InputError(f"{option} {value}: {message}")


class Selection:
    """Which rules run and at which severity, and which findings survive, for one lint run.

    Built once from the rules, the configuration and the command line. The linter runs only
    `rules` (disabled rules cost nothing) and passes every finding through `apply`, which drops the
    ones a per-path ignore covers and re-grades the rest to their configured severity.
    """

    __slots__ = ("_by_id", "config", "overridden", "severity")

    def __init__(
        self,
        rules: Sequence[RuleInfo],
        config: Config | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
    ) -> None:
        self.config = config if config is not None else Config()
        cfg = self.config
        file_layer = Layer(cfg.select, cfg.ignore)
        cli_layer = Layer(select, ignore)
        self._by_id: dict[str, RuleInfo] = {}
        self.severity: dict[str, str] = {}
        self.overridden: dict[str, str] = {}  # rule id -> severity the configuration sets for it
        for rule in rules:
            self._by_id[rule.id] = rule
            enabled = file_layer.decide(rule.id, rule.name, True)
            level = severity_for(rule.id, rule.name, rule.severity, cfg.severity)
            if level != OFF and severity_for(rule.id, rule.name, "", cfg.severity):
                self.overridden[rule.id] = level  # the configuration grades this rule explicitly
            if level == OFF:
                enabled, level = False, rule.severity
            enabled = cli_layer.decide(rule.id, rule.name, enabled)
            if enabled or rule.id == INPUT_ERROR_ID:  # an unusable file always counts
                self.severity[rule.id] = level

    @property
    def rules(self) -> list[RuleInfo]:
        """The enabled rules, sorted by id."""
        return [self._by_id[rule_id] for rule_id in sorted(self.severity)]

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Findings left after per-path ignores and disabled rules, at their configured severity."""
        cache: dict[str, tuple[str, ...]] = {}
        kept = []
        for diagnostic in diagnostics:
            rule_id = diagnostic.rule_id
            if rule_id == INPUT_ERROR_ID:
                kept.append(diagnostic)
                continue
            if rule_id in self._by_id and rule_id not in self.severity:
                continue  # a disabled rule (the linter should not have run it)
            path = diagnostic.location.path
            ignores = cache.get(path)
            if ignores is None:
                ignores = cache[path] = self.config.path_ignores(path)
            if ignores and any_matches(ignores, rule_id, diagnostic.rule_name):
                continue
            # A rule may grade its own findings (`ctx.report(..., severity=...)`); only an explicit
            # override in the configuration replaces that grade.
            level = self.overridden.get(rule_id, diagnostic.severity)
            if level != diagnostic.severity:
                diagnostic = Diagnostic(
                    rule_id, diagnostic.rule_name, level, diagnostic.message, diagnostic.location
                )
            kept.append(diagnostic)
        return kept

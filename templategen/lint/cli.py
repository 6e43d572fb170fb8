"""`templategen lint` command line, parsed without click or argparse.

pre-commit starts a fresh interpreter on every commit, and the lint start-up budget is about twice a
bare `python -c pass`: click costs ~30 ms and argparse ~6 ms here, more than a one-file lint itself.
The options are a small table; parsing follows the usual conventions (`-x V`, `-xV`, `--long V`,
`--long=V`, `--` ends the options), and the help text is generated from the same table.
"""

from __future__ import annotations

import os
import sys

from templategen.diagnostics import EXIT_USAGE, SEVERITIES, InputError

FORMATS = ("text", "json", "sarif", "junit", "github")
COLOR_CHOICES = ("auto", "always", "never")


class _Opt:
    __slots__ = ("choices", "dest", "help", "metavar", "names", "repeat", "takes_value")

    def __init__(
        self,
        names: tuple[str, ...],
        dest: str,
        help: str,
        *,
        metavar: str = "",
        choices: tuple[str, ...] = (),
        repeat: bool = False,
    ) -> None:
        self.names = names
        self.dest = dest
        self.help = help
        self.metavar = metavar
        self.takes_value = bool(metavar)
        self.choices = choices
        self.repeat = repeat


OPTIONS = (
    _Opt(("-f", "--format"), "format", "report format (default: text)", metavar="FMT", choices=FORMATS),
    _Opt(
        ("-o", "--output"),
        "output",
        "write the report to FILE (atomically) instead of stdout",
        metavar="FILE",
    ),
    _Opt(
        ("-p", "--parameters"),
        "parameters",
        "parameters file whose values the checks use instead of defaults (repeatable)",
        metavar="FILE",
        repeat=True,
    ),
    _Opt(
        ("--select",),
        "select",
        "only these rules: ids, id prefixes (TG5) or names, comma-separated",
        metavar="IDS",
        repeat=True,
    ),
    _Opt(
        ("--ignore",),
        "ignore",
        "skip these rules: ids, id prefixes or names, comma-separated",
        metavar="IDS",
        repeat=True,
    ),
    _Opt(
        ("--config",),
        "config",
        "configuration file (default: .templategen.yaml or pyproject.toml found upwards)",
        metavar="FILE",
    ),
    _Opt(("--isolated",), "isolated", "ignore configuration files"),
    _Opt(
        ("--fail-level",),
        "fail_level",
        "lowest severity that makes the exit code 1 (default: error)",
        metavar="LEVEL",
        choices=tuple(reversed(SEVERITIES)),
    ),
    _Opt(
        ("--now",),
        "now",
        "judge SAS expiry against this ISO-8601 instant instead of the current time",
        metavar="ISO",
    ),
    _Opt(("-j", "--jobs"), "jobs", "worker processes (0: one per CPU; default 1)", metavar="N"),
    _Opt(
        ("--color",),
        "color",
        "colour in text output (default: auto = only on a terminal)",
        metavar="WHEN",
        choices=COLOR_CHOICES,
    ),
    _Opt(("-q", "--quiet"), "quiet", "no summary line; findings only"),
    _Opt(
        ("-v", "--verbose"),
        "verbose",
        "say which files were skipped and why, and what configuration was used",
    ),
    _Opt(("--version",), "version", "print the version and exit"),
    _Opt(("-h", "--help"), "help", "show this message and exit"),
)

USAGE = "usage: templategen lint [OPTIONS] PATH..."


def help_text() -> str:
    """The `--help` text, built from OPTIONS so it can never drift from what is parsed."""
    lines = [
        USAGE,
        "",
        "Lint ARM templates (.json, .jsonc), parameter files, Bicep files and templategen YAML inputs.",
        "PATH may be a file, a directory (walked recursively) or a glob pattern.",
        "",
        "options:",
    ]
    for opt in OPTIONS:
        flags = ", ".join(opt.names)
        if opt.takes_value:
            flags += f" {opt.metavar}"
        text = opt.help
        if opt.choices:
            text += f" [{'|'.join(opt.choices)}]"
        lines.append(f"  {flags:<24} {text}" if len(flags) < 24 else f"  {flags}\n  {'':<24} {text}")
    lines += [
        "",
        "exit codes: 0 no findings at or above the fail level, 1 findings at or above it,",
        "            2 unusable input (a file that cannot be read or parsed) or a usage error",
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str]) -> tuple[dict[str, object], list[str]]:
    """Split argv into option values (by dest) and positional paths; raise InputError on misuse."""
    by_name = {name: opt for opt in OPTIONS for name in opt.names}
    values: dict[str, object] = {}
    paths: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            paths.extend(argv[i:])
            break
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        inline: str | None = None
        if arg.startswith("--"):
            name, eq, rest = arg.partition("=")
            if eq:
                inline = rest
        else:
            name = arg[:2]
            if len(arg) > 2:
                inline = arg[2:]
        opt = by_name.get(name)
        if opt is None:
            raise InputError(f"unknown option {name!r} (see 'templategen lint --help')")
        if not opt.takes_value:
            if inline is not None and name.startswith("--"):
                raise InputError(f"option {name} takes no value")
            if inline is not None:
                # bundled short flags such as -vq
                argv = [*argv[:i], *(f"-{c}" for c in inline), *argv[i:]]
            values[opt.dest] = True
            continue
        if inline is None:
            if i >= len(argv):
                raise InputError(f"option {name} needs a value ({opt.metavar})")
            inline = argv[i]
            i += 1
        if opt.choices and inline not in opt.choices:
            raise InputError(f"option {name}: {inline!r} is not one of {', '.join(opt.choices)}")
        if opt.repeat:
            existing = values.setdefault(opt.dest, [])
            assert isinstance(existing, list)
            existing.append(inline)
        else:
            values[opt.dest] = inline
    return values, paths


def _split_ids(raw: object) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [part.strip() for item in raw for part in str(item).split(",") if part.strip()]


def _jobs(raw: object) -> int:
    if raw is None:
        return 1
    try:
        jobs = int(str(raw))
    except ValueError:
        raise InputError(f"option --jobs: {raw!r} is not a number") from None
    if jobs < 0:
        raise InputError("option --jobs: must be 0 (one per CPU) or more")
    return jobs if jobs else (os.cpu_count() or 1)


def run(argv: list[str]) -> int:
    """Run `templategen lint` with `argv` (the words after `lint`) and return the exit code."""
    try:
        values, paths = parse_args(argv)
    except InputError as exc:
        sys.stderr.write(f"templategen lint: error: {exc}\n{USAGE}\n")
        return EXIT_USAGE
    if values.get("help"):
        sys.stdout.write(help_text())
        return 0
    if values.get("version"):
        from templategen import __version__

        sys.stdout.write(f"templategen {__version__}\n")
        return 0
    if not paths:
        sys.stderr.write(f"templategen lint: error: no PATH given\n{USAGE}\n")
        return EXIT_USAGE

    import gc

    from templategen.lint.api import lint_paths
    from templategen.lint.options import LintOptions

    # The cyclic garbage collector's default first threshold (700 allocations) makes it rescan the
    # growing model of a large template again and again: at 10,000 resources that was a third of the
    # run, and time per resource grew with size. A lint run keeps its models until the file is done
    # and creates few cycles, so collecting every 10,000 allocations costs no memory (peak measured
    # the same) and keeps time per resource flat (`make bench`, scaling).
    gc.set_threshold(10_000, 10, 10)
    try:
        now = values.get("now")
        if isinstance(now, str):
            from templategen.lint.clock import parse_instant

            parse_instant(now)  # reject a bad --now before any work
        options = LintOptions(
            parameters=_split_list(values.get("parameters")),
            select=_split_ids(values.get("select")),
            ignore=_split_ids(values.get("ignore")),
            config_path=_str(values.get("config")),
            isolated=bool(values.get("isolated")),
            fail_level=_str(values.get("fail_level")),
            now=_str(now),
            jobs=_jobs(values.get("jobs")),
            verbose=bool(values.get("verbose")),
            progress=sys.stderr.isatty() and not values.get("quiet"),
        )
        result = lint_paths(paths, options)
    except InputError as exc:
        sys.stderr.write(f"templategen lint: error: {exc}\n")
        return EXIT_USAGE

    from templategen.lint.output import emit

    return emit(
        result,
        fmt=_str(values.get("format")) or "text",
        output=_str(values.get("output")),
        color=_str(values.get("color")) or "auto",
        quiet=bool(values.get("quiet")),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _split_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []

"""What every fuzz test shares: example counts, a watchdog, a tally of the inputs run, the seed files,
mutations, and the command-line invariants.

Counts. `TEMPLATEGEN_FUZZ_EXAMPLES` is the number of examples per test (default 50, so `make test`
stays fast); `make fuzz` raises it for the long campaign. A test that costs a subprocess per example
takes `EXAMPLES // 100` (at least 5). Hypothesis may run fewer examples than asked (a small search
space is exhausted), so every example calls `tally()` and `tests/fuzz/conftest.py` adds up what really
ran, across xdist workers, and prints it at the end of the session.

Hangs. Hypothesis's `deadline` only fires after an example *returns*, so a real hang needs a watchdog:
`watchdog()` arms SIGALRM, whose handler raises `Hang` (an Exception, so hypothesis shrinks and prints
the input; code under test that swallows it still fails an invariant: the CLI re-raises under
TEMPLATEGEN_DEBUG, the rule runner turns it into a TG000 finding), and, as a last resort for C code
that never returns to the interpreter, `faulthandler` dumps every thread's stack and ends the
process, which the test run reports as a crash. Both are generous: they catch hangs, not slowness.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import REPO, shared_dir

#: Examples per fuzz test: small by default, large under `make fuzz`.
EXAMPLES = int(os.environ.get("TEMPLATEGEN_FUZZ_EXAMPLES", "50"))
#: Seconds one example may take before the watchdog calls it a hang.
WATCHDOG_SECONDS = float(os.environ.get("TEMPLATEGEN_FUZZ_WATCHDOG", "60"))

_HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def fuzz_settings(examples: int | None = None) -> settings:
    """Hypothesis settings of a fuzz test: `examples` (default EXAMPLES), a generous deadline."""
    return settings(
        max_examples=EXAMPLES if examples is None else examples,
        deadline=timedelta(seconds=WATCHDOG_SECONDS / 2),
        suppress_health_check=_HEALTH,
    )


FUZZ = fuzz_settings()
#: For tests that start a subprocess per example.
FUZZ_SUBPROCESS = fuzz_settings(max(5, EXAMPLES // 100))

# ------------------------------------------------------------------------------------------- tally

COUNTS: Counter[str] = Counter()


def tally() -> None:
    """Count one input of the running test (its pytest node id)."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "unknown").split(" ")[0]
    COUNTS[test] += 1


# ---------------------------------------------------------------------------------------- watchdog


class Hang(Exception):
    """Raised by the watchdog when one input runs longer than WATCHDOG_SECONDS."""


@contextlib.contextmanager
def watchdog(seconds: float = WATCHDOG_SECONDS) -> Iterator[None]:
    """Fail (raise Hang) if the block runs longer than `seconds`; kill the process at 3× that."""

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer after {seconds:g} s: the input hangs the code under test")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds * 3, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


# ------------------------------------------------------------------------------------------- seeds


def _sample(paths: list[Path], every: int) -> list[Path]:
    return sorted(paths)[::every]


def corpus_files(suffix: str, max_bytes: int, every: int) -> list[Path]:
    """Every `every`-th file of the shared corpus with this suffix and at most `max_bytes` bytes."""
    root = shared_dir() / "corpus" / "quickstarts"
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*" + suffix) if p.is_file() and p.stat().st_size <= max_bytes]
    return _sample(found, every)


def example_files(*suffixes: str) -> list[Path]:
    """Our own examples/ (inputs and the committed outputs)."""
    return sorted(p for p in (REPO / "examples").iterdir() if p.name.endswith(suffixes))


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


# ---------------------------------------------------------------------------------------- mutations

#: Pieces inserted by mutations: structure, comments, encodings, escapes, expressions, YAML and Bicep
#: syntax, secrets, very long and deeply nested runs.
PIECES: list[bytes] = [
    *(c.encode() for c in "{}[]\",:/*\\\n\r\t '()=.?!@#&|<>"),
    b"//",
    b"/*",
    b"*/",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xae",  # right-to-left override
    b"\xef\xbb\xbf",  # UTF-8 BOM
    b"\xff\xfe",  # UTF-16 LE BOM
    b"\\u0000",
    b"\\ud800",
    b"[[",
    b"]]",
    b"[concat(",
    b"[parameters('",
    b"[variables('x')]",
    b"[copyIndex()]",
    b"[range(0, 100000)]",
    b"[reference(",
    b"'",
    b"''",
    b"${",
    b"}",
    b"&a",
    b"*a",
    b"!!python/object/apply:os.system ['true']",
    b"<<: *a",
    b"- ",
    b": ",
    b"---\n",
    b"kind: ",
    b"param x string\n",
    b"resource r 'Microsoft.Compute/virtualMachines/extensions@2024-07-01' = {\n",
    b"module m './m.bicep' = {\n",
    b"loadTextContent('x')",
    b"@secure()\n",
    b"for i in range(0, 3): ",
    b"if (true) ",
    b"-1",
    b"1e309",
    b"123456789012345678901234567890",
    b"true",
    b"null",
    b"?sv=2020&sig=FUZZSECRET&se=1",
    b"[" * 300,
    b"(" * 300,
    b"{" * 300,
    b"x" * 5000,
]

#: What a token is, for deleting or duplicating one: a JSON/Bicep string, a word, or one character.
_TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'|[A-Za-z0-9_.$@-]+|\s+|.', re.DOTALL)

OPERATIONS = ("flip", "truncate", "delete", "insert", "replace", "splice", "drop-token", "dup-token", "nest")


@st.composite
def mutation_plans(draw: st.DrawFn, max_size: int = 4) -> list[tuple[str, float, float, bytes]]:
    """A list of (operation, where, where2, piece) steps; `mutate` applies them to any bytes."""
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(OPERATIONS),
                st.floats(0, 1, exclude_max=True),
                st.floats(0, 1, exclude_max=True),
                st.sampled_from(PIECES),
            ),
            min_size=1,
            max_size=max_size,
        )
    )


def mutate(data: bytes, plan: list[tuple[str, float, float, bytes]], donor: bytes = b"") -> bytes:
    """Apply `plan` to `data`: bit flips, truncation, deleted/inserted/replaced bytes, a splice of
    `donor` (another file, or `data` itself), a deleted or duplicated token, a deep nesting wrap."""
    for operation, where, where2, piece in plan:
        at = int(where * (len(data) + 1))
        if operation == "flip" and data:
            index = min(at, len(data) - 1)
            data = data[:index] + bytes([data[index] ^ (1 << int(where2 * 8))]) + data[index + 1 :]
        elif operation == "truncate":
            data = data[:at]
        elif operation == "delete":
            data = data[:at] + data[at + 1 + int(where2 * 16) :]
        elif operation == "insert":
            data = data[:at] + piece + data[at:]
        elif operation == "replace":
            data = data[:at] + piece + data[at + len(piece) :]
        elif operation == "splice":
            source = donor or data
            start = int(where2 * len(source))
            data = data[:at] + source[start : start + 1 + int(where2 * 400)] + data[at:]
        elif operation in ("drop-token", "dup-token"):
            tokens = _TOKEN.findall(data)
            if tokens:
                index = min(int(where * len(tokens)), len(tokens) - 1)
                if operation == "drop-token":
                    del tokens[index]
                else:
                    tokens.insert(index, tokens[index])
                data = b"".join(tokens)
        elif operation == "nest":
            depth = 1 + int(where2 * 2000)
            opener, closer = (b"[", b"]") if piece[:1] != b"{" else (b'{"a":', b"}")
            data = data[:at] + opener * depth + data[at:] + closer * depth
    return data


# ------------------------------------------------------------------------------------ CLI in-process


class Ran:
    """One in-process run of the command line: exit code and what it printed."""

    __slots__ = ("argv", "code", "err", "out")

    def __init__(self, argv: list[str], code: int, out: str, err: str) -> None:
        self.argv = argv
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Ran({self.argv!r}, code={self.code}, out={self.out[:2000]!r}, err={self.err[:2000]!r})"


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _cwd(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli(argv: list[str], cwd: Path | None = None) -> Ran:
    """`templategen.cli.main(argv)` in this process, under the watchdog, streams captured.

    TEMPLATEGEN_DEBUG makes an internal error propagate with its traceback, so hypothesis reports
    (and shrinks) the exception itself rather than a line of text.
    """
    from templategen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        watchdog(),
        _environment({"TEMPLATEGEN_DEBUG": "1", "NO_COLOR": "1"}),
        _cwd(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(argv)
    return Ran(argv, code, out.getvalue(), err.getvalue())


def assert_no_crash(ran: Ran) -> None:
    """What no command may ever print: a traceback or an internal error."""
    for stream in (ran.out, ran.err):
        assert "Traceback" not in stream, ran
        assert "internal error" not in stream, ran


def check_lint_json(ran: Ran) -> dict[str, object]:
    """The invariants of `lint --format json`: exit 0/1/2, no TG000, TG001 means exit 2, every finding
    one line with a position, the exit code the one the report states."""
    assert_no_crash(ran)
    assert ran.code in (0, 1, 2), ran
    if ran.code == 2 and not ran.out:
        # a usage error (e.g. a -p file that is not a parameters file): one line on stderr
        lines = [line for line in ran.err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("templategen lint: error: "), ran
        return {}
    report = json.loads(ran.out)
    assert isinstance(report, dict)
    diagnostics = report["diagnostics"]
    assert isinstance(diagnostics, list)
    unusable = False
    for finding in diagnostics:
        assert finding["rule"] != "TG000", f"internal error finding: {finding}"
        assert len(finding["message"].splitlines()) == 1, finding
        assert finding["line"] >= 1 and finding["column"] >= 1, finding
        unusable = unusable or finding["rule"] == "TG001"
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert summary["exitCode"] == ran.code, ran
    assert (ran.code == 2) == unusable, ran
    return report


def check_lint_any(ran: Ran, expected_code: int, fmt: str) -> None:
    """Any other format: no crash, the same exit code as the JSON run of the same input, no TG000
    finding (SARIF lists every rule's metadata, TG000 included, so its results are read)."""
    assert_no_crash(ran)
    assert ran.code == expected_code, ran
    if fmt == "sarif" and ran.out:
        (run,) = json.loads(ran.out)["runs"]
        assert all(result["ruleId"] != "TG000" for result in run["results"]), ran
    else:
        assert "TG000" not in ran.out, ran


_PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: (error|warning): \S")


def check_generate(ran: Ran) -> None:
    """The invariants of `generate`: exit 0 (written) or 2 with one `file:line:col: error:` line per
    problem, or one `templategen: error:` line."""
    assert_no_crash(ran)
    assert ran.code in (0, 2), ran
    lines = [line for line in ran.err.splitlines() if line.strip()]
    if ran.code == 0:
        return
    assert lines, ran
    if lines[-1] == "templategen: nothing generated: fix the errors above":
        problems = lines[:-1]
        assert problems, ran
        for line in problems:
            assert _PROBLEM_LINE.match(line), (line, ran)
        assert any(": error: " in line for line in problems), ran
    else:
        assert len(lines) == 1 and lines[0].startswith("templategen: error: "), ran


def python_env() -> dict[str, str]:
    """Environment for a subprocess running this checkout's templategen."""
    return dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")


PYTHON = sys.executable

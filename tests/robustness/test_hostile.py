"""Hostile files: each gets a clear message (its text is checked), in bounded time and memory.

Every case runs the real command in a subprocess (`python -c` around `templategen.cli.main`) that
reports its peak memory (`ru_maxrss`) on exit. There is no timing assertion: the only clock is a
generous timeout (HANG_SECONDS) that turns a hang into a failure instead of a stuck CI job.

The bounds these tests hold the tool to (docs: README, "Security and robustness"):

| input                     | bound                                                                      |
|---------------------------|----------------------------------------------------------------------------|
| ARM JSON / parameters     | 16 MiB (refused by size before reading), nesting 256                       |
| ARM expression            | 24,576 characters, nesting 128; evaluation: depth, steps, sizes (arm/eval) |
| Bicep                     | 16 MiB, nesting 256 (checked before parsing), parse time 10 s + 4 s/MiB    |
| YAML input                | 4 MiB, 100,000 nodes after aliases, nesting (RecursionError) refused       |
| configuration file        | 1 MiB, aliases visited once                                                |
| memory                    | a refused 100 MB file costs < 50 MB over a tiny one; everything < 1 GB     |

Deep nesting is 100,000 levels everywhere; the 100 MB files are sparse (made in tmp, never
committed); "unreadable" must work as root too (CI runs as root, where `chmod 000` reads fine), so it
is a symlink to `/proc/self/mem`, which fails on read for every user.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from templategen.arm.document import MAX_DEPTH, MAX_FILE_BYTES
from templategen.arm.expressions import MAX_DEPTH as EXPRESSION_DEPTH
from templategen.arm.expressions import ExpressionError, parse_expression
from templategen.bicep.syntax import MAX_NESTING
from templategen.inputs.yamlload import MAX_BYTES, MAX_NODES
from tests.conftest import REPO

HANG_SECONDS = 300
MEMORY_LIMIT_MB = 1024
#: A file refused by its size may not cost more than this over a tiny file (reading 100 MB would).
NOT_READ_MB = 50
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
TEMPLATE = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": []}
HUNDRED_MB = 100 * 1024 * 1024

_MEASURE = """
import resource, sys
from templategen.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\\nMAXRSS_KB %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


class Measured:
    def __init__(self, code: int, out: str, err: str, maxrss_mb: float) -> None:
        self.code = code
        self.out = out
        self.err = err
        self.maxrss_mb = maxrss_mb

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def __repr__(self) -> str:
        out, err = self.out[:3000], self.err[:3000]
        return f"Measured(code={self.code}, {self.maxrss_mb:.0f} MB, out={out!r}, err={err!r})"


def run(*args: str, cwd: Path | None = None) -> Measured:
    """The real CLI in a fresh interpreter: exit code, streams, peak memory; a hang fails the test."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    env.pop("TEMPLATEGEN_DEBUG", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURE, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=HANG_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"templategen {' '.join(args)} did not finish within {HANG_SECONDS} s")
    err, _, tail = proc.stderr.rpartition("MAXRSS_KB ")
    measured = Measured(proc.returncode, proc.stdout, err, int(tail.strip()) / 1024)
    assert "Traceback" not in proc.stdout + proc.stderr, measured
    assert "internal error" not in proc.stdout + proc.stderr, measured
    assert measured.maxrss_mb < MEMORY_LIMIT_MB, measured
    return measured


def lint(*paths: str, cwd: Path | None = None, options: tuple[str, ...] = ()) -> tuple[Measured, dict]:  # type: ignore[type-arg]
    """`lint --isolated -f json PATHS`: the run and its report."""
    ran = run("lint", "--isolated", "-f", "json", *options, *paths, cwd=cwd)
    assert ran.code in (0, 1, 2), ran
    report = json.loads(ran.out) if ran.out else {}
    return ran, report


def only_finding(report: dict) -> tuple[str, int, int, str]:  # type: ignore[type-arg]
    (finding,) = report["diagnostics"]
    return finding["rule"], finding["line"], finding["column"], finding["message"]


def generate(path: Path, tmp_path: Path) -> Measured:
    out = tmp_path / "generated"
    ran = run("generate", str(path), "-o", str(out))
    assert not out.exists() or not any(out.iterdir()), "an unusable input must not produce files"
    return ran


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def write_template(path: Path, data: object = TEMPLATE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- YAML alias bombs ------------------------------------------------------------------------------


def billion_laughs(first_line: str, last_key: str) -> str:
    """Nine levels of ten aliases each: 10^9 leaves once expanded, 11 short lines written."""
    lines = [first_line, 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for index in range(1, 9):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    lines.append(f"{last_key}: *i")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_an_input(tmp_path: Path) -> None:
    """tests/generate/test_bad_inputs.py checks generate's message; here lint, and the memory."""
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs("kind: vmsnapshot-extension", "tags"), encoding="utf-8")
    ran, report = lint(str(path))
    assert ran.code == 2
    rule, line, _, message = only_finding(report)
    assert rule == "TG001"
    assert message == (
        f"document expands to more than {MAX_NODES} nodes (aliases are bounded); write it out plainly"
    )
    assert line > 1
    generated = generate(path, tmp_path)
    assert generated.code == 2 and "document expands to more than 100000 nodes" in generated.err


def test_recursive_alias_in_an_input(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("kind: vmsnapshot-extension\ntags: &t {a: *t}\n", encoding="utf-8")
    ran = generate(path, tmp_path)
    assert ran.code == 2
    assert ran.err_lines[0] == f"{path}:2:7: error: recursive alias: a node contains itself"


def test_alias_bomb_in_the_configuration_file(tmp_path: Path) -> None:
    """Found here: the duplicate-key check walked every alias (10^9 visits); now each node once."""
    (tmp_path / ".templategen.yaml").write_text(billion_laughs("fail-level: error", "select"), "utf-8")
    write_template(tmp_path / "t.json")
    ran = run("lint", "t.json", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines == [
        f"templategen lint: error: {tmp_path / '.templategen.yaml'}:2:1: unknown key 'a'; "
        "known keys: select, ignore, severity, per-path-ignores, exclude, fail-level"
    ]
    (tmp_path / ".templategen.yaml").write_text("select: &s [TG, *s]\n", "utf-8")
    ran = run("lint", "t.json", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines[0].endswith(".templategen.yaml:1:9: select must hold strings; got ['TG', [...]]")


# --- 100,000-deep nesting ------------------------------------------------------------------------

DEEP = 100_000


def test_deep_json(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    ran, report = lint(str(path))
    assert ran.code == 2
    assert only_finding(report) == (
        "TG001",
        1,
        MAX_DEPTH + 1,
        f"nesting deeper than {MAX_DEPTH} levels of arrays and objects",
    )
    # the same file as a parameters file: unusable input for the whole run, one line
    write_template(tmp_path / "t.json")
    ran = run("lint", "--isolated", "-p", str(path), str(tmp_path / "t.json"))
    assert ran.code == 2
    assert ran.err_lines == [
        f"templategen lint: error: {path}:1:{MAX_DEPTH + 1}: "
        f"nesting deeper than {MAX_DEPTH} levels of arrays and objects"
    ]


def test_deep_arm_expression(tmp_path: Path) -> None:
    """A 100,000-deep expression is refused by length (24,576 characters); within the length, a
    3,000-deep one by depth (128). Linting a template that holds them finishes, every finding one line."""
    too_long = "[" + "concat(" * DEEP + "'x'" + ")" * DEEP + "]"
    too_deep = "[" + "concat(" * 3000 + "'x'" + ")" * 3000 + "]"
    with pytest.raises(ExpressionError) as long_error:
        parse_expression(too_long)
    assert long_error.value.message == (
        f"expression is {len(too_long):,} characters long; Resource Manager accepts at most 24,576"
    )
    with pytest.raises(ExpressionError) as deep_error:
        parse_expression(too_deep)
    assert deep_error.value.message == f"expression nested deeper than {EXPRESSION_DEPTH} levels"
    start, end = deep_error.value.start, deep_error.value.end
    assert too_deep[start:end] == "concat" and start > len("concat(") * EXPRESSION_DEPTH
    template = {
        **TEMPLATE,
        "variables": {"long": too_long, "deep": too_deep},
        "outputs": {"o": {"type": "string", "value": "[variables('deep')]"}},
    }
    ran, report = lint(str(write_template(tmp_path / "expr.json", template)))
    assert ran.code in (0, 1)
    for finding in report["diagnostics"]:
        assert finding["rule"] != "TG000"
        assert len(finding["message"].splitlines()) == 1


def test_deep_bicep(tmp_path: Path) -> None:
    """Refused before tree-sitter sees it (its error recovery is quadratic in the depth)."""
    path = tmp_path / "deep.bicep"
    path.write_text("var x = " + "{\n" * DEEP + "}\n" * DEEP, encoding="utf-8")
    ran, report = lint(str(path))
    assert ran.code == 2
    assert only_finding(report) == (
        "TG001",
        MAX_NESTING + 1,
        1,
        f"nested deeper than {MAX_NESTING} levels (braces, brackets, parentheses, interpolations)",
    )


def test_deep_yaml_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("kind: vmsnapshot-extension\ntags: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    ran, report = lint(str(path))
    assert ran.code == 2
    assert only_finding(report) == ("TG001", 1, 1, "YAML nesting is too deep")
    generated = generate(path, tmp_path)
    assert generated.err_lines[0] == f"{path}:1:1: error: YAML nesting is too deep"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".templategen.yaml", "select: " + "[" * DEEP + "]" * DEEP + "\n", "invalid YAML: nested too deeply"),
        (
            "pyproject.toml",
            "[tool.templategen]\nselect = " + "[" * DEEP + "]" * DEEP + "\n",
            "invalid TOML: nested too deeply",
        ),
    ],
)
def test_deep_configuration(tmp_path: Path, name: str, text: str, message: str) -> None:
    """Found by fuzzing: a RecursionError out of the YAML and TOML readers was an internal error."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    write_template(tmp_path / "t.json")
    ran = run("lint", "t.json", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines == [f"templategen lint: error: {tmp_path / name}:1:1: {message}"]


# --- 100 MB files --------------------------------------------------------------------------------


def test_hundred_megabytes_are_refused_by_size_not_read(tmp_path: Path) -> None:
    small_ran, _ = lint(str(write_template(tmp_path / "small.json")))
    baseline = small_ran.maxrss_mb
    big = sparse(tmp_path / "big.json", HUNDRED_MB, json.dumps(TEMPLATE)[:-1].encode())
    ran, report = lint(str(big))
    assert ran.code == 2
    assert only_finding(report) == (
        "TG001",
        1,
        1,
        f"the file has {HUNDRED_MB:,} bytes; the reader's limit is {MAX_FILE_BYTES // 1048576} MiB "
        "(Resource Manager itself accepts templates up to 4 MB)",
    )
    assert ran.maxrss_mb - baseline < NOT_READ_MB, (ran.maxrss_mb, baseline)


def test_hundred_megabytes_in_a_walk(tmp_path: Path) -> None:
    """Found in a walk: foreign JSON (a lock file) is skipped; a template is reported."""
    (tmp_path / "walk").mkdir()
    sparse(tmp_path / "walk" / "package-lock.json", HUNDRED_MB, b'{"name": "x"')
    sparse(tmp_path / "walk" / "azuredeploy.json", HUNDRED_MB, json.dumps(TEMPLATE)[:-1].encode())
    ran, report = lint(str(tmp_path / "walk"))
    assert ran.code == 2
    assert report["filesSkipped"] == [
        {
            "path": str(tmp_path / "walk" / "package-lock.json"),
            "reason": "larger than the reader's limit and not an ARM template or parameters file",
        }
    ]
    rule, _, _, message = only_finding(report)
    assert rule == "TG001" and message.startswith(f"the file has {HUNDRED_MB:,} bytes")


def test_hundred_megabyte_bicep_yaml_parameters_and_configuration(tmp_path: Path) -> None:
    baseline = lint(str(write_template(tmp_path / "small.json")))[0].maxrss_mb
    bicep = sparse(tmp_path / "big.bicep", HUNDRED_MB, b"param p string\n")
    ran, report = lint(str(bicep))
    assert only_finding(report) == ("TG001", 1, 1, "file larger than 16 MiB")
    assert ran.maxrss_mb - baseline < NOT_READ_MB

    yaml_input = sparse(tmp_path / "big.yaml", HUNDRED_MB, b"kind: vmsnapshot-extension\n")
    ran, report = lint(str(yaml_input))
    assert only_finding(report) == ("TG001", 1, 1, f"input is larger than {MAX_BYTES // 1048576} MiB")
    assert ran.maxrss_mb - baseline < NOT_READ_MB
    generated = generate(yaml_input, tmp_path)
    assert generated.err_lines[0] == f"{yaml_input}:1:1: error: input is larger than 4 MiB"

    parameters = sparse(tmp_path / "big.parameters.json", HUNDRED_MB, b"{")
    ran = run("lint", "--isolated", "-p", str(parameters), str(tmp_path / "small.json"))
    assert ran.code == 2
    assert ran.err_lines == [
        f"templategen lint: error: {parameters}:1:1: the file has {HUNDRED_MB:,} bytes; the reader's "
        "limit is 16 MiB (Resource Manager itself accepts templates up to 4 MB)"
    ]

    config = sparse(tmp_path / ".templategen.yaml", HUNDRED_MB, b"select: [TG]\n")
    ran = run("lint", "small.json", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines == [
        f"templategen lint: error: {config}:1:1: configuration file {config} is larger than 1024 KiB"
    ]
    assert ran.maxrss_mb - baseline < NOT_READ_MB


def test_endless_device_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    """`/dev/zero` has no end and no size: reading stops one byte past the limit."""
    _, report = lint("/dev/zero")
    assert only_finding(report) == (
        "TG001",
        1,
        1,
        "the file is larger than that; the reader's limit is 16 MiB "
        "(Resource Manager itself accepts templates up to 4 MB)",
    )
    generated = run("generate", "/dev/zero", "-o", str(tmp_path / "out"))
    assert generated.err_lines[0] == "/dev/zero:1:1: error: input is larger than 4 MiB"


# --- encodings and NUL bytes ---------------------------------------------------------------------


NUL_JSON = (
    "NUL bytes at the start: the file looks like UTF-16 or UTF-32 without a byte-order mark "
    "(save it as UTF-8)"
)
NUL_YAML = "character U+0000 is not allowed in YAML; in a double-quoted string write it as \\x00"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "bad.json",
            b'{\n  "a": "\xff\xfe"\n}',
            (2, 9, "not valid UTF-8: byte 0xFF cannot be decoded (save the file as UTF-8)"),
        ),
        ("bad.bicep", b"param p string\nparam q string = '\xe9'\n", (2, 19, "not UTF-8 text (byte 0xe9)")),
        ("bad.yaml", b"kind: vmsnapshot-extension\nvm:\n  name: \xe9\n", (3, 9, "input is not UTF-8 text")),
        ("nul.json", b"{\x00}", (1, 1, NUL_JSON)),
        ("nul.bicep", b"param p string\x00\n", (1, 15, "Bicep syntax error: unexpected '\\x00'")),
        ("nul.yaml", b"kind: vmsnapshot-extension\x00\n", (1, 27, NUL_YAML)),
    ],
)
def test_undecodable_bytes_and_nul(
    tmp_path: Path, name: str, data: bytes, expected: tuple[int, int, str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    ran, report = lint(str(path))
    assert ran.code == 2
    assert only_finding(report) == ("TG001", *expected)


UTF16_BICEP = "param location string = 'westeurope'\noutput where string = location\n"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str, bom: bytes) -> None:
    files = {
        "t.json": json.dumps(TEMPLATE, indent=2),
        "m.bicep": UTF16_BICEP,
        "vmsnapshot-windows.yaml": (REPO / "examples" / "vmsnapshot-windows.yaml").read_text("utf-8"),
    }
    for name, text in files.items():
        (tmp_path / name).write_bytes(bom + text.encode(codec))
    for paths in ([str(tmp_path / name) for name in files], [str(tmp_path)]):  # named, and in a walk
        ran, report = lint(*paths)
        assert ran.code == 0, ran
        assert sorted(Path(p).name for p in report["filesChecked"]) == sorted(files)
        assert report["diagnostics"] == []
    generated = run("generate", str(tmp_path / "vmsnapshot-windows.yaml"), "-o", str(tmp_path / "out"))
    assert generated.code == 0, generated
    expected = (REPO / "examples" / "vmsnapshot-windows.json").read_bytes()
    assert (tmp_path / "out" / "vmsnapshot-windows.json").read_bytes() == expected


# --- directory walks: loops, unreadable files, FIFOs ----------------------------------------------


def test_symlink_loops_in_a_walk_and_named(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_template(tree / "t.json")
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "sub").mkdir()
    (tree / "sub" / "up").symlink_to(tree, target_is_directory=True)
    (tree / "self.json").symlink_to(tree / "self.json")
    (tree / "a.json").symlink_to(tree / "b.json")
    (tree / "b.json").symlink_to(tree / "a.json")
    (tree / "dangling.bicep").symlink_to(tree / "missing.bicep")
    ran, report = lint(str(tree))
    assert ran.code == 0, ran
    assert report["filesChecked"] == [str(tree / "t.json")]
    ran, report = lint(str(tree / "self.json"))
    assert ran.code == 2
    assert only_finding(report) == ("TG001", 1, 1, "cannot read the file: Too many levels of symbolic links")


def test_unreadable_files_as_root_too(tmp_path: Path) -> None:
    """`/proc/self/mem` fails on read whoever reads it, root included: a symlink to it stands for a
    file nobody can read. A folder named like a template is walked, not read."""
    tree = tmp_path / "tree"
    write_template(tree / "good.json")
    (tree / "mem.json").symlink_to("/proc/self/mem")
    (tree / "folder.json").mkdir()
    ran, report = lint(str(tree))
    assert ran.code == 2, ran
    findings = [(Path(d["path"]).name, d["rule"], d["message"]) for d in report["diagnostics"]]
    assert findings == [("mem.json", "TG001", "cannot read the file: Input/output error")]
    assert report["filesChecked"] == [str(tree / "good.json"), str(tree / "mem.json")]  # a folder is walked


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_without_root(tmp_path: Path) -> None:
    locked = write_template(tmp_path / "locked.json")
    locked.chmod(0)
    try:
        _, report = lint(str(locked))
    finally:
        locked.chmod(0o644)
    assert only_finding(report) == ("TG001", 1, 1, "cannot read the file: Permission denied")


def test_fifos_named_explicitly_do_not_hang(tmp_path: Path) -> None:
    """Found here: `open` on a FIFO blocks until a writer comes, which is never. Now a FIFO nobody
    writes to reads as empty; a pipe with a writer (`cat t.json | templategen lint /dev/stdin`) works."""
    for name in ("pipe.json", "pipe.bicep", "pipe.yaml"):
        os.mkfifo(tmp_path / name)
    _, report = lint(str(tmp_path / "pipe.json"), str(tmp_path / "pipe.bicep"), str(tmp_path / "pipe.yaml"))
    messages = {Path(d["path"]).name: d["message"] for d in report["diagnostics"]}
    skipped = {Path(entry["path"]).name for entry in report["filesSkipped"]}
    assert messages.pop("pipe.json") == "the file is empty"
    # named YAML is read as an input, or passed over when it does not say it is one (an empty pipe)
    assert messages == {"pipe.yaml": "input is empty (expected a mapping with a `kind:` key)"} or (
        messages == {} and skipped == {"pipe.yaml"}
    ), report
    generated = generate(tmp_path / "pipe.yaml", tmp_path)
    assert generated.err_lines[0] == (
        f"{tmp_path / 'pipe.yaml'}:1:1: error: input is empty (expected a mapping with a `kind:` key)"
    )
    piped = subprocess.run(
        [sys.executable, "-m", "templategen", "lint", "--isolated", "-f", "json", "/dev/stdin"],
        input=json.dumps(TEMPLATE),
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        timeout=HANG_SECONDS,
    )
    assert piped.returncode == 0, piped
    assert json.loads(piped.stdout)["filesChecked"] == ["/dev/stdin"]


# --- many files ----------------------------------------------------------------------------------


def test_ten_thousand_files(tmp_path: Path) -> None:
    """A tree of 10,000 small templates: every one checked, bounded memory, no timing assertion."""
    tree = tmp_path / "many"
    text = json.dumps(TEMPLATE)
    for folder in range(100):
        directory = tree / f"d{folder:03}"
        directory.mkdir(parents=True)
        for number in range(100):
            (directory / f"t{number:03}.json").write_text(text, encoding="utf-8")
    ran, report = lint(str(tree))
    assert ran.code == 0, ran
    assert len(report["filesChecked"]) == 10_000
    assert report["filesChecked"] == sorted(report["filesChecked"])
    assert report["summary"]["findings"] == 0
    print(f"\n10,000 files: peak memory {ran.maxrss_mb:.0f} MB")

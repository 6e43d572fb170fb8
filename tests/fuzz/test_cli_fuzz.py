"""Fuzzing the whole command line: `lint` and `generate` (and every other command) on hostile files.

The command runs in this process (`templategen.cli.main`, tests/fuzz/fuzzkit.py: `run_cli`), which
is the real entry point after the interpreter has started; `test_subprocess_runs` also starts a few
real processes. Inputs: arbitrary bytes under each file name a walk would lint, generated ARM
templates with parameters files (tests/fuzz/armgen.py), mutations of corpus files and of our
examples, mutated configuration files, random option lists, and schema-guided or mutated YAML inputs.

Invariants (fuzzkit.check_lint_json / check_generate): exit code 0, 1 or 2; never a traceback or an
internal error; no TG000 finding (a rule that raised); exit 2 exactly when a file was unusable (TG001)
or the command line was, with a one-line message; every finding one line with a position; every
report format gives the same exit code; `generate` writes either everything or nothing.
Rules are not listed anywhere here: `lint` runs `templategen.rules.all_rules()`, so every rule that
lands is fuzzed too; `test_every_command_on_hostile_files` iterates over the registered commands.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.fuzz import armgen, inputgen
from tests.fuzz.fuzzkit import (
    FUZZ,
    FUZZ_SUBPROCESS,
    PYTHON,
    assert_no_crash,
    check_generate,
    check_lint_any,
    check_lint_json,
    corpus_files,
    example_files,
    mutate,
    mutation_plans,
    python_env,
    run_cli,
    tally,
)

OTHER_FORMATS = ("text", "sarif", "junit", "github")
NAMES = ("t.json", "t.jsonc", "t.parameters.json", "main.bicep", "input.yaml", "noext")


def lint(paths: list[str], *options: str, cwd: Path | None = None, fmt: str | None = None) -> None:
    """Lint `paths` as JSON (the oracle), then in `fmt`; check every invariant."""
    tally()
    ran = run_cli(["lint", *options, "-f", "json", *paths], cwd=cwd)
    check_lint_json(ran)
    if fmt is not None:
        check_lint_any(run_cli(["lint", *options, "-f", fmt, *paths], cwd=cwd), ran.code, fmt)


@pytest.fixture(scope="module")
def scratch() -> object:
    folder = tempfile.mkdtemp(prefix="tg-fuzz-")
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


def fresh(scratch: Path) -> Path:
    """An empty folder for one example (hypothesis calls the test many times per fixture)."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    return folder


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(NAMES), st.sampled_from(OTHER_FORMATS))
def test_lint_arbitrary_bytes(scratch: Path, data: bytes, name: str, fmt: str) -> None:
    folder = fresh(scratch)
    (folder / name).write_bytes(data)
    lint([str(folder / name)], "--isolated", fmt=fmt)
    shutil.rmtree(folder)


@FUZZ
@given(
    armgen.template(),
    st.none() | armgen.parameters_file(),
    st.sampled_from([None, 2, "\t"]),
    st.sampled_from(OTHER_FORMATS),
    st.booleans(),
)
def test_lint_generated_templates(
    scratch: Path,
    template: dict[str, object],
    parameters: dict[str, object] | None,
    indent: int | str | None,
    fmt: str,
    walk: bool,
) -> None:
    """Templates of the real shape, so every rule sees resources, expressions, loops and secrets; a
    parameters file is linted beside the template and passed with `-p`."""
    folder = fresh(scratch)
    (folder / "azuredeploy.json").write_text(json.dumps(template, indent=indent), encoding="utf-8")
    options = ["--isolated", "--now", "2026-01-01T00:00:00Z"]
    if parameters is not None:
        path = folder / "azuredeploy.parameters.json"
        path.write_text(json.dumps(parameters, indent=indent), encoding="utf-8")
        options += ["-p", str(path)]
    lint([str(folder)] if walk else [str(folder / "azuredeploy.json")], *options, fmt=fmt)
    shutil.rmtree(folder)


SEEDS = [
    *corpus_files(".json", 15_000, 11),
    *corpus_files(".bicep", 8_000, 5),
    *example_files(".json", ".bicep", ".yaml"),
]


@pytest.mark.skipif(not SEEDS, reason="no seed files")
@FUZZ
@given(
    st.sampled_from(SEEDS or [Path("-")]),
    st.sampled_from(SEEDS or [Path("-")]),
    mutation_plans(),
    st.sampled_from(OTHER_FORMATS),
)
def test_lint_mutated_files(
    scratch: Path, seed: Path, donor: Path, plan: list[tuple[str, float, float, bytes]], fmt: str
) -> None:
    """A real file (corpus template, parameters file, Bicep file; our examples) mutated, linted under
    its own name; Bicep seeds stay in a copy of their folder so their modules are read."""
    folder = fresh(scratch)
    data = mutate(seed.read_bytes(), plan, donor.read_bytes())
    target = folder / seed.name
    if seed.suffix == ".bicep":
        for sibling in seed.parent.iterdir():
            if sibling.is_file() and sibling.stat().st_size < 200_000:
                shutil.copyfile(sibling, folder / sibling.name)
    target.write_bytes(data)
    lint([str(target)], "--isolated", fmt=fmt)
    shutil.rmtree(folder)


CONFIG_SEED = b"""\
select: [TG]
ignore: [TG7, no-unused-parameter]
severity: {TG401: error, TG005: off}
per-path-ignores: {"tests/**/*.json": [TG4]}
exclude: ["generated/**"]
fail-level: warning
"""


@FUZZ
@given(st.sampled_from([".templategen.yaml", "pyproject.toml"]), mutation_plans())
def test_lint_with_mutated_configuration(
    scratch: Path, name: str, plan: list[tuple[str, float, float, bytes]]
) -> None:
    """A broken configuration file stops the run with exit 2 and one line; any other is applied."""
    folder = fresh(scratch)
    seed = (
        CONFIG_SEED
        if name.endswith(".yaml")
        else b"[tool.templategen]\nselect = ['TG']\nfail-level = 'info'\n"
    )
    (folder / name).write_bytes(mutate(seed, plan))
    shutil.copyfile(REPO / "examples" / "vmsnapshot-windows.json", folder / "t.json")
    lint(["t.json"], cwd=folder)
    shutil.rmtree(folder)


OPTION_WORDS = [
    "-f",
    "--format",
    "json",
    "sarif",
    "bogus",
    "-o",
    "-p",
    "--parameters",
    "--select",
    "--ignore",
    "TG",
    "TG4",
    "TG999",
    "ALL",
    "nope",
    "--config",
    "--isolated",
    "--fail-level",
    "info",
    "warning",
    "--now",
    "2026-01-01T00:00:00Z",
    "yesterday",
    "-j",
    "--jobs",
    "0",
    "1",
    "-1",
    "x",
    "--color",
    "always",
    "never",
    "-q",
    "-v",
    "-vq",
    "--version",
    "-h",
    "--",
    "-",
    "--unknown",
    "-Z",
    "=",
    "",
    "--format=json",
    "--select=",
    "t.json",
    "missing.json",
    "*.json",
    "[",
    "examples",
]


@FUZZ
@given(st.lists(st.sampled_from(OPTION_WORDS), max_size=8))
def test_lint_random_command_lines(scratch: Path, words: list[str]) -> None:
    """Any command line: a report, help, version, or exit 2 with one line; never a traceback."""
    tally()
    folder = fresh(scratch)
    shutil.copyfile(REPO / "examples" / "vmsnapshot-windows.json", folder / "t.json")
    (folder / "examples").mkdir()
    ran = run_cli(["lint", *words], cwd=folder)
    assert_no_crash(ran)
    assert ran.code in (0, 1, 2), ran
    for line in ran.err.splitlines():
        assert line.startswith(("templategen", "usage: templategen lint")), ran
    shutil.rmtree(folder)


def generate_and_lint(folder: Path, path: Path, fmt: str, snippet: bool) -> None:
    """`generate` into `out/`: all or nothing; what it writes, our own linter reads without TG001."""
    tally()
    out = folder / "out"
    argv = ["generate", str(path), "-o", str(out), "--format", fmt, *(["--snippet"] if snippet else [])]
    ran = run_cli(argv)
    check_generate(ran)
    if ran.code != 0:
        assert not out.exists() or not any(out.iterdir()), ("a failed generate wrote files", ran)
        return
    written = sorted(out.iterdir())
    assert written, ran
    assert [p.name for p in written if p.name.startswith(".")] == [], "temporary files left behind"
    linted = run_cli(["lint", "--isolated", "-f", "json", str(out)])
    report = check_lint_json(linted)
    assert linted.code != 2, ("generate wrote a file its own linter cannot read", linted)
    assert report


@FUZZ
@given(
    inputgen.input_documents(), st.integers(0, 2), st.sampled_from(["arm", "bicep", "both"]), st.booleans()
)
def test_generate_schema_guided_inputs(
    scratch: Path, data: dict[str, object], style: int, fmt: str, snippet: bool
) -> None:
    folder = fresh(scratch)
    path = folder / "input.yaml"
    path.write_text(inputgen.as_yaml(data, style), encoding="utf-8")
    generate_and_lint(folder, path, fmt, snippet)
    shutil.rmtree(folder)


@FUZZ
@given(
    st.sampled_from(example_files(".yaml")),
    mutation_plans(),
    st.sampled_from(["arm", "bicep", "both"]),
    st.booleans(),
)
def test_generate_mutated_examples(
    scratch: Path, seed: Path, plan: list[tuple[str, float, float, bytes]], fmt: str, snippet: bool
) -> None:
    folder = fresh(scratch)
    path = folder / seed.name
    path.write_bytes(mutate(seed.read_bytes(), plan))
    generate_and_lint(folder, path, fmt, snippet)
    shutil.rmtree(folder)


def _commands() -> list[str]:
    from templategen.commands import COMMANDS

    return sorted(COMMANDS)


@FUZZ
@given(st.sampled_from(_commands()), st.binary(max_size=200), st.sampled_from(NAMES))
def test_every_command_on_hostile_files(scratch: Path, command: str, data: bytes, name: str) -> None:
    """Every registered command (a new one such as `graph` included) given a hostile file as its
    argument: a result or exit 2, never a traceback. `deploy` has no subscription, so it stops after
    reading (and linting) the file, before any network access."""
    tally()
    folder = fresh(scratch)
    path = folder / name
    path.write_bytes(data)
    argv = [command, str(path)]
    if command == "deploy":
        argv += ["-g", "rg", "--validate-only"]
    saved = os.environ.pop("AZURE_SUBSCRIPTION_ID", None)
    try:
        ran = run_cli(argv, cwd=folder)
    finally:
        if saved is not None:
            os.environ["AZURE_SUBSCRIPTION_ID"] = saved
    assert_no_crash(ran)
    assert ran.code in (0, 1, 2), ran
    shutil.rmtree(folder)


@FUZZ_SUBPROCESS
@given(st.sampled_from(SEEDS or [Path("-")]), mutation_plans(), st.sampled_from(("json", *OTHER_FORMATS)))
def test_subprocess_runs(
    scratch: Path, seed: Path, plan: list[tuple[str, float, float, bytes]], fmt: str
) -> None:
    """The real process: interpreter start, `python -m templategen`, exit status, both streams."""
    tally()
    folder = fresh(scratch)
    target = folder / seed.name
    target.write_bytes(mutate(seed.read_bytes(), plan))
    proc = subprocess.run(
        [PYTHON, "-m", "templategen", "lint", "--isolated", "-f", fmt, str(target)],
        capture_output=True,
        text=True,
        env=python_env(),
        timeout=120,
        errors="replace",
    )
    assert proc.returncode in (0, 1, 2), proc
    assert "Traceback" not in proc.stdout + proc.stderr, proc
    assert "internal error" not in proc.stdout + proc.stderr, proc
    shutil.rmtree(folder)

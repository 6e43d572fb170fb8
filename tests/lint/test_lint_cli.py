"""`templategen lint` end to end: options, file discovery, many files, exit codes, output files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from templategen.cli import main
from templategen.diagnostics import ERROR, Diagnostic, InputError
from templategen.lint.api import FileOutcome, _run_rules
from templategen.lint.cli import help_text, parse_args
from templategen.lint.discover import discover
from templategen.rules.base import Rule

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [],
}
PARAMETERS = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {},
}


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["lint", "--isolated", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


# ------------------------------------------------------------------------------------ parsing


def test_parse_args_accepts_the_usual_spellings() -> None:
    values, paths = parse_args(
        [
            "-fjson",
            "--output=o.txt",
            "-p",
            "a.json",
            "-p",
            "b.json",
            "--select",
            "TG1,TG2",
            "-vq",
            "x",
            "--",
            "-y",
        ]
    )
    assert values["format"] == "json"
    assert values["output"] == "o.txt"
    assert values["parameters"] == ["a.json", "b.json"]
    assert values["select"] == ["TG1,TG2"]
    assert values["verbose"] is True and values["quiet"] is True
    assert paths == ["x", "-y"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--nope", "x"], "unknown option '--nope'"),
        (["--format"], "option --format needs a value"),
        (["--format", "xml", "x"], "'xml' is not one of"),
        (["--quiet=yes", "x"], "takes no value"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_no_path_and_bad_jobs_and_bad_now(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["lint"]) == 2
    assert "no PATH given" in capsys.readouterr().err
    assert main(["lint", "-j", "many", str(tmp_path)]) == 2
    assert "--jobs" in capsys.readouterr().err
    assert main(["lint", "--now", "yesterday", str(tmp_path)]) == 2
    assert "not an ISO-8601 instant" in capsys.readouterr().err


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--help"]) == 0
    out = capsys.readouterr().out
    assert out == help_text()
    for flag in (
        "--format",
        "--output",
        "--parameters",
        "--select",
        "--ignore",
        "--config",
        "--fail-level",
        "--now",
    ):
        assert flag in out


def test_unknown_rule_in_select_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "t.json", TEMPLATE)
    assert main(["lint", "--isolated", "--select", "TG999", str(tmp_path)]) == 2
    assert "TG999" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ discovery


def test_directory_walk_reads_templates_and_skips_foreign_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a" / "azuredeploy.json", TEMPLATE)
    write(tmp_path / "a" / "azuredeploy.parameters.json", PARAMETERS)
    write(tmp_path / "package.json", {"name": "x", "version": "1.0.0"})
    write(tmp_path / "node_modules" / "dep" / "t.json", TEMPLATE)
    write(tmp_path / ".github" / "workflows" / "ci.yml", "on: push\n")
    code, report = lint_json(capsys, str(tmp_path))
    assert code == 0
    checked = sorted(Path(p).name for p in report["filesChecked"])  # type: ignore[index]
    assert checked == ["azuredeploy.json", "azuredeploy.parameters.json"]
    skipped = report["filesSkipped"]  # type: ignore[index]
    assert [Path(s["path"]).name for s in skipped] == ["package.json"]


def test_missing_path_and_empty_glob_are_unusable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = lint_json(capsys, str(tmp_path / "nope.json"), str(tmp_path / "*.json"))
    assert code == 2
    messages = sorted(d["message"] for d in report["diagnostics"])  # type: ignore[union-attr]
    assert messages == ["no file matches this pattern", "no such file or directory"]


def test_glob_patterns_expand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "x" / "one.json", TEMPLATE)
    write(tmp_path / "y" / "two.json", TEMPLATE)
    code, report = lint_json(capsys, str(tmp_path / "**" / "*.json"))
    assert code == 0
    assert len(report["filesChecked"]) == 2  # type: ignore[index]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_unreadable_directory_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "t.json", TEMPLATE)
    locked.chmod(0)
    try:
        errors = [c for c in discover([str(tmp_path)]) if c.error]
    finally:
        locked.chmod(0o755)
    assert errors and "cannot read directory" in (errors[0].error or "")


def test_symlink_loops_and_fifos_do_not_trap_the_walk(tmp_path: Path) -> None:
    write(tmp_path / "t.json", TEMPLATE)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "self.json").symlink_to(tmp_path / "self.json")
    found = [Path(c.path).name for c in discover([str(tmp_path)])]
    assert found == ["t.json"]


def test_explicit_symlink_loop_file_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "self.json"
    link.symlink_to(link)
    code, report = lint_json(capsys, str(link))
    assert code == 2
    assert report["diagnostics"][0]["rule"] == "TG001"  # type: ignore[index]


# ------------------------------------------------------------------------------------ results


def test_syntax_error_points_at_the_character_and_shows_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "bad.json", '{\n  "resources": [1,\n    2 3]\n}\n')
    code = main(["lint", "--isolated", "--color", "never", str(bad)])
    out = capsys.readouterr().out
    assert code == 2
    assert f"{bad}:3:7: TG001 [error]" in out
    assert "    2 3]" in out
    assert out.splitlines()[2].index("^") == out.splitlines()[1].index("3]")


def test_jobs_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    for i in range(30):
        write(tmp_path / f"t{i:02}.json", TEMPLATE if i % 3 else '{"$schema": "deploymentTemplate", oops}')
    env = {**os.environ, "NO_COLOR": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "templategen", "lint", "--isolated", "-j", jobs, str(tmp_path)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        for jobs in ("1", "2", "0")
    ]
    assert {r.returncode for r in runs} == {2}
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert runs[0].stdout.count("TG001") == 10
    assert "Traceback" not in "".join(r.stderr for r in runs)


def test_output_file_is_written_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "t.json", TEMPLATE)
    out = tmp_path / "report.sarif"
    out.write_text("old", encoding="utf-8")
    assert main(["lint", "--isolated", "-f", "sarif", "-o", str(out), str(tmp_path / "t.json")]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif", "t.json"]  # no temp file left


def test_output_into_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "t.json", TEMPLATE)
    code = main(
        ["lint", "--isolated", "-o", str(tmp_path / "no" / "dir" / "r.txt"), str(tmp_path / "t.json")]
    )
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


def test_verbose_says_what_was_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "tsconfig.json", {"compilerOptions": {}})
    assert main(["lint", "--isolated", "-v", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "skipped" in err and "tsconfig.json" in err and "neither an ARM template" in err


def test_a_failing_rule_becomes_an_internal_error_finding() -> None:
    class Exploding(Rule):
        id = "TG999"
        name = "exploding"
        severity = ERROR
        summary = why = bad = good = "x"

        def check(self, ctx: object) -> list[Diagnostic]:  # type: ignore[override]
            raise RuntimeError("boom at https://a.blob.core.windows.net/c/b?sv=1&sig=SECRET")

    outcome = FileOutcome("t.json")
    _run_rules(object(), [Exploding()], outcome)
    [finding] = outcome.diagnostics
    assert finding.rule_id == "TG000"
    assert "TG999" in finding.message and "boom" in finding.message
    assert "SECRET" not in finding.message and "sig=***" in finding.message


def test_parameters_option_rejects_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "t.json", TEMPLATE)
    assert main(["lint", "--isolated", "-p", str(template), str(template)]) == 2
    assert "not an ARM deployment parameters file" in capsys.readouterr().err


def test_input_error_str_has_position() -> None:
    from templategen.diagnostics import Location

    assert str(InputError("bad", Location("f.json", 3, 4))) == "f.json:3:4: bad"


def test_generated_bicep_snippets_are_passed_over(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = repo / "examples" / "vmsnapshot-windows.snippet.bicep"
    code, report = lint_json(capsys, str(snippet))
    assert code == 0
    assert report["diagnostics"] == []
    [skipped] = report["filesSkipped"]  # type: ignore[misc]
    assert "snippet" in skipped["reason"]

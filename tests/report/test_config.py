"""Configuration: discovery, the file and command-line layers, per-path ignores, and errors with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from templategen.config import (
    Config,
    Selection,
    check_option_selectors,
    find_config,
    load_config,
    resolve_config,
    split_selectors,
)
from templategen.diagnostics import InputError
from templategen.rules import all_rules, known_rules
from templategen.rules.base import Rule

from .helpers import diag

RULES = all_rules(["tests.report.sample_rules"])
KNOWN = known_rules(RULES)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def enabled(selection: Selection) -> dict[str, str]:
    return {rule.id: selection.severity[rule.id] for rule in selection.rules}


def config_from(tmp_path: Path, text: str, name: str = ".templategen.yaml") -> Config:
    return load_config(str(write(tmp_path / name, text)), KNOWN)


def error_of(tmp_path: Path, text: str, name: str = ".templategen.yaml") -> tuple[str, InputError]:
    path = write(tmp_path / name, text)
    with pytest.raises(InputError) as caught:
        load_config(str(path), KNOWN)
    return str(path), caught.value


# ------------------------------------------------------------------------------------- discovery


class TestDiscovery:
    def test_walks_up_to_the_configuration(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        repo = tmp_path / "repo"
        (repo / ".git").mkdir(parents=True)
        config = write(repo / ".templategen.yaml", "ignore: [TG4]\n")
        deep = repo / "infra" / "vm"
        deep.mkdir(parents=True)
        assert find_config(str(deep)) == str(config)
        monkeypatch.chdir(deep)
        assert find_config() == str(config)
        assert resolve_config().ignore == ("TG4",)

    def test_stops_at_the_repository_root(self, tmp_path: Path) -> None:
        write(tmp_path / ".templategen.yaml", "ignore: [TG4]\n")
        repo = tmp_path / "repo"
        write(repo / ".git", "gitdir: elsewhere\n")  # a worktree's .git is a file
        (repo / "src").mkdir()
        assert find_config(str(repo / "src")) is None
        assert resolve_config(start=str(repo / "src")).select is None

    def test_nearest_wins_and_yaml_beats_pyproject_in_one_folder(self, tmp_path: Path) -> None:
        (tmp_path / ".git").mkdir()
        write(tmp_path / ".templategen.yaml", "ignore: [TG4]\n")
        sub = tmp_path / "sub"
        nearer = write(
            sub / "pyproject.toml", '[project]\nname = "x"\n\n[tool.templategen]\nignore = ["TG5"]\n'
        )
        assert find_config(str(sub)) == str(nearer)
        yaml_here = write(sub / ".templategen.yaml", "ignore: [TG1]\n")
        assert find_config(str(sub)) == str(yaml_here)

    def test_pyproject_without_the_table_is_passed_over(self, tmp_path: Path) -> None:
        (tmp_path / ".hg").mkdir()
        top = write(tmp_path / ".templategen.yml", "ignore: [TG4]\n")
        sub = tmp_path / "sub"
        write(
            sub / "pyproject.toml",
            '[project]\nname = "templategen-user"\n[project.scripts]\ntemplategen = "x:y"\n',
        )
        assert find_config(str(sub)) == str(top)

    def test_pyproject_spellings(self, tmp_path: Path) -> None:
        table = config_from(tmp_path / "a", '[tool.templategen]\nselect = ["TG4"]\n', "pyproject.toml")
        assert table.select == ("TG4",)
        subtable = config_from(
            tmp_path / "b", '[tool.templategen.severity]\nTG401 = "error"\n', "pyproject.toml"
        )
        assert subtable.severity == {"TG401": "error"}
        dotted = config_from(tmp_path / "c", 'tool.templategen.ignore = ["tg5"]\n', "pyproject.toml")
        assert dotted.ignore == ("TG5",)
        for folder in "abc":
            assert find_config(str(tmp_path / folder)) == str(tmp_path / folder / "pyproject.toml")

    def test_explicit_file(self, tmp_path: Path) -> None:
        other = write(tmp_path / "lint.toml", 'select = ["TG1"]\nfail-level = "warning"\n')
        config = resolve_config(str(other), known=KNOWN)
        assert (config.select, config.fail_level) == (("TG1",), "warning")
        with pytest.raises(InputError, match=r"--config .*missing\.yaml: no such file"):
            resolve_config(str(tmp_path / "missing.yaml"))

    def test_empty_file_is_an_empty_configuration(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "# nothing yet\n")
        assert (config.select, config.ignore, config.severity, config.fail_level) == (None, (), {}, None)


# ---------------------------------------------------------------------------------------- layers


class TestSelection:
    def test_defaults_run_every_rule_at_its_severity(self) -> None:
        assert enabled(Selection(RULES)) == {rule.id: rule.severity for rule in RULES}

    def test_prefix_and_name_selection(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "select: [TG4, unknown-function]\n")
        assert set(enabled(Selection(RULES, config))) == {"TG102", "TG401", "TG402"}

    def test_most_specific_selector_wins(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "select: [TG, TG401]\nignore: [TG40]\n")
        assert set(enabled(Selection(RULES, config))) == {"TG102", "TG201", "TG401", "TG501"}
        tie = config_from(tmp_path / "t", "select: [TG402]\nignore: [no-sas-signature]\n")
        assert "TG402" not in enabled(Selection(RULES, tie))

    def test_command_line_select_replaces_the_file(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "select: [TG4]\nignore: [TG1]\n")
        assert set(enabled(Selection(RULES, config))) == {"TG401", "TG402"}
        assert set(enabled(Selection(RULES, config, select=["TG1"]))) == {"TG102"}

    def test_command_line_ignore_adds_to_the_file(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "ignore: [TG401]\n")
        assert set(enabled(Selection(RULES, config, ignore=["tg402"]))) == {"TG102", "TG201", "TG501"}

    def test_severity_overrides(self, tmp_path: Path) -> None:
        config = config_from(
            tmp_path, "severity:\n  TG4: info\n  TG401: error\n  vmsnapshot-publisher: off\n"
        )
        selection = Selection(RULES, config)
        assert enabled(selection) == {"TG102": "error", "TG201": "info", "TG401": "error", "TG402": "info"}
        again = Selection(RULES, config, select=["TG501"])  # the command line can bring it back
        assert enabled(again) == {"TG501": "error"}

    def test_yaml_bare_off_means_off(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "severity:\n  TG401: off\n  TG402: 'OFF'\n")
        assert "TG401" not in enabled(Selection(RULES, config))
        assert "TG402" not in enabled(Selection(RULES, config))

    def test_apply_regrades_and_drops(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "ignore: [TG201]\nseverity: {TG401: error}\n")
        selection = Selection(RULES, config)
        found = [
            diag("TG401", "warning", "a.json", 1, 1),
            diag("TG201", "info", "a.json", 2, 1),
            diag("TG001", "error", "broken.json", 1, 1),
            diag("TG999", "warning", "a.json", 3, 1),  # from a rule outside the catalogue: kept as is
        ]
        kept = selection.apply(found)
        assert [(d.rule_id, d.severity) for d in kept] == [
            ("TG401", "error"),
            ("TG001", "error"),
            ("TG999", "warning"),
        ]
        assert found[0].severity == "warning"  # the original finding is not modified

    def test_unreadable_file_finding_cannot_be_switched_off(self, tmp_path: Path) -> None:
        unreadable = type(
            "Unreadable",
            (Rule,),
            {"id": "TG001", "name": "unreadable-file", "severity": "error", "summary": "file cannot be read"},
        )()
        config = config_from(tmp_path, "select: [TG4]\nignore: [TG0]\n")
        selection = Selection([*RULES, unreadable], config)
        assert "TG001" in enabled(selection)
        assert selection.apply([diag("TG001", "error", "x.json", 1, 1)])
        for text in ("ignore: [TG001]\n", "ignore: [unreadable-file]\n", "severity: {TG001: info}\n"):
            _, error = error_of(tmp_path / "p", text)
            assert "cannot be ignored or re-graded" in str(error)


class TestPerPathIgnores:
    def test_globs(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        config = config_from(
            tmp_path,
            'per-path-ignores:\n  "tests/**/*.json": [TG4]\n  "*.bicep": [no-unused-parameter]\n'
            "  generated: [TG1]\n  'src/[ab]?.json': [TG501]\n",
        )
        monkeypatch.chdir(tmp_path)
        selection = Selection(RULES, config)

        def kept(rule: str, path: str) -> bool:
            return bool(selection.apply([diag(rule, "error", path, 1, 1)]))

        assert not kept("TG401", "tests/unit/deep/t.json")
        assert not kept("TG402", "tests/t.json")  # `**/` also matches no folder at all
        assert kept("TG401", "src/tests.json")
        assert kept("TG401", "tests/unit/t.bicep")  # *.json only
        assert kept("TG102", "tests/unit/t.json")  # TG4 only
        assert not kept("TG201", "main.bicep") and not kept("TG201", "infra/modules/vm.bicep")
        assert not kept("TG102", "generated/x/y.json") and not kept("TG102", "infra/generated/y.json")
        assert kept("TG102", "src/generated.json")
        assert (
            not kept("TG501", "src/a1.json")
            and kept("TG501", "src/c1.json")
            and kept("TG501", "src/a12.json")
        )
        assert not kept("TG401", str(tmp_path / "tests" / "abs.json"))  # absolute paths work too

    def test_globs_are_relative_to_the_configuration_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        config = config_from(tmp_path / "project", 'per-path-ignores:\n  "tests/*.json": [TG4]\n')
        monkeypatch.chdir(tmp_path)
        selection = Selection(RULES, config)
        assert not selection.apply([diag("TG401", "error", "project/tests/a.json", 1, 1)])
        assert selection.apply([diag("TG401", "error", "tests/a.json", 1, 1)])  # outside the project folder

    def test_exclude(self, tmp_path: Path) -> None:
        config = config_from(tmp_path, "exclude: ['examples/generated/**', '*.min.json']\n")
        assert config.excluded(str(tmp_path / "examples" / "generated" / "a" / "b.json"))
        assert config.excluded(str(tmp_path / "x" / "t.min.json"))
        assert not config.excluded(str(tmp_path / "examples" / "vm.json"))
        assert not Config().excluded("anything.json")


# ---------------------------------------------------------------------------------------- errors


class TestErrorsInYaml:
    def test_unknown_key_with_suggestion(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "select: [TG4]\nselct: [TG1]\n")
        assert str(error).startswith(f"{path}:2:1: unknown key 'selct' (did you mean 'select'?)")

    def test_unknown_rule_id_points_at_the_entry(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "ignore:\n  - TG401\n  - TG591\n")
        assert str(error) == f"{path}:3:5: unknown rule id TG591 (did you mean TG501?)"

    def test_unknown_rule_name_with_suggestion(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "select: [TG1]\nignore: [no-hardcoded-locaton]\n")
        assert (
            str(error)
            == f"{path}:2:10: unknown rule name 'no-hardcoded-locaton' (did you mean no-hardcoded-location?)"
        )

    def test_bad_severity_points_at_the_value(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "severity:\n  TG401: fatal\n")
        assert str(error).startswith(
            f"{path}:2:10: severity of TG401 must be one of error, warning, info, off"
        )

    def test_unknown_rule_in_severity_points_at_the_key(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "severity:\n  TG401: info\n  TG777: info\n")
        assert str(error).startswith(f"{path}:3:3: unknown rule id TG777")

    def test_malformed_selector(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "per-path-ignores:\n  'tests/**': [TG4x1]\n")
        assert str(error).startswith(f"{path}:2:16: 'tg4x1' is not a rule selector")

    def test_yaml_syntax_error(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "select: [TG4\nignore: []\n")
        assert str(error).startswith(f"{path}:2:")
        assert "invalid YAML" in str(error)

    def test_duplicate_key(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "ignore: [TG4]\nselect: [TG1]\nignore: [TG5]\n")
        assert str(error) == f"{path}:3:1: duplicate key 'ignore'"

    def test_wrong_shapes(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, "- TG4\n")
        assert str(error).startswith(f"{path}:1:1: the configuration must be a mapping")
        path, error = error_of(tmp_path, "select: 5\n")
        assert str(error) == f"{path}:1:9: select must be a list of strings"
        path, error = error_of(tmp_path, "ignore: [TG4, 7]\n")
        assert str(error) == f"{path}:1:15: ignore must hold strings; got 7"
        path, error = error_of(tmp_path, "severity: [TG4]\n")
        assert str(error) == f"{path}:1:11: severity must be a mapping"
        path, error = error_of(tmp_path, "fail-level: fatal\n")
        assert str(error) == f"{path}:1:13: fail-level must be one of error, warning, info; got 'fatal'"

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / ".templategen.yaml"
        path.write_bytes(b"select: [TG4]\nignore: [\xff]\n")
        with pytest.raises(InputError) as caught:
            load_config(str(path))
        assert str(caught.value) == f"{path}:2:1: configuration file is not UTF-8"

    def test_comma_separated_string_is_accepted(self, tmp_path: Path) -> None:
        assert config_from(tmp_path, "ignore: TG4, no-unused-parameter\n").ignore == (
            "TG4",
            "no-unused-parameter",
        )


class TestErrorsInToml:
    def test_unknown_key_names_file_and_line(self, tmp_path: Path) -> None:
        text = '[project]\nname = "x"\n\n[tool.templategen]\nselect = ["TG4"]\nignroe = ["TG1"]\n'
        path, error = error_of(tmp_path, text, "pyproject.toml")
        assert str(error).startswith(f"{path}:6:1: unknown key 'ignroe' (did you mean 'ignore'?)")

    def test_unknown_rule_id_names_its_line(self, tmp_path: Path) -> None:
        text = '[tool.templategen]\nselect = ["TG4"]\nignore = [\n  "TG401",\n  "TG591",\n]\n'
        path, error = error_of(tmp_path, text, "pyproject.toml")
        assert str(error) == f"{path}:5:3: unknown rule id TG591 (did you mean TG501?)"

    def test_bad_severity_in_a_subtable(self, tmp_path: Path) -> None:
        text = '[tool.templategen]\nselect = ["TG"]\n\n'
        text += '[tool.templategen.severity]\nTG402 = "info"\nTG401 = "fatal"\n'
        path, error = error_of(tmp_path, text, "pyproject.toml")
        assert str(error).startswith(f"{path}:6:")
        assert "severity of TG401 must be one of" in str(error)

    def test_syntax_error_position(self, tmp_path: Path) -> None:
        path, error = error_of(tmp_path, '[tool.templategen]\nselect = ["TG4"\n', "pyproject.toml")
        assert str(error) == f"{path}:2:16: invalid TOML: Unclosed array"  # the end of the document

    def test_pyproject_without_table_given_explicitly(self, tmp_path: Path) -> None:
        _, error = error_of(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
        assert "has no [tool.templategen] table" in str(error)


class TestCommandLineSelectors:
    def test_split(self) -> None:
        assert split_selectors("TG4, no-unused-parameter,TG1  TG5") == [
            "TG4",
            "no-unused-parameter",
            "TG1",
            "TG5",
        ]

    def test_unknown_or_protected(self) -> None:
        check_option_selectors("--select", ["TG4", "tg401", "unknown-function", "TG001"], KNOWN)
        with pytest.raises(InputError, match=r"--select TG499: unknown rule id TG499"):
            check_option_selectors("--select", ["TG499"], KNOWN)
        with pytest.raises(InputError, match=r"--ignore TG001: TG001 \(unreadable-file\) cannot be ignored"):
            check_option_selectors("--ignore", ["TG001"], KNOWN)
        with pytest.raises(InputError, match="not a rule selector"):
            check_option_selectors("--ignore", ["TG4x1"], KNOWN)


def test_a_rule_may_grade_its_own_findings_unless_the_configuration_overrides_it(tmp_path: Path) -> None:
    from templategen.config import Selection, load_config
    from templategen.diagnostics import Diagnostic, Location
    from templategen.rules.base import Rule

    class Graded(Rule):
        id = "TG950"
        name = "graded"
        severity = "error"
        summary = why = bad = good = "x"

    finding = Diagnostic("TG950", "graded", "warning", "softer than the default", Location("t.json", 1, 1))
    assert Selection([Graded()]).apply([finding])[0].severity == "warning"
    config_path = tmp_path / ".templategen.yaml"
    config_path.write_text("severity:\n  TG950: info\n", encoding="utf-8")
    config = load_config(str(config_path), {"TG950": "graded"})
    assert Selection([Graded()], config).apply([finding])[0].severity == "info"

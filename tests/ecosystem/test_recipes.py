"""The CI recipes (docs/examples/*.yml), docs/ci.md, the README's pre-commit snippet and the hook manifest.

Users copy these files as they are, so they are checked like code: valid YAML, steps wired together
(the SARIF upload reads the file the lint step writes, and still runs after findings failed the job),
and every `templategen ...` command in them parsed by templategen's own command line: `lint` by the
parser the lint command uses, the others by click's `make_context` on the real commands. A renamed or
removed option fails here.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from templategen.commands import cli
from templategen.diagnostics import InputError
from templategen.lint.cli import parse_args
from tests.conftest import REPO

EXAMPLES = REPO / "docs" / "examples"
OPERATORS = ("&&", "||", "|", ";", "&")


class ShellCommand:
    """One simple command of a script: its words and the operator that follows it."""

    def __init__(self, words: list[str], after: str) -> None:
        self.words = words
        self.after = after

    def __repr__(self) -> str:
        return f"ShellCommand({shlex.join(self.words)!r}, after={self.after!r})"


class TemplategenCall:
    """A `templategen` command found in a recipe: the command, its options, whether exit 1 is accepted."""

    def __init__(self, words: list[str], tolerates_findings: bool) -> None:
        self.words = words
        self.command = words[1] if len(words) > 1 else ""
        self.args = words[2:]
        self.tolerates_findings = tolerates_findings
        self.options: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"TemplategenCall({shlex.join(self.words)!r})"


def shell_commands(script: str) -> list[ShellCommand]:
    """Split a shell script into simple commands (continuation lines joined, comments dropped)."""
    commands: list[ShellCommand] = []
    for line in re.sub(r"\\\n", " ", script).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars="|&;")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        for token in [*lexer, ";"]:
            if token in OPERATORS:
                if words:
                    commands.append(ShellCommand(words, token))
                words = []
            else:
                words.append(token)
    return commands


def accepts_exit_1(command: ShellCommand | None) -> bool:
    """`|| true`, `|| :` or `|| [ $? -eq 1 ]` after a command: its exit code 1 does not fail the script."""
    if command is None:
        return False
    return command.words in (["true"], [":"], ["[", "$?", "-eq", "1", "]"], ["test", "$?", "-eq", "1"])


def templategen_calls(script: str) -> list[TemplategenCall]:
    commands = shell_commands(script)
    calls = []
    for index, command in enumerate(commands):
        words = list(command.words)
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            words.pop(0)  # VAR=value prefixes
        if words and words[0] == "templategen":
            following = commands[index + 1] if index + 1 < len(commands) else None
            tolerated = command.after == "||" and accepts_exit_1(following)
            calls.append(parse_call(TemplategenCall(words, tolerated)))
    return calls


class RecipeError(Exception):
    """A templategen command in a recipe that templategen's command line refuses."""


def parse_call(call: TemplategenCall) -> TemplategenCall:
    """Parse the call with the real command line; fill `options`; raise RecipeError when refused."""
    if call.command == "lint":
        try:
            values, paths = parse_args(call.args)
        except InputError as exc:
            raise RecipeError(f"{call}: {exc}") from None
        if not paths:
            raise RecipeError(f"{call}: no PATH")
        call.options = values
        return call
    context = click.Context(cli, info_name="templategen")
    command = cli.get_command(context, call.command)
    if command is None:
        raise RecipeError(f"{call}: no such command {call.command!r}")
    try:
        sub = command.make_context(call.command, list(call.args), parent=context)
    except click.ClickException as exc:
        raise RecipeError(f"{call}: {exc.format_message()}") from None
    call.options = dict(sub.params)
    return call


def load(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def steps_of(node: object) -> Iterator[dict[str, Any]]:
    """Every step of a pipeline, wherever it sits (stages, jobs, `${{ if }}` blocks)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "steps" and isinstance(value, list):
                yield from (step for step in value if isinstance(step, dict))
            else:
                yield from steps_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from steps_of(item)


def script_of(step: dict[str, Any]) -> str:
    """The shell script a step runs (GitHub `run`, Azure `script`/`bash`, AzureCLI@2 `inlineScript`)."""
    for key in ("run", "script", "bash"):
        if isinstance(step.get(key), str):
            return str(step[key])
    inputs = step.get("inputs")
    if isinstance(inputs, dict) and isinstance(inputs.get("inlineScript"), str):
        return str(inputs["inlineScript"])
    return ""


def calls_in(step: dict[str, Any]) -> list[TemplategenCall]:
    return templategen_calls(script_of(step))


def lint_calls(step: dict[str, Any], fmt: str) -> list[TemplategenCall]:
    return [c for c in calls_in(step) if c.command == "lint" and c.options.get("format") == fmt]


def fails_on_findings(step: dict[str, Any]) -> bool:
    """A lint step whose exit code 1 fails the job."""
    if step.get("continue-on-error") or step.get("continueOnError"):
        return False
    return any(c.command == "lint" and not c.tolerates_findings for c in calls_in(step))


def runs_after_failure(step: dict[str, Any]) -> bool:
    condition = str(step.get("if", step.get("condition", "")))
    return "always()" in condition or "succeededOrFailed()" in condition or "failure()" in condition


# ------------------------------------------------------------------------------ the parsing itself


@pytest.mark.parametrize(
    "script",
    [
        "templategen lint --formt sarif .",
        "templategen lint --format sarif-2 .",
        "templategen lint --format github",
        "templategen generate --chek infra/x.yaml",
        "templategen generate --check --format all infra/x.yaml",
        "templategen deploy t.json --what-if",
        "templategen graph t.json --format ascii",
    ],
)
def test_a_command_templategen_would_refuse_is_refused(script: str) -> None:
    with pytest.raises(RecipeError):
        templategen_calls(script)


def test_scripts_are_split_into_commands() -> None:
    script = (
        "set -e\nFOO=1 templategen lint -o 'a b.sarif' . || [ $? -eq 1 ]  # comment\ntemplategen lint \\\n  ."
    )
    calls = templategen_calls(script)
    assert [c.words for c in calls] == [
        ["templategen", "lint", "-o", "a b.sarif", "."],
        ["templategen", "lint", "."],
    ]
    assert [c.tolerates_findings for c in calls] == [True, False]
    assert calls[0].options == {"output": "a b.sarif"}


# ------------------------------------------------------------------------------ GitHub Actions


def test_github_actions_recipe() -> None:
    workflow = load(EXAMPLES / "github-actions.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "push" in triggers
    jobs = workflow["jobs"]

    lint = jobs["lint"]
    assert lint["permissions"]["security-events"] == "write"
    steps = lint["steps"]
    annotating = [i for i, step in enumerate(steps) if lint_calls(step, "github")]
    sarif = [i for i, step in enumerate(steps) if lint_calls(step, "sarif")]
    uploads = [
        i
        for i, step in enumerate(steps)
        if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    ]
    assert len(annotating) == 1 and len(sarif) == 1 and len(uploads) == 1
    sarif_file = lint_calls(steps[sarif[0]], "sarif")[0].options["output"]
    upload = steps[uploads[0]]
    assert sarif[0] < uploads[0]
    assert upload["with"]["sarif_file"] == sarif_file
    # Findings fail the job, and the SARIF is still written and uploaded after that failure.
    failing = [i for i, step in enumerate(steps) if fails_on_findings(step)]
    assert failing, "no lint step fails the job on findings"
    for index in (sarif[0], uploads[0]):
        if index > failing[0]:
            assert runs_after_failure(steps[index]), steps[index]
    assert sarif_file in str(upload.get("if", "")), "the upload's condition should test the file it uploads"

    generated = jobs["generated"]
    checks = [c for step in generated["steps"] for c in calls_in(step) if c.command == "generate"]
    assert checks and all(c.options["check"] for c in checks)

    what_if = jobs["what-if"]
    assert what_if["permissions"]["id-token"] == "write"
    names = [str(step.get("uses", "")).split("@")[0] for step in what_if["steps"]]
    deploys = [
        i for i, step in enumerate(what_if["steps"]) if any(c.command == "deploy" for c in calls_in(step))
    ]
    assert deploys and names.index("azure/login") < deploys[0]
    assert all(c.options["what_if"] for c in calls_in(what_if["steps"][deploys[0]]))
    assert "pull_request" in what_if["if"]

    for job in jobs.values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w./-]+@v\d+", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/setup-python@"):
                major, minor = map(int, str(step["with"]["python-version"]).split("."))
                assert (major, minor) >= (3, 10)


# ------------------------------------------------------------------------------ Azure Pipelines


def test_azure_pipelines_recipe() -> None:
    pipeline = load(EXAMPLES / "azure-pipelines.yml")
    assert pipeline["pr"] and pipeline["trigger"]
    check_stage = pipeline["stages"][0]
    steps = list(steps_of(check_stage))

    junit = [i for i, step in enumerate(steps) if lint_calls(step, "junit")]
    publish = [i for i, step in enumerate(steps) if step.get("task") == "PublishTestResults@2"]
    assert len(junit) == 1 and len(publish) == 1 and junit[0] < publish[0]
    report = lint_calls(steps[junit[0]], "junit")[0].options["output"]
    inputs = steps[publish[0]]["inputs"]
    assert inputs["testResultsFormat"] == "JUnit"
    assert inputs["testResultsFiles"] == report
    assert fails_on_findings(steps[junit[0]])
    assert runs_after_failure(steps[publish[0]])

    sarif = [i for i, step in enumerate(steps) if lint_calls(step, "sarif")]
    artifacts = [i for i, step in enumerate(steps) if step.get("task") == "PublishBuildArtifacts@1"]
    assert len(sarif) == 1 and len(artifacts) == 1 and sarif[0] < artifacts[0]
    sarif_file = str(lint_calls(steps[sarif[0]], "sarif")[0].options["output"])
    artifact = steps[artifacts[0]]["inputs"]
    assert artifact["ArtifactName"] == "CodeAnalysisLogs"
    assert sarif_file.startswith(artifact["PathtoPublish"] + "/") and sarif_file.endswith(".sarif")
    assert runs_after_failure(steps[sarif[0]]) and runs_after_failure(steps[artifacts[0]])

    checks = [(step, c) for step in steps for c in calls_in(step) if c.command == "generate"]
    assert checks and all(c.options["check"] for _, c in checks)
    assert all(runs_after_failure(step) for step, _ in checks), (
        "the check should run even after lint findings"
    )

    what_if = [
        c for step in steps_of(pipeline["stages"][1:]) for c in calls_in(step) if c.command == "deploy"
    ]
    assert what_if and all(c.options["what_if"] for c in what_if)
    azure_cli = [step for step in steps_of(pipeline["stages"][1:]) if step.get("task") == "AzureCLI@2"]
    assert azure_cli and azure_cli[0]["inputs"]["azureSubscription"]


# ------------------------------------------------------------------------------ docs, README, manifest


def fenced_blocks(markdown: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def test_every_command_in_the_ci_page_and_the_recipes_parses() -> None:
    found: list[TemplategenCall] = []
    for name in ("github-actions.yml", "azure-pipelines.yml"):
        for step in steps_of(load(EXAMPLES / name)):
            found += calls_in(step)
    page = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    for language, body in fenced_blocks(page):
        if language in ("sh", "bash", "console", ""):
            found += templategen_calls(body)
    commands = {c.command for c in found}
    assert {"lint", "generate", "deploy"} <= commands
    formats = {c.options.get("format") for c in found if c.command == "lint"}
    assert {"github", "sarif", "junit"} <= formats
    for target in ("examples/github-actions.yml", "examples/azure-pipelines.yml"):
        assert f"]({target})" in page


def manifest() -> dict[str, dict[str, Any]]:
    hooks = load(REPO / ".pre-commit-hooks.yaml")
    return {hook["id"]: hook for hook in hooks}


def hook_call(hook: dict[str, Any], args: list[str], files: list[str]) -> TemplategenCall:
    words = [*shlex.split(hook["entry"]), *hook.get("args", []), *args, *files]
    calls = templategen_calls(shlex.join(words))
    assert len(calls) == 1
    return calls[0]


def test_hook_manifest() -> None:
    hooks = manifest()
    assert set(hooks) == {"templategen-lint", "templategen-check"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True)
    lint = hook_call(hooks["templategen-lint"], [], ["main.bicep", "azuredeploy.json"])
    assert lint.command == "lint"
    check = hook_call(hooks["templategen-check"], ["--format", "both"], ["infra/backup.yaml"])
    assert check.command == "generate" and check.options["check"] and check.options["changed"]

    lint_files = re.compile(hooks["templategen-lint"]["files"])
    for name in (
        "a.json",
        "b/azuredeploy.parameters.JSON",
        "c.jsonc",
        "main.bicep",
        "x.yaml",
        ".github/ci.yml",
    ):
        assert lint_files.search(name), name
    for name in ("README.md", "setup.py", "a.json.bak", "yaml", "bicepconfig"):
        assert not lint_files.search(name), name
    check_files = re.compile(hooks["templategen-check"]["files"])
    for name in ("infra/x.yaml", "infra/x.yml", "infra/x.json", "infra/x.parameters.json", "infra/x.bicep"):
        assert check_files.search(name), name
    assert not check_files.search("infra/x.md")


def test_readme_pre_commit_snippet_uses_the_hooks_as_defined() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use in pre-commit and CI", 1)[1].split("\n## ", 1)[0]
    configs = [yaml.safe_load(body) for language, body in fenced_blocks(section) if language == "yaml"]
    configs = [c for c in configs if isinstance(c, dict) and "repos" in c]
    assert configs, "the section shows a .pre-commit-config.yaml"
    hooks = manifest()
    for config in configs:
        for repo in config["repos"]:
            assert repo["repo"] and repo["rev"]
            for hook in repo["hooks"]:
                assert hook["id"] in hooks
                hook_call(hooks[hook["id"]], list(hook.get("args", [])), ["x.yaml"])
    assert "](docs/ci.md)" in section

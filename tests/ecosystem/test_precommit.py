"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` on real commits.

pre-commit installs a hook repository by cloning it at a commit and `pip install`ing it into an
environment of its own, so the hooks must be tested from a commit, not from this working tree. The
fixture copies what `git ls-files` lists (tracked files plus untracked ones that are not ignored,
as they are on disk) into a temporary repository and commits it: the test sees uncommitted work
during development and is the same on CI's clean clone. (`pre-commit try-repo` makes such a commit
by itself, but only of tracked files, so a new, not yet added file would be missing.)

Every pre-commit run gets its own PRE_COMMIT_HOME, git configuration and no PYTHONPATH, so the hooks
run the copy pre-commit installed, not this checkout. Building that environment takes pip about
20 s; run with `-s` to see pre-commit's output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

WORKFLOW = """\
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""


class HookRepo:
    """A committed copy of this working tree: what a `.pre-commit-config.yaml` would point at."""

    def __init__(self, path: Path, rev: str) -> None:
        self.path = path
        self.rev = rev


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def isolated_env(tmp: Path) -> dict[str, str]:
    """Environment for git and pre-commit: own config, own cache, no colour, not this checkout."""
    gitconfig = tmp / "gitconfig"
    if not gitconfig.exists():
        gitconfig.write_text(
            "[user]\n\tname = Test\n\temail = test@example.invalid\n"
            "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
            encoding="utf-8",
        )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GIT_DIR")}
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
    )
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    tmp = tmp_path_factory.mktemp("hook-repo")
    env = isolated_env(tmp)
    try:
        listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", env=env)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"the hook test needs a git checkout of templategen: {exc}")
    snapshot = tmp / "templategen"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # deleted but still in the index: as in a commit of the working tree
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    git(snapshot, "init", "-q", env=env)
    git(snapshot, "add", "-A", env=env)
    git(snapshot, "commit", "-q", "-m", "snapshot of the working tree", env=env)
    return HookRepo(snapshot, git(snapshot, "rev-parse", "HEAD", env=env).strip())


def run(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command, print what it printed (visible with `pytest -s`), and return it (stderr in stdout)."""
    done = subprocess.run(
        list(args),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # git prints a hook's output on stderr: keep the order as shown
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    shown = " ".join(args).replace(sys.executable, "python")
    print(f"\n$ {shown}   (exit code {done.returncode})\n{done.stdout}", end="")
    return done


def generate(cwd: Path, *args: str) -> None:
    """Write generated outputs with this checkout's templategen (the author's own tool)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run(
        [sys.executable, "-m", "templategen", "generate", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def broken_copy(text: str) -> tuple[str, int, int]:
    """The template with the comma after `contentVersion` removed, and where the reader must stop."""
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if '"contentVersion"' in line)
    assert lines[index].endswith(",")
    lines[index] = lines[index][:-1]
    next_line = lines[index + 1]
    column = len(next_line) - len(next_line.lstrip()) + 1
    return "\n".join(lines), index + 2, column


def consumer_repo(tmp: Path, env: dict[str, str]) -> Path:
    """A project using templategen: a template, an input with its outputs, and unrelated JSON/YAML."""
    work = tmp / "project"
    (work / ".github" / "workflows").mkdir(parents=True)
    (work / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (work / "package.json").write_text('{"name": "web", "private": true}\n', encoding="utf-8")
    (work / "templates").mkdir()
    shutil.copy2(REPO / "examples" / "vmsnapshot-windows.json", work / "templates" / "extension.json")
    (work / "infra").mkdir()
    shutil.copy2(REPO / "examples" / "backup-vms-quickstart.yaml", work / "infra" / "backup.yaml")
    generate(work, "infra/backup.yaml")
    git(work, "init", "-q", env=env)
    return work


def test_try_repo_refuses_a_broken_template_and_passes_the_rest(hook_repo: HookRepo, tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    work = consumer_repo(tmp_path, env)
    text = (work / "templates" / "extension.json").read_text(encoding="utf-8")
    broken, line, column = broken_copy(text)
    (work / "templates" / "broken.json").write_text(broken, encoding="utf-8")
    git(work, "add", "-A", env=env)
    files = [
        "templates/extension.json",
        "templates/broken.json",
        ".github/workflows/ci.yml",
        "package.json",
        "infra/backup.yaml",
    ]
    args = ["try-repo", str(hook_repo.path), "templategen-lint", "--ref", hook_repo.rev, "--files", *files]
    done = run(work, sys.executable, "-m", "pre_commit", *args, env=env)
    assert done.returncode == 1
    output = done.stdout
    assert "templategen lint" in output and "Failed" in output
    assert f"templates/broken.json:{line}:{column}: TG001 [error]" in output
    # The named workflow and package.json are skipped, not reported; the good files have nothing
    # at warning or error level (the extension gets TG514's advice, an info).
    # (pre-commit splits the files over parallel runs, so there is one summary line per run.)
    assert "ci.yml:" not in output and "package.json:" not in output
    serious = re.compile(r"(extension\.json|backup\.yaml):\d+:\d+: TG\d+ \[(error|warning)\]")
    assert not serious.search(output), output
    assert "2 files skipped" in output or output.count("1 file skipped") == 2


def test_commits_are_refused_until_templates_are_clean_and_outputs_fresh(
    hook_repo: HookRepo, tmp_path: Path
) -> None:
    env = isolated_env(tmp_path)
    work = consumer_repo(tmp_path, env)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {hook_repo.path}\n"
        f"    rev: {hook_repo.rev}\n"
        f"    hooks:\n"
        f"      - id: templategen-lint\n"
        f"      - id: templategen-check\n",
        encoding="utf-8",
    )
    pre_commit = (sys.executable, "-m", "pre_commit")
    assert run(work, *pre_commit, "install", env=env).returncode == 0

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        git(work, "add", "-A", env=env)
        return run(work, "git", "commit", "-m", message, env=env)

    def commits() -> int:
        return int(git(work, "rev-list", "--count", "--all", env=env).strip() or 0)

    # 1. A clean template, an input with fresh outputs and unrelated YAML/JSON: accepted.
    done = commit("clean start")
    assert done.returncode == 0
    assert "templategen lint" in done.stdout and "templategen generated outputs up to date" in done.stdout
    assert "Failed" not in done.stdout
    assert commits() == 1

    # 2. A broken template: refused, with the finding; fixed: accepted.
    good = (work / "templates" / "extension.json").read_text(encoding="utf-8")
    broken, line, column = broken_copy(good)
    (work / "templates" / "second.json").write_text(broken, encoding="utf-8")
    done = commit("add a broken template")
    assert done.returncode != 0
    assert f"templates/second.json:{line}:{column}: TG001 [error]" in done.stdout
    assert commits() == 1
    (work / "templates" / "second.json").write_text(good, encoding="utf-8")
    assert commit("add a good template").returncode == 0
    assert commits() == 2

    # 3. An input changed without regenerating: refused with the diff; regenerated: accepted.
    source = work / "infra" / "backup.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("vm-web-02", "vm-web-03"), encoding="utf-8")
    done = commit("rename a VM")
    assert done.returncode != 0
    assert "templategen generated outputs up to date" in done.stdout and "Failed" in done.stdout
    assert "infra/backup.parameters.json (on disk)" in done.stdout
    assert '+        "vm-web-03"' in done.stdout
    assert commits() == 2
    generate(work, "infra/backup.yaml")
    assert commit("rename a VM, regenerated").returncode == 0
    assert commits() == 3

    # 4. A generated template edited by hand (still valid, so lint passes): the check hook finds its
    # input and refuses.
    template = work / "infra" / "backup.json"
    edited = template.read_text(encoding="utf-8").replace('"Standard"', '"standard"')
    assert edited != template.read_text(encoding="utf-8")
    template.write_text(edited, encoding="utf-8")
    done = commit("edit the generated template")
    assert done.returncode != 0
    assert "templategen lint" in done.stdout and "infra/backup.json (on disk)" in done.stdout
    assert commits() == 3

"""No lost output: when writing fails half way, every old file stays byte for byte, and no temporary
file is left behind. Faults are real, made by the operating system, never by replacing our code:

| fault                         | how                                                          | who        |
|-------------------------------|--------------------------------------------------------------|------------|
| file size limit (EFBIG)       | RLIMIT_FSIZE in the child process, SIGXFSZ ignored           | anyone     |
| disk full (ENOSPC)            | a symlinked output pointing at `/dev/full`                   | anyone     |
| disk full (ENOSPC)            | a 64 KiB tmpfs, filled up, in a private namespace (unshare)  | if allowed |
| read-only file system (EROFS) | the same tmpfs remounted read-only                           | if allowed |
| permission denied (EACCES)    | a folder without write permission                            | non-root   |
| a directory where the file is | a non-empty folder named like the output                     | anyone     |
| exception while rendering     | a copy of the package whose Bicep template is broken         | anyone     |

Commands: `generate` (its output *set*: the template, the Bicep file and the parameters file are
written together or not at all), `lint -o`, `rules -o`, and `graph -o` once a `graph` command is
registered in templategen/commands/__init__.py.

Symlinks: an output path that is a symbolic link keeps the link; the file it points to is replaced
(for a regular file) or written in place (for a device or FIFO, which are never renamed over).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "vmsnapshot-windows.yaml"
OUTPUT_NAMES = ("vmsnapshot-windows.json", "vmsnapshot-windows.bicep", "vmsnapshot-windows.parameters.json")
TIMEOUT = 300


def env() -> dict[str, str]:
    values = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    values.pop("TEMPLATEGEN_DEBUG", None)
    return values


def templategen(
    *args: str, cwd: Path | None = None, fsize: int | None = None, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess; `fsize` limits the size of any file it writes (bytes)."""

    def limit() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead
        assert fsize is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    variables = env()
    if pythonpath is not None:
        variables["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "templategen", *args],
        cwd=cwd,
        env=variables,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit if fsize is not None else None,
    )


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of `folder` (hidden ones too: temporary files start with a dot), with its bytes,
    or the target of a symlink, or the kind of anything else."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "dir" if path.is_dir() else "other"
    return found


def no_crash(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An input whose outputs exist in `out/` from an earlier run, then an edit that changes them all."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "vmsnapshot-windows.yaml").write_text(text, encoding="utf-8")
    first = templategen("generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both", cwd=tmp_path)
    assert first.returncode == 0, first
    assert "name: myVM" in text
    (tmp_path / "vmsnapshot-windows.yaml").write_text(text.replace("name: myVM", "name: otherVM"), "utf-8")
    return tmp_path


def generate_fails(project: Path, **options: object) -> subprocess.CompletedProcess[str]:
    """Run generate into `out/` expecting a write failure; the old outputs must be untouched."""
    before = snapshot(project / "out")
    proc = templategen(
        "generate",
        "vmsnapshot-windows.yaml",
        "-o",
        "out",
        "--format",
        "both",
        cwd=project,
        **options,  # type: ignore[arg-type]
    )
    no_crash(proc)
    assert proc.returncode == 2, proc
    assert snapshot(project / "out") == before, "an old output changed or a temporary file was left"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc
    return proc


# --- generate ------------------------------------------------------------------------------------


def test_file_size_limit(project: Path) -> None:
    """EFBIG in the middle of writing the first temporary file."""
    proc = generate_fails(project, fsize=1024)
    assert proc.stderr == "templategen: error: cannot write out/vmsnapshot-windows.json: File too large\n"
    # without the limit the same run succeeds, and every file changes together
    done = templategen("generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both", cwd=project)
    assert done.returncode == 0, done
    assert all(b"otherVM" in (project / "out" / name).read_bytes() for name in OUTPUT_NAMES)


def test_disk_full_on_the_last_file_leaves_the_whole_set(project: Path) -> None:
    """The parameters file (written last) is a symlink to /dev/full: ENOSPC, for real. The template
    and the Bicep file were already written to temporary files; they must not be renamed over the old
    ones, or the set would mix this run's template with the last run's parameters."""
    parameters = project / "out" / "vmsnapshot-windows.parameters.json"
    parameters.unlink()
    parameters.symlink_to("/dev/full")
    proc = generate_fails(project)
    assert proc.stderr == (
        "templategen: error: cannot write out/vmsnapshot-windows.parameters.json: No space left on device\n"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "the device must never be replaced by a file"


def test_a_directory_where_an_output_goes(project: Path) -> None:
    target = project / "out" / "vmsnapshot-windows.bicep"
    target.unlink()
    target.mkdir()
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    proc = generate_fails(project)
    assert proc.stderr == "templategen: error: cannot write out/vmsnapshot-windows.bicep: Is a directory\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into folders whatever their mode")
def test_permission_denied(project: Path) -> None:
    out = project / "out"
    out.chmod(0o555)
    try:
        proc = generate_fails(project)
    finally:
        out.chmod(0o755)
    assert proc.stderr == "templategen: error: cannot write out/vmsnapshot-windows.json: Permission denied\n"


def test_symlinked_output_keeps_the_link(project: Path) -> None:
    """A decision, documented in templategen/fileio.py: the link stays, the file it names is replaced."""
    real = project / "elsewhere.json"
    link = project / "out" / "vmsnapshot-windows.json"
    real.write_bytes(link.read_bytes())
    link.unlink()
    link.symlink_to(real)
    done = templategen("generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both", cwd=project)
    assert done.returncode == 0, done
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert b"otherVM" in real.read_bytes()


def test_exception_while_rendering(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A copy of the package with a broken Bicep template: rendering raises (an internal error, exit
    70, one line) after the ARM template was rendered, before anything is written."""
    copy = tmp_path_factory.mktemp("package")
    shutil.copytree(REPO / "templategen", copy / "templategen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "schemas", copy / "schemas")
    shutil.copytree(REPO / "templates", copy / "templates")
    broken = copy / "templates" / "vmsnapshot-extension.bicep.j2"
    broken.write_text(
        broken.read_text(encoding="utf-8") + "\n{{ no_such_filter | undefined_filter }}\n", "utf-8"
    )
    before = snapshot(project / "out")
    proc = templategen(
        "generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both", cwd=project, pythonpath=copy
    )
    no_crash(proc)
    assert proc.returncode == 70, proc
    assert proc.stderr.splitlines()[0].startswith("templategen: internal error: TemplateAssertionError: ")
    assert snapshot(project / "out") == before


# --- faults of a real file system, in a private mount namespace -----------------------------------

_NAMESPACE_SCRIPT = textwrap.dedent(
    """
    import json, os, subprocess, sys
    mount, project, python = sys.argv[1], sys.argv[2], sys.argv[3]
    out = os.path.join(project, "out")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", out], check=True)
    env = dict(os.environ)
    def run(*args):
        proc = subprocess.run([python, "-m", "templategen", *args], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300)
        return {"code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
    def snap():
        return {n: open(os.path.join(out, n), "rb").read().hex() for n in sorted(os.listdir(out))}
    results = {}
    for name, data in json.loads(sys.argv[4]).items():  # the old outputs
        with open(os.path.join(out, name), "wb") as handle:
            handle.write(bytes.fromhex(data))
    with open(os.path.join(out, ".filler"), "wb", buffering=0) as handle:  # fill the file system up
        try:
            while True:
                handle.write(b"x" * 512)
        except OSError:
            pass
    results["before_full"] = snap()
    results["full"] = run("generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both")
    results["lint_full"] = run("lint", "--isolated", "-o", "out/vmsnapshot-windows.json", "out")
    results["after_full"] = snap()
    os.unlink(os.path.join(out, ".filler"))
    subprocess.run(["mount", "-o", "remount,ro", out], check=True)
    results["before_ro"] = snap()
    results["ro"] = run("generate", "vmsnapshot-windows.yaml", "-o", "out", "--format", "both")
    results["after_ro"] = snap()
    print(json.dumps(results))
    """
)


def _namespace_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /tmp && echo ok"],
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() == "ok"


@pytest.mark.skipif(not _namespace_available(), reason="no private mount namespace (unshare -rm)")
def test_disk_full_and_read_only_file_system(project: Path) -> None:
    """ENOSPC and EROFS from a real (tiny) tmpfs; `unshare -rm` keeps the mount private to the run."""
    old = {name: (project / "out" / name).read_bytes().hex() for name in OUTPUT_NAMES}
    proc = subprocess.run(
        [
            "unshare",
            "-rm",
            sys.executable,
            "-c",
            _NAMESPACE_SCRIPT,
            "",
            str(project),
            sys.executable,
            json.dumps(old),
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc
    results = json.loads(proc.stdout)
    full, ro, lint_full = results["full"], results["ro"], results["lint_full"]
    assert full["code"] == 2 and lint_full["code"] == 2 and ro["code"] == 2, results
    assert (
        full["stderr"]
        == "templategen: error: cannot write out/vmsnapshot-windows.json: No space left on device\n"
    )
    assert lint_full["stderr"].startswith(
        "templategen lint: error: cannot write out/vmsnapshot-windows.json: No space left on device"
    )
    assert results["after_full"] == results["before_full"]
    assert (
        ro["stderr"]
        == "templategen: error: cannot write out/vmsnapshot-windows.json: Read-only file system\n"
    )
    assert results["after_ro"] == results["before_ro"] == old


# --- lint -o, rules -o, graph -o -----------------------------------------------------------------


def _report_commands(project: Path) -> dict[str, Callable[[str], list[str]]]:
    """Each command that writes a report with -o: its arguments for a given output path."""
    template = str(REPO / "examples" / "backup-vms-quickstart.json")
    commands: dict[str, Callable[[str], list[str]]] = {
        "lint": lambda out: ["lint", "--isolated", "-f", "sarif", "-o", out, template],
        "rules": lambda out: ["rules", "--format", "markdown", "-o", out],
        "graph": lambda out: ["graph", template, "-o", out],
    }
    return commands


@pytest.mark.parametrize("command", ["lint", "rules", "graph"])
def test_report_outputs_survive_faults(project: Path, command: str) -> None:
    argv = _report_commands(project)[command]
    folder = project / "reports"
    folder.mkdir()
    target = folder / "report.out"
    target.write_bytes(b"OLD REPORT\n" * 10)

    def fails(**options: object) -> subprocess.CompletedProcess[str]:
        before = snapshot(folder)
        proc = templategen(*argv(str(target)), cwd=project, **options)  # type: ignore[arg-type]
        no_crash(proc)
        assert proc.returncode == 2, proc
        assert snapshot(folder) == before, "the old report changed or a temporary file was left"
        return proc

    too_large = fails(fsize=64)
    assert f"cannot write {target}: File too large" in too_large.stderr
    target.unlink()
    target.symlink_to("/dev/full")
    full = fails()
    assert f"cannot write {target}: No space left on device" in full.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    target.unlink()
    target.mkdir()
    (target / "keep").write_text("keep", encoding="utf-8")
    fails()
    shutil.rmtree(target)
    # and when nothing goes wrong, the report is written whole, with the usual mode
    done = templategen(*argv(str(target)), cwd=project)
    assert done.returncode in (0, 1), done
    assert target.stat().st_size > 0 and stat.S_IMODE(target.stat().st_mode) & 0o644 == 0o644
    assert [p.name for p in folder.iterdir()] == ["report.out"]

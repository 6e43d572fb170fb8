"""What a person at a terminal sees: the live status line, colours, NO_COLOR, and Ctrl-C.

The terminal is a real pseudo-terminal (`pty.openpty`) standing in for sys.stdout/sys.stderr, so the
CLI's own `isatty()` checks decide; Ctrl-C is a real SIGINT sent to a real `templategen` process.
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from templategen.cli import main
from templategen.deploy.errors import EXIT_INTERRUPTED
from tests.deploy.conftest import PROXY_VARS, emulator_env
from tests.deploy.emulator import ArmEmulator, Plan

RG = "rg-backup"
SGR_COLOUR = re.compile(r"\x1b\[(3\d|9\d)m")


class Terminal:
    """A pseudo-terminal: `file` is the side a program writes to, `text()` what the terminal received."""

    def __init__(self) -> None:
        master, slave = pty.openpty()
        self._master = master
        self.file: TextIO = os.fdopen(slave, "w", encoding="utf-8")
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:  # EIO once the writing side is closed
                return
            if not data:
                return
            self._chunks.append(data)

    def text(self) -> str:
        self.file.close()
        self._reader.join(timeout=5)
        os.close(self._master)
        return b"".join(self._chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal()
    yield term
    if not term.file.closed:
        term.text()


def test_progress_on_a_terminal_is_a_live_status_line(
    deploy_env: ArmEmulator,
    files: dict[str, Path],
    terminal: Terminal,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    deploy_env.plan = Plan(running_polls=6)
    monkeypatch.setenv("TEMPLATEGEN_POLL_INTERVAL", "0.05")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys, "stderr", terminal.file)
    code = main(
        ["deploy", str(files["template"]), "-g", RG, "-n", "tty-1", "--endpoint", deploy_env.url, "--no-lint"]
    )
    screen = terminal.text()
    assert code == 0, screen
    assert screen.startswith("Deploying 'tty-1' to resource group 'rg-backup'\n")
    # The status line is rewritten in place: carriage return, erase line, elapsed time, state, counts.
    assert re.search(r"\r\x1b\[2K\d\d:\d\d  Running  0/2 resources done, running: ", screen)
    assert re.search(
        r"\r\x1b\[2K  \x1b\[32mSucceeded\x1b\[0m  "
        r"Microsoft\.RecoveryServices/vaults/rsv-backup-prod  \(\d\d:\d\d\)\n",
        screen,
    )
    assert re.search(r"\x1b\[2KDeployment 'tty-1' \x1b\[32mSucceeded\x1b\[0m after \d\d:\d\d\n$", screen)
    # Outputs still go to stdout (not the terminal here), untouched by the progress display.
    assert capsys.readouterr().out == 'Outputs:\n  retentionDays  30\n  vaultName      "rsv-backup-prod"\n'


def test_what_if_is_coloured_on_a_terminal_unless_no_color(
    deploy_env: ArmEmulator, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = [
        "deploy",
        str(files["template"]),
        "-g",
        RG,
        "--what-if",
        "--endpoint",
        deploy_env.url,
        "--no-lint",
    ]
    screens = []
    for no_color in ("", "1"):
        term = Terminal()
        monkeypatch.setattr(sys, "stdout", term.file)
        if no_color:
            monkeypatch.setenv("NO_COLOR", no_color)
        code = main(argv)
        screens.append(term.text())
        assert code == 0, screens[-1]
    coloured, plain = screens
    assert "\x1b[32m  + Microsoft.RecoveryServices/vaults/rsv-backup-prod [2023-04-01]\x1b[0m\n" in coloured
    assert "\n  + Microsoft.RecoveryServices/vaults/rsv-backup-prod [2023-04-01]\n" in plain
    assert not SGR_COLOUR.search(plain)
    assert SGR_COLOUR.sub("", coloured).replace("\x1b[0m", "") == plain


def test_ctrl_c_while_waiting_says_the_deployment_continues(
    emulator: ArmEmulator, files: dict[str, Path], ca_file: Path
) -> None:
    emulator.plan = Plan(running_polls=-1)  # never finishes
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "NO_COLOR"}
    env.update(emulator_env(emulator, ca_file))
    env["TEMPLATEGEN_POLL_INTERVAL"] = "0.05"
    argv = [sys.executable, "-m", "templategen", "deploy", str(files["template"]), "-g", RG, "-n", "slow"]
    argv += ["--endpoint", emulator.url, "--no-lint"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first == "Deploying 'slow' to resource group 'rg-backup'\n", first
        deadline = time.monotonic() + 20
        while not emulator.arm_requests("GET", "/operationstatuses/") and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert "Interrupted: templategen stopped waiting, but deployment 'slow' continues in Azure." in lines
    sub = emulator.subscription_id
    assert f"  follow it:  az deployment group show -g {RG} -n slow --subscription {sub} " in err
    assert (
        f"  portal:     https://portal.azure.com/#@/resource/subscriptions/{sub}/resourceGroups/{RG}"
        "/providers/Microsoft.Resources/deployments/slow/overview"
    ) in lines
    assert f"  stop it:    az deployment group cancel -g {RG} -n slow --subscription {sub}" in lines
    assert out == ""
    # The deployment was left running, not cancelled.
    assert emulator.deployments[(RG, "slow")]["state"] == "Running"
    assert not emulator.arm_requests("POST", "/cancel")

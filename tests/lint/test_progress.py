"""The progress bar: on a terminal, for many files, on stderr only, and gone when the run ends."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [],
}


def _lint_with_stderr_on_a_terminal(folder: Path) -> tuple[int, str, str]:
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "templategen", "lint", "--isolated", str(folder)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end is closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return done.returncode, done.stdout.decode(), b"".join(chunks).decode(errors="replace")


def test_many_files_on_a_terminal_show_a_progress_bar(tmp_path: Path) -> None:
    for i in range(25):
        (tmp_path / f"t{i:02}.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    code, out, err = _lint_with_stderr_on_a_terminal(tmp_path)
    assert code == 0
    assert "25/25 files" in err and "[####" in err
    assert err.rstrip("\r\n").endswith("\x1b[K")  # the bar is erased at the end
    assert "files" not in out.replace("in 25 files checked", "")  # the report itself has no bar


def test_few_files_show_no_progress_bar(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"t{i}.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    code, _out, err = _lint_with_stderr_on_a_terminal(tmp_path)
    assert code == 0
    assert "/3 files" not in err

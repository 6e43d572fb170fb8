"""atomic_write: the old file survives any failure; modes are kept; nothing is left behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from templategen.fileio import atomic_write
from tests.conftest import REPO


def leftovers(folder: Path, name: str) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("." + name) and p.name.endswith(".tmp")]


def test_writes_new_file_with_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    old = os.umask(0o027)
    try:
        atomic_write(target, "{}\n")
    finally:
        os.umask(old)
    assert target.read_text() == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path, "out.json") == []


def test_replaces_and_keeps_mode_bits(tmp_path: Path) -> None:
    target = tmp_path / "t.bicep"
    target.write_text("old")
    target.chmod(0o604)
    atomic_write(target, "new content")
    assert target.read_text() == "new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_str_is_utf8_and_bytes_are_verbatim(tmp_path: Path) -> None:
    target = tmp_path / "x"
    atomic_write(target, "é ✓")
    assert target.read_bytes() == "é ✓".encode()
    atomic_write(target, b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


def test_symlink_target_is_replaced_and_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_encoding_failure_touches_nothing(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "lone surrogate \udc80")
    assert target.read_text() == "old"
    assert leftovers(tmp_path, "t.json") == []


def test_old_file_intact_when_the_disk_write_fails(tmp_path: Path) -> None:
    """A real failure in the middle of writing: the process may not write more than 4 KiB
    (RLIMIT_FSIZE), the new content is 1 MiB. The write fails with EFBIG after the temporary file
    was partly written; the old file must be untouched and the temporary file gone."""
    target = tmp_path / "template.json"
    target.write_text("OLD CONTENT\n")
    script = textwrap.dedent(
        f"""
        import errno, resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from templategen.fileio import atomic_write
        try:
            atomic_write({str(target)!r}, "x" * (1024 * 1024))
        except OSError as exc:
            sys.exit(10 if exc.errno == errno.EFBIG else 11)
        sys.exit(0)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    assert proc.returncode == 10, "the write should have failed with EFBIG"
    assert target.read_text() == "OLD CONTENT\n"
    assert leftovers(tmp_path, "template.json") == []


def test_rename_failure_leaves_target_and_no_temp(tmp_path: Path) -> None:
    """The target is a non-empty directory: the final rename fails after the data was written."""
    target = tmp_path / "occupied"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    with pytest.raises(OSError):
        atomic_write(target, "data")
    assert (target / "keep.txt").read_text() == "keep"
    assert leftovers(tmp_path, "occupied") == []

"""templategen.reading: bounded reads that never block, on the file kinds a hostile tree holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from templategen.reading import FileTooLarge, read_bytes, read_head


def test_regular_files(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    assert read_bytes(str(path), 10) == b"0123456789"
    assert read_head(str(path), 4) == b"0123"
    with pytest.raises(FileTooLarge) as raised:
        read_bytes(str(path), 9)
    assert raised.value.size == 10  # refused by its size, before reading


def test_fifo_without_writer_reads_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert read_bytes(str(fifo), 100) == b""
    assert read_head(str(fifo), 100) == b""


def test_device_without_end_is_bounded() -> None:
    with pytest.raises(FileTooLarge) as raised:
        read_bytes("/dev/zero", 1000)
    assert raised.value.size is None
    assert read_head("/dev/zero", 8) == b"\0" * 8


def test_directories_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_bytes(str(tmp_path), 10)
    with pytest.raises(IsADirectoryError):
        read_head(str(tmp_path), 10)
    with pytest.raises(FileNotFoundError):
        read_bytes(str(tmp_path / "missing"), 10)

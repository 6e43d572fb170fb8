"""Reading an input file without being held hostage by it.

Two things can stop a plain `open(path).read()` from returning, or from returning something sane:

* a FIFO (named pipe): `open` blocks until another process opens it for writing, which may be
  never, and `templategen lint build/*.json` must not hang because one of them is a pipe. The file
  is opened non-blocking, then switched back to blocking reads: with no writer a FIFO reads as empty
  (end of file at once); with a writer (`... | templategen lint /dev/stdin`) it reads normally.
* a file without end or a huge one (`/dev/zero`, a 100 MB file): a regular file larger than the
  limit is refused by its size without reading a byte of it; anything else is read up to one byte
  past the limit, so memory stays bounded whatever the file is.

This module is on the start-up path of `templategen lint` and imports only `os` and `stat` (which
`os` has already loaded).
"""

from __future__ import annotations

import os
import stat

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0)


class FileTooLarge(Exception):
    """The file is larger than the limit; `size` is its size when known (regular files)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(
            f"larger than the limit ({size} bytes)" if size is not None else "larger than the limit"
        )
        self.size = size


def read_head(path: str, size: int) -> bytes:
    """The first `size` bytes of the file at `path` (fewer if it is shorter); never blocks on a FIFO."""
    fd = os.open(path, _FLAGS)
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise IsADirectoryError(21, "Is a directory", path)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.read(fd, size)
    finally:
        os.close(fd)


def read_bytes(path: str, limit: int) -> bytes:
    """The content of the file at `path`, at most `limit` bytes.

    Raises FileTooLarge beyond the limit, OSError as `open` and `read` raise it (a directory, a
    dangling link, a symlink loop, `/proc/self/mem`...).
    """
    fd = os.open(path, _FLAGS)
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(21, "Is a directory", path)
        if stat.S_ISREG(status.st_mode) and status.st_size > limit:
            raise FileTooLarge(status.st_size)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        wanted = limit + 1  # one byte more tells a file that grew past the limit while we read
        while wanted > 0:
            chunk = os.read(fd, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLarge(None)
    return data

"""Write output files so that nobody ever sees half of one.

A generated template that is truncated by a full disk or a killed process is worse than none: it may
still parse as far as a reader looks, or be committed by accident. So every file is written to a
temporary file in the *same* folder (a rename is atomic only within one file system), flushed to disk,
and then renamed over the target with `os.replace`. Until that rename, the old file is untouched;
after it, the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


def _default_mode() -> int:
    """The mode a plain `open(path, "w")` would give a new file: 0o666 minus the process umask.

    `tempfile.mkstemp` creates files readable by the owner only, which is right for the temporary
    file but wrong for a template others must read, so the final mode is set explicitly.
    """
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace the file at `path` with `data`, atomically.

    * On any failure (encoding, disk full, file size limit, permission, interrupt) the previous
      content of `path` is left exactly as it was and the temporary file is removed.
    * The mode bits of an existing file are kept; a new file gets the usual umask-based mode.
    * If `path` is a symbolic link, the file it points to is replaced and the link is kept.
    * `str` data is encoded with `encoding` (UTF-8 by default) *before* anything touches the disk.
    """
    target = os.path.realpath(os.fspath(path))
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    directory = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _default_mode()

    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)

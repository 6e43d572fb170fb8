"""Write output files so that nobody ever sees half of one, or half of a set.

A generated template that is truncated by a full disk or a killed process is worse than none: it may
still parse as far as a reader looks, or be committed by accident. So every file is written to a
temporary file in the *same* folder (a rename is atomic only within one file system), flushed to disk,
and then renamed over the target with `os.replace`. Until that rename, the old file is untouched;
after it, the new one is complete.

`generate` writes a template, its Bicep twin and their parameters file together; a template from
this run beside a parameters file from the last one is a mixed set that deploys the wrong thing.
`atomic_write_many` therefore writes *every* temporary file before it renames any: the failures that
happen while writing (disk full, file size limit, permission, an interrupt) leave all targets as they
were. Renames need no space; only a target that turns into a directory between the check and the
rename can still stop the set half way.

What is replaced: a regular file (its mode bits are kept) or a path where nothing exists yet. A
symbolic link is followed and the file it points to is replaced; the link stays. A directory is an
error (`IsADirectoryError`). Anything else, a device or a FIFO (`-o /dev/null`, `-o /dev/stdout`, a
pipe), is written in place: there is no file to protect, and renaming over a device node would
replace `/dev/null` itself with a regular file when run as root.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


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
    atomic_write_many([(path, data)], encoding=encoding)


class _Pending:
    __slots__ = ("directory", "mode", "path", "payload", "target", "temporary")

    def __init__(self, path: str, payload: bytes) -> None:
        self.path = path  # as given, for messages
        self.target = os.path.realpath(path)
        self.payload = payload
        self.directory = os.path.dirname(self.target)
        self.mode = _default_mode()
        self.temporary: str | None = None


def atomic_write_many(
    files: Sequence[tuple[str | os.PathLike[str], bytes | str]], *, encoding: str = "utf-8"
) -> None:
    """Replace every file of `files` ((path, data) pairs); a failure while writing changes none.

    Phase 1 checks each target, encodes its data and writes it to a temporary file beside it; any
    failure removes the temporary files and re-raises, every target untouched. Phase 2 renames the
    temporary files over their targets, in order. An OSError names the path (as given) it was about.
    """
    pending = [
        _Pending(os.fspath(path), data.encode(encoding) if isinstance(data, str) else bytes(data))
        for path, data in files
    ]
    current: _Pending | None = None
    try:
        for current in pending:
            _prepare(current)
        for current in pending:
            if current.temporary is not None:
                os.replace(current.temporary, current.target)
                current.temporary = None
    except BaseException as exc:
        for item in pending:
            if item.temporary is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(item.temporary)
        if isinstance(exc, OSError) and current is not None:
            raise OSError(exc.errno, exc.strerror or str(exc), current.path) from exc
        raise
    for directory in dict.fromkeys(item.directory for item in pending):
        _fsync_directory(directory)


def _prepare(item: _Pending) -> None:
    """Write `item` to its temporary file (or, for a device or FIFO, to the target itself)."""
    try:
        status = os.stat(item.target)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(21, "Is a directory", item.target)
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_in_place(item.target, item.payload)
        return
    if status is not None:
        item.mode = stat.S_IMODE(status.st_mode)
    fd, item.temporary = tempfile.mkstemp(
        prefix="." + os.path.basename(item.target) + ".", suffix=".tmp", dir=item.directory
    )
    with os.fdopen(fd, "wb") as handle:
        handle.write(item.payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(item.temporary, item.mode)


def _write_in_place(target: str, payload: bytes) -> None:
    """A device or FIFO: open without blocking (a FIFO nobody reads is an error, not a hang), write."""
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(target, os.O_WRONLY | nonblock)
    try:
        if nonblock:
            os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


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

"""Atomic file and directory writes: the only way paddlefish writes a final path.

A file is written to a temporary sibling, flushed, fsynced and renamed over the target; the
parent directory is fsynced after the rename. A multi-file save (``jit.save``'s three files) goes
through ``atomic_files``: every file is staged as a temporary sibling first, and only when all of
them are complete are they renamed into place, so a crash before the commit leaves the old files
untouched. A crash at any instant leaves no partial target file.

NOTE [file permissions]: a file we write ends with the permissions any other program's file
gets: a new file ``0666 & ~umask`` (the temporary sibling is created with mode 0666 and the
kernel applies the umask, where ``tempfile.mkstemp`` would make it 0600), and a file that
replaces an existing one keeps that file's permission bits, as ``open(path, 'wb')`` would.
Directories are created ``0777 & ~umask`` (``os.makedirs``' default).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from typing import IO

__all__ = ["atomic_files", "atomic_write", "ensure_parent", "fsync_dir"]


def ensure_parent(path: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)


def fsync_dir(dirname: str) -> None:
    try:
        fd = os.open(dirname or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_TMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_TMP_FLAGS |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _tmp_sibling(path: str) -> tuple[int, str]:
    """Create ``.<name>.<random>.tmp`` beside ``path`` (see NOTE [file permissions])."""
    d, base = os.path.split(os.path.abspath(path))
    for _ in range(100):
        tmp = os.path.join(d, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, _TMP_FLAGS, 0o666)
        except FileExistsError:
            continue
        try:
            _keep_mode(fd, path)
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        return fd, tmp
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {path!r}")


def _keep_mode(fd: int, path: str) -> None:
    """Give the temp file the permission bits of the file it will replace, if there is one."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if stat.S_ISREG(st.st_mode) and hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(st.st_mode))


@contextlib.contextmanager
def atomic_write(path: str, *, fsync: bool = True) -> Iterator[IO[bytes]]:
    """Open a temporary sibling of ``path`` for binary writing; rename it over ``path`` on success.

    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), 'sub', 'x.bin')
    >>> with atomic_write(p) as f:
    ...     _ = f.write(b'abc')
    >>> open(p, 'rb').read()
    b'abc'
    """
    path = os.fspath(path)
    ensure_parent(path)
    fd, tmp = _tmp_sibling(path)
    try:
        with os.fdopen(fd, "wb", buffering=0) as raw:
            yield raw
            if fsync:
                os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if fsync:
        fsync_dir(os.path.dirname(os.path.abspath(path)))


class _Staging:
    """Collects the files of one multi-file save; see ``atomic_files``."""

    def __init__(self, fsync: bool):
        self.fsync = fsync
        self.staged: list[tuple[str, str]] = []  # (tmp, final)

    @contextlib.contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        path = os.fspath(path)
        ensure_parent(path)
        fd, tmp = _tmp_sibling(path)
        self.staged.append((tmp, path))
        with os.fdopen(fd, "wb", buffering=0) as raw:
            yield raw
            if self.fsync:
                os.fsync(raw.fileno())

    def commit(self) -> None:
        for tmp, final in self.staged:
            os.replace(tmp, final)
        if self.fsync:
            for d in {os.path.dirname(os.path.abspath(f)) for _, f in self.staged}:
                fsync_dir(d)
        self.staged = []

    def abort(self) -> None:
        for tmp, _ in self.staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self.staged = []


@contextlib.contextmanager
def atomic_files(*, fsync: bool = True) -> Iterator[_Staging]:
    """Stage several files and commit them together.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with atomic_files() as stage:
    ...     with stage.open(os.path.join(d, 'a')) as f: _ = f.write(b'1')
    ...     with stage.open(os.path.join(d, 'b')) as f: _ = f.write(b'2')
    >>> sorted(os.listdir(d))
    ['a', 'b']
    """
    stage = _Staging(fsync)
    try:
        yield stage
    except BaseException:
        stage.abort()
        raise
    stage.commit()

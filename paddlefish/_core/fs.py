"""Atomic file and directory writes: the only way paddlefish writes a final path.

A file is written to a temporary sibling, flushed, fsynced and renamed over the target; the
parent directory is fsynced after the rename. A multi-file save (``jit.save``'s three files) goes
through ``atomic_files``: every file is staged as a temporary sibling first, and only when all of
them are complete are they renamed into place, so a crash before the commit leaves the old files
untouched. A crash at any instant leaves no partial target file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def _tmp_sibling(path: str) -> tuple[int, str]:
    d, base = os.path.split(os.path.abspath(path))
    return tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=d)


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

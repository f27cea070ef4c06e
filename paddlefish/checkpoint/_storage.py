"""Where step directories live: a local folder (committed by renaming a temporary directory) or
any fsspec filesystem (``memory://``, ``s3://``, ...; committed by writing the manifest last).

NOTE [step commit]: a step is visible to readers only once ``<step dir>/checkpoint.json`` (the
manifest: every file's size and CRC-32) exists. Locally the whole step is written into a hidden
``.step_<n>.<random>.tmp`` directory, each file durable (fsync), the manifest last, then the
directory is renamed to ``step_<n>`` and the parent fsynced; a crash leaves only a hidden temp
directory. Object stores have no rename, so the files are uploaded into ``step_<n>/`` directly
and the manifest is uploaded last (an object appears whole or not at all); a crash leaves a step
directory without a manifest, which readers ignore and the next save of that step replaces.
Deleting a step removes the manifest first, so a half-deleted step is never read either.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
import zlib
from collections.abc import Callable
from typing import IO, Any

from .._core import fs as _fs
from ._errors import CheckpointError

__all__ = ["MANIFEST", "Storage", "open_storage", "step_dirname", "step_of"]

MANIFEST = "checkpoint.json"
_STEP_RE = re.compile(r"^step_(\d+)$")
_TMP_RE = re.compile(r"^\.step_\d+\.[0-9a-f]+\.(tmp|old)$")
STALE_SECONDS = 600.0  # a temp dir this old belongs to a writer that died (see NOTE above)


def step_dirname(step: int) -> str:
    return f"step_{step}"


def step_of(name: str) -> int | None:
    m = _STEP_RE.match(name)
    return int(m.group(1)) if m else None


class _Counting:
    """A write-only stream that counts the bytes and their CRC-32 on the way through."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.size, self.crc = raw, 0, 0

    def write(self, b: Any) -> int:
        mv = memoryview(b)
        self.crc = zlib.crc32(mv, self.crc)
        self.size += mv.nbytes
        self.raw.write(mv)
        return mv.nbytes

    def flush(self) -> None:
        self.raw.flush()


Writer = Callable[[IO[bytes]], None]


class Storage:
    """The operations the manager needs; ``url(rel)`` names a place in messages."""

    root: str

    def url(self, rel: str = "") -> str:
        return self.root.rstrip("/") + ("/" + rel if rel else "")

    def list_names(self) -> list[str]:
        raise NotImplementedError

    def exists(self, rel: str) -> bool:
        raise NotImplementedError

    def read(self, rel: str) -> bytes:
        raise NotImplementedError

    def size(self, rel: str) -> int | None:
        raise NotImplementedError

    def write_step(self, step: int, files: dict[str, Writer], manifest: Callable[[dict], bytes]):
        """Write ``files`` (name -> writer) and then the manifest built from their
        ``{name: {"size", "crc32"}}``, committing the step (NOTE [step commit])."""
        raise NotImplementedError

    def remove_step(self, step: int) -> None:
        raise NotImplementedError

    def cleanup(self, newest_committed: int) -> None:
        """Remove what crashed or failed saves left behind."""


class LocalStorage(Storage):
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(os.path.expanduser(root))

    def _p(self, rel: str) -> str:
        return os.path.join(self.root, *rel.split("/"))

    def list_names(self) -> list[str]:
        try:
            return os.listdir(self.root)
        except (FileNotFoundError, NotADirectoryError):
            return []

    def exists(self, rel: str) -> bool:
        return os.path.exists(self._p(rel))

    def read(self, rel: str) -> bytes:
        with open(self._p(rel), "rb") as f:
            return f.read()

    def size(self, rel: str) -> int | None:
        try:
            return os.path.getsize(self._p(rel))
        except OSError:
            return None

    def write_step(self, step, files, manifest):
        final = self._p(step_dirname(step))
        os.makedirs(self.root, exist_ok=True)
        tmp = os.path.join(self.root, f".{step_dirname(step)}.{secrets.token_hex(4)}.tmp")
        os.mkdir(tmp)
        try:
            entries = {}
            for name, write in files.items():
                with _fs.atomic_write(os.path.join(tmp, name)) as raw:
                    counted = _Counting(raw)
                    write(counted)
                entries[name] = {"size": counted.size, "crc32": counted.crc}
            with _fs.atomic_write(os.path.join(tmp, MANIFEST)) as raw:
                raw.write(manifest(entries))
            _fs.fsync_dir(tmp)
            self._publish(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _publish(self, tmp: str, final: str) -> None:
        old = None
        if os.path.exists(final):  # re-saving a step: swap, then drop the old one
            old = tmp[: -len(".tmp")] + ".old"
            os.rename(final, old)
        os.rename(tmp, final)
        _fs.fsync_dir(self.root)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def remove_step(self, step: int) -> None:
        d = self._p(step_dirname(step))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(d, MANIFEST))
        shutil.rmtree(d, ignore_errors=True)

    def cleanup(self, newest_committed: int) -> None:
        now = time.time()
        for name in self.list_names():
            p = os.path.join(self.root, name)
            if _TMP_RE.match(name):
                with contextlib.suppress(OSError):
                    if now - os.stat(p).st_mtime >= STALE_SECONDS:
                        shutil.rmtree(p, ignore_errors=True)


class FsspecStorage(Storage):
    def __init__(self, url: str, storage_options: dict[str, Any]) -> None:
        fsspec = _import_fsspec(url)
        try:
            self.fs, path = fsspec.core.url_to_fs(url, **storage_options)
        except (ImportError, ValueError) as e:
            raise CheckpointError(
                f"CheckpointManager: cannot open {url!r} through fsspec ({e}). For s3:// install "
                "the 's3' extra: pip install 'paddlefish[s3]'"
            ) from e
        self.path = path.rstrip("/")
        self.root = url.rstrip("/")

    def _p(self, rel: str) -> str:
        return f"{self.path}/{rel}" if rel else self.path

    def list_names(self) -> list[str]:
        self.fs.invalidate_cache()
        try:
            entries = self.fs.ls(self.path, detail=False)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [e.rstrip("/").rsplit("/", 1)[-1] for e in entries]

    def exists(self, rel: str) -> bool:
        return self.fs.exists(self._p(rel))

    def read(self, rel: str) -> bytes:
        return self.fs.cat_file(self._p(rel))

    def size(self, rel: str) -> int | None:
        try:
            return int(self.fs.size(self._p(rel)))
        except (FileNotFoundError, OSError):
            return None

    def write_step(self, step, files, manifest):
        d = self._p(step_dirname(step))
        self._remove_dir(d)  # an earlier step of this number (committed or not) goes first
        entries = {}
        try:
            for name, write in files.items():
                with self.fs.open(f"{d}/{name}", "wb") as raw:
                    counted = _Counting(raw)
                    write(counted)
                entries[name] = {"size": counted.size, "crc32": counted.crc}
            self.fs.pipe_file(f"{d}/{MANIFEST}", manifest(entries))
        except BaseException:
            with contextlib.suppress(Exception):
                self._remove_dir(d)
            raise
        self.fs.invalidate_cache()

    def _remove_dir(self, d: str) -> None:
        self.fs.invalidate_cache()
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(f"{d}/{MANIFEST}")
        with contextlib.suppress(FileNotFoundError):
            if self.fs.exists(d):
                self.fs.rm(d, recursive=True)
        self.fs.invalidate_cache()

    def remove_step(self, step: int) -> None:
        self._remove_dir(self._p(step_dirname(step)))

    def cleanup(self, newest_committed: int) -> None:
        for name in self.list_names():
            s = step_of(name)
            if s is not None and s < newest_committed and not self.exists(f"{name}/{MANIFEST}"):
                with contextlib.suppress(Exception):
                    self._remove_dir(self._p(name))


def _import_fsspec(url: str) -> Any:
    # NOTE [optional fsspec]: fsspec (and s3fs for s3://) is the 's3' extra; a local directory
    # never needs it, so it is imported only when a URL asks for it.
    try:
        import fsspec
    except ImportError as e:
        raise CheckpointError(
            f"CheckpointManager: {url!r} is a URL, which needs the fsspec package; install it "
            "with pip install 'paddlefish[s3]' (fsspec and s3fs), or give a local directory"
        ) from e
    return fsspec


def open_storage(directory: Any, storage_options: dict[str, Any] | None) -> Storage:
    """A local path (or ``file://`` URL) -> ``LocalStorage``; another URL -> ``FsspecStorage``."""
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(
            f"CheckpointManager: directory must be a path or URL string, got "
            f"{type(directory).__name__}"
        )
    directory = os.fspath(directory)
    if not directory:
        raise ValueError("CheckpointManager: directory is empty; give a folder or a URL")
    directory = directory.removeprefix("file://")
    if "://" not in directory:
        if storage_options:
            raise ValueError(
                "CheckpointManager: storage_options are for fsspec URLs (s3://...), but "
                f"{directory!r} is a local directory; drop storage_options"
            )
        return LocalStorage(directory)
    return FsspecStorage(directory, dict(storage_options or {}))

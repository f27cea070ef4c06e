"""``paddle.save``: dispatch (FORMATS.md 1.1) and the writers for each branch."""

from __future__ import annotations

import functools
import glob
import os
import time
from collections.abc import Callable
from typing import IO, Any

from .. import formats, ir
from .._core import fs
from ..eager import Tensor
from ..errors import PathIsDirectoryError, UnsupportedObjectError
from ..formats import pickle_writer
from . import _convert, _safetensors
from ._configs import SaveConfig

__all__ = [
    "STALE_TMP_SECONDS",
    "check_target",
    "prepare",
    "remove_stale_tmp",
    "save_to",
    "write_to",
]

# NOTE [stale temp files]: atomic writes stage into ``.<name>.XXXX.tmp`` siblings. A process
# killed mid-write leaves one behind (the target itself is never partial). A later save of the
# same path deletes such siblings once they have not been modified for this long, so a
# concurrent writer still busy with its own temp file is left alone.
STALE_TMP_SECONDS = 600.0


def remove_stale_tmp(path: str, max_age: float = STALE_TMP_SECONDS) -> list[str]:
    """Delete abandoned temp siblings of ``path`` (see NOTE [stale temp files])."""
    d, base = os.path.split(os.path.abspath(path))
    removed = []
    now = time.time()
    for tmp in glob.glob(os.path.join(glob.escape(d), f".{glob.escape(base)}.*.tmp")):
        try:
            if now - os.stat(tmp).st_mtime >= max_age:
                os.unlink(tmp)
                removed.append(tmp)
        except FileNotFoundError:
            continue
    return removed


def prepare(obj: Any, cfg: SaveConfig) -> Callable[[IO[bytes]], None]:
    """Encode ``obj`` (raising on anything unsavable) and return the function that writes it.

    Encoding happens before any file is opened, so a refused object never leaves a temp file.
    """
    if cfg.use_binary_format:
        return functools.partial(_write_binary, obj)
    if isinstance(obj, ir.Program):
        return functools.partial(formats.write_program_desc, obj)
    if _convert.is_state_dict(obj):
        if cfg.safetensors:
            return functools.partial(_safetensors.write, obj)
        encoded = _convert.encode_state_dict(obj, cfg.protocol)
    elif cfg.safetensors:
        raise ValueError(
            "paddle.save(..., safetensors=True) needs a state dict {name: Tensor}; got "
            f"{type(obj).__name__}. Save other objects without safetensors=True"
        )
    else:
        encoded = _convert.encode_generic(obj)
    pickle_writer.check(encoded)
    return lambda f: formats.write_pdparams(encoded, f, cfg.protocol)


def _write_binary(obj: Any, f: IO[bytes]) -> None:
    if isinstance(obj, formats.SelectedRows):
        return formats.write_selected_rows(obj, f)
    if not isinstance(obj, Tensor):
        raise UnsupportedObjectError(  # Paddle: NotImplementedError
            "paddle.save(..., use_binary_format=True) saves a single Tensor (or SelectedRows) as "
            f"a DenseTensor stream; got {type(obj).__name__}. Drop use_binary_format for other "
            "objects"
        )
    arr = _convert.tensor_to_ndarray(obj)
    formats.write_lod_tensor(arr, f, dtype=obj.dtype)


def _check_path(path: str) -> str:
    msg = (
        f"paddle.save: the path {path!r} must be a file name like 'dirname/filename', not a "
        "directory"
    )
    if not path or path.endswith(("/", os.sep)):
        raise ValueError(msg)
    if os.path.isdir(path):
        raise PathIsDirectoryError(msg)  # see NOTE [Paddle exception types] in errors.py
    return path


def check_target(path: Any) -> Any:
    """The checked target of a save: a file name (str) or a writable binary stream."""
    if isinstance(path, (str, os.PathLike)):
        return _check_path(os.fspath(path))
    if not hasattr(path, "write"):
        raise ValueError(
            f"paddle.save: path must be a str, os.PathLike or a binary file object (io.BytesIO), "
            f"got {type(path).__name__}"
        )
    return path


def write_to(write: Callable[[IO[bytes]], None], target: Any) -> None:
    """Run ``prepare``'s writer on a checked target: atomically for a file name (parents
    created, stale temp siblings removed), at the current position of a stream."""
    if isinstance(target, str):
        with fs.atomic_write(target) as f:
            write(f)
        remove_stale_tmp(target)
    else:
        write(target)


def save_to(obj: Any, path: Any, cfg: SaveConfig) -> None:
    """Write ``obj`` to a path (atomically, parents created) or to a binary stream."""
    target = check_target(path)
    write_to(prepare(obj, cfg), target)

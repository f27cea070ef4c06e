"""``paddle.load`` of a single file or stream (FORMATS.md 1.7 A), dispatched by ``formats.sniff``."""

from __future__ import annotations

import io
import os
import warnings
from typing import IO, Any

import numpy as np

from .. import formats
from ..errors import EmptyInputError, FormatError
from ..formats import lod_tensor, pdparams
from ..formats.sniff import HEAD_SIZE, describe, sniff
from . import _convert, _safetensors
from ._configs import LoadConfig

__all__ = ["load_file", "load_stream"]

_PICKLE_SUFFIXES = (".pdparams", ".pdopt", ".pdtensor")


def _head(f: IO[bytes]) -> bytes:
    pos = f.tell()
    head = f.read(HEAD_SIZE)
    f.seek(pos)
    return head


def _wrong_kind(name: str, expected: str, kind: str, hint: str = "") -> FormatError:
    return FormatError(
        f"paddle.load: {name}: expected {expected}, but the file is {describe(kind)}{hint}"
    )


def _from_pickle(obj: Any, cfg: LoadConfig) -> Any:
    """1.7 A steps 3-4 on an unpickled (and un-split) object."""
    obj, table = formats.pop_name_table(obj, keep=cfg.keep_name_table)
    if table is not None:
        return _name_tensors(obj, table, cfg.return_numpy)
    if formats.contains_named_array(obj):
        return _convert.named_arrays_to_tensors(obj, cfg.return_numpy)
    return _convert.arrays_to_tensors(obj, cfg.return_numpy)


def _name_tensors(d: dict, table: dict, return_numpy: bool) -> dict:
    if return_numpy:
        return d
    out = type(d)(d)
    for key, name in table.items():
        value = d.get(key)
        if isinstance(value, np.ndarray):
            out[key] = _convert.ndarray_to_tensor(value, name)
    return out


def _first_tensor(f: IO[bytes], name: str, return_numpy: bool, stream: bool) -> Any:
    r = lod_tensor.StreamReader(f, name)
    arr, _ = lod_tensor.read_stream(r)
    if not stream and not r.at_eof():
        warnings.warn(
            f"paddle.load: {name} holds more than one DenseTensor (a combined .pdiparams file?); "
            "only the first is returned, as in Paddle. Load the whole model with "
            "paddle.load(prefix) or paddle.jit.load",
            stacklevel=4,
        )
    return arr if return_numpy else _convert.ndarray_to_tensor(arr)


def _selected_rows(f: IO[bytes], name: str, return_numpy: bool) -> Any:
    sr = formats.read_selected_rows(f, name=name)
    if return_numpy:
        return sr
    return sr._replace(value=_convert.ndarray_to_tensor(sr.value))


def _dispatch(
    f: IO[bytes], name: str, kind: str, cfg: LoadConfig, mmap_path: str | None, stream: bool
) -> Any:
    if cfg.safetensors or kind == "safetensors":
        if kind != "safetensors":
            raise _wrong_kind(name, "a safetensors file (safetensors=True)", kind)
        if not cfg.safetensors:
            raise _wrong_kind(name, "a Paddle pickle", kind, "; pass safetensors=True to load it")
        return _safetensors.read(f if stream else mmap_path or f, cfg.return_numpy, name=name)
    if kind == "pickle":
        return _from_pickle(_read_pickle(f, cfg, mmap_path), cfg)
    if kind == "lod_tensor":
        return _first_tensor(f, name, cfg.return_numpy, stream)
    if kind == "selected_rows":
        return _selected_rows(f, name, cfg.return_numpy)
    if kind == "program_desc" and not name.endswith(_PICKLE_SUFFIXES):
        return formats.read_program_desc(f, name=name)
    raise _wrong_kind(
        name,
        "a paddle.save file (pickle, DenseTensor or SelectedRows stream, or ProgramDesc)",
        kind,
        _hint(kind),
    )


def _read_pickle(f: IO[bytes], cfg: LoadConfig, mmap_path: str | None) -> Any:
    """One pickle from ``f``'s position; ``f`` is left just after it (NOTE [stream end] in
    formats/safe_pickle.py), also when the data is memory-mapped from ``mmap_path``."""
    if cfg.mmap and mmap_path is not None:
        obj, end = pdparams.load_pdparams_at(
            mmap_path, f.tell(), mmap=True, trusted_globals=cfg.trusted_globals
        )
        f.seek(end)
        return obj
    return formats.load_pdparams(f, trusted_globals=cfg.trusted_globals)


def _hint(kind: str) -> str:
    return {
        "program_desc": "; a .pdmodel is loaded with paddle.jit.load or paddle.load(prefix)",
        "pir_json": "; PIR programs are loaded with paddle.jit.load",
        "zip": "; torch.save files are loaded with torch.load",
        "onnx": "; ONNX models cannot be loaded by paddle.load",
        "empty": "; the save was probably interrupted or the file was truncated",
    }.get(kind, "")


def _nothing_to_read(name: str, f: IO[bytes], stream: bool) -> EmptyInputError:
    if stream:
        return EmptyInputError(
            f"paddle.load: nothing left to read in {name} at byte {f.tell()}: the stream is "
            "empty or every object saved into it was already loaded (paddle.load reads one "
            "object per call; seek(0) to read from the start)"
        )
    return EmptyInputError(
        f"paddle.load: {name}: expected a paddle.save file, but it is an empty file; the save "
        "was probably interrupted or the file was truncated. Save it again"
    )


def load_file(path: str, cfg: LoadConfig) -> Any:
    """1.7 A for an existing file."""
    with open(path, "rb") as f:
        kind = sniff(_head(f))
        if kind == "empty":
            raise _nothing_to_read(path, f, stream=False)
        return _dispatch(f, path, kind, cfg, path, stream=False)


def _mmap_source(f: IO[bytes], cfg: LoadConfig) -> str | None:
    """The path to memory-map for an open file handle, if ``mmap=True`` and it is one."""
    name = getattr(f, "name", None)
    if not cfg.mmap or not isinstance(name, str) or not hasattr(f, "fileno"):
        return None
    try:
        here, there = os.fstat(f.fileno()), os.stat(name)
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    if (here.st_dev, here.st_ino) != (there.st_dev, there.st_ino):
        return None  # the name no longer leads to this file (renamed, or a relative name)
    if getattr(f, "writable", lambda: False)():
        f.flush()
    return name


def load_stream(f: IO[bytes], cfg: LoadConfig) -> Any:
    """1.7 A for a binary stream (io.BytesIO or an open file): one object from the current
    position; the stream is left just after it, or where it was if loading fails (see NOTE
    [stream end] in formats/safe_pickle.py). A stream that cannot seek is read to its end.

    Paddle reads a ``use_binary_format`` tensor by reading the stream to its end; we stop after
    the tensor, so objects saved after it still load (the first load returns the same tensor).
    """
    name = formats.safe_pickle.file_name(f, None)
    if not f.seekable():
        f = io.BytesIO(f.read())
    start = f.tell()
    try:
        kind = sniff(_head(f))
        if kind == "empty":
            raise _nothing_to_read(name, f, stream=True)
        return _dispatch(f, name, kind, cfg, _mmap_source(f, cfg), stream=True)
    except BaseException:
        f.seek(start)
        raise

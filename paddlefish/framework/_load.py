"""``paddle.load`` of a single file or stream (FORMATS.md 1.7 A), dispatched by ``formats.sniff``."""

from __future__ import annotations

import io
import os
import warnings
from typing import IO, Any

import numpy as np

from .. import formats
from ..errors import FormatError
from ..formats import lod_tensor
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


def _first_tensor(f: IO[bytes], name: str, return_numpy: bool) -> Any:
    r = lod_tensor.StreamReader(f, name)
    arr, _ = lod_tensor.read_stream(r)
    if not r.at_eof():
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


def _dispatch(f: IO[bytes], name: str, kind: str, cfg: LoadConfig, mmap_path: str | None) -> Any:
    if cfg.safetensors or kind == "safetensors":
        if kind != "safetensors":
            raise _wrong_kind(name, "a safetensors file (safetensors=True)", kind)
        if not cfg.safetensors:
            raise _wrong_kind(name, "a Paddle pickle", kind, "; pass safetensors=True to load it")
        return _safetensors.read(mmap_path or f, cfg.return_numpy)
    if kind == "pickle":
        src = mmap_path if (cfg.mmap and mmap_path) else f
        obj = formats.load_pdparams(
            src, mmap=cfg.mmap and mmap_path is not None, trusted_globals=cfg.trusted_globals
        )
        return _from_pickle(obj, cfg)
    if kind == "lod_tensor":
        return _first_tensor(f, name, cfg.return_numpy)
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


def _hint(kind: str) -> str:
    return {
        "program_desc": "; a .pdmodel is loaded with paddle.jit.load or paddle.load(prefix)",
        "pir_json": "; PIR programs are loaded with paddle.jit.load",
        "zip": "; torch.save files are loaded with torch.load",
        "onnx": "; ONNX models cannot be loaded by paddle.load",
        "empty": "; the save was probably interrupted or the file was truncated",
    }.get(kind, "")


def load_file(path: str, cfg: LoadConfig) -> Any:
    """1.7 A for an existing file."""
    with open(path, "rb") as f:
        kind = sniff(_head(f))
        return _dispatch(f, path, kind, cfg, path)


def load_stream(f: IO[bytes], cfg: LoadConfig) -> Any:
    """1.7 A for a binary stream (io.BytesIO or an open file)."""
    name = formats.safe_pickle.file_name(f, None)
    if not f.seekable():
        f = io.BytesIO(f.read())
    kind = sniff(_head(f))
    mmap_path = (
        os.fspath(f.name) if cfg.mmap and isinstance(getattr(f, "name", None), str) else None
    )
    if mmap_path is not None and f.tell() != 0:
        mmap_path = None
    return _dispatch(f, name, kind, cfg, mmap_path)

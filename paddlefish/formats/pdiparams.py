"""Combined parameter files (``.pdiparams``, FORMATS.md 3.2) and per-variable dirs (7.2/7.3).

NOTE [pdiparams name table]: a combined file is DenseTensor streams concatenated with nothing in
between and **no names**. Paddle writes them in Python ``sorted()`` order of the variable names
(``linear_0, linear_1, linear_10, linear_2``); a reader must get the names from the program and
sort them the same way. A per-variable directory holds one stream per file, the file name being
the variable name (a ``/`` in the name makes sub-folders).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO

import numpy as np

from .. import ir
from .._core import fs
from ..errors import FormatError
from .lod_tensor import (
    StreamReader,
    as_le_contiguous,
    load_lod_tensor,
    looks_like_lod_tensor,
    read_stream,
    resolve_dtype,
    write_lod_tensor,
)

__all__ = [
    "load_pdiparams",
    "load_vars_dir",
    "persistable_names",
    "read_pdiparams",
    "save_pdiparams",
    "save_vars_dir",
    "write_pdiparams",
]


_NOT_SAVED = {ir.VarType.FEED_MINIBATCH, ir.VarType.FETCH_LIST, ir.VarType.READER, ir.VarType.RAW}


def persistable_names(program: ir.Program) -> list[str]:
    """The variables a combined params file of ``program`` holds, in file order (sorted).

    All persistable variables of all blocks except feed/fetch lists, readers and RAW ones; see
    NOTE [pdiparams name table].
    """
    names = {
        v.name
        for b in program.blocks
        for v in b.vars.values()
        if v.persistable and v.type not in _NOT_SAVED
    }
    return sorted(names)


def _checked(arrays: Mapping[str, np.ndarray], dtypes: Mapping | None) -> dict:
    """Validate every array before the first byte is written; returns name -> (arr, dtype)."""
    out = {}
    for name in sorted(arrays):
        arr = np.asarray(arrays[name])
        dt = resolve_dtype(arr, (dtypes or {}).get(name), where=f"variable {name!r}")
        out[name] = (as_le_contiguous(arr), dt)
    return out


def write_pdiparams(
    arrays: Mapping[str, np.ndarray], f: IO[bytes], dtypes: Mapping | None = None
) -> None:
    """Write a combined file: the arrays' streams in ``sorted()`` name order.

    ``dtypes`` maps a name to its dtype where the array's own dtype is not it (bfloat16 bits held
    in uint16). See NOTE [pdiparams name table].

    >>> import io; buf = io.BytesIO()
    >>> write_pdiparams({'b': np.zeros(3, 'float32'), 'a': np.ones(1, 'int64')}, buf)
    >>> sorted(read_pdiparams(io.BytesIO(buf.getvalue()), ['b', 'a']).items())[0]
    ('a', array([1]))
    """
    for arr, dt in _checked(arrays, dtypes).values():
        write_lod_tensor(arr, f, dtype=dt)


def read_pdiparams(
    f: IO[bytes], names: Iterable[str], *, name: str | None = None
) -> dict[str, np.ndarray]:
    """Read a combined file whose variables are ``names`` (any order; they are sorted here).

    Returns ``{name: array}`` in sorted order. The file must hold exactly ``len(names)`` streams.
    """
    names = sorted(set(names))
    r = StreamReader(f, name)
    out: dict[str, np.ndarray] = {}
    for i, var in enumerate(names):
        start = r.pos
        if r.at_eof():
            raise FormatError(
                f"{r.name}: the file ends at byte {start} after {i} tensors, but the program "
                f"names {len(names)} persistable variables; {var!r} (sorted position {i}) and "
                f"the {len(names) - i - 1} after it are missing. Is this the params file of a "
                f"different model?"
            )
        try:
            arr, _ = read_stream(r)
        except FormatError as e:
            raise FormatError(
                f"variable {var!r} (sorted position {i}, offset {start}): {e}"
            ) from None
        out[var] = arr
    if not r.at_eof():
        raise FormatError(
            f"{r.name}: {len(names)} variables were read (ending at byte {r.pos}) but "
            f"{r.remaining() if r.remaining() is not None else 'more'} bytes remain: the file "
            f"holds more tensors than the program's persistable variables {names[:5]}..."
        )
    return out


def save_pdiparams(
    arrays: Mapping[str, np.ndarray], path: str | os.PathLike, dtypes: Mapping | None = None
) -> None:
    """Atomically write a combined ``.pdiparams`` file."""
    checked = _checked(arrays, dtypes)
    with fs.atomic_write(os.fspath(path)) as f:
        for arr, dt in checked.values():
            write_lod_tensor(arr, f, dtype=dt)


def load_pdiparams(path: str | os.PathLike, names: Iterable[str]) -> dict[str, np.ndarray]:
    """Read a combined ``.pdiparams`` file given the program's persistable variable names."""
    with open(path, "rb") as f:
        return read_pdiparams(f, names, name=os.fspath(path))


def _var_path(dirname: str, var: str) -> str:
    parts = var.split("/")
    if not var or var.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise FormatError(
            f"variable name {var!r} cannot be a file name under {dirname!r}: empty, absolute or "
            f"'.'/'..' path segments are refused"
        )
    return os.path.join(dirname, *parts)


def save_vars_dir(
    arrays: Mapping[str, np.ndarray], dirname: str | os.PathLike, dtypes: Mapping | None = None
) -> None:
    """Write one DenseTensor file per variable, ``dirname/<name>``; all files commit together."""
    dirname = os.fspath(dirname)
    checked = _checked(arrays, dtypes)
    paths = {var: _var_path(dirname, var) for var in checked}
    with fs.atomic_files() as stage:
        for var, (arr, dt) in checked.items():
            with stage.open(paths[var]) as f:
                write_lod_tensor(arr, f, dtype=dt)


def load_vars_dir(
    dirname: str | os.PathLike, names: Iterable[str] | None = None
) -> dict[str, np.ndarray]:
    """Read per-variable files. ``names=None``: every file under ``dirname`` that looks like a
    DenseTensor stream, keyed by its relative path with ``/`` separators (as ``paddle.load(dir)``).
    """
    dirname = os.fspath(dirname)
    if names is None:
        names = _scan_tensor_files(dirname)
    out = {}
    for var in sorted(names):
        path = _var_path(dirname, var)
        if not os.path.isfile(path):
            raise FormatError(
                f"{dirname}: no file for variable {var!r} (expected {path}); per-variable "
                f"directories hold one file per persistable variable, named by the variable"
            )
        out[var] = load_lod_tensor(path)[0]
    return out


def _scan_tensor_files(dirname: str) -> list[str]:
    found = []
    for root, _, files in os.walk(dirname):
        for fn in files:
            path = os.path.join(root, fn)
            with open(path, "rb") as f:
                if looks_like_lod_tensor(f.read(32)):
                    found.append(os.path.relpath(path, dirname).replace(os.sep, "/"))
    return found

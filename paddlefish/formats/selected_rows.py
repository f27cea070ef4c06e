"""The SelectedRows stream (FORMATS.md 3.3): sparse rows of a ``[height, ...]`` tensor.

``u32 version 0 | u64 R | R x i64 row ids | i64 height`` followed by a DenseTensor stream
**without** its LoD part (``u32 0 | i32 desc length | TensorDesc | data``).
"""

from __future__ import annotations

import os
import struct
from typing import IO, NamedTuple

import numpy as np

from .._core import fs
from ..errors import FormatError
from .lod_tensor import (
    StreamReader,
    as_le_contiguous,
    read_tensor_body,
    resolve_dtype,
    write_all,
    write_tensor_body,
)

__all__ = [
    "SelectedRows",
    "load_selected_rows",
    "read_selected_rows",
    "save_selected_rows",
    "write_selected_rows",
]


class SelectedRows(NamedTuple):
    """Rows ``rows`` (int64 ids) of a ``[height, ...]`` tensor whose values are ``value``."""

    rows: np.ndarray
    height: int
    value: np.ndarray


def read_selected_rows(f: IO[bytes], *, name: str | None = None) -> SelectedRows:
    """Read one SelectedRows stream.

    >>> import io; buf = io.BytesIO()
    >>> write_selected_rows(SelectedRows([0, 4], 10, np.ones((2, 2), 'float32')), buf)
    >>> _ = buf.seek(0); read_selected_rows(buf).height
    10
    """
    r = StreamReader(f, name)
    (version,) = r.unpack("<I", "the SelectedRows version")
    if version != 0:
        raise FormatError(f"{r.name}: SelectedRows version is {version}, expected 0")
    (count,) = r.unpack("<Q", "the row count")
    r.check_size(count * 8, f"{count} row ids")
    rows = np.empty(count, "<i8")
    r.readinto(rows, f"{count} row ids")
    (height,) = r.unpack("<q", "the height")
    value = read_tensor_body(r)
    if value.ndim == 0 or value.shape[0] != count:
        raise FormatError(
            f"{r.name}: SelectedRows has {count} row ids but its value tensor has shape "
            f"{list(value.shape)}; the first dim must equal the row count"
        )
    return SelectedRows(rows, int(height), value)


def write_selected_rows(sr: SelectedRows, f: IO[bytes], *, dtype=None) -> None:
    """Write ``sr`` as one SelectedRows stream (``dtype`` as in ``write_lod_tensor``)."""
    rows = np.asarray(sr.rows, dtype="<i8").reshape(-1)
    value = np.asarray(sr.value)
    if value.ndim == 0 or value.shape[0] != len(rows):
        raise FormatError(
            f"SelectedRows value shape {list(value.shape)} does not match {len(rows)} row ids; "
            f"the value's first dim must be the row count"
        )
    dt = resolve_dtype(value, dtype, where="SelectedRows value")
    write_all(f, struct.pack("<IQ", 0, len(rows)) + rows.tobytes() + struct.pack("<q", sr.height))
    write_tensor_body(as_le_contiguous(value), dt, f)


def load_selected_rows(path: str | os.PathLike) -> SelectedRows:
    with open(path, "rb") as f:
        return read_selected_rows(f, name=os.fspath(path))


def save_selected_rows(sr: SelectedRows, path: str | os.PathLike, *, dtype=None) -> None:
    with fs.atomic_write(os.fspath(path)) as f:
        write_selected_rows(sr, f, dtype=dtype)

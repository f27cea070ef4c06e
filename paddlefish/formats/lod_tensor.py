"""The DenseTensor ("LoDTensor") binary stream (FORMATS.md section 3.1).

One stream is ``u32 version 0 | u64 L | L x (u64 nbytes, offsets) | u32 tensor version 0 |
i32 desc length | TensorDesc protobuf | raw C-order data``. It carries no name, no alignment and
no padding. It is the unit of ``.pdiparams`` (concatenated), of per-variable files and of
``paddle.save(..., use_binary_format=True)``.

Reading goes straight into a preallocated numpy array with ``readinto`` and every declared size is
checked against what the file still holds before anything is allocated, so a damaged or hostile
header yields ``FormatError`` instead of a huge allocation. Writing never copies a contiguous
little-endian array: its buffer goes to ``f.write`` as a memoryview.
"""

from __future__ import annotations

import io
import os
import struct
from typing import IO

import numpy as np

from .._core import fs
from .._core.dtypes import DType, convert_dtype, from_numpy, from_vartype
from ..errors import FormatError

__all__ = [
    "load_lod_tensor",
    "looks_like_lod_tensor",
    "read_lod_tensor",
    "save_lod_tensor",
    "tensor_desc_bytes",
    "write_lod_tensor",
]

Lod = list[list[int]]

_MAX_LOD_LEVELS = 64  # Paddle programs use 0-2; more is a damaged header, not a real tensor
_MAX_DESC_BYTES = 1 << 16  # a TensorDesc is a dtype and <= ~100 dims, a few hundred bytes at most
_MAX_DIMS = 1024


# ----------------------------------------------------------------------------------------------
# stream helpers


class StreamReader:
    """Exact reads from a binary stream with offsets, remaining-size checks and named errors."""

    def __init__(self, f: IO[bytes], name: str | None = None):
        self.f = f
        self.name = name or getattr(f, "name", None) or "<stream>"
        try:
            self.start = f.tell()
            end = f.seek(0, os.SEEK_END)
            f.seek(self.start)
            self.end: int | None = end
        except (OSError, AttributeError, io.UnsupportedOperation):
            self.start, self.end = 0, None
        self.pos = self.start

    def remaining(self) -> int | None:
        return None if self.end is None else self.end - self.pos

    def fail(self, what: str, expected: int, found: int) -> FormatError:
        return FormatError(
            f"{self.name}: truncated or damaged DenseTensor stream at byte {self.pos}: {what} "
            f"needs {expected} bytes but only {found} remain; the file was cut short or is not a "
            f"Paddle tensor file"
        )

    def check_size(self, nbytes: int, what: str) -> None:
        rem = self.remaining()
        if nbytes < 0 or (rem is not None and nbytes > rem):
            raise self.fail(what, nbytes, rem if rem is not None else 0)

    def read(self, n: int, what: str) -> bytes:
        self.check_size(n, what)
        data = self.f.read(n)
        if len(data) != n:
            raise self.fail(what, n, len(data))
        self.pos += n
        return data

    def unpack(self, fmt: str, what: str):
        return struct.unpack(fmt, self.read(struct.calcsize(fmt), what))

    def readinto(self, arr: np.ndarray, what: str) -> None:
        nbytes = arr.nbytes
        self.check_size(nbytes, what)
        if nbytes == 0:
            return
        view = memoryview(arr.reshape(-1).view(np.uint8))
        got = 0
        readinto = getattr(self.f, "readinto", None)
        while got < nbytes:
            if readinto is not None:
                n = readinto(view[got:])
            else:
                chunk = self.f.read(nbytes - got)
                n = len(chunk)
                view[got : got + n] = chunk
            if not n:
                break
            got += n
        self.pos += got
        if got != nbytes:
            raise self.fail(what, nbytes, got)

    def at_eof(self) -> bool:
        if self.end is not None:
            return self.pos >= self.end
        return self.f.read(1) == b""


def write_all(f: IO[bytes], data) -> None:
    """``f.write`` until everything is written (raw unbuffered files may write partially)."""
    view = memoryview(data).cast("B") if not isinstance(data, bytes) else memoryview(data)
    while len(view):
        n = f.write(view)
        if n is None:  # non-blocking raw stream with nothing written; never for regular files
            continue
        view = view[n:]


# ----------------------------------------------------------------------------------------------
# TensorDesc: a two-field protobuf, coded by hand so the hot path needs no protobuf runtime


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 -> 10-byte two's complement varint, as protobuf does
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(buf: bytes, pos: int, where: str) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise FormatError(f"{where}: malformed varint in the TensorDesc at byte {pos}")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def _signed64(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def tensor_desc_bytes(dtype: DType, dims) -> bytes:
    """The ``VarType.TensorDesc`` bytes Paddle writes: dtype, then one unpacked tag per dim.

    >>> tensor_desc_bytes(convert_dtype('float32'), [0, 3]).hex()
    '080510001003'
    """
    parts = [b"\x08", _varint(dtype.vartype)]
    for d in dims:
        parts += [b"\x10", _varint(int(d))]
    return b"".join(parts)


def parse_tensor_desc(buf: bytes, where: str) -> tuple[DType, list[int]]:
    """Decode a TensorDesc; accepts packed or unpacked dims."""
    pos, data_type, dims = 0, None, []
    while pos < len(buf):
        key, pos = _read_varint(buf, pos, where)
        field, wire = key >> 3, key & 7
        if field == 1 and wire == 0:
            data_type, pos = _read_varint(buf, pos, where)
        elif field == 2 and wire == 0:
            v, pos = _read_varint(buf, pos, where)
            dims.append(_signed64(v))
        elif field == 2 and wire == 2:
            n, pos = _read_varint(buf, pos, where)
            end = pos + n
            if end > len(buf):
                raise FormatError(f"{where}: packed dims overrun the TensorDesc")
            while pos < end:
                v, pos = _read_varint(buf, pos, where)
                dims.append(_signed64(v))
        else:
            raise FormatError(
                f"{where}: unexpected field {field} (wire type {wire}) in the TensorDesc; "
                f"expected only data_type (1) and dims (2)"
            )
        if len(dims) > _MAX_DIMS:
            raise FormatError(f"{where}: TensorDesc declares more than {_MAX_DIMS} dims")
    if data_type is None:
        raise FormatError(f"{where}: TensorDesc has no data_type (required field 1)")
    try:
        dtype = from_vartype(data_type)
    except ValueError as e:
        raise FormatError(f"{where}: {e}") from None
    if any(d < 0 for d in dims):
        raise FormatError(f"{where}: stored tensor has negative dims {dims}")
    return dtype, dims


# ----------------------------------------------------------------------------------------------
# reading


# offsets of one LoD level; real ones are a few entries per sequence
_MAX_LOD_BYTES = 1 << 31


def _read_lod(r: StreamReader) -> Lod:
    (version,) = r.unpack("<I", "the stream version")
    if version != 0:
        raise FormatError(
            f"{r.name}: DenseTensor stream version is {version} at byte {r.pos - 4}, expected 0; "
            f"this is not a Paddle tensor file (or the stream is misaligned)"
        )
    (levels,) = r.unpack("<Q", "the LoD level count")
    if levels > _MAX_LOD_LEVELS:
        raise FormatError(
            f"{r.name}: DenseTensor declares {levels} LoD levels (at most {_MAX_LOD_LEVELS} are "
            f"plausible); the header is damaged"
        )
    lod = []
    for i in range(levels):
        (nbytes,) = r.unpack("<Q", f"LoD level {i} size")
        if nbytes % 8:
            raise FormatError(f"{r.name}: LoD level {i} byte size {nbytes} is not a multiple of 8")
        if nbytes > _MAX_LOD_BYTES:
            raise FormatError(
                f"{r.name}: LoD level {i} declares {nbytes} bytes of offsets (more than "
                f"{_MAX_LOD_BYTES}); the header is damaged"
            )
        r.check_size(nbytes, f"LoD level {i}")  # before allocating: absurd sizes never allocate
        level = np.empty(nbytes // 8, dtype="<u8")
        r.readinto(level, f"LoD level {i}")
        lod.append([int(v) for v in level])
    return lod


def read_tensor_body(r: StreamReader) -> np.ndarray:
    """The part after the LoD: tensor version, TensorDesc, data (also SelectedRows' value)."""
    (version,) = r.unpack("<I", "the tensor version")
    if version != 0:
        raise FormatError(f"{r.name}: tensor version is {version} at byte {r.pos - 4}, expected 0")
    (desc_len,) = r.unpack("<i", "the TensorDesc length")
    if not 0 < desc_len <= _MAX_DESC_BYTES:
        raise FormatError(
            f"{r.name}: TensorDesc length {desc_len} at byte {r.pos - 4} is implausible "
            f"(expected 1..{_MAX_DESC_BYTES}); the header is damaged"
        )
    desc = r.read(desc_len, "the TensorDesc")
    dtype, dims = parse_tensor_desc(desc, f"{r.name} at byte {r.pos - desc_len}")
    numel = 1
    for d in dims:
        numel *= d
    r.check_size(numel * dtype.itemsize, f"the data of a {dtype.name} tensor of shape {dims}")
    arr = np.empty(dims, dtype=dtype.np_dtype)
    r.readinto(arr, f"the data of a {dtype.name} tensor of shape {dims}")
    return arr


def read_lod_tensor(f: IO[bytes], *, name: str | None = None) -> tuple[np.ndarray, Lod]:
    """Read one DenseTensor stream from ``f``; return ``(array, lod)``.

    bfloat16 data comes back as a uint16 array (see NOTE [bfloat16 as uint16] in _core/dtypes).

    >>> buf = io.BytesIO(); write_lod_tensor(np.ones(2, 'float32'), buf); _ = buf.seek(0)
    >>> read_lod_tensor(buf)
    (array([1., 1.], dtype=float32), [])
    """
    return read_stream(StreamReader(f, name))


def read_stream(r: StreamReader) -> tuple[np.ndarray, Lod]:
    """One full DenseTensor stream from a ``StreamReader`` (combined files share one reader)."""
    lod = _read_lod(r)
    return read_tensor_body(r), lod


def load_lod_tensor(path: str | os.PathLike) -> tuple[np.ndarray, Lod]:
    """Read a file that holds exactly one DenseTensor stream (a per-variable file)."""
    with open(path, "rb") as f:
        r = StreamReader(f, os.fspath(path))
        lod = _read_lod(r)
        arr = read_tensor_body(r)
        if not r.at_eof():
            raise FormatError(
                f"{os.fspath(path)}: {r.remaining()} bytes follow the tensor; expected exactly one "
                f"DenseTensor stream (a combined .pdiparams file needs read_pdiparams with names)"
            )
    return arr, lod


# ----------------------------------------------------------------------------------------------
# writing


def resolve_dtype(arr: np.ndarray, dtype=None, where: str = "array") -> DType:
    """The DType to write ``arr`` as; ``dtype`` must agree with the array's storage dtype."""
    if dtype is None:
        try:
            return from_numpy(arr.dtype)
        except TypeError as e:
            raise FormatError(f"{where}: {e}") from None
    dt = convert_dtype(dtype)
    stored = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    if stored != dt.np_dtype:
        raise FormatError(
            f"{where}: array dtype {arr.dtype} does not store {dt.name} (storage dtype "
            f"{dt.np_dtype}); convert it first, e.g. arr.astype('{dt.np_dtype}')"
        )
    return dt


def as_le_contiguous(arr: np.ndarray) -> np.ndarray:
    """``arr`` C-contiguous and little-endian; no copy when it already is."""
    if not arr.flags.c_contiguous:  # (np.ascontiguousarray would turn 0-D into 1-D)
        arr = arr.copy(order="C")
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr


def write_tensor_body(arr: np.ndarray, dt: DType, f: IO[bytes]) -> None:
    desc = tensor_desc_bytes(dt, arr.shape)
    write_all(f, struct.pack("<Ii", 0, len(desc)) + desc)
    if arr.size:
        write_all(f, memoryview(arr.reshape(-1).view(np.uint8)))


def _lod_bytes(lod) -> bytes:
    parts = [struct.pack("<IQ", 0, len(lod or ()))]
    for level in lod or ():
        level = [int(v) for v in level]
        parts.append(struct.pack(f"<Q{len(level)}Q", 8 * len(level), *level))
    return b"".join(parts)


def write_lod_tensor(arr: np.ndarray, f: IO[bytes], *, lod: Lod | None = None, dtype=None) -> None:
    """Write ``arr`` as one DenseTensor stream; ``dtype='bfloat16'`` for uint16-held bf16 bits.

    >>> buf = io.BytesIO(); write_lod_tensor(np.zeros((0, 3), 'float32'), buf)
    >>> buf.getvalue()[16:].hex()  # after version, LoD count, tensor version: len + desc
    '06000000080510001003'
    """
    arr = np.asarray(arr)
    dt = resolve_dtype(arr, dtype)
    arr = as_le_contiguous(arr)
    write_all(f, _lod_bytes(lod))
    write_tensor_body(arr, dt, f)


def save_lod_tensor(
    arr: np.ndarray, path: str | os.PathLike, *, lod: Lod | None = None, dtype=None
) -> None:
    """Atomically write ``path`` holding one DenseTensor stream."""
    with fs.atomic_write(os.fspath(path)) as f:
        write_lod_tensor(arr, f, lod=lod, dtype=dtype)


def looks_like_lod_tensor(head: bytes) -> bool:
    """Cheap signature check on the first bytes of a file (>= 21 bytes for a plain tensor).

    >>> looks_like_lod_tensor(bytes.fromhex('00000000' '0000000000000000' '00000000' '04000000' '0805'))
    True
    >>> looks_like_lod_tensor(b'\\x80\\x04\\x95')
    False
    """
    if len(head) < 12:
        return False
    version, levels = struct.unpack_from("<IQ", head)
    if version != 0 or levels > _MAX_LOD_LEVELS:
        return False
    if levels or len(head) < 21:
        return True
    tensor_version, desc_len = struct.unpack_from("<Ii", head, 12)
    return tensor_version == 0 and 0 < desc_len <= _MAX_DESC_BYTES and head[20] == 0x08

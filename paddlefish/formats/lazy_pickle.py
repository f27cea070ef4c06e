"""``paddle.load(path, mmap=True)``: read a Paddle pickle without reading its array data.

The file is read through a read-only memory map by the C unpickler on the fast path of
safe_pickle.py (same allowlist and proxies; see NOTE [fast path] there), with one difference:
``_MappedFile.readinto`` leaves every ``BINBYTES``/``BINBYTES8`` payload of at least
``_LAZY_BYTES`` unread (see NOTE [lazy payloads]) and the array built from it is a copy-on-write
``np.memmap`` view (mode ``'c'``) of the payload's bytes in the file: opening is cheap, only
touched tensors are read, and writing to an array never changes the file. Protocol 2 data
(``_codecs.encode``, see NOTE [protocol 2 bytes] in safe_pickle.py) and small payloads are read
eagerly.

Views start at whatever offset the pickle put the data, so they may be unaligned; NumPy handles
that (``flags.aligned`` is False). Calls with ``trusted_globals`` (whose callables could consume a
payload) and pickles using NEWOBJ go to the eager safe unpickler instead.

NOTE [lazy payloads]: the C unpickler allocates a ``bytes`` of the declared size and asks
``readinto`` to fill it. For a big payload (its header checked in the map) we write only a tag -
a per-load random secret and the payload's index - into its first bytes; the rest of the
allocation is never touched. Whatever consumes such a ``bytes`` swaps it for the file's data: the
array proxy maps it, ``_finish`` and the container stand-ins read it (``realize``). A secret
cannot be forged by file contents, so a tag is always ours.
"""

from __future__ import annotations

import mmap as _mmap
import os
import pickle
import struct
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import EmptyInputError, FormatError
from . import safe_pickle

__all__ = ["load", "load_span"]

_LAZY_BYTES = 4096  # payloads below this are read into ``bytes`` right away
_TAG = 24  # secret bytes, then an 8-byte index
_HEADERS = ((0x8E, 9, "<Q"), (0x42, 5, "<I"))  # BINBYTES8, BINBYTES: opcode, header size, format


class _MappedFile:
    """The file object the C unpickler reads (no ``peek``: it reads exactly what it needs)."""

    def __init__(self, mm: Any, secret: bytes, start: int = 0):
        self.mm, self.n, self.pos, self.secret = mm, len(mm), start, secret
        self.start = start
        self.refs: list[tuple[int, int]] = []

    def read(self, k: int) -> bytes:
        pos = self.pos
        if k == 4 and pos > self.start and self.mm[pos - 1] in safe_pickle._MEMO_OPS:
            # see NOTE [memo and size bombs] in safe_pickle.py
            idx = struct.unpack("<I", self.mm[pos : pos + 4])[0]
            if idx > pos - self.start:
                raise FormatError(
                    f"at byte {pos} a memo index {idx} is larger than the pickle read so far; "
                    "the file is damaged (or crafted to exhaust memory)"
                )
        if k in (4, 8) and pos > self.start and self.mm[pos - 1] in (
            safe_pickle._LEN4_OPS if k == 4 else safe_pickle._LEN8_OPS
        ):
            size = struct.unpack("<I" if k == 4 else "<Q", self.mm[pos : pos + k])[0]
            if size > self.n - pos - k:
                raise FormatError(
                    f"at byte {pos} a bytes payload declares {size} bytes but only "
                    f"{max(self.n - pos - k, 0)} remain; the file is damaged or truncated"
                )
        b = self.mm[pos : pos + k]
        self.pos += len(b)
        return b

    def readline(self) -> bytes:
        end = self.mm.find(b"\n", self.pos)
        end = self.n if end < 0 else end + 1
        b = self.mm[self.pos : end]
        self.pos = end
        return b

    def readinto(self, buf: Any) -> int:
        k, pos = len(buf), self.pos
        if k >= _LAZY_BYTES and pos + k <= self.n and self._is_payload(pos, k):
            buf[:_TAG] = self.secret
            buf[_TAG : _TAG + 8] = struct.pack("<Q", len(self.refs))
            self.refs.append((pos, k))
        else:
            k = min(k, self.n - pos)
            buf[:k] = self.mm[pos : pos + k]
        self.pos += k
        return k

    def _is_payload(self, pos: int, k: int) -> bool:
        for op, head, fmt in _HEADERS:
            if (
                pos >= head
                and self.mm[pos - head] == op
                and struct.unpack(fmt, self.mm[pos - head + 1 : pos])[0] == k
            ):
                return True
        return False


class _LazyContext(safe_pickle._Context):
    def __init__(self, path: str, src: _MappedFile):
        self.realize = self.finish_bytes
        super().__init__()
        self.path, self.src = path, src
        self.whole: np.memmap | None = None

    def ref(self, b: Any) -> tuple[int, int] | None:
        """The (offset, size) of a payload left in the file, or None for real bytes."""
        if type(b) is bytes and len(b) >= _LAZY_BYTES and b[:_TAG] == self.src.secret:
            idx = struct.unpack_from("<Q", b, _TAG)[0]
            if idx < len(self.src.refs) and self.src.refs[idx][1] == len(b):
                return self.src.refs[idx]
        return None

    def finish_bytes(self, b: Any) -> Any:
        r = self.ref(b)
        return b if r is None else self.src.mm[r[0] : r[0] + r[1]]

    def make_array(self, state: tuple, dtype: np.dtype) -> np.ndarray:
        r = self.ref(state[4])
        if r is None:
            return super().make_array(state, dtype)
        _, shape, _, fortran, _ = state
        if not (type(shape) is tuple and all(type(s) is int and s >= 0 for s in shape)):
            raise FormatError(f"ndarray shape {shape!r} is invalid")
        count = 1
        for s in shape:
            count *= s
        if count * dtype.itemsize != r[1]:
            raise FormatError(
                f"ndarray {shape} {dtype} needs {count * dtype.itemsize} data bytes, found {r[1]}"
            )
        if self.whole is None:
            self.whole = np.memmap(self.path, dtype=np.uint8, mode="c")
        # one np.memmap constructed directly over the file map (slicing/viewing/reshaping a
        # memmap would run np.memmap.__array_finalize__ three times per tensor)
        return np.ndarray.__new__(np.memmap, shape, dtype=dtype, buffer=self.whole,
                                  offset=r[0], order="F" if fortran else "C")


def load(
    path: str | os.PathLike, *, name: str | None = None, trusted_globals: Iterable[str] = ()
) -> Any:
    """Load a Paddle pickle file with array data memory-mapped (copy-on-write) instead of read.

    >>> import os, tempfile, numpy as np
    >>> from paddlefish.formats.pickle_writer import write
    >>> p = os.path.join(tempfile.mkdtemp(), 'a.pdparams')
    >>> with open(p, 'wb') as f: write({'w': np.arange(2048.0)}, f)
    >>> type(load(p)['w']).__name__, float(load(p)['w'][5])
    ('memmap', 5.0)
    """
    return load_span(path, name=name, trusted_globals=trusted_globals)[0]


def load_span(
    path: str | os.PathLike,
    offset: int = 0,
    *,
    name: str | None = None,
    trusted_globals: Iterable[str] = (),
) -> tuple[Any, int]:
    """``load`` of the pickle that starts at byte ``offset``: ``(object, offset just after it)``.

    Several pickles written one after another into one file load one by one (see NOTE [stream
    end] in safe_pickle.py).

    >>> import os, tempfile, numpy as np
    >>> from paddlefish.formats.pickle_writer import write
    >>> p = os.path.join(tempfile.mkdtemp(), 'two.pdparams')
    >>> with open(p, 'wb') as f: write({'w': np.arange(2048.0)}, f); write([7], f)
    >>> w, end = load_span(p); load_span(p, end)[0]
    [7]
    """
    path = os.fspath(path)
    filename = name or path
    trusted = frozenset(trusted_globals)
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size <= offset:
            raise EmptyInputError(
                f"{filename}: expected a Paddle pickle at byte {offset} but "
                + ("the file is empty" if offset == 0 else "the file ends there")
            )
        if not trusted:
            with _mmap.mmap(f.fileno(), 0, access=_mmap.ACCESS_READ) as mm:
                try:
                    return _load_mapped(mm, path, filename, offset)
                except pickle.UnpicklingError as e:
                    if "NEWOBJ" not in str(e):
                        raise safe_pickle.damaged(filename, e) from None
                except FormatError as e:
                    raise safe_pickle.with_filename(e, filename) from None
                except safe_pickle.DAMAGE_ERRORS as e:
                    raise safe_pickle.damaged(filename, e) from None
        f.seek(offset)
        obj = safe_pickle.load(f, name=filename, trusted_globals=trusted)
        return obj, f.tell()


def _load_mapped(mm: Any, path: str, filename: str, offset: int) -> tuple[Any, int]:
    src = _MappedFile(mm, os.urandom(_TAG), offset)
    obj = safe_pickle.load_fast(src, _LazyContext(path, src), filename)
    return obj, src.pos

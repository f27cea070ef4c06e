"""Streaming pickle writer for the structures ``paddle.save`` writes (protocols 2, 3, 4).

Array data goes from the array's memory straight to the file (no ``tobytes()`` copy), so saving a
1 GiB state dict costs about one extra 64 KiB buffer, not another gigabyte. Output unpickles with
plain ``pickle`` (NumPy 1.x and 2.x) and with real Paddle 2.6 / 3.3.

NOTE [ndarray pickle layout]: an ndarray is written exactly as NumPy reduces it (FORMATS.md 1.4):
``_reconstruct(ndarray, (0,), b'b')`` then ``BUILD (1, shape, dtype, False, raw)``, but always under
``numpy.core.multiarray`` (see NOTE [numpy path] in safe_pickle.py): NumPy 1.x (Paddle 2.6) only
knows that path and NumPy 2 still resolves it. Arrays are written C-ordered and little-endian.

NOTE [protocol 2 bytes] (see safe_pickle.py): protocol 2 has no bytes opcode, so raw data is
``_codecs.encode(latin1_text, 'latin1')``, streamed chunk by chunk as UTF-8.
"""

from __future__ import annotations

import collections
import io
import struct
from collections.abc import Callable, Iterator
from typing import IO, Any

import numpy as np

__all__ = ["NamedArray", "check", "dumps", "write"]

_FRAME_TARGET = 64 * 1024
_CHUNK = 16 * 1024 * 1024
_BATCH = 1000
_NP_MODULE = "numpy.core.multiarray"
_ALLOWED_DTYPE_CODES = {"b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"}
_ALLOWED_DTYPE_CODES |= {"c8", "c16"}


class NamedArray:
    """A Tensor on Paddle's generic path: pickled as ``tuple(((name, array),))`` (a 2-tuple).

    >>> import pickle, numpy as np
    >>> pickle.loads(dumps(NamedArray('w', np.zeros(2, 'f4'))))[0]
    'w'
    """

    __slots__ = ("array", "name")

    def __init__(self, name: str, array: np.ndarray):
        self.name = name
        self.array = array

    def __repr__(self) -> str:
        return f"NamedArray({self.name!r}, shape={self.array.shape}, dtype={self.array.dtype})"


def _dtype_code(dt: np.dtype, path: str) -> tuple[str, str]:
    code = f"{dt.kind}{dt.itemsize}"
    if code not in _ALLOWED_DTYPE_CODES:
        raise TypeError(
            f"cannot save the array at {path}: numpy dtype {dt} has no Paddle equivalent; "
            f"convert it to one of bool, int8/16/32/64, uint8, float16/32/64, complex64/128"
        )
    return code, "|" if dt.itemsize == 1 else "<"


def _chunks(arr: np.ndarray) -> Iterator[memoryview]:
    """The C-order little-endian bytes of ``arr`` as memoryviews, copying at most _CHUNK at a time."""
    le = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    if arr.flags.c_contiguous and le == arr.dtype:
        flat = arr.reshape(-1).view(np.uint8)
        for i in range(0, flat.size, _CHUNK):
            yield memoryview(flat[i : i + _CHUNK])
        return
    if arr.ndim == 0:
        yield memoryview(np.ascontiguousarray(arr, dtype=le).reshape(-1).view(np.uint8))
        return
    row = arr[0].nbytes if arr.shape[0] else 1
    step = max(1, _CHUNK // max(row, 1))
    for i in range(0, arr.shape[0], step):
        sub = arr[i : i + step]
        if step == 1 and row > _CHUNK:
            yield from _chunks(sub[0])
        else:
            yield memoryview(np.ascontiguousarray(sub, dtype=le).reshape(-1).view(np.uint8))


class _Writer:
    def __init__(self, f: IO[bytes], protocol: int):
        if protocol not in (2, 3, 4):
            raise ValueError(
                f"pickle protocol must be 2, 3 or 4 (as in paddle.save), got {protocol}"
            )
        self.f = f
        self.proto = protocol
        self.buf = bytearray()
        self.memo: dict[str, int] = {}  # global "module\nname" -> memo index
        self.n_memo = 0
        self.active: set[int] = set()

    # ---- low level -------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.buf:
            return
        if self.proto >= 4 and len(self.buf) >= 4:
            self._raw(b"\x95" + struct.pack("<Q", len(self.buf)))
        self._raw(self.buf)
        self.buf = bytearray()

    def _raw(self, data: Any) -> None:
        mv = memoryview(data).cast("B")
        while mv.nbytes:
            n = self.f.write(mv)
            if n is None or n >= mv.nbytes:
                return
            mv = mv[n:]

    def op(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) >= _FRAME_TARGET:
            self.flush()

    def large(self, header: bytes, parts: Iterator[Any]) -> None:
        """A header plus a big payload, written outside any frame (as CPython does)."""
        self.flush()
        self._raw(header)
        for p in parts:
            self._raw(p)

    def memoize(self) -> int:
        idx = self.n_memo
        self.n_memo += 1
        if self.proto >= 4:
            self.op(b"\x94")
        elif idx < 256:
            self.op(b"q" + bytes([idx]))
        else:
            self.op(b"r" + struct.pack("<I", idx))
        return idx

    def get(self, idx: int) -> None:
        self.op(b"h" + bytes([idx]) if idx < 256 else b"j" + struct.pack("<I", idx))

    # ---- scalars -----------------------------------------------------------------------------
    def global_(self, module: str, name: str) -> None:
        if self.proto < 3 and module == "builtins":
            module = "__builtin__"
        key = f"{module}\n{name}"
        if key in self.memo:
            return self.get(self.memo[key])
        if self.proto >= 4:
            self.str_(module)
            self.str_(name)
            self.op(b"\x93")
        else:
            self.op(b"c" + key.encode() + b"\n")
        self.memo[key] = self.memoize()

    def int_(self, v: int) -> None:
        if 0 <= v < 256:
            self.op(b"K" + bytes([v]))
        elif 0 <= v < 65536:
            self.op(b"M" + struct.pack("<H", v))
        elif -(2**31) <= v < 2**31:
            self.op(b"J" + struct.pack("<i", v))
        else:
            raw = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
            if len(raw) > 255:
                raise ValueError(f"integer {v} is too large to save")
            self.op(b"\x8a" + bytes([len(raw)]) + raw)

    def str_(self, s: str) -> None:
        b = s.encode("utf-8", "surrogatepass")
        if self.proto >= 4 and len(b) < 256:
            self.op(b"\x8c" + bytes([len(b)]) + b)
        elif len(b) < 2**32:
            self.op(b"X" + struct.pack("<I", len(b)) + b)
        elif self.proto >= 4:
            self.large(b"\x8d" + struct.pack("<Q", len(b)), iter([b]))
        else:
            raise ValueError("a string over 4 GiB needs pickle protocol 4")

    def bytes_(self, parts: Callable[[], Iterator[Any]], n: int, path: str) -> None:
        """Write ``n`` bytes produced by ``parts()`` (called once per pass, never all in memory)."""
        if self.proto == 2:
            return self.bytes_proto2(parts, n)
        if n < 256:
            self.op(b"C" + bytes([n]) + b"".join(bytes(p) for p in parts()))
        elif n < 2**32:
            self.large(b"B" + struct.pack("<I", n), parts())
        elif self.proto >= 4:
            self.large(b"\x8e" + struct.pack("<Q", n), parts())
        else:
            raise ValueError(
                f"cannot save {path}: {n} bytes need pickle protocol 4 (protocol 3 stops at 4 GiB)"
            )

    def bytes_proto2(self, parts: Callable[[], Iterator[Any]], n: int) -> None:
        if n == 0:
            self.global_("builtins", "bytes")
            self.op(b")R")
            return
        self.global_("_codecs", "encode")
        high = sum(int(np.count_nonzero(np.frombuffer(p, np.uint8) >= 0x80)) for p in parts())
        if n + high >= 2**32:
            raise ValueError("an array over ~4 GiB cannot be saved with pickle protocol 2")
        utf8 = (bytes(p).decode("latin1").encode("utf-8") for p in parts())
        self.large(b"X" + struct.pack("<I", n + high), utf8)
        self.str_("latin1")
        self.op(b"\x86R")

    # ---- containers --------------------------------------------------------------------------
    def tuple_(self, items: Any, path: str) -> None:
        n = len(items)
        if n == 0:
            return self.op(b")")
        if n > 3:
            self.op(b"(")
        for i, x in enumerate(items):
            self.save(x, f"{path}[{i}]")
        self.op(b"t" if n > 3 else b"\x85\x86\x87"[n - 1 : n])

    def list_(self, items: list, path: str) -> None:
        self.op(b"]")
        for start in range(0, len(items), _BATCH):
            batch = items[start : start + _BATCH]
            if len(batch) > 1:
                self.op(b"(")
            for i, x in enumerate(batch, start):
                self.save(x, f"{path}[{i}]")
            self.op(b"e" if len(batch) > 1 else b"a")

    def dict_items(self, d: dict, path: str) -> None:
        items = list(d.items())
        for start in range(0, len(items), _BATCH):
            batch = items[start : start + _BATCH]
            if len(batch) > 1:
                self.op(b"(")
            for k, v in batch:
                self.save(k, f"{path}<key>")
                self.save(v, f"{path}[{k!r}]")
            self.op(b"u" if len(batch) > 1 else b"s")

    def set_(self, s: Any, path: str) -> None:
        frozen = isinstance(s, frozenset)
        if self.proto < 4:
            self.global_("builtins", "frozenset" if frozen else "set")
            self.list_(list(s), path)
            self.op(b"\x85R")
            return
        self.op(b"(" if frozen else b"\x8f(")
        for x in s:
            self.save(x, f"{path}<item>")
        self.op(b"\x91" if frozen else b"\x90")

    # ---- numpy -------------------------------------------------------------------------------
    def dtype_(self, dt: np.dtype, path: str) -> None:
        code, order = _dtype_code(dt, path)
        self.global_("numpy", "dtype")
        self.str_(code)
        self.op(b"\x89\x88\x87R(K\x03")
        self.str_(order)
        self.op(b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb")

    def ndarray(self, arr: np.ndarray, path: str) -> None:
        _dtype_code(arr.dtype, path)
        self.global_(_NP_MODULE, "_reconstruct")
        self.global_("numpy", "ndarray")
        self.op(b"K\x00\x85")
        self.bytes_(lambda: iter([b"b"]), 1, path)
        self.op(b"\x87R(K\x01")
        self.tuple_(tuple(int(s) for s in arr.shape), path)
        self.dtype_(arr.dtype, path)
        self.op(b"\x89")
        self.bytes_(lambda: _chunks(arr), arr.nbytes, path)
        self.op(b"tb")

    def np_scalar(self, x: np.generic, path: str) -> None:
        arr = np.asarray(x)
        self.global_(_NP_MODULE, "scalar")
        self.dtype_(arr.dtype, path)
        raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        self.bytes_(lambda: iter([raw]), len(raw), path)
        self.op(b"\x86R")

    # ---- dispatch ----------------------------------------------------------------------------
    def save(self, x: Any, path: str) -> None:
        if x is None:
            return self.op(b"N")
        t = type(x)
        if t is bool:
            return self.op(b"\x88" if x else b"\x89")
        if t is int:
            return self.int_(x)
        if t is float:
            return self.op(b"G" + struct.pack(">d", x))
        if t is str:
            return self.str_(x)
        if t is bytes:
            return self.bytes_(lambda: iter([x]), len(x), path)
        if isinstance(x, np.ndarray):
            return self.ndarray(x, path)
        if isinstance(x, np.generic):
            return self.np_scalar(x, path)
        if t is NamedArray:
            self.global_("builtins", "tuple")
            self.str_(x.name)
            self.ndarray(x.array, f"{path}<{x.name}>")
            return self.op(b"\x86\x85R")
        if isinstance(x, (dict, list, tuple, set, frozenset)):
            return self.container(x, path)
        raise TypeError(_unsupported(x, path))

    def container(self, x: Any, path: str) -> None:
        if id(x) in self.active:
            raise ValueError(f"cannot save {path}: the structure contains itself (a cycle)")
        self.active.add(id(x))
        try:
            if type(x) is collections.OrderedDict:
                self.global_("collections", "OrderedDict")
                self.op(b")R")
                self.dict_items(x, path)
            elif isinstance(x, dict):
                self.op(b"}")
                self.dict_items(x, path)
            elif isinstance(x, list):
                self.list_(x, path)
            elif isinstance(x, tuple):
                self.tuple_(x, path)
            else:
                self.set_(x, path)
        finally:
            self.active.discard(id(x))


_LEAVES = (type(None), bool, int, float, str, bytes)


def check(obj: Any, path: str = "<root>") -> None:
    """Raise TypeError naming the key path of the first object ``write`` cannot save.

    >>> try: check({'a': [1, object()]})
    ... except TypeError as e: print(str(e)[:46])
    cannot save the object at <root>['a'][1]: type
    """
    stack = [(obj, path)]
    while stack:
        x, p = stack.pop()
        t = type(x)
        if t in _LEAVES or isinstance(x, np.generic):
            continue
        if isinstance(x, np.ndarray):
            _dtype_code(x.dtype, p)
        elif t is NamedArray:
            if not isinstance(x.name, str) or not isinstance(x.array, np.ndarray):
                raise TypeError(f"cannot save {p}: NamedArray needs a str name and an ndarray")
            _dtype_code(x.array.dtype, p)
        elif isinstance(x, dict):
            stack.extend((v, f"{p}[{k!r}]") for k, v in x.items())
            stack.extend((k, f"{p}<key {k!r}>") for k in x)
        elif isinstance(x, (list, tuple)):
            stack.extend((v, f"{p}[{i}]") for i, v in enumerate(x))
        elif isinstance(x, (set, frozenset)):
            stack.extend((v, f"{p}<item>") for v in x)
        else:
            raise TypeError(_unsupported(x, p))


def _unsupported(x: Any, path: str) -> str:
    t = type(x)
    return (
        f"cannot save the object at {path}: type {t.__module__}.{t.__qualname__} is not one of "
        "the kinds a Paddle pickle holds (dict, list, tuple, set, str, bytes, int, float, bool, "
        "None, numpy array/scalar, named tensor); convert it first (e.g. to an ndarray)"
    )


def write(obj: Any, f: IO[bytes], protocol: int = 4) -> None:
    """Pickle ``obj`` to the binary stream ``f`` (protocol 2, 3 or 4), streaming array data.

    >>> import io, pickle, numpy as np
    >>> buf = io.BytesIO(); write({'w': np.arange(3.0)}, buf, protocol=2)
    >>> pickle.loads(buf.getvalue())['w']
    array([0., 1., 2.])
    """
    w = _Writer(f, protocol)
    check(obj)
    w._raw(bytes([0x80, protocol]))
    w.save(obj, "<root>")
    w.op(b".")
    w.flush()


def dumps(obj: Any, protocol: int = 4) -> bytes:
    """``write`` to bytes.

    >>> dumps(3)
    b'\\x80\\x04K\\x03.'
    """
    buf = io.BytesIO()
    write(obj, buf, protocol)
    return buf.getvalue()

"""``paddle.load(path, mmap=True)``: read a Paddle pickle without reading its array data.

A small pickle-opcode interpreter (protocols 2-4) walks the file through a read-only memory map.
Globals go through the same allowlist as safe_pickle.py (``resolve_global``). For each ndarray
whose data is a ``BINBYTES``/``BINBYTES8`` payload it records the payload's file offset and returns
a copy-on-write ``np.memmap`` view (mode ``'c'``): opening is cheap, only touched tensors are read,
and writing to an array never changes the file. Protocol 2 data (``_codecs.encode``, see NOTE
[protocol 2 bytes] in safe_pickle.py) and small payloads are read eagerly.

Views start at whatever offset the pickle put the data, so they may be unaligned; NumPy handles
that (``flags.aligned`` is False). A valid opcode this reader does not implement makes ``load``
fall back to the eager safe unpickler.
"""

from __future__ import annotations

import mmap as _mmap
import os
import struct
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..errors import FormatError, UnsafePickleError
from . import safe_pickle

__all__ = ["load"]

_EAGER_BYTES = 4096  # payloads below this are read into ``bytes`` right away


class _Unsupported(Exception):
    """A valid pickle opcode outside this reader's set: use the eager reader instead."""


class _RawRef:
    """A bytes payload left in the file: ``size`` bytes at ``offset``."""

    __slots__ = ("offset", "size")

    def __init__(self, offset: int, size: int):
        self.offset, self.size = offset, size


class _PendingArray:
    """``_reconstruct(...)``'s result until ``BUILD`` gives it state; then holds the array."""

    __slots__ = ("array",)

    def __init__(self) -> None:
        self.array: np.ndarray | None = None


class _Mark:
    pass


class _Interpreter:
    def __init__(self, buf: Any, filename: str, trusted: frozenset[str], fmap: Callable):
        self.buf = buf
        self.n = len(buf)
        self.pos = 0
        self.filename = filename
        self.trusted = trusted
        self.fmap = fmap  # (offset, size) -> np.uint8 view of the file
        self.stack: list[Any] = []
        self.marks: list[list[Any]] = []
        self.memo: dict[int, Any] = {}
        self.proto = 0

    # ---- reading -----------------------------------------------------------------------------
    def fail(self, what: str) -> FormatError:
        return FormatError(
            f"{self.filename}: expected a Paddle pickle (paddle.save output) but at byte "
            f"{self.pos} {what}. The file is damaged or truncated; re-save it."
        )

    def read(self, k: int) -> bytes:
        if k < 0 or self.pos + k > self.n:
            raise self.fail(f"a field declares {k} bytes but only {self.n - self.pos} remain")
        b = self.buf[self.pos : self.pos + k]
        self.pos += k
        return bytes(b)

    def unpack(self, fmt: str, size: int) -> int:
        return struct.unpack(fmt, self.read(size))[0]

    def readline(self) -> bytes:
        end = self.buf.find(b"\n", self.pos, min(self.n, self.pos + 4096))
        if end < 0:
            raise self.fail("a text field has no end of line")
        line = bytes(self.buf[self.pos : end])
        self.pos = end + 1
        return line

    def payload(self, k: int) -> Any:
        if k < 0 or self.pos + k > self.n:
            raise self.fail(
                f"a bytes payload declares {k} bytes but only {self.n - self.pos} remain"
            )
        if k < _EAGER_BYTES:
            return self.read(k)
        ref = _RawRef(self.pos, k)
        self.pos += k
        return ref

    def pop_mark(self) -> list[Any]:
        if not self.marks:
            raise self.fail("an opcode needs a MARK but none is open")
        items = self.stack
        self.stack = self.marks.pop()
        return items

    def pop(self) -> Any:
        if not self.stack:
            raise self.fail("an opcode needs a value but the stack is empty")
        return self.stack.pop()

    # ---- values ------------------------------------------------------------------------------
    def resolve(self, x: Any) -> Any:
        """Turn lazy placeholders into the values plain pickle would have produced."""
        if isinstance(x, _PendingArray):
            if x.array is None:
                raise self.fail("an ndarray is used before its state was set")
            return x.array
        if isinstance(x, _RawRef):
            return self.fmap(x.offset, x.size).tobytes()
        if type(x) is tuple and any(isinstance(e, (_PendingArray, _RawRef, tuple)) for e in x):
            return tuple(self.resolve(e) for e in x)
        return x

    def shallow(self, items: list[Any]) -> tuple:
        return tuple(
            e.array if isinstance(e, _PendingArray) and e.array is not None else e for e in items
        )

    def build_array(self, pending: _PendingArray, state: Any) -> None:
        if not (isinstance(state, tuple) and len(state) == 5):
            raise self.fail(f"ndarray state must be a 5-tuple, got {type(state).__name__}")
        _, shape, dtype, fortran, raw = state
        if not isinstance(dtype, np.dtype) or not isinstance(shape, tuple):
            raise self.fail("ndarray state has no valid shape/dtype")
        if not all(type(s) is int and s >= 0 for s in shape):
            raise self.fail(f"ndarray shape {shape!r} is invalid")
        count = 1
        for s in shape:
            count *= s
        nbytes = count * dtype.itemsize
        size = raw.size if isinstance(raw, _RawRef) else len(raw)
        if size != nbytes:
            raise self.fail(f"ndarray {shape} {dtype} needs {nbytes} data bytes, found {size}")
        order = "F" if fortran else "C"
        if isinstance(raw, _RawRef):
            flat = self.fmap(raw.offset, raw.size) if nbytes else np.empty(0, np.uint8)
            pending.array = flat.view(dtype).reshape(shape, order=order)
            return
        if isinstance(raw, str):
            raw = raw.encode("latin1")
        if not isinstance(raw, bytes):
            raise self.fail("ndarray data is not bytes")
        pending.array = np.frombuffer(raw, dtype).reshape(shape, order=order).copy(order=order)

    def global_(self, module: Any, name: Any) -> Any:
        obj = safe_pickle.resolve_global(module, name, trusted=self.trusted, filename=self.filename)
        return _PendingArray if obj is safe_pickle.ALLOWED_GLOBALS[_RECON] else obj

    def call(self, func: Any, args: Any) -> Any:
        if not isinstance(args, tuple):
            raise self.fail("REDUCE arguments are not a tuple")
        if func is _PendingArray:
            safe_pickle._reconstruct(*args)  # validates (ndarray, (0,), b'b')
            return _PendingArray()
        if func is safe_pickle.NdarrayMarker:
            safe_pickle.NdarrayMarker()  # raises
        return func(*self.resolve(args))

    def run(self) -> Any:
        ops = _OPS
        while True:
            if self.pos >= self.n:
                raise self.fail("the data ends before the STOP opcode (truncated?)")
            code = self.buf[self.pos]
            self.pos += 1
            handler = ops.get(code)
            if handler is None:
                if code in _KNOWN_UNSUPPORTED:
                    raise _Unsupported(code)
                raise self.fail(f"there is an invalid opcode byte 0x{code:02x}")
            if handler(self):
                return self.resolve(self.pop())


_RECON = "numpy._core.multiarray._reconstruct"


# ---- opcode handlers (return True on STOP) ------------------------------------------------------
def _proto(m: _Interpreter) -> None:
    m.proto = m.read(1)[0]
    if not 2 <= m.proto <= 5:
        raise m.fail(f"the protocol is {m.proto}; Paddle pickles use 2..4")


def _frame(m: _Interpreter) -> None:
    k = m.unpack("<Q", 8)
    if m.pos + k > m.n:
        raise m.fail(f"a frame declares {k} bytes but only {m.n - m.pos} remain")


def _push(value_fn: Callable[[_Interpreter], Any]) -> Callable[[_Interpreter], None]:
    return lambda m: m.stack.append(value_fn(m))


def _memo_put(idx_fn: Callable[[_Interpreter], int]) -> Callable[[_Interpreter], None]:
    def h(m: _Interpreter) -> None:
        if not m.stack:
            raise m.fail("a memo PUT has nothing to store")
        m.memo[idx_fn(m)] = m.stack[-1]

    return h


def _memo_get(idx_fn: Callable[[_Interpreter], int]) -> Callable[[_Interpreter], None]:
    def h(m: _Interpreter) -> None:
        idx = idx_fn(m)
        if idx not in m.memo:
            raise m.fail(f"memo entry {idx} is read before it was stored")
        m.stack.append(m.memo[idx])

    return h


def _mark(m: _Interpreter) -> None:
    m.marks.append(m.stack)
    m.stack = []


def _stop(m: _Interpreter) -> bool:
    if len(m.stack) != 1 or m.marks:
        raise m.fail("STOP is reached with an unbalanced stack")
    return True


def _setitems(m: _Interpreter) -> None:
    items = m.pop_mark()
    _set_pairs(m, items)


def _setitem(m: _Interpreter) -> None:
    v = m.pop()
    k = m.pop()
    _set_pairs(m, [k, v])


def _set_pairs(m: _Interpreter, items: list[Any]) -> None:
    d = m.pop()
    if not isinstance(d, dict) or len(items) % 2:
        raise m.fail("SETITEM(S) needs a dict and key/value pairs")
    for i in range(0, len(items), 2):
        d[m.resolve(items[i])] = m.resolve(items[i + 1])
    m.stack.append(d)


def _appends(m: _Interpreter) -> None:
    items = m.pop_mark()
    lst = m.pop()
    if not isinstance(lst, list):
        raise m.fail("APPENDS needs a list")
    lst.extend(m.resolve(x) for x in items)
    m.stack.append(lst)


def _append(m: _Interpreter) -> None:
    x = m.pop()
    lst = m.pop()
    if not isinstance(lst, list):
        raise m.fail("APPEND needs a list")
    lst.append(m.resolve(x))
    m.stack.append(lst)


def _additems(m: _Interpreter) -> None:
    items = m.pop_mark()
    s = m.pop()
    if not isinstance(s, set):
        raise m.fail("ADDITEMS needs a set")
    s.update(m.resolve(x) for x in items)
    m.stack.append(s)


def _tuple_n(n: int) -> Callable[[_Interpreter], None]:
    def h(m: _Interpreter) -> None:
        if len(m.stack) < n:
            raise m.fail(f"TUPLE{n} needs {n} values")
        items = m.stack[len(m.stack) - n :]
        del m.stack[len(m.stack) - n :]
        m.stack.append(m.shallow(items))

    return h


def _reduce(m: _Interpreter) -> None:
    args = m.pop()
    func = m.pop()
    m.stack.append(m.call(func, args))


def _newobj(m: _Interpreter) -> None:
    args = m.pop()
    cls = m.pop()
    if not isinstance(cls, type) or cls in (_PendingArray, safe_pickle.NdarrayMarker):
        raise UnsafePickleError(f"{m.filename}: NEWOBJ on {cls!r} is not allowed")
    if not isinstance(args, tuple):
        raise m.fail("NEWOBJ arguments are not a tuple")
    m.stack.append(cls.__new__(cls, *m.resolve(args)))


def _build(m: _Interpreter) -> None:
    state = m.pop()
    obj = m.pop()
    if isinstance(obj, _PendingArray):
        m.build_array(obj, state)
        m.stack.append(obj.array)
    elif isinstance(obj, np.dtype):
        state = m.resolve(state)
        safe_pickle.check_build(obj, state, m.trusted)
        obj.__setstate__(state)
        m.stack.append(obj)
    else:
        raise m.fail(f"BUILD on a {type(obj).__name__} is not part of a Paddle pickle")


def _stack_global(m: _Interpreter) -> None:
    name = m.pop()
    module = m.pop()
    m.stack.append(m.global_(module, name))


def _text_global(m: _Interpreter) -> None:
    module = m.readline().decode("utf-8")
    name = m.readline().decode("utf-8")
    m.stack.append(m.global_(module, name))


def _long1(m: _Interpreter) -> int:
    return int.from_bytes(m.read(m.read(1)[0]), "little", signed=True)


def _long4(m: _Interpreter) -> int:
    return int.from_bytes(m.read(m.unpack("<i", 4)), "little", signed=True)


def _unicode(m: _Interpreter, k: int) -> str:
    return m.read(k).decode("utf-8", "surrogatepass")


def _from_mark(build: Callable[[_Interpreter, list[Any]], Any]) -> Callable[[_Interpreter], None]:
    def h(m: _Interpreter) -> None:
        items = m.pop_mark()  # replaces m.stack: append only afterwards
        m.stack.append(build(m, items))

    return h


def _dup(m: _Interpreter) -> None:
    m.stack.append(m.stack[-1] if m.stack else m.pop())


_OPS: dict[int, Callable[[_Interpreter], Any]] = {
    0x80: _proto,
    0x95: _frame,
    ord("."): _stop,
    ord("("): _mark,
    ord("}"): _push(lambda m: {}),
    ord("]"): _push(lambda m: []),
    ord(")"): _push(lambda m: ()),
    0x8F: _push(lambda m: set()),
    ord("N"): _push(lambda m: None),
    0x88: _push(lambda m: True),
    0x89: _push(lambda m: False),
    ord("K"): _push(lambda m: m.read(1)[0]),
    ord("M"): _push(lambda m: m.unpack("<H", 2)),
    ord("J"): _push(lambda m: m.unpack("<i", 4)),
    0x8A: _push(_long1),
    0x8B: _push(_long4),
    ord("G"): _push(lambda m: m.unpack(">d", 8)),
    0x8C: _push(lambda m: _unicode(m, m.read(1)[0])),
    ord("X"): _push(lambda m: _unicode(m, m.unpack("<I", 4))),
    0x8D: _push(lambda m: _unicode(m, m.unpack("<Q", 8))),
    ord("C"): _push(lambda m: m.read(m.read(1)[0])),
    ord("B"): _push(lambda m: m.payload(m.unpack("<I", 4))),
    0x8E: _push(lambda m: m.payload(m.unpack("<Q", 8))),
    ord("U"): _push(lambda m: m.read(m.read(1)[0]).decode("latin1")),
    ord("T"): _push(lambda m: m.read(m.unpack("<i", 4)).decode("latin1")),
    0x94: _memo_put(lambda m: len(m.memo)),
    ord("q"): _memo_put(lambda m: m.read(1)[0]),
    ord("r"): _memo_put(lambda m: m.unpack("<I", 4)),
    ord("p"): _memo_put(lambda m: int(m.readline())),
    ord("h"): _memo_get(lambda m: m.read(1)[0]),
    ord("j"): _memo_get(lambda m: m.unpack("<I", 4)),
    ord("g"): _memo_get(lambda m: int(m.readline())),
    ord("c"): _text_global,
    0x93: _stack_global,
    ord("t"): _from_mark(lambda m, items: m.shallow(items)),
    0x85: _tuple_n(1),
    0x86: _tuple_n(2),
    0x87: _tuple_n(3),
    ord("l"): _from_mark(lambda m, items: [m.resolve(x) for x in items]),
    ord("a"): _append,
    ord("e"): _appends,
    ord("s"): _setitem,
    ord("u"): _setitems,
    0x90: _additems,
    0x91: _from_mark(lambda m, items: frozenset(m.resolve(x) for x in items)),
    ord("R"): _reduce,
    0x81: _newobj,
    ord("b"): _build,
    ord("0"): lambda m: m.pop(),
    ord("1"): lambda m: m.pop_mark(),
    ord("2"): _dup,
}
# valid opcodes (protocol 0/1 text forms, extensions, protocol 5 buffers) we leave to pickle itself
_KNOWN_UNSUPPORTED = set(b"IFLSVdiobP") | {0x82, 0x83, 0x84, 0x92, 0x96, 0x97, 0x98}


def _file_map(path: str) -> Callable[[int, int], np.ndarray]:
    whole: list[np.memmap] = []

    def fmap(offset: int, size: int) -> np.ndarray:
        if not whole:
            whole.append(np.memmap(path, dtype=np.uint8, mode="c"))
        return whole[0][offset : offset + size]

    return fmap


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
    path = os.fspath(path)
    filename = name or path
    trusted = frozenset(trusted_globals)
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            raise FormatError(f"{filename}: expected a Paddle pickle but the file is empty")
        with _mmap.mmap(f.fileno(), 0, access=_mmap.ACCESS_READ) as mm:
            try:
                return _Interpreter(mm, filename, trusted, _file_map(path)).run()
            except _Unsupported:
                pass
            except FormatError as e:
                raise safe_pickle.with_filename(e, filename) from None
            except safe_pickle.DAMAGE_ERRORS as e:
                raise safe_pickle.damaged(filename, e) from None
        f.seek(0)
        return safe_pickle.load(f, name=filename, trusted_globals=trusted)

"""Allowlist unpickler for Paddle pickles (``.pdparams``, ``.pdopt``, ``.pdiparams.info``).

Untrusted bytes never reach ``pickle.load``: ``find_class`` resolves only the globals below, each to
a stand-in that checks its arguments; everything else raises ``UnsafePickleError`` before anything
from the file is imported or called.

Allowed globals (``module.name`` as written in the file -> what it resolves to):

* ``numpy.core.multiarray._reconstruct``, ``numpy._core.multiarray._reconstruct``
  -> ``_reconstruct`` (only ``(numpy.ndarray, (0,), b'b')``-shaped calls; see NOTE [numpy path])
* ``numpy.core.multiarray.scalar``, ``numpy._core.multiarray.scalar`` -> numpy's ``scalar``
* ``numpy.ndarray`` -> a marker only ``_reconstruct`` accepts (it cannot be instantiated)
* ``numpy.dtype`` -> ``_dtype`` (a numeric string spec, always a copy; see NOTE [dtype state])
* ``_codecs.encode`` -> ``_latin1_encode`` (see NOTE [protocol 2 bytes])
* ``builtins.bytes`` -> ``_empty_bytes`` (protocol 2 writes ``b''`` as ``bytes()``)
* ``builtins.tuple``, ``builtins.set``, ``builtins.frozenset``, ``builtins.slice``,
  ``builtins.complex`` -> themselves (harmless constructors; ``tuple``: see NOTE [generic tensor])
* ``collections.OrderedDict`` -> itself
* ``builtins.eval`` -> ``_dense_tensor_eval`` (see NOTE [DenseTensor eval]); never the real eval
* ``paddle.distributed.flex_checkpoint.dcp.metadata.{Metadata,LocalTensorMetadata,
  LocalTensorIndex}`` and the same names under ``paddle.distributed.checkpoint.metadata``
  -> ``DcpRecord`` subclasses (see NOTE [distributed checkpoint dataclasses])

BUILD (``__setstate__``) is allowed only on those numpy dtypes and arrays and on ``DcpRecord``s
(``check_build``).
Python-2 spellings (``__builtin__``, ``copy_reg``) are mapped first, as ``pickle`` does.
Anything else is refused unless the caller names it in ``trusted_globals`` for that one call.

NOTE [numpy path]: NumPy >= 2 writers emit ``numpy._core.multiarray``; NumPy 1.x writers (Paddle 2.x
installations) emit ``numpy.core.multiarray``. Both map to the installed NumPy's functions, so files
load with either NumPy. Our writer always emits ``numpy.core`` (see pickle_writer.py).

NOTE [protocol 2 bytes]: protocol 2 has no bytes opcode; ``bytes`` objects (the raw array data)
are pickled as ``_codecs.encode(latin1_text, 'latin1')``. Only that encoding is accepted: other
codecs (``zlib``, ``bz2``...) would turn a small file into a huge allocation.

NOTE [generic tensor]: Paddle's generic path pickles a Tensor as ``builtins.tuple`` called on
``((name, ndarray),)``, so it unpickles to the 2-tuple ``(name, ndarray)`` (FORMATS.md 1.3).

NOTE [DenseTensor eval]: Paddle pickles a raw ``DenseTensor`` as ``builtins.eval('data',
{'data': ndarray})``. The stand-in accepts exactly the literal ``'data'`` with a dict holding
``'data'`` and returns that value; any other expression is refused as ``builtins.eval``.

NOTE [distributed checkpoint dataclasses]: Paddle 3.x's ``save_state_dict`` writes its
``{id}.metadata`` with ``paddle.save`` on plain dataclasses (``Metadata``, ``LocalTensorMetadata``,
``LocalTensorIndex``; module ``paddle.distributed.flex_checkpoint.dcp.metadata`` in 3.3,
``paddle.distributed.checkpoint.metadata`` before), pickled as ``cls.__new__(cls)`` (NEWOBJ) then
BUILD with the field dict. Each name resolves to a ``DcpRecord`` subclass: a real type (NEWOBJ
needs one) that holds only a ``fields`` dict, whose ``__setstate__`` accepts exactly that class's
field names with plain values (str, int, bool, float, None, tuples/lists/dicts of them, other
records), and that is hashable (``LocalTensorIndex`` is a dict key). ``formats/dist_metadata.py``
maps records to its own dataclasses; nothing of Paddle is imported.

NOTE [latin1]: readers pass ``encoding='latin1'`` (as Paddle does) so Python-2-era pickles, whose
array data is a ``str``, load.
"""

from __future__ import annotations

import _compat_pickle
import collections
import io
import os
import pickle
import struct
from collections.abc import Callable, Iterable
from typing import IO, Any, ClassVar

import numpy as np

from ..errors import FormatError, UnsafePickleError
from .sniff import describe, sniff

__all__ = ["ALLOWED_GLOBALS", "DcpRecord", "NdarrayMarker", "load", "loads", "resolve_global"]

_np_multiarray = np._core.multiarray if hasattr(np, "_core") else np.core.multiarray


class NdarrayMarker:
    """What ``numpy.ndarray`` resolves to: only ``_reconstruct`` accepts it; it builds nothing."""

    def __new__(cls, *args, **kwargs):
        raise UnsafePickleError(
            "the pickle calls numpy.ndarray directly; only numpy's own "
            "_reconstruct(numpy.ndarray, (0,), b'b') form is allowed"
        )


def _reconstruct(subtype: Any, shape: Any, dtype: Any) -> np.ndarray:
    if subtype is not NdarrayMarker:
        raise UnsafePickleError(
            f"numpy _reconstruct called with {type(subtype).__name__} instead of numpy.ndarray"
        )
    if not (isinstance(shape, tuple) and all(type(s) is int and s == 0 for s in shape)):
        raise FormatError(f"numpy _reconstruct expects an empty shape like (0,), got {shape!r}")
    return _np_multiarray._reconstruct(np.ndarray, shape, b"b")


def _dtype(spec: Any, align: Any = False, copy: Any = True) -> np.dtype:
    if not isinstance(spec, str):
        raise UnsafePickleError(f"numpy.dtype called with {type(spec).__name__}, expected a str")
    try:
        dt = np.dtype(spec)
    except TypeError as e:
        raise FormatError(f"numpy.dtype({spec!r}) is not a valid dtype: {e}") from None
    if dt.kind not in "biufc":
        raise UnsafePickleError(
            f"numpy dtype {spec!r} is not a numeric dtype a Paddle pickle holds"
        )
    # always a private copy: see NOTE [dtype state]
    return np.dtype(spec, False, True)


def check_build(inst: Any, state: Any, trusted: frozenset[str]) -> None:
    """Refuse a BUILD (``__setstate__``) except numpy's own dtype and ndarray states.

    NOTE [dtype state]: ``dtype.__setstate__`` accepts any ``flags`` value, so a pickle could mark
    a float32 dtype as holding object pointers (or, with ``copy=False``, rewrite NumPy's shared
    float32 dtype): a memory-safety hole in plain ``pickle`` + NumPy. Only the canonical state
    ``(3, byteorder, None, None, None, -1, -1, flags_of_a_fresh_dtype)`` is accepted.
    """
    if isinstance(inst, np.dtype):
        fresh = np.dtype(inst.str)
        ok = (
            type(state) is tuple
            and len(state) == 8
            and state[0] == 3
            and state[1] in ("<", ">", "|", "=")
            and state[2:7] == (None, None, None, -1, -1)
            and state[7] == fresh.flags
        )
        if not ok:
            raise UnsafePickleError(
                f"numpy dtype state {state!r:.120} is not numpy's canonical one"
            )
    elif isinstance(inst, DcpRecord):
        pass  # DcpRecord.__setstate__ validates its state itself
    elif isinstance(inst, np.ndarray):
        if not (type(state) is tuple and len(state) == 5 and isinstance(state[2], np.dtype)):
            raise FormatError("ndarray state must be (version, shape, dtype, fortran, data)")
        if state[2].hasobject:
            raise UnsafePickleError("an ndarray state with an object dtype is not allowed")
    else:
        t = type(inst)
        if f"{t.__module__}.{t.__qualname__}" not in trusted:
            raise UnsafePickleError(
                f"BUILD (__setstate__) on a {t.__module__}.{t.__qualname__} is not allowed"
            )


def _scalar(dtype: Any, raw: Any = None) -> Any:
    if not isinstance(dtype, np.dtype) or dtype.hasobject:
        raise UnsafePickleError("numpy scalar needs a numpy dtype without objects")
    if isinstance(raw, str):
        raw = raw.encode("latin1")
    if not isinstance(raw, bytes) or len(raw) != dtype.itemsize:
        raise FormatError(f"numpy scalar of {dtype} needs {dtype.itemsize} raw bytes")
    return _np_multiarray.scalar(dtype, raw)


def _latin1_encode(text: Any, encoding: Any = "utf-8") -> bytes:
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1", "iso-8859-1"):
        raise UnsafePickleError(
            f"_codecs.encode is allowed only as encode(str, 'latin1'), got encoding {encoding!r}"
        )
    try:
        return text.encode("latin1")
    except UnicodeEncodeError:
        raise FormatError("_codecs.encode(..., 'latin1') got a non-latin1 string") from None


def _empty_bytes(*args: Any) -> bytes:
    if args:
        raise UnsafePickleError("builtins.bytes is allowed only as bytes() (empty)")
    return b""


def _dense_tensor_eval(expr: Any, scope: Any = None, *rest: Any) -> Any:
    if expr != "data" or rest or not isinstance(scope, dict) or "data" not in scope:
        raise UnsafePickleError(
            f"builtins.eval({expr!r:.60}, ...) refused: only Paddle's DenseTensor form "
            "eval('data', {'data': array}) is accepted, and it is never really evaluated"
        )
    return scope["data"]


_PLAIN = (str, int, float, bool, type(None))


def _plain(v: Any, depth: int = 0) -> bool:
    if depth > 8:
        return False
    if type(v) in _PLAIN or isinstance(v, DcpRecord):
        return True
    if type(v) in (tuple, list):
        return all(_plain(e, depth + 1) for e in v)
    if type(v) is dict:
        return all(_plain(k, depth + 1) and _plain(e, depth + 1) for k, e in v.items())
    return False


class DcpRecord:
    """A Paddle distributed-checkpoint dataclass as plain data (see NOTE [distributed checkpoint
    dataclasses]); ``kind`` is Paddle's class name, ``fields`` its field values."""

    __slots__ = ("fields",)
    kind: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **fields: Any) -> None:
        self.__setstate__(fields)

    def __setstate__(self, state: Any) -> None:
        if type(state) is not dict or not set(state) <= set(self.FIELDS) or not _plain(state):
            raise UnsafePickleError(
                f"a Paddle {self.kind} record must hold plain values for the fields "
                f"{list(self.FIELDS)}; got {state!r:.200}"
            )
        object.__setattr__(self, "fields", dict(state))

    def __getattr__(self, name: str) -> Any:
        if name in type(self).FIELDS:
            return self.fields.get(name) if hasattr(self, "fields") else None
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.fields == self.fields

    def __hash__(self) -> int:
        return hash((self.kind, tuple(sorted(self.fields.items()))))

    def __repr__(self) -> str:
        return f"{self.kind}({self.fields!r})"


class DcpMetadata(DcpRecord):
    __slots__ = ()
    kind = "Metadata"
    FIELDS = ("state_dict_metadata", "storage_metadata", "flat_mapping")


class DcpLocalTensorMetadata(DcpRecord):
    __slots__ = ()
    kind = "LocalTensorMetadata"
    FIELDS = (
        "global_offset",
        "local_shape",
        "dtype",
        "global_shape",
        "is_flattened",
        "flattened_range",
    )


class DcpLocalTensorIndex(DcpRecord):
    __slots__ = ()
    kind = "LocalTensorIndex"
    FIELDS = (
        "tensor_key",
        "global_offset",
        "is_flattened",
        "flattened_range",
        "replica_id",
        "local_shape",
    )


DCP_MODULES = (
    "paddle.distributed.flex_checkpoint.dcp.metadata",
    "paddle.distributed.checkpoint.metadata",
)
_DCP_GLOBALS = {
    f"{m}.{c.kind}": c
    for m in DCP_MODULES
    for c in (DcpMetadata, DcpLocalTensorMetadata, DcpLocalTensorIndex)
}

ALLOWED_GLOBALS: dict[str, Callable[..., Any]] = {
    "numpy.core.multiarray._reconstruct": _reconstruct,
    "numpy._core.multiarray._reconstruct": _reconstruct,
    "numpy.core.multiarray.scalar": _scalar,
    "numpy._core.multiarray.scalar": _scalar,
    "numpy.ndarray": NdarrayMarker,
    "numpy.dtype": _dtype,
    "_codecs.encode": _latin1_encode,
    "builtins.bytes": _empty_bytes,
    "builtins.tuple": tuple,
    "builtins.set": set,
    "builtins.frozenset": frozenset,
    "builtins.slice": slice,
    "builtins.complex": complex,
    "collections.OrderedDict": collections.OrderedDict,
    "builtins.eval": _dense_tensor_eval,
    **_DCP_GLOBALS,
}


def _py2_names(module: str, name: str) -> tuple[str, str]:
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def resolve_global(
    module: str, name: str, *, trusted: Iterable[str] = (), filename: str = "<bytes>"
) -> Any:
    """What ``module.name`` in a pickle resolves to, or ``UnsafePickleError`` (shared by readers).

    >>> resolve_global('builtins', 'tuple') is tuple
    True
    """
    if not isinstance(module, str) or not isinstance(name, str):
        raise FormatError(f"{filename}: a pickle global must be named by two strings")
    module, name = _py2_names(module, name)
    full = f"{module}.{name}"
    if full in ALLOWED_GLOBALS:
        return ALLOWED_GLOBALS[full]
    if full in trusted:
        return pickle.Unpickler.find_class(_NULL_UNPICKLER, module, name)
    raise UnsafePickleError(
        f"{filename}: the pickle references the global '{full}', which is not on the allowlist of "
        f"Paddle pickle globals; nothing from the file was executed. If you trust this file, opt "
        f"in for this call: load(f, trusted_globals=frozenset({{'{full}'}}))"
    )


_NULL_UNPICKLER = pickle.Unpickler(io.BytesIO(b""))

# Exceptions a damaged pickle can provoke in the unpickler or in numpy's setstate.
DAMAGE_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    MemoryError,
    RecursionError,
    UnicodeError,
    struct.error,
    SystemError,
)


class _SafeUnpickler(pickle._Unpickler):
    """The pure-Python unpickler, so that BUILD can be checked (see NOTE [dtype state])."""

    dispatch: ClassVar[dict] = dict(pickle._Unpickler.dispatch)

    def __init__(self, f: IO[bytes], trusted: frozenset[str], filename: str):
        super().__init__(f, encoding="latin1")
        self._trusted = trusted
        self._filename = filename

    def load_build(self) -> None:
        if len(self.stack) < 2:
            raise pickle.UnpicklingError("BUILD needs an object and a state")
        check_build(self.stack[-2], self.stack[-1], self._trusted)
        super().load_build()

    dispatch[pickle.BUILD[0]] = load_build

    def find_class(self, module: str, name: str) -> Any:
        return resolve_global(module, name, trusted=self._trusted, filename=self._filename)

    def persistent_load(self, pid: Any) -> Any:
        raise FormatError(
            f"{self._filename}: the pickle uses persistent ids (torch.save-style); a Paddle pickle "
            "has none"
        )


# ---- fast path: the C unpickler with proxies (NOTE [fast path]) ---------------------------------
#
# NOTE [fast path]: without trusted globals, ``load`` runs CPython's C unpickler. It cannot vet a
# BUILD itself, so no object that BUILD could harm ever reaches its stack: every global resolves to
# a ``_Stand`` (a callable without ``__dict__`` whose ``__setstate__`` refuses), ``numpy.dtype``
# to a ``_DtypeProxy`` whose ``__setstate__`` only validates the canonical state (NOTE [dtype
# state]) and picks a private dtype, ``_reconstruct`` to an ``_ArrayProxy`` whose ``__setstate__``
# builds the array from a validated numeric dtype, numpy scalars to a ``_Box`` and OrderedDicts to
# a ``_PendingOD``, both refusing BUILD. Built-in values (dict, list, str, tuple, C types...) have
# neither ``__setstate__`` nor a writable ``__dict__``, so BUILD on them fails inside pickle.
# ``_finish`` then swaps every proxy for its value in one pass (containers, dict keys included).


def _refuse_build(*_: Any) -> None:
    raise UnsafePickleError(
        "BUILD (__setstate__) is allowed only on numpy dtypes and arrays; this pickle uses it on "
        "another object"
    )


class _Stand:
    """A pickle global: calls ``fn``; BUILD on it is refused (it has no ``__dict__``)."""

    __slots__ = ("fn", "realize")

    def __init__(self, fn: Callable[..., Any], realize: Callable[[Any], Any] | None = None):
        self.fn, self.realize = fn, realize

    def __call__(self, *args: Any) -> Any:
        if self.realize is not None:
            args = tuple(self.realize(a) for a in args)
        return self.fn(*args)

    __setstate__ = _refuse_build


class _Box:
    """A numpy scalar until ``_finish`` (numpy scalars accept BUILD)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    __setstate__ = _refuse_build


class _PendingOD(collections.OrderedDict):
    """An OrderedDict until ``_finish`` (a real one would take BUILD into its ``__dict__``)."""

    __setstate__ = staticmethod(_refuse_build)


def _check_dtype_state(spec: str, state: Any) -> np.dtype:
    fresh = np.dtype(spec)
    ok = (
        type(state) is tuple
        and len(state) == 8
        and state[0] == 3
        and state[1] in ("<", ">", "|", "=")
        and state[2:7] == (None, None, None, -1, -1)
        and type(state[7]) is int
        and state[7] == fresh.flags
    )
    if not ok:
        raise UnsafePickleError(f"numpy dtype state {state!r:.120} is not numpy's canonical one")
    dt = np.dtype(spec, False, True)  # a private copy: see NOTE [dtype state]
    dt.__setstate__(state)
    return dt


class _DtypeProxy:
    """``numpy.dtype(spec)`` until ``_finish``; BUILD only validates (NOTE [dtype state])."""

    __slots__ = ("ctx", "dtype", "spec")

    def __init__(self, ctx: _Context, spec: str):
        self.ctx, self.spec, self.dtype = ctx, spec, None

    def __setstate__(self, state: Any) -> None:
        key = (self.spec, state)
        try:
            dt = self.ctx.dtypes.get(key)
        except TypeError:  # unhashable: not canonical
            dt = None
        if dt is None:
            dt = _check_dtype_state(self.spec, state)
            self.ctx.dtypes[key] = dt
        self.dtype = dt

    def real(self) -> np.dtype:
        return self.dtype if self.dtype is not None else np.dtype(self.spec, False, True)


class _ArrayProxy:
    """``_reconstruct(ndarray, (0,), b'b')`` until ``_finish``; BUILD makes the array."""

    __slots__ = ("array", "ctx")

    def __init__(self, ctx: _Context):
        self.ctx, self.array = ctx, None

    def __setstate__(self, state: Any) -> None:
        if not (type(state) is tuple and len(state) == 5 and type(state[2]) is _DtypeProxy):
            raise FormatError("ndarray state must be (version, shape, numpy dtype, fortran, data)")
        self.array = self.ctx.make_array(state, state[2].real())

    def result(self) -> np.ndarray:
        if self.array is None:
            raise FormatError("an ndarray is used before its state was set (BUILD missing)")
        return self.array


class _NdarrayToken:
    """What ``numpy.ndarray`` resolves to: an argument of ``_reconstruct`` only."""

    __slots__ = ()

    def __call__(self, *_: Any) -> Any:
        NdarrayMarker()  # raises

    __setstate__ = _refuse_build


_NDARRAY = _NdarrayToken()


class _Context:
    """Per-load state of the fast path; ``lazy`` subclasses map big payloads (lazy_pickle.py)."""

    realize: Callable[[Any], Any] | None = None

    def __init__(self) -> None:
        self.dtypes: dict[Any, np.dtype] = {}
        self.globals = self._globals()

    def make_array(self, state: tuple, dtype: np.ndarray) -> np.ndarray:
        """numpy's own setstate, with a validated numeric dtype in place of the proxy."""
        arr = _np_multiarray._reconstruct(np.ndarray, (0,), b"b")
        arr.__setstate__((state[0], state[1], dtype, state[3], state[4]))
        return arr

    def finish_bytes(self, b: bytes) -> bytes:
        return b

    def _reconstruct(self, subtype: Any, shape: Any, _dtype: Any = None) -> _ArrayProxy:
        if subtype is not _NDARRAY:
            raise UnsafePickleError(
                f"numpy _reconstruct called with {type(subtype).__name__} instead of numpy.ndarray"
            )
        if not (type(shape) is tuple and all(type(s) is int and s == 0 for s in shape)):
            raise FormatError(f"numpy _reconstruct expects an empty shape like (0,), got {shape!r}")
        return _ArrayProxy(self)

    def _dtype(self, spec: Any, align: Any = False, copy: Any = True) -> _DtypeProxy:
        if spec not in _SPECS_OK:
            _dtype(spec)  # validates (raises)
            _SPECS_OK.add(spec)
        return _DtypeProxy(self, spec)

    def _scalar(self, dtype: Any, raw: Any = None) -> _Box:
        if type(dtype) is _DtypeProxy:
            dtype = dtype.real()
        return _Box(_scalar(dtype, raw))

    def _globals(self) -> dict[str, Any]:
        r = self.realize
        types = (tuple, set, frozenset, slice, complex)
        out: dict[str, Any] = {f"builtins.{t.__name__}": (_Stand(t, r) if r else t) for t in types}
        out["collections.OrderedDict"] = _Stand(_PendingOD, r) if r else _PendingOD
        for prefix in ("numpy.core.multiarray.", "numpy._core.multiarray."):
            out[prefix + "_reconstruct"] = _Stand(self._reconstruct)
            out[prefix + "scalar"] = _Stand(self._scalar)
        out["numpy.ndarray"] = _NDARRAY
        out["numpy.dtype"] = _Stand(self._dtype)
        for name in ("_codecs.encode", "builtins.bytes", "builtins.eval"):
            out[name] = _Stand(ALLOWED_GLOBALS[name])
        out.update(_DCP_GLOBALS)  # real types: NEWOBJ needs one; their BUILD validates itself
        assert out.keys() == ALLOWED_GLOBALS.keys()
        return out


_SPECS_OK: set[str] = set()  # dtype specs already validated by ``_dtype`` (str only)


class _FastUnpickler(pickle.Unpickler):
    def __init__(self, f: IO[bytes], ctx: _Context, filename: str):
        super().__init__(f, encoding="latin1")
        self._ctx, self._filename = ctx, filename

    def find_class(self, module: str, name: str) -> Any:
        if not isinstance(module, str) or not isinstance(name, str):
            raise FormatError(f"{self._filename}: a pickle global must be named by two strings")
        module, name = _py2_names(module, name)
        stand = self._ctx.globals.get(f"{module}.{name}")
        if stand is None:
            resolve_global(module, name, filename=self._filename)  # raises UnsafePickleError
        return stand

    def persistent_load(self, pid: Any) -> Any:
        _SafeUnpickler.persistent_load(self, pid)  # type: ignore[arg-type]  # raises


_CONTAINERS = (dict, list, tuple, set, frozenset, _PendingOD)


class _Finisher:
    """Swaps proxies for values in a loaded structure (shared and cyclic containers kept)."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx
        self.memo: dict[int, tuple[Any, Any]] = {}  # id -> (original, result)

    def __call__(self, v: Any) -> Any:
        t = type(v)
        if t is _ArrayProxy:
            return v.result()
        if t in _CONTAINERS:
            done = self.memo.get(id(v))
            return done[1] if done is not None else self.container(v, t)
        if t is _DtypeProxy:
            return v.real()
        if t is _Box:
            return v.value
        if t is bytes:
            return self.ctx.finish_bytes(v)
        return v

    def container(self, v: Any, t: type) -> Any:
        if t is list:
            self.memo[id(v)] = (v, v)
            for i, e in enumerate(v):
                f = self(e)
                if f is not e:
                    v[i] = f
            return v
        if t is dict or t is _PendingOD:
            out = v if t is dict else collections.OrderedDict()
            self.memo[id(v)] = (v, out)
            self.fill_dict(v, out)
            return out
        items = [self(e) for e in v]
        out = v if all(a is b for a, b in zip(items, v)) else t(items)
        self.memo[id(v)] = (v, out)
        return out

    def fill_dict(self, v: dict, out: dict) -> None:
        items = [(self(k), self(x)) for k, x in v.items()]
        if out is v and all(k is k0 for (k, _), k0 in zip(items, v)):
            for (k, x), x0 in zip(items, v.values()):
                if x is not x0:
                    v[k] = x
            return
        out.clear()
        out.update(items)


# NOTE [memo and size bombs]: CPython's C unpickler grows its memo *array* to the index a
# LONG_BINPUT names, so 14 bytes (`r` + a 4-byte index near 2**31) make it allocate and clear
# ~16 GiB (seen: a 130-byte fuzzed file took 30 s to fail); a FRAME or BINBYTES8 length is
# likewise allocated before it is read. ``GuardedReader`` sits between the unpickler and the
# file (it has no ``peek``, so the unpickler asks for every opcode and argument): it refuses a
# memo index larger than the bytes read so far (every memo entry costs at least one opcode
# byte) and a length larger than the bytes that remain.
_MEMO_OPS = frozenset(b"rj")  # LONG_BINPUT, LONG_BINGET: 4-byte index
_LEN4_OPS = frozenset(b"BXT")  # BINBYTES, BINUNICODE, BINSTRING: 4-byte length
_LEN8_OPS = frozenset(b"\x8d\x8e\x95")  # BINUNICODE8, BINBYTES8, FRAME: 8-byte length


class GuardedReader:
    """A file wrapper for the C unpickler; see NOTE [memo and size bombs]. Small reads (opcodes
    and their arguments) are served from an 8 KiB buffer to keep the per-opcode cost low; large
    payloads go straight from the file into the unpickler's buffer (``readinto``)."""

    _CHUNK = 1 << 13

    def __init__(self, f: IO[bytes], filename: str):
        self.f, self.filename, self.pos, self.op = f, filename, 0, -1
        self.buf, self.bpos = b"", 0
        self.size: int | None = None
        self.start: int | None = None
        try:
            here = f.tell()
            self.size = f.seek(0, os.SEEK_END) - here
            f.seek(here)
            self.start = here
        except (AttributeError, OSError, ValueError):
            self.size = None

    def release(self) -> None:
        """Leave the file just after the bytes the unpickler consumed (see NOTE [stream end]).

        The 8 KiB buffer reads ahead; a seekable file is put back where the pickle ended.
        """
        if self.start is not None:
            self.f.seek(self.start + self.pos)

    def _check(self, k: int, b: bytes) -> None:
        op = self.op
        if k == 4 and op in _MEMO_OPS:
            idx = int.from_bytes(b, "little")
            if idx > self.pos:
                raise FormatError(
                    f"{self.filename}: at byte {self.pos} a memo index {idx} is larger than the "
                    "pickle read so far; the file is damaged (or crafted to exhaust memory)"
                )
        elif (k == 4 and op in _LEN4_OPS) or (k == 8 and op in _LEN8_OPS):
            n = int.from_bytes(b, "little")
            left = None if self.size is None else self.size - self.pos - k
            if left is not None and n > left:
                raise FormatError(
                    f"{self.filename}: at byte {self.pos} an item declares {n} bytes but only "
                    f"{max(left, 0)} remain; the file is truncated or damaged"
                )

    def _take(self, k: int) -> bytes:
        bpos = self.bpos
        if bpos + k <= len(self.buf):
            self.bpos = bpos + k
            return self.buf[bpos : bpos + k]
        rest = self.buf[bpos:]
        self.buf, self.bpos = b"", 0
        if k < 0:
            return rest + self.f.read()
        if k - len(rest) >= self._CHUNK:
            return rest + self.f.read(k - len(rest))
        self.buf = rest + self.f.read(self._CHUNK)
        self.bpos = min(k, len(self.buf))
        return self.buf[: self.bpos]

    def read(self, k: int = -1) -> bytes:
        b = self._take(k)
        if (k == 4 or k == 8) and len(b) == k:
            self._check(k, b)
        self.op = b[0] if k == 1 and b else -1
        self.pos += len(b)
        return b

    def readinto(self, buf) -> int:
        view = memoryview(buf).cast("B")
        n = len(view)
        m = min(n, len(self.buf) - self.bpos)
        if m:
            view[:m] = memoryview(self.buf)[self.bpos : self.bpos + m]
        self.bpos += m
        if m < n:
            m += self.f.readinto(view[m:]) or 0
        self.op = -1
        self.pos += m
        return m

    def readline(self) -> bytes:
        parts = []
        while True:
            end = self.buf.find(b"\n", self.bpos)
            if end >= 0:
                parts.append(self.buf[self.bpos : end + 1])
                self.bpos = end + 1
                break
            parts.append(self.buf[self.bpos :])
            self.buf, self.bpos = self.f.read(self._CHUNK), 0
            if not self.buf:
                break
        b = b"".join(parts)
        self.op = -1
        self.pos += len(b)
        return b


# NOTE [stream end]: ``paddle.load`` of a stream reads one object and leaves the stream just
# after it, as Paddle's ``pickle.load`` does, so several objects saved one after another into
# one stream load back one by one. The pure-Python unpickler and the C unpickler without a
# ``peek`` read exactly what they consume; ``GuardedReader`` buffers ahead and seeks back
# (``release``); the memory-mapped reader (lazy_pickle.py) reports where the pickle ended. On a
# failure the stream goes back to where the load started, as Paddle's buffer reader does.


def load_fast(f: IO[bytes], ctx: _Context, filename: str) -> Any:
    """The fast path (NOTE [fast path]); errors are not yet wrapped."""
    obj = _FastUnpickler(f, ctx, filename).load()
    return _Finisher(ctx)(obj)


def file_name(f: Any, name: str | None) -> str:
    """The name used for ``f`` in error messages."""
    if name is not None:
        return str(name)
    n = getattr(f, "name", None)
    return os.fspath(n) if isinstance(n, (str, os.PathLike)) else f"<{type(f).__name__}>"


def damaged(filename: str, err: BaseException, what: str = "a Paddle pickle") -> FormatError:
    """The FormatError for a pickle that failed to parse."""
    found = f"{type(err).__name__}: {err}"[:300]
    if (
        isinstance(err, (EOFError, struct.error))
        or "truncated" in str(err)
        or "exhausted" in str(err)
    ):
        found = f"the data ends early (truncated?): {found}"
    return FormatError(
        f"{filename}: expected {what} (paddle.save output), but it is damaged or not a pickle: "
        f"{found}. Re-save the file or check that it was copied completely."
    )


def with_filename(err: FormatError, filename: str) -> FormatError:
    """``err`` with the file name in front, unless it already names the file."""
    if str(err).startswith(filename):
        return err
    return type(err)(f"{filename}: {err}")


def _refuse_other_formats(f: IO[bytes], filename: str) -> None:
    """Name the format of a file that is clearly not a pickle (sniffed, never parsed)."""
    if not (hasattr(f, "seekable") and f.seekable()):
        return
    pos = f.tell()
    head = f.read(64)
    f.seek(pos)
    kind = sniff(head)
    if kind not in ("pickle", "unknown"):
        raise FormatError(
            f"{filename}: expected a Paddle pickle (paddle.save output) but found {describe(kind)}"
        )


def load(f: IO[bytes], *, name: str | None = None, trusted_globals: Iterable[str] = ()) -> Any:
    """Unpickle a Paddle pickle from a binary stream through the allowlist.

    >>> import io, pickle, numpy as np
    >>> load(io.BytesIO(pickle.dumps({'w': np.ones(2, 'f4')})))['w']
    array([1., 1.], dtype=float32)
    """
    filename = file_name(f, name)
    trusted = frozenset(trusted_globals)
    _refuse_other_formats(f, filename)
    start = _tell(f)
    try:
        if trusted:
            return _SafeUnpickler(f, trusted, filename).load()
        reader = GuardedReader(f, filename)
        obj = load_fast(reader, _Context(), filename)
        reader.release()
        return obj
    except FormatError as e:
        _rewind(f, start)
        raise with_filename(e, filename) from None
    except DAMAGE_ERRORS as e:
        _rewind(f, start)
        raise damaged(filename, e) from None


def _tell(f: IO[bytes]) -> int | None:
    try:
        return f.tell() if f.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _rewind(f: IO[bytes], start: int | None) -> None:
    """Back to where a failed load started (see NOTE [stream end])."""
    if start is not None:
        try:
            f.seek(start)
        except (OSError, ValueError):
            pass


def loads(data: bytes, *, name: str | None = None, trusted_globals: Iterable[str] = ()) -> Any:
    """``load`` from bytes.

    >>> loads(b'\\x80\\x04K\\x03.')
    3
    """
    return load(io.BytesIO(data), name=name or "<bytes>", trusted_globals=trusted_globals)

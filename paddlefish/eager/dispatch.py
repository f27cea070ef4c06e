"""The one dispatch point between the Paddle API and the op registry's kernels.

``dispatch(opdef, inputs, attrs)`` runs the kernel eagerly on torch tensors, or, while a
recorder is installed (``set_recorder``; ``jit`` installs one), hands the call to the recorder
instead: this is the one hook through which recording observes op calls (DESIGN.md, L3).

NOTE [thread-local recording]: the installed recorder belongs to the thread that installed it.
``jit.save`` recording a forward in one thread must never capture the ops another thread runs
eagerly at the same time (and that thread must never get static ``Variable``s back), so the hook
lives in a ``threading.local``: every other thread keeps dispatching to the eager kernels.
"""

from __future__ import annotations

import contextlib
import threading

import torch

from ..errors import OpInputError
from ..ops._registry import OpDef
from .tensor import Tensor, wrap

__all__ = ["dispatch", "get_recorder", "recording", "set_recorder"]



class _HookState(threading.local):
    recorder = None  # the class attribute is every new thread's default


_state = _HookState()


def set_recorder(recorder):
    """Install ``recorder(opdef, inputs, attrs) -> outputs`` (or None) for the calling thread
    only (see NOTE [thread-local recording]); returns the thread's previous one."""
    old, _state.recorder = _state.recorder, recorder
    return old


def get_recorder():
    """The calling thread's recorder, or None when this thread runs ops eagerly."""
    return _state.recorder


def static_recording() -> bool:
    """Whether the calling thread's recorder builds a static-mode program (``paddle.static``):
    only that recorder has ``minimize``; ``jit.save``'s and the ONNX exporter's do not."""
    return hasattr(_state.recorder, "minimize")


@contextlib.contextmanager
def recording(recorder):
    old = set_recorder(recorder)
    try:
        yield recorder
    finally:
        set_recorder(old)


def _unwrap(x):
    if isinstance(x, Tensor):
        return x._t
    if isinstance(x, (list, tuple)):
        return [_unwrap(v) for v in x]
    return x


def _wrap_out(out):
    if isinstance(out, torch.Tensor):
        return wrap(out)
    if isinstance(out, tuple):
        return tuple(_wrap_out(o) for o in out)
    if isinstance(out, list):
        return [_wrap_out(o) for o in out]
    return out


def _describe(x) -> str:
    if isinstance(x, Tensor):
        return f"Tensor(shape={list(x._t.shape)}, dtype={x.dtype.name})"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_describe(v) for v in x) + "]"
    return repr(x)


def dispatch(opdef: OpDef, inputs: tuple, attrs: dict):
    """Run op ``opdef`` on ``inputs`` (Tensors, lists of Tensors or None) with ``attrs``."""
    recorder = _state.recorder
    if recorder is not None:
        return recorder(opdef, inputs, attrs)
    args = [_unwrap(x) for x in inputs]
    try:
        out = opdef.kernel(*args, **attrs)
    except (RuntimeError, IndexError, ValueError, TypeError) as e:
        slots = ", ".join(f"{s.name}={_describe(x)}" for s, x in zip(opdef.inputs, inputs))
        raise OpInputError(
            f"op {opdef.type!r} failed on inputs ({slots}) with attributes {attrs}: {e}"
        ) from e
    return _wrap_out(out)

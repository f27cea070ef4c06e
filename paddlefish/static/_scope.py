"""``paddle.static.global_scope()`` / ``scope_guard``: where a static program's variables live.

A ``Scope`` maps variable names to paddlefish Tensors (parameters stay ``Parameter``s so the
optimizer can train them in place). ``find_var(name).get_tensor()`` gives Paddle's
``LoDTensor`` view: numpy-convertible (``np.array(t)``), ``set(value, place)``, ``shape()``.

>>> import numpy as np
>>> s = Scope()
>>> s.var('w').get_tensor().set(np.ones([2], 'float32'), None)
>>> np.array(s.find_var('w').get_tensor()).tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np
import torch

from ..eager._dtype import numpy_to_torch
from ..eager.tensor import Tensor, wrap

__all__ = ["LoDTensorView", "Scope", "ScopeVar", "global_scope", "scope_guard"]


def assign_value(t: Tensor, value) -> None:
    """Set ``t``'s value in place (same shape and dtype: a copy into the existing storage, so
    optimizers holding ``t`` see it), else rebind its storage keeping ``requires_grad``."""
    new = value._t if isinstance(value, Tensor) else value
    if not isinstance(new, torch.Tensor):
        new = numpy_to_torch(np.asarray(new), None)
    with torch.no_grad():
        if new.shape == t._t.shape and new.dtype == t._t.dtype:
            t._t.copy_(new)
        else:
            t._t = new.detach().clone().requires_grad_(t._t.requires_grad)


class LoDTensorView:
    """Paddle's ``LoDTensor`` as ``ScopeVar.get_tensor()`` returns it."""

    def __init__(self, scope: Scope, name: str):
        self._scope, self._name = scope, name

    def _value(self) -> Tensor:
        t = self._scope._get(self._name)
        if t is None:
            raise RuntimeError(f"scope variable {self._name!r} is not initialized yet: run the "
                               "startup program (exe.run(startup_program)) or set() a value")
        return t

    def __array__(self, dtype=None, copy=None):
        arr = self._value()._t.detach().cpu().numpy().copy()  # a snapshot, as Paddle's
        return arr.astype(dtype) if dtype is not None else arr

    def numpy(self) -> np.ndarray:
        return np.array(self)

    def set(self, value, place=None) -> None:
        t = self._scope._get(self._name)
        if t is None:
            arr = np.asarray(value._t.detach().cpu() if isinstance(value, Tensor) else value)
            self._scope._set(self._name, wrap(numpy_to_torch(arr, None)))
        else:
            assign_value(t, value)

    def shape(self) -> list[int]:
        return list(self._value()._t.shape)

    def _is_initialized(self) -> bool:
        return self._scope._get(self._name) is not None

    def lod(self) -> list:
        return []

    def set_lod(self, lod) -> None:
        if lod:
            raise NotImplementedError("LoD (variable-length sequences) is not supported by "
                                      "paddlefish; pad the batch instead")

    def __repr__(self) -> str:
        return f"LoDTensor({self._name})"


class ScopeVar:
    """Paddle's ``core.Variable`` of a scope."""

    def __init__(self, scope: Scope, name: str):
        self._scope, self._name = scope, name

    def get_tensor(self) -> LoDTensorView:
        return LoDTensorView(self._scope, self._name)

    def is_initialized(self) -> bool:
        return self._scope._get(self._name) is not None

    def name(self) -> str:
        return self._name


class Scope:
    """Name -> Tensor store of the static executor."""

    def __init__(self):
        self._vars: dict[str, Tensor | None] = {}
        self._version = 0  # bumped when a name is bound to another Tensor (executor caches)

    def var(self, name: str) -> ScopeVar:
        """The variable ``name``, created (uninitialised) if missing."""
        self._vars.setdefault(name, None)
        return ScopeVar(self, name)

    def find_var(self, name: str) -> ScopeVar | None:
        return ScopeVar(self, name) if name in self._vars else None

    def local_var_names(self) -> list[str]:
        return list(self._vars)

    def erase(self, names) -> None:
        for n in names:
            self._vars.pop(n, None)
        self._version += 1

    def drop_kids(self) -> None:
        pass

    def _get(self, name: str) -> Tensor | None:
        return self._vars.get(name)

    def _set(self, name: str, t: Tensor) -> None:
        self._vars[name] = t
        self._version += 1


class _Current(threading.local):
    scope: Scope | None = None


_GLOBAL = Scope()
_CURRENT = _Current()


def global_scope() -> Scope:
    """The scope ``Executor.run`` uses by default (the innermost ``scope_guard``'s)."""
    return _CURRENT.scope if _CURRENT.scope is not None else _GLOBAL


@contextlib.contextmanager
def scope_guard(scope: Scope):
    """Make ``scope`` the ``global_scope()`` inside the ``with`` block."""
    if not isinstance(scope, Scope):
        raise TypeError(f"scope_guard: expected a paddle.static.Scope, got {type(scope).__name__}")
    old, _CURRENT.scope = _CURRENT.scope, scope
    try:
        yield
    finally:
        _CURRENT.scope = old

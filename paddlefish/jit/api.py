"""``paddle.jit.to_static`` and friends.

A ``StaticFunction`` runs eagerly (the same math) and remembers what ``jit.save`` needs: the
``input_spec`` it was declared with and, as Paddle's program cache does, the signature of its last
call (NOTE [last call input spec]).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types

import numpy as np

from .. import ir
from .._core import nest
from ..eager.tensor import Tensor
from ..nn.layer.layers import Layer
from .translated_layer import INFER_MODEL_SUFFIX as INFER_MODEL_SUFFIX
from .translated_layer import INFER_PARAMS_INFO_SUFFIX as INFER_PARAMS_INFO_SUFFIX
from .translated_layer import INFER_PARAMS_SUFFIX as INFER_PARAMS_SUFFIX

__all__ = [
    "INFER_MODEL_SUFFIX",
    "INFER_PARAMS_INFO_SUFFIX",
    "INFER_PARAMS_SUFFIX",
    "StaticFunction",
    "enable_to_static",
    "ignore_module",
    "is_ignored",
    "not_to_static",
    "to_static",
    "to_static_enabled",
]

_NOT_TO_STATIC = "_paddlefish_not_to_static"


@dataclasses.dataclass
class _Switches:
    """Process-wide dy2static switches (``enable_to_static``, ``ignore_module``)."""

    enabled: bool = True
    ignored_modules: list = dataclasses.field(default_factory=list)


_SWITCHES = _Switches()


def _positional_names(fn) -> tuple[list[str], dict]:
    """Named parameters (not ``*args``/``**kwargs``; ``self`` is already bound) and defaults."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return [], {}
    named = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [p.name for p in named], {p.name: p.default for p in named if p.default is not p.empty}


def _leaf_spec(leaf, name: str):
    if isinstance(leaf, Tensor):
        spec = ir.InputSpec.from_tensor(leaf, name=name)
        spec.stop_gradient = leaf.stop_gradient
        return spec
    spec = ir.InputSpec.from_numpy(leaf, name)
    spec.stop_gradient = True
    return spec


def call_input_spec(fn, args: tuple, kwargs: dict, signature=None) -> list | None:
    """NOTE [last call input spec]: Paddle's ``jit.save`` of a ``@to_static`` function declared
    without ``input_spec`` uses the program traced at its last call. The arguments are first
    completed to every named parameter (keywords moved to their position, defaults filled in);
    then each tensor leaf of argument ``order`` named ``arg`` becomes an ``InputSpec`` of its
    concrete shape named ``_jst.{order}.{arg}.{index}`` (``order`` zero-padded to the digits of
    the last position, ``index`` counting tensors within that argument); other leaves stay as
    Python constants. ``None`` when the call had no tensor at all."""
    names, defaults = signature if signature is not None else _positional_names(fn)
    args = list(args)
    for name in names[len(args):]:
        if name in kwargs:
            args.append(kwargs[name])
        elif name in defaults:
            args.append(defaults[name])
        else:
            return None  # an incomplete call fails in the function itself
    names = names + [f"args_{i}" for i in range(len(names), len(args))]
    digits = len(str(len(names) - 1))
    specs, found = [], False
    for order, (arg, name) in enumerate(zip(args, names)):
        leaves, index = [], 0
        for leaf in nest.flatten(arg):
            if isinstance(leaf, (Tensor, np.ndarray)):
                leaf = _leaf_spec(leaf, f"_jst.{str(order).zfill(digits)}.{name}.{index}")
                index += 1
                found = True
            leaves.append(leaf)
        specs.append(nest.pack_sequence_as(arg, leaves))
    return specs if found else None


class StaticFunction:
    """A function marked for conversion: it runs eagerly (the same math), and remembers its
    ``input_spec`` and its last call's signature for ``jit.save``.

    On a class, ``layer.method`` gives the instance's own bound ``StaticFunction`` (created on
    first access and kept in the instance), so the last call is remembered per layer, as Paddle.
    """

    def __init__(self, function, input_spec=None, **kwargs):
        if input_spec is not None and not isinstance(input_spec, (list, tuple)):
            raise TypeError(f"The type(input_spec) should be one of (tuple, list), but received "
                            f"{type(input_spec).__name__}.")
        self.function = function
        self.input_spec = None if input_spec is None else tuple(input_spec)
        self.kwargs = kwargs
        self.is_property = bool(kwargs.get("property", False))
        self.last_call_input_spec = None
        self._attr_name = getattr(function, "__name__", "forward")
        self._signature = None
        functools.update_wrapper(self, function)

    def __set_name__(self, owner, name):
        self._attr_name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        bound = StaticFunction(self.function.__get__(instance, owner), self.input_spec,
                               **self.kwargs)
        bound._attr_name = self._attr_name
        if isinstance(instance, Layer):
            instance.__dict__[self._attr_name] = bound  # later lookups find this one
        return bound

    def __call__(self, *args, **kwargs):
        if self.input_spec is None:
            if self._signature is None:
                self._signature = _positional_names(self.function)
            specs = call_input_spec(self.function, args, kwargs, self._signature)
            if specs is not None:
                self.last_call_input_spec = specs
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        names, _ = _positional_names(self.function)
        return (f"function: {getattr(self.function, '__name__', '?')}({','.join(names)}), "
                f"input_spec: {self.input_spec}")

    @property
    def _paddlefish_static(self):
        return self

    def concrete_program_specify_input_spec(self, input_spec=None, **kwargs):
        return self


def to_static(function=None, input_spec=None, build_strategy=None, backend=None, **kwargs):
    """Mark a Layer or function for static conversion (``jit.save`` uses its ``input_spec``,
    or the signature of its last call when it has none).

    >>> import paddlefish as paddle
    >>> net = paddle.jit.to_static(paddle.nn.Linear(2, 2),
    ...                            input_spec=[paddle.static.InputSpec([None, 2])])
    >>> net(paddle.ones([1, 2])).shape
    [1, 2]
    """

    def deco(fn):
        if isinstance(fn, Layer):
            forward = inspect.getattr_static(type(fn), "forward")
            if isinstance(forward, StaticFunction):
                forward = forward.function
            static = StaticFunction(forward.__get__(fn, type(fn)), input_spec, **kwargs)
            static._attr_name = "forward"
            fn.__dict__["forward"] = static  # as Paddle: the instance's forward is converted
            return fn
        if isinstance(fn, StaticFunction):
            fn = fn.function
        return StaticFunction(fn, input_spec, **kwargs)

    return deco if function is None else deco(function)


def not_to_static(func=None):
    """Keep ``func`` out of dynamic-to-static conversion: ``jit.save`` records the ops it runs
    but does not rewrite its Python control flow.

    >>> import paddlefish as paddle
    >>> @paddle.jit.not_to_static
    ... def helper(x):
    ...     return x + 1
    >>> helper(paddle.ones([1])).numpy().tolist()
    [2.0]
    """
    if func is None:
        return not_to_static
    target = func.__func__ if isinstance(func, types.MethodType) else func
    try:
        setattr(target, _NOT_TO_STATIC, True)
    except (AttributeError, TypeError):
        pass  # a builtin: never converted anyway
    return func


def ignore_module(modules) -> None:
    """Functions of these modules are never converted (Paddle's ``add_ignore_module``).

    >>> import math, paddlefish as paddle
    >>> paddle.jit.ignore_module([math])
    """
    for module in modules:
        if not isinstance(module, types.ModuleType):
            raise TypeError(f"paddle.jit.ignore_module takes a list of modules, got an element "
                            f"of type {type(module).__name__}")
        if module not in _SWITCHES.ignored_modules:
            _SWITCHES.ignored_modules.append(module)


def is_ignored(fn) -> bool:
    """Whether ``fn`` is marked ``not_to_static`` or lives in an ``ignore_module`` module."""
    target = fn.__func__ if isinstance(fn, types.MethodType) else fn
    if getattr(target, _NOT_TO_STATIC, False):
        return True
    module = getattr(target, "__module__", None)
    return any(m.__name__ == module for m in _SWITCHES.ignored_modules)


def enable_to_static(enable_to_static_bool: bool) -> None:
    """Turn dynamic-to-static conversion on or off process-wide. Off, ``@to_static`` functions
    run eagerly (as always here) and ``jit.save`` refuses to run, as Paddle.

    >>> import paddlefish as paddle
    >>> paddle.jit.enable_to_static(False); paddle.jit.enable_to_static(True)
    """
    if not isinstance(enable_to_static_bool, bool):
        raise TypeError(f"The type of 'enable_to_static_bool' in paddle.jit.enable_to_static "
                        f"must be bool, but received {type(enable_to_static_bool)}.")
    _SWITCHES.enabled = enable_to_static_bool


def to_static_enabled() -> bool:
    return _SWITCHES.enabled

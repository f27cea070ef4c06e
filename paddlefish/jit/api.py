"""``paddle.jit.to_static`` and friends."""

from __future__ import annotations

import functools

from ..nn.layer.layers import Layer

__all__ = ["StaticFunction", "enable_to_static", "ignore_module", "not_to_static", "to_static"]


class StaticFunction:
    """A function marked for conversion: it runs eagerly (the same math), and remembers its
    ``input_spec`` for ``jit.save``."""

    def __init__(self, function, input_spec=None, bound: bool = False, **kwargs):
        self.function = function
        self.input_spec = input_spec
        self.bound = bound
        self.kwargs = kwargs
        functools.update_wrapper(self, function)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        bound = StaticFunction(self.function.__get__(instance, owner), self.input_spec,
                               bound=False, **self.kwargs)
        bound.__dict__["_paddlefish_static"] = bound
        return bound

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    @property
    def _paddlefish_static(self):
        return self

    def concrete_program_specify_input_spec(self, input_spec=None, **kwargs):
        return self


def to_static(function=None, input_spec=None, build_strategy=None, backend=None, **kwargs):
    """Mark a Layer or function for static conversion (``jit.save`` uses its ``input_spec``).

    >>> import paddlefish as paddle
    >>> net = paddle.jit.to_static(paddle.nn.Linear(2, 2),
    ...                            input_spec=[paddle.static.InputSpec([None, 2])])
    >>> net(paddle.ones([1, 2])).shape
    [1, 2]
    """

    def deco(fn):
        if isinstance(fn, Layer):
            fn.__dict__["_paddlefish_static"] = StaticFunction(type(fn).forward, input_spec,
                                                               bound=True)
            return fn
        return StaticFunction(fn, input_spec, **kwargs)

    return deco if function is None else deco(function)


def not_to_static(func=None):
    return func if func is not None else (lambda f: f)


def ignore_module(modules) -> None:
    return None


def enable_to_static(enable: bool) -> None:
    return None

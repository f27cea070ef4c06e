"""``paddle.create_parameter`` (Paddle's ``tensor/creation.py`` + ``LayerHelperBase``).

NOTE [create_parameter names]: with ``name=None`` every call takes a helper name
``create_parameter_N`` from the unique-name generator (even when ``attr`` names the parameter,
or the call then fails) and an unnamed parameter is ``create_parameter_N.w_0`` (``.b_0`` with
``is_bias=True``). With ``name`` given and no ``attr``, the parameter is called ``name``; with
both ``name`` and an unnamed ``attr``, it is ``name.w_0``. Observed in Paddle 2.6 and 3.3
(tests/framework/test_oracle_paddle_edges.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from .._core import unique_name
from .._core.dtypes import convert_dtype
from ..eager import Parameter, to_torch_dtype
from ..nn import initializer as init
from ..nn.param_attr import ParamAttr

__all__ = ["create_parameter"]

_DEFAULT_INIT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _check_shape(shape: Any) -> list[int]:
    if not isinstance(shape, (list, tuple, np.ndarray)):
        raise TypeError(
            f"paddle.create_parameter: shape must be a list or tuple of ints, got "
            f"{type(shape).__name__}"
        )
    bad = [s for s in shape if isinstance(s, bool) or not isinstance(s, (int, np.integer))]
    if bad:
        raise TypeError(
            f"paddle.create_parameter: shape must be a list of ints, got {list(shape)!r} "
            f"({type(bad[0]).__name__} {bad[0]!r})"
        )
    out = [int(s) for s in shape]
    if any(s < 0 for s in out):
        raise ValueError(
            f"paddle.create_parameter: every dim of shape must be >= 0, got {out}; a parameter "
            "has a fixed shape (no -1)"
        )
    return out


def create_parameter(
    shape: Sequence[int],
    dtype: Any,
    name: str | None = None,
    attr: ParamAttr | str | bool | None = None,
    is_bias: bool = False,
    default_initializer: init.Initializer | None = None,
) -> Parameter | None:
    """Create a trainable Parameter outside any Layer, named and initialized as in Paddle.

    The initializer is ``attr.initializer``, else the global one
    (``nn.initializer.set_global_initializer``), else ``default_initializer``, else
    ``XavierUniform`` for weights and ``Constant(0.0)`` for ``is_bias=True`` (float dtypes only;
    other dtypes need an initializer). ``attr=False`` returns None. Names: see NOTE
    [create_parameter names].

    >>> import paddlefish as paddle
    >>> with paddle.utils.unique_name.guard():
    ...     w = create_parameter([3, 2], 'float32')
    ...     b = create_parameter([2], 'float32', is_bias=True)
    >>> w.name, b.name, b.tolist(), w.stop_gradient
    ('create_parameter_0.w_0', 'create_parameter_1.b_0', [0.0, 0.0], False)
    """
    helper = name if name is not None else unique_name.generate("create_parameter")
    attr = ParamAttr._to_attr(ParamAttr(name=name) if attr is None else attr)
    if attr is False:
        return None
    shape = _check_shape(shape)
    dtype = convert_dtype(dtype)
    initializer = attr.initializer or init.global_initializer(is_bias) or default_initializer
    if initializer is None:
        if dtype.name not in _DEFAULT_INIT_DTYPES:
            raise TypeError(
                f"paddle.create_parameter: a {dtype.name} parameter has no default initializer "
                f"(only {', '.join(_DEFAULT_INIT_DTYPES)} do); pass default_initializer=, e.g. "
                "paddle.nn.initializer.Constant(0)"
            )
        initializer = init.Constant(0.0) if is_bias else init.XavierUniform()
    param_name = attr.name or unique_name.generate(f"{helper}.{'b' if is_bias else 'w'}")
    p = Parameter(
        torch.empty(shape, dtype=to_torch_dtype(dtype)),
        name=param_name,
        trainable=attr.trainable,
        optimize_attr={"learning_rate": attr.learning_rate},
        regularizer=attr.regularizer,
        need_clip=attr.need_clip,
    )
    initializer(p)
    return p

"""Activation functionals (``paddle.nn.functional.relu6`` ...), each one Paddle 2.6 op."""

from __future__ import annotations

from ..._core.dtypes import convert_dtype
from ...tensor._run import run

__all__ = [
    "elu",
    "gelu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "prelu",
    "relu6",
    "selu",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "swish",
    "tanhshrink",
]


def relu6(x, name=None):
    return run("relu6", x, threshold=6.0)


def leaky_relu(x, negative_slope=0.01, name=None):
    return run("leaky_relu", x, alpha=float(negative_slope))


def prelu(x, weight, data_format="NCHW", name=None):
    """``max(0, x) + weight * min(0, x)``; one weight ('all') or one per channel ('channel').

    >>> import paddlefish as paddle
    >>> F = paddle.nn.functional
    >>> F.prelu(paddle.to_tensor([-2.0, 3.0]), paddle.to_tensor([0.25])).tolist()
    [-0.5, 3.0]
    """
    mode = "all" if weight.shape[0] == 1 else "channel"
    if mode == "channel":
        c = x.shape[1] if data_format.startswith("NC") else x.shape[-1]
        if c != weight.shape[0]:
            raise ValueError(
                f"prelu: weight has {weight.shape[0]} entries but the input "
                f"{x.shape} has {c} channels (data_format {data_format})"
            )
    return run("prelu", x, weight, mode=mode, data_format=data_format)


def elu(x, alpha=1.0, name=None):
    return run("elu", x, alpha=float(alpha))


def selu(
    x, scale=1.0507009873554804934193349852946, alpha=1.6732632423543772848170429916717, name=None
):
    return run("selu", x, scale=float(scale), alpha=float(alpha))


def gelu(x, approximate=False, name=None):
    return run("gelu", x, approximate=bool(approximate))


def _cast_to(x, dtype):
    if dtype is None:
        return x
    d = convert_dtype(dtype)
    if d is x.dtype:
        return x
    return run("cast", x, in_dtype=x.dtype.vartype, out_dtype=d.vartype)


def softmax(x, axis=-1, dtype=None, name=None):
    """Softmax along ``axis``; ``dtype`` casts the input first (a ``cast`` op, as Paddle).

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.softmax(paddle.zeros([2]), dtype='float64').dtype
    paddle.float64
    """
    return run("softmax", _cast_to(x, dtype), axis=axis)


def log_softmax(x, axis=-1, dtype=None, name=None):
    return run("log_softmax", _cast_to(x, dtype), axis=axis)


def hardswish(x, name=None):
    return run("hard_swish", x, threshold=6.0, scale=6.0, offset=3.0)


def hardsigmoid(x, slope=0.1666667, offset=0.5, name=None):
    return run("hard_sigmoid", x, slope=float(slope), offset=float(offset))


def hardtanh(x, min=-1.0, max=1.0, name=None):
    return run("brelu", x, t_min=float(min), t_max=float(max))


def swish(x, name=None):
    return run("swish", x)


def silu(x, name=None):
    return run("silu", x)


def mish(x, name=None):
    return run("mish", x, threshold=20.0)


def softplus(x, beta=1, threshold=20, name=None):
    return run("softplus", x, beta=float(beta), threshold=float(threshold))


def softsign(x, name=None):
    return run("softsign", x)


def tanhshrink(x, name=None):
    return run("tanh_shrink", x)


def log_sigmoid(x, name=None):
    return run("logsigmoid", x)

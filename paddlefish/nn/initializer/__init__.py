"""Parameter initializers (``paddle.nn.initializer``). Each fills a Parameter in place.

Paddle's random streams are not torch's, so values differ from real Paddle for the same seed;
the distributions (and fan computations) are Paddle's.
"""

from __future__ import annotations

from ..._core.missing import module_getattr as _module_getattr
import math

import numpy as np
import torch

from ...eager.tensor import Tensor

__all__ = [
    "Assign",
    "Bilinear",
    "Constant",
    "Initializer",
    "KaimingNormal",
    "KaimingUniform",
    "Normal",
    "Orthogonal",
    "TruncatedNormal",
    "Uniform",
    "XavierNormal",
    "XavierUniform",
    "calculate_gain",
    "set_global_initializer",
]


def _fans(shape):
    # NOTE [initializer fans]: Paddle computes fan_in = shape[0] and fan_out = shape[1] for 2-D
    # weights (Linear weight is [in, out]) and, for conv filters [out, in, k...],
    # fan_in = in * prod(k), fan_out = out * prod(k).
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = int(np.prod(shape[2:]))
    return shape[1] * rf, shape[0] * rf


class Initializer:
    def __call__(self, param: Tensor, block=None) -> Tensor:
        with torch.no_grad():
            self._fill(param._t)
        return param

    def _fill(self, t: torch.Tensor) -> None:
        raise NotImplementedError


class Constant(Initializer):
    def __init__(self, value: float = 0.0):
        self.value = value

    def _fill(self, t):
        t.fill_(self.value)


class Normal(Initializer):
    def __init__(self, mean=0.0, std=1.0, name=None):
        self.mean, self.std = mean, std

    def _fill(self, t):
        t.normal_(self.mean, self.std)


class TruncatedNormal(Initializer):
    def __init__(self, mean=0.0, std=1.0, a=-2.0, b=2.0, name=None):
        self.mean, self.std, self.a, self.b = mean, std, a, b

    def _fill(self, t):
        torch.nn.init.trunc_normal_(t, self.mean, self.std, self.mean + self.a * self.std,
                                    self.mean + self.b * self.std)


class Uniform(Initializer):
    def __init__(self, low=-1.0, high=1.0, name=None):
        self.low, self.high = low, high

    def _fill(self, t):
        t.uniform_(self.low, self.high)


class XavierUniform(Initializer):
    def __init__(self, fan_in=None, fan_out=None, gain=1.0, name=None):
        self.fan_in, self.fan_out, self.gain = fan_in, fan_out, gain

    def _fill(self, t):
        fi, fo = _fans(list(t.shape))
        fi = self.fan_in if self.fan_in is not None else fi
        fo = self.fan_out if self.fan_out is not None else fo
        limit = self.gain * math.sqrt(6.0 / float(fi + fo))
        t.uniform_(-limit, limit)


class XavierNormal(Initializer):
    def __init__(self, fan_in=None, fan_out=None, gain=1.0, name=None):
        self.fan_in, self.fan_out, self.gain = fan_in, fan_out, gain

    def _fill(self, t):
        fi, fo = _fans(list(t.shape))
        fi = self.fan_in if self.fan_in is not None else fi
        fo = self.fan_out if self.fan_out is not None else fo
        t.normal_(0.0, self.gain * math.sqrt(2.0 / float(fi + fo)))


def calculate_gain(nonlinearity, param=None):
    gains = {"sigmoid": 1.0, "linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0,
             "conv1d_transpose": 1.0, "conv2d_transpose": 1.0, "conv3d_transpose": 1.0,
             "tanh": 5.0 / 3, "relu": math.sqrt(2.0), "selu": 3.0 / 4}
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity not in gains:
        raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; "
                         f"expected one of {sorted(gains) + ['leaky_relu']}")
    return gains[nonlinearity]


class KaimingNormal(Initializer):
    def __init__(self, fan_in=None, negative_slope=0.0, nonlinearity="relu"):
        self.fan_in, self.slope, self.nl = fan_in, negative_slope, nonlinearity

    def _fill(self, t):
        fi = self.fan_in if self.fan_in is not None else _fans(list(t.shape))[0]
        gain = calculate_gain(self.nl, self.slope)
        t.normal_(0.0, gain / math.sqrt(float(fi)))


class KaimingUniform(Initializer):
    def __init__(self, fan_in=None, negative_slope=0.0, nonlinearity="relu"):
        self.fan_in, self.slope, self.nl = fan_in, negative_slope, nonlinearity

    def _fill(self, t):
        fi = self.fan_in if self.fan_in is not None else _fans(list(t.shape))[0]
        gain = calculate_gain(self.nl, self.slope)
        limit = gain * math.sqrt(3.0 / float(fi))
        t.uniform_(-limit, limit)


class Assign(Initializer):
    def __init__(self, value, name=None):
        self.value = value

    def _fill(self, t):
        v = self.value._t if isinstance(self.value, Tensor) else torch.as_tensor(
            np.asarray(self.value))
        if list(v.shape) != list(t.shape):
            raise ValueError(f"Assign initializer: value shape {list(v.shape)} does not match "
                             f"the parameter shape {list(t.shape)}")
        t.copy_(v.to(t.dtype))


class Bilinear(Initializer):
    def _fill(self, t):
        shape = list(t.shape)
        f = math.ceil(shape[3] / 2)
        c = (2 * f - 1 - f % 2) / (2.0 * f)
        w = np.zeros(shape, dtype=np.float32)
        for i in range(int(np.prod(shape))):
            x = i % shape[3]
            y = (i // shape[3]) % shape[2]
            w.flat[i] = (1 - abs(x / f - c)) * (1 - abs(y / f - c))
        t.copy_(torch.from_numpy(w))


class Orthogonal(Initializer):
    def __init__(self, gain=1.0, name=None):
        self.gain = gain

    def _fill(self, t):
        torch.nn.init.orthogonal_(t, self.gain)


_global = {"weight": None, "bias": None}


def set_global_initializer(weight_init, bias_init=None):
    _global["weight"], _global["bias"] = weight_init, bias_init


def global_initializer(is_bias: bool):
    return _global["bias" if is_bias else "weight"]

__getattr__ = _module_getattr("paddle.nn.initializer")

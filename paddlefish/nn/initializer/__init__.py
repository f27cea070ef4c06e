"""Parameter initializers (``paddle.nn.initializer``). Each fills a Parameter in place.

Paddle's random streams are not torch's, so values differ from real Paddle for the same seed;
the distributions (and fan computations) are Paddle's.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ..._core.missing import module_getattr as _module_getattr
from ...eager.tensor import Tensor

__all__ = [
    "Assign",
    "Bilinear",
    "Constant",
    "ConstantInitializer",
    "Dirac",
    "Initializer",
    "KaimingNormal",
    "KaimingUniform",
    "MSRAInitializer",
    "Normal",
    "NormalInitializer",
    "NumpyArrayInitializer",
    "Orthogonal",
    "TruncatedNormal",
    "TruncatedNormalInitializer",
    "Uniform",
    "UniformInitializer",
    "XavierInitializer",
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


# Paddle 1.x-style classes (``ConstantInitializer`` ...) are the bases of the 2.x ones, as in
# Paddle, so ``isinstance(Constant(), ConstantInitializer)`` holds; ``seed`` is accepted and
# ignored (paddlefish draws from the global generator, see ``paddle.seed``).
class ConstantInitializer(Initializer):
    def __init__(self, value=0.0, force_cpu=False):
        self.value = value

    def _fill(self, t):
        t.fill_(self.value)


class Constant(ConstantInitializer):
    def __init__(self, value: float = 0.0):
        super().__init__(value)


class NormalInitializer(Initializer):
    def __init__(self, loc=0.0, scale=1.0, seed=0):
        self.mean, self.std = loc, scale

    def _fill(self, t):
        t.normal_(self.mean, self.std)


class Normal(NormalInitializer):
    def __init__(self, mean=0.0, std=1.0, name=None):
        super().__init__(mean, std)


class TruncatedNormalInitializer(Initializer):
    def __init__(self, loc=0.0, scale=1.0, seed=0):
        self.mean, self.std, self.a, self.b = loc, scale, -2.0, 2.0

    def _fill(self, t):
        torch.nn.init.trunc_normal_(t, self.mean, self.std, self.mean + self.a * self.std,
                                    self.mean + self.b * self.std)


class TruncatedNormal(TruncatedNormalInitializer):
    def __init__(self, mean=0.0, std=1.0, a=-2.0, b=2.0, name=None):
        super().__init__(mean, std)
        self.a, self.b = a, b


class UniformInitializer(Initializer):
    def __init__(self, low=-1.0, high=1.0, seed=0, diag_num=0, diag_step=0, diag_val=1.0):
        self.low, self.high = low, high
        self.diag = (diag_num, diag_step, diag_val)

    def _fill(self, t):
        # Paddle's dynamic graph ignores the diag_* options too (observed in 2.6 and 3.3)
        t.uniform_(self.low, self.high)


class Uniform(UniformInitializer):
    def __init__(self, low=-1.0, high=1.0, name=None):
        super().__init__(low, high)


class XavierInitializer(Initializer):
    def __init__(self, uniform=True, fan_in=None, fan_out=None, seed=0):
        self.uniform, self.fan_in, self.fan_out, self.gain = uniform, fan_in, fan_out, 1.0

    def _fill(self, t):
        (XavierUniform if self.uniform else XavierNormal)._fill(self, t)


class XavierUniform(XavierInitializer):
    def __init__(self, fan_in=None, fan_out=None, gain=1.0, name=None):
        self.fan_in, self.fan_out, self.gain = fan_in, fan_out, gain

    def _fill(self, t):
        fi, fo = _fans(list(t.shape))
        fi = self.fan_in if self.fan_in is not None else fi
        fo = self.fan_out if self.fan_out is not None else fo
        limit = self.gain * math.sqrt(6.0 / float(fi + fo))
        t.uniform_(-limit, limit)


class XavierNormal(XavierInitializer):
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


class MSRAInitializer(Initializer):
    def __init__(self, uniform=True, fan_in=None, seed=0, negative_slope=0, nonlinearity="relu"):
        self.uniform = uniform
        self.fan_in, self.slope, self.nl = fan_in, negative_slope, nonlinearity

    def _fill(self, t):
        (KaimingUniform if self.uniform else KaimingNormal)._fill(self, t)


class KaimingNormal(MSRAInitializer):
    def __init__(self, fan_in=None, negative_slope=0.0, nonlinearity="relu"):
        self.fan_in, self.slope, self.nl = fan_in, negative_slope, nonlinearity

    def _fill(self, t):
        fi = self.fan_in if self.fan_in is not None else _fans(list(t.shape))[0]
        gain = calculate_gain(self.nl, self.slope)
        t.normal_(0.0, gain / math.sqrt(float(fi)))


class KaimingUniform(MSRAInitializer):
    def __init__(self, fan_in=None, negative_slope=0.0, nonlinearity="relu"):
        self.fan_in, self.slope, self.nl = fan_in, negative_slope, nonlinearity

    def _fill(self, t):
        fi = self.fan_in if self.fan_in is not None else _fans(list(t.shape))[0]
        gain = calculate_gain(self.nl, self.slope)
        limit = gain * math.sqrt(3.0 / float(fi))
        t.uniform_(-limit, limit)


class NumpyArrayInitializer(Initializer):
    def __init__(self, value):
        self.value = value

    def _fill(self, t):
        Assign._fill(self, t)


class Assign(NumpyArrayInitializer):
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


class Dirac(Initializer):
    """Identity-preserving conv weights ``[out, in, k...]``: a 1 at the kernel centre of
    channel ``i -> i`` within each of ``groups`` groups (Paddle's and torch's definition)."""

    def __init__(self, groups=1, name=None):
        self.groups = groups

    def _fill(self, t):
        if t.dim() not in (3, 4, 5):
            raise AssertionError(  # Paddle's exception type
                f"Only Tensor with 3/4/5 dimensions can be initialized by Dirac, got shape "
                f"{list(t.shape)}"
            )
        if t.shape[0] % self.groups != 0:
            raise AssertionError("Tensor 0-dimension must be divisible by groups")
        torch.nn.init.dirac_(t, self.groups)


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

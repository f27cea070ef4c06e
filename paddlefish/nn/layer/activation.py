"""Activation layers: thin wrappers over ``nn.functional`` (each one Paddle op)."""

from __future__ import annotations

from ... import tensor as M
from .. import initializer as init
from ..functional import activation as F
from .layers import Layer

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Silu",
    "Softmax",
    "Softplus",
    "Softsign",
    "Swish",
    "Tanh",
    "Tanhshrink",
]


def _simple(cls_name, fn, doc=""):
    def __init__(self, name=None):
        Layer.__init__(self)
        self._name = name

    def forward(self, x):
        return fn(x)

    return type(
        cls_name,
        (Layer,),
        {
            "__init__": __init__,
            "forward": forward,
            "__doc__": doc or f"``{cls_name}`` activation layer.",
            "__module__": __name__,
        },
    )


ReLU = _simple(
    "ReLU",
    M.relu,
    """ReLU layer.

    >>> import paddlefish as paddle
    >>> paddle.nn.ReLU()(paddle.to_tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """,
)
ReLU6 = _simple("ReLU6", F.relu6)
Sigmoid = _simple("Sigmoid", M.sigmoid)
Tanh = _simple("Tanh", M.tanh)
Hardswish = _simple("Hardswish", F.hardswish)
Swish = _simple("Swish", F.swish)
Silu = _simple("Silu", F.silu)
SiLU = Silu
Mish = _simple("Mish", F.mish)
Softsign = _simple("Softsign", F.softsign)
Tanhshrink = _simple("Tanhshrink", F.tanhshrink)
LogSigmoid = _simple("LogSigmoid", F.log_sigmoid)


class LeakyReLU(Layer):
    def __init__(self, negative_slope=0.01, name=None):
        super().__init__()
        self._negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self._negative_slope)


class ELU(Layer):
    def __init__(self, alpha=1.0, name=None):
        super().__init__()
        self._alpha = alpha

    def forward(self, x):
        return F.elu(x, self._alpha)


class SELU(Layer):
    def __init__(
        self,
        scale=1.0507009873554804934193349852946,
        alpha=1.6732632423543772848170429916717,
        name=None,
    ):
        super().__init__()
        self._scale, self._alpha = scale, alpha

    def forward(self, x):
        return F.selu(x, self._scale, self._alpha)


class GELU(Layer):
    def __init__(self, approximate=False, name=None):
        super().__init__()
        self._approximate = approximate

    def forward(self, x):
        return F.gelu(x, self._approximate)


class Softmax(Layer):
    def __init__(self, axis=-1, name=None):
        super().__init__()
        self._axis = axis

    def forward(self, x):
        return F.softmax(x, self._axis)


class LogSoftmax(Layer):
    def __init__(self, axis=-1, name=None):
        super().__init__()
        self._axis = axis

    def forward(self, x):
        return F.log_softmax(x, self._axis)


class Hardsigmoid(Layer):
    def __init__(self, name=None):
        super().__init__()

    def forward(self, x):
        return F.hardsigmoid(x)


class Hardtanh(Layer):
    def __init__(self, min=-1.0, max=1.0, name=None):
        super().__init__()
        self._min, self._max = min, max

    def forward(self, x):
        return F.hardtanh(x, self._min, self._max)


class Softplus(Layer):
    def __init__(self, beta=1, threshold=20, name=None):
        super().__init__()
        self._beta, self._threshold = beta, threshold

    def forward(self, x):
        return F.softplus(x, self._beta, self._threshold)


class PReLU(Layer):
    """PReLU with a learnable slope (``num_parameters`` = 1 or the channel count), initialized
    to ``init``; Paddle names it ``p_re_lu_N.w_0`` (state-dict key ``_weight``).

    >>> import paddlefish as paddle
    >>> paddle.nn.PReLU()._weight.name.startswith('p_re_lu_')
    True
    """

    def __init__(
        self, num_parameters=1, init=0.25, weight_attr=None, data_format="NCHW", name=None
    ):
        super().__init__()
        self._data_format = data_format
        self._weight = self.create_parameter(
            [num_parameters], attr=weight_attr, default_initializer=_Const(init)
        )

    def forward(self, x):
        return F.prelu(x, self._weight, self._data_format)


_Const = init.Constant

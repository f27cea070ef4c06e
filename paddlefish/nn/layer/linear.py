"""``nn.Linear`` and ``nn.Identity``."""

from __future__ import annotations

from ..functional.linear import linear
from .layers import Layer


class Linear(Layer):
    """``y = x @ W + b`` with ``W`` of shape ``[in_features, out_features]`` (Paddle's layout).

    >>> import paddlefish as paddle
    >>> fc = paddle.nn.Linear(4, 3)
    >>> fc.weight.shape, fc.bias.shape
    ([4, 3], [3])
    """

    def __init__(self, in_features, out_features, weight_attr=None, bias_attr=None, name=None):
        super().__init__()
        self._in_features, self._out_features = in_features, out_features
        self.weight = self.create_parameter([in_features, out_features], attr=weight_attr,
                                            is_bias=False)
        self.bias = self.create_parameter([out_features], attr=bias_attr, is_bias=True)
        self.name = name

    def forward(self, input):
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self._in_features}, out_features={self._out_features}, " \
               f"dtype={self._dtype}"


class Identity(Layer):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input

__all__ = [
    "Identity",
    "Linear",
]

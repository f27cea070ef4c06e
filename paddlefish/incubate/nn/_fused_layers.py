"""``FusedLinear``, ``FusedDropoutAdd`` and ``FusedDropout`` (Paddle 2.6's ``incubate.nn``)."""

from __future__ import annotations

from ...nn import functional as F
from ...nn.layer.layers import Layer
from . import functional as incubate_f

__all__ = ["FusedDropout", "FusedDropoutAdd", "FusedLinear"]


class FusedLinear(Layer):
    """``x @ weight + bias`` with Paddle's ``weight`` ``[in, out]`` (``[out, in]`` with
    ``transpose_weight``); the fused kernel is GPU-only in Paddle (see ``fused_linear``).

    >>> import paddlefish as paddle
    >>> {k: v.shape for k, v in paddle.incubate.nn.FusedLinear(4, 3).state_dict().items()}
    {'weight': [4, 3], 'bias': [3]}
    """

    def __init__(
        self,
        in_features,
        out_features,
        weight_attr=None,
        bias_attr=None,
        transpose_weight=False,
        name=None,
    ):
        super().__init__()
        shape = [out_features, in_features] if transpose_weight else [in_features, out_features]
        self.weight = self.create_parameter(shape, weight_attr)
        self.bias = self.create_parameter([out_features], bias_attr, is_bias=True)
        self.transpose_weight = transpose_weight
        self.name = name

    def forward(self, input):
        return incubate_f.fused_linear(input, self.weight, self.bias, self.transpose_weight)


class FusedDropoutAdd(Layer):
    """``dropout(x, p) + y`` (GPU-only in Paddle unless ``p == 0``).

    >>> import paddlefish as paddle
    >>> paddle.incubate.nn.FusedDropoutAdd(p=0.0)(paddle.ones([2]), paddle.ones([2])).numpy().tolist()
    [2.0, 2.0]
    """

    def __init__(self, p=0.5, mode="upscale_in_train", name=None):
        super().__init__()
        self.p, self.mode, self.name = p, mode, name

    def forward(self, x, y):
        return incubate_f.fused_dropout_add(x, y, self.p, self.training, self.mode)

    def extra_repr(self):
        return f"p={self.p}, mode={self.mode}" + (f", name={self.name}" if self.name else "")


class FusedDropout(Layer):
    """Dropout (``axis`` drops whole slices); Paddle runs it on CPU as ``F.dropout``.

    >>> import paddlefish as paddle
    >>> d = paddle.incubate.nn.FusedDropout(p=0.5)
    >>> _ = d.eval()
    >>> d(paddle.ones([2])).numpy().tolist()
    [1.0, 1.0]
    """

    def __init__(self, p=0.5, axis=None, mode="upscale_in_train", name=None):
        super().__init__()
        if not isinstance(p, (float, int)):
            raise TypeError("p argument should be a number")
        if p < 0 or p > 1:
            raise ValueError("p argument should between 0 and 1")
        mode = "downgrade_in_infer" if mode == "downscale_in_infer" else mode
        if mode not in ("downscale_in_infer", "upscale_in_train"):
            raise ValueError("mode argument should be 'downscale_in_infer' or 'upscale_in_train'")
        if axis and not isinstance(axis, (int, list, tuple)):
            raise TypeError("datatype of axis argument should be int or list")
        self.p, self.mode, self.name = p, mode, name
        self.axis = None if axis is None else ([axis] if isinstance(axis, int) else list(axis))

    def forward(self, input):
        if self.p == 0:
            return input
        return F.dropout(input, p=self.p, axis=self.axis, training=self.training, mode=self.mode)

    def extra_repr(self):
        return f"p={self.p}, axis={self.axis}, mode={self.mode}" + (
            f", name={self.name}" if self.name else ""
        )

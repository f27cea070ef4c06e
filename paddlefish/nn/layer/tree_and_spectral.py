"""``HSigmoidLoss``, ``RNNTLoss`` and ``SpectralNorm`` with Paddle 2.6's constructor signatures, parameter
shapes and initializers.

>>> import paddlefish as paddle
>>> _ = paddle.seed(0)
>>> loss = paddle.nn.HSigmoidLoss(feature_size=3, num_classes=5)
>>> loss(paddle.ones([2, 3]), paddle.to_tensor([[1], [3]])).shape
[2, 1]
>>> sn = paddle.nn.SpectralNorm([4, 3])
>>> sn(paddle.ones([4, 3])).shape
[4, 3]
"""

from __future__ import annotations

import math

from .. import initializer as init
from ..functional import hsigmoid as FH
from ..functional import rnnt as FR
from ..param_attr import ParamAttr
from .layers import Layer

__all__ = ["HSigmoidLoss", "RNNTLoss", "SpectralNorm"]


class HSigmoidLoss(Layer):
    """Hierarchical sigmoid loss layer: ``weight [C, feature_size]`` and ``bias [C, 1]`` with
    ``C = num_classes - 1`` on the default tree or ``num_classes`` (the node count) when
    ``is_custom`` (see ``nn.functional.hsigmoid_loss``)."""

    def __init__(
        self,
        feature_size,
        num_classes,
        weight_attr=None,
        bias_attr=None,
        is_custom=False,
        is_sparse=False,
        name=None,
    ):
        super().__init__()
        if num_classes < 2 and not is_custom:
            raise ValueError("num_classes must not be less than 2 with default tree")
        self._feature_size, self._num_classes = feature_size, num_classes
        self._is_custom, self._is_sparse = is_custom, bool(is_sparse and is_custom)
        self._name = name
        c = num_classes if is_custom else num_classes - 1
        self.weight = self.create_parameter([c, feature_size], attr=weight_attr)
        self.bias = self.create_parameter([c, 1], attr=bias_attr, is_bias=True)

    def forward(self, input, label, path_table=None, path_code=None):
        return FH.hsigmoid_loss(
            input,
            label,
            self._num_classes,
            self.weight,
            self.bias,
            path_table=path_table,
            path_code=path_code,
            is_sparse=self._is_sparse,
            name=self._name,
        )


class SpectralNorm(Layer):
    """``forward(weight)`` returns ``weight`` divided by its largest singular value, estimated
    with ``power_iters`` power iterations from the non-trainable ``weight_u [h]`` and
    ``weight_v [w]`` (``h = weight_shape[dim]``, ``w`` the rest; both ``Normal(0, 1)``)."""

    def __init__(self, weight_shape, dim=0, power_iters=1, eps=1e-12, dtype="float32"):
        super().__init__()
        self._power_iters, self._eps, self._dim, self._dtype = power_iters, eps, dim, dtype
        self._weight_shape = list(weight_shape)
        if math.prod(self._weight_shape) <= 0:
            raise ValueError("Any dimension of `weight_shape` cannot be equal to 0.")
        if dim >= len(self._weight_shape):
            raise ValueError(
                f"The input `dim` should be less than the length of `weight_shape`, but "
                f"received dim={dim}"
            )
        h = self._weight_shape[dim]
        w = math.prod(self._weight_shape) // h
        normal = init.Normal(0.0, 1.0)
        self.weight_u = self.create_parameter(
            [h], attr=ParamAttr(), dtype=dtype, default_initializer=normal
        )
        self.weight_u.stop_gradient = True
        self.weight_v = self.create_parameter(
            [w], attr=ParamAttr(), dtype=dtype, default_initializer=normal
        )
        self.weight_v.stop_gradient = True

    def forward(self, x):
        return FH.spectral_norm_weight(
            x, self.weight_u, self.weight_v, self._dim, self._power_iters, self._eps
        )


class RNNTLoss(Layer):
    """RNN-Transducer loss layer (see ``nn.functional.rnnt_loss``)."""

    def __init__(self, blank=0, fastemit_lambda=0.001, reduction="mean", name=None):
        super().__init__()
        self.blank, self.reduction = blank, reduction
        self.fastemit_lambda, self.name = fastemit_lambda, name

    def forward(self, input, label, input_lengths, label_lengths):
        return FR.rnnt_loss(
            input,
            label,
            input_lengths,
            label_lengths,
            blank=self.blank,
            fastemit_lambda=self.fastemit_lambda,
            reduction=self.reduction,
            name=self.name,
        )

"""Normalization layers with Paddle's parameters and names (FORMATS.md 2.2): BatchNorm (old
API), BatchNorm1D/2D/3D, SyncBatchNorm, LayerNorm, GroupNorm, InstanceNorm1D/2D/3D."""

from __future__ import annotations

import math

from ... import tensor as M
from .. import initializer as init
from ..functional import activation as A
from ..functional import norm as F
from ..param_attr import ParamAttr
from .layers import Layer

__all__ = [
    "BatchNorm",
    "BatchNorm1D",
    "BatchNorm2D",
    "BatchNorm3D",
    "GroupNorm",
    "InstanceNorm1D",
    "InstanceNorm2D",
    "InstanceNorm3D",
    "LayerNorm",
    "SyncBatchNorm",
]


def _affine(layer, shape, weight_attr, bias_attr):
    """weight (ones) and bias (zeros); ``False`` attrs give fixed, non-trainable tensors."""
    w = layer.create_parameter(
        shape,
        attr=None if weight_attr is False else weight_attr,
        default_initializer=init.Constant(1.0),
    )
    if weight_attr is False:
        w.stop_gradient = True
    b = layer.create_parameter(shape, attr=None if bias_attr is False else bias_attr, is_bias=True)
    if bias_attr is False:
        b.stop_gradient = True
    return w, b


class _BatchNormBase(Layer):
    _formats = ("NCHW", "NHWC")

    def __init__(
        self,
        num_features,
        momentum=0.9,
        epsilon=1e-05,
        weight_attr=None,
        bias_attr=None,
        data_format="NCHW",
        use_global_stats=None,
        name=None,
    ):
        super().__init__()
        if data_format not in self._formats:
            raise ValueError(
                f"{type(self).__name__}: data_format {data_format!r} must be one of {self._formats}"
            )
        self._num_features, self._momentum, self._epsilon = num_features, momentum, epsilon
        self._data_format, self._use_global_stats = data_format, use_global_stats
        self.weight, self.bias = _affine(self, [num_features], weight_attr, bias_attr)
        # NOTE [batch norm stats are Parameters]: Paddle makes _mean/_variance non-trainable
        # Parameters named <layer>.w_1/.w_2, so they sit in state_dict after weight and bias.
        self._mean = self.create_parameter(
            [num_features], attr=ParamAttr(initializer=init.Constant(0.0), trainable=False)
        )
        self._variance = self.create_parameter(
            [num_features], attr=ParamAttr(initializer=init.Constant(1.0), trainable=False)
        )

    def _check_input(self, x):
        pass

    def forward(self, x):
        self._check_input(x)
        return F.batch_norm(
            x,
            self._mean,
            self._variance,
            self.weight,
            self.bias,
            training=self.training,
            momentum=self._momentum,
            epsilon=self._epsilon,
            data_format=self._data_format,
            use_global_stats=self._use_global_stats,
        )

    def extra_repr(self) -> str:
        return (
            f"num_features={self._num_features}, momentum={self._momentum}, "
            f"epsilon={self._epsilon}, data_format={self._data_format}"
        )


def _rank_check(name, ranks):
    def check(self, x):
        if x.ndim not in ranks:
            raise ValueError(
                f"{name}: expected a {' or '.join(map(str, ranks))}-D input, got shape {x.shape}"
            )

    return check


class BatchNorm1D(_BatchNormBase):
    """Batch norm over ``[N, C]`` or ``[N, C, L]``.

    >>> import paddlefish as paddle
    >>> bn = paddle.nn.BatchNorm1D(3)
    >>> list(bn.state_dict())
    ['weight', 'bias', '_mean', '_variance']
    """

    _formats = ("NC", "NCL", "NLC")

    def __init__(
        self,
        num_features,
        momentum=0.9,
        epsilon=1e-05,
        weight_attr=None,
        bias_attr=None,
        data_format="NCL",
        use_global_stats=None,
        name=None,
    ):
        super().__init__(
            num_features,
            momentum,
            epsilon,
            weight_attr,
            bias_attr,
            data_format,
            use_global_stats,
            name,
        )

    _check_input = _rank_check("BatchNorm1D", (2, 3))


class BatchNorm2D(_BatchNormBase):
    """Batch norm over ``[N, C, H, W]``; stats ``_mean``/``_variance`` are ``.w_1``/``.w_2``.

    >>> import paddlefish as paddle
    >>> bn = paddle.nn.BatchNorm2D(2)
    >>> bn(paddle.ones([2, 2, 3, 3])).shape
    [2, 2, 3, 3]
    """

    _check_input = _rank_check("BatchNorm2D", (4,))


class BatchNorm3D(_BatchNormBase):
    _formats = ("NCDHW", "NDHWC")

    def __init__(
        self,
        num_features,
        momentum=0.9,
        epsilon=1e-05,
        weight_attr=None,
        bias_attr=None,
        data_format="NCDHW",
        use_global_stats=None,
        name=None,
    ):
        super().__init__(
            num_features,
            momentum,
            epsilon,
            weight_attr,
            bias_attr,
            data_format,
            use_global_stats,
            name,
        )

    _check_input = _rank_check("BatchNorm3D", (5,))


class SyncBatchNorm(_BatchNormBase):
    """On one process SyncBatchNorm is BatchNorm (there is nothing to synchronize)."""

    _formats = ("NC", "NCL", "NCHW", "NCDHW", "NLC", "NHWC", "NDHWC")

    @classmethod
    def convert_sync_batchnorm(cls, layer):
        """Replace every BatchNorm*D sublayer by a SyncBatchNorm sharing its tensors."""
        out = layer
        if isinstance(layer, _BatchNormBase) and not isinstance(layer, SyncBatchNorm):
            out = cls(
                layer._num_features,
                layer._momentum,
                layer._epsilon,
                data_format=layer._data_format,
                use_global_stats=layer._use_global_stats,
            )
            for k in ("weight", "bias", "_mean", "_variance"):
                out._parameters[k] = layer._parameters[k]
        for name, sub in list(layer._sub_layers.items()):
            if sub is not None:
                out._sub_layers[name] = cls.convert_sync_batchnorm(sub)
        return out


class BatchNorm(_BatchNormBase):
    """The 1.x-style ``paddle.nn.BatchNorm(num_channels, act=None, ...)`` (names
    ``batch_norm_N.*``)."""

    _formats = ("NC", "NCL", "NCHW", "NCDHW", "NLC", "NHWC", "NDHWC")

    def __init__(
        self,
        num_channels,
        act=None,
        is_test=False,
        momentum=0.9,
        epsilon=1e-05,
        param_attr=None,
        bias_attr=None,
        dtype="float32",
        data_layout="NCHW",
        in_place=False,
        moving_mean_name=None,
        moving_variance_name=None,
        do_model_average_for_mean_and_var=True,
        use_global_stats=False,
        trainable_statistics=False,
    ):
        Layer.__init__(self, dtype=dtype)
        self._num_features, self._momentum, self._epsilon = num_channels, momentum, epsilon
        self._data_format, self._use_global_stats = data_layout, use_global_stats
        self._act = act
        self.weight, self.bias = _affine(self, [num_channels], param_attr, bias_attr)
        self._mean = self.create_parameter(
            [num_channels],
            attr=ParamAttr(name=moving_mean_name, initializer=init.Constant(0.0), trainable=False),
        )
        self._variance = self.create_parameter(
            [num_channels],
            attr=ParamAttr(
                name=moving_variance_name, initializer=init.Constant(1.0), trainable=False
            ),
        )

    def forward(self, x):
        y = super().forward(x)
        if self._act is None:
            return y
        fn = getattr(A, self._act, None) or getattr(M, self._act, None)
        if fn is None:
            raise ValueError(f"BatchNorm: unknown act {self._act!r}; use e.g. 'relu'")
        return fn(y)


class LayerNorm(Layer):
    """Layer norm over the trailing ``normalized_shape`` dims; weight/bias of
    ``prod(normalized_shape)`` entries.

    >>> import paddlefish as paddle
    >>> paddle.nn.LayerNorm(4)(paddle.ones([2, 4])).shape
    [2, 4]
    """

    def __init__(
        self, normalized_shape, epsilon=1e-05, weight_attr=None, bias_attr=None, name=None
    ):
        super().__init__()
        shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
        self._normalized_shape, self._epsilon = shape, epsilon
        n = [math.prod(shape)]
        self.weight = (
            None
            if weight_attr is False
            else self.create_parameter(n, attr=weight_attr, default_initializer=init.Constant(1.0))
        )
        self.bias = (
            None if bias_attr is False else self.create_parameter(n, attr=bias_attr, is_bias=True)
        )

    def forward(self, x):
        return F.layer_norm(x, self._normalized_shape, self.weight, self.bias, self._epsilon)

    def extra_repr(self) -> str:
        return f"normalized_shape={self._normalized_shape}, epsilon={self._epsilon}"


class GroupNorm(Layer):
    def __init__(
        self,
        num_groups,
        num_channels,
        epsilon=1e-05,
        weight_attr=None,
        bias_attr=None,
        data_format="NCHW",
        name=None,
    ):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels={num_channels} is not divisible by "
                f"num_groups={num_groups}"
            )
        self._num_groups, self._num_channels = num_groups, num_channels
        self._epsilon, self._data_format = epsilon, data_format
        self.weight = (
            None
            if weight_attr is False
            else self.create_parameter(
                [num_channels], attr=weight_attr, default_initializer=init.Constant(1.0)
            )
        )
        self.bias = (
            None
            if bias_attr is False
            else self.create_parameter([num_channels], attr=bias_attr, is_bias=True)
        )

    def forward(self, x):
        return F.group_norm(
            x, self._num_groups, self._epsilon, self.weight, self.bias, self._data_format
        )


class _InstanceNormBase(Layer):
    _rank = 4

    def __init__(
        self,
        num_features,
        epsilon=1e-05,
        momentum=0.9,
        weight_attr=None,
        bias_attr=None,
        data_format="NCHW",
        name=None,
    ):
        super().__init__()
        self._epsilon, self._num_features = epsilon, num_features
        if weight_attr is False or bias_attr is False:
            self.scale = self.bias = None
        else:
            self.scale = self.create_parameter(
                [num_features], attr=weight_attr, default_initializer=init.Constant(1.0)
            )
            self.bias = self.create_parameter([num_features], attr=bias_attr, is_bias=True)

    def forward(self, x):
        if x.ndim != self._rank:
            raise ValueError(
                f"{type(self).__name__}: expected a {self._rank}-D input, got shape {x.shape}"
            )
        return F.instance_norm(x, weight=self.scale, bias=self.bias, eps=self._epsilon)


class InstanceNorm1D(_InstanceNormBase):
    _rank = 3


class InstanceNorm2D(_InstanceNormBase):
    """Instance norm over ``[N, C, H, W]``; parameters ``scale`` and ``bias`` (Paddle's keys).

    >>> import paddlefish as paddle
    >>> list(paddle.nn.InstanceNorm2D(2).state_dict())
    ['scale', 'bias']
    """


class InstanceNorm3D(_InstanceNormBase):
    _rank = 5

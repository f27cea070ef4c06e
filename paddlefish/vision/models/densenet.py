"""DenseNet 121/161/169/201/264, as ``paddle.vision.models.densenet`` (see NOTE [vision model
structure] in _utils.py). Its norms are the fluid-style ``nn.BatchNorm(act='relu')``, as
Paddle's."""

from __future__ import annotations

import math

from ... import nn
from ...nn.param_attr import ParamAttr
from ...tensor.manipulation import concat, flatten
from ._utils import refuse_pretrained

__all__ = [
    "DenseNet",
    "densenet121",
    "densenet161",
    "densenet169",
    "densenet201",
    "densenet264",
]

# layers: (initial features, growth rate, layers per dense block)
_SPEC = {
    121: (64, 32, [6, 12, 24, 16]),
    161: (96, 48, [6, 12, 36, 24]),
    169: (64, 32, [6, 12, 32, 32]),
    201: (64, 32, [6, 12, 48, 32]),
    264: (64, 32, [6, 12, 64, 48]),
}


class BNACConvLayer(nn.Layer):
    """BatchNorm + activation, then a bias-free conv (pre-activation)."""

    def __init__(
        self, num_channels, num_filters, filter_size, stride=1, pad=0, groups=1, act="relu"
    ):
        super().__init__()
        self._batch_norm = nn.BatchNorm(num_channels, act=act)
        self._conv = nn.Conv2D(
            num_channels, num_filters, filter_size, stride=stride, padding=pad, groups=groups,
            bias_attr=False,
        )  # fmt: skip

    def forward(self, input):
        return self._conv(self._batch_norm(input))


class DenseLayer(nn.Layer):
    """Bottleneck 1x1 then 3x3, concatenated onto the input."""

    def __init__(self, num_channels, growth_rate, bn_size, dropout):
        super().__init__()
        self.dropout = dropout
        self.bn_ac_func1 = BNACConvLayer(num_channels, bn_size * growth_rate, 1, pad=0, stride=1)
        self.bn_ac_func2 = BNACConvLayer(bn_size * growth_rate, growth_rate, 3, pad=1, stride=1)
        if dropout:
            self.dropout_func = nn.Dropout(p=dropout, mode="downscale_in_infer")

    def forward(self, input):
        conv = self.bn_ac_func2(self.bn_ac_func1(input))
        if self.dropout:
            conv = self.dropout_func(conv)
        return concat([input, conv], axis=1)


class DenseBlock(nn.Layer):
    """``num_layers`` dense layers, named ``{name}_{i}``."""

    def __init__(self, num_channels, num_layers, bn_size, growth_rate, dropout, name=None):
        super().__init__()
        self.dropout = dropout
        self.dense_layer_func = []
        pre_channel = num_channels
        for layer in range(num_layers):
            dense = DenseLayer(pre_channel, growth_rate, bn_size, dropout)
            self.dense_layer_func.append(self.add_sublayer(f"{name}_{layer + 1}", dense))
            pre_channel += growth_rate

    def forward(self, input):
        conv = input
        for func in self.dense_layer_func:
            conv = func(conv)
        return conv


class TransitionLayer(nn.Layer):
    """BN-ReLU-1x1 conv, then 2x2 average pool."""

    def __init__(self, num_channels, num_output_features):
        super().__init__()
        self.conv_ac_func = BNACConvLayer(num_channels, num_output_features, 1, pad=0, stride=1)
        self.pool2d_avg = nn.AvgPool2D(kernel_size=2, stride=2, padding=0)

    def forward(self, input):
        return self.pool2d_avg(self.conv_ac_func(input))


class ConvBNLayer(nn.Layer):
    """Bias-free conv, then BatchNorm + activation."""

    def __init__(
        self, num_channels, num_filters, filter_size, stride=1, pad=0, groups=1, act="relu"
    ):
        super().__init__()
        self._conv = nn.Conv2D(
            num_channels, num_filters, filter_size, stride=stride, padding=pad, groups=groups,
            bias_attr=False,
        )  # fmt: skip
        self._batch_norm = nn.BatchNorm(num_filters, act=act)

    def forward(self, input):
        return self._batch_norm(self._conv(input))


class DenseNet(nn.Layer):
    """DenseNet with ``layers`` in 121, 161, 169, 201, 264. (With ``with_pool=False`` Paddle's
    forward fails on an unbound name; here it returns the final feature map, or feeds it to the
    classifier when ``num_classes > 0``.)

    >>> import paddlefish as paddle
    >>> from paddlefish.vision.models import DenseNet
    >>> DenseNet(num_classes=10).eval()(paddle.ones([1, 3, 32, 32])).shape
    [1, 10]
    """

    def __init__(
        self,
        layers: int = 121,
        bn_size: int = 4,
        dropout: float = 0.0,
        num_classes: int = 1000,
        with_pool: bool = True,
    ):
        super().__init__()
        self.num_classes = num_classes
        self.with_pool = with_pool
        if layers not in _SPEC:
            raise ValueError(
                f"DenseNet: supported layers are {sorted(_SPEC)} but input layer is {layers}"
            )
        num_init_features, growth_rate, block_config = _SPEC[layers]
        self.conv1_func = ConvBNLayer(3, num_init_features, 7, stride=2, pad=3, act="relu")
        self.pool2d_max = nn.MaxPool2D(kernel_size=3, stride=2, padding=1)
        self.block_config = block_config
        self.dense_block_func_list = []
        self.transition_func_list = []
        num_features = num_init_features
        for i, num_layers in enumerate(block_config):
            block = DenseBlock(
                num_features, num_layers, bn_size, growth_rate, dropout, name=f"conv{i + 2}"
            )
            self.dense_block_func_list.append(self.add_sublayer(f"db_conv_{i + 2}", block))
            num_features += num_layers * growth_rate
            if i != len(block_config) - 1:
                trans = TransitionLayer(num_features, num_features // 2)
                self.transition_func_list.append(self.add_sublayer(f"tr_conv{i + 2}_blk", trans))
                num_features //= 2
        self.batch_norm = nn.BatchNorm(num_features, act="relu")
        if with_pool:
            self.pool2d_avg = nn.AdaptiveAvgPool2D(1)
        if num_classes > 0:
            stdv = 1.0 / math.sqrt(num_features * 1.0)
            self.out = nn.Linear(
                num_features,
                num_classes,
                weight_attr=ParamAttr(initializer=nn.initializer.Uniform(-stdv, stdv)),
                bias_attr=ParamAttr(),
            )

    def forward(self, input):
        conv = self.pool2d_max(self.conv1_func(input))
        for i in range(len(self.block_config)):
            conv = self.dense_block_func_list[i](conv)
            if i != len(self.block_config) - 1:
                conv = self.transition_func_list[i](conv)
        y = self.batch_norm(conv)
        if self.with_pool:
            y = self.pool2d_avg(y)
        if self.num_classes > 0:
            y = flatten(y, start_axis=1, stop_axis=-1)
            y = self.out(y)
        return y


def _densenet(arch: str, layers: int, pretrained: bool, **kwargs) -> DenseNet:
    if pretrained:
        refuse_pretrained(arch)
    return DenseNet(layers=layers, **kwargs)


def densenet121(pretrained: bool = False, **kwargs) -> DenseNet:
    """DenseNet-121 (``**kwargs`` go to ``DenseNet``).

    >>> from paddlefish.vision.models import densenet121
    >>> densenet121().out.weight.shape
    [1024, 1000]
    """
    return _densenet("densenet121", 121, pretrained, **kwargs)


def densenet161(pretrained: bool = False, **kwargs) -> DenseNet:
    """DenseNet-161 (``**kwargs`` go to ``DenseNet``).

    >>> from paddlefish.vision.models import densenet161
    >>> densenet161().out.weight.shape
    [2208, 1000]
    """
    return _densenet("densenet161", 161, pretrained, **kwargs)


def densenet169(pretrained: bool = False, **kwargs) -> DenseNet:
    """DenseNet-169 (``**kwargs`` go to ``DenseNet``).

    >>> from paddlefish.vision.models import densenet169
    >>> densenet169().out.weight.shape
    [1664, 1000]
    """
    return _densenet("densenet169", 169, pretrained, **kwargs)


def densenet201(pretrained: bool = False, **kwargs) -> DenseNet:
    """DenseNet-201 (``**kwargs`` go to ``DenseNet``).

    >>> from paddlefish.vision.models import densenet201
    >>> densenet201().out.weight.shape
    [1920, 1000]
    """
    return _densenet("densenet201", 201, pretrained, **kwargs)


def densenet264(pretrained: bool = False, **kwargs) -> DenseNet:
    """DenseNet-264 (``**kwargs`` go to ``DenseNet``).

    >>> from paddlefish.vision.models import densenet264
    >>> densenet264().out.weight.shape
    [2688, 1000]
    """
    return _densenet("densenet264", 264, pretrained, **kwargs)

"""GoogLeNet (Inception v1), as ``paddle.vision.models.googlenet`` (see NOTE [vision model
structure] in _utils.py). Forward returns ``[out, aux1, aux2]`` as Paddle's does; its convs have
no norm, no bias and no activation of their own."""

from __future__ import annotations

from ... import nn
from ...nn import functional as F
from ...nn.param_attr import ParamAttr
from ...tensor.manipulation import concat, flatten, squeeze
from ._utils import refuse_pretrained

__all__ = ["GoogLeNet", "googlenet"]


def xavier(channels: int, filter_size: int) -> ParamAttr:
    stdv = (3.0 / (filter_size**2 * channels)) ** 0.5
    return ParamAttr(initializer=nn.initializer.Uniform(-stdv, stdv))


class ConvLayer(nn.Layer):
    """A bias-free 'same' conv."""

    def __init__(self, num_channels, num_filters, filter_size, stride=1, groups=1):
        super().__init__()
        self._conv = nn.Conv2D(
            num_channels, num_filters, filter_size, stride=stride,
            padding=(filter_size - 1) // 2, groups=groups, bias_attr=False,
        )  # fmt: skip

    def forward(self, inputs):
        return self._conv(inputs)


class Inception(nn.Layer):
    """Four branches (1x1, 1x1-3x3, 1x1-5x5, pool-1x1) concatenated, then ReLU."""

    def __init__(
        self, input_channels, output_channels, filter1, filter3R, filter3, filter5R, filter5, proj
    ):
        super().__init__()
        self._conv1 = ConvLayer(input_channels, filter1, 1)
        self._conv3r = ConvLayer(input_channels, filter3R, 1)
        self._conv3 = ConvLayer(filter3R, filter3, 3)
        self._conv5r = ConvLayer(input_channels, filter5R, 1)
        self._conv5 = ConvLayer(filter5R, filter5, 5)
        self._pool = nn.MaxPool2D(kernel_size=3, stride=1, padding=1)
        self._convprj = ConvLayer(input_channels, proj, 1)

    def forward(self, inputs):
        conv1 = self._conv1(inputs)
        conv3 = self._conv3(self._conv3r(inputs))
        conv5 = self._conv5(self._conv5r(inputs))
        convprj = self._convprj(self._pool(inputs))
        return F.relu(concat([conv1, conv3, conv5, convprj], axis=1))


class GoogLeNet(nn.Layer):
    """GoogLeNet returning ``[out, out1, out2]`` (main head and the two auxiliary heads). With
    ``num_classes > 0`` and ``with_pool`` the auxiliary heads need the 4a/4d maps to pool to 3x3,
    i.e. inputs of 192..224 pixels.

    >>> import paddlefish as paddle
    >>> from paddlefish.vision.models import GoogLeNet
    >>> out, aux1, aux2 = GoogLeNet(num_classes=10).eval()(paddle.ones([1, 3, 192, 192]))
    >>> out.shape, aux1.shape, aux2.shape
    ([1, 10], [1, 10], [1, 10])
    """

    def __init__(self, num_classes: int = 1000, with_pool: bool = True):
        super().__init__()
        self.num_classes = num_classes
        self.with_pool = with_pool
        self._conv = ConvLayer(3, 64, 7, 2)
        self._pool = nn.MaxPool2D(kernel_size=3, stride=2)
        self._conv_1 = ConvLayer(64, 64, 1)
        self._conv_2 = ConvLayer(64, 192, 3)
        self._ince3a = Inception(192, 192, 64, 96, 128, 16, 32, 32)
        self._ince3b = Inception(256, 256, 128, 128, 192, 32, 96, 64)
        self._ince4a = Inception(480, 480, 192, 96, 208, 16, 48, 64)
        self._ince4b = Inception(512, 512, 160, 112, 224, 24, 64, 64)
        self._ince4c = Inception(512, 512, 128, 128, 256, 24, 64, 64)
        self._ince4d = Inception(512, 512, 112, 144, 288, 32, 64, 64)
        self._ince4e = Inception(528, 528, 256, 160, 320, 32, 128, 128)
        self._ince5a = Inception(832, 832, 256, 160, 320, 32, 128, 128)
        self._ince5b = Inception(832, 832, 384, 192, 384, 48, 128, 128)
        if with_pool:
            self._pool_5 = nn.AdaptiveAvgPool2D(1)
            self._pool_o1 = nn.AvgPool2D(kernel_size=5, stride=3)
            self._pool_o2 = nn.AvgPool2D(kernel_size=5, stride=3)
        if num_classes > 0:
            self._drop = nn.Dropout(p=0.4, mode="downscale_in_infer")
            self._fc_out = nn.Linear(1024, num_classes, weight_attr=xavier(1024, 1))
            self._conv_o1 = ConvLayer(512, 128, 1)
            self._fc_o1 = nn.Linear(1152, 1024, weight_attr=xavier(2048, 1))
            self._drop_o1 = nn.Dropout(p=0.7, mode="downscale_in_infer")
            self._out1 = nn.Linear(1024, num_classes, weight_attr=xavier(1024, 1))
            self._conv_o2 = ConvLayer(528, 128, 1)
            self._fc_o2 = nn.Linear(1152, 1024, weight_attr=xavier(2048, 1))
            self._drop_o2 = nn.Dropout(p=0.7, mode="downscale_in_infer")
            self._out2 = nn.Linear(1024, num_classes, weight_attr=xavier(1024, 1))

    def forward(self, inputs):
        x = self._pool(self._conv(inputs))
        x = self._pool(self._conv_2(self._conv_1(x)))
        x = self._pool(self._ince3b(self._ince3a(x)))
        ince4a = self._ince4a(x)
        ince4d = self._ince4d(self._ince4c(self._ince4b(ince4a)))
        x = self._pool(self._ince4e(ince4d))
        out, out1, out2 = self._ince5b(self._ince5a(x)), ince4a, ince4d
        if self.with_pool:
            out = self._pool_5(out)
            out1 = self._pool_o1(out1)
            out2 = self._pool_o2(out2)
        if self.num_classes > 0:
            out = self._fc_out(squeeze(self._drop(out), axis=[2, 3]))
            out1 = flatten(self._conv_o1(out1), start_axis=1, stop_axis=-1)
            out1 = self._out1(self._drop_o1(F.relu(self._fc_o1(out1))))
            # Paddle's second auxiliary head has no ReLU after its first fc
            out2 = flatten(self._conv_o2(out2), start_axis=1, stop_axis=-1)
            out2 = self._out2(self._drop_o2(self._fc_o2(out2)))
        return [out, out1, out2]


def googlenet(pretrained: bool = False, **kwargs) -> GoogLeNet:
    """GoogLeNet (``**kwargs`` go to ``GoogLeNet``).

    >>> from paddlefish.vision.models import googlenet
    >>> googlenet(num_classes=10)._fc_out.weight.shape
    [1024, 10]
    """
    if pretrained:
        refuse_pretrained("googlenet")
    return GoogLeNet(**kwargs)

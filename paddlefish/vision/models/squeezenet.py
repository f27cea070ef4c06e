"""SqueezeNet 1.0 and 1.1, as ``paddle.vision.models.squeezenet`` (see NOTE [vision model
structure] in _utils.py)."""

from __future__ import annotations

from ... import nn
from ...nn import functional as F
from ...tensor.manipulation import concat, squeeze
from ._utils import refuse_pretrained

__all__ = ["SqueezeNet", "squeezenet1_0", "squeezenet1_1"]


class MakeFireConv(nn.Layer):
    """Conv2D then ReLU."""

    def __init__(self, input_channels, output_channels, filter_size, padding=0):
        super().__init__()
        self._conv = nn.Conv2D(input_channels, output_channels, filter_size, padding=padding)

    def forward(self, x):
        return F.relu(self._conv(x))


class MakeFire(nn.Layer):
    """A fire module: 1x1 squeeze, then 1x1 and 3x3 expands concatenated on channels."""

    def __init__(self, input_channels, squeeze_channels, expand1x1_channels, expand3x3_channels):
        super().__init__()
        self._conv = MakeFireConv(input_channels, squeeze_channels, 1)
        self._conv_path1 = MakeFireConv(squeeze_channels, expand1x1_channels, 1)
        self._conv_path2 = MakeFireConv(squeeze_channels, expand3x3_channels, 3, padding=1)

    def forward(self, inputs):
        x = self._conv(inputs)
        return concat([self._conv_path1(x), self._conv_path2(x)], axis=1)


# (input channels, squeeze, expand 1x1, expand 3x3) of _conv1.._conv8, both versions
_FIRES = [
    (None, 16, 64, 64),
    (128, 16, 64, 64),
    (128, 32, 128, 128),
    (256, 32, 128, 128),
    (256, 48, 192, 192),
    (384, 48, 192, 192),
    (384, 64, 256, 256),
    (512, 64, 256, 256),
]


class SqueezeNet(nn.Layer):
    """SqueezeNet ``version`` ``'1.0'`` or ``'1.1'``. The classifier is a 1x1 conv to
    ``num_classes`` (dropout with ``mode='downscale_in_infer'`` before it, as Paddle);
    ``with_pool`` adds ReLU, a global average pool and squeezes to ``[N, C]``.

    >>> import paddlefish as paddle
    >>> from paddlefish.vision.models import SqueezeNet
    >>> SqueezeNet("1.1", num_classes=10).eval()(paddle.ones([1, 3, 64, 64])).shape
    [1, 10]
    """

    def __init__(self, version: str, num_classes: int = 1000, with_pool: bool = True):
        super().__init__()
        self.version = version
        self.num_classes = num_classes
        self.with_pool = with_pool
        supported_versions = ["1.0", "1.1"]
        if version not in supported_versions:
            raise ValueError(
                f"SqueezeNet: supported versions are {supported_versions} but input version is "
                f"{version!r}"
            )
        if version == "1.0":
            self._conv = nn.Conv2D(3, 96, 7, stride=2)
        else:
            self._conv = nn.Conv2D(3, 64, 3, stride=2, padding=1)
        self._pool = nn.MaxPool2D(kernel_size=3, stride=2, padding=0)
        first_in = 96 if version == "1.0" else 64
        for i, (cin, sq, e1, e3) in enumerate(_FIRES):
            setattr(self, f"_conv{i + 1}", MakeFire(cin or first_in, sq, e1, e3))
        self._drop = nn.Dropout(p=0.5, mode="downscale_in_infer")
        self._conv9 = nn.Conv2D(512, num_classes, 1)
        self._avg_pool = nn.AdaptiveAvgPool2D(1)

    def forward(self, inputs):
        x = self._pool(F.relu(self._conv(inputs)))
        # 1.0 pools after fire 3 and 7, 1.1 after fire 2 and 4
        pool_after = (3, 7) if self.version == "1.0" else (2, 4)
        for i in range(1, 9):
            x = getattr(self, f"_conv{i}")(x)
            if i in pool_after:
                x = self._pool(x)
        if self.num_classes > 0:
            x = self._drop(x)
            x = self._conv9(x)
        if self.with_pool:
            x = F.relu(x)
            x = self._avg_pool(x)
            x = squeeze(x, axis=[2, 3])
        return x


def squeezenet1_0(pretrained: bool = False, **kwargs) -> SqueezeNet:
    """SqueezeNet 1.0 (``**kwargs`` go to ``SqueezeNet``).

    >>> from paddlefish.vision.models import squeezenet1_0
    >>> squeezenet1_0()._conv.weight.shape
    [96, 3, 7, 7]
    """
    if pretrained:
        refuse_pretrained("squeezenet1_0")
    return SqueezeNet("1.0", **kwargs)


def squeezenet1_1(pretrained: bool = False, **kwargs) -> SqueezeNet:
    """SqueezeNet 1.1 (``**kwargs`` go to ``SqueezeNet``).

    >>> from paddlefish.vision.models import squeezenet1_1
    >>> squeezenet1_1()._conv.weight.shape
    [64, 3, 3, 3]
    """
    if pretrained:
        refuse_pretrained("squeezenet1_1")
    return SqueezeNet("1.1", **kwargs)

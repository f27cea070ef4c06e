"""ShuffleNetV2, as ``paddle.vision.models.shufflenetv2`` (see NOTE [vision model structure] in
_utils.py)."""

from __future__ import annotations

from ... import nn
from ...tensor.manipulation import concat, flatten, reshape, split, transpose
from ._utils import ConvNormActivation, refuse_pretrained

__all__ = [
    "ShuffleNetV2",
    "shufflenet_v2_swish",
    "shufflenet_v2_x0_5",
    "shufflenet_v2_x0_25",
    "shufflenet_v2_x0_33",
    "shufflenet_v2_x1_0",
    "shufflenet_v2_x1_5",
    "shufflenet_v2_x2_0",
]

# channels of conv1, the three stages and the last conv, per scale
_STAGE_OUT_CHANNELS = {
    0.25: [-1, 24, 24, 48, 96, 512],
    0.33: [-1, 24, 32, 64, 128, 512],
    0.5: [-1, 24, 48, 96, 192, 1024],
    1.0: [-1, 24, 116, 232, 464, 1024],
    1.5: [-1, 24, 176, 352, 704, 1024],
    2.0: [-1, 24, 224, 488, 976, 2048],
}
_STAGE_REPEATS = [4, 8, 4]


def create_activation_layer(act: str | None):
    """The activation class for ``act`` (``'relu'``, ``'swish'`` or ``None``)."""
    if act == "swish":
        return nn.Swish
    if act == "relu":
        return nn.ReLU
    if act is None:
        return None
    raise RuntimeError(f"The activation function is not supported: {act}")


def channel_shuffle(x, groups: int):
    """Interleave the channels of ``groups`` groups (``[N, C, H, W]``)."""
    batch_size, num_channels, height, width = x.shape[0:4]
    x = reshape(x, [batch_size, groups, num_channels // groups, height, width])
    x = transpose(x, perm=[0, 2, 1, 3, 4])
    return reshape(x, [batch_size, num_channels, height, width])


def _cna(cin, cout, kernel, stride, groups, act):
    return ConvNormActivation(
        cin, cout, kernel, stride=stride, padding=(kernel - 1) // 2, groups=groups,
        activation_layer=act,
    )  # fmt: skip


class InvertedResidual(nn.Layer):
    """Stride-1 unit: half the channels go through pw-dw-pw, then concat and shuffle."""

    def __init__(self, in_channels, out_channels, stride, activation_layer=nn.ReLU):
        super().__init__()
        mid = out_channels // 2
        self._conv_pw = _cna(in_channels // 2, mid, 1, 1, 1, activation_layer)
        self._conv_dw = _cna(mid, mid, 3, stride, mid, None)
        self._conv_linear = _cna(mid, mid, 1, 1, 1, activation_layer)

    def forward(self, inputs):
        half = inputs.shape[1] // 2
        x1, x2 = split(inputs, num_or_sections=[half, half], axis=1)
        x2 = self._conv_linear(self._conv_dw(self._conv_pw(x2)))
        return channel_shuffle(concat([x1, x2], axis=1), 2)


class InvertedResidualDS(nn.Layer):
    """Down-sampling unit: two strided branches, concatenated and shuffled."""

    def __init__(self, in_channels, out_channels, stride, activation_layer=nn.ReLU):
        super().__init__()
        mid = out_channels // 2
        self._conv_dw_1 = _cna(in_channels, in_channels, 3, stride, in_channels, None)
        self._conv_linear_1 = _cna(in_channels, mid, 1, 1, 1, activation_layer)
        self._conv_pw_2 = _cna(in_channels, mid, 1, 1, 1, activation_layer)
        self._conv_dw_2 = _cna(mid, mid, 3, stride, mid, None)
        self._conv_linear_2 = _cna(mid, mid, 1, 1, 1, activation_layer)

    def forward(self, inputs):
        x1 = self._conv_linear_1(self._conv_dw_1(inputs))
        x2 = self._conv_linear_2(self._conv_dw_2(self._conv_pw_2(inputs)))
        return channel_shuffle(concat([x1, x2], axis=1), 2)


class ShuffleNetV2(nn.Layer):
    """ShuffleNetV2; ``scale`` one of 0.25, 0.33, 0.5, 1.0, 1.5, 2.0; ``act`` ``'relu'`` or
    ``'swish'``.

    >>> import paddlefish as paddle
    >>> from paddlefish.vision.models import ShuffleNetV2
    >>> ShuffleNetV2(scale=0.25, num_classes=10).eval()(paddle.ones([1, 3, 32, 32])).shape
    [1, 10]
    """

    def __init__(
        self, scale: float = 1.0, act: str = "relu", num_classes: int = 1000, with_pool: bool = True
    ):
        super().__init__()
        self.scale = scale
        self.num_classes = num_classes
        self.with_pool = with_pool
        activation_layer = create_activation_layer(act)
        if scale not in _STAGE_OUT_CHANNELS:
            raise NotImplementedError(
                f"This scale size:[{scale}] is not implemented! Use one of "
                f"{sorted(_STAGE_OUT_CHANNELS)}."
            )
        channels = _STAGE_OUT_CHANNELS[scale]
        self._conv1 = _cna(3, channels[1], 3, 2, 1, activation_layer)
        self._max_pool = nn.MaxPool2D(kernel_size=3, stride=2, padding=1)
        self._block_list = []
        for stage_id, num_repeat in enumerate(_STAGE_REPEATS):
            for i in range(num_repeat):
                if i == 0:
                    block = InvertedResidualDS(
                        channels[stage_id + 1], channels[stage_id + 2], 2, activation_layer
                    )
                else:
                    block = InvertedResidual(
                        channels[stage_id + 2], channels[stage_id + 2], 1, activation_layer
                    )
                self._block_list.append(self.add_sublayer(f"{stage_id + 2}_{i + 1}", block))
        self._last_conv = _cna(channels[-2], channels[-1], 1, 1, 1, activation_layer)
        if with_pool:
            self._pool2d_avg = nn.AdaptiveAvgPool2D(1)
        if num_classes > 0:
            self._out_c = channels[-1]
            self._fc = nn.Linear(channels[-1], num_classes)

    def forward(self, inputs):
        x = self._max_pool(self._conv1(inputs))
        for inv in self._block_list:
            x = inv(x)
        x = self._last_conv(x)
        if self.with_pool:
            x = self._pool2d_avg(x)
        if self.num_classes > 0:
            x = flatten(x, start_axis=1, stop_axis=-1)
            x = self._fc(x)
        return x


def _shufflenet_v2(arch: str, pretrained: bool, **kwargs) -> ShuffleNetV2:
    if pretrained:
        refuse_pretrained(arch)
    return ShuffleNetV2(**kwargs)


def shufflenet_v2_x0_25(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 0.25 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x0_25
    >>> shufflenet_v2_x0_25()._fc.weight.shape
    [512, 1000]
    """
    return _shufflenet_v2("shufflenet_v2_x0_25", pretrained, scale=0.25, **kwargs)


def shufflenet_v2_x0_33(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 0.33 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x0_33
    >>> shufflenet_v2_x0_33().scale
    0.33
    """
    return _shufflenet_v2("shufflenet_v2_x0_33", pretrained, scale=0.33, **kwargs)


def shufflenet_v2_x0_5(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 0.5 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x0_5
    >>> shufflenet_v2_x0_5()._fc.weight.shape
    [1024, 1000]
    """
    return _shufflenet_v2("shufflenet_v2_x0_5", pretrained, scale=0.5, **kwargs)


def shufflenet_v2_x1_0(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 1.0 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x1_0
    >>> shufflenet_v2_x1_0().scale
    1.0
    """
    return _shufflenet_v2("shufflenet_v2_x1_0", pretrained, scale=1.0, **kwargs)


def shufflenet_v2_x1_5(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 1.5 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x1_5
    >>> shufflenet_v2_x1_5().scale
    1.5
    """
    return _shufflenet_v2("shufflenet_v2_x1_5", pretrained, scale=1.5, **kwargs)


def shufflenet_v2_x2_0(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 2.0 (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_x2_0
    >>> shufflenet_v2_x2_0()._fc.weight.shape
    [2048, 1000]
    """
    return _shufflenet_v2("shufflenet_v2_x2_0", pretrained, scale=2.0, **kwargs)


def shufflenet_v2_swish(pretrained: bool = False, **kwargs) -> ShuffleNetV2:
    """ShuffleNetV2 at scale 1.0 with swish activations (``**kwargs`` go to ``ShuffleNetV2``).

    >>> from paddlefish.vision.models import shufflenet_v2_swish
    >>> type(shufflenet_v2_swish()._conv1[2]).__name__
    'Swish'
    """
    return _shufflenet_v2("shufflenet_v2_swish", pretrained, scale=1.0, act="swish", **kwargs)

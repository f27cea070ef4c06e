"""Convolution layers with Paddle's parameter shapes and default initializers.

NOTE [conv default init]: Paddle initializes a conv filter with
``Normal(0, sqrt(2 / (prod(kernel_size) * in_channels)))`` (``in_channels`` not divided by
groups) and the bias with zeros; transposed convs use the generic default (XavierUniform).
"""

from __future__ import annotations

import math

from .. import initializer as init
from ..functional import conv as F
from ..functional._utils import ntuple
from .layers import Layer

__all__ = ["Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose"]


class _ConvNd(Layer):
    _nd = 2
    _transposed = False
    _default_format = "NCHW"

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        padding_mode="zeros",
        weight_attr=None,
        bias_attr=None,
        data_format=None,
        output_padding=0,
    ):
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{type(self).__name__}: in_channels={in_channels} and "
                f"out_channels={out_channels} must be divisible by groups={groups}"
            )
        if padding_mode != "zeros":
            raise NotImplementedError(
                f"{type(self).__name__}: padding_mode={padding_mode!r} is "
                "not supported; pad with nn.Pad2D and use padding=0"
            )
        nd = self._nd
        self._in_channels, self._out_channels = in_channels, out_channels
        self._kernel_size = ntuple(kernel_size, nd, "kernel_size")
        self._stride, self._padding, self._dilation = stride, padding, dilation
        self._groups, self._output_padding = groups, output_padding
        self._data_format = data_format or self._default_format
        if self._transposed:
            shape = [in_channels, out_channels // groups] + self._kernel_size
            default = None
        else:
            shape = [out_channels, in_channels // groups] + self._kernel_size
            std = math.sqrt(2.0 / (math.prod(self._kernel_size) * in_channels))
            default = init.Normal(0.0, std)
        self.weight = self.create_parameter(shape, attr=weight_attr, default_initializer=default)
        self.bias = self.create_parameter([out_channels], attr=bias_attr, is_bias=True)

    def extra_repr(self) -> str:
        return (
            f"{self._in_channels}, {self._out_channels}, kernel_size={self._kernel_size}, "
            f"data_format={self._data_format}"
        )


class Conv1D(_ConvNd):
    """1-D convolution over ``[N, C, L]``.

    >>> import paddlefish as paddle
    >>> paddle.nn.Conv1D(2, 4, 3)(paddle.ones([1, 2, 8])).shape
    [1, 4, 6]
    """

    _nd, _default_format = 1, "NCL"

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        padding_mode="zeros",
        weight_attr=None,
        bias_attr=None,
        data_format="NCL",
    ):
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            padding_mode,
            weight_attr,
            bias_attr,
            data_format,
        )

    def forward(self, x):
        return F.conv1d(
            x,
            self.weight,
            self.bias,
            self._stride,
            self._padding,
            self._dilation,
            self._groups,
            self._data_format,
        )


class Conv2D(_ConvNd):
    """2-D convolution; weight ``[out, in/groups, kh, kw]`` named ``conv2d_N.w_0``.

    >>> import paddlefish as paddle
    >>> conv = paddle.nn.Conv2D(3, 4, 3, padding=1)
    >>> conv(paddle.ones([1, 3, 5, 5])).shape, conv.weight.shape
    ([1, 4, 5, 5], [4, 3, 3, 3])
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        padding_mode="zeros",
        weight_attr=None,
        bias_attr=None,
        data_format="NCHW",
    ):
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            padding_mode,
            weight_attr,
            bias_attr,
            data_format,
        )

    def forward(self, x):
        return F.conv2d(
            x,
            self.weight,
            self.bias,
            self._stride,
            self._padding,
            self._dilation,
            self._groups,
            self._data_format,
        )


class Conv3D(_ConvNd):
    _nd, _default_format = 3, "NCDHW"

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        padding_mode="zeros",
        weight_attr=None,
        bias_attr=None,
        data_format="NCDHW",
    ):
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            padding_mode,
            weight_attr,
            bias_attr,
            data_format,
        )

    def forward(self, x):
        return F.conv3d(
            x,
            self.weight,
            self.bias,
            self._stride,
            self._padding,
            self._dilation,
            self._groups,
            self._data_format,
        )


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups=1,
        dilation=1,
        weight_attr=None,
        bias_attr=None,
        data_format=None,
    ):
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            "zeros",
            weight_attr,
            bias_attr,
            data_format,
            output_padding,
        )

    def forward(self, x, output_size=None):
        fn = {1: F.conv1d_transpose, 2: F.conv2d_transpose, 3: F.conv3d_transpose}[self._nd]
        return fn(
            x,
            self.weight,
            self.bias,
            stride=self._stride,
            padding=self._padding,
            output_padding=self._output_padding,
            groups=self._groups,
            dilation=self._dilation,
            output_size=output_size,
            data_format=self._data_format,
        )


class Conv1DTranspose(_ConvTransposeNd):
    _nd, _default_format = 1, "NCL"


class Conv2DTranspose(_ConvTransposeNd):
    """Transposed 2-D convolution; weight ``[in, out/groups, kh, kw]``.

    >>> import paddlefish as paddle
    >>> paddle.nn.Conv2DTranspose(2, 3, 3, stride=2)(paddle.ones([1, 2, 4, 4])).shape
    [1, 3, 9, 9]
    """


class Conv3DTranspose(_ConvTransposeNd):
    _nd, _default_format = 3, "NCDHW"

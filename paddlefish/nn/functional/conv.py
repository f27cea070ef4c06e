"""Convolution functionals. Each records Paddle 2.6's ops: ``conv2d``/``depthwise_conv2d``/
``conv3d`` (+ ``reshape2`` of the bias to ``[1, C, 1, 1]`` and ``elementwise_add``), conv1d as
``unsqueeze2`` + ``conv2d`` + ``elementwise_add(axis=1)`` + ``squeeze2``."""

from __future__ import annotations

from ...eager.dispatch import get_recorder
from ...tensor._run import run
from ._utils import channel_last, check_rank, ntuple
from ._utils import padding as _padding

__all__ = ["conv1d", "conv1d_transpose", "conv2d", "conv2d_transpose", "conv3d", "conv3d_transpose"]

_LAYOUT = {1: "NCL", 2: "NCHW", 3: "NCDHW"}


def _check_channels(x, weight, groups, data_format, what, transpose=False):
    c = x.shape[-1] if channel_last(data_format) else x.shape[1]
    expect = weight.shape[0] if transpose else weight.shape[1] * groups
    if c != expect:
        wname = "[in, out/groups, k...]" if transpose else "[out, in/groups, k...]"
        raise ValueError(
            f"{what}: the input {x.shape} ({data_format}) has {c} channels but the "
            f"weight {weight.shape} {wname} with groups={groups} expects {expect}"
        )


def _add_bias(out, bias, nd, data_format):
    if bias is None:
        return out
    if channel_last(data_format):
        return run("elementwise_add", out, bias, axis=-1)
    b, _ = run("reshape2", bias, shape=[1, bias.shape[0]] + [1] * nd)
    return run("elementwise_add", out, b, axis=-1)


def _convnd(x, weight, bias, stride, pad, dilation, groups, data_format, nd):
    what = f"conv{nd}d"
    check_rank(x, nd + 2, what, data_format)
    _check_channels(x, weight, groups, data_format, what)
    paddings, algo = _padding(pad, nd, data_format, what)
    c_in = x.shape[-1] if channel_last(data_format) else x.shape[1]
    op_type = "conv3d" if nd == 3 else "conv2d"
    if nd == 2 and c_in == groups and c_in != 1 and weight.shape[0] % c_in == 0:
        op_type = "depthwise_conv2d"
    fuse = bias is not None and get_recorder() is None and (nd == 3 or bias.ndim == 1)
    out = run(
        op_type,
        x,
        weight,
        bias if fuse else None,
        strides=ntuple(stride, nd, "stride"),
        paddings=paddings,
        padding_algorithm=algo,
        groups=groups,
        dilations=ntuple(dilation, nd, "dilation"),
        data_format=data_format,
    )
    return out if fuse else _add_bias(out, bias, nd, data_format)


def conv2d(
    x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, data_format="NCHW", name=None
):
    """2-D convolution; ``weight`` is ``[out, in/groups, kh, kw]``.

    >>> import paddlefish as paddle
    >>> F = paddle.nn.functional
    >>> F.conv2d(paddle.ones([1, 2, 5, 5]), paddle.ones([3, 2, 3, 3]), padding=1).shape
    [1, 3, 5, 5]
    """
    return _convnd(x, weight, bias, stride, padding, dilation, groups, data_format, 2)


def conv3d(
    x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, data_format="NCDHW", name=None
):
    return _convnd(x, weight, bias, stride, padding, dilation, groups, data_format, 3)


def conv1d(
    x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, data_format="NCL", name=None
):
    """1-D convolution, computed as Paddle does: a conv2d over an inserted height axis."""
    check_rank(x, 3, "conv1d", data_format)
    _check_channels(x, weight, groups, data_format, "conv1d")
    pads, algo = _padding(padding, 1, data_format, "conv1d")
    pads = [0, 0] + pads if len(pads) == 2 else [0] + pads
    cl = channel_last(data_format)
    axis = -3 if cl else -2
    w, _ = run("unsqueeze2", weight, axes=[-2])
    xx, _ = run("unsqueeze2", x, axes=[axis])
    out = run(
        "conv2d",
        xx,
        w,
        strides=[1] + ntuple(stride, 1, "stride"),
        paddings=pads,
        padding_algorithm=algo,
        groups=groups,
        dilations=[1] + ntuple(dilation, 1, "dilation"),
        data_format="NHWC" if cl else "NCHW",
    )
    if bias is not None:
        out = run("elementwise_add", out, bias, axis=-1 if cl else 1)
    out, _ = run("squeeze2", out, axes=[axis])
    return out


def _conv_transpose(
    x, weight, bias, stride, pad, output_padding, groups, dilation, output_size, data_format, nd
):
    what = f"conv{nd}d_transpose"
    check_rank(x, nd + 2, what, data_format)
    _check_channels(x, weight, groups, data_format, what, transpose=True)
    paddings, algo = _padding(pad, nd, data_format, what)
    c_in = x.shape[-1] if channel_last(data_format) else x.shape[1]
    op_type = "conv3d_transpose" if nd == 3 else "conv2d_transpose"
    if nd == 2 and c_in == groups and weight.shape[1] == 1 and c_in != 1:
        op_type = "depthwise_conv2d_transpose"
    opad = ntuple(output_padding, nd, "output_padding") if output_padding else []
    osize = ntuple(output_size, nd, "output_size") if output_size is not None else []
    out = run(
        op_type,
        x,
        weight,
        strides=ntuple(stride, nd, "stride"),
        paddings=paddings,
        output_padding=opad,
        output_size=osize,
        padding_algorithm=algo,
        groups=groups,
        dilations=ntuple(dilation, nd, "dilation"),
        data_format=data_format,
    )
    return _add_bias(out, bias, nd, data_format)


def conv2d_transpose(
    x,
    weight,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    dilation=1,
    groups=1,
    output_size=None,
    data_format="NCHW",
    name=None,
):
    """Transposed 2-D convolution; ``weight`` is ``[in, out/groups, kh, kw]``.

    >>> import paddlefish as paddle
    >>> F = paddle.nn.functional
    >>> F.conv2d_transpose(paddle.ones([1, 2, 3, 3]), paddle.ones([2, 4, 3, 3]), stride=2).shape
    [1, 4, 7, 7]
    """
    return _conv_transpose(
        x,
        weight,
        bias,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        output_size,
        data_format,
        2,
    )


def conv3d_transpose(
    x,
    weight,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    dilation=1,
    output_size=None,
    data_format="NCDHW",
    name=None,
):
    return _conv_transpose(
        x,
        weight,
        bias,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        output_size,
        data_format,
        3,
    )


def conv1d_transpose(
    x,
    weight,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    dilation=1,
    output_size=None,
    data_format="NCL",
    name=None,
):
    """Transposed 1-D convolution as a conv2d_transpose over an inserted height axis."""
    check_rank(x, 3, "conv1d_transpose", data_format)
    cl = channel_last(data_format)
    axis = -3 if cl else -2
    pads, algo = _padding(padding, 1, data_format, "conv1d_transpose")
    pads = [0, 0] + pads if len(pads) == 2 else [0] + pads
    w, _ = run("unsqueeze2", weight, axes=[-2])
    xx, _ = run("unsqueeze2", x, axes=[axis])
    opad = [0] + ntuple(output_padding, 1, "output_padding") if output_padding else []
    osize = [1] + ntuple(output_size, 1, "output_size") if output_size is not None else []
    out = run(
        "conv2d_transpose",
        xx,
        w,
        strides=[1] + ntuple(stride, 1, "stride"),
        paddings=pads,
        output_padding=opad,
        output_size=osize,
        padding_algorithm=algo,
        groups=groups,
        dilations=[1] + ntuple(dilation, 1, "dilation"),
        data_format="NHWC" if cl else "NCHW",
    )
    if bias is not None:
        out = run("elementwise_add", out, bias, axis=-1 if cl else 1)
    out, _ = run("squeeze2", out, axes=[axis])
    return out

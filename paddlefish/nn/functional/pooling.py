"""Pooling functionals. 2-D pools record ``pool2d`` (``max_pool2d_with_index`` when a mask is
returned or for adaptive max); 1-D pools are ``unsqueeze2`` + the 2-D op + ``squeeze2``, as
Paddle 2.6 records them."""

from __future__ import annotations

from ...tensor._run import run
from ._utils import channel_last, check_rank, ntuple
from ._utils import padding as _padding

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
]


def _pool_args(kernel_size, stride, pad, nd, data_format, what):
    k = ntuple(kernel_size, nd, f"{what} kernel_size")
    s = k if stride is None else ntuple(stride, nd, f"{what} stride")
    p, algo = _padding(pad, nd, data_format, what)
    return k, s, p, algo


def _pool2d(x, ptype, k, s, p, algo, ceil_mode, exclusive, data_format):
    return run(
        "pool2d",
        x,
        pooling_type=ptype,
        ksize=k,
        global_pooling=False,
        strides=s,
        paddings=p,
        exclusive=exclusive,
        adaptive=False,
        ceil_mode=ceil_mode,
        data_format=data_format,
        padding_algorithm=algo,
    )


def max_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    return_mask=False,
    ceil_mode=False,
    data_format="NCHW",
    name=None,
):
    """2-D max pooling (``stride`` defaults to ``kernel_size``).

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.max_pool2d(paddle.ones([1, 1, 4, 4]), 2).shape
    [1, 1, 2, 2]
    """
    check_rank(x, 4, "max_pool2d", data_format)
    k, s, p, algo = _pool_args(kernel_size, stride, padding, 2, data_format, "max_pool2d")
    if return_mask:
        return run(
            "max_pool2d_with_index",
            x,
            ksize=k,
            global_pooling=False,
            strides=s,
            paddings=p,
            adaptive=False,
        )
    return _pool2d(x, "max", k, s, p, algo, ceil_mode, True, data_format)


def avg_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    exclusive=True,
    divisor_override=None,
    data_format="NCHW",
    name=None,
):
    check_rank(x, 4, "avg_pool2d", data_format)
    if divisor_override is not None:
        raise NotImplementedError(
            "avg_pool2d: divisor_override is not supported; divide the "
            "result of avg_pool2d(..., exclusive=False) yourself"
        )
    k, s, p, algo = _pool_args(kernel_size, stride, padding, 2, data_format, "avg_pool2d")
    return _pool2d(x, "avg", k, s, p, algo, ceil_mode, exclusive, data_format)


def _to_1d_pad(p):
    return [0, 0] + p if len(p) == 2 else [0] + p


def max_pool1d(
    x, kernel_size, stride=None, padding=0, return_mask=False, ceil_mode=False, name=None
):
    check_rank(x, 3, "max_pool1d", "NCL")
    k, s, p, algo = _pool_args(kernel_size, stride, padding, 1, "NCL", "max_pool1d")
    xx = run("unsqueeze2", x, None, None, axes=[2])[0]
    if return_mask:
        out, mask = run(
            "max_pool2d_with_index",
            xx,
            ksize=[1] + k,
            global_pooling=False,
            strides=[1] + s,
            paddings=_to_1d_pad(p),
            adaptive=False,
        )
        return (run("squeeze2", out, axes=[2])[0], run("squeeze2", mask, axes=[2])[0])
    out = _pool2d(xx, "max", [1] + k, [1] + s, _to_1d_pad(p), algo, ceil_mode, True, "NCHW")
    return run("squeeze2", out, axes=[2])[0]


def avg_pool1d(x, kernel_size, stride=None, padding=0, exclusive=True, ceil_mode=False, name=None):
    check_rank(x, 3, "avg_pool1d", "NCL")
    k, s, p, algo = _pool_args(kernel_size, stride, padding, 1, "NCL", "avg_pool1d")
    xx = run("unsqueeze2", x, None, None, axes=[2])[0]
    out = _pool2d(xx, "avg", [1] + k, [1] + s, _to_1d_pad(p), algo, ceil_mode, exclusive, "NCHW")
    return run("squeeze2", out, axes=[2])[0]


def _pool3d(x, ptype, kernel_size, stride, pad, ceil_mode, exclusive, data_format, what):
    check_rank(x, 5, what, data_format)
    k, s, p, algo = _pool_args(kernel_size, stride, pad, 3, data_format, what)
    return run(
        "pool3d",
        x,
        pooling_type=ptype,
        ksize=k,
        global_pooling=False,
        strides=s,
        paddings=p,
        exclusive=exclusive,
        adaptive=False,
        ceil_mode=ceil_mode,
        data_format=data_format,
        padding_algorithm=algo,
    )


def max_pool3d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    return_mask=False,
    ceil_mode=False,
    data_format="NCDHW",
    name=None,
):
    if return_mask:
        check_rank(x, 5, "max_pool3d", data_format)
        if data_format != "NCDHW":
            raise ValueError("max_pool3d(return_mask=True) needs data_format='NCDHW' (as Paddle)")
        k, s, p, _ = _pool_args(kernel_size, stride, padding, 3, data_format, "max_pool3d")
        return run(
            "max_pool3d_with_index",
            x,
            ksize=k,
            global_pooling=False,
            strides=s,
            paddings=p,
            adaptive=False,
        )
    return _pool3d(
        x, "max", kernel_size, stride, padding, ceil_mode, True, data_format, "max_pool3d"
    )


def avg_pool3d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    exclusive=True,
    divisor_override=None,
    data_format="NCDHW",
    name=None,
):
    return _pool3d(
        x, "avg", kernel_size, stride, padding, ceil_mode, exclusive, data_format, "avg_pool3d"
    )


def _out_size(output_size, spatial, nd):
    sizes = [output_size] * nd if isinstance(output_size, int) else list(output_size)
    return [int(spatial[i]) if v is None else int(v) for i, v in enumerate(sizes)]


def adaptive_avg_pool2d(x, output_size, data_format="NCHW", name=None):
    """Adaptive average pooling to ``output_size`` (``None`` keeps that axis).

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.adaptive_avg_pool2d(paddle.ones([1, 1, 5, 7]), 3).shape
    [1, 1, 3, 3]
    """
    check_rank(x, 4, "adaptive_avg_pool2d", data_format)
    spatial = x.shape[1:3] if channel_last(data_format) else x.shape[2:]
    k = _out_size(output_size, spatial, 2)
    return run(
        "pool2d",
        x,
        pooling_type="avg",
        ksize=k,
        global_pooling=False,
        strides=[1, 1],
        paddings=[0, 0],
        exclusive=True,
        adaptive=True,
        ceil_mode=False,
        data_format=data_format,
        padding_algorithm="EXPLICIT",
    )


def adaptive_avg_pool1d(x, output_size, name=None):
    check_rank(x, 3, "adaptive_avg_pool1d", "NCL")
    xx = run("unsqueeze2", x, None, None, axes=[2])[0]
    out = run(
        "pool2d",
        xx,
        pooling_type="avg",
        ksize=[1, int(output_size)],
        global_pooling=False,
        strides=[1, 1],
        paddings=[0, 0],
        exclusive=True,
        adaptive=True,
        ceil_mode=False,
        data_format="NCHW",
        padding_algorithm="EXPLICIT",
    )
    return run("squeeze2", out, axes=[2])[0]


def adaptive_avg_pool3d(x, output_size, data_format="NCDHW", name=None):
    check_rank(x, 5, "adaptive_avg_pool3d", data_format)
    spatial = x.shape[1:4] if channel_last(data_format) else x.shape[2:]
    return run(
        "pool3d",
        x,
        pooling_type="avg",
        ksize=_out_size(output_size, spatial, 3),
        global_pooling=False,
        strides=[1, 1, 1],
        paddings=[0, 0, 0],
        exclusive=True,
        adaptive=True,
        ceil_mode=False,
        data_format=data_format,
        padding_algorithm="EXPLICIT",
    )


def adaptive_max_pool2d(x, output_size, return_mask=False, name=None):
    check_rank(x, 4, "adaptive_max_pool2d", "NCHW")
    k = _out_size(output_size, x.shape[2:], 2)
    out, mask = run(
        "max_pool2d_with_index",
        x,
        ksize=k,
        global_pooling=False,
        strides=[1, 1],
        paddings=[0, 0],
        adaptive=True,
    )
    return (out, mask) if return_mask else out


def adaptive_max_pool1d(x, output_size, return_mask=False, name=None):
    check_rank(x, 3, "adaptive_max_pool1d", "NCL")
    xx = run("unsqueeze2", x, None, None, axes=[2])[0]
    out, mask = run(
        "max_pool2d_with_index",
        xx,
        ksize=[1, int(output_size)],
        global_pooling=False,
        strides=[1, 1],
        paddings=[0, 0],
        adaptive=True,
    )
    out = run("squeeze2", out, axes=[2])[0]
    if return_mask:
        return out, run("squeeze2", mask, axes=[2])[0]
    return out

"""``paddle.static.nn``: the static-graph layer functions, writing the ops Paddle writes.

Each call names its parameters as Paddle's ``LayerHelper`` does (``fc_0.w_0``, ``fc_0.b_0``,
``conv2d_0.w_0``, ``batch_norm_0.w_1`` ...) so that parameter files cross between the two, and
appends Paddle's op sequence: ``fc`` is ``mul`` + ``elementwise_add(axis=num_flatten_dims)`` (+
the activation; with ``FLAGS_enable_pir_api`` on, Paddle 3.x PIR mode's ``reshape`` (inputs of rank
> 2) + ``matmul`` + ``add``, which a PIR save can lower), ``conv2d`` is ``conv2d`` + ``elementwise_add(axis=1)``, ``embedding`` is
``lookup_table_v2``.

>>> import paddlefish as paddle
>>> paddle.enable_static()
>>> main = paddle.static.Program()
>>> with paddle.static.program_guard(main, paddle.static.Program()):
...     x = paddle.static.data('img', [None, 1, 8, 8], 'float32')
...     y = paddle.static.nn.conv2d(x, 4, 3, act='relu')
>>> [op.type for op in main.global_block().ops], y.shape
(['conv2d', 'elementwise_add', 'relu'], [-1, 4, 6, 6])
>>> paddle.disable_static()
"""

from __future__ import annotations

import math

from .._core import flags, unique_name
from .._core.missing import module_getattr as _module_getattr
from ..framework._create_parameter import create_parameter
from ..nn import initializer as init
from ..nn.param_attr import ParamAttr
from ..tensor._run import run

__all__ = ["batch_norm", "conv2d", "embedding", "fc"]


def _param(helper: str, shape, dtype, attr, is_bias=False, default=None):
    attr = ParamAttr._to_attr(attr)
    if attr is False:
        return None
    return create_parameter(shape, dtype, name=helper, attr=attr or ParamAttr(),
                            is_bias=is_bias, default_initializer=default)


def _act(x, act):
    if act is None:
        return x
    return run(act, x)


def fc(x, size: int, num_flatten_dims: int = 1, weight_attr=None, bias_attr=None,
       activation=None, name=None):
    """Fully connected: ``mul`` of ``x`` flattened at ``num_flatten_dims`` with ``fc_N.w_0``
    (``[in, size]``, Xavier), plus ``fc_N.b_0`` (zeros), then ``activation``."""
    import paddlefish as paddle

    helper = name or unique_name.generate("fc")
    pir = bool(flags.get("FLAGS_enable_pir_api"))
    inputs = x if isinstance(x, (list, tuple)) else [x]
    outs = []
    for inp in inputs:
        nfd = num_flatten_dims if num_flatten_dims >= 0 else len(inp.shape) + num_flatten_dims
        in_dim = math.prod(inp.shape[nfd:])
        if in_dim < 0:
            raise ValueError(f"static.nn.fc: the input dims after num_flatten_dims={nfd} must be "
                             f"known, got shape {list(inp.shape)}")
        w = _param(helper, [in_dim, size], inp.dtype, weight_attr)
        if pir:  # Paddle 3.x PIR mode: reshape (rank > 2) + matmul
            if len(inp.shape) > 2:
                inp = paddle.reshape(inp, [*inp.shape[:nfd], in_dim])
            outs.append(paddle.matmul(inp, w))
        else:
            outs.append(run("mul", inp, w, x_num_col_dims=nfd, y_num_col_dims=1))
    out = outs[0] if len(outs) == 1 else (paddle.add_n(outs) if pir else run("sum", outs))
    b = _param(helper, [size], inputs[0].dtype, bias_attr, is_bias=True)
    if b is not None and pir and len(out.shape) == nfd + 1:
        out = paddle.add(out, b)
    elif b is not None:
        nfd = num_flatten_dims if num_flatten_dims >= 0 else len(out.shape) - 1
        out = run("elementwise_add", out, b, axis=nfd)
    return _act(out, activation)


def _pair(v, n=2):
    return [int(i) for i in v] if isinstance(v, (list, tuple)) else [int(v)] * n


def conv2d(input, num_filters: int, filter_size, stride=1, padding=0, dilation=1, groups=None,
           param_attr=None, bias_attr=None, use_cudnn=True, act=None, name=None,
           data_format="NCHW"):
    """2-D convolution: ``conv2d`` with ``conv2d_N.w_0`` (``[F, C/groups, kh, kw]``, normal
    with std ``sqrt(2 / (kh*kw*C))``), plus ``conv2d_N.b_0`` on axis 1, then ``act``."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError(f"static.nn.conv2d: data_format must be 'NCHW' or 'NHWC', got "
                         f"{data_format!r}")
    helper = name or unique_name.generate("conv2d")
    channels = input.shape[1 if data_format == "NCHW" else 3]
    groups = groups or 1
    k = _pair(filter_size)
    algo = "EXPLICIT"
    if isinstance(padding, str):
        algo, padding = padding.upper(), 0
    std = (2.0 / (k[0] * k[1] * channels)) ** 0.5
    w = _param(helper, [num_filters, channels // groups] + k, input.dtype, param_attr,
               default=init.Normal(0.0, std))
    out = run("conv2d", input, w, strides=_pair(stride), paddings=_pair(padding),
              padding_algorithm=algo, groups=groups, dilations=_pair(dilation),
              data_format=data_format)
    b = _param(helper, [num_filters], input.dtype, bias_attr, is_bias=True)
    if b is not None:
        out = run("elementwise_add", out, b, axis=1 if data_format == "NCHW" else 3)
    return _act(out, act)


def batch_norm(input, act=None, is_test=False, momentum=0.9, epsilon=1e-05, param_attr=None,
               bias_attr=None, data_layout="NCHW", in_place=False, name=None,
               moving_mean_name=None, moving_variance_name=None,
               do_model_average_for_mean_and_var=True, use_global_stats=False):
    """Batch norm with ``batch_norm_N.w_0`` (scale), ``.b_0`` (shift), ``.w_1`` / ``.w_2``
    (moving mean / variance, not trainable, updated in place while training)."""
    helper = name or unique_name.generate("batch_norm")
    c = input.shape[1 if data_layout == "NCHW" else -1]
    dt = input.dtype
    scale = _param(helper, [c], dt, param_attr, default=init.Constant(1.0))
    bias = _param(helper, [c], dt, bias_attr, is_bias=True)
    mean = _param(helper, [c], dt, ParamAttr(name=moving_mean_name, trainable=False,
                                              initializer=init.Constant(0.0)))
    var = _param(helper, [c], dt, ParamAttr(name=moving_variance_name, trainable=False,
                                             initializer=init.Constant(1.0)))
    mean.stop_gradient = var.stop_gradient = True
    y = run("batch_norm", input, scale, bias, mean, var, momentum=momentum, epsilon=epsilon,
            data_layout=data_layout, is_test=is_test, use_global_stats=use_global_stats)[0]
    return _act(y, act)


def embedding(input, size, is_sparse=False, is_distributed=False, padding_idx=None,
              param_attr=None, dtype="float32"):
    """Embedding lookup (``lookup_table_v2``) in ``embedding_N.w_0`` of shape ``size``."""
    helper = unique_name.generate("embedding")
    w = _param(helper, list(size), dtype, param_attr)
    pad = -1 if padding_idx is None else (padding_idx if padding_idx >= 0
                                          else size[0] + padding_idx)
    return run("lookup_table_v2", w, input, padding_idx=pad, is_sparse=is_sparse)


__getattr__ = _module_getattr("paddle.static.nn")

"""Normalization functionals: ``batch_norm``, ``layer_norm``, ``group_norm``,
``instance_norm`` (one Paddle op each) and ``normalize`` (``p_norm`` + max + div)."""

from __future__ import annotations

import math

from ...tensor._run import run
from ...tensor.creation import full

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm", "normalize"]

_LAYOUT = {
    "NC": "NCHW",
    "NCL": "NCHW",
    "NCHW": "NCHW",
    "NCDHW": "NCHW",
    "NLC": "NHWC",
    "NHWC": "NHWC",
    "NDHWC": "NHWC",
}


def batch_norm(
    x,
    running_mean,
    running_var,
    weight,
    bias,
    training=False,
    momentum=0.9,
    epsilon=1e-05,
    data_format="NCHW",
    use_global_stats=None,
    name=None,
):
    """Batch normalization; in training mode updates ``running_mean``/``running_var`` in place
    (see NOTE [batch_norm momentum] and NOTE [batch_norm variance] in ops/nn.py).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[1.0], [3.0]])
    >>> m, v = paddle.zeros([1]), paddle.ones([1])
    >>> y = paddle.nn.functional.batch_norm(x, m, v, paddle.ones([1]), paddle.zeros([1]),
    ...                                     training=True)
    >>> round(float(m), 4), round(float(v), 4)
    (0.2, 1.0)
    """
    if data_format not in _LAYOUT:
        raise ValueError(f"batch_norm: data_format {data_format!r} is not one of {sorted(_LAYOUT)}")
    y = run(
        "batch_norm",
        x,
        weight,
        bias,
        running_mean,
        running_var,
        None,
        momentum=float(momentum),
        epsilon=float(epsilon),
        data_layout=_LAYOUT[data_format],
        is_test=not training,
        use_global_stats=bool(use_global_stats),
        trainable_statistics=False,
    )
    return y[0]


def layer_norm(x, normalized_shape, weight=None, bias=None, epsilon=1e-05, name=None):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if list(x.shape[x.ndim - len(shape) :]) != shape:
        raise ValueError(
            f"layer_norm: normalized_shape {shape} does not match the trailing "
            f"dimensions of the input {x.shape}"
        )
    n = math.prod(shape)
    w = run("reshape2", weight, shape=[n])[0] if weight is not None and weight.ndim != 1 else weight
    b = run("reshape2", bias, shape=[n])[0] if bias is not None and bias.ndim != 1 else bias
    return run("layer_norm", x, w, b, epsilon=float(epsilon), begin_norm_axis=x.ndim - len(shape))[
        0
    ]


def group_norm(x, num_groups, epsilon=1e-05, weight=None, bias=None, data_format="NCHW", name=None):
    c = x.shape[-1] if data_format in ("NHWC", "NLC", "NDHWC") else x.shape[1]
    if c % num_groups:
        raise ValueError(
            f"group_norm: {c} channels of input {x.shape} are not divisible by "
            f"num_groups={num_groups}"
        )
    layout = "NHWC" if data_format in ("NHWC", "NLC", "NDHWC") else "NCHW"
    return run(
        "group_norm",
        x,
        weight,
        bias,
        epsilon=float(epsilon),
        groups=int(num_groups),
        data_layout=layout,
    )[0]


def instance_norm(
    x,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats=True,
    momentum=0.9,
    eps=1e-05,
    data_format="NCHW",
    name=None,
):
    return run("instance_norm", x, weight, bias, epsilon=float(eps))[0]


def normalize(x, p=2, axis=1, epsilon=1e-12, name=None):
    """``x / max(||x||_p, epsilon)`` along ``axis``.

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.normalize(paddle.to_tensor([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    norm = run(
        "p_norm",
        x,
        porder=float(p),
        axis=int(axis),
        epsilon=float(epsilon),
        keepdim=True,
        asvector=False,
    )
    eps = full([1], epsilon, dtype=x.dtype)
    return run("elementwise_div", x, run("elementwise_max", norm, eps, axis=-1), axis=-1)

"""Common functionals: dropout family, pad, interpolate/upsample, cosine_similarity,
pixel_shuffle, label_smooth.

NOTE [what Paddle 2.6 records]: observed by printing a Paddle 2.6.2 static program for each
call (``paddle.enable_static()`` + ``program_guard``), legacy op types and attributes:
  Conv2D/Conv3D/Conv2DTranspose -> conv2d|conv3d|conv2d_transpose, then ``reshape2`` of the bias
    to [1, C, 1, 1] and ``elementwise_add(axis=-1)``; Conv1D -> unsqueeze2(w, [-2]),
    unsqueeze2(x, [-2]), conv2d, ``elementwise_add(axis=1)``, squeeze2([-2]).
  BatchNorm*/BatchNorm -> batch_norm {momentum, epsilon, data_layout, is_test,
    use_global_stats, trainable_statistics}; LayerNorm -> layer_norm {begin_norm_axis};
    GroupNorm -> group_norm {groups, data_layout}; InstanceNorm*D -> instance_norm {epsilon}.
  Embedding -> lookup_table_v2 {padding_idx}; F.one_hot -> one_hot_v2 {depth, dtype=5,
    allow_out_of_range=False}; Flatten -> flatten_contiguous_range; PixelShuffle -> pixel_shuffle.
  Dropout -> dropout {dropout_prob, is_test, dropout_implementation}; Dropout2D/3D and
    AlphaDropout are compositions (uniform_random, greater_equal, cast, mul, scale).
  MaxPool2D/AvgPool2D/AdaptiveAvgPool2D -> pool2d; AdaptiveMaxPool2D -> max_pool2d_with_index;
    1-D pools -> unsqueeze2([2]) + the 2-D op + squeeze2([2]).
  Upsample/F.interpolate -> nearest_interp_v2|bilinear_interp_v2|bicubic_interp_v2 with
    out_d/out_h/out_w (-1 when scale is given), scale (list), interp_method, align_corners,
    align_mode, data_layout.
  Pad1D/2D/3D and non-constant F.pad -> unsqueeze2 + pad3d {paddings (6), mode, value,
    data_format=NCDHW} + squeeze2; constant F.pad covering every axis -> pad {paddings,
    pad_value}.
  Activations: hard_swish, hard_sigmoid {slope=1/6}, Hardtanh -> brelu {t_min, t_max},
    LogSigmoid -> logsigmoid, Tanhshrink -> tanh_shrink; F.softmax(dtype=) -> cast + softmax.
  Losses: cross_entropy -> softmax_with_cross_entropy (+ reduce_mean / weighting ops);
    SmoothL1Loss -> huber_loss; BCELoss -> bce_loss; BCEWithLogitsLoss ->
    sigmoid_cross_entropy_with_logits {normalize, ignore_index} with pos_weight computed as
    ``1 + (pos_weight - 1) * label``; NLLLoss -> nll_loss; KLDivLoss -> kldiv_loss
    {reduction='none'} + reduce_mean; MSELoss -> sub + square + reduce_mean.
"""

from __future__ import annotations

import torch

from ...eager.tensor import Tensor, wrap
from ...tensor._run import run

__all__ = [
    "alpha_dropout",
    "cosine_similarity",
    "dropout",
    "dropout2d",
    "dropout3d",
    "interpolate",
    "label_smooth",
    "pad",
    "pixel_shuffle",
    "upsample",
]

_MODES = ("upscale_in_train", "downscale_in_infer")


def _mask(x, shape, p):
    keep = torch.empty(shape, dtype=x._t.dtype, device=x._t.device).bernoulli_(1.0 - p)
    return wrap(keep)


def dropout(x, p=0.5, axis=None, training=True, mode="upscale_in_train", name=None):
    """Dropout (Paddle's ``dropout`` op; ``axis`` drops whole slices along those axes).

    >>> import paddlefish as paddle
    >>> x = paddle.ones([2, 3])
    >>> paddle.nn.functional.dropout(x, 0.5, training=False).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    if not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if mode not in _MODES:
        raise ValueError(f"dropout: mode {mode!r} must be one of {_MODES}")
    impl = "upscale_in_train" if mode == "upscale_in_train" else "downgrade_in_infer"
    if axis is None:
        return run(
            "dropout",
            x,
            None,
            dropout_prob=float(p),
            is_test=not training,
            dropout_implementation=impl,
        )[0]
    if not training:
        return x if impl == "upscale_in_train" else run("scale", x, scale=1.0 - float(p))
    if p == 0.0:
        return x
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = [a % x.ndim for a in axes]
    shape = [s if i in axes else 1 for i, s in enumerate(x.shape)]
    out = run("elementwise_mul", x, _mask(x, shape, float(p)), axis=-1)
    if impl == "upscale_in_train":
        out = run("scale", out, scale=1.0 / (1.0 - float(p))) if p < 1.0 else out
    return out


def dropout2d(x, p=0.5, training=True, data_format="NCHW", name=None):
    if x.ndim != 4:
        raise ValueError(f"dropout2d: expected a 4-D input, got shape {x.shape}")
    return dropout(x, p, axis=[0, 1] if data_format == "NCHW" else [0, 3], training=training)


def dropout3d(x, p=0.5, training=True, data_format="NCDHW", name=None):
    if x.ndim != 5:
        raise ValueError(f"dropout3d: expected a 5-D input, got shape {x.shape}")
    return dropout(x, p, axis=[0, 1] if data_format == "NCDHW" else [0, 4], training=training)


def alpha_dropout(x, p=0.5, training=True, name=None):
    """SELU-preserving dropout; identity when not training."""
    if not training or p == 0.0:
        return x
    alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
    a = ((1 - p) * (1 + p * alpha_p**2)) ** -0.5
    b = -a * alpha_p * p
    keep = _mask(x, x.shape, float(p))
    drop = run("scale", keep, scale=-1.0, bias=1.0)
    y = run(
        "elementwise_add",
        run("elementwise_mul", x, keep, axis=-1),
        run("scale", drop, scale=alpha_p),
        axis=-1,
    )
    return run("scale", y, scale=a, bias=b)


def _pad3d(x, pads6, mode, value, data_format):
    return run(
        "pad3d", x, None, paddings=pads6, mode=mode, value=float(value), data_format=data_format
    )


def pad(x, pad, mode="constant", value=0.0, data_format="NCHW", name=None):
    """Pad ``x``. A constant pad listing every axis is Paddle's ``pad`` op (pairs per axis,
    first axis first); otherwise the last 1-3 spatial axes are padded with ``pad3d``
    (pairs from the LAST axis, as torch).

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.pad(paddle.ones([1, 1, 2]), [1, 0], data_format="NCL").shape
    [1, 1, 3]
    """
    if isinstance(pad, Tensor):
        pad = [int(v) for v in pad.tolist()]
    pad = [int(v) for v in pad]
    nd = x.ndim
    if mode == "constant" and len(pad) == 2 * nd:
        return run("pad", x, paddings=pad, pad_value=float(value))
    if nd not in (3, 4, 5) or len(pad) != 2 * (nd - 2):
        raise ValueError(
            f"pad: for mode {mode!r} a {nd}-D input needs {2 * (nd - 2)} pad "
            f"values (or {2 * nd} for constant mode), got {pad}"
        )
    cl = data_format in ("NLC", "NHWC", "NDHWC")
    if nd == 5:
        return _pad3d(x, pad, mode, value, "NDHWC" if cl else "NCDHW")
    fmt = "NDHWC" if cl else "NCDHW"
    if nd == 4:
        axes = [1] if cl else [2]
        pads6 = pad + [0, 0]
    else:
        axes = [2, 3] if cl else [3, 4]
        pads6 = [0, 0, 0, 0] + pad
    xx = run("unsqueeze2", x, None, None, axes=axes)[0]
    return run("squeeze2", _pad3d(xx, pads6, mode, value, fmt), axes=axes)[0]


_INTERP_RANK = {"linear": 3, "bilinear": 4, "nearest": None, "bicubic": 4, "trilinear": 5}


def interpolate(
    x,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=False,
    align_mode=0,
    data_format="NCHW",
    name=None,
):
    """Resize with ``{mode}_interp_v2`` (Paddle's attributes: out_d/out_h/out_w, scale, ...).

    >>> import paddlefish as paddle
    >>> F = paddle.nn.functional
    >>> F.interpolate(paddle.ones([1, 1, 2, 2]), scale_factor=2).shape
    [1, 1, 4, 4]
    """
    mode = mode.lower()
    if mode not in _INTERP_RANK:
        raise ValueError(f"interpolate: mode {mode!r} must be one of {sorted(_INTERP_RANK)}")
    want = _INTERP_RANK[mode]
    if want is not None and x.ndim != want:
        raise ValueError(f"interpolate: mode {mode!r} needs a {want}-D input, got {x.shape}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if align_corners and mode == "nearest":
        raise ValueError("interpolate: align_corners=True is only valid for linear modes")
    nd = x.ndim - 2
    formats = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}.get(nd, ())
    if data_format not in formats:
        raise ValueError(
            f"interpolate: data_format {data_format!r} is not valid for a "
            f"{x.ndim}-D input; use one of {formats}"
        )
    attrs = {"out_d": -1, "out_h": -1, "out_w": -1, "scale": []}
    out_size = None
    if size is not None:
        if isinstance(size, Tensor):
            out_size = size
        else:
            sz = [size] * nd if isinstance(size, int) else [int(v) for v in size]
            if len(sz) != nd:
                raise ValueError(f"interpolate: size {sz} must have {nd} entries")
            attrs.update(zip(["out_d", "out_h", "out_w"][3 - nd :], sz))
    else:
        sf = scale_factor.tolist() if isinstance(scale_factor, Tensor) else scale_factor
        sf = [float(sf)] * nd if isinstance(sf, (int, float)) else [float(v) for v in sf]
        attrs["scale"] = sf
    return run(
        f"{mode}_interp_v2",
        x,
        out_size,
        None,
        None,
        data_layout=data_format,
        interp_method=mode,
        align_corners=bool(align_corners),
        align_mode=int(align_mode),
        **attrs,
    )


def upsample(
    x,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=False,
    align_mode=0,
    data_format="NCHW",
    name=None,
):
    return interpolate(x, size, scale_factor, mode, align_corners, align_mode, data_format)


def cosine_similarity(x1, x2, axis=1, eps=1e-8):
    """Cosine similarity along ``axis`` (Paddle's composition: sums of products, clip, sqrt).

    >>> import paddlefish as paddle
    >>> a = paddle.to_tensor([[1.0, 0.0]])
    >>> paddle.nn.functional.cosine_similarity(a, a).tolist()
    [1.0]
    """

    def ssum(t):
        return run("reduce_sum", t, dim=[axis], keep_dim=False, reduce_all=False)

    w12 = ssum(run("elementwise_mul", x1, x2, axis=-1))
    w1 = ssum(run("elementwise_mul", x1, x1, axis=-1))
    w2 = ssum(run("elementwise_mul", x2, x2, axis=-1))
    n12 = run(
        "sqrt",
        run(
            "clip",
            run("elementwise_mul", w1, w2, axis=-1),
            None,
            None,
            min=float(eps) ** 2,
            max=3.4028234663852886e38,
        ),
    )
    return run("elementwise_div", w12, n12, axis=-1)


def pixel_shuffle(x, upscale_factor, data_format="NCHW", name=None):
    if x.ndim != 4:
        raise ValueError(f"pixel_shuffle: expected a 4-D input, got shape {x.shape}")
    c = x.shape[1] if data_format == "NCHW" else x.shape[3]
    if c % (upscale_factor**2):
        raise ValueError(
            f"pixel_shuffle: {c} channels are not divisible by "
            f"upscale_factor**2 = {upscale_factor**2}"
        )
    return run("pixel_shuffle", x, upscale_factor=int(upscale_factor), data_format=data_format)


def label_smooth(label, prior_dist=None, epsilon=0.1, name=None):
    return run("label_smooth", label, prior_dist, epsilon=float(epsilon))

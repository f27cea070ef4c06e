"""More functionals added to close the API gap (docs/API_GAP.md): in-place activations,
unpooling, sampling grids, sequence helpers. Paddle's semantics on torch directly (eager with
autograd, not recordable — NOTE [eager-only functions]).

>>> import paddlefish as paddle
>>> import paddlefish.nn.functional as F
>>> F.sequence_mask(paddle.to_tensor([1, 3]), maxlen=4).tolist()
[[1, 0, 0, 0], [1, 1, 1, 0]]
"""

from __future__ import annotations

import torch
import torch.nn.functional as _F

from ..._core.dtypes import convert_dtype
from ...eager._dtype import to_torch_dtype
from ...eager.tensor import Tensor, wrap
from ...tensor._run import run
from ...tensor.math import _eager
from .extra import _inplace

__all__ = [
    "adaptive_max_pool3d",
    "affine_grid",
    "bilinear",
    "ctc_loss",
    "elu_",
    "gather_tree",
    "grid_sample",
    "gumbel_softmax",
    "hardtanh_",
    "leaky_relu_",
    "local_response_norm",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "rrelu",
    "scaled_dot_product_attention",
    "sequence_mask",
    "softmax_",
    "temporal_shift",
    "thresholded_relu_",
]


# ---- in-place activations -------------------------------------------------------------------
def elu_(x, alpha=1.0, name=None):
    (t,) = _eager("nn.functional.elu_", x)
    return _inplace(x, _F.elu(t, alpha))


def hardtanh_(x, min=-1.0, max=1.0, name=None):
    (t,) = _eager("nn.functional.hardtanh_", x)
    return _inplace(x, torch.clamp(t, min, max))


def leaky_relu_(x, negative_slope=0.01, name=None):
    (t,) = _eager("nn.functional.leaky_relu_", x)
    return _inplace(x, _F.leaky_relu(t, negative_slope))


def softmax_(x, axis=-1, dtype=None, name=None):
    (t,) = _eager("nn.functional.softmax_", x)
    if dtype is not None:
        t = t.to(to_torch_dtype(dtype))
    return _inplace(x, torch.softmax(t, axis))


def thresholded_relu_(x, threshold=1.0, value=0.0, name=None):
    (t,) = _eager("nn.functional.thresholded_relu_", x)
    return _inplace(x, torch.where(t > threshold, t, torch.as_tensor(value, dtype=t.dtype)))


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=True, name=None):
    """Randomized leaky ReLU: a random slope in ``[lower, upper]`` per element when training,
    ``(lower + upper) / 2`` otherwise."""
    if not 0 <= lower <= 1 or not 0 <= upper <= 1:
        raise ValueError(
            f"The lower value and upper value of rrelu must be in [0, 1], got lower={lower}, "
            f"upper={upper}"
        )
    if upper < lower:
        raise ValueError(f"The upper value must be no less than lower value, got {upper} < {lower}")
    (t,) = _eager("nn.functional.rrelu", x)
    return wrap(_F.rrelu(t, lower, upper, training=training))


def gumbel_softmax(x, temperature=1.0, hard=False, axis=-1, name=None):
    """Samples from the Gumbel-softmax distribution (one-hot with straight-through gradients
    when ``hard``)."""
    (t,) = _eager("nn.functional.gumbel_softmax", x)
    return wrap(_F.gumbel_softmax(t, tau=temperature, hard=hard, dim=axis))


# ---- pooling / normalisation ----------------------------------------------------------------
def adaptive_max_pool3d(x, output_size, return_mask=False, name=None):
    (t,) = _eager("nn.functional.adaptive_max_pool3d", x)
    size = [output_size] * 3 if isinstance(output_size, int) else list(output_size)
    size = [t.shape[2 + i] if s is None else int(s) for i, s in enumerate(size)]
    out, idx = _F.adaptive_max_pool3d(t, size, return_indices=True)
    return (wrap(out), wrap(idx.to(torch.int32))) if return_mask else wrap(out)


def local_response_norm(x, size, alpha=0.0001, beta=0.75, k=1.0, data_format="NCHW", name=None):
    """Normalise each value by the sum of squares over ``size`` neighbouring channels."""
    (t,) = _eager("nn.functional.local_response_norm", x)
    if t.dim() < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input, but got {t.dim()} dimensions"
        )
    last = data_format[-1] == "C"
    if last:
        t = t.movedim(-1, 1)
    out = _F.local_response_norm(t, size, alpha, beta, k)
    return wrap(out.movedim(1, -1) if last else out)


def _unpool(nd, x, indices, kernel_size, stride, padding, data_format, output_size, fn):
    tx, ti = _eager(f"nn.functional.max_unpool{nd}d", x, indices)
    if data_format not in ("NCL", "NCHW", "NCDHW"):
        raise ValueError(
            f"The data_format of max_unpool{nd}d must be channel-first "
            f"({['NCL', 'NCHW', 'NCDHW'][nd - 1]}), got {data_format!r}"
        )
    k = [kernel_size] * nd if isinstance(kernel_size, int) else list(kernel_size)
    s = k if stride is None else ([stride] * nd if isinstance(stride, int) else list(stride))
    p = [padding] * nd if isinstance(padding, int) else list(padding)
    if output_size is None:
        size = [(tx.shape[2 + i] - 1) * s[i] - 2 * p[i] + k[i] for i in range(nd)]
    else:
        size = list(output_size)[-nd:]
    return wrap(fn(tx, ti.long(), k, s, p, size))


def max_unpool1d(
    x, indices, kernel_size, stride=None, padding=0, data_format="NCL", output_size=None, name=None
):
    """Inverse of ``max_pool1d(return_mask=True)``: values back at their argmax positions."""
    return _unpool(
        1, x, indices, kernel_size, stride, padding, data_format, output_size, _F.max_unpool1d
    )


def max_unpool2d(
    x, indices, kernel_size, stride=None, padding=0, data_format="NCHW", output_size=None, name=None
):
    """Inverse of ``max_pool2d(return_mask=True)``."""
    return _unpool(
        2, x, indices, kernel_size, stride, padding, data_format, output_size, _F.max_unpool2d
    )


def max_unpool3d(
    x,
    indices,
    kernel_size,
    stride=None,
    padding=0,
    data_format="NCDHW",
    output_size=None,
    name=None,
):
    """Inverse of ``max_pool3d(return_mask=True)``."""
    return _unpool(
        3, x, indices, kernel_size, stride, padding, data_format, output_size, _F.max_unpool3d
    )


# ---- geometry -------------------------------------------------------------------------------
def affine_grid(theta, out_shape, align_corners=True, name=None):
    """Sampling grid ``[N, H, W, 2]`` (or 3-D) for the affine maps ``theta``."""
    (t,) = _eager("nn.functional.affine_grid", theta)
    if isinstance(out_shape, Tensor):
        out_shape = out_shape.tolist()
    return wrap(_F.affine_grid(t, [int(s) for s in out_shape], align_corners=align_corners))


def grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True, name=None):
    """Sample ``x`` at ``grid`` locations (``mode`` bilinear/nearest; padding zeros/border/
    reflection)."""
    if mode not in ("bilinear", "nearest"):
        raise ValueError(
            f"The mode of grid sample function should be in ['bilinear', 'nearest'], "
            f"but got: {mode}"
        )
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            "The padding method of grid sample function should be in ['zeros', "
            f"'reflection', 'border'], but got: {padding_mode}"
        )
    tx, tg = _eager("nn.functional.grid_sample", x, grid)
    return wrap(
        _F.grid_sample(tx, tg, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    )


def bilinear(x1, x2, weight, bias=None, name=None):
    """``x1^T W x2 + b`` per output feature; ``weight [out, in1, in2]``, ``bias [1, out]``."""
    a, b, w, bias_t = _eager("nn.functional.bilinear", x1, x2, weight, bias)
    return wrap(_F.bilinear(a, b, w, None if bias_t is None else bias_t.reshape(-1)))


def temporal_shift(x, seg_num, shift_ratio=0.25, name=None, data_format="NCHW"):
    """TSM's temporal shift: ``x [N*T, C, H, W]``; the first ``C*ratio`` channels take the
    previous segment's values, the next ``C*ratio`` the next segment's, the rest stay."""
    (t,) = _eager("nn.functional.temporal_shift", x)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError(f"Attr(data_format) should be 'NCHW' or 'NHWC', got {data_format!r}")
    if data_format == "NHWC":
        t = t.permute(0, 3, 1, 2)
    nt, c, h, w = t.shape
    v = t.reshape(nt // seg_num, seg_num, c, h, w)
    c1, c2 = int(c * shift_ratio), int(c * 2 * shift_ratio)
    out = torch.zeros_like(v)
    out[:, 1:, :c1] = v[:, :-1, :c1]
    out[:, :-1, c1:c2] = v[:, 1:, c1:c2]
    out[:, :, c2:] = v[:, :, c2:]
    out = out.reshape(nt, c, h, w)
    return wrap(out.permute(0, 2, 3, 1) if data_format == "NHWC" else out)


# ---- sequences ------------------------------------------------------------------------------
def sequence_mask(x, maxlen=None, dtype="int64", name=None):
    """``mask[..., j] = j < x[...]``; ``maxlen`` defaults to ``max(x)``. The ``sequence_mask``
    op as Paddle records it: a Tensor ``maxlen`` is ``MaxLenTensor``, an int the attribute."""
    tensor_max = maxlen if isinstance(maxlen, Tensor) else None
    attrs = {"out_dtype": convert_dtype(dtype).vartype}
    if maxlen is not None and tensor_max is None:
        attrs["maxlen"] = int(maxlen)
    out = run("sequence_mask", x, tensor_max, **attrs)
    out.stop_gradient = True
    return out


def gather_tree(ids, parents):
    """Backtrace beam-search results: ``ids``/``parents`` ``[T, batch, beam]`` -> full paths."""
    ti, tp = _eager("nn.functional.gather_tree", ids, parents)
    if ti.dim() != 3 or ti.shape != tp.shape:
        raise ValueError(
            f"gather_tree: ids {list(ti.shape)} and parents {list(tp.shape)} must both be "
            "[max_time, batch_size, beam_size]"
        )
    out = torch.empty_like(ti)
    out[-1] = ti[-1]
    parent = tp[-1].long()
    for step in range(ti.shape[0] - 2, -1, -1):
        out[step] = ti[step].gather(1, parent)
        parent = tp[step].long().gather(1, parent)
    return wrap(out)


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, training=True, name=None
):
    """Attention with Paddle's layout ``[batch, seq_len, num_heads, head_dim]``."""
    q, k, v, m = _eager("nn.functional.scaled_dot_product_attention", query, key, value, attn_mask)
    out = _F.scaled_dot_product_attention(
        q.transpose(1, 2),
        k.transpose(1, 2),
        v.transpose(1, 2),
        attn_mask=m,
        dropout_p=dropout_p if training else 0.0,
        is_causal=is_causal,
    )
    return wrap(out.transpose(1, 2))


def ctc_loss(
    log_probs, labels, input_lengths, label_lengths, blank=0, reduction="mean", norm_by_times=False
):
    """CTC loss as Paddle's warpctc computes it: ``log_probs`` are UNSCALED logits
    ``[max_T, batch, classes]`` (softmax is applied inside); ``mean`` divides each sequence's
    loss by its label length, then averages."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(
            f"reduction of ctc_loss should be 'mean', 'sum' or 'none', got {reduction!r}"
        )
    lp, lab, il, ll = _eager(
        "nn.functional.ctc_loss", log_probs, labels, input_lengths, label_lengths
    )
    loss = _F.ctc_loss(
        torch.log_softmax(lp, -1),
        lab.long(),
        il.long(),
        ll.long(),
        blank=blank,
        reduction="none",
        zero_infinity=False,
    )
    if reduction == "mean":
        return wrap((loss / ll.to(loss.dtype)).mean())
    if reduction == "sum":
        return wrap(loss.sum())
    return wrap(loss)

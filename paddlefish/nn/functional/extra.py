"""Functionals added to close the API gap (docs/API_GAP.md). Like the tensor functions of
NOTE [eager-only functions] they compute on torch directly: eager (with autograd), not recordable.
"""

from __future__ import annotations

import torch
import torch.nn.functional as _F

from ...eager.tensor import Tensor, wrap
from ...tensor.manipulation import diag_embed as diag_embed
from ...tensor.math import _eager

__all__ = [
    "celu",
    "channel_shuffle",
    "diag_embed",
    "fold",
    "glu",
    "hardshrink",
    "log_loss",
    "maxout",
    "pairwise_distance",
    "pixel_unshuffle",
    "relu_",
    "soft_margin_loss",
    "softshrink",
    "square_error_cost",
    "tanh_",
    "thresholded_relu",
    "unfold",
    "zeropad2d",
]


def celu(x, alpha=1.0, name=None):
    (t,) = _eager("nn.functional.celu", x)
    return wrap(_F.celu(t, alpha))


def glu(x, axis=-1, name=None):
    (t,) = _eager("nn.functional.glu", x)
    return wrap(_F.glu(t, axis))


def hardshrink(x, threshold=0.5, name=None):
    (t,) = _eager("nn.functional.hardshrink", x)
    return wrap(_F.hardshrink(t, threshold))


def softshrink(x, threshold=0.5, name=None):
    (t,) = _eager("nn.functional.softshrink", x)
    return wrap(_F.softshrink(t, threshold))


def thresholded_relu(x, threshold=1.0, value=0.0, name=None):
    (t,) = _eager("nn.functional.thresholded_relu", x)
    return wrap(torch.where(t > threshold, t, torch.as_tensor(value, dtype=t.dtype)))


def _inplace(x: Tensor, out: torch.Tensor) -> Tensor:
    if x._t.is_leaf and x._t.requires_grad and torch.is_grad_enabled():
        raise ValueError(
            f"tensor {x.name} is a leaf with stop_gradient=False and cannot be changed in place "
            "(Paddle refuses it too); use the out-of-place function"
        )
    if out.requires_grad and torch.is_grad_enabled():
        x._t = out
    else:
        with torch.no_grad():
            x._t.copy_(out)
    return x


def relu_(x, name=None):
    (t,) = _eager("nn.functional.relu_", x)
    return _inplace(x, torch.relu(t))


def tanh_(x, name=None):
    (t,) = _eager("nn.functional.tanh_", x)
    return _inplace(x, torch.tanh(t))


def maxout(x, groups, axis=1, name=None):
    (t,) = _eager("nn.functional.maxout", x)
    if axis not in (1, -1, 3):
        raise ValueError(f"maxout: axis must be 1, -1 or 3 (the channel axis), got {axis}")
    axis = axis % t.dim()
    c = t.shape[axis]
    shape = list(t.shape[:axis]) + [c // groups, groups] + list(t.shape[axis + 1 :])
    return wrap(t.reshape(shape).amax(axis + 1))


def pairwise_distance(x, y, p=2.0, epsilon=1e-6, keepdim=False, name=None):
    tx, ty = _eager("nn.functional.pairwise_distance", x, y)
    return wrap(torch.linalg.vector_norm(tx - ty + epsilon, float(p), dim=-1, keepdim=keepdim))


def pixel_unshuffle(x, downscale_factor, data_format="NCHW", name=None):
    (t,) = _eager("nn.functional.pixel_unshuffle", x)
    if data_format == "NHWC":
        return wrap(_F.pixel_unshuffle(t.permute(0, 3, 1, 2), downscale_factor).permute(0, 2, 3, 1))
    return wrap(_F.pixel_unshuffle(t, downscale_factor))


def channel_shuffle(x, groups, data_format="NCHW", name=None):
    (t,) = _eager("nn.functional.channel_shuffle", x)
    if data_format == "NHWC":
        return wrap(_F.channel_shuffle(t.permute(0, 3, 1, 2), groups).permute(0, 2, 3, 1))
    return wrap(_F.channel_shuffle(t, groups))


def zeropad2d(x, padding, data_format="NCHW", name=None):
    (t,) = _eager("nn.functional.zeropad2d", x)
    pad = [padding] * 4 if isinstance(padding, int) else [int(p) for p in padding]
    if data_format == "NHWC":
        return wrap(_F.pad(t.permute(0, 3, 1, 2), pad).permute(0, 2, 3, 1))
    return wrap(_F.pad(t, pad))


def square_error_cost(input, label):
    ti, tl = _eager("nn.functional.square_error_cost", input, label)
    return wrap((ti - tl) ** 2)


def log_loss(input, label, epsilon=1e-4, name=None):
    ti, tl = _eager("nn.functional.log_loss", input, label)
    return wrap(-tl * torch.log(ti + epsilon) - (1 - tl) * torch.log(1 - ti + epsilon))


def soft_margin_loss(input, label, reduction="mean", name=None):
    ti, tl = _eager("nn.functional.soft_margin_loss", input, label)
    return wrap(_F.soft_margin_loss(ti, tl.to(ti.dtype), reduction=reduction))


def _pair(v, n=2):
    return [int(v)] * n if isinstance(v, int) else [int(i) for i in v]


def unfold(x, kernel_sizes, strides=1, paddings=0, dilations=1, name=None):
    (t,) = _eager("nn.functional.unfold", x)
    p = _pair(paddings, 2) if isinstance(paddings, int) or len(paddings) == 2 else paddings
    if len(p) == 4:
        if p[0] != p[2] or p[1] != p[3]:
            t = _F.pad(t, [p[1], p[3], p[0], p[2]])
            p = [0, 0]
        else:
            p = p[:2]
    return wrap(_F.unfold(t, _pair(kernel_sizes), _pair(dilations), p, _pair(strides)))


def fold(x, output_sizes, kernel_sizes, strides=1, paddings=0, dilations=1, name=None):
    (t,) = _eager("nn.functional.fold", x)
    p = _pair(paddings)
    return wrap(_F.fold(t, _pair(output_sizes), _pair(kernel_sizes), _pair(dilations), p[:2],
                        _pair(strides)))

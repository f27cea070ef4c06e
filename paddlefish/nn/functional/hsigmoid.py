"""``hsigmoid_loss`` (hierarchical sigmoid over Paddle's default binary tree or a custom one)
and the ``spectral_norm`` computation behind ``nn.SpectralNorm``, Paddle 2.6's kernels on torch
(eager with autograd; NOTE [eager-only functions]).

NOTE [hsigmoid_loss]: as Paddle's CPU kernel, for each sample ``i`` and code position ``j`` below
the tree depth ``L`` (``bit_length(num_classes - 1)``, or the custom ``path_table``'s width):
``pre[i, j] = x_i . W[node(i, j)] + b[node(i, j)]`` on the sample's path (0 past its end),
clipped to [-40, 40] (the gradient passes through the clip, as Paddle's grad kernel uses the
clipped value); ``loss_i = sum_j log(1 + exp(pre[i, j])) - sum_{j on path} bit(i, j) * pre[i, j]``.
Positions past the end of a short path still add ``log 2`` each — Paddle's kernel does, and says
so in a TODO; kept for equal values. Default tree: class ``c`` is node ``c + num_classes``, its
path nodes are its prefixes ``((c + n) >> (j + 1)) - 1``, the bits its suffixes; custom tree:
``path_table`` rows end at their first negative entry, ``path_code`` gives the bits.

>>> import paddlefish as paddle
>>> import paddlefish.nn.functional as F
>>> x = paddle.ones([2, 3]); w = paddle.full([4, 3], 0.1)
>>> F.hsigmoid_loss(x, paddle.to_tensor([[0], [4]]), 5, w).shape
[2, 1]
"""

from __future__ import annotations

import torch

from ...eager.tensor import wrap
from ...tensor.math import _eager

__all__ = ["hsigmoid_loss"]


def _default_tree(label: torch.Tensor, num_classes: int):
    depth = int(num_classes - 1).bit_length()
    c = label + num_classes
    pos = torch.arange(depth, dtype=torch.int64)
    length = torch.zeros_like(c)
    for k in range(1, depth + 2):  # bit_length(c) - 1
        length += (c >> k) > 0
    node = (c[:, None] >> (pos + 1)) - 1
    bit = ((c[:, None] >> pos) & 1).bool()
    return node, bit, pos[None, :] < length[:, None]


def _custom_tree(table: torch.Tensor, code: torch.Tensor):
    neg = table < 0
    width = table.shape[1]
    length = torch.where(
        neg.any(1), neg.int().argmax(1), torch.full_like(neg[:, 0], width, dtype=torch.int64)
    )
    valid = torch.arange(width)[None, :] < length[:, None]
    return table, code != 0, valid


def hsigmoid_loss(
    input,
    label,
    num_classes,
    weight,
    bias=None,
    path_table=None,
    path_code=None,
    is_sparse=False,
    name=None,
):
    """Hierarchical sigmoid loss ``[N, 1]`` of ``input [N, D]`` for ``label [N, 1]`` (NOTE
    [hsigmoid_loss]); ``weight [num_classes - 1, D]`` (default tree) or ``[num_nodes, D]``
    (custom ``path_table``/``path_code``, both ``[N, L]`` int64), ``bias`` of matching rows."""
    if num_classes < 2:
        raise ValueError(f"Expected num_classes >= 2 (got {num_classes})")
    if (path_table is None) != (path_code is None):
        raise ValueError("hsigmoid_loss: path_table and path_code must be given together")
    x, lab, w = _eager("hsigmoid_loss", input, label, weight)
    if x.dim() != 2:
        raise ValueError(f"hsigmoid_loss: input must be [N, D], got shape {list(x.shape)}")
    lab = lab.reshape(-1).long()
    if lab.shape[0] != x.shape[0]:
        raise ValueError(
            f"hsigmoid_loss: label holds {lab.shape[0]} values for {x.shape[0]} samples"
        )
    if path_table is None:
        if bool(((lab < 0) | (lab >= num_classes)).any()):
            raise ValueError(
                f"hsigmoid_loss: labels must be in [0, {num_classes}), got {lab.tolist()}"
            )
        node, bit, valid = _default_tree(lab, int(num_classes))
    else:
        table, code = _eager("hsigmoid_loss", path_table, path_code)
        node, bit, valid = _custom_tree(table.long(), code.long())
    idx = torch.where(valid, node, torch.zeros_like(node))
    if bool((idx >= w.shape[0]).any()):
        raise ValueError(
            f"hsigmoid_loss: a path reaches node {int(idx.max())} but weight has only "
            f"{w.shape[0]} rows"
        )
    pre = torch.einsum("nd,nld->nl", x, w[idx])
    if bias is not None:
        (b,) = _eager("hsigmoid_loss", bias)
        pre = pre + b.reshape(-1)[idx]
    pre = torch.where(valid, pre, torch.zeros_like(pre))
    pre = pre + (pre.clamp(-40.0, 40.0) - pre).detach()
    picked = (pre * (bit & valid).to(pre.dtype)).sum(1, keepdim=True)
    return wrap(torch.log1p(torch.exp(pre)).sum(1, keepdim=True) - picked)


class _SpectralNorm(torch.autograd.Function):
    """NOTE [spectral_norm grad]: Paddle's spectral_norm_grad is not the derivative of
    ``W / sigma(W)``: with ``S`` the sum of all elements of the normalized matrix it returns
    ``dOut * (1 - u v^T * S) / sigma`` elementwise (u, v after the power iterations), in the
    ``[h, w]`` layout. Kept, so training with SpectralNorm moves parameters as in Paddle."""

    @staticmethod
    def forward(ctx, mat, u, v, sigma):
        out = mat / sigma
        ctx.save_for_backward(out, u, v, sigma)
        return out

    @staticmethod
    def backward(ctx, g):
        out, u, v, sigma = ctx.saved_tensors
        return g * (1.0 - torch.outer(u, v) * out.sum()) / sigma, None, None, None


def spectral_norm_weight(weight, u, v, dim: int, power_iters: int, eps: float):
    """``weight / sigma`` with sigma from ``power_iters`` power iterations started at ``u``,
    ``v`` (copies: the inputs are not updated); the gradient is Paddle's (NOTE [spectral_norm
    grad])."""
    (w,) = _eager("spectral_norm", weight)
    uu, vv = (t.detach().clone() for t in _eager("spectral_norm", u, v))
    if not 2 <= w.dim() <= 5:
        raise ValueError(
            f"Weight rank of SpectralNorm should be in range [2, 5], but got {w.dim()}."
        )
    if dim not in (0, 1):
        raise ValueError(f"SpectralNorm: Attr(dim) can only be 0 or 1, but received {dim}")
    if power_iters < 0:
        raise ValueError(f"SpectralNorm: power_iters must be >= 0, but received {power_iters}")
    mat = w.movedim(dim, 0)
    shape = mat.shape
    mat = mat.reshape(shape[0], -1)
    with torch.no_grad():
        for _ in range(power_iters):
            vv = mat.t() @ uu
            vv = vv / (vv.norm() + eps)
            uu = mat @ vv
            uu = uu / (uu.norm() + eps)
        sigma = (uu * (mat @ vv)).sum()
    out = _SpectralNorm.apply(mat, uu, vv, sigma)
    return wrap(out.reshape(shape).movedim(0, dim))

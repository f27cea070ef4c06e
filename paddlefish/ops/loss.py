"""Loss ops (Paddle 2.6 legacy names, slots and attributes): huber_loss, bce_loss,
sigmoid_cross_entropy_with_logits, nll_loss, kldiv_loss."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._registry import op


@op("huber_loss", pir="pd_op.huber_loss", outputs=("Out", "Residual"))
def huber_loss(X, Y, *, delta=1.0):
    r = Y - X
    a = r.abs()
    out = torch.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))
    return out, r


@op("bce_loss", pir="pd_op.bce_loss")
def bce_loss(X, Label):
    # NOTE [labels get no gradient]: Paddle's loss grad kernels have no Label/Target output
    return F.binary_cross_entropy(X, Label.detach().to(X.dtype), reduction="none")


@op("sigmoid_cross_entropy_with_logits", pir="pd_op.sigmoid_cross_entropy_with_logits")
def sigmoid_cross_entropy_with_logits(
    X, Label, pos_weight=None, *, normalize=False, ignore_index=-100
):
    lab = Label.detach().to(X.dtype)
    pos_weight = pos_weight.detach() if pos_weight is not None else None
    # pos_weight is already ``1 + (pw - 1) * label`` (the functional computes it, as Paddle).
    # NOTE [bce pos_weight]: Paddle's kernel weights only the log term:
    # ``max(x, 0) - x * label + pos_weight * log(1 + exp(-|x|))`` (not torch's formula).
    # Its gradient kernel uses ``sigmoid(x) * pos_weight - label``, the derivative of
    # ``pos_weight * softplus(x) - x * label``; we return Paddle's value with that gradient.
    if pos_weight is None:
        out = F.softplus(X) - X * lab
    else:
        value = X.clamp_min(0) - X * lab + pos_weight * torch.log1p(torch.exp(-X.abs()))
        grad_form = pos_weight * F.softplus(X) - X * lab
        out = grad_form + (value - grad_form).detach()
    keep = (Label != ignore_index).to(X.dtype)
    out = out * keep
    if normalize:
        out = out / keep.sum().clamp_min(1.0)
    return out


@op("nll_loss", pir="pd_op.nll_loss", outputs=("Out", "Total_weight"))
def nll_loss(X, Label, Weight=None, *, ignore_index=-100, reduction="mean"):
    lab = Label.long()
    Weight = Weight.detach() if Weight is not None else None
    out = F.nll_loss(X, lab, Weight, ignore_index=ignore_index, reduction=reduction)
    w = Weight if Weight is not None else torch.ones(X.shape[1], dtype=X.dtype, device=X.device)
    valid = lab != ignore_index
    total = (w[lab.clamp(0, X.shape[1] - 1)] * valid.to(X.dtype)).sum()
    return out, total


@op("kldiv_loss", pir="pd_op.kldiv_loss")
def kldiv_loss(X, Target, *, reduction="mean"):
    t = Target.detach().to(X.dtype)  # see NOTE [labels get no gradient]
    loss = torch.where(t > 0, t * (torch.log(t.clamp_min(1e-45)) - X), torch.zeros_like(X))
    if reduction == "mean":
        return loss.mean()
    if reduction == "batchmean":
        return loss.sum() / X.shape[0]
    if reduction == "sum":
        return loss.sum()
    return loss

__all__ = [
    "bce_loss",
    "huber_loss",
    "kldiv_loss",
    "nll_loss",
    "sigmoid_cross_entropy_with_logits",
]

"""Loss functionals added to close the API gap (docs/API_GAP.md): Paddle's formulas, computed on
torch directly (eager with autograd, not recordable — NOTE [eager-only functions]).

>>> import paddlefish as paddle
>>> import paddlefish.nn.functional as F
>>> x = paddle.to_tensor([[0.3, 0.8], [0.5, 0.1]])
>>> y = paddle.to_tensor([[0.2, 0.9], [0.4, 0.2]])
>>> round(float(F.cosine_embedding_loss(x, y, paddle.to_tensor([1, -1]))), 4)
0.4873
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as _F

from ...eager.tensor import wrap
from ...tensor.math import _eager
from .extra import pairwise_distance

__all__ = [
    "cosine_embedding_loss",
    "dice_loss",
    "gaussian_nll_loss",
    "multi_label_soft_margin_loss",
    "multi_margin_loss",
    "npair_loss",
    "poisson_nll_loss",
    "sigmoid_focal_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str, api: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"The value of 'reduction' in {api} should be 'sum', 'mean' or 'none', but "
            f"received {reduction}, which is not allowed."
        )


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def cosine_embedding_loss(input1, input2, label, margin=0, reduction="mean", name=None):
    """``1 - cos(x1, x2)`` where ``label == 1``, ``max(0, cos - margin)`` where ``label == -1``."""
    _check_reduction(reduction, "CosineEmbeddingLoss")
    a, b, lab = _eager("nn.functional.cosine_embedding_loss", input1, input2, label)
    if a.shape != b.shape:
        raise ValueError(
            f"the shape of input1 {list(a.shape)} should be equal to the shape of input2 "
            f"{list(b.shape)}"
        )
    prod = (a * b).sum(-1)
    denom = torch.sqrt(((a * a).sum(-1) + 10e-12) * ((b * b).sum(-1) + 10e-12))
    cos = prod / denom
    zero = torch.zeros_like(cos)
    pos = torch.where(lab == 1, 1 - cos, zero)
    neg = torch.where(lab == -1, torch.clamp(cos - margin, min=0), zero)
    return wrap(_reduce(pos + neg, reduction))


def dice_loss(input, label, epsilon=1e-05, name=None):
    """Dice loss of class probabilities ``input [N, ..., C]`` and integer ``label [N, ..., 1]``."""
    x, lab = _eager("nn.functional.dice_loss", input, label)
    if x.dim() < 2 or lab.shape[-1] != 1 or x.shape[:-1] != lab.shape[:-1]:
        raise ValueError(
            f"dice_loss: input {list(x.shape)} must be [N, ..., C] and label {list(lab.shape)} "
            "[N, ..., 1] with the same leading dims"
        )
    one_hot = _F.one_hot(lab.squeeze(-1).long(), x.shape[-1]).to(x.dtype)
    dims = tuple(range(1, x.dim()))
    inse = (x * one_hot).sum(dims)
    denom = x.sum(dims) + one_hot.sum(dims)
    return wrap((1 - inse * 2 / (denom + epsilon)).mean())


def gaussian_nll_loss(
    input, label, variance, full=False, epsilon=1e-6, reduction="mean", name=None
):
    """Gaussian negative log likelihood, ``variance`` clipped below at ``epsilon``."""
    _check_reduction(reduction, "GaussianNLLLoss")
    x, y, var = _eager("nn.functional.gaussian_nll_loss", input, label, variance)
    if bool((var < 0).any()):
        raise ValueError("The variance of gaussian_nll_loss must not be negative.")
    return wrap(_F.gaussian_nll_loss(x, y, var, full=full, eps=epsilon, reduction=reduction))


def multi_label_soft_margin_loss(input, label, weight=None, reduction="mean", name=None):
    """Per-class logistic loss averaged over classes."""
    _check_reduction(reduction, "multi_label_soft_margin_loss")
    x, y, w = _eager("nn.functional.multi_label_soft_margin_loss", input, label, weight)
    if x.shape != y.shape:
        raise ValueError(
            f"The input and label should have the same shape, but got {list(x.shape)} and "
            f"{list(y.shape)}"
        )
    y = y.to(x.dtype)
    loss = -(y * _F.logsigmoid(x) + (1 - y) * _F.logsigmoid(-x))
    if w is not None:
        loss = loss * w
    return wrap(_reduce(loss.mean(-1), reduction))


def multi_margin_loss(
    input, label, p: int = 1, margin: float = 1.0, weight=None, reduction="mean", name=None
):
    """Multi-class hinge loss ``sum_{i != y} w_y max(0, margin - x_y + x_i)^p / C`` (Paddle 3.x;
    Paddle 2.6 broadcasts the weighted form to ``[N, N]`` by mistake)."""
    _check_reduction(reduction, "multi_margin_loss")
    x, lab, w = _eager("nn.functional.multi_margin_loss", input, label, weight)
    lab = lab.reshape(-1).long()
    picked = x.gather(1, lab[:, None])
    loss = (torch.clamp(margin - picked + x, min=0) ** p).mean(1) - margin**p / x.shape[1]
    if w is not None:
        if w.shape[0] != x.shape[1]:
            raise ValueError(
                f"The weight's shape[0] should be equal to input's shape[1] but received "
                f"weight's shape[0]: {w.shape[0]} and input's shape[1]: {x.shape[1]}"
            )
        loss = w[lab] * loss
    return wrap(_reduce(loss, reduction))


def npair_loss(anchor, positive, labels, l2_reg=0.002):
    """N-pair loss (Sohn 2016) as Paddle computes it: soft-label cross entropy over the
    anchor-positive similarity plus an L2 penalty."""
    a, pos, lab = _eager("nn.functional.npair_loss", anchor, positive, labels)
    n = lab.shape[0]
    lab = lab.reshape(n, 1).expand(n, n)
    same = (lab == lab.t()).to(a.dtype)
    same = same / same.sum(1, keepdim=True)
    l2 = ((a * a).sum(1).mean() + (pos * pos).sum(1).mean()) * 0.25 * l2_reg
    sim = a @ pos.t()
    ce = -(same * torch.log_softmax(sim, -1)).sum(-1, keepdim=True)
    return wrap(l2 + (same * ce).sum(0).mean())


def poisson_nll_loss(
    input, label, log_input=True, full=False, epsilon=1e-8, reduction="mean", name=None
):
    """Poisson negative log likelihood (Stirling term for ``label > 1`` when ``full``)."""
    _check_reduction(reduction, "PoissonNLLLoss")
    if epsilon <= 0:
        raise ValueError(
            f"The value of `epsilon` in PoissonNLLLoss should be positive, but "
            f"received {epsilon}, which is not allowed."
        )
    x, y = _eager("nn.functional.poisson_nll_loss", input, label)
    y = y.to(x.dtype)
    loss = torch.exp(x) - y * x if log_input else x - y * torch.log(x + epsilon)
    if full:
        stirling = y * torch.log(y) - y + 0.5 * torch.log(2 * math.pi * y)
        loss = loss + torch.where(y > 1, stirling, torch.zeros_like(stirling))
    return wrap(_reduce(loss, reduction))


def sigmoid_focal_loss(
    logit, label, normalizer=None, alpha=0.25, gamma=2.0, reduction="sum", name=None
):
    """Focal loss (Lin et al. 2017) on logits; divided by ``normalizer`` when given."""
    _check_reduction(reduction, "sigmoid_focal_loss")
    x, y, norm = _eager("nn.functional.sigmoid_focal_loss", logit, label, normalizer)
    y = y.to(x.dtype)
    loss = _F.binary_cross_entropy_with_logits(x, y, reduction="none")
    pred = torch.sigmoid(x)
    p_t = pred * y + (1 - pred) * (1 - y)
    loss = (alpha * y + (1 - alpha) * (1 - y)) * loss * (1 - p_t) ** gamma
    if norm is not None:
        loss = loss / norm
    return wrap(_reduce(loss, reduction))


def triplet_margin_loss(
    input,
    positive,
    negative,
    margin=1.0,
    p=2,
    epsilon=1e-6,
    swap=False,
    reduction="mean",
    name=None,
):
    """``max(d(a, p) - d(a, n) + margin, 0)`` with the p-norm pairwise distance."""
    _check_reduction(reduction, "TripletMarginLoss")
    d_pos = pairwise_distance(input, positive, p, epsilon)._t
    d_neg = pairwise_distance(input, negative, p, epsilon)._t
    if swap:
        d_neg = torch.minimum(d_neg, pairwise_distance(positive, negative, p, epsilon)._t)
    return wrap(_reduce(torch.clamp(d_pos - d_neg + margin, min=0), reduction))


def triplet_margin_with_distance_loss(
    input,
    positive,
    negative,
    distance_function=None,
    margin=1.0,
    swap=False,
    reduction="mean",
    name=None,
):
    """Triplet loss with any distance (default: ``pairwise_distance``)."""
    _check_reduction(reduction, "TripletMarginWithDistanceLoss")
    dist = distance_function or pairwise_distance
    d_pos, d_neg = dist(input, positive)._t, dist(input, negative)._t
    if swap:
        d_neg = torch.minimum(d_neg, dist(positive, negative)._t)
    if bool((d_pos < 0).any()) or bool((d_neg < 0).any()):
        raise ValueError("The positive distance or negative distance should be greater than 0.")
    return wrap(_reduce(torch.clamp(d_pos - d_neg + margin, min=0), reduction))

"""The few nn-style functions the distributions need, straight on torch (so that the
distribution package needs only ``tensor``, not ``nn``); gradients flow through all of them."""

from __future__ import annotations

import torch
import torch.nn.functional as tF

from ..eager.tensor import Tensor, wrap


def sigmoid(x: Tensor) -> Tensor:
    return wrap(torch.sigmoid(x._t))


def softplus(x: Tensor) -> Tensor:
    return wrap(tF.softplus(x._t))


def log_sigmoid(x: Tensor) -> Tensor:
    return wrap(tF.logsigmoid(x._t))


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    return wrap(torch.softmax(x._t, dim=axis))


def bce_with_logits(logits: Tensor, label: Tensor) -> Tensor:
    """Paddle's ``binary_cross_entropy_with_logits(..., reduction='none')``.

    NOTE [bce label gradient]: Paddle's kernel gives the label no gradient, so in Paddle 2.6
    ``Bernoulli.entropy()`` (BCE of the logits against the probabilities themselves) has a zero
    gradient and ``log_prob`` none w.r.t. ``value``; the label is detached here to match."""
    return wrap(tF.binary_cross_entropy_with_logits(logits._t, label._t.detach(), reduction="none"))


def one_hot(x: Tensor, num_classes: int) -> Tensor:
    return wrap(tF.one_hot(x._t.long(), num_classes).to(torch.float32))


def pad_last(x: Tensor, before: int, after: int, value: float) -> Tensor:
    return wrap(tF.pad(x._t, (before, after), value=value))


def dirichlet(concentration: Tensor) -> Tensor:
    """Samples of Dirichlet(concentration) along the last axis (Paddle's ``dirichlet`` op)."""
    with torch.no_grad():
        g = torch._standard_gamma(concentration._t.detach())
        return wrap(g / g.sum(-1, keepdim=True))

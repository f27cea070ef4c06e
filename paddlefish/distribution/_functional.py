"""The few nn-style functions the distributions need, called through the op registry (so they
record under ``jit.save``/static mode like any tensor op) without importing ``nn``."""

from __future__ import annotations

import torch

from ..eager.dispatch import get_recorder
from ..eager.tensor import Tensor, wrap
from ..tensor._run import run


def sigmoid(x: Tensor) -> Tensor:
    return run("sigmoid", x)


def softplus(x: Tensor) -> Tensor:
    return run("softplus", x, beta=1.0, threshold=20.0)


def log_sigmoid(x: Tensor) -> Tensor:
    return run("logsigmoid", x)


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    return run("softmax", x, axis=axis)


def bce_with_logits(logits: Tensor, label: Tensor) -> Tensor:
    """Paddle's ``binary_cross_entropy_with_logits(..., reduction='none')``.

    NOTE [bce label gradient]: Paddle's kernel gives the label no gradient, so in Paddle 2.6
    ``Bernoulli.entropy()`` (BCE of the logits against the probabilities themselves) has a zero
    gradient and ``log_prob`` none w.r.t. ``value``; the label is detached here to match (not
    while recording a program: there gradients come from the program, and detach is no op)."""
    if get_recorder() is None:
        label = label.detach()
    return run(
        "sigmoid_cross_entropy_with_logits",
        logits,
        label,
        None,
        normalize=False,
        ignore_index=-100,
    )


def one_hot(x: Tensor, num_classes: int) -> Tensor:
    return run("one_hot_v2", x, None, depth=int(num_classes), dtype=5, allow_out_of_range=False)


def pad_last(x: Tensor, before: int, after: int, value: float) -> Tensor:
    """Pad the last axis with ``before``/``after`` copies of ``value``."""
    return run("pad", x, paddings=[0, 0] * (x.dim() - 1) + [before, after], pad_value=value)


def dirichlet(concentration: Tensor) -> Tensor:
    """Samples of Dirichlet(concentration) along the last axis (Paddle's ``dirichlet`` op:
    normalised standard-gamma draws; no gradient)."""
    with torch.no_grad():
        g = torch._standard_gamma(concentration._t.detach())
        return wrap(g / g.sum(-1, keepdim=True))

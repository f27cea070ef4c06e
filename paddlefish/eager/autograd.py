"""``paddle.no_grad``, ``paddle.enable_grad``, ``paddle.grad`` and ``paddle.seed`` over torch."""

from __future__ import annotations

import random

import numpy as np
import torch

from .tensor import Tensor, wrap

__all__ = ["enable_grad", "grad", "is_grad_enabled", "no_grad", "seed", "set_grad_enabled"]

no_grad = torch.no_grad
enable_grad = torch.enable_grad
set_grad_enabled = torch.set_grad_enabled
is_grad_enabled = torch.is_grad_enabled


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool = False,
    no_grad_vars=None,
):
    """Gradients of ``outputs`` w.r.t. ``inputs`` (Paddle's ``paddle.grad``); a list of Tensors."""
    outs = [o._t for o in _as_list(outputs)]
    ins = [i._t for i in _as_list(inputs)]
    gos = _as_list(grad_outputs)
    gos = None if gos is None else [None if g is None else g._t for g in gos]
    if gos is None:
        gos = [torch.ones_like(o) for o in outs]
    res = torch.autograd.grad(
        outs, ins, grad_outputs=gos, retain_graph=retain_graph, create_graph=create_graph,
        allow_unused=allow_unused,
    )
    return [None if r is None else wrap(r) for r in res]


class _Generator:
    def __init__(self, s):
        self._seed = s

    def initial_seed(self):
        return self._seed


def seed(s: int):
    """Seed every random source paddlefish draws from (torch, numpy, random)."""
    torch.manual_seed(s)
    np.random.seed(s % (2**32))
    random.seed(s)
    return _Generator(s)


__all__ += ["Tensor"]

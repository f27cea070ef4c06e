"""Ops that deployed model-library architectures use beyond the core set (PaddleDetection's
anchor generation: ``meshgrid``), with Paddle 2.6 legacy names and PIR names.

>>> import torch
>>> from paddlefish.ops import get
>>> a, b = get("meshgrid").kernel([torch.arange(2), torch.arange(3)])
>>> tuple(a.shape), b[1].tolist()
((2, 3), [0, 1, 2])
"""

from __future__ import annotations

import torch

from ._registry import op

__all__ = ["meshgrid"]


@op("meshgrid", pir="pd_op.meshgrid", duplicable=("X", "Out"), outputs=("Out",))
def meshgrid(X):
    """Paddle's meshgrid is numpy's ``indexing='ij'`` over 1-D (or 0-D) inputs."""
    return list(torch.meshgrid(*[x.reshape(-1) for x in X], indexing="ij"))

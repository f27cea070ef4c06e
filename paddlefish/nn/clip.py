"""Gradient clipping: ``ClipGradByGlobalNorm``, ``ClipGradByNorm``, ``ClipGradByValue``.

A clip object is passed to an optimizer as ``grad_clip``; the optimizer calls it with the list of
``(param, grad)`` pairs before regularization and the update. Clipping returns new gradient
tensors (``param.grad`` is left as it is, as in Paddle). Parameters with ``need_clip=False`` are
passed through unchanged and left out of the global norm.

>>> import paddlefish as paddle
>>> paddle.nn.ClipGradByGlobalNorm(clip_norm=1.0).clip_norm
1.0
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, to_torch, wrap

__all__ = ["ClipGradByGlobalNorm", "ClipGradByNorm", "ClipGradByValue", "GradientClipBase"]


def _needs_clip(param) -> bool:
    return getattr(param, "need_clip", True) is not False


class GradientClipBase:
    """Base class of the gradient clips: ``clip(params_grads) -> params_grads``."""

    def __call__(self, params_grads: list[tuple[Tensor, Tensor]]) -> list[tuple[Tensor, Tensor]]:
        pairs = [(p, None if g is None else to_torch(g)) for p, g in params_grads]
        out = self._clip(pairs)
        return [(p, None if g is None else wrap(g)) for p, g in out]

    def _clip(self, pairs: list[tuple[object, torch.Tensor]]) -> list[tuple[object, torch.Tensor]]:
        raise NotImplementedError


class ClipGradByValue(GradientClipBase):
    """Clip every gradient element into ``[min, max]`` (``min`` defaults to ``-max``).

    >>> import paddlefish as paddle
    >>> paddle.nn.ClipGradByValue(max=1.0)
    Clip Gradient By Value, min = -1.000000, max=1.000000
    """

    def __init__(self, max: float, min: float | None = None) -> None:
        if min is None:
            if max <= 0:
                raise ValueError(f"ClipGradByValue: max ({max}) must be > 0 when min is not given")
            min = -max
        if min > max:
            raise ValueError(f"ClipGradByValue: min ({min}) must not exceed max ({max})")
        self.max = float(max)
        self.min = float(min)

    def __str__(self) -> str:
        return f"Clip Gradient By Value, min = {self.min:f}, max={self.max:f}"

    __repr__ = __str__

    def _clip(self, pairs):
        return [
            (p, g if g is None or not _needs_clip(p) else g.clamp(self.min, self.max))
            for p, g in pairs
        ]


class ClipGradByNorm(GradientClipBase):
    """Scale each gradient whose L2 norm exceeds ``clip_norm`` down to that norm.

    >>> import paddlefish as paddle
    >>> paddle.nn.ClipGradByNorm(clip_norm=1.0)
    Gradient Clip By Norm, clip_norm=1.000000
    """

    def __init__(self, clip_norm: float) -> None:
        self.clip_norm = float(clip_norm)

    def __str__(self) -> str:
        return f"Gradient Clip By Norm, clip_norm={self.clip_norm:f}"

    __repr__ = __str__

    def _clip_one(self, g: torch.Tensor) -> torch.Tensor:
        norm = torch.sqrt(torch.sum(g * g))
        max_norm = torch.tensor(self.clip_norm, dtype=g.dtype)
        scale = torch.where(norm > max_norm, max_norm / norm, torch.ones_like(norm))
        return g * scale

    def _clip(self, pairs):
        return [(p, g if g is None or not _needs_clip(p) else self._clip_one(g)) for p, g in pairs]


class ClipGradByGlobalNorm(GradientClipBase):
    """Scale all gradients by ``clip_norm / max(global_norm, clip_norm)``.

    ``global_norm = sqrt(sum of squares of every clipped gradient)``. With ``auto_skip_clip=True``
    nothing is scaled while the global norm is within ``clip_norm``.

    >>> import paddlefish as paddle
    >>> paddle.nn.ClipGradByGlobalNorm(clip_norm=1.0)
    Gradient Clip By GlobalNorm, global_norm=1.000000
    """

    def __init__(
        self, clip_norm: float, group_name: str = "default_group", auto_skip_clip: bool = False
    ) -> None:
        self.clip_norm = float(clip_norm)
        self.group_name = group_name
        self.auto_skip_clip = bool(auto_skip_clip)

    def __str__(self) -> str:
        return f"Gradient Clip By GlobalNorm, global_norm={self.clip_norm:f}"

    __repr__ = __str__

    def _clip(self, pairs):
        grads = [g for p, g in pairs if g is not None and _needs_clip(p)]
        if not grads:
            return pairs
        sq = [
            torch.sum(g.float() * g.float()) if g.dtype != torch.float64 else torch.sum(g * g)
            for g in grads
        ]
        global_norm = torch.sqrt(torch.stack(sq).sum())
        max_norm = torch.tensor(self.clip_norm, dtype=global_norm.dtype)
        if self.auto_skip_clip and not bool(global_norm > max_norm):
            return pairs
        scale = max_norm / torch.maximum(global_norm, max_norm)
        return [
            (p, g if g is None or not _needs_clip(p) else g * scale.to(g.dtype)) for p, g in pairs
        ]

"""``paddle.incubate.softmax_mask_fuse`` and ``softmax_mask_fuse_upper_triangle``.

Paddle fuses ``softmax(x + mask)`` into one kernel; here it is the composition of the same two
ops (so it records into programs like any other call). The upper-triangle variant has only a GPU
kernel in Paddle 2.6: on CPU it raises Paddle's ``NotImplementedError``, on CUDA it computes
``softmax`` with every ``j > i`` entry of the last two axes masked out (the causal mask).
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor
from ..nn import functional as F
from ..tensor import full, triu

__all__ = ["softmax_mask_fuse", "softmax_mask_fuse_upper_triangle"]


def softmax_mask_fuse(x: Tensor, mask: Tensor, name=None) -> Tensor:
    """``softmax(x + mask, axis=-1)`` for ``x`` ``[B, H, S, S']`` and ``mask`` ``[B, 1, S, S']``.

    >>> import paddlefish as paddle
    >>> x = paddle.zeros([1, 1, 2, 2])
    >>> mask = paddle.to_tensor([[[[0.0, -1e4], [0.0, 0.0]]]])
    >>> paddle.incubate.softmax_mask_fuse(x, mask).numpy().round(3).tolist()
    [[[[1.0, 0.0], [0.5, 0.5]]]]
    """
    _check_4d("softmax_mask_fuse", "x", x)
    _check_4d("softmax_mask_fuse", "mask", mask)
    if mask.shape[1] != 1 or [mask.shape[0], *mask.shape[2:]] != [x.shape[0], *x.shape[2:]]:
        raise ValueError(
            f"softmax_mask_fuse: mask must have shape [batch, 1, {x.shape[2]}, {x.shape[3]}] "
            f"for x of shape {x.shape}, got {mask.shape}."
        )
    return F.softmax(x + mask, axis=-1)


def softmax_mask_fuse_upper_triangle(x: Tensor) -> Tensor:
    """Causal softmax over the last axis: entries above the diagonal get probability 0.

    Paddle 2.6 has only a GPU kernel, so on CPU this raises ``NotImplementedError`` as Paddle
    does.

    >>> import paddlefish as paddle
    >>> try:
    ...     paddle.incubate.softmax_mask_fuse_upper_triangle(paddle.zeros([1, 1, 2, 2]))
    ... except NotImplementedError as e:
    ...     print("GPU only")
    GPU only
    """
    _check_4d("softmax_mask_fuse_upper_triangle", "x", x)
    if not x._t.is_cuda:
        raise NotImplementedError(
            "softmax_mask_fuse_upper_triangle only has a GPU kernel (Paddle 2.6: 'Expected "
            "is_gpu_place == true'); x is on CPU. Move x to the GPU, or compute "
            "paddle.nn.functional.softmax(x + mask, axis=-1) with a causal mask of -inf above the "
            "diagonal."
        )
    neg = triu(full(x.shape[-2:], float("-inf"), dtype=x.dtype), diagonal=1)
    return F.softmax(x + neg, axis=-1)


def _check_4d(op: str, name: str, t) -> None:
    if not isinstance(t, Tensor):
        raise TypeError(f"{op}: {name} must be a paddle.Tensor, got {type(t).__name__}")
    if len(t.shape) != 4:
        raise ValueError(f"{op}: {name} must be 4-D [batch, heads, seq, seq], got shape {t.shape}")
    if t._t.dtype not in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        # Paddle registers float kernels only: RuntimeError (no kernel) there too
        raise RuntimeError(
            f"{op}: {name} must be float16, bfloat16, float32 or float64 (Paddle has no kernel "
            f"for {t.dtype}); cast it with {name}.astype('float32')."
        )

"""``paddle.sparse.nn.functional`` activations: maps of the stored values (``relu``, ``relu6``,
``leaky_relu``) and ``softmax`` over the stored values of each row."""

from __future__ import annotations

import torch

from ....eager.tensor import wrap
from ..._bridge import check_sparse, csr_rows, from_values, map_values, pattern, values_of

__all__ = ["leaky_relu", "relu", "relu6", "softmax"]


def relu(x, name=None):
    """``max(v, 0)`` of the stored values.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, -1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.nn.functional.relu(x).values().tolist()
    [0.0, 2.0]
    """
    return map_values(x, torch.relu, "nn.functional.relu")


def relu6(x, name=None):
    """``min(max(v, 0), 6)`` of the stored values.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, -1.0], [8.0, 0.0]]).to_sparse_csr()
    >>> paddle.sparse.nn.functional.relu6(x).values().tolist()
    [0.0, 6.0]
    """
    return map_values(x, lambda v: torch.clamp(v, 0.0, 6.0), "nn.functional.relu6")


def leaky_relu(x, negative_slope=0.01, name=None):
    """``v if v > 0 else negative_slope * v`` of the stored values.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, -1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.nn.functional.leaky_relu(x, 0.5).values().tolist()
    [-0.5, 2.0]
    """
    s = float(negative_slope)
    return map_values(x, lambda v: torch.nn.functional.leaky_relu(v, s), "nn.functional.leaky_relu")


def softmax(x, axis=-1, name=None):
    """Softmax over the *stored* values of each row (the last axis; unstored positions count as
    -inf, not 0, as Paddle's sparse softmax).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0, 1.0], [2.0, 0.0, 0.0]]).to_sparse_csr()
    >>> paddle.sparse.nn.functional.softmax(x).values().tolist()
    [0.5, 0.5, 1.0]
    """
    t = check_sparse(x, "nn.functional.softmax")
    if int(axis) not in (-1, t.dim() - 1):
        raise NotImplementedError(
            f"paddle.sparse.nn.functional.softmax: only axis=-1 is "
            f"supported (as Paddle 2.6), got axis={axis}"
        )
    pat = pattern(t)
    v = values_of(t)
    if t.layout == torch.sparse_csr:
        parts = csr_rows(pat[1][0], pat[2])
        group = parts[0] if len(parts) == 1 else parts[0] * t.shape[-2] + parts[1]
    else:
        idx = pat[1][0]
        if idx.shape[0] != t.dim():
            raise NotImplementedError(
                "paddle.sparse.nn.functional.softmax: hybrid COO tensors "
                "(dense dims in values) are not supported"
            )
        group = torch.zeros(idx.shape[1], dtype=torch.int64, device=idx.device)
        for k in range(idx.shape[0] - 1):
            group = group * int(t.shape[k]) + idx[k]
    n = int(group.max()) + 1 if group.numel() else 0
    mx = v.new_full((n,), float("-inf")).scatter_reduce(0, group, v.detach(), "amax")
    e = torch.exp(v - mx[group])
    s = e.new_zeros(n).index_add(0, group, e)
    return wrap(from_values(e / s[group], pat))

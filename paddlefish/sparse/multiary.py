"""``paddle.sparse.addmm``."""

from __future__ import annotations

from ..eager.tensor import Tensor, to_torch, wrap
from ._convert import to_dense_t
from .binary import matmul

__all__ = ["addmm"]


def addmm(input, x, y, beta=1.0, alpha=1.0, name=None):
    """``beta * input + alpha * (x @ y)`` with sparse ``x``: dense ``input``/``y`` give a dense
    result. (Paddle 2.6 has no CPU kernel; paddlefish computes it through ``sparse.matmul``.)

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> y = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> paddle.sparse.addmm(paddle.ones([2, 2]), x, y, beta=0.5, alpha=2.0).tolist()
    [[6.5, 8.5], [4.5, 8.5]]
    """
    prod = matmul(x, y)
    inp = input._t if isinstance(input, Tensor) else to_torch(input)
    if prod.is_sparse():
        raise NotImplementedError(
            "paddle.sparse.addmm with a sparse y (sparse result) is not implemented; pass a dense y"
        )
    return wrap(beta * to_dense_t(inp) + alpha * prod._t)

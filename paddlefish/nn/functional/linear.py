"""``F.linear``: ``x @ weight + bias`` with Paddle's ``[in, out]`` weight layout."""

from __future__ import annotations

from ...eager.dispatch import get_recorder
from ...tensor._run import run


def linear(x, weight, bias=None, name=None):
    """Recorded as ``matmul_v2`` + ``elementwise_add``, as Paddle's static graph does; run
    eagerly through Paddle's fused ``fc`` op (see NOTE [fc eager] in ops/math.py).

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.linear(paddle.ones([2, 3]), paddle.ones([3, 4])).shape
    [2, 4]
    """
    if (bias is not None and get_recorder() is None and x.ndim >= 2 and weight.ndim == 2
            and bias.ndim == 1):
        return run("fc", x, weight, bias, in_num_col_dims=x.ndim - 1)
    out = run("matmul_v2", x, weight, trans_x=False, trans_y=False)
    if bias is not None:
        out = run("elementwise_add", out, bias, axis=-1)
    return out

__all__ = [
    "linear",
]

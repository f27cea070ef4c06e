"""``F.linear``: ``x @ weight + bias`` with Paddle's ``[in, out]`` weight layout."""

from __future__ import annotations

from ...tensor._run import run


def linear(x, weight, bias=None, name=None):
    """Recorded as ``matmul_v2`` + ``elementwise_add``, as Paddle's static graph does.

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.linear(paddle.ones([2, 3]), paddle.ones([3, 4])).shape
    [2, 4]
    """
    out = run("matmul_v2", x, weight, trans_x=False, trans_y=False)
    if bias is not None:
        out = run("elementwise_add", out, bias, axis=-1)
    return out

"""``embedding`` (``lookup_table_v2``) and ``one_hot`` (``one_hot_v2``)."""

from __future__ import annotations

from ...tensor._run import run

__all__ = ["embedding", "one_hot"]


def embedding(x, weight, padding_idx=None, sparse=False, name=None):
    """Rows of ``weight`` picked by the int ids ``x``; ids equal to ``padding_idx`` give zeros.

    >>> import paddlefish as paddle
    >>> w = paddle.to_tensor([[1.0, 1.0], [2.0, 2.0]])
    >>> paddle.nn.functional.embedding(paddle.to_tensor([1, 0]), w, padding_idx=0).tolist()
    [[2.0, 2.0], [0.0, 0.0]]
    """
    n = weight.shape[0]
    if padding_idx is None:
        pidx = -1
    else:
        if not -n <= padding_idx < n:
            raise ValueError(
                f"embedding: padding_idx {padding_idx} is out of range for a weight with {n} rows"
            )
        pidx = padding_idx if padding_idx >= 0 else padding_idx + n
    return run("lookup_table_v2", weight, x, padding_idx=pidx, is_sparse=bool(sparse))


def one_hot(x, num_classes, name=None):
    """One-hot float32 encoding with ``num_classes`` columns.

    >>> import paddlefish as paddle
    >>> paddle.nn.functional.one_hot(paddle.to_tensor([1]), 3).tolist()
    [[0.0, 1.0, 0.0]]
    """
    return run("one_hot_v2", x, None, depth=int(num_classes), dtype=5, allow_out_of_range=False)

"""``paddle.incubate.identity_loss``: mark a tensor as the loss (IPU), reducing it on the way."""

from __future__ import annotations

from ..eager.tensor import Tensor

__all__ = ["identity_loss"]

_REDUCTIONS = {"sum": 0, "mean": 1, "none": 2}


def identity_loss(x: Tensor, reduction="none") -> Tensor:
    """``x.sum()`` (``"sum"``/0), ``x.mean()`` (``"mean"``/1) or ``x`` (``"none"``/2).

    >>> import paddlefish as paddle
    >>> paddle.incubate.identity_loss(paddle.to_tensor([1.0, 3.0]), reduction="mean").item()
    2.0
    """
    if isinstance(reduction, str):
        code = _REDUCTIONS.get(reduction.lower())
        if code is None:
            raise Exception(  # noqa: TRY002 - Paddle raises a bare Exception here
                f"Unsupported reduction type: {reduction!r}; use 'sum', 'mean' or 'none' (or "
                "0, 1, 2)."
            )
        reduction = code
    if reduction == 0:
        return x.sum()
    if reduction == 1:
        return x.mean()
    if reduction == 2:
        return x * 1
    # Paddle's kernel rejects other codes at run time (RuntimeError)
    raise RuntimeError(
        f"identity_loss: reduction must be 0 (sum), 1 (mean) or 2 (none), got {reduction!r}"
    )

"""``paddle.regularizer``: L1Decay and L2Decay weight-decay regularizers.

Paddle applies a regularizer by adding its term to the gradient before the update
(``grad + coeff * param`` for L2, ``grad + coeff * sign(param)`` for L1); a regularizer set on a
parameter (``ParamAttr(regularizer=...)``) overrides the optimizer's ``weight_decay``.

>>> import paddlefish as paddle
>>> from paddlefish.optimizer.regularizer import L2Decay
>>> L2Decay(0.1)
L2Decay, coeff=0.100000
"""

from __future__ import annotations

from .._core.missing import module_getattr as _module_getattr
import torch

from ..eager.tensor import Tensor, to_torch, wrap

__all__ = ["L1Decay", "L2Decay", "WeightDecayRegularizer"]


class WeightDecayRegularizer:
    """Base class: ``term(param)`` is what gets added to the gradient."""

    def __init__(self, coeff: float = 0.0) -> None:
        if not isinstance(coeff, (int, float)):
            raise TypeError(
                f"{type(self).__name__}: coeff must be a float, got {type(coeff).__name__}"
            )
        self._coeff = float(coeff)

    @property
    def coeff(self) -> float:
        return self._coeff

    def _term(self, param: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def __call__(self, param: Tensor, grad: Tensor, block=None) -> Tensor:
        """The regularization term for ``param`` (Paddle's signature; ``block`` is unused)."""
        return wrap(self._term(to_torch(param).detach()))

    def __str__(self) -> str:
        return f"{type(self).__name__}, coeff={self._coeff:f}"

    __repr__ = __str__


class L2Decay(WeightDecayRegularizer):
    """L2 weight decay: adds ``coeff * param`` to the gradient.

    >>> from paddlefish.optimizer.regularizer import L2Decay
    >>> L2Decay(coeff=0.01).coeff
    0.01
    """

    def _term(self, param: torch.Tensor) -> torch.Tensor:
        return param * torch.tensor(self._coeff, dtype=param.dtype)


class L1Decay(WeightDecayRegularizer):
    """L1 weight decay: adds ``coeff * sign(param)`` to the gradient.

    >>> from paddlefish.optimizer.regularizer import L1Decay
    >>> L1Decay(0.5).coeff
    0.5
    """

    def _term(self, param: torch.Tensor) -> torch.Tensor:
        return torch.sign(param) * torch.tensor(self._coeff, dtype=param.dtype)

__getattr__ = _module_getattr("paddle.regularizer")

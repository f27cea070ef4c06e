"""``paddle.optimizer.Adamax``: Adam with the infinity norm."""

from __future__ import annotations

import torch

from ._common import F32, scalar
from .adam import _check_betas
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: ``u = max(beta2*u + eps, |g|); param -= lr/(1-beta1_pow) * m / u``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Adamax(learning_rate=0.01, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> len(opt.state_dict())
    6
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        multi_precision: bool = False,
        name: str | None = None,
    ) -> None:
        _check_betas(beta1, beta2, epsilon)
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "adamax"
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._multi_precision = multi_precision
        self._default_dict = {"beta1": beta1, "beta2": beta2, "epsilon": epsilon}
        self._init_groups()

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_accumulator("moment", p)
            self._add_accumulator("inf_norm", p)
            self._add_accumulator("beta1_pow_acc", p, fill_value=hp["beta1"], shape=[1])

    def _update(self, param, grad, lr, hp) -> None:
        b1, b2, eps = scalar(hp["beta1"]), scalar(hp["beta2"]), scalar(hp["epsilon"])
        m = self._get_accumulator("moment", param)
        u = self._get_accumulator("inf_norm", param)
        b1p = F32(self._get_accumulator("beta1_pow_acc", param).item())
        m.mul_(float(b1)).add_(grad, alpha=float(F32(1) - b1))
        torch.maximum(u.mul_(float(b2)).add_(float(eps)), grad.abs(), out=u)
        lr_t = F32(lr / F32(F32(1) - b1p))
        param._t.sub_(m / u * float(lr_t))

    def _finish_update(self, pairs, hp) -> None:
        b1 = float(scalar(hp["beta1"]))
        for p, _ in pairs:
            self._get_accumulator("beta1_pow_acc", p).mul_(b1)

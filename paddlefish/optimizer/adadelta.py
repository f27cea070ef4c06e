"""``paddle.optimizer.Adadelta``."""

from __future__ import annotations

from ._common import F32, scalar
from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta as Paddle's kernel computes it.

    ``asg = rho*asg + (1-rho)*g*g; update = -sqrt((asu + eps)/(asg + eps)) * g;
    asu = rho*asu + (1-rho)*update*update; param += lr * update``. Accumulator kinds are
    ``_avg_squared_grad`` / ``_avg_squared_update`` (hence ``w_0__avg_squared_grad_0``).

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Adadelta(1.0, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> '__avg_squared_grad_' in list(opt.state_dict())[0]
    True
    """

    def __init__(
        self,
        learning_rate=0.001,
        epsilon: float = 1.0e-6,
        rho: float = 0.95,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        name: str | None = None,
    ) -> None:
        if learning_rate is None or epsilon is None or rho is None:
            raise ValueError("Adadelta: learning_rate, epsilon and rho must be set.")
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "adadelta"
        self._epsilon, self._rho = epsilon, rho
        self._multi_precision = False
        self._default_dict = {"epsilon": epsilon, "rho": rho}
        self._init_groups()

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_accumulator("_avg_squared_grad", p)
            self._add_accumulator("_avg_squared_update", p)

    def _update(self, param, grad, lr, hp) -> None:
        rho, eps = scalar(hp["rho"]), scalar(hp["epsilon"])
        one_rho = float(F32(1) - rho)
        asg = self._get_accumulator("_avg_squared_grad", param)
        asu = self._get_accumulator("_avg_squared_update", param)
        asg.mul_(float(rho)).addcmul_(grad, grad, value=one_rho)
        update = ((asu + float(eps)) / (asg + float(eps))).sqrt_().mul_(grad).neg_()
        asu.mul_(float(rho)).addcmul_(update, update, value=one_rho)
        param._t.add_(update * float(lr))

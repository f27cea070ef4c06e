"""``paddle.optimizer.RMSProp`` (plain and centered, with momentum)."""

from __future__ import annotations

from ._common import F32, scalar
from .optimizer import Optimizer

__all__ = ["RMSProp"]


class RMSProp(Optimizer):
    """RMSProp as Paddle's kernel computes it.

    ``ms = rho*ms + (1-rho)*g*g``; centered: ``mg = rho*mg + (1-rho)*g`` and the denominator is
    ``sqrt(ms - mg*mg + eps)``, else ``sqrt(ms + eps)``; ``mom = momentum*mom + lr*g/denom``;
    ``param -= mom``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.RMSProp(0.01, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> len(opt.state_dict())
    6
    """

    def __init__(
        self,
        learning_rate,
        rho: float = 0.95,
        epsilon: float = 1.0e-6,
        momentum: float = 0.0,
        centered: bool = False,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        name: str | None = None,
    ) -> None:
        for label, value in (("rho", rho), ("epsilon", epsilon), ("momentum", momentum)):
            if value is None:
                raise ValueError(f"RMSProp: {label} is not set.")
            if not 0.0 <= value:
                raise ValueError(f"RMSProp: invalid value of {label} ({value}), expect >= 0.")
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "rmsprop"
        self._rho, self._epsilon, self._momentum = rho, epsilon, momentum
        self._centered = centered
        self._multi_precision = False
        self._default_dict = {
            "rho": rho,
            "epsilon": epsilon,
            "momentum": momentum,
            "centered": centered,
        }
        self._init_groups()

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_accumulator("momentum", p)
            self._add_accumulator("mean_square", p)
            self._add_accumulator("mean_grad", p)

    def _update(self, param, grad, lr, hp) -> None:
        rho, eps, mu = scalar(hp["rho"]), scalar(hp["epsilon"]), scalar(hp["momentum"])
        one_rho = float(F32(1) - rho)
        mom = self._get_accumulator("momentum", param)
        ms = self._get_accumulator("mean_square", param)
        ms.mul_(float(rho)).addcmul_(grad, grad, value=one_rho)
        if hp["centered"]:
            mg = self._get_accumulator("mean_grad", param)
            mg.mul_(float(rho)).add_(grad, alpha=one_rho)
            denom = (ms - mg * mg).add_(float(eps)).sqrt_()
        else:
            denom = (ms + float(eps)).sqrt_()
        mom.mul_(float(mu)).add_(grad * float(lr) / denom)
        param._t.sub_(mom)

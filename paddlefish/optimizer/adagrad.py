"""``paddle.optimizer.Adagrad``."""

from __future__ import annotations

from ._common import scalar
from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: ``moment += g*g; param -= lr * g / (sqrt(moment) + epsilon)``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.Adagrad(0.1, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> sorted(k.rsplit('_', 2)[-2] for k in opt.state_dict())
    ['moment', 'moment']
    """

    def __init__(
        self,
        learning_rate,
        epsilon: float = 1.0e-6,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        name: str | None = None,
        initial_accumulator_value: float = 0.0,
        multi_precision: bool = False,
    ) -> None:
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "adagrad"
        self._epsilon = epsilon
        self.initial_accumulator_value = initial_accumulator_value
        self._multi_precision = multi_precision
        self._default_dict = {
            "epsilon": epsilon,
            "initial_accumulator_value": initial_accumulator_value,
        }
        self._init_groups()

    def _create_accumulators(self, params, hp) -> None:
        for p in params:
            self._add_accumulator("moment", p, fill_value=self.initial_accumulator_value)

    def _update(self, param, grad, lr, hp) -> None:
        moment = self._get_accumulator("moment", param)
        moment.addcmul_(grad, grad)
        denom = moment.sqrt().add_(float(scalar(hp["epsilon"])))
        param._t.addcdiv_(grad, denom, value=-float(lr))

"""``paddle.optimizer.SGD``: ``param -= lr * grad``."""

from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent (no accumulators).

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> opt = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    >>> net(paddle.ones([1, 2])).sum().backward(); opt.step()
    >>> opt.state_dict()
    {}
    """

    def __init__(
        self,
        learning_rate=0.001,
        parameters=None,
        weight_decay=None,
        grad_clip=None,
        multi_precision: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(learning_rate, parameters, weight_decay, grad_clip, name)
        self.type = "sgd"
        self._multi_precision = multi_precision
        self._init_groups()

    def _update(self, param, grad, lr, hp) -> None:
        param._t.sub_(grad * float(lr))

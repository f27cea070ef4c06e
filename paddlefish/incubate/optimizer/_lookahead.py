"""``paddle.incubate.LookAhead``: slow weights pulled towards the fast ones every ``k`` steps.

NOTE [LookAhead state]: as in Paddle 2.6, the only accumulator is ``<param>_slow_<n>`` (one per
parameter, created at the first step and set to the parameter after the inner optimizer's first
update). ``state_dict()`` holds those slow weights only: the inner optimizer's state is saved
with ``inner_optimizer.state_dict()`` and the step counter (``lookahead_step_0``, a tensor
outside the optimizer's state in Paddle) restarts at 0 in a new process, as in Paddle.
"""

from __future__ import annotations

import torch

from ...eager.tensor import Tensor
from ...optimizer.optimizer import Optimizer
from ...static._mode import in_dynamic_mode

__all__ = ["LookAhead"]


class LookAhead(Optimizer):
    """Wrap ``inner_optimizer``; every ``k`` steps ``slow += alpha * (fast - slow)``, ``fast = slow``.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> sgd = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    >>> opt = paddle.incubate.LookAhead(sgd, alpha=0.5, k=2)
    >>> for _ in range(2):
    ...     net(paddle.ones([3, 2])).mean().backward(); opt.step(); opt.clear_grad()
    >>> sorted(k.split(".")[-1] for k in opt.state_dict())  # linear_N.w_0_slow_0, as Paddle
    ['b_0_slow_0', 'w_0_slow_0']
    """

    _slow_str = "slow"

    def __init__(self, inner_optimizer, alpha: float = 0.5, k: int = 5, name=None) -> None:
        _dynamic_only("LookAhead")
        assert inner_optimizer is not None, "inner optimizer can not be None"
        assert 0.0 <= alpha <= 1.0, (
            "alpha should be larger or equal to 0.0, and less or equal than 1.0"
        )
        assert isinstance(k, int) and k > 0, "k should be a positive integer"
        self.inner_optimizer = inner_optimizer
        super().__init__(alpha, inner_optimizer._all_params(), None, None, name)
        self.alpha = alpha
        self.k = k
        self.type = "lookahead"
        self._global_step = 0
        self._init_groups()

    @torch.no_grad()
    def step(self) -> None:
        """Step the inner optimizer, then move the slow weights (Paddle's dygraph ``step``)."""
        self.inner_optimizer.step()
        self._lookahead(self._collect(self._all_params()))

    @torch.no_grad()
    def minimize(self, loss, startup_program=None, parameters=None, no_grad_set=None):
        """``inner_optimizer.minimize(loss, ...)`` followed by the look-ahead update."""
        assert isinstance(loss, Tensor), "The loss should be an Tensor."
        ops, params_grads = self.inner_optimizer.minimize(
            loss, startup_program, parameters, no_grad_set
        )
        self._lookahead([(p, g._t) for p, g in params_grads])
        return ops, params_grads

    def _lookahead(self, pairs: list) -> None:
        self._global_step += 1
        self._create_accumulators([p for p, _ in pairs], self._default_dict)
        alpha = torch.tensor(self.alpha, dtype=torch.float32)
        beta = torch.tensor(1.0 - self.alpha, dtype=torch.float32)
        for p, _ in pairs:
            slow = self._get_accumulator(self._slow_str, p)
            if self._global_step == 1:
                slow.copy_(p._t)
            if self._global_step % self.k == 0:
                mixed = p._t * alpha.to(p._t.dtype) + slow * beta.to(p._t.dtype)
                p._t.copy_(mixed)
                slow.copy_(mixed)

    def _create_accumulators(self, params: list, hp: dict) -> None:
        for p in params:
            self._add_accumulator(self._slow_str, p)


def _dynamic_only(owner: str) -> None:
    if not in_dynamic_mode():
        raise NotImplementedError(
            f"paddle.incubate.{owner} in static-graph mode (minimize into a Program, "
            "apply(executor)) is not built in paddlefish; call paddle.disable_static() and use it "
            "in dynamic mode (step()/apply()), as Paddle 2.x does by default."
        )

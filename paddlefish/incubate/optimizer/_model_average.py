"""``paddle.incubate.ModelAverage``: a sliding-window average of the parameters.

NOTE [average_accumulates]: each ``step()`` runs Paddle's ``average_accumulates`` kernel per
parameter with a gradient, over seven accumulators per parameter (``sum_1``, ``sum_2``,
``sum_3``, ``restore`` as the parameter; ``num_accumulates``, ``old_num_accumulates``,
``num_updates`` int64 ``[1]``), all created for every parameter at the first step, in that order
(``state_dict`` keys and order are Paddle's). The kernel updates in place: ``sum_1 += param``;
every 16384 updates ``sum_1`` moves into ``sum_2``; when ``num_accumulates >=
min_average_window`` and ``>= min(max_average_window, int64(num_updates * average_window))``
the window restarts: ``sum_3 = sum_1 + sum_2``, ``sum_1 = sum_2 = 0``, ``old_num_accumulates =
num_accumulates``, ``num_accumulates = 0``. ``apply()`` sets each parameter to
``float32(sum_1 + sum_2 + sum_3) / float32(num_accumulates + old_num_accumulates)``.
"""

from __future__ import annotations

import contextlib

import torch

from ...optimizer.optimizer import Optimizer
from ._lookahead import _dynamic_only

__all__ = ["ModelAverage"]

_MAX_NUM_ACCUMULATES = 16384
_SUMS = ("sum_1", "sum_2", "sum_3", "restore")
_COUNTS = ("num_accumulates", "old_num_accumulates", "num_updates")


class ModelAverage(Optimizer):
    """Accumulate parameter sums after each update; ``apply()`` swaps in the average.

    ``apply`` is a context manager, as in Paddle: ``with opt.apply(): evaluate()`` restores the
    trained values on exit (``need_restore=False`` keeps the average; ``restore()`` undoes it).
    A bare ``opt.apply()`` call without ``with`` does nothing, exactly as in Paddle.

    >>> import paddlefish as paddle
    >>> net = paddle.nn.Linear(2, 1)
    >>> sgd = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    >>> avg = paddle.incubate.ModelAverage(0.15, parameters=net.parameters(),
    ...                                    min_average_window=2, max_average_window=10)
    >>> for _ in range(3):
    ...     net(paddle.ones([3, 2])).mean().backward(); sgd.step(); avg.step(); sgd.clear_grad()
    >>> trained = net.weight.numpy().copy()
    >>> with avg.apply():
    ...     bool((net.weight.numpy() != trained).any())
    True
    >>> bool((net.weight.numpy() == trained).all())
    True
    """

    def __init__(
        self,
        average_window_rate: float,
        parameters=None,
        min_average_window: int = 10000,
        max_average_window: int = 10000,
        name=None,
    ) -> None:
        _dynamic_only("ModelAverage")
        super().__init__(0.0, parameters, None, None, name)
        self.average_window = average_window_rate
        self.min_average_window = min_average_window
        self.max_average_window = max_average_window
        self.type = "average_accumulates"
        self._init_groups()

    def _create_accumulators(self, params: list, hp: dict) -> None:
        for p in params:
            for kind in _SUMS:
                self._add_accumulator(kind, p)
            for kind in _COUNTS:
                self._add_accumulator(kind, p, dtype=torch.int64, shape=[1])

    @torch.no_grad()
    def step(self) -> None:
        """Add the current parameters to the window sums (call after the training optimizer)."""
        pairs = self._collect(self._all_params())
        self._create_accumulators(self._all_params(), self._default_dict)
        for p, _ in pairs:
            self._accumulate(p)

    @torch.no_grad()
    def minimize(self, loss, startup_program=None, parameters=None, no_grad_set=None):
        """Same as ``step()`` in dynamic mode (returns None, as Paddle)."""
        self.step()

    def _accumulate(self, p) -> None:
        s1, s2, s3 = (self._get_accumulator(k, p) for k in _SUMS[:3])
        n_acc, n_old, n_upd = (self._get_accumulator(k, p) for k in _COUNTS)
        num_updates = int(n_upd.item()) + 1
        num_accumulates = int(n_acc.item()) + 1
        s1.add_(p._t)
        if num_updates % _MAX_NUM_ACCUMULATES == 0:
            s2.add_(s1)
            s1.zero_()
        window = min(self.max_average_window, int(num_updates * self.average_window))
        if num_accumulates >= self.min_average_window and num_accumulates >= window:
            s3.copy_(s1 + s2)
            s1.zero_()
            s2.zero_()
            n_old.fill_(num_accumulates)
            num_accumulates = 0
        n_acc.fill_(num_accumulates)
        n_upd.fill_(num_updates)

    @contextlib.contextmanager
    def apply(self, executor=None, need_restore: bool = True):
        """Context manager: parameters become their window average inside the ``with`` block."""
        with torch.no_grad():
            for p in self._all_params():
                self._apply_one(p)
        try:
            yield
        finally:
            if need_restore:
                self.restore()

    def _apply_one(self, p) -> None:
        try:
            s1, s2, s3, keep = (self._get_accumulator(k, p) for k in _SUMS)
            n_acc, n_old = (self._get_accumulator(k, p) for k in _COUNTS[:2])
        except KeyError:
            raise RuntimeError(
                f"ModelAverage.apply: parameter {p.name} has no accumulated average yet; call "
                "step() after the training optimizer's step() at least once first."
            ) from None
        keep.copy_(p._t)
        total = (s1 + s2 + s3).to(torch.float32)
        count = (n_acc + n_old).to(torch.float32)
        p._t.copy_(total / count)

    @torch.no_grad()
    def restore(self, executor=None) -> None:
        """Put back the parameter values saved by the last ``apply()``."""
        for p in self._all_params():
            p._t.copy_(self._get_accumulator("restore", p))

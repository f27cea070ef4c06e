"""``paddle.static.ExponentialMovingAverage``: moving averages of a static program's parameters.

NOTE [static EMA]: Paddle appends the update ops (``ema = ema * decay + param * (1 - decay)``,
after the optimizer ops) and a step counter ``@EMA_STEP_COUNTER@`` (incremented at the start of
each run) to the main program, and builds two small programs for ``apply`` (``param <- ema / (1 -
decay ** step)``, the bias correction, saving the parameter to a temporary) and ``restore``. Here
``update()`` registers the same arithmetic (float32, as Paddle's ops) as a hook the Executor calls
after each run of the main program (``Program._after_run``; a ``clone(for_test=True)`` drops it,
as Paddle's clone drops optimize-role ops); the EMA variables, the counter and
``scheduled_ema_decay_rate`` are persistable variables of the program (so ``static.save`` writes
them to ``.pdopt`` under Paddle's names), initialised by the startup program. With
``thres_steps`` (a Variable, usually the global step counter) the main program also computes
``scheduled_ema_decay_rate = min(decay, (t + 1) / (t + 10))`` in float32 from the value ``t`` of
that run, as Paddle's ops do (``cast`` + ``scale`` + ``elementwise_div`` + ``elementwise_min``
for Paddle's ``cond``, then ``assign``); each update and ``apply``'s bias correction
(``decay ** step``) use the latest scheduled value, as in Paddle.
"""

from __future__ import annotations

import contextlib

import torch

from .._core import unique_name
from ..eager._dtype import from_torch_dtype, to_torch_dtype
from ..eager.tensor import wrap
from ..errors import ExecutionError
from ..tensor._run import run
from ._program import Program, default_main_program, default_startup_program
from ._scope import assign_value, global_scope
from .variable import Variable

__all__ = ["ExponentialMovingAverage"]

_COUNTER = "@EMA_STEP_COUNTER@"
_DECAY = "scheduled_ema_decay_rate"


def _declare(main: Program, name: str, value: torch.Tensor) -> None:
    """A persistable variable of ``main`` whose startup value is ``value``."""
    block = main.global_block()
    if name not in block.vars:
        block.create_var(name, dtype=from_torch_dtype(value.dtype), shape=list(value.shape),
                         persistable=True)
    startup = default_startup_program()
    t = wrap(value)
    t.name = name
    t.persistable = True
    startup._init_values[name] = t
    sblock = startup.global_block()
    if name not in sblock.vars:
        sblock.create_var(name, dtype=from_torch_dtype(value.dtype), shape=list(value.shape),
                          persistable=True)
    main._compiled = None


class ExponentialMovingAverage:
    """EMA of the current main program's parameters (NOTE [static EMA]).

    >>> import numpy as np, paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.utils.unique_name.guard(), paddle.static.program_guard(main, startup):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     loss = paddle.mean(paddle.static.nn.fc(x, 1))  # fc_0.w_0, fc_0.b_0
    ...     _ = paddle.optimizer.SGD(0.1).minimize(loss)
    ...     ema = paddle.static.ExponentialMovingAverage(0.9)
    ...     ema.update()
    >>> exe = paddle.static.Executor()
    >>> _ = exe.run(startup)
    >>> for _ in range(3):
    ...     _ = exe.run(main, feed={'x': np.ones((2, 2), 'float32')}, fetch_list=[loss])
    >>> w = np.array(paddle.static.global_scope().find_var('fc_0.w_0').get_tensor())
    >>> with ema.apply(exe):
    ...     w_ema = np.array(paddle.static.global_scope().find_var('fc_0.w_0').get_tensor())
    >>> bool(np.abs(w_ema - w).max() > 0), np.array_equal(
    ...     np.array(paddle.static.global_scope().find_var('fc_0.w_0').get_tensor()), w)
    (True, True)

    With ``thres_steps`` (here a fed step number) the decay is ``min(0.9, (t + 1) / (t + 10))``:

    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     x = paddle.static.data('x', [None, 2], 'float32')
    ...     step = paddle.static.data('step', [1], 'int64')
    ...     loss = paddle.mean(paddle.static.nn.fc(x, 1))
    ...     _ = paddle.optimizer.SGD(0.1).minimize(loss)
    ...     ema = paddle.static.ExponentialMovingAverage(0.9, thres_steps=step)
    ...     ema.update()
    >>> _ = exe.run(startup)
    >>> _ = exe.run(main, feed={'x': np.ones((2, 2), 'float32'), 'step': np.array([2])},
    ...             fetch_list=[loss])
    >>> float(np.array(paddle.static.global_scope().find_var(
    ...     'scheduled_ema_decay_rate').get_tensor())[0])
    0.25
    >>> paddle.disable_static()
    """

    def __init__(self, decay=0.999, thres_steps=None, name=None):
        self._decay = float(decay)
        self._name = name if name is not None else ""
        self._main = default_main_program()
        _declare(self._main, _DECAY, torch.tensor([self._decay], dtype=torch.float32))
        if thres_steps is not None:
            self._schedule(thres_steps)
        self._params = [v.name for v in self._main.all_parameters()]
        self._ema = {}
        self._tmp = {}
        for p in self._params:
            var = self._main.global_block().find_var(p)
            self._tmp[p] = unique_name.generate(".".join([self._name + p, "ema_tmp"]))
            self._ema[p] = unique_name.generate(self._name + p + "_ema")
            td = to_torch_dtype(var.dtype)
            _declare(self._main, self._ema[p], torch.zeros(list(var.shape), dtype=td))
        self._saved: dict = {}

    def _schedule(self, thres_steps) -> None:
        """Append ``decay = min(decay, (t + 1) / (t + 10))`` (float32, ``t`` = ``thres_steps``)
        writing ``scheduled_ema_decay_rate`` (NOTE [static EMA])."""
        if not isinstance(thres_steps, Variable):
            raise TypeError("ExponentialMovingAverage: thres_steps must be a Variable of the "
                            "main program (e.g. a global step counter), got "
                            f"{type(thres_steps).__name__}")
        t = run("cast", thres_steps, in_dtype=int(thres_steps.dtype.vartype), out_dtype=5)
        ratio = run("elementwise_div", run("scale", t, bias=1.0), run("scale", t, bias=10.0))
        cap = run("fill_constant", shape=[1], dtype=5, value=self._decay,
                  str_value=repr(self._decay))
        decay = run("elementwise_min", ratio, cap)
        self._main._recorder().assign_to(decay, self._main.global_block().find_var(_DECAY))

    def update(self) -> None:
        """Register the EMA update on the main program: after each of its runs."""
        _declare(self._main, _COUNTER, torch.zeros([1], dtype=torch.int64))
        self._main._after_run.append(self._step)

    def _step(self, scope) -> None:
        counter = scope._get(_COUNTER)
        decay = scope._get(_DECAY)
        if counter is None or decay is None:
            raise ExecutionError("ExponentialMovingAverage: its variables are not in the scope; "
                                 "run the startup program first")
        with torch.no_grad():
            counter._t.add_(1)
            d = decay._t
            for p in self._params:
                param, ema = scope._get(p), scope._get(self._ema[p])
                if param is None or ema is None:
                    continue
                assign_value(ema, ema._t * d + param._t.detach() * (1 - d))

    @contextlib.contextmanager
    def apply(self, executor=None, need_restore: bool = True):
        """Inside the ``with``: the parameters hold their bias-corrected EMA; restored after
        (unless ``need_restore=False``; then call ``restore``)."""
        scope = global_scope()
        counter, decay = scope._get(_COUNTER), scope._get(_DECAY)
        step = counter._t.to(torch.float32) if counter is not None else torch.zeros([1])
        d = decay._t if decay is not None else torch.tensor([self._decay])
        decay_pow = torch.pow(d, step)
        with torch.no_grad():
            for p in self._params:
                param, ema = scope._get(p), scope._get(self._ema[p])
                if param is None or ema is None:
                    continue
                self._saved[p] = param._t.detach().clone()
                value = ema._t / (1.0 - decay_pow) if float(step) > 0 else ema._t
                assign_value(param, value.to(param._t.dtype))
        try:
            yield
        finally:
            if need_restore:
                self.restore(executor)

    def restore(self, executor=None) -> None:
        """Put back the parameters ``apply`` replaced."""
        scope = global_scope()
        with torch.no_grad():
            for p, value in self._saved.items():
                t = scope._get(p)
                if t is not None:
                    assign_value(t, value)
        self._saved = {}

"""``paddle.optimizer.lr``: learning-rate schedulers (pure Python; they work on floats).

A scheduler is passed as an optimizer's ``learning_rate``; ``opt.state_dict()['LR_Scheduler']``
is the scheduler's ``state_dict()`` (see NOTE [LR scheduler state dict] in ``_lr_base``).

Example:
    >>> from paddlefish.optimizer import lr
    >>> s = lr.StepDecay(learning_rate=0.1, step_size=1, gamma=0.5)
    >>> s.step(); s.step(); s.state_dict()
    {'last_epoch': 2, 'last_lr': 0.025}
"""

from __future__ import annotations

import torch

from .._core.missing import module_getattr as _module_getattr
from ..eager.dispatch import get_recorder, static_recording
from ..eager.tensor import Tensor, wrap
from ..ops._registry import AttrType
from ._lr_base import LRArgumentError, LRScheduler
from ._lr_cosine import CosineAnnealingDecay, CosineAnnealingWarmRestarts
from ._lr_cyclic import CyclicLR, OneCycleLR
from ._lr_decays import (
    ExponentialDecay,
    InverseTimeDecay,
    LambdaDecay,
    MultiplicativeDecay,
    MultiStepDecay,
    NaturalExpDecay,
    NoamDecay,
    PiecewiseDecay,
    PolynomialDecay,
    StepDecay,
)
from ._lr_legacy import (
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    linear_lr_warmup,
    natural_exp_decay,
    noam_decay,
    piecewise_decay,
    polynomial_decay,
)
from ._lr_plateau import ReduceOnPlateau
from ._lr_warmup import LinearLR, LinearWarmup

__all__ = [
    "CosineAnnealingDecay",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LRArgumentError",
    "LRScheduler",
    "LambdaDecay",
    "LinearLR",
    "LinearWarmup",
    "MultiStepDecay",
    "MultiplicativeDecay",
    "NaturalExpDecay",
    "NoamDecay",
    "OneCycleLR",
    "PiecewiseDecay",
    "PolynomialDecay",
    "ReduceOnPlateau",
    "StepDecay",
    "autoincreased_step_counter",
    "cosine_decay",
    "exponential_decay",
    "inverse_time_decay",
    "linear_lr_warmup",
    "natural_exp_decay",
    "noam_decay",
    "piecewise_decay",
    "polynomial_decay",
]


def autoincreased_step_counter(counter_name: str | None = None, begin: int = 1,
                               step: int = 1) -> Tensor:
    """A global int64 ``[1]`` counter (default name ``@STEP_COUNTER@``) that every
    ``Executor.run`` of the main program increases by ``step`` first, so the first run sees
    ``begin``. Built as Paddle builds it: a persistable variable initialised to ``begin - 1`` by
    the startup program and an ``increment`` op prepended to the main program; a second call with
    the same name returns the same counter. In dynamic mode: a tensor holding ``begin - 1 +
    step`` (Paddle runs the increment once, eagerly).

    >>> import paddlefish as paddle
    >>> paddle.enable_static()
    >>> main, startup = paddle.static.Program(), paddle.static.Program()
    >>> with paddle.static.program_guard(main, startup):
    ...     step = paddle.optimizer.lr.autoincreased_step_counter(begin=0)
    >>> exe = paddle.static.Executor()
    >>> _ = exe.run(startup)
    >>> [int(exe.run(main, fetch_list=[step])[0][0]) for _ in range(3)]
    [0, 1, 2]
    >>> paddle.disable_static()
    """
    name = "@STEP_COUNTER@" if counter_name is None else counter_name
    rec = get_recorder()
    if not static_recording():  # dynamic mode
        t = wrap(torch.full([1], begin - 1 + step, dtype=torch.int64))
        t.name = name
        return t
    block = rec.program.global_block()
    if name in block.vars and name in rec.captured:
        return rec.captured[name]
    counter = wrap(torch.full([1], begin - 1, dtype=torch.int64))
    counter.name, counter.persistable = name, True
    rec._capture(counter)  # declared persistable in main, value in startup
    block.vars[name].stop_gradient = True
    rec.append_raw("increment", {"X": [name]}, {"Out": [name]}, {"step": float(step)},
                   {"step": AttrType.FLOAT})
    block.ops.insert(0, rec.block.ops.pop())
    return counter

__getattr__ = _module_getattr("paddle.optimizer.lr")

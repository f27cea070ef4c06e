"""Paddle 1.x's learning-rate decay functions, as ``paddle.optimizer.lr`` still has them.

NOTE [legacy lr decays]: in dynamic mode each returns the 2.x scheduler Paddle 2.6 maps it to —
with Paddle's mapping, which drops arguments: ``exponential_decay``, ``natural_exp_decay`` and
``inverse_time_decay`` ignore ``decay_steps``/``staircase`` (the scheduler steps per call of
``step()``), ``cosine_decay`` ignores ``step_each_epoch``. In static mode each builds Paddle's
formula on the float32 global step ``@LR_DECAY_COUNTER@`` (``autoincreased_step_counter``,
starting at 0, 1 for ``noam_decay``) and returns the learning-rate variable, fetchable with
``Executor.run`` (paddlefish's static optimizers take a float or a scheduler, not a variable).

>>> from paddlefish.optimizer import lr
>>> s = lr.piecewise_decay([2, 4], [0.1, 0.01, 0.001])
>>> type(s).__name__, [round(s.get_lr(), 3) for _ in range(5) if s.step() is None]
('PiecewiseDecay', [0.1, 0.01, 0.01, 0.001, 0.001])
"""

from __future__ import annotations

import math

from .. import tensor as P
from ..eager.dispatch import static_recording
from ._lr_cosine import CosineAnnealingDecay
from ._lr_decays import (
    ExponentialDecay,
    InverseTimeDecay,
    NaturalExpDecay,
    NoamDecay,
    PiecewiseDecay,
    PolynomialDecay,
)
from ._lr_warmup import LinearWarmup

__all__ = [
    "cosine_decay",
    "exponential_decay",
    "inverse_time_decay",
    "linear_lr_warmup",
    "natural_exp_decay",
    "noam_decay",
    "piecewise_decay",
    "polynomial_decay",
]


def _step(begin=0):
    from .lr import autoincreased_step_counter

    counter = autoincreased_step_counter(counter_name="@LR_DECAY_COUNTER@", begin=begin, step=1)
    return P.cast(counter, "float32")


def _div(step, decay_steps, staircase):
    d = step / float(decay_steps)
    return P.floor(d) if staircase else d


def noam_decay(d_model, warmup_steps, learning_rate=1.0):
    """``learning_rate * d_model**-0.5 * min(step**-0.5, warmup_steps**-1.5 * step)``."""
    if not static_recording():
        return NoamDecay(d_model, warmup_steps, learning_rate=learning_rate)
    step = _step(1)
    a = step**-0.5
    b = (warmup_steps**-1.5) * step
    return learning_rate * (d_model**-0.5) * P.minimum(a, b)


def exponential_decay(learning_rate, decay_steps, decay_rate, staircase=False):
    """``learning_rate * decay_rate ** (step / decay_steps)`` (NOTE [legacy lr decays])."""
    if not static_recording():
        return ExponentialDecay(learning_rate, decay_rate)
    return learning_rate * (decay_rate ** _div(_step(), decay_steps, staircase))


def natural_exp_decay(learning_rate, decay_steps, decay_rate, staircase=False):
    """``learning_rate * exp(-decay_rate * step / decay_steps)``."""
    if not static_recording():
        return NaturalExpDecay(learning_rate, decay_rate)
    return learning_rate * P.exp(-1 * decay_rate * _div(_step(), decay_steps, staircase))


def inverse_time_decay(learning_rate, decay_steps, decay_rate, staircase=False):
    """``learning_rate / (1 + decay_rate * step / decay_steps)``."""
    if not static_recording():
        return InverseTimeDecay(learning_rate, decay_rate)
    return learning_rate / (1 + decay_rate * _div(_step(), decay_steps, staircase))


def polynomial_decay(learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False):
    """``(lr - end) * (1 - step / decay_steps) ** power + end``, the step clipped at
    ``decay_steps`` (or ``decay_steps`` growing by cycles when ``cycle``)."""
    if not static_recording():
        return PolynomialDecay(learning_rate, decay_steps, end_learning_rate, power, cycle)
    step = _step()
    if cycle:
        div = P.ceil(step / float(decay_steps))
        div = P.where(step == 0.0, P.ones_like(div), div)
        steps = decay_steps * div
    else:
        step = P.minimum(step, P.full([1], float(decay_steps), "float32"))
        steps = decay_steps
    return (learning_rate - end_learning_rate) * ((1 - step / steps) ** power) + end_learning_rate


def piecewise_decay(boundaries, values):
    """``values[i]`` while ``step < boundaries[i]`` (first such i), else ``values[-1]``."""
    if len(values) - len(boundaries) != 1:
        raise ValueError("len(values) - len(boundaries) should be 1")
    if not static_recording():
        return PiecewiseDecay(boundaries, values)
    step = _step()
    lr = P.full([1], float(values[-1]), "float32")
    for b, v in reversed(list(zip(boundaries, values))):
        lr = P.where(step < float(b), P.full([1], float(v), "float32"), lr)
    return lr


def cosine_decay(learning_rate, step_each_epoch, epochs):
    """``lr * 0.5 * (cos(floor(step / step_each_epoch) * pi / epochs) + 1)``."""
    if not isinstance(learning_rate, float) and not hasattr(learning_rate, "dtype"):
        raise TypeError(
            f"The type of 'learning_rate' in cosine_decay must be float or Variable, but "
            f"received {type(learning_rate)}."
        )
    if not static_recording():
        return CosineAnnealingDecay(learning_rate, epochs)
    epoch = P.floor(_step() / float(step_each_epoch))
    return learning_rate * 0.5 * (P.cos(epoch * math.pi / epochs) + 1)


def linear_lr_warmup(learning_rate, warmup_steps, start_lr, end_lr):
    """Linear from ``start_lr`` to ``end_lr`` over ``warmup_steps``, then ``learning_rate``."""
    if not static_recording():
        return LinearWarmup(learning_rate, warmup_steps, start_lr, end_lr)
    step = _step()
    lin = float(end_lr) - float(start_lr)
    base = (
        learning_rate
        if hasattr(learning_rate, "dtype")
        else P.full([1], float(learning_rate), "float32")
    )
    warm = start_lr + lin * (step / float(warmup_steps))
    return P.where(step < float(warmup_steps), warm, base)

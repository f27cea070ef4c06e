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

from .._core.missing import module_getattr as _module_getattr
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
]

__getattr__ = _module_getattr("paddle.optimizer.lr")

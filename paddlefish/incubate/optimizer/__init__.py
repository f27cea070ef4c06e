"""``paddle.incubate.optimizer``: ``LookAhead``, ``ModelAverage`` and ``LBFGS``.

>>> import paddlefish as paddle
>>> net = paddle.nn.Linear(2, 1)
>>> inner = paddle.optimizer.Adam(parameters=net.parameters())
>>> type(paddle.incubate.optimizer.LookAhead(inner, alpha=0.2, k=3)).__name__
'LookAhead'
"""

from ..._core.missing import module_getattr
from ...optimizer.lbfgs import LBFGS as LBFGS
from . import functional as functional
from ._lookahead import LookAhead as LookAhead
from ._model_average import ModelAverage as ModelAverage

__all__ = ["LBFGS", "LookAhead", "ModelAverage", "functional"]

_STATIC = "a 1.x static-graph meta-optimizer; not built in paddlefish"
_NOT_BUILT = {
    "DistributedFusedLamb": "distributed fused LAMB is GPU/fleet-only; use paddle.optimizer.Lamb",
    "GradientMergeOptimizer": _STATIC + " (accumulate gradients over steps, then step)",
    "LarsMomentumOptimizer": _STATIC + " (use paddle.optimizer.Momentum)",
    "PipelineOptimizer": _STATIC,
    "RecomputeOptimizer": _STATIC,
}

__getattr__ = module_getattr("paddle.incubate.optimizer", _NOT_BUILT)

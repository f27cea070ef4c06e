"""``paddle.incubate.optimizer.functional``: ``minimize_bfgs`` and ``minimize_lbfgs`` (dynamic
mode; ported from Paddle 2.6 with its in-place loop semantics, NOTE [eager while_loop aliasing]).

>>> import paddlefish as paddle
>>> F = paddle.incubate.optimizer.functional
>>> bool(F.minimize_bfgs(lambda x: paddle.dot(x - 1.0, x - 1.0), paddle.zeros([2]))[0])
True
"""

from ...._core.missing import module_getattr
from ._bfgs import minimize_bfgs as minimize_bfgs
from ._lbfgs import minimize_lbfgs as minimize_lbfgs

__all__ = ["minimize_bfgs", "minimize_lbfgs"]

__getattr__ = module_getattr("paddle.incubate.optimizer.functional")

"""``paddle.base.dygraph``: the dynamic-graph entry points of Paddle 2.x's ``fluid.dygraph``.

>>> import numpy as np
>>> import paddlefish as paddle
>>> with paddle.base.dygraph.guard():
...     t = paddle.base.dygraph.to_variable(np.ones([2], "float32"))
>>> t.numpy().tolist()
[1.0, 1.0]
"""

from .._core.missing import module_getattr
from ..eager.autograd import grad as grad
from ..eager.autograd import no_grad as no_grad
from ..static._mode import disable_static as enable_dygraph
from ..static._mode import dygraph_guard as guard
from ..static._mode import enable_static as disable_dygraph
from ..static._mode import in_dynamic_mode as enabled
from ..tensor.creation import to_tensor

__all__ = ["disable_dygraph", "enable_dygraph", "enabled", "grad", "guard", "no_grad", "to_variable"]


def to_variable(value, name=None, zero_copy=None, dtype=None):
    """Paddle 1.x's ``to_variable``: a Tensor from a numpy array, Tensor or Python value."""
    t = to_tensor(value, dtype=dtype)
    if name is not None:
        t.name = name
    return t


__getattr__ = module_getattr("paddle.base.dygraph")

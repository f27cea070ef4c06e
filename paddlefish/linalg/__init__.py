"""``paddle.linalg`` (see ``paddlefish/tensor/linalg.py``).

>>> import paddlefish as paddle
>>> float(paddle.linalg.det(paddle.to_tensor([[2.0, 0.0], [0.0, 3.0]])))
6.0
"""

from .._core.missing import module_getattr
from ..tensor.linalg import *
from ..tensor.linalg import __all__ as _all

__all__ = [n for n in _all if n != "cdist"]
__getattr__ = module_getattr("paddle.linalg")

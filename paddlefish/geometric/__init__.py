"""``paddle.geometric`` (see ``paddlefish/tensor/geometric.py``).

>>> import paddlefish as paddle
>>> paddle.geometric.segment_sum(paddle.to_tensor([1.0, 2.0, 3.0]), paddle.to_tensor([0, 0, 1])).tolist()
[3.0, 3.0]
"""

from .._core.missing import module_getattr
from ..tensor.geometric import *
from ..tensor.geometric import __all__ as __all__

__getattr__ = module_getattr("paddle.geometric")

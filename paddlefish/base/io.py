"""``paddle.base.io``: in Paddle 2.6 it holds the data loader names.

The 1.x static save/load functions that once lived here (``save_inference_model``,
``save_params``, ...) belong to ``paddle.static``; loading the files they wrote works through
``paddle.load`` and ``paddle.jit.load``.

>>> from paddlefish.base import io
>>> io.DataLoader.__name__
'DataLoader'
"""

from .._core.missing import module_getattr
from ..io import DataLoader as DataLoader

__all__ = ["DataLoader"]

__getattr__ = module_getattr("paddle.base.io")

"""``paddle.hapi``: the high-level API — ``Model`` (prepare/fit/evaluate/predict/save/load),
``callbacks``, ``summary`` and ``flops`` — with Paddle's loops, console output and files.

>>> import paddlefish as paddle
>>> from paddlefish import hapi
>>> model = hapi.Model(paddle.nn.Linear(4, 2))
>>> [p.shape for p in model.parameters()]
[[4, 2], [2]]
"""

from .._core.missing import module_getattr as _module_getattr
from . import callbacks as callbacks
from . import dynamic_flops as dynamic_flops
from . import model_summary as model_summary
from . import progressbar as progressbar
from ._flops import flops as flops
from ._model import Model as Model
from ._summary import summary as summary

__all__ = ["Model", "callbacks", "flops", "summary"]

__getattr__ = _module_getattr("paddle.hapi")

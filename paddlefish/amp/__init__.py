"""``paddle.amp``: automatic mixed precision — ``auto_cast``, ``decorate``, ``GradScaler``.

Paddle applies AMP only on accelerator places; on CPU every call is accepted, warns as Paddle
warns, and leaves float32 training exactly as it was — so Paddle scripts written for GPUs run
unchanged here. See ``_auto_cast`` and ``_grad_scaler`` for what happens on CUDA.

>>> import warnings, paddlefish as paddle
>>> net = paddle.nn.Linear(3, 1)
>>> opt = paddle.optimizer.Adam(parameters=net.parameters())
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     scaler = paddle.amp.GradScaler()
...     with paddle.amp.auto_cast():
...         loss = net(paddle.ones([2, 3])).mean()
>>> scaler.scale(loss).backward()
>>> scaler.step(opt); scaler.update(); opt.clear_grad()
"""

from .._core.missing import module_getattr
from ._auto_cast import amp_decorate as amp_decorate
from ._auto_cast import amp_guard as amp_guard
from ._auto_cast import auto_cast as auto_cast
from ._auto_cast import autocast as autocast
from ._auto_cast import black_list as black_list
from ._auto_cast import decorate as decorate
from ._auto_cast import get_autocast_dtype as get_autocast_dtype
from ._auto_cast import is_autocast_enabled as is_autocast_enabled
from ._auto_cast import is_bfloat16_supported as is_bfloat16_supported
from ._auto_cast import is_float16_supported as is_float16_supported
from ._auto_cast import white_list as white_list
from ._grad_scaler import AmpScaler as AmpScaler
from ._grad_scaler import GradScaler as GradScaler
from ._grad_scaler import OptimizerState as OptimizerState

__all__ = [
    "AmpScaler",
    "GradScaler",
    "OptimizerState",
    "amp_decorate",
    "amp_guard",
    "auto_cast",
    "autocast",
    "black_list",
    "decorate",
    "get_autocast_dtype",
    "is_autocast_enabled",
    "is_bfloat16_supported",
    "is_float16_supported",
    "white_list",
]

__getattr__ = module_getattr("paddle.amp")

"""``paddle.incubate.autograd``: ``vjp``, ``jvp``, ``Jacobian``, ``Hessian`` and the prim switch.

>>> import paddlefish as paddle
>>> J = paddle.incubate.autograd.Jacobian(lambda x: x * x, paddle.to_tensor([1.0, 3.0]))
>>> J[:].numpy().tolist()
[[2.0, 0.0], [0.0, 6.0]]
"""

from ..._core.missing import module_getattr
from ._functional import Hessian as Hessian
from ._functional import Jacobian as Jacobian
from ._functional import jvp as jvp
from ._functional import vjp as vjp
from ._prim import disable_prim as disable_prim
from ._prim import enable_prim as enable_prim
from ._prim import forward_grad as forward_grad
from ._prim import grad as grad
from ._prim import prim_enabled as prim_enabled

__all__ = [
    "Hessian",
    "Jacobian",
    "disable_prim",
    "enable_prim",
    "forward_grad",
    "grad",
    "jvp",
    "vjp",
]

_PRIM = "static programs lowered to primitive ops are not built in paddlefish (NOTE [incubate prim switch])"
_NOT_BUILT = {
    "prim2orig": _PRIM,
    "primapi": _PRIM,
    "primx": _PRIM,
    "primops": _PRIM,
    "primrules": _PRIM,
    "primreg": _PRIM,
    "composite_rules": _PRIM,
}

__getattr__ = module_getattr("paddle.incubate.autograd", _NOT_BUILT)

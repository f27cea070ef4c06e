"""``paddle.autograd``: ``PyLayer`` (user-defined ops), ``backward``, ``grad``, ``jacobian`` /
``hessian``, ``saved_tensors_hooks`` and the grad-mode switches.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([3.0], stop_gradient=False)
>>> y = x * x
>>> paddle.autograd.backward([y], [paddle.to_tensor([2.0])])
>>> x.grad.numpy().tolist()
[12.0]
"""

from .._core.missing import module_getattr
from ..eager.autograd import enable_grad as enable_grad
from ..eager.autograd import grad as grad
from ..eager.autograd import is_grad_enabled as is_grad_enabled
from ..eager.autograd import no_grad as no_grad
from ..eager.autograd import set_grad_enabled as set_grad_enabled
from ._functional import Hessian as Hessian
from ._functional import Jacobian as Jacobian
from ._functional import backward as backward
from ._functional import hessian as hessian
from ._functional import jacobian as jacobian
from ._functional import saved_tensors_hooks as saved_tensors_hooks
from ._py_layer import PyLayer as PyLayer
from ._py_layer import PyLayerContext as PyLayerContext

__all__ = [
    "PyLayer",
    "PyLayerContext",
    "backward",
    "enable_grad",
    "grad",
    "hessian",
    "is_grad_enabled",
    "jacobian",
    "no_grad",
    "saved_tensors_hooks",
    "set_grad_enabled",
]

__getattr__ = module_getattr("paddle.autograd")

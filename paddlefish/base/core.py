"""``paddle.base.core``: only the user-visible enums and queries Paddle code asks for.

Paddle's ``core`` is its C++ extension; paddlefish has none. What Python code reads from it —
``core.VarDesc.VarType.FP32``, ``core.is_compiled_with_cuda()``, the place classes — is here;
anything else raises an error naming the gap (NOTE [missing Paddle names]).

>>> import paddlefish as paddle
>>> paddle.base.core.VarDesc.VarType.FP32 == paddle.float32
True
"""

from .._core.dtypes import VarType as _VarType
from .._core.missing import module_getattr
from ..eager.device import CPUPlace as CPUPlace
from ..eager.device import CUDAPlace as CUDAPlace
from ..eager.device import Place as Place
from ..eager.device import is_compiled_with_cuda as is_compiled_with_cuda

__all__ = ["CPUPlace", "CUDAPlace", "Place", "VarDesc", "is_compiled_with_cuda"]


class VarDesc:
    """Holds ``VarType`` as Paddle's ``core.VarDesc`` does."""

    VarType = _VarType


def is_compiled_with_xpu() -> bool:
    return False


is_compiled_with_rocm = is_compiled_with_ipu = is_compiled_with_cinn = is_compiled_with_xpu

__getattr__ = module_getattr("paddle.base.core")

"""``paddle.base.framework``: the mode queries and core classes user code imports from it.

>>> from paddlefish.base import framework
>>> framework.in_dygraph_mode()
True
"""

from .._core.missing import module_getattr
from ..eager.tensor import Parameter as EagerParamBase
from ..eager.tensor import Parameter as Parameter
from ..eager.tensor import Tensor as Tensor
from ..nn.param_attr import ParamAttr as ParamAttr
from ..static import Program as Program
from ..static import Variable as Variable
from ..static import default_main_program as default_main_program
from ..static import default_startup_program as default_startup_program
from ..static import program_guard as program_guard
from ..static._mode import in_dynamic_mode as in_dygraph_mode
from ..static._mode import in_dynamic_mode as in_dynamic_mode
from ..static._mode import in_dynamic_mode as in_dynamic_or_pir_mode

__all__ = [
    "EagerParamBase",
    "ParamAttr",
    "Parameter",
    "Program",
    "Tensor",
    "Variable",
    "default_main_program",
    "default_startup_program",
    "in_dygraph_mode",
    "in_dynamic_mode",
    "in_dynamic_or_pir_mode",
    "in_pir_mode",
    "program_guard",
]


def in_pir_mode() -> bool:
    """Whether a static PIR program is being built (never: paddlefish runs the dynamic graph)."""
    return False


__getattr__ = module_getattr("paddle.base.framework")

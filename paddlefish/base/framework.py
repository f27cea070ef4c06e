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
from ..static._mode import in_dynamic_mode as in_dygraph_mode
from ..static._mode import in_dynamic_mode as in_dynamic_mode
from ..static._mode import in_dynamic_mode as in_dynamic_or_pir_mode

__all__ = [
    "EagerParamBase",
    "ParamAttr",
    "Parameter",
    "Tensor",
    "in_dygraph_mode",
    "in_dynamic_mode",
    "in_dynamic_or_pir_mode",
    "in_pir_mode",
]


def in_pir_mode() -> bool:
    """Whether a static PIR program is being built (never: paddlefish runs the dynamic graph)."""
    return False


__getattr__ = module_getattr("paddle.base.framework")

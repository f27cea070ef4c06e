"""``paddle.base``: Paddle 2.5+'s name for ``fluid``, as thin re-exports of paddlefish.

Paddle 2.x programs and Paddle's own save/load examples reach through it for the dygraph guard,
unique names, flags and the dtype enum. ``paddle.fluid`` (Paddle <= 2.5) is the same module.

>>> import paddlefish as paddle
>>> with paddle.base.dygraph.guard(), paddle.base.unique_name.guard():
...     paddle.base.unique_name.generate("linear")
'linear_0'
>>> paddle.fluid is paddle.base
True
"""

import sys as _sys

from .._core import unique_name as unique_name
from .._core.flags import get_flags as get_flags
from .._core.flags import set_flags as set_flags
from .._core.missing import module_getattr
from ..eager.device import CPUPlace as CPUPlace
from ..eager.device import CUDAPlace as CUDAPlace
from ..eager.device import is_compiled_with_cuda as is_compiled_with_cuda
from ..eager.tensor import Tensor as Tensor
from ..nn import initializer as initializer
from ..nn.param_attr import ParamAttr as ParamAttr
from ..static._mode import disable_static as enable_dygraph
from ..static._mode import disable_static as enable_imperative
from ..static._mode import enable_static as disable_dygraph
from ..static._mode import enable_static as disable_imperative
from ..static._mode import in_dynamic_mode as in_dygraph_mode
from ..static._mode import in_dynamic_mode as in_dynamic_or_pir_mode
from ..static import CompiledProgram as CompiledProgram
from ..static import Executor as Executor
from ..static import Program as Program
from ..static import Scope as Scope
from ..static import Variable as Variable
from ..static import cpu_places as cpu_places
from ..static import default_main_program as default_main_program
from ..static import default_startup_program as default_startup_program
from ..static import global_scope as global_scope
from ..static import program_guard as program_guard
from ..static import scope_guard as scope_guard
from ..static import BuildStrategy as BuildStrategy
from ..static import ExecutionStrategy as ExecutionStrategy
from ..static import append_backward as append_backward
from ..static import cuda_places as cuda_places
from ..static import device_guard as device_guard
from ..static import gradients as gradients
from ..static import name_scope as name_scope
from ..static import xpu_places as xpu_places
from ..nn.initializer import set_global_initializer as set_global_initializer
from ._compat import DataFeeder as DataFeeder
from ._compat import LoDTensor as LoDTensor
from ._compat import create_lod_tensor as create_lod_tensor
from ._compat import is_compiled_with_cinn as is_compiled_with_cinn
from ._compat import is_compiled_with_rocm as is_compiled_with_rocm
from ._compat import is_compiled_with_xpu as is_compiled_with_xpu
from ._compat import require_version as require_version
from . import core as core
from . import dygraph as dygraph
from . import framework as framework
from . import io as io
from .framework import in_pir_mode as in_pir_mode

__all__ = [
    "BuildStrategy",
    "DataFeeder",
    "ExecutionStrategy",
    "LoDTensor",
    "append_backward",
    "create_lod_tensor",
    "cuda_places",
    "device_guard",
    "gradients",
    "is_compiled_with_cinn",
    "is_compiled_with_rocm",
    "is_compiled_with_xpu",
    "name_scope",
    "require_version",
    "set_global_initializer",
    "xpu_places",
    "CPUPlace",
    "CUDAPlace",
    "CompiledProgram",
    "Executor",
    "ParamAttr",
    "Program",
    "Scope",
    "Tensor",
    "Variable",
    "core",
    "cpu_places",
    "default_main_program",
    "default_startup_program",
    "global_scope",
    "program_guard",
    "scope_guard",
    "disable_dygraph",
    "disable_imperative",
    "dygraph",
    "enable_dygraph",
    "enable_imperative",
    "framework",
    "get_flags",
    "in_dygraph_mode",
    "in_dynamic_or_pir_mode",
    "in_pir_mode",
    "initializer",
    "io",
    "is_compiled_with_cuda",
    "set_flags",
    "unique_name",
]

# one module under every spelling (NOTE [stand-in identity]): ``import paddle.base.unique_name``
_sys.modules[__name__ + ".unique_name"] = unique_name

__getattr__ = module_getattr("paddle.base")

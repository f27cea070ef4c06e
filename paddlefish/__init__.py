"""paddlefish: PaddlePaddle 2.x's dynamic-graph API on PyTorch, file-compatible with real Paddle.

``import paddlefish as paddle`` runs ordinary Paddle 2.x code.

>>> import paddlefish as paddle
>>> paddle.to_tensor([1.0, 2.0]).sum().item()
3.0
"""

__version__ = "0.1.0"

import sys as _sys

import torch as _torch

from . import amp as amp
from . import audio as audio
from . import autograd as autograd
from . import base as base
from . import device as device
from . import distributed as distributed
from . import distribution as distribution
from . import callbacks as callbacks
from . import fft as fft
from . import geometric as geometric
from . import framework as framework
from . import hapi as hapi
from . import incubate as incubate
from . import inference as inference
from . import io as io
from . import jit as jit
from . import linalg as linalg
from . import metric as metric
from . import nn as nn
from . import onnx as onnx
from . import signal as signal
from . import sparse as sparse
from . import text as text
from . import optimizer as optimizer
from . import reader as reader
from .io._readers import batch as batch
from . import profiler as profiler
from . import static as static
from . import tensor as tensor
from . import utils as utils
from . import vision as vision
from . import version as version
from ._core.dtypes import DTYPES as _DTYPES
from ._core.dtypes import DType as dtype
from ._core.flags import get_flags as get_flags
from ._core.flags import set_flags as set_flags
from ._core.missing import module_getattr as _module_getattr
from ._core.unique_name import guard as _name_guard  # noqa: F401
from .distributed import DataParallel as DataParallel
from .eager.autograd import enable_grad as enable_grad
from .eager.autograd import grad as grad
from .eager.autograd import is_grad_enabled as is_grad_enabled
from .eager.autograd import no_grad as no_grad
from .eager.autograd import seed as seed
from .eager.autograd import set_grad_enabled as set_grad_enabled
from .eager.device import CPUPlace as CPUPlace
from .eager.device import CUDAPlace as CUDAPlace
from .device import CUDAPinnedPlace as CUDAPinnedPlace
from .device import CustomPlace as CustomPlace
from .device import IPUPlace as IPUPlace
from .device import XPUPlace as XPUPlace
from .eager.device import get_device as get_device
from .eager.device import set_device as set_device
from .eager.tensor import Parameter as Parameter
from .eager.tensor import Tensor as Tensor
from .eager.tensor import set_printoptions as set_printoptions
from .eager._info import finfo as finfo
from .eager._info import iinfo as iinfo
from .eager._info import get_rng_state as get_rng_state
from .eager._info import set_rng_state as set_rng_state
from .eager._info import get_cuda_rng_state as get_cuda_rng_state
from .eager._info import set_cuda_rng_state as set_cuda_rng_state
from .framework import async_save as async_save
from .framework import clear_async_save_task_queue as clear_async_save_task_queue
from .framework import create_parameter as create_parameter
from .framework import load as load
from .framework import save as save
from .hapi import Model as Model
from .hapi import flops as flops
from .hapi import summary as summary
from .nn.param_attr import ParamAttr as ParamAttr
from .standin import as_paddle as as_paddle
from .static._mode import disable_static as disable_static
from .static._mode import enable_static as enable_static
from .static._mode import in_dynamic_mode as in_dynamic_mode
from .optimizer import regularizer as regularizer
from .tensor._inplace import *
from .tensor.extra import *
from .tensor.linalg import cdist as cdist
from .tensor.linalg import cholesky as cholesky
from .tensor.linalg import eigvalsh as eigvalsh
from .tensor.creation import *
from .tensor.manipulation import *
from .tensor.math import *

bool = _DTYPES["bool"]
int8 = _DTYPES["int8"]
int16 = _DTYPES["int16"]
int32 = _DTYPES["int32"]
int64 = _DTYPES["int64"]
uint8 = _DTYPES["uint8"]
float16 = _DTYPES["float16"]
bfloat16 = _DTYPES["bfloat16"]
float32 = _DTYPES["float32"]
float64 = _DTYPES["float64"]
complex64 = _DTYPES["complex64"]
complex128 = _DTYPES["complex128"]


# ``from paddle.regularizer import L2Decay`` must work: Paddle has it as a top-level module.
_sys.modules[__name__ + ".regularizer"] = regularizer


def is_tensor(x) -> "bool":
    return isinstance(x, Tensor)

# ``import paddle.fluid`` (Paddle <= 2.5) is ``paddle.base``, module for module.
fluid = base
for _name, _module in list(_sys.modules.items()):
    if _name == __name__ + ".base" or _name.startswith(__name__ + ".base."):
        _sys.modules[__name__ + ".fluid" + _name[len(__name__) + 5 :]] = _module


def is_compiled_with_cuda() -> "bool":
    return _torch.cuda.is_available()


def is_compiled_with_xpu() -> "bool":
    return False


def is_compiled_with_rocm() -> "bool":
    return _torch.version.hip is not None


def is_compiled_with_distribute() -> "bool":
    return _torch.distributed.is_available()


def is_compiled_with_cinn() -> "bool":
    return False


def is_compiled_with_ipu() -> "bool":
    return False


def is_compiled_with_custom_device(device_type) -> "bool":
    return False


def disable_signal_handler() -> None:
    """Accepted for compatibility: paddlefish installs no signal handlers of its own."""


class LazyGuard:
    """``with paddle.LazyGuard(): net = Net()`` — accepted; paddlefish initialises parameters
    at construction as usual (Paddle defers it to save memory for huge models)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


__getattr__ = _module_getattr("paddle")

# every public name above: the explicit re-exports and the tensor functions' own __all__ lists
__all__ = sorted(n for n in globals() if not n.startswith("_"))

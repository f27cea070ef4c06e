"""L3: Tensor/Parameter over torch, autograd glue and the dispatch hook."""

from . import device as device
from ._dtype import from_torch_dtype as from_torch_dtype
from ._dtype import numpy_to_torch as numpy_to_torch
from ._dtype import to_torch_dtype as to_torch_dtype
from ._dtype import torch_to_numpy as torch_to_numpy
from .autograd import enable_grad as enable_grad
from .autograd import grad as grad
from .autograd import is_grad_enabled as is_grad_enabled
from .autograd import no_grad as no_grad
from .autograd import seed as seed
from .autograd import set_grad_enabled as set_grad_enabled
from .dispatch import dispatch as dispatch
from .dispatch import get_recorder as get_recorder
from .dispatch import recording as recording
from .dispatch import set_recorder as set_recorder
from .tensor import Parameter as Parameter
from .tensor import Tensor as Tensor
from .tensor import to_torch as to_torch
from .tensor import wrap as wrap

__all__ = [
    "Parameter",
    "Tensor",
    "device",
    "dispatch",
    "enable_grad",
    "from_torch_dtype",
    "get_recorder",
    "grad",
    "is_grad_enabled",
    "no_grad",
    "numpy_to_torch",
    "recording",
    "seed",
    "set_grad_enabled",
    "set_recorder",
    "to_torch",
    "to_torch_dtype",
    "torch_to_numpy",
    "wrap",
]

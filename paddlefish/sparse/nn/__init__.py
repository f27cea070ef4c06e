"""``paddle.sparse.nn``: ReLU/ReLU6/LeakyReLU/Softmax layers over sparse tensors; the sparse
conv/pool/norm layers raise NotImplementedError naming the reason."""

from ..._core.missing import module_getattr as _module_getattr
from . import functional as functional
from .layer import (
    BatchNorm,
    Conv2D,
    Conv3D,
    LeakyReLU,
    MaxPool3D,
    ReLU,
    ReLU6,
    Softmax,
    SubmConv2D,
    SubmConv3D,
    SyncBatchNorm,
)

__all__ = [
    "BatchNorm",
    "Conv2D",
    "Conv3D",
    "LeakyReLU",
    "MaxPool3D",
    "ReLU",
    "ReLU6",
    "Softmax",
    "SubmConv2D",
    "SubmConv3D",
    "SyncBatchNorm",
    "functional",
]

__getattr__ = _module_getattr("paddle.sparse.nn")

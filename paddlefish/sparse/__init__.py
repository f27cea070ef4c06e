"""``paddle.sparse``: sparse COO and CSR tensors (Paddle 2.6's commonly used core).

NOTE [sparse values] — representation. A sparse Paddle tensor is an ordinary paddlefish
``Tensor`` whose ``_t`` is a torch sparse tensor: layout ``torch.sparse_coo`` (COO; indices
``[sparse_dim, nnz]``, values ``[nnz, *dense_dims]``, hybrid tensors included, kept unsorted and
with duplicates exactly as given) or ``torch.sparse_csr`` (2-D, or 3-D batched with torch's
``[B, rows+1]`` crows; Paddle's concatenated 1-D ``crows``/``cols``/``values`` are reshaped on the
way in and flattened on the way out). No subclass: ``shape``, ``dtype``, ``place``,
``stop_gradient``, ``detach`` and ``.grad`` work unchanged, ``wrap(t)`` of any torch sparse tensor
is a sparse Paddle tensor, and ``x.is_sparse_coo()`` is just the layout.

Every op computes on the dense *values* with ordinary torch ops and rebuilds the sparse tensor
from the (new) index tensors. Two ``torch.autograd.Function`` bridges in ``_bridge.py`` carry
gradients: values -> sparse (the gradient is read back at the stored positions, whatever layout
arrives) and sparse -> values (the gradient is a sparse tensor of the input's own pattern). So
a leaf sparse tensor gets a sparse ``.grad`` with its own indices, as in Paddle, also for
uncoalesced inputs, which torch's own sparse autograd does not handle.

Where torch's layout cannot say what Paddle says: COO indices are always int64 in torch
(``cast(x, index_dtype='int32')`` is remembered on the Tensor and applied when ``indices()``
is read; later ops give int64), and a batched CSR must hold the same nnz in every batch (others
raise NotImplementedError).

Paddle 2.6 has no CPU kernels for ``matmul``/``masked_matmul``/``mv``/``addmm``; paddlefish
computes them on any device (tests compare them with Paddle's dense ops on ``to_dense()``).

Left, raising NotImplementedError with the reason: ``nn.Conv2D/Conv3D/SubmConv2D/SubmConv3D/
MaxPool3D/BatchNorm/SyncBatchNorm``, ``nn.functional.conv*/subm_conv*/max_pool3d/attention``,
``pca_lowrank``.

>>> import paddlefish as paddle
>>> x = paddle.sparse.sparse_coo_tensor([[0, 1], [1, 0]], [2.0, -3.0], [2, 2], stop_gradient=False)
>>> y = paddle.sparse.nn.functional.relu(x)
>>> y.to_dense().tolist()
[[0.0, 2.0], [0.0, 0.0]]
"""

from .._core.missing import module_getattr as _module_getattr
from . import _methods as _methods
from . import nn as nn
from .binary import add, divide, is_same_shape, masked_matmul, matmul, multiply, mv, subtract
from .creation import sparse_coo_tensor, sparse_csr_tensor
from .multiary import addmm
from .unary import (abs, asin, asinh, atan, atanh, cast, coalesce, deg2rad, expm1, isnan, log1p,
                    neg, pca_lowrank, pow, rad2deg, reshape, sin, sinh, slice, sqrt, square, sum,
                    tan, tanh, transpose)

_methods.install()

__all__ = [
    "sparse_coo_tensor", "sparse_csr_tensor", "sin", "tan", "asin", "atan", "sinh", "tanh",
    "asinh", "atanh", "sqrt", "square", "log1p", "abs", "pow", "pca_lowrank", "cast", "neg",
    "deg2rad", "rad2deg", "expm1", "mv", "matmul", "masked_matmul", "addmm", "add", "subtract",
    "transpose", "sum", "multiply", "divide", "coalesce", "is_same_shape", "reshape", "isnan",
    "slice",
]

__getattr__ = _module_getattr("paddle.sparse")

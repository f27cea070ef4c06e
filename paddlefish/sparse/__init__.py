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
runs sparse @ dense on torch's sparse kernels (CSR/COO mm, COO bmm for batches; integers by
gather + scatter) with a backward that reads the values' gradient at the stored positions; tests
compare them with Paddle's dense ops on ``to_dense()``.

NOTE [sparse Paddle quirks] — kept because code ported from Paddle 2.6 sees them: ``to_dense`` of
an uncoalesced COO keeps the *last* value of a repeated index (``coalesce`` sums them);
``divide`` of two sparse tensors stores every position (0/0 is nan); ``add``/``multiply`` store
the union of both patterns, explicit zeros included; COO ``transpose`` permutes the index rows
without re-sorting; ``sum`` with a list of axes reduces the first one only; a full ``sum`` of a
COO tensor has shape ``[1]`` (Paddle reports indices of shape ``[1]`` and 0-D values there,
paddlefish ``[1, 1]`` and ``[1]``, as torch's layout requires). Where Paddle 2.6 itself fails
(CSR gradients through ``to_dense``/``values``, sparse ``x.numpy()`` crashing), paddlefish
computes the gradient or raises an error that says what to call instead.

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
from .binary import add as add
from .binary import divide as divide
from .binary import is_same_shape as is_same_shape
from .binary import masked_matmul as masked_matmul
from .binary import matmul as matmul
from .binary import multiply as multiply
from .binary import mv as mv
from .binary import subtract as subtract
from .creation import sparse_coo_tensor as sparse_coo_tensor
from .creation import sparse_csr_tensor as sparse_csr_tensor
from .multiary import addmm as addmm
from .unary import abs as abs
from .unary import asin as asin
from .unary import asinh as asinh
from .unary import atan as atan
from .unary import atanh as atanh
from .unary import cast as cast
from .unary import coalesce as coalesce
from .unary import deg2rad as deg2rad
from .unary import expm1 as expm1
from .unary import isnan as isnan
from .unary import log1p as log1p
from .unary import neg as neg
from .unary import pca_lowrank as pca_lowrank
from .unary import pow as pow
from .unary import rad2deg as rad2deg
from .unary import reshape as reshape
from .unary import sin as sin
from .unary import sinh as sinh
from .unary import slice as slice
from .unary import sqrt as sqrt
from .unary import square as square
from .unary import sum as sum
from .unary import tan as tan
from .unary import tanh as tanh
from .unary import transpose as transpose

_methods.install()

__all__ = [
    "abs",
    "add",
    "addmm",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cast",
    "coalesce",
    "deg2rad",
    "divide",
    "expm1",
    "is_same_shape",
    "isnan",
    "log1p",
    "masked_matmul",
    "matmul",
    "multiply",
    "mv",
    "neg",
    "pca_lowrank",
    "pow",
    "rad2deg",
    "reshape",
    "sin",
    "sinh",
    "slice",
    "sparse_coo_tensor",
    "sparse_csr_tensor",
    "sqrt",
    "square",
    "subtract",
    "sum",
    "tan",
    "tanh",
    "transpose",
]

__getattr__ = _module_getattr("paddle.sparse")

"""``paddle.sparse.sparse_coo_tensor`` / ``sparse_csr_tensor``."""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, wrap
from ..tensor.creation import to_tensor
from ._bridge import build, from_values

__all__ = ["sparse_coo_tensor", "sparse_csr_tensor"]

_INDEX_DTYPES = (torch.int8, torch.int16, torch.int32, torch.int64)


def _as_tensor(data, dtype, place, stop_gradient) -> Tensor:
    if isinstance(data, Tensor):
        return data
    return to_tensor(data, dtype=dtype, place=place, stop_gradient=stop_gradient)


def _check_index(t: Tensor, what: str, op: str) -> None:
    if t._t.dtype not in _INDEX_DTYPES:
        raise TypeError(
            f"paddle.sparse.{op}: the dtype of {what} must be 'int8' or 'int16' or "
            f"'int32' or 'int64', got {t.dtype.name}"
        )


def _values(values, dtype, place, stop_gradient) -> Tensor:
    v = _as_tensor(values, dtype, place, stop_gradient)
    if dtype is not None:
        from ..tensor.math import cast

        v = cast(v, dtype) if v.dtype.name != _dtype_name(dtype) else v
    v.stop_gradient = stop_gradient  # Paddle sets it on the values tensor itself
    return v


def _dtype_name(dtype) -> str:
    from .._core.dtypes import convert_dtype

    return convert_dtype(dtype).name


def sparse_coo_tensor(indices, values, shape=None, dtype=None, place=None, stop_gradient=True):
    """A sparse COO tensor from ``indices`` (``[sparse_dim, nnz]``) and ``values``
    (``[nnz, *dense_dims]``). ``shape`` defaults to the smallest that holds every index.
    The indices are kept as given (not sorted, duplicates kept); ``coalesce`` sorts and sums.
    Gradients go to ``values`` (the result is not a leaf, as in Paddle).

    >>> import paddlefish as paddle
    >>> coo = paddle.sparse.sparse_coo_tensor([[0, 1, 2], [1, 2, 0]], [1.0, 2.0, 3.0], [3, 3])
    >>> coo.to_dense().tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [3.0, 0.0, 0.0]]
    """
    ind = _as_tensor(indices, None, place, True)
    val = _values(values, dtype, place, stop_gradient)
    if ind.ndim != 2:
        raise ValueError(
            f"paddle.sparse.sparse_coo_tensor: 'indices' must be 2-D "
            f"([sparse_dim, nnz]), got shape {ind.shape}"
        )
    _check_index(ind, "indices", "sparse_coo_tensor")
    sparse_dim, nnz = ind.shape
    if val.ndim == 0 or nnz != val.shape[0]:
        raise ValueError(
            "the indices and values must have same number of non-zero, but get "
            f"{nnz} and {val.shape[0] if val.ndim else 'a 0-D values tensor'}"
        )
    it = ind._t.to(torch.int64)
    min_shape = ((it.max(1).values + 1).tolist() if nnz else [0] * sparse_dim) + val.shape[1:]
    if shape is None:
        shape = min_shape
    else:
        shape = [int(s) for s in shape]
        if shape < min_shape:
            raise ValueError(f"the minimun shape required is {min_shape}, but get {shape}")
        if len(shape) != sparse_dim + val.ndim - 1:
            raise ValueError(
                f"the number of dimensions(len(shape) must be sparse_dim({sparse_dim}) "
                f"+ dense_dim({val.ndim - 1}), but get {len(shape)}"
            )
    it = it.to(val._t.device)
    out = wrap(from_values(val._t, (torch.sparse_coo, (it,), tuple(shape), False)))
    if ind._t.dtype != torch.int64:
        out._sp_index_dtype = ind._t.dtype
    return out


def sparse_csr_tensor(crows, cols, values, shape, dtype=None, place=None, stop_gradient=True):
    """A sparse CSR tensor (2-D, or 3-D batched with ``crows``/``cols``/``values`` of every batch
    concatenated, as Paddle). The result is a leaf: with ``stop_gradient=False`` its ``.grad``
    is a CSR tensor. Batches must hold equal numbers of values (torch's batched CSR).

    >>> import paddlefish as paddle
    >>> csr = paddle.sparse.sparse_csr_tensor([0, 2, 3, 5], [1, 3, 2, 0, 1], [1, 2, 3, 4, 5], [3, 4])
    >>> csr.to_dense().tolist()
    [[0, 1, 0, 2], [0, 0, 3, 0], [4, 5, 0, 0]]
    """
    op = "sparse_csr_tensor"
    cr = _as_tensor(crows, None, place, True)
    co = _as_tensor(cols, None, place, True)
    val = _values(values, dtype, place, stop_gradient)
    _check_index(cr, "crows", op)
    _check_index(co, "cols", op)
    shape = [int(s) for s in shape]
    if len(shape) not in (2, 3):
        raise ValueError(f"SparseCsrTensor only support 2-D or 3-D matrix. but get shape {shape}")
    if cr.ndim != 1 or co.ndim != 1 or val.ndim != 1:
        raise ValueError("The 'crows', 'cols' and 'values' must be 1-D.")
    if co.shape[0] != val.shape[0]:
        raise ValueError("the length of cols must be same as length of values")
    rows = shape[-2]
    crt, cot = cr._t.to(torch.int64), co._t.to(torch.int64)
    if len(shape) == 2:
        if cr.shape[0] != rows + 1:
            raise ValueError(
                f"The length({cr.shape[0]}) of crows must be equal to the rows({rows})+1 of matrix."
            )
        if int(crt[0]) != 0:
            raise ValueError("the 0th value of crows must be 0")
        if int(crt[-1]) != val.shape[0]:
            raise ValueError("the last value of crows must be equal the number of non-zero")
        vt = val._t
    else:
        if cr.shape[0] != shape[0] * (rows + 1):
            raise ValueError(
                f"The length({cr.shape[0]}) of crows must be divisible the "
                f"rows({rows})+1 of matrix."
            )
        crt = crt.reshape(shape[0], rows + 1)
        per = crt[:, -1]
        if not bool((per == per[0]).all()):
            raise NotImplementedError(
                f"paddle.sparse.sparse_csr_tensor: batches with different numbers of values "
                f"({per.tolist()}) are not supported: paddlefish stores CSR as torch's batched "
                "sparse_csr tensor, whose batches hold equal nnz. Use sparse_coo_tensor instead"
            )
        cot = cot.reshape(shape[0], -1)
        vt = val._t
    pat = (torch.sparse_csr, (crt.to(vt.device), cot.to(vt.device)), tuple(shape), None)
    t = build(pat, vt.detach())
    if not stop_gradient and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(True)
    out = wrap(t)
    return out

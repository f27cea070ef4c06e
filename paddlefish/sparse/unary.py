"""Unary sparse ops: elementwise maps of the stored values (the pattern is kept, zeros stay
zeros), ``cast``, ``coalesce``, ``transpose``, ``reshape``, ``sum``, ``isnan``, ``slice``."""

from __future__ import annotations

import math

import torch

from .._core.dtypes import convert_dtype
from ..eager._dtype import to_torch_dtype
from ..eager.tensor import wrap
from ._bridge import build, check_sparse, from_values, map_values, pattern, values_of
from ._convert import _linear, _unravel, coalesce_t, to_coo_t, to_csr_t

__all__ = [
    "abs",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cast",
    "coalesce",
    "deg2rad",
    "expm1",
    "isnan",
    "log1p",
    "neg",
    "pca_lowrank",
    "pow",
    "rad2deg",
    "reshape",
    "sin",
    "sinh",
    "slice",
    "sqrt",
    "square",
    "sum",
    "tan",
    "tanh",
    "transpose",
]

_builtin_sum, _builtin_slice = sum, slice


def _unary(name: str, fn, example: str):
    def op(x, name=None):
        return map_values(x, fn, name_)

    name_ = name
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"``{name}`` of the stored values of a sparse COO/CSR tensor; the pattern is kept.\n\n"
        f">>> import paddlefish as paddle\n"
        f">>> x = paddle.to_tensor([[0.0, 0.5], [-0.25, 0.0]]).to_sparse_coo(2)\n"
        f">>> [round(v, 4) for v in paddle.sparse.{name}(x).values().tolist()]\n{example}\n"
    )
    return op


sin = _unary("sin", torch.sin, "[0.4794, -0.2474]")
tan = _unary("tan", torch.tan, "[0.5463, -0.2553]")
asin = _unary("asin", torch.asin, "[0.5236, -0.2527]")
atan = _unary("atan", torch.atan, "[0.4636, -0.245]")
sinh = _unary("sinh", torch.sinh, "[0.5211, -0.2526]")
asinh = _unary("asinh", torch.asinh, "[0.4812, -0.2475]")
atanh = _unary("atanh", torch.atanh, "[0.5493, -0.2554]")
tanh = _unary("tanh", torch.tanh, "[0.4621, -0.2449]")
square = _unary("square", torch.square, "[0.25, 0.0625]")
abs = _unary("abs", torch.abs, "[0.5, 0.25]")
log1p = _unary("log1p", torch.log1p, "[0.4055, -0.2877]")
expm1 = _unary("expm1", torch.expm1, "[0.6487, -0.2212]")
neg = _unary("neg", torch.neg, "[-0.5, 0.25]")


def sqrt(x, name=None):
    """Square root of the stored values.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 4.0], [9.0, 0.0]]).to_sparse_csr()
    >>> paddle.sparse.sqrt(x).values().tolist()
    [2.0, 3.0]
    """
    return map_values(x, torch.sqrt, "sqrt")


def pow(x, factor, name=None):
    """Stored values to the power ``factor`` (a float).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.pow(x, 2).values().tolist()
    [4.0, 9.0]
    """
    f = float(factor)
    return map_values(x, lambda v: torch.pow(v, f), "pow")


def _to_float(x, op):
    t = check_sparse(x, op)
    if t.is_floating_point() or t.is_complex():
        return x
    return cast(x, None, "float32")


def deg2rad(x, name=None):
    """Degrees to radians (integer tensors become float32, as Paddle).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0, 180], [90, 0]]).to_sparse_coo(2)
    >>> [round(v, 4) for v in paddle.sparse.deg2rad(x).values().tolist()]
    [3.1416, 1.5708]
    """
    return map_values(_to_float(x, "deg2rad"), lambda v: v * (math.pi / 180.0), "deg2rad")


def rad2deg(x, name=None):
    """Radians to degrees (integer tensors become float32, as Paddle).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 3.141592653589793], [1.0, 0.0]]).to_sparse_coo(2)
    >>> [round(v, 3) for v in paddle.sparse.rad2deg(x).values().tolist()]
    [180.0, 57.296]
    """
    return map_values(_to_float(x, "rad2deg"), lambda v: v * (180.0 / math.pi), "rad2deg")


def isnan(x, name=None):
    """Boolean sparse tensor: which stored values are NaN.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, float("nan")], [1.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.isnan(x).values().tolist()
    [True, False]
    """
    t = check_sparse(x, "isnan")
    return wrap(build(pattern(t), torch.isnan(values_of(t.detach()))))


def cast(x, index_dtype=None, value_dtype=None, name=None):
    """Cast the indices (COO ``indices`` / CSR ``crows``+``cols``) and/or the values.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0, 2], [3, 0]]).to_sparse_coo(2)
    >>> y = paddle.sparse.cast(x, "int32", "float64")
    >>> y.indices().dtype, y.values().dtype
    (paddle.int32, paddle.float64)
    """
    t = check_sparse(x, "cast")
    pat = pattern(t)
    v = values_of(t)
    if value_dtype is not None:
        v = v.to(to_torch_dtype(convert_dtype(value_dtype)))
    idt = to_torch_dtype(convert_dtype(index_dtype)) if index_dtype is not None else None
    if idt is not None and pat[0] == torch.sparse_csr and idt in (torch.int32, torch.int64):
        pat = (pat[0], tuple(i.to(idt) for i in pat[1]), pat[2], pat[3])
        idt = None
    out = wrap(from_values(v, pat) if v.is_floating_point() or v.is_complex() else build(pat, v))
    # torch's COO indices are always int64: remember the dtype Paddle would report
    keep = idt if idt is not None else getattr(x, "_sp_index_dtype", None)
    if keep is not None and keep != torch.int64:
        out._sp_index_dtype = keep
    return out


def coalesce(x, name=None):
    """Sort a COO tensor's indices and sum the values of repeated indices.

    >>> import paddlefish as paddle
    >>> x = paddle.sparse.sparse_coo_tensor([[1, 0, 1], [2, 1, 2]], [1.0, 2.0, 3.0], [2, 3])
    >>> y = paddle.sparse.coalesce(x)
    >>> y.indices().tolist(), y.values().tolist()
    ([[0, 1], [1, 2]], [2.0, 4.0])
    """
    return wrap(coalesce_t(check_sparse(x, "coalesce", (torch.sparse_coo,))))


def _perm(perm, nd, op):
    p = [int(a) % nd if nd else 0 for a in perm]
    if sorted(p) != list(range(nd)):
        raise ValueError(
            f"paddle.sparse.{op}: perm {list(perm)} is not a permutation of range({nd})"
        )
    return p


def transpose(x, perm, name=None):
    """Permute the dims. COO: the index rows are permuted (order kept, not re-sorted, as Paddle);
    CSR: a proper CSR of the transposed matrix.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 3.0]]).to_sparse_coo(2)
    >>> paddle.sparse.transpose(x, [1, 0]).indices().tolist()
    [[1, 0, 1], [0, 1, 1]]
    """
    t = check_sparse(x, "transpose")
    p = _perm(perm, t.dim(), "transpose")
    if t.layout == torch.sparse_csr:
        return wrap(to_csr_t(_transpose_coo(to_coo_t(t, t.dim()), p)))
    return wrap(_transpose_coo(t, p))


def _transpose_coo(t, p):
    idx = t._indices()
    sd = idx.shape[0]
    if p[sd:] != list(range(sd, t.dim())) or _builtin_sum(a >= sd for a in p[:sd]):
        raise ValueError(
            f"paddle.sparse.transpose: perm {p} moves a dense dim of a COO tensor "
            f"with sparse_dim {sd}; only the sparse dims may be permuted"
        )
    v = values_of(t)
    shape = [t.shape[a] for a in p]
    return from_values(v, (torch.sparse_coo, (idx[p[:sd]],), tuple(shape), False))


def _infer_shape(shape, numel, op, old=()):
    # Paddle's reshape: 0 copies the input's size at that position, one -1 is inferred
    shape = [int(old[i]) if int(s) == 0 and i < len(old) else int(s) for i, s in enumerate(shape)]
    if shape.count(-1) > 1:
        raise ValueError(f"paddle.sparse.{op}: only one dim may be -1, got {shape}")
    known = 1
    for s in shape:
        known *= s if s != -1 else 1
    return [numel // known if s == -1 else s for s in shape]


def reshape(x, shape, name=None):
    """Reshape the sparse dims (dense dims of a hybrid COO must stay as they are); as in
    ``paddle.reshape``, 0 keeps the input's size and one -1 is inferred.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]]).to_sparse_coo(2)
    >>> paddle.sparse.reshape(x, [3, 2]).indices().tolist()
    [[0, 1, 2], [1, 1, 1]]
    """
    t = check_sparse(x, "reshape")
    if t.layout == torch.sparse_csr:
        return wrap(to_csr_t(_reshape_coo(to_coo_t(t, t.dim()), shape)))
    return wrap(_reshape_coo(t, shape))


def _reshape_coo(t, shape):
    idx = t._indices()
    sd = idx.shape[0]
    old_sparse = list(t.shape[:sd])
    dense = list(t.shape[sd:])
    n = 1
    for s in old_sparse:
        n *= s
    shape = [int(s) for s in shape]
    if dense and shape[len(shape) - len(dense) :] != dense:
        raise ValueError(
            f"paddle.sparse.reshape: the dense dims {dense} of a hybrid COO tensor "
            f"must stay last and unchanged, got shape {shape}"
        )
    new_sparse = _infer_shape(shape[: len(shape) - len(dense)], n, "reshape", old_sparse)
    m = 1
    for s in new_sparse:
        m *= s
    if m != n:
        raise ValueError(f"paddle.sparse.reshape: cannot reshape {list(t.shape)} to {shape}")
    new_idx = _unravel(_linear(idx, old_sparse), new_sparse)
    return from_values(
        values_of(t), (torch.sparse_coo, (new_idx,), tuple(new_sparse + dense), t.is_coalesced())
    )


def sum(x, axis=None, dtype=None, keepdim=False, name=None):
    """Sum of a sparse tensor over ``axis`` (all when None); the result is sparse (COO stays COO;
    CSR supports ``axis`` None or -1 and keeps the rank, as Paddle). As Paddle 2.6's kernel,
    a list of axes reduces its first axis only.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]]).to_sparse_coo(2)
    >>> s = paddle.sparse.sum(x, axis=1)
    >>> s.indices().tolist(), s.values().tolist()
    ([[0, 1]], [1.0, 5.0])
    """
    t = check_sparse(x, "sum")
    v = values_of(t)
    if dtype is not None:
        v = v.to(to_torch_dtype(convert_dtype(dtype)))
    elif not (v.is_floating_point() or v.is_complex()) and v.dtype != torch.int64:
        v = v.to(torch.int64) if v.dtype == torch.bool else v
    nd = t.dim()
    if t.layout == torch.sparse_csr:
        return wrap(_sum_csr(t, v, axis, nd))
    idx = t._indices()
    sd = idx.shape[0]
    if axis is None:
        tot = v.sum().reshape(1)
        shape = [1] * nd if keepdim else [1]
        pat = (torch.sparse_coo, (idx.new_zeros((len(shape), 1)),), tuple(shape), True)
        return wrap(from_values(tot, pat))
    # Paddle 2.6's sparse sum kernel reduces one axis: of a list only the first counts
    axes = [int(axis if isinstance(axis, int) else next(iter(axis))) % nd]
    dense_axes = [a - sd + 1 for a in axes if a >= sd]
    if dense_axes:
        v = v.sum(dim=dense_axes, keepdim=keepdim)
    sp_axes = [a for a in axes if a < sd]
    keep_rows = [k for k in range(sd) if k not in sp_axes]
    new_idx = idx[keep_rows] if not keepdim else idx.clone()
    if keepdim:
        new_idx[sp_axes] = 0
    sp_shape = [1 if k in sp_axes else t.shape[k] for k in range(sd)]
    if not keepdim:
        sp_shape = [t.shape[k] for k in keep_rows]
    shape = sp_shape + list(v.shape[1:])
    if not sp_shape:  # every sparse dim reduced: one stored value
        v = v.sum(0, keepdim=True)
        pat = (torch.sparse_coo, (idx.new_zeros((1, 1)),), tuple([1] + shape), True)
        return wrap(from_values(v, pat))
    pre = from_values(v, (torch.sparse_coo, (new_idx,), tuple(shape), False))
    return wrap(coalesce_t(pre))


def _sum_csr(t, v, axis, nd):
    pat = pattern(t)
    crows = pat[1][0]
    if axis is None:
        tot = v.sum().reshape(1)
        shape = [1] * nd
        cr = crows.new_tensor([0, 1] if nd == 2 else [0, 1] * 1)
        cr = cr if nd == 2 else cr.reshape(1, 2)
        co = crows.new_zeros(1 if nd == 2 else (1, 1))
        return from_values(tot, (torch.sparse_csr, (cr, co), tuple(shape), None))
    if int(axis) % nd != nd - 1:
        raise ValueError(
            f"paddle.sparse.sum: a SparseCsrTensor sums over axis None or -1 only, got axis={axis}"
        )
    counts = (crows[..., 1:] - crows[..., :-1]).reshape(-1)
    row_id = torch.repeat_interleave(torch.arange(counts.numel(), device=v.device), counts)
    per_row = v.new_zeros(counts.numel()).index_add(0, row_id, v)
    nonempty = counts > 0
    if nd == 3:
        per_batch = nonempty.reshape(t.shape[0], -1).sum(1)
        if not bool((per_batch == per_batch[0]).all()):
            # torch's batched CSR needs equal nnz per batch: store every row's sum (explicit
            # zeros for empty rows). Paddle 2.6 returns an inconsistent [B, rows] tensor here.
            nonempty = torch.ones_like(nonempty)
    vals = per_row[nonempty]
    shape = list(t.shape[:-1]) + [1]
    has = nonempty.to(crows.dtype).reshape(crows.shape[:-1] + (-1,))
    cr = torch.cat([has.new_zeros(has.shape[:-1] + (1,)), has.cumsum(-1)], -1)
    co = crows.new_zeros(vals.numel())
    if nd == 3:
        co = co.reshape(shape[0], -1)
    return from_values(vals, (torch.sparse_csr, (cr, co), tuple(shape), None))


def slice(x, axes, starts, ends, name=None):
    """Keep the stored values inside ``[starts, ends)`` on ``axes`` (negative bounds count from
    the end), shifting the indices.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]]).to_sparse_coo(2)
    >>> y = paddle.sparse.slice(x, [1], [1], [3])
    >>> y.shape, y.indices().tolist(), y.values().tolist()
    ([2, 2], [[0, 1], [0, 1]], [1.0, 3.0])
    """
    t = check_sparse(x, "slice")
    was_csr = t.layout == torch.sparse_csr
    c = to_coo_t(t, t.dim()) if was_csr else t
    idx = c._indices()
    if idx.shape[0] != c.dim():
        raise NotImplementedError(
            "paddle.sparse.slice: hybrid COO tensors (dense dims in values) "
            "are not supported; convert with to_sparse_coo(x.ndim)"
        )
    shape = list(c.shape)
    keep = torch.ones(idx.shape[1], dtype=torch.bool, device=idx.device)
    new_idx = idx.clone()
    for a, s, e in zip(axes, starts, ends):
        a, n = int(a) % len(shape), shape[int(a) % len(shape)]
        s, e = int(s), int(e)
        s = max(0, min(n, s + n if s < 0 else s))
        e = max(0, min(n, e + n if e < 0 else e))
        e = max(e, s)
        keep &= (idx[a] >= s) & (idx[a] < e)
        new_idx[a] = idx[a] - s
        shape[a] = e - s
    v = values_of(c)[keep]
    out = from_values(v, (torch.sparse_coo, (new_idx[:, keep],), tuple(shape), c.is_coalesced()))
    return wrap(to_csr_t(out) if was_csr else out)


def pca_lowrank(x, q=None, center=True, niter=2, name=None):
    """Not available: Paddle 2.6 runs it only with CUDA 11 (cusparse); use
    ``paddle.linalg.pca_lowrank(x.to_dense())`` on the dense tensor."""
    raise NotImplementedError(
        "paddle.sparse.pca_lowrank is not implemented in paddlefish (Paddle 2.6 has it only for "
        "CUDA 11.x); densify first: paddle.linalg.pca_lowrank(x.to_dense(), q, center, niter)"
    )

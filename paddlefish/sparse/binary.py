"""Binary sparse ops: ``add``/``subtract``/``multiply`` on the union of both patterns,
``divide`` on every position (as Paddle's kernel), ``matmul``, ``masked_matmul``, ``mv``,
``is_same_shape``.

Paddle 2.6 has no CPU kernels for ``matmul``/``masked_matmul``/``mv``/``addmm``; paddlefish runs
sparse @ dense on torch's sparse kernels (any device), and the gradient reaches the sparse input
at its own stored positions, as Paddle's GPU grad kernels give.
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, to_torch, wrap
from ._bridge import build, check_sparse, coo, csr_rows, from_values, pattern, values_of
from ._convert import _linear, _unravel, coalesce_t, to_coo_t, to_csr_t, to_dense_t
from .unary import cast

__all__ = [
    "add",
    "divide",
    "is_same_shape",
    "masked_matmul",
    "matmul",
    "multiply",
    "mv",
    "subtract",
]


def _same_kind(x, y, op):
    tx, ty = check_sparse(x, op), check_sparse(y, op)
    if tx.layout != ty.layout:
        raise TypeError(
            f"paddle.sparse.{op}: x and y must both be COO or both be CSR, got "
            f"{_kind(tx)} and {_kind(ty)}"
        )
    if list(tx.shape) != list(ty.shape):
        raise ValueError(
            f"paddle.sparse.{op}: x and y must have the same shape, got "
            f"{list(tx.shape)} and {list(ty.shape)}"
        )
    if y.dtype != x.dtype:
        ty = cast(y, None, x.dtype)._t
    return tx, ty


def _kind(t):
    return {torch.sparse_coo: "SparseCooTensor", torch.sparse_csr: "SparseCsrTensor"}.get(
        t.layout, "dense Tensor"
    )


def _union(tx, ty, fn):
    """``fn`` of x's and y's values on the sorted union of their positions."""
    was_csr = tx.layout == torch.sparse_csr
    if was_csr:
        tx, ty = to_coo_t(tx, tx.dim()), to_coo_t(ty, ty.dim())
    tx, ty = coalesce_t(tx), coalesce_t(ty)
    ix, iy = tx._indices(), ty._indices()
    if ix.shape[0] != iy.shape[0]:
        raise ValueError(
            f"x and y must have the same sparse_dim, got {ix.shape[0]} and {iy.shape[0]}"
        )
    sd = ix.shape[0]
    dims = tx.shape[:sd]
    lx, ly = _linear(ix, dims), _linear(iy, dims)
    u = torch.unique(torch.cat([lx, ly]), sorted=True)
    vx, vy = values_of(tx), values_of(ty)
    zx = vx.new_zeros((u.numel(), *vx.shape[1:])).index_add(0, torch.searchsorted(u, lx), vx)
    zy = vy.new_zeros((u.numel(), *vy.shape[1:])).index_add(0, torch.searchsorted(u, ly), vy)
    out = from_values(fn(zx, zy), (torch.sparse_coo, (_unravel(u, dims),), tuple(tx.shape), True))
    return wrap(to_csr_t(out) if was_csr else out)


def add(x, y, name=None):
    """Elementwise ``x + y`` of two sparse tensors of one format and shape.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> y = paddle.to_tensor([[0.0, 3.0], [0.0, 4.0]]).to_sparse_coo(2)
    >>> paddle.sparse.add(x, y).to_dense().tolist()
    [[0.0, 4.0], [2.0, 4.0]]
    """
    return _union(*_same_kind(x, y, "add"), torch.add)


def subtract(x, y, name=None):
    """Elementwise ``x - y`` of two sparse tensors of one format and shape.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_csr()
    >>> y = paddle.to_tensor([[0.0, 3.0], [0.0, 4.0]]).to_sparse_csr()
    >>> paddle.sparse.subtract(x, y).values().tolist()
    [-2.0, 2.0, -4.0]
    """
    return _union(*_same_kind(x, y, "subtract"), torch.sub)


def multiply(x, y, name=None):
    """Elementwise ``x * y`` (a Python number scales the values). The result holds the union
    of both patterns (explicit zeros included, as Paddle).

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.multiply(x, 3.0).values().tolist()
    [3.0, 6.0]
    """
    if isinstance(y, (int, float)):
        t = check_sparse(x, "multiply")
        return wrap(from_values(values_of(t) * float(y), pattern(t)))
    return _union(*_same_kind(x, y, "multiply"), torch.mul)


def divide(x, y, name=None):
    """Elementwise ``x / y``. By a number: the stored values are divided. By a sparse tensor:
    every position is stored (0/0 gives nan, as Paddle's kernel). Integers divide as float32.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.divide(x, 2.0).values().tolist()
    [0.5, 1.0]
    """
    t = check_sparse(x, "divide")
    if not (t.is_floating_point() or t.is_complex()):
        x = cast(x, None, "float32")
        t = x._t
    if isinstance(y, (int, float)):
        return wrap(from_values(values_of(t) / float(y), pattern(t)))
    tx, ty = _same_kind(x, y, "divide")
    d = to_dense_t(tx) / to_dense_t(ty)
    full = torch.ones(d.shape, dtype=torch.bool, device=d.device)
    if tx.layout == torch.sparse_csr:
        return wrap(_dense_to_pattern_csr(d))
    sd = tx._indices().shape[0]
    idx = full.reshape(*d.shape[:sd], -1)[..., 0].nonzero().T
    pat = (torch.sparse_coo, (idx,), tuple(d.shape), True)
    return wrap(from_values(d[tuple(idx)], pat))


def _dense_to_pattern_csr(d):
    shape = tuple(d.shape)
    rows, ncol = shape[-2], shape[-1]
    b = shape[0] if len(shape) == 3 else 1
    cr = (torch.arange(rows + 1, device=d.device) * ncol).repeat(b, 1)
    co = torch.arange(ncol, device=d.device).repeat(b, rows)
    if len(shape) == 2:
        cr, co = cr[0], co[0]
    from ._bridge import gather_dense

    pat = (torch.sparse_csr, (cr, co), shape, None)
    return from_values(gather_dense(d, pat), pat)


def _rows_cols(t):
    """(batch-or-None, row, col) of every stored value of a 2-D/3-D sparse tensor, and its values."""
    return (*_positions(pattern(t)), values_of(t))


def _positions(pat: tuple) -> tuple:
    """(batch-or-None, row, col) of every stored value of a 2-D/3-D pattern."""
    if pat[0] == torch.sparse_coo:
        idx = pat[1][0]
        if idx.shape[0] != len(pat[2]):
            raise ValueError(
                "paddle.sparse.matmul: a hybrid COO tensor (dense dims in values) "
                "cannot be multiplied; use to_sparse_coo(x.ndim)"
            )
        parts = tuple(idx)
    else:
        parts = (*csr_rows(pat[1][0], pat[2]), pat[1][1].reshape(-1))
    return (parts[0] if len(pat[2]) == 3 else None), parts[-2], parts[-1]


class _SpMM(torch.autograd.Function):
    """sparse @ dense on torch's sparse kernels; the backward reads ``g @ y^T`` at the stored
    positions (the values' gradient) and scatters ``x^T @ g`` (y's gradient)."""

    @staticmethod
    def forward(ctx, values, y, pat):
        v, yd = values.detach(), y.detach()
        ctx.pat, ctx.idx = pat, None
        if len(pat[2]) == 2:
            out = build(pat, v) @ yd
        else:  # torch has no batched CSR matmul: bmm on the COO form
            ctx.idx = b, r, c = _positions(pat)
            coalesced = bool(pat[3])  # a CSR's columns may be unsorted within a row
            out = torch.bmm(coo(torch.stack([b, r, c]), v, pat[2], coalesced), yd)
        ctx.save_for_backward(values, y)
        return out

    @staticmethod
    def backward(ctx, g):
        v, y = ctx.saved_tensors
        b, r, c = ctx.idx or _positions(ctx.pat)
        g_rows = g[r] if b is None else g[b, r]
        gv = gy = None
        if ctx.needs_input_grad[0]:
            gv = (g_rows * (y[c] if b is None else y[b, c])).sum(-1)
        if ctx.needs_input_grad[1]:
            contrib = v.unsqueeze(-1) * g_rows
            if b is None:
                gy = torch.zeros_like(y).index_add(0, c, contrib)
            else:
                k = y.shape[1]
                flat = y.new_zeros((y.shape[0] * k, y.shape[2])).index_add(0, b * k + c, contrib)
                gy = flat.reshape(y.shape)
        return gv, gy, None


def _spmm(t, y):
    """sparse ``t`` [(B,) M, K] @ dense ``y`` [(B,) K, N] -> dense [(B,) M, N]."""
    tracked = torch.is_grad_enabled() and (t.requires_grad or y.requires_grad)
    if t.dim() == 2 and t.dtype == y.dtype and t.is_floating_point() and not tracked:
        return t @ y
    pat = pattern(t)
    v = values_of(t)
    if v.dtype == y.dtype and v.is_floating_point():
        return _SpMM.apply(v, y, pat)
    # integer values: torch's sparse kernels (MKL) have no integer CSR matmul; gather + scatter
    b, r, c = _positions(pat)
    if t.dim() == 2:
        contrib = v.unsqueeze(-1) * y[c]
        return contrib.new_zeros((t.shape[0], y.shape[-1])).index_add(0, r, contrib)
    contrib = v.unsqueeze(-1) * y[b, c]
    flat = b * t.shape[1] + r
    out = contrib.new_zeros((t.shape[0] * t.shape[1], y.shape[-1])).index_add(0, flat, contrib)
    return out.reshape(t.shape[0], t.shape[1], y.shape[-1])


def matmul(x, y, name=None):
    """Matrix product with a sparse ``x`` (2-D or batched 3-D, COO or CSR): ``y`` dense gives a
    dense result; ``y`` sparse (same format) gives a sparse result of the nonzeros of the
    product. Gradients reach x's stored values and y.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_csr()
    >>> y = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> paddle.sparse.matmul(x, y).tolist()
    [[3.0, 4.0], [2.0, 4.0]]
    """
    t = check_sparse(x, "matmul")
    if t.dim() not in (2, 3):
        raise ValueError(f"paddle.sparse.matmul: x must be 2-D or 3-D, got shape {list(t.shape)}")
    if isinstance(y, Tensor) and y._t.layout != torch.strided:
        ty = check_sparse(y, "matmul", (t.layout,))
        d = _spmm(t, to_dense_t(ty))
        sp = to_coo_t(d, d.dim())
        return wrap(to_csr_t(sp) if t.layout == torch.sparse_csr else sp)
    yt = to_torch(y)
    if yt.dim() != t.dim() or yt.shape[-2] != t.shape[-1]:
        raise ValueError(
            f"paddle.sparse.matmul: shapes {list(t.shape)} and {list(yt.shape)} "
            "do not multiply (x [.., M, K] @ y [.., K, N], same rank)"
        )
    return wrap(_spmm(t, yt))


def masked_matmul(x, y, mask, name=None):
    """``x @ y`` (both dense) evaluated only at the stored positions of sparse ``mask``; the
    result has mask's pattern and format.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> mask = paddle.to_tensor([[1.0, 0.0], [0.0, 1.0]]).to_sparse_csr()
    >>> paddle.sparse.masked_matmul(x, x, mask).values().tolist()
    [7.0, 22.0]
    """
    tm = check_sparse(mask, "masked_matmul")
    xt, yt = to_torch(x), to_torch(y)
    b, r, c, _ = _rows_cols(tm.detach())
    if xt.dim() == 2:
        v = (xt[r] * yt[:, c].T).sum(-1)
    else:
        v = (xt[b, r] * yt[b, :, c]).sum(-1)
    return wrap(from_values(v, pattern(tm)))


def mv(x, vec, name=None):
    """Sparse matrix (2-D COO/CSR) times dense vector: a dense vector.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 1.0], [2.0, 0.0]]).to_sparse_coo(2)
    >>> paddle.sparse.mv(x, paddle.to_tensor([3.0, 4.0])).tolist()
    [4.0, 6.0]
    """
    t = check_sparse(x, "mv")
    vt = to_torch(vec)
    if t.dim() != 2 or vt.dim() != 1 or vt.shape[0] != t.shape[1]:
        raise ValueError(
            f"paddle.sparse.mv: x must be [M, N] and vec [N], got {list(t.shape)} "
            f"and {list(vt.shape)}"
        )
    return wrap(_spmm(t, vt.unsqueeze(-1)).squeeze(-1))


def is_same_shape(x, y):
    """Whether two tensors (dense, COO or CSR, in any mix) have the same shape.

    >>> import paddlefish as paddle
    >>> x = paddle.rand([2, 3])
    >>> paddle.sparse.is_same_shape(x, x.to_sparse_csr()), paddle.sparse.is_same_shape(x, paddle.rand([3]))
    (True, False)
    """
    return list(x.shape) == list(y.shape)

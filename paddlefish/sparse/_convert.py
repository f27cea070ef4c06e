"""Dense <-> COO <-> CSR conversions and coalescing, all differentiable through the values."""

from __future__ import annotations

import torch

from ._bridge import csr_rows, from_values, gather_dense, pattern, values_of

__all__ = ["coalesce_t", "to_coo_t", "to_csr_t", "to_dense_t"]


def _linear(idx: torch.Tensor, dims) -> torch.Tensor:
    lin = torch.zeros(idx.shape[1], dtype=torch.int64, device=idx.device)
    for k, n in enumerate(dims):
        lin = lin * int(n) + idx[k]
    return lin


def _unravel(lin: torch.Tensor, dims) -> torch.Tensor:
    out = []
    for n in reversed(list(dims)):
        out.append(lin % int(n))
        lin = lin // int(n)
    return torch.stack(out[::-1]) if out else lin.new_zeros((0, lin.numel()))


def coalesce_t(t: torch.Tensor) -> torch.Tensor:
    """Sorted, duplicate-free COO (duplicates summed), as Paddle's ``sparse.coalesce``."""
    if t.layout != torch.sparse_coo or t.is_coalesced():
        return t
    idx = t._indices()
    sd = idx.shape[0]
    lin = _linear(idx, t.shape[:sd])
    uniq, inv = torch.unique(lin, sorted=True, return_inverse=True)
    v = values_of(t)
    summed = v.new_zeros((uniq.numel(), *v.shape[1:])).index_add(0, inv, v)
    pat = (torch.sparse_coo, (_unravel(uniq, t.shape[:sd]),), tuple(t.shape), True)
    return from_values(summed, pat)


def to_dense_t(t: torch.Tensor) -> torch.Tensor:
    """Dense tensor; a duplicate COO position keeps its last value, as Paddle's CPU kernel."""
    if t.layout == torch.strided:
        return t
    pat = pattern(t)
    v = values_of(t)
    if pat[0] == torch.sparse_coo:
        where = tuple(pat[1][0])
    else:
        where = (*csr_rows(pat[1][0], pat[2]), pat[1][1].reshape(-1))
    return v.new_zeros(t.shape).index_put(where, v)


def to_coo_t(t: torch.Tensor, sparse_dim: int) -> torch.Tensor:
    if t.layout == torch.sparse_coo:
        return t
    if t.layout == torch.sparse_csr:
        pat = pattern(t)
        idx = torch.stack([*csr_rows(pat[1][0], pat[2]), pat[1][1].reshape(-1)])
        # a CSR's columns need not be sorted within a row: not marked coalesced
        return from_values(values_of(t), (torch.sparse_coo, (idx,), tuple(t.shape), False))
    nd = t.dim()
    if not 0 < sparse_dim <= nd:
        raise ValueError(
            f"to_sparse_coo: sparse_dim must be in [1, {nd}] for a tensor of rank "
            f"{nd}, got {sparse_dim}"
        )
    idx = t.detach().to_sparse(sparse_dim).coalesce()._indices()
    pat = (torch.sparse_coo, (idx,), tuple(t.shape), True)
    return from_values(gather_dense(t, pat), pat)


def to_csr_t(t: torch.Tensor) -> torch.Tensor:
    if t.layout == torch.sparse_csr:
        return t
    if t.dim() not in (2, 3):
        raise ValueError(
            f"to_sparse_csr: a SparseCsrTensor is 2-D or 3-D (batched), got shape {list(t.shape)}"
        )
    if t.layout == torch.strided:
        t = to_coo_t(t, t.dim())
    if t.layout == torch.sparse_coo and t._indices().shape[0] != t.dim():
        raise ValueError(
            f"to_sparse_csr: the COO tensor has dense dims (sparse_dim "
            f"{t._indices().shape[0]} of rank {t.dim()}); CSR needs sparse_dim == rank"
        )
    t = coalesce_t(t)
    idx = t._indices()
    shape = tuple(t.shape)
    rows = shape[-2]
    batches = shape[0] if len(shape) == 3 else 1
    row_lin = idx[-2] + (idx[0] * rows if len(shape) == 3 else 0)
    counts = torch.bincount(row_lin, minlength=batches * rows).reshape(batches, rows)
    crows = torch.cat([counts.new_zeros(batches, 1), counts.cumsum(1)], 1)
    cols = idx[-1]
    if len(shape) == 3:
        per = crows[:, -1]
        if not bool((per == per[0]).all()):
            raise NotImplementedError(
                f"to_sparse_csr: batched CSR with different non-zero counts per batch "
                f"({per.tolist()}) is not supported: paddlefish stores CSR as a torch "
                "sparse_csr tensor, whose batches must have equal nnz. Use a COO tensor instead"
            )
        cols = cols.reshape(batches, -1)
    else:
        crows = crows[0]
    pat = (torch.sparse_csr, (crows, cols), shape, None)
    return from_values(values_of(t), pat)

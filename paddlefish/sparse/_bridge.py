"""The sparse representation: torch COO/CSR tensors inside an ordinary ``Tensor``, and the two
autograd bridges that let every sparse op compute on dense *values* (NOTE [sparse values])."""

from __future__ import annotations

import warnings

import torch

from ..eager.tensor import Tensor, wrap

__all__ = [
    "SPARSE_LAYOUTS",
    "check_sparse",
    "coo",
    "csr",
    "csr_rows",
    "from_values",
    "gather_dense",
    "is_sparse_t",
    "pattern",
    "values_of",
]

SPARSE_LAYOUTS = (torch.sparse_coo, torch.sparse_csr)


def is_sparse_t(t: torch.Tensor) -> bool:
    return t.layout in SPARSE_LAYOUTS


def check_sparse(x, op: str, layouts=SPARSE_LAYOUTS) -> torch.Tensor:
    """The torch sparse tensor behind ``x``, or a TypeError naming the op and what it got."""
    t = x._t if isinstance(x, Tensor) else None
    if t is None or t.layout not in layouts:
        what = "a dense Tensor" if t is not None else type(x).__name__
        want = " or ".join(
            {torch.sparse_coo: "SparseCooTensor", torch.sparse_csr: "SparseCsrTensor"}[lay]
            for lay in layouts
        )
        raise TypeError(
            f"paddle.sparse.{op}: x must be a {want}, got {what}; convert it with "
            "x.to_sparse_coo(sparse_dim) or x.to_sparse_csr()"
        )
    return t


def coo(indices: torch.Tensor, values: torch.Tensor, shape, coalesced: bool | None = None):
    return torch.sparse_coo_tensor(
        indices, values, tuple(shape), is_coalesced=coalesced, check_invariants=False
    )


def csr(crows: torch.Tensor, cols: torch.Tensor, values: torch.Tensor, shape):
    with warnings.catch_warnings():
        # torch says once per process that CSR is "beta"; Paddle's sparse API says no such thing
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        return torch.sparse_csr_tensor(crows, cols, values, tuple(shape), check_invariants=False)


def pattern(t: torch.Tensor) -> tuple:
    """What identifies a sparse tensor's stored positions: (layout, index tensors, shape, coalesced)."""
    if t.layout == torch.sparse_coo:
        return (torch.sparse_coo, (t._indices(),), tuple(t.shape), t.is_coalesced())
    return (torch.sparse_csr, (t.crow_indices(), t.col_indices()), tuple(t.shape), None)


def build(pat: tuple, values: torch.Tensor) -> torch.Tensor:
    layout, idx, shape, coalesced = pat
    if layout == torch.sparse_coo:
        return coo(idx[0], values, shape[: idx[0].shape[0]] + tuple(values.shape[1:]), coalesced)
    if len(shape) == 3:
        values = values.reshape(shape[0], -1)
    return csr(idx[0], idx[1], values, shape)


def _raw_values(t: torch.Tensor) -> torch.Tensor:
    if t.layout == torch.sparse_coo:
        return t._values()
    v = t.values()
    return v.reshape(-1) if t.dim() == 3 else v


def csr_rows(crows: torch.Tensor, shape) -> tuple[torch.Tensor, ...]:
    """COO (batch, row) indices of a CSR's entries, in stored order."""
    rows = shape[-2]
    counts = (crows[..., 1:] - crows[..., :-1]).reshape(-1)
    r = torch.arange(rows, device=crows.device).repeat(crows.numel() // (rows + 1))
    row_of = torch.repeat_interleave(r, counts)
    if len(shape) == 2:
        return (row_of,)
    b = torch.repeat_interleave(
        torch.arange(shape[0], device=crows.device), counts.reshape(shape[0], rows).sum(1)
    )
    return b, row_of


def gather_dense(g: torch.Tensor, pat: tuple) -> torch.Tensor:
    """The entries of dense ``g`` at the stored positions of ``pat`` (values' layout)."""
    layout, idx, shape, _ = pat
    if layout == torch.sparse_coo:
        return g[tuple(idx[0])]
    return g[(*csr_rows(idx[0], shape), idx[1].reshape(-1))]


class _ToValues(torch.autograd.Function):
    """sparse -> its stored values; the gradient goes back as a sparse tensor of the same pattern
    (so a leaf's ``.grad`` is sparse, as Paddle's)."""

    @staticmethod
    def forward(ctx, t):
        ctx.pat = pattern(t)
        return _raw_values(t).clone()

    @staticmethod
    def backward(ctx, g):
        return build(ctx.pat, g)


class _FromValues(torch.autograd.Function):
    """values -> a sparse tensor of a given pattern; its gradient (sparse or dense) is read back at
    the stored positions."""

    @staticmethod
    def forward(ctx, values, pat):
        ctx.pat = pat
        return build(pat, values.detach())

    @staticmethod
    def backward(ctx, g):
        if g.layout == torch.sparse_coo or g.layout == torch.sparse_csr:
            if pattern(g)[1][0] is ctx.pat[1][0] or _same_pattern(pattern(g), ctx.pat):
                return _raw_values(g), None
            g = g.to_dense()
        return gather_dense(g, ctx.pat), None


def _same_pattern(a: tuple, b: tuple) -> bool:
    return (
        a[0] == b[0]
        and a[2] == b[2]
        and all(x.shape == y.shape and bool(torch.equal(x, y)) for x, y in zip(a[1], b[1]))
    )


def values_of(t: torch.Tensor) -> torch.Tensor:
    """The stored values of sparse ``t``, differentiable when ``t`` requires a gradient."""
    if t.requires_grad and torch.is_grad_enabled():
        return _ToValues.apply(t)
    return _raw_values(t)


def from_values(values: torch.Tensor, pat: tuple) -> torch.Tensor:
    """A sparse tensor with pattern ``pat`` holding ``values`` (differentiable in ``values``)."""
    if values.requires_grad and torch.is_grad_enabled():
        return _FromValues.apply(values, pat)
    return build(pat, values)


def map_values(x, fn, op: str) -> Tensor:
    """Apply ``fn`` to the stored values of sparse ``x``, keeping its pattern."""
    t = check_sparse(x, op)
    return wrap(from_values(fn(values_of(t)), pattern(t)))

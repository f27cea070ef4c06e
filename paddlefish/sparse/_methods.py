"""The sparse methods of ``paddle.Tensor`` (Paddle 2.6 attaches them to every tensor):
``to_sparse_coo``, ``to_sparse_csr``, ``to_dense``, ``indices``, ``values``, ``crows``, ``cols``,
``nnz``, ``is_sparse``, ``is_sparse_coo``, ``is_sparse_csr``, ``coalesce``; ``is_dense`` becomes
False on a sparse tensor, ``backward()`` of a sparse result seeds ones at its stored values, and
a sparse tensor prints its indices/values as Paddle does. Installed by ``paddlefish.sparse``.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse_coo(2)
>>> x.indices().tolist(), x.values().tolist(), x.nnz()
([[0, 1], [1, 0]], [2.0, 3.0], 2)
>>> x.to_sparse_csr().crows().tolist(), x.to_dense().tolist()
([0, 1, 2], [[0.0, 2.0], [3.0, 0.0]])
"""

from __future__ import annotations

import torch

from ..eager.tensor import Tensor, _format_array, wrap
from ._bridge import check_sparse, is_sparse_t, values_of
from ._convert import coalesce_t, to_coo_t, to_csr_t, to_dense_t

__all__ = ["SPARSE_METHODS", "install"]


def to_sparse_coo(self: Tensor, sparse_dim: int) -> Tensor:
    """COO form: the first ``sparse_dim`` dims are indexed, the rest stay dense in ``values``."""
    return wrap(to_coo_t(self._t, int(sparse_dim)))


def to_sparse_csr(self: Tensor) -> Tensor:
    """CSR form of a 2-D (or 3-D, batched) tensor."""
    return wrap(to_csr_t(self._t))


def to_dense(self: Tensor) -> Tensor:
    """The dense tensor (a dense tensor is returned as it is)."""
    return self if not is_sparse_t(self._t) else wrap(to_dense_t(self._t))


def indices(self: Tensor) -> Tensor:
    """The ``[sparse_dim, nnz]`` indices of a COO tensor."""
    t = check_sparse(self, "Tensor.indices", (torch.sparse_coo,))
    out = wrap(t._indices())
    dt = getattr(self, "_sp_index_dtype", None)
    return out if dt is None else wrap(out._t.to(dt))


def values(self: Tensor) -> Tensor:
    """The stored values (``[nnz, *dense_dims]``); gradients flow back to the sparse tensor."""
    return wrap(values_of(check_sparse(self, "Tensor.values")))


def crows(self: Tensor) -> Tensor:
    """Row offsets of a CSR tensor (batches concatenated, as Paddle)."""
    t = check_sparse(self, "Tensor.crows", (torch.sparse_csr,))
    return wrap(t.crow_indices().reshape(-1))


def cols(self: Tensor) -> Tensor:
    """Column index of every stored value of a CSR tensor (batches concatenated)."""
    t = check_sparse(self, "Tensor.cols", (torch.sparse_csr,))
    return wrap(t.col_indices().reshape(-1))


def nnz(self: Tensor) -> int:
    """Number of stored values."""
    t = check_sparse(self, "Tensor.nnz")
    return int(t._nnz()) if t.layout == torch.sparse_coo else int(t.col_indices().numel())


def is_sparse(self: Tensor) -> bool:
    return is_sparse_t(self._t)


def is_sparse_coo(self: Tensor) -> bool:
    return self._t.layout == torch.sparse_coo


def is_sparse_csr(self: Tensor) -> bool:
    return self._t.layout == torch.sparse_csr


def is_dense(self: Tensor) -> bool:
    """True unless the tensor is sparse (COO or CSR)."""
    return not is_sparse_t(self._t)


def coalesce(self: Tensor) -> Tensor:
    """Sort the COO indices and sum duplicates."""
    return wrap(coalesce_t(check_sparse(self, "Tensor.coalesce", (torch.sparse_coo,))))


_dense_backward = Tensor.backward
_dense_repr = Tensor.__repr__
_dense_numpy = Tensor.numpy


def numpy(self: Tensor):
    """The ndarray of a dense tensor; a sparse one says how to get its parts (Paddle 2.6
    crashes here)."""
    if is_sparse_t(self._t):
        raise TypeError(
            f"Tensor.numpy() of a sparse {'COO' if self.is_sparse_coo() else 'CSR'} tensor of "
            f"shape {self.shape}: call x.to_dense().numpy() for the dense array, or "
            "x.values().numpy() / x.indices().numpy() / x.crows().numpy() for its parts"
        )
    return _dense_numpy(self)


def backward(self: Tensor, grad_tensor=None, retain_graph: bool = False) -> None:
    t = self._t
    if is_sparse_t(t) and grad_tensor is None and t.requires_grad:
        # torch cannot make ones_like a sparse tensor: seed ones at the stored values
        t.backward(_ones_like_sparse(t), retain_graph=retain_graph)
        return
    _dense_backward(self, grad_tensor, retain_graph)


def _ones_like_sparse(t: torch.Tensor) -> torch.Tensor:
    from ._bridge import build, pattern

    with torch.no_grad():
        return build(pattern(t), torch.ones_like(values_of(t.detach())))


def _repr(self: Tensor) -> str:
    t = self._t
    if not is_sparse_t(t):
        return _dense_repr(self)
    head = (
        f"Tensor(shape={self.shape}, dtype=paddle.{self.dtype.name}, place={self.place}, "
        f"stop_gradient={self.stop_gradient}, \n"
    )
    pad = " " * 7
    with torch.no_grad():
        vals = values_of(t.detach())
        if t.layout == torch.sparse_coo:
            parts = [("indices", t._indices())]
        else:
            parts = [("crows", t.crow_indices().reshape(-1)), ("cols", t.col_indices().reshape(-1))]
        parts.append(("values", vals))
    body = ", \n".join(
        f"{pad}{k}={_format_array(v.float().cpu().numpy() if v.dtype == torch.bfloat16 else v.cpu().numpy(), len(pad) + len(k) + 1)}"
        for k, v in parts
    )
    return head + body + ")"


SPARSE_METHODS = {
    "to_sparse_coo": to_sparse_coo,
    "to_sparse_csr": to_sparse_csr,
    "to_dense": to_dense,
    "indices": indices,
    "values": values,
    "crows": crows,
    "cols": cols,
    "nnz": nnz,
    "is_sparse": is_sparse,
    "is_sparse_coo": is_sparse_coo,
    "is_sparse_csr": is_sparse_csr,
    "is_dense": is_dense,
    "coalesce": coalesce,
    "backward": backward,
    "numpy": numpy,
    "__repr__": _repr,
    "__str__": _repr,
}


def install() -> None:
    for name, fn in SPARSE_METHODS.items():
        setattr(Tensor, name, fn)

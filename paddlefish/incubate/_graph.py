"""Paddle 2.6's ``paddle.incubate.graph_*`` operators (deprecated there since 2.4 in favour of
``paddle.geometric``): thin adapters over ``paddlefish/tensor/geometric.py``, plus the k-hop
sampler that ``paddle.geometric`` has no counterpart for.

NOTE [graph_khop_sampler order]: Paddle's CPU kernel samples hop by hop. The next hop's centre
nodes are the *sorted unique* sampled neighbours minus the current hop's centre nodes (not minus
every node seen before, so an input node can come back as a later centre). ``sample_index`` is
the input nodes, then each intermediate hop's centre nodes, then the last hop's unseen
neighbours in order of appearance; a node listed twice maps to its *last* position (Paddle's
hash map overwrites), which is what ``reindex_nodes`` and the edges use.
"""

from __future__ import annotations

import warnings

import torch

from ..eager.tensor import Tensor, wrap
from ..tensor import geometric

__all__ = ["graph_khop_sampler", "graph_reindex", "graph_sample_neighbors", "graph_send_recv"]


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f'API "paddle.incubate.{old}" is deprecated since 2.4.0, and will be removed in future '
        f'versions. Please use "paddle.geometric.{new}" instead.',
        DeprecationWarning,
        stacklevel=3,
    )


def graph_send_recv(x, src_index, dst_index, pool_type="sum", out_size=None, name=None):
    """``paddle.geometric.send_u_recv`` with ``reduce_op=pool_type``.

    >>> import paddlefish as paddle
    >>> x = paddle.to_tensor([[0.0, 2.0], [1.0, 4.0], [2.0, 6.0]])
    >>> out = paddle.incubate.graph_send_recv(x, paddle.to_tensor([0, 1]), paddle.to_tensor([1, 2]))
    >>> out.numpy().tolist()
    [[0.0, 0.0], [0.0, 2.0], [1.0, 4.0]]
    """
    _deprecated("graph_send_recv", "send_u_recv")
    if pool_type not in ("sum", "mean", "max", "min"):
        raise ValueError(
            f"pool_type should be `sum`, `mean`, `max` or `min`, but received {pool_type}"
        )
    return geometric.send_u_recv(x, src_index, dst_index, pool_type, out_size)


def graph_sample_neighbors(
    row,
    colptr,
    input_nodes,
    eids=None,
    perm_buffer=None,
    sample_size=-1,
    return_eids=False,
    flag_perm_buffer=False,
    name=None,
):
    """``paddle.geometric.sample_neighbors`` under its 2.3 name and argument order.

    >>> import paddlefish as paddle
    >>> row, colptr = paddle.to_tensor([1, 2, 0, 2, 0, 1]), paddle.to_tensor([0, 2, 4, 6])
    >>> nb, cnt = paddle.incubate.graph_sample_neighbors(row, colptr, paddle.to_tensor([0]), sample_size=5)
    >>> nb.numpy().tolist(), cnt.numpy().tolist()
    ([1, 2], [2])
    """
    _deprecated("graph_sample_neighbors", "sample_neighbors")
    if return_eids and eids is None:
        raise ValueError("`eids` should not be None if `return_eids` is True.")
    if flag_perm_buffer and perm_buffer is None:
        raise ValueError("`perm_buffer` should not be None if `flag_perm_buffer`is True.")
    return geometric.sample_neighbors(
        row, colptr, input_nodes, sample_size, eids, return_eids, perm_buffer
    )


def graph_reindex(
    x,
    neighbors,
    count,
    value_buffer=None,
    index_buffer=None,
    flag_buffer_hashtable=False,
    name=None,
):
    """``paddle.geometric.reindex_graph`` under its 2.3 name.

    >>> import paddlefish as paddle
    >>> src, dst, nodes = paddle.incubate.graph_reindex(
    ...     paddle.to_tensor([0, 1]), paddle.to_tensor([8, 9, 0, 8]),
    ...     paddle.to_tensor([2, 2], dtype="int32"))
    >>> src.numpy().tolist(), dst.numpy().tolist(), nodes.numpy().tolist()
    ([2, 3, 0, 2], [0, 0, 1, 1], [0, 1, 8, 9])
    """
    _deprecated("graph_reindex", "reindex_graph")
    if flag_buffer_hashtable and (value_buffer is None or index_buffer is None):
        raise ValueError(
            "`value_buffer` and `index_buffer` should not be None if `flag_buffer_hashtable` "
            "is True."
        )
    return geometric.reindex_graph(x, neighbors, count, value_buffer, index_buffer)


def graph_khop_sampler(
    row, colptr, input_nodes, sample_sizes, sorted_eids=None, return_eids=False, name=None
):
    """Sample ``len(sample_sizes)`` hops of in-neighbours of ``input_nodes`` in a CSC graph
    and renumber the subgraph (see NOTE [graph_khop_sampler order]).

    Returns ``(edge_src [E, 1], edge_dst [E, 1], sample_index, reindex_nodes[, edge_eids [E]])``.

    >>> import paddlefish as paddle
    >>> row, colptr = paddle.to_tensor([1, 2, 0, 2, 0, 1]), paddle.to_tensor([0, 2, 4, 6])
    >>> src, dst, idx, rx = paddle.incubate.graph_khop_sampler(row, colptr, paddle.to_tensor([0, 1]), [2])
    >>> src.numpy().ravel().tolist(), dst.numpy().ravel().tolist(), idx.numpy().tolist()
    ([1, 2, 0, 2], [0, 0, 1, 1], [0, 1, 2])
    """
    if return_eids and sorted_eids is None:
        raise ValueError("`sorted_eid` should not be None if return_eids is True.")
    for arg, t in (("row", row), ("colptr", colptr), ("input_nodes", input_nodes)):
        if not isinstance(t, Tensor) or t._t.dtype not in (torch.int32, torch.int64):
            raise TypeError(f"graph_khop_sampler: {arg} must be an int32 or int64 Tensor")
    dtype = row._t.dtype
    centres = input_nodes._t.tolist()
    index = list(centres)
    srcs, dsts, eids = [], [], []
    for hop, size in enumerate(sample_sizes):
        got = geometric.sample_neighbors(
            row, colptr, wrap(torch.tensor(centres, dtype=dtype)), size, sorted_eids, return_eids
        )
        nbrs, counts = got[0]._t.tolist(), got[1]._t.tolist()
        srcs += nbrs
        dsts += [c for c, n in zip(centres, counts) for _ in range(n)]
        if return_eids:
            eids += got[2]._t.tolist()
        if hop < len(sample_sizes) - 1:
            current = set(centres)
            centres = sorted(v for v in set(nbrs) if v not in current)
            index += centres
    position = {v: i for i, v in enumerate(index)}  # later duplicates win, as Paddle's map
    for v in srcs:
        if v not in position:
            position[v] = len(index)
            index.append(v)

    def column(values):
        return wrap(torch.tensor([position[v] for v in values], dtype=dtype).reshape([-1, 1]))

    out = [
        column(srcs),
        column(dsts),
        wrap(torch.tensor(index, dtype=dtype)),
        wrap(torch.tensor([position[v] for v in input_nodes._t.tolist()], dtype=dtype)),
    ]
    if return_eids:
        out.append(wrap(torch.tensor(eids, dtype=dtype)))
    return tuple(out)

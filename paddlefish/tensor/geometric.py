"""``paddle.geometric``: graph message passing (``send_u_recv``, ``send_ue_recv``, ``send_uv``),
segment reductions, neighbour sampling on CSC graphs and re-indexing, with Paddle 2.6's
semantics on torch (eager, autograd through the float values).

NOTE [graph reductions]: a destination (or segment) that receives nothing is 0 for every
reduction, including max and min; "mean" divides by the number received. Message ops ``sub``
and ``div`` are, as in Paddle, ``add`` of ``-y`` and ``mul`` by ``1 / (y + 1e-12)``; ``x`` and
``y`` of different ranks broadcast after Paddle's ``reshape_lhs_rhs`` (1-D becomes [N, 1],
then ones are inserted after the first dimension of the lower-rank one). Max/min gradients go to
every input equal to the result (ties share nothing: each gets the full gradient), as Paddle's
grad kernels compare with the output.

>>> import paddlefish as paddle
>>> x = paddle.to_tensor([[0.0, 2.0], [1.0, 4.0], [2.0, 6.0]])
>>> src, dst = paddle.to_tensor([0, 1, 2, 0]), paddle.to_tensor([1, 2, 1, 0])
>>> paddle.geometric.send_u_recv(x, src, dst, reduce_op="sum").tolist()
[[0.0, 2.0], [2.0, 8.0], [1.0, 4.0]]
>>> paddle.geometric.segment_max(x, paddle.to_tensor([0, 0, 1])).tolist()
[[1.0, 4.0], [2.0, 6.0]]
"""

from __future__ import annotations

import torch

from ..eager.tensor import wrap
from .math import _eager

__all__ = [
    "reindex_graph",
    "reindex_heter_graph",
    "sample_neighbors",
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_sum",
    "send_u_recv",
    "send_ue_recv",
    "send_uv",
    "weighted_sample_neighbors",
]

_REDUCE = ("sum", "mean", "max", "min")
_MESSAGE = ("add", "sub", "mul", "div")


class _MaxMin(torch.autograd.Function):
    """Scatter max/min into ``rows`` rows; empty rows 0; gradient to every input equal to the
    result of its row (Paddle's grad kernels)."""

    @staticmethod
    def forward(ctx, src, index, rows, reduce):
        shape = (rows, *src.shape[1:])
        idx = index.view(-1, *([1] * (src.dim() - 1))).expand_as(src)
        out = torch.zeros(shape, dtype=src.dtype).scatter_reduce(
            0, idx, src, "amax" if reduce == "max" else "amin", include_self=False
        )
        ctx.save_for_backward(src, idx, out)
        return out

    @staticmethod
    def backward(ctx, g):
        src, idx, out = ctx.saved_tensors
        hit = (torch.gather(out, 0, idx) == src).to(g.dtype)
        return torch.gather(g, 0, idx) * hit, None, None, None


def _check_index(name, t, n):
    if t.dtype not in (torch.int32, torch.int64):
        raise TypeError(f"{name} must be int32 or int64, got {str(t.dtype).replace('torch.', '')}")
    if t.dim() != 1:
        raise ValueError(f"{name} must be 1-D, got shape {list(t.shape)}")
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= n):
        raise ValueError(f"{name} holds {int(t.max())} but must index fewer than {n} rows")


def _same_dtype(src, dst):
    if src.dtype != dst.dtype:
        raise TypeError(
            f"src_index and dst_index must have one dtype (Paddle's kernel reads both as the "
            f"same type), got {str(src.dtype).replace('torch.', '')} and "
            f"{str(dst.dtype).replace('torch.', '')}"
        )


def _out_rows(out_size, default: int) -> int:
    if out_size is None:
        return default
    if hasattr(out_size, "numpy"):
        out_size = int(out_size.numpy().reshape(-1)[0])
    out_size = int(out_size)
    return out_size if out_size > 0 else default


def _reduce(msg, dst, rows, reduce_op):
    if reduce_op in ("max", "min"):
        return _MaxMin.apply(msg, dst.long(), rows, reduce_op)
    idx = dst.long()
    out = torch.zeros((rows, *msg.shape[1:]), dtype=msg.dtype).index_add(0, idx, msg)
    if reduce_op == "mean":
        count = torch.zeros(rows, dtype=msg.dtype).index_add(
            0, idx, torch.ones_like(idx, dtype=msg.dtype)
        )
        out = out / count.clamp(min=1).view(-1, *([1] * (msg.dim() - 1)))
    return out


def _lhs_rhs(x, y):
    if x.dim() == 1:
        x = x.reshape(-1, 1)
    if y.dim() == 1:
        y = y.reshape(-1, 1)
    if x.dim() != y.dim():
        nd = max(x.dim(), y.dim())
        x = x.reshape(x.shape[0], *([1] * (nd - x.dim())), *x.shape[1:])
        y = y.reshape(y.shape[0], *([1] * (nd - y.dim())), *y.shape[1:])
    return x, y


def _message(a, b, message_op):
    if message_op == "sub":
        return a + (-b)
    if message_op == "div":
        return a * (1.0 / (b + 1e-12))
    return a + b if message_op == "add" else a * b


def send_u_recv(x, src_index, dst_index, reduce_op="sum", out_size=None, name=None):
    """Send ``x[src_index]`` along each edge and reduce at ``dst_index`` (NOTE [graph
    reductions]); ``out_size`` rows (default ``x.shape[0]``)."""
    if reduce_op not in _REDUCE:
        raise ValueError(
            f"reduce_op should be `sum`, `mean`, `max` or `min`, but received {reduce_op}"
        )
    t, src, dst = _eager("send_u_recv", x, src_index, dst_index)
    _same_dtype(src, dst)
    _check_index("src_index", src, t.shape[0])
    rows = _out_rows(out_size, t.shape[0])
    _check_index("dst_index", dst, rows)
    if src.shape != dst.shape:
        raise ValueError(
            f"src_index and dst_index must have one length, got {list(src.shape)} and {list(dst.shape)}"
        )
    return wrap(_reduce(t[src.long()], dst, rows, reduce_op))


def send_ue_recv(
    x, y, src_index, dst_index, message_op="add", reduce_op="sum", out_size=None, name=None
):
    """Combine ``x[src_index]`` with the edge features ``y`` by ``message_op`` and reduce at
    ``dst_index`` (NOTE [graph reductions])."""
    if message_op not in _MESSAGE:
        raise ValueError(
            f"message_op should be `add`, `sub`, `mul`, `div`, but received {message_op}"
        )
    if reduce_op not in _REDUCE:
        raise ValueError(
            f"reduce_op should be `sum`, `mean`, `max` or `min`, but received {reduce_op}"
        )
    t, e, src, dst = _eager("send_ue_recv", x, y, src_index, dst_index)
    _same_dtype(src, dst)
    _check_index("src_index", src, t.shape[0])
    rows = _out_rows(out_size, t.shape[0])
    _check_index("dst_index", dst, rows)
    t, e = _lhs_rhs(t, e)
    if e.shape[0] != src.shape[0]:
        raise ValueError(f"y must hold one row per edge ({src.shape[0]}), got {e.shape[0]}")
    msg = _message(t[src.long()], e, message_op)
    return wrap(_reduce(msg, dst, rows, reduce_op))


def send_uv(x, y, src_index, dst_index, message_op="add", name=None):
    """Per edge, ``x[src_index] (message_op) y[dst_index]``."""
    if message_op not in _MESSAGE:
        raise ValueError(
            f"message_op should be `add`, `sub`, `mul`, `div`, but received {message_op}"
        )
    t, u, src, dst = _eager("send_uv", x, y, src_index, dst_index)
    _same_dtype(src, dst)
    _check_index("src_index", src, t.shape[0])
    _check_index("dst_index", dst, u.shape[0])
    t, u = _lhs_rhs(t, u)
    return wrap(_message(t[src.long()], u[dst.long()], message_op))


def _segment(data, segment_ids, pool):
    t, ids = _eager("segment_" + pool, data, segment_ids)
    if ids.dim() != 1 or ids.shape[0] != t.shape[0]:
        raise ValueError(
            f"segment_ids must be 1-D with one id per row of data ({t.shape[0]}), got shape "
            f"{list(ids.shape)}"
        )
    if ids.numel() and bool((ids[1:] < ids[:-1]).any()):
        raise ValueError("segment_ids must be sorted in ascending order")
    rows = int(ids.max()) + 1 if ids.numel() else 0
    return wrap(_reduce(t, ids, rows, pool))


def segment_sum(data, segment_ids, name=None):
    """Sum of the rows of ``data`` with equal (sorted) ``segment_ids``."""
    return _segment(data, segment_ids, "sum")


def segment_mean(data, segment_ids, name=None):
    """Mean of the rows of ``data`` with equal (sorted) ``segment_ids``."""
    return _segment(data, segment_ids, "mean")


def segment_max(data, segment_ids, name=None):
    """Max of the rows of ``data`` with equal (sorted) ``segment_ids``."""
    return _segment(data, segment_ids, "max")


def segment_min(data, segment_ids, name=None):
    """Min of the rows of ``data`` with equal (sorted) ``segment_ids``."""
    return _segment(data, segment_ids, "min")


def reindex_graph(x, neighbors, count, value_buffer=None, index_buffer=None, name=None):
    """Renumber a sampled subgraph: ``x`` (the centre nodes) keep ids ``0..len(x)-1``, new
    neighbours get the next ids in order of first appearance; returns ``(reindex_src,
    reindex_dst, out_nodes)`` (neighbour -> centre edges)."""
    nodes, nb, cnt = _eager("reindex_graph", x, neighbors, count)
    if int(cnt.sum()) != nb.shape[0]:
        raise ValueError(
            f"reindex_graph: count sums to {int(cnt.sum())} but there are {nb.shape[0]} neighbors"
        )
    ids: dict[int, int] = {}
    for v in nodes.tolist():
        ids.setdefault(v, len(ids))
    src = []
    for v in nb.tolist():
        src.append(ids.setdefault(v, len(ids)))
    dst = torch.repeat_interleave(torch.arange(nodes.shape[0]), cnt.long())
    out_nodes = torch.tensor(list(ids), dtype=nodes.dtype)
    return (wrap(torch.tensor(src, dtype=nodes.dtype)), wrap(dst.to(nodes.dtype)), wrap(out_nodes))


def reindex_heter_graph(x, neighbors, count, value_buffer=None, index_buffer=None, name=None):
    """``reindex_graph`` over several edge types' neighbours (lists), concatenated."""
    nb = [_eager("reindex_heter_graph", n)[0] for n in neighbors]
    cn = [_eager("reindex_heter_graph", c)[0] for c in count]
    (nodes,) = _eager("reindex_heter_graph", x)
    all_nb, all_cnt = torch.cat(nb), torch.cat(cn)
    ids: dict[int, int] = {}
    for v in nodes.tolist():
        ids.setdefault(v, len(ids))
    src = [ids.setdefault(v, len(ids)) for v in all_nb.tolist()]
    n = nodes.shape[0]
    dst = torch.cat([torch.repeat_interleave(torch.arange(n), c.long()) for c in cn])
    del all_cnt
    out_nodes = torch.tensor(list(ids), dtype=nodes.dtype)
    return (wrap(torch.tensor(src, dtype=nodes.dtype)), wrap(dst.to(nodes.dtype)), wrap(out_nodes))


def _sample(row, colptr, input_nodes, sample_size, eids, return_eids, weights=None):
    if return_eids and eids is None:
        raise ValueError("`eids` should not be None if `return_eids` is True.")
    r, cp, nodes = _eager("sample_neighbors", row, colptr, input_nodes)
    e = _eager("sample_neighbors", eids)[0] if eids is not None else None
    w = _eager("sample_neighbors", weights)[0] if weights is not None else None
    out, counts, out_e = [], [], []
    for v in nodes.tolist():
        lo, hi = int(cp[v]), int(cp[v + 1])
        deg = hi - lo
        if sample_size < 0 or deg <= sample_size:
            pick = torch.arange(lo, hi)
        elif w is None:
            pick = lo + torch.randperm(deg)[:sample_size]
        else:
            pick = lo + torch.multinomial(w[lo:hi].double(), sample_size, replacement=False)
        out.append(r[pick])
        counts.append(len(pick))
        if e is not None:
            out_e.append(e[pick])
    res = [
        wrap(torch.cat(out) if out else torch.zeros(0, dtype=r.dtype)),
        wrap(torch.tensor(counts, dtype=torch.int32)),
    ]
    if return_eids:
        res.append(wrap(torch.cat(out_e) if out_e else torch.zeros(0, dtype=e.dtype)))
    return tuple(res)


def sample_neighbors(
    row,
    colptr,
    input_nodes,
    sample_size=-1,
    eids=None,
    return_eids=False,
    perm_buffer=None,
    name=None,
):
    """Neighbours of ``input_nodes`` in a CSC graph (``row``, ``colptr``): all of them
    (``sample_size=-1`` or degree <= sample_size, in stored order) or ``sample_size`` drawn
    without replacement; returns ``(neighbors, count (int32)[, eids])``. (Paddle 2.6 and 3.3
    abort on CPU with ``sample_size=-1``; paddlefish returns every neighbour.)"""
    return _sample(row, colptr, input_nodes, sample_size, eids, return_eids)


def weighted_sample_neighbors(
    row, colptr, edge_weight, input_nodes, sample_size=-1, eids=None, return_eids=False, name=None
):
    """``sample_neighbors`` drawing in proportion to ``edge_weight``."""
    return _sample(row, colptr, input_nodes, sample_size, eids, return_eids, edge_weight)

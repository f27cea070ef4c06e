"""``paddle.geometric`` against real Paddle 2.6 and 3.3: message passing with every reduce and
message op (values and gradients), segment reductions, reindexing and full-neighbourhood
sampling; random sampling is checked for shape and membership (NOTE [graph reductions])."""

from __future__ import annotations

import pytest

from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    G = paddle.geometric
    out = {}
    rng = np.random.default_rng(11)
    xv = rng.standard_normal((5, 3)).astype("float32")
    ev = rng.standard_normal((7, 3)).astype("float32")
    src = paddle.to_tensor(np.array([0, 1, 2, 0, 4, 4, 1], "int64"))
    dst = paddle.to_tensor(np.array([1, 2, 1, 0, 3, 3, 2], "int64"))  # node 4 receives nothing

    def leaf(a):
        t = paddle.to_tensor(a)
        t.stop_gradient = False
        return t

    for red in ("sum", "mean", "max", "min"):
        x = leaf(xv)
        y = G.send_u_recv(x, src, dst, reduce_op=red)
        (y * paddle.to_tensor(np.arange(15, dtype="float32").reshape(5, 3))).sum().backward()
        out[f"u_recv_{red}"], out[f"u_recv_{red}.grad"] = y.numpy(), x.grad.numpy()
        out[f"u_recv_{red}_size7"] = G.send_u_recv(paddle.to_tensor(xv), src, dst, red, out_size=7).numpy()
        for msg in ("add", "sub", "mul", "div"):
            x, e = leaf(xv), leaf(ev)
            y = G.send_ue_recv(x, e, src, dst, message_op=msg, reduce_op=red)
            y.sum().backward()
            out[f"ue_{msg}_{red}"] = y.numpy()
            out[f"ue_{msg}_{red}.gx"], out[f"ue_{msg}_{red}.ge"] = x.grad.numpy(), e.grad.numpy()
    s32, d32 = paddle.cast(src, "int32"), paddle.cast(dst, "int32")
    out["u_recv_int32_index"] = G.send_u_recv(paddle.to_tensor(xv), s32, d32, "mean").numpy()
    # y of lower rank broadcasts (reshape_lhs_rhs)
    out["ue_bcast"] = G.send_ue_recv(paddle.to_tensor(xv), paddle.to_tensor(ev[:, 0]), src, dst, "mul", "sum").numpy()
    out["ue_int"] = G.send_ue_recv(paddle.to_tensor(np.arange(10).reshape(5, 2)), paddle.to_tensor(np.arange(7)), src, dst, "add", "max").numpy()
    for msg in ("add", "sub", "mul", "div"):
        x, yy = leaf(xv), leaf(xv[::-1].copy())
        r = G.send_uv(x, yy, src, dst, message_op=msg)
        r.sum().backward()
        out[f"uv_{msg}"], out[f"uv_{msg}.gx"], out[f"uv_{msg}.gy"] = r.numpy(), x.grad.numpy(), yy.grad.numpy()
    seg = paddle.to_tensor(np.array([0, 0, 1, 3, 3], "int64"))  # segment 2 is empty
    for red in ("sum", "mean", "max", "min"):
        x = leaf(xv)
        r = getattr(G, "segment_" + red)(x, seg)
        r.sum().backward()
        out[f"seg_{red}"], out[f"seg_{red}.grad"] = r.numpy(), x.grad.numpy()
    out["seg_int"] = G.segment_max(paddle.to_tensor(np.arange(5, dtype="int32")), seg).numpy()
    # reindex: centres [0, 5, 9], their sampled neighbours
    nodes = paddle.to_tensor(np.array([0, 5, 9], "int64"))
    nb = paddle.to_tensor(np.array([8, 9, 0, 4, 7, 6, 7], "int64"))
    cnt = paddle.to_tensor(np.array([2, 3, 2], "int32"))
    for i, t in enumerate(G.reindex_graph(nodes, nb, cnt)):
        out[f"reindex#{i}"] = t.numpy()
    nb2 = paddle.to_tensor(np.array([0, 2, 3, 5, 1], "int64"))
    cnt2 = paddle.to_tensor(np.array([1, 3, 1], "int32"))
    for i, t in enumerate(G.reindex_heter_graph(nodes, [nb, nb2], [cnt, cnt2])):
        out[f"reindex_heter#{i}"] = t.numpy()
    # CSC graph: column v's neighbours are row[colptr[v]:colptr[v+1]]
    row = paddle.to_tensor(np.array([3, 7, 0, 9, 1, 4, 2, 9, 3, 9, 1, 9, 7], "int64"))
    colptr = paddle.to_tensor(np.array([0, 2, 4, 5, 6, 7, 9, 11, 11, 13, 13], "int64"))
    eids = paddle.to_tensor(np.arange(13, dtype="int64") + 100)
    inp = paddle.to_tensor(np.array([0, 8, 1, 2, 7], "int64"))
    # sample_size >= every degree: all neighbours in stored order (Paddle's CPU kernel aborts
    # with the default sample_size=-1, paddlefish returns the same as this)
    for i, t in enumerate(G.sample_neighbors(row, colptr, inp, sample_size=5, eids=eids, return_eids=True)):
        out[f"sample_all#{i}"] = t.numpy()
    w = paddle.to_tensor(np.linspace(0.5, 2.0, 13).astype("float32"))
    for i, t in enumerate(G.weighted_sample_neighbors(row, colptr, w, inp, sample_size=5)):
        out[f"wsample_all#{i}"] = t.numpy()
    nbs, counts = G.sample_neighbors(row, colptr, inp, sample_size=1)
    out["sample1.counts"] = counts.numpy()
    out["sample1.member"] = np.array([
        int(v) in set(row.numpy()[colptr.numpy()[n]:colptr.numpy()[n + 1]].tolist())
        for v, n in zip(nbs.numpy(), np.repeat(inp.numpy(), counts.numpy()))
    ])
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_geometric_matches_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, f"{len(bad)} differences from Paddle {version}:\n" + "\n".join(bad)

"""Collectives, p2p and Partial placements, run on every rank of a shared pool."""

from __future__ import annotations

import numpy as np

import paddlefish as paddle
import paddlefish.distributed as dist


def _t(a, dtype="float32"):
    return paddle.to_tensor(np.asarray(a, dtype=dtype))


def collectives() -> dict:
    r, n = dist.get_rank(), dist.get_world_size()
    res: dict = {}
    # alltoall, Paddle 2.6 order (in, out) and 3.x order (out=[] first)
    ins = [_t([10 * r + i, -(10 * r + i)]) for i in range(n)]
    out: list = []
    dist.alltoall(ins, out)
    res["alltoall"] = [o.numpy().tolist() for o in out]
    out3: list = []
    dist.alltoall(out3, ins)
    res["alltoall_3x"] = [o.numpy().tolist() for o in out3]
    task = dist.alltoall(ins, [paddle.zeros([2]) for _ in range(n)], sync_op=False)
    task.wait()
    # alltoall_single: even, then uneven splits (rank r sends i+1 rows to rank i)
    src = _t(np.arange(n * 2) + 100 * r)
    dst = paddle.zeros([n * 2])
    dist.alltoall_single(src, dst)
    res["alltoall_single"] = dst.numpy().tolist()
    in_splits = [i + 1 for i in range(n)]
    src = _t(np.full(sum(in_splits), r))
    dst = paddle.zeros([n * (r + 1)])
    dist.alltoall_single(src, dst, in_splits, [r + 1] * n)
    res["alltoall_single_uneven"] = dst.numpy().tolist()
    # reduce_scatter: SUM, MAX, AVG
    for name, op in [("sum", dist.ReduceOp.SUM), ("max", dist.ReduceOp.MAX)]:
        t = paddle.zeros([2])
        dist.reduce_scatter(t, [_t([r * i, r + i]) for i in range(n)], op=op)
        res["reduce_scatter_" + name] = t.numpy().tolist()
    t = paddle.zeros([2])
    dist.reduce_scatter(t, [_t([r * i, r + i]) for i in range(n)], op=dist.ReduceOp.AVG)
    res["reduce_scatter_avg"] = t.numpy().tolist()
    # gather to rank 1 (an empty list there; None elsewhere)
    gl: list | None = [] if r == 1 else None
    dist.gather(_t([r, r * r], "int64"), gl, dst=1)
    res["gather"] = [g.numpy().tolist() for g in gl] if gl is not None else None
    # p2p: a ring with send/recv, then isend/irecv the other way
    nxt, prv = (r + 1) % n, (r - 1) % n
    got = paddle.zeros([3])
    if r % 2 == 0:
        dist.send(_t([r, r, r]), dst=nxt)
        dist.recv(got, src=prv)
    else:
        dist.recv(got, src=prv)
        dist.send(_t([r, r, r]), dst=nxt)
    res["ring"] = got.numpy().tolist()
    back = paddle.zeros([2], dtype="int64")
    tasks = [dist.isend(_t([r, 7], "int64"), dst=prv), dist.irecv(back, src=nxt)]
    for task in tasks:
        task.wait()
    res["ring_async"] = back.numpy().tolist()
    # all_gather_object edge cases
    objs: list = ["already here"]
    dist.all_gather_object(objs, None if r == 0 else {"r": r, "big": "x" * (1000 * r)})
    res["ago_sizes"] = [
        o if o is None or isinstance(o, str) else [o["r"], len(o["big"])] for o in objs
    ]
    with_tensor: list = []
    dist.all_gather_object(with_tensor, {"t": paddle.to_tensor([float(r)])})
    res["ago_tensor"] = [o["t"].numpy().tolist() for o in with_tensor]
    sub = dist.new_group([0, 1])
    in_sub: list = []
    dist.all_gather_object(in_sub, r, group=sub)
    res["ago_sub"] = in_sub
    got_obj: list = ["stale"]
    dist.scatter_object_list(got_obj, [{"to": i} for i in range(n)] if r == 2 else None, src=2)
    res["scatter_object"] = got_obj
    a, b = paddle.zeros([2]), paddle.zeros([2])
    ops = [
        dist.P2POp(dist.isend, _t([r, 1]), nxt),
        dist.P2POp(dist.isend, _t([r, 2]), prv),
        dist.P2POp(dist.irecv, a, prv),
        dist.P2POp(dist.irecv, b, nxt),
    ]
    for task in dist.batch_isend_irecv(ops):
        task.wait()
    res["batch_p2p"] = [a.numpy().tolist(), b.numpy().tolist()]
    dist.barrier()
    return res


def partial(ck: str) -> dict:
    """Partial -> Replicate sums each rank's addend; on a 2-d mesh the sum runs over the
    partial axis only; shard_tensor's Partial keeps the value (zeros off the first rank)."""
    r, n = dist.get_rank(), dist.get_world_size()
    mesh = dist.ProcessMesh(list(range(n)), dim_names=["x"])
    x = np.arange(6, dtype="float32").reshape(2, 3)
    p = dist.shard_tensor(paddle.to_tensor(x), mesh, [dist.Partial()])
    res = {"shard_local": p._local_value().numpy().tolist()}
    res["shard_back"] = dist.reshard(p, mesh, [dist.Replicate()]).numpy().tolist()
    p._t.copy_(paddle.to_tensor(x * (r + 1))._t)  # rank r's addend: (r + 1) * x
    res["sum"] = dist.reshard(p, mesh, [dist.Replicate()]).numpy().tolist()
    s = dist.reshard(p, mesh, [dist.Shard(1)])
    res["sum_shard"] = [s.global_offset, s._local_value().numpy().tolist()]
    avg = dist.shard_tensor(paddle.to_tensor(x), mesh, [dist.Partial(dist.ReduceType.kRedAvg)])
    avg._t.copy_(paddle.to_tensor(x * (r + 1))._t)
    res["avg"] = dist.reshard(avg, mesh, [dist.Replicate()]).numpy().tolist()
    mesh2 = dist.ProcessMesh([[0, 1], [2, 3]], dim_names=["dp", "mp"])
    q = dist.shard_tensor(
        paddle.to_tensor(np.zeros((4, 3), "float32")), mesh2, [dist.Shard(0), dist.Partial()]
    )
    q._t.copy_(paddle.to_tensor(np.full((2, 3), r, "float32"))._t)
    res["mesh2"] = dist.reshard(q, mesh2, [dist.Replicate(), dist.Replicate()]).numpy().tolist()
    res["unshard"] = dist.unshard_dtensor(q).numpy().tolist()
    dist.save_state_dict({"p": p, "q": q}, ck)  # pending sums are stored reduced
    return res

"""Distributed checkpoints cross between 2-process paddlefish and 2-process real Paddle 3.3
(``python -m paddle.distributed.launch`` on its CPU build, gloo), with different shardings."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist
from tests.oracle import run_paddle

from . import _dcp_workers

# Each Paddle rank loads paddlefish's checkpoint and writes what it got, then saves its own
# checkpoint with w as Shard(1). Paddle's load_state_dict takes flat keys only ("opt.m" for
# paddlefish's nested {"opt": {"m": ...}}). Paddle 3.3's CPU build cannot load a slice that
# another rank's file holds (flex_checkpoint/dcp/reshard_comm.py moves it with .cuda(): "No
# available device found"), so its load here keeps paddlefish's layout (Shard(0)) and skips the
# replicated tensors (stored once, in one rank's file); paddlefish loads everything of Paddle's.
PADDLE_JOB = """
import json, sys
import numpy as np
import paddle
import paddle.distributed as dist
dist.init_parallel_env()
r = dist.get_rank()
mesh = dist.ProcessMesh([0, 1], dim_names=["x"])
def st(a, p):
    return dist.shard_tensor(paddle.to_tensor(a), mesh, [p])
full = {
    "w": np.arange(60, dtype="float32").reshape(10, 6),
    "b": np.arange(7, dtype="float32") * 0.5,
    "opt.m": np.arange(30, dtype="float32").reshape(5, 6) - 9.0,
    "opt.step": np.array([3, 4, 5], dtype="int64"),
}
place = {"w": dist.Shard(1), "b": dist.Replicate(), "opt.m": dist.Shard(0),
         "opt.step": dist.Replicate()}
load_place = {"w": dist.Shard(0), "opt.m": dist.Shard(0)}
z = {k: st(np.zeros_like(full[k]), p) for k, p in load_place.items()}
dist.load_state_dict(z, "pf_ck")
got = {k: v._local_value().numpy().tolist() for k, v in z.items()}
with open(f"pd_rank{r}.json", "w") as f:
    json.dump(got, f)
mine = {k: st(a * 2, place[k]) for k, a in full.items()}
dist.save_state_dict({"w": mine["w"], "b": mine["b"],
                      "opt": {"m": mine["opt.m"], "step": mine["opt.step"]}}, "pd_ck")
"""

LAUNCH = """
import subprocess, sys
r = subprocess.run([sys.executable, "-m", "paddle.distributed.launch", "--nproc_per_node", "2",
                    "--log_dir", "pdlog", "pd_job.py"], capture_output=True, text=True,
                   timeout=400)
if r.returncode != 0:
    logs = "".join(open(f"pdlog/workerlog.{i}").read()[-3000:] for i in (0, 1))
    sys.exit(f"paddle launch failed ({r.returncode}):\\n{r.stdout[-2000:]}\\n{logs}")
print("OK")
"""


@pytest.mark.oracle
def test_two_process_checkpoints_cross_with_paddle_33(tmp_path, pools):
    want = _dcp_workers.full_values()
    pool = pools(2)
    (tmp_path / "s").mkdir()
    pool.run(_dcp_workers.save, str(tmp_path / "s"), str(tmp_path / "pf_ck"), 0)
    (tmp_path / "pd_job.py").write_text(PADDLE_JOB)
    assert run_paddle(LAUNCH, "3.3", cwd=tmp_path).strip().endswith("OK")

    # real Paddle, 2 ranks: each rank got its rows of paddlefish's 2-rank checkpoint
    for r in (0, 1):
        got = json.loads((tmp_path / f"pd_rank{r}.json").read_text())
        np.testing.assert_array_equal(got["w"], want["w"][5 * r : 5 * r + 5])
        np.testing.assert_array_equal(
            got["opt.m"], want["opt.m"][[0, 1, 2], :] if r == 0 else want["opt.m"][[3, 4], :]
        )

    # paddlefish, 2 ranks, w as Shard(0), loads Paddle's 2-rank Shard(1) checkpoint
    (tmp_path / "l").mkdir()
    pool.run(_dcp_workers.load, str(tmp_path / "l"), str(tmp_path / "pd_ck"), 0)
    for r in (0, 1):
        got = json.loads((tmp_path / "l" / f"rank{r}.json").read_text())
        off, vals = got["w"]
        assert off == [5 * r, 0]
        np.testing.assert_array_equal(vals, want["w"][5 * r : 5 * r + 5] * 2)
        np.testing.assert_array_equal(got["b"], want["b"] * 2)
        np.testing.assert_array_equal(got["opt.step"], want["opt.step"] * 2)

    # and one plain process
    sd = {"w": paddle.zeros([10, 6]), "opt": {"m": paddle.zeros([5, 6])}}
    dist.load_state_dict(sd, str(tmp_path / "pd_ck"))
    np.testing.assert_array_equal(sd["w"].numpy(), want["w"] * 2)
    np.testing.assert_array_equal(sd["opt"]["m"].numpy(), want["opt.m"] * 2)

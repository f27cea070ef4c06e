"""Distributed checkpoints cross between paddlefish and real Paddle 3.3 (one process)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import paddlefish as paddle
import paddlefish.distributed as dist
from paddlefish.formats import dist_metadata as dm
from tests.oracle import run_paddle

PADDLE = """
import json, numpy as np, paddle, paddle.distributed as dist
def state(zero):
    f = (lambda a: np.zeros_like(a)) if zero else (lambda a: a)
    return {
        "w": paddle.to_tensor(f(np.arange(12, dtype="float32").reshape(3, 4))),
        "opt": {"m": paddle.to_tensor(f(np.linspace(-1, 1, 5).astype("float32"))),
                "step": paddle.to_tensor(f(np.array([7, 8], dtype="int64")))},
    }
dist.save_state_dict(state(False), "pd_ck")
z = state(True)
# Paddle 3.3's load_state_dict refuses nested dicts (its check_resumable_locally): flat keys
sd = {"w": z["w"], "opt.m": z["opt"]["m"], "opt.step": z["opt"]["step"]}
dist.load_state_dict(sd, "pf_ck")
print(json.dumps({"w": sd["w"].numpy().tolist(), "m": sd["opt.m"].numpy().tolist(),
                  "step": sd["opt.step"].numpy().tolist(),
                  "step_dtype": str(sd["opt.step"].dtype)}))
"""


def _state(zero: bool) -> dict:
    f = (lambda a: np.zeros_like(a)) if zero else (lambda a: a)
    return {
        "w": paddle.to_tensor(f(np.arange(12, dtype="float32").reshape(3, 4))),
        "opt": {
            "m": paddle.to_tensor(f(np.linspace(-1, 1, 5).astype("float32"))),
            "step": paddle.to_tensor(f(np.array([7, 8], dtype="int64"))),
        },
    }


@pytest.mark.oracle
def test_checkpoints_cross_with_paddle_33(tmp_path):
    want = _state(False)
    sd = _state(False)
    mesh = dist.ProcessMesh([0], dim_names=["x"])
    sd["w"] = dist.shard_tensor(sd["w"], mesh, [dist.Shard(1)])  # a one-process dist tensor
    dist.save_state_dict(sd, str(tmp_path / "pf_ck"))
    got = json.loads(run_paddle(PADDLE, "3.3", cwd=tmp_path).strip().splitlines()[-1])
    # real Paddle read paddlefish's checkpoint
    np.testing.assert_array_equal(got["w"], want["w"].numpy())
    np.testing.assert_array_equal(got["m"], want["opt"]["m"].numpy())
    assert got["step"] == [7, 8] and got["step_dtype"] == "paddle.int64"
    # paddlefish reads real Paddle's checkpoint
    back = _state(True)
    dist.load_state_dict(back, str(tmp_path / "pd_ck"))
    for k in ("w",):
        np.testing.assert_array_equal(back[k].numpy(), want[k].numpy())
    np.testing.assert_array_equal(back["opt"]["m"].numpy(), want["opt"]["m"].numpy())
    np.testing.assert_array_equal(back["opt"]["step"].numpy(), [7, 8])
    # same state dict -> the same metadata; re-writing Paddle's gives its exact bytes
    theirs = dm.load_dist_metadata(tmp_path / "pd_ck" / "0.metadata")
    assert dm.load_dist_metadata(tmp_path / "pf_ck" / "0.metadata") == theirs
    buf = io.BytesIO()
    dm.write_dist_metadata(theirs, buf)
    assert buf.getvalue() == (tmp_path / "pd_ck" / "0.metadata").read_bytes()
    assert dm.load_dist_metadata(tmp_path / "pd_ck" / "0.metadata").flat_mapping == {
        "w": ("w",),
        "opt.m": ("opt", "m"),
        "opt.step": ("opt", "step"),
    }
    merged = dist.merge_checkpoint(str(tmp_path / "pd_ck"))
    np.testing.assert_array_equal(merged["opt"]["step"], [7, 8])

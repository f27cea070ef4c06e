"""``nn.functional.rnnt_loss`` / ``nn.RNNTLoss`` against real Paddle 2.6 and 3.3 (its CPU
warprnnt): losses and gradients for ragged lengths, log-softmax and raw inputs, FastEmit on and
off, other blank ids, every reduction (NOTE [rnnt_loss])."""

from __future__ import annotations

import pytest

import paddlefish as paddle
from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    F = paddle.nn.functional
    out = {}
    rng = np.random.default_rng(5)
    cases = [
        ("raw", (2, 4, 4, 5), [4, 3], [3, 2], 0, 0.0, "none", False),
        ("lsm_fastemit", (3, 6, 4, 7), [6, 2, 5], [3, 1, 0], 0, 0.001, "mean", True),
        ("blank3_sum", (2, 5, 3, 6), [5, 5], [2, 2], 3, 0.3, "sum", True),
        ("f64_layer", (2, 3, 2, 4), [3, 1], [1, 1], 0, 0.0, "none", True),
    ]
    for name, shape, il, ll, blank, lam, red, lsm in cases:
        b, t, u1, v = shape
        dtype = "float64" if "f64" in name else "float32"
        acts = rng.standard_normal(shape).astype(dtype)
        labels = rng.integers(0, v - 1, (b, u1 - 1)).astype("int32")
        labels[labels >= blank] += 1  # never the blank
        x = paddle.to_tensor(acts)
        x.stop_gradient = False
        inp = F.log_softmax(x, -1) if lsm else x
        args = (inp, paddle.to_tensor(labels), paddle.to_tensor(np.array(il, "int32")),
                paddle.to_tensor(np.array(ll, "int32")))
        if "layer" in name:
            loss = paddle.nn.RNNTLoss(blank=blank, fastemit_lambda=lam, reduction=red)(*args)
        else:
            loss = F.rnnt_loss(*args, blank=blank, fastemit_lambda=lam, reduction=red)
        loss.sum().backward()
        out[name] = loss.numpy()
        out[name + ".grad"] = x.grad.numpy()
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_rnnt_loss_matches_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, f"differences from Paddle {version}:\n" + "\n".join(bad)


def test_bad_input():
    F = paddle.nn.functional
    x = paddle.zeros([1, 2, 2, 3])
    i32 = lambda v: paddle.to_tensor(v, dtype="int32")
    with pytest.raises(ValueError, match="reduction"):
        F.rnnt_loss(x, i32([[1]]), i32([2]), i32([1]), reduction="avg")
    with pytest.raises(ValueError, match=r"input_lengths must be in \[1, 2\]"):
        F.rnnt_loss(x, i32([[1]]), i32([3]), i32([1]))
    with pytest.raises(ValueError, match="label_lengths must be in"):
        F.rnnt_loss(x, i32([[1]]), i32([2]), i32([2]))
    with pytest.raises(ValueError, match="blank 5 is outside"):
        F.rnnt_loss(x, i32([[1]]), i32([2]), i32([1]), blank=5)

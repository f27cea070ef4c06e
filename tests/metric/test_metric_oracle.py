"""Accuracy(topk=(1, 5)) and paddle.metric.accuracy vs real Paddle 3.3 on the same data."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

ORACLE = r"""
import json
import numpy as np
import paddle
d = np.load("data.npz")
m = paddle.metric.Accuracy(topk=(1, 5))
out = {"name": m.name(), "correct": [], "update": [], "functional": []}
for b in range(3):
    pred, label = paddle.to_tensor(d["pred%d" % b]), paddle.to_tensor(d["label%d" % b])
    c = m.compute(pred, label)
    out["correct"].append(c.numpy().tolist())
    out["update"].append([float(a) for a in m.update(c)])
    out["functional"].append([float(paddle.metric.accuracy(pred, label, k=k)) for k in (1, 5)])
out["accumulate"] = [float(a) for a in m.accumulate()]
print(json.dumps(out))
"""


@pytest.mark.oracle
def test_accuracy_matches_paddle(tmp_path):
    rng = np.random.default_rng(42)
    data = {}
    for b in range(3):
        data[f"pred{b}"] = rng.random((16, 10)).astype("float32")
        data[f"label{b}"] = rng.integers(0, 10, (16, 1)).astype("int64")
    np.savez(tmp_path / "data.npz", **data)
    want = json.loads(run_paddle(ORACLE, "3.3", cwd=tmp_path).strip().splitlines()[-1])

    m = paddle.metric.Accuracy(topk=(1, 5))
    assert m.name() == want["name"]
    for b in range(3):
        pred, label = paddle.to_tensor(data[f"pred{b}"]), paddle.to_tensor(data[f"label{b}"])
        c = m.compute(pred, label)
        assert c.numpy().tolist() == want["correct"][b]
        assert [float(a) for a in m.update(c)] == want["update"][b]
        got = [float(paddle.metric.accuracy(pred, label, k=k)) for k in (1, 5)]
        np.testing.assert_allclose(got, want["functional"][b], rtol=1e-6)
    assert [float(a) for a in m.accumulate()] == want["accumulate"]
    assert 0 < want["accumulate"][0] < want["accumulate"][1] < 1  # not a degenerate case

"""``paddle.summary`` and ``paddle.flops`` print Paddle's tables: the same text as real Paddle
for a network with convolution, batch norm, pooling, dropout, nested Sequential and several
inputs' worth of layers."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

import paddlefish as paddle
from paddlefish.hapi import flops, summary
from tests.oracle import run_paddle

NET = """
import paddle.nn as nn

class Net(nn.Layer):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2D(1, 4, 3, padding=1), nn.BatchNorm2D(4), nn.ReLU(), nn.MaxPool2D(2),
            nn.Conv2D(4, 6, 3, groups=2), nn.LeakyReLU(), nn.AdaptiveAvgPool2D(2),
            nn.AvgPool2D(1))
        self.drop = nn.Dropout(0.5)
        self.head = nn.Linear(24, 10)
        self.embed = nn.Embedding(5, 3)

    def forward(self, x):
        y = self.features(x)
        return self.head(self.drop(y.flatten(1)))
"""

RUN = """
import contextlib, io, json
out = {}
for name, fn in (("summary", lambda: paddle.summary(Net(), (None, 1, 12, 12))),
                 ("summary2", lambda: paddle.summary(Net(), [(2, 1, 8, 8)])),
                 ("flops", lambda: paddle.flops(Net(), [1, 1, 12, 12], print_detail=True))):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            r = fn()
        r = {k: int(v) for k, v in r.items()} if isinstance(r, dict) else int(r)
        out[name] = [buf.getvalue(), r]
    except TypeError as e:
        out[name] = [buf.getvalue(), "TypeError"]
print(json.dumps(out))
"""


def _ours() -> dict:
    ns: dict = {}
    with paddle.utils.unique_name.guard():
        exec(NET.replace("import paddle.nn as nn", "import paddlefish.nn as nn"), ns)
        out = {}
        calls = (("summary", lambda: summary(ns["Net"](), (None, 1, 12, 12))),
                 ("summary2", lambda: summary(ns["Net"](), [(2, 1, 8, 8)])),
                 ("flops", lambda: flops(ns["Net"](), [1, 1, 12, 12], print_detail=True)))
        for name, fn in calls:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                r = fn()
            out[name] = [buf.getvalue(),
                         {k: int(v) for k, v in r.items()} if isinstance(r, dict) else int(r)]
    return out


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_summary_and_flops_print_paddles_tables(version):
    theirs = json.loads(run_paddle("import paddle\n" + NET + RUN, version).strip().splitlines()[-1])
    ours = _ours()
    assert ours["summary"] == theirs["summary"]
    assert ours["summary2"] == theirs["summary2"]
    assert "Conv2D-2" in ours["summary"][0] and "Dropout-1" in ours["summary"][0]
    if version == "2.6":
        assert ours["flops"] == theirs["flops"]
    else:  # Paddle 3.3 fails inside flops under NumPy 2; the lines before agree
        assert theirs["flops"][1] == "TypeError"
        assert ours["flops"][0].startswith(theirs["flops"][0])

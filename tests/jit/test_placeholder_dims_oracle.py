"""Paddle 2.6 declares placeholder dims below -1 for some outputs it never materialises
(``cumsum`` over a flattened input declares ``[-3]``, ``instance_norm``'s saved statistics
``[-4]``...). The verifier must accept every file real Paddle loads (issue 9): Paddle 2.6's own
exports of such layers load and run in paddlefish (``jit.load`` and ``paddle.inference``) with
Paddle's eager outputs."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats, inference
from tests.oracle import run_paddle

SOURCE = """
import numpy as np, paddle
from paddle.static import InputSpec

class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = paddle.nn.Conv2D(3, 4, 3, padding=1)
        self.inorm = paddle.nn.InstanceNorm2D(4)

    def forward(self, x):
        y = self.inorm(self.conv(x))
        return paddle.cumsum(y), paddle.cumsum(y, axis=1)

paddle.seed(0)
net = Net()
net.eval()
x = np.load({x!r})
outs = net(paddle.to_tensor(x))
np.savez({want!r}, *[o.numpy() for o in outs])
paddle.jit.save(net, {prefix!r}, input_spec=[InputSpec([None, 3, 5, 5], "float32", "x")])
"""


@pytest.mark.oracle
def test_paddle26_exports_with_placeholder_dims_load_and_run(tmp_path):
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 5)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    prefix = str(tmp_path / "net")
    script = tmp_path / "export26.py"  # a file: Paddle's dy2static reads the forward's source
    script.write_text(
        SOURCE.format(x=str(tmp_path / "x.npy"), want=str(tmp_path / "want.npz"), prefix=prefix)
    )
    run_paddle(f"import runpy; runpy.run_path({str(script)!r})", "2.6")
    program = formats.load_program_desc(prefix + ".pdmodel")
    odd = sorted(
        {d for b in program.blocks for v in b.vars.values() for d in (v.shape or []) if d < -1}
    )
    assert odd, "Paddle 2.6 no longer writes placeholder dims; this test checks nothing"
    want = np.load(tmp_path / "want.npz")
    want = [want[f"arr_{i}"] for i in range(len(want.files))]
    m = paddle.jit.load(prefix)
    m.eval()
    with paddle.no_grad():
        got = [t.numpy() for t in m(paddle.to_tensor(x))]
    pred = inference.create_predictor(inference.Config(prefix + ".pdmodel", prefix + ".pdiparams"))
    for outs in (got, [t.numpy() for t in pred.run([x])]):
        assert len(outs) == len(want)
        for g, w in zip(outs, want):
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-4)

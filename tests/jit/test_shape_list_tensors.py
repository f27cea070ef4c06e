"""Shape lists computed from a dynamic dimension (``paddle.zeros([x.shape[0] + 1, 4])``) are
recorded as run-time shape tensors, in both directions with real Paddle 2.6."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.static import InputSpec
from tests.oracle import run_paddle



class M(paddle.nn.Layer):
    def forward(self, x):
        z = paddle.zeros([x.shape[0] + 1, 4])
        o = paddle.ones([2, x.shape[0] * 2])
        return z.sum(axis=1) + 1.0, o


LAYER = inspect.getsource(M)  # the same class source runs in the Paddle subprocess


def _ours():
    return M()


def test_eager_and_loaded_agree(tmp_path):
    m = _ours()
    paddle.jit.save(m, str(tmp_path / "m"), input_spec=[InputSpec([None, 4], "float32")])
    loaded = paddle.jit.load(str(tmp_path / "m"))
    for b in (1, 3):
        x = paddle.ones([b, 4])
        for a, c in zip(m(x), loaded(x)):
            assert a.shape == c.shape
            np.testing.assert_array_equal(a.numpy(), c.numpy())


@pytest.mark.oracle
def test_both_directions_with_paddle_26(tmp_path):
    paddle.jit.save(_ours(), str(tmp_path / "ours"), input_spec=[InputSpec([None, 4], "float32")])
    script = tmp_path / "export.py"  # a file: Paddle's converter reads the forward's source
    script.write_text(f"""
import json, paddle
from paddle.static import InputSpec
{LAYER}
paddle.jit.save(M(), {str(tmp_path / "theirs")!r}, input_spec=[InputSpec([None, 4], "float32")])
m = paddle.jit.load({str(tmp_path / "ours")!r})
print(json.dumps([o.shape for o in m(paddle.ones([3, 4]))]))
""")
    code = f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')"
    shapes = json.loads(run_paddle(code, "2.6", cwd=tmp_path).strip().splitlines()[-1])
    assert shapes == [[4], [2, 6]]
    theirs = paddle.jit.load(str(tmp_path / "theirs"))
    assert [o.shape for o in theirs(paddle.ones([3, 4]))] == [[4], [2, 6]]

"""``paddle.text.viterbi_decode`` / ``ViterbiDecoder`` against real Paddle 2.6 and 3.3: random
emissions and transitions, ragged lengths (including 1 and the maximum), ties, with and without
the BOS/EOS rows; scores and paths must match exactly (paths) and to 1e-5 (scores)."""

from __future__ import annotations

import pytest

import paddlefish as paddle
from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    out = {}
    rng = np.random.default_rng(3)
    cases = [
        ("basic", (4, 6, 5), [6, 3, 1, 5], True, "float32"),
        ("nobos", (4, 6, 5), [6, 3, 1, 5], False, "float32"),
        ("shorter_than_seq", (3, 8, 4), [5, 2, 4], True, "float64"),
        ("ties", (2, 4, 3), [4, 4], False, "float32"),
        ("one_step", (2, 3, 6), [1, 1], True, "float32"),
    ]
    for name, shape, lengths, bos, dtype in cases:
        if name == "ties":
            pot = np.ones(shape, dtype)
            trans = np.zeros((shape[2], shape[2]), dtype)
        else:
            pot = rng.standard_normal(shape).astype(dtype)
            trans = rng.standard_normal((shape[2], shape[2])).astype(dtype)
        lens = paddle.to_tensor(np.array(lengths, "int64"))
        s, p = paddle.text.viterbi_decode(paddle.to_tensor(pot), paddle.to_tensor(trans), lens, bos)
        out[name + ".scores"], out[name + ".path"] = s.numpy(), p.numpy()
        dec = paddle.text.ViterbiDecoder(paddle.to_tensor(trans), bos)
        s2, p2 = dec(paddle.to_tensor(pot), lens)
        out[name + ".layer_path"] = p2.numpy()
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_viterbi_matches_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, f"differences from Paddle {version}:\n" + "\n".join(bad)


def test_bad_input():
    with pytest.raises(ValueError, match=r"transition_params must be \[3, 3\]"):
        paddle.text.viterbi_decode(
            paddle.ones([1, 2, 3]), paddle.ones([2, 2]), paddle.to_tensor([2])
        )
    with pytest.raises(ValueError, match="int64 tensor of shape"):
        paddle.text.viterbi_decode(
            paddle.ones([1, 2, 3]), paddle.ones([3, 3]), paddle.to_tensor([2.0])
        )
    with pytest.raises(NotImplementedError, match="download"):
        paddle.text.Imdb  # noqa: B018

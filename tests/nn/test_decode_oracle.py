"""``nn.BeamSearchDecoder`` + ``nn.dynamic_decode`` against real Paddle 2.6 and 3.3: one script
(``SOURCE``) builds the same embedding/cell/projection (weights from one seeded generator),
decodes under both libraries, and every id, score, state and length must match."""

from __future__ import annotations

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

def run(paddle):
    nn = paddle.nn
    out = {}

    def fill(layers, seed, scale):
        rng = np.random.default_rng(seed)
        for layer in layers:
            for name, p in sorted(layer.named_parameters()):
                p.set_value((rng.standard_normal(p.shape) * scale).astype("float32"))

    def record(tag, res):
        leaves = paddle.utils.flatten(res)
        for i, t in enumerate(leaves):
            out[f"{tag}#{i}"] = t.numpy()

    vocab, hidden = 12, 16
    for tag, cell_cls, beam, seed, kw in [
        ("gru3", nn.GRUCell, 3, 1, {}),
        ("gru1", nn.GRUCell, 1, 2, {"return_length": True}),
        ("lstm4", nn.LSTMCell, 4, 3, {"output_time_major": True, "return_length": True}),
        ("gru5_short", nn.GRUCell, 5, 4, {"max_step_num": 2}),
    ]:
        emb, proj, cell = nn.Embedding(vocab, 8), nn.Linear(hidden, vocab), cell_cls(8, hidden)
        fill([emb, proj, cell], seed, 0.9)
        dec = nn.BeamSearchDecoder(cell, start_token=0, end_token=1, beam_size=beam,
                                   embedding_fn=emb, output_fn=proj)
        h0 = paddle.to_tensor(np.random.default_rng(seed + 10).standard_normal((2, hidden)).astype("float32"))
        inits = h0 if cell_cls is nn.GRUCell else (h0, h0 * 0.5)
        res = nn.dynamic_decode(dec, inits=inits, max_step_num=kw.pop("max_step_num", 12), **kw)
        record(tag, res)
    # tile_beam_merge_with_batch
    x = paddle.to_tensor(np.arange(12, dtype="float32").reshape(2, 3, 2))
    out["tile"] = nn.BeamSearchDecoder.tile_beam_merge_with_batch(x, 3).numpy()

    # a greedy decoder that leaves finished-tracking to dynamic_decode (impute_finished)
    class Greedy(paddle.nn.decode.Decoder):
        def __init__(self, cell, emb, proj):
            self.cell, self.emb, self.proj = cell, emb, proj
        def initialize(self, inits):
            ids = paddle.full([inits.shape[0]], 0, "int64")
            return self.emb(ids), inits, paddle.full([inits.shape[0]], False, "bool")
        def step(self, time, inputs, states, **kwargs):
            o, s = self.cell(inputs, states)
            ids = paddle.argmax(self.proj(o), axis=-1)
            return ids, s, self.emb(ids), paddle.equal(ids, paddle.full([1], 1, "int64"))

    emb, proj, cell = nn.Embedding(vocab, 8), nn.Linear(hidden, vocab), nn.GRUCell(8, hidden)
    fill([emb, proj, cell], 9, 0.9)
    h0 = paddle.to_tensor(np.random.default_rng(19).standard_normal((3, hidden)).astype("float32"))
    for impute in (False, True):
        res = nn.dynamic_decode(Greedy(cell, emb, proj), inits=h0, max_step_num=9,
                                impute_finished=impute, return_length=True)
        record(f"greedy_impute{int(impute)}", res)
    return out
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_beam_search_matches_paddle(tmp_path, version):
    ours, theirs = run_both(SOURCE, version, tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, f"differences from Paddle {version}:\n" + "\n".join(bad)
    # the decodes are not degenerate: several distinct tokens, some beams finished early
    ids = theirs["gru3#0"]
    assert len(np.unique(ids)) > 3


def test_bad_input():
    cell = paddle.nn.GRUCell(4, 6)
    with pytest.raises(ValueError, match="beam_size"):
        paddle.nn.BeamSearchDecoder(cell, 0, 1, beam_size=0)
    dec = paddle.nn.BeamSearchDecoder(
        cell,
        0,
        9,
        beam_size=2,
        embedding_fn=paddle.nn.Embedding(5, 4),
        output_fn=paddle.nn.Linear(6, 5),
    )
    with pytest.raises(ValueError, match="end_token 9 is outside the vocabulary of 5"):
        paddle.nn.dynamic_decode(dec, inits=paddle.zeros([1, 6]), max_step_num=3)

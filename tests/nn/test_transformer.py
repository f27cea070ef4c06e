"""MultiHeadAttention and Transformer layers: equality with real Paddle (outputs, attention
weights, caches, state-dict keys and parameter unique names) and mask semantics."""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import nn
from paddlefish._core import unique_name
from tests.oracle import run_paddle

# (constructor, call) -- both evaluated with `net`, `nn`, `paddle` and the inputs dict `a`
CASES = [
    (
        "nn.MultiHeadAttention(8, 2, kdim=6, vdim=4, need_weights=True)",
        "net(a['q'], a['k'], a['v'], attn_mask=a['bmask'])",
    ),
    (
        "nn.MultiHeadAttention(8, 2)",
        "net(a['q'], attn_mask=a['fmask'], cache=net.gen_cache(a['q']))",
    ),
    ("nn.MultiHeadAttention(8, 2)", "net(a['q'], cache=net.Cache(a['ck'], a['cv']))"),
    (
        "nn.MultiHeadAttention(8, 2, need_weights=True)",
        (
            "net(a['q'], a['x'], a['x'], attn_mask=a['imask'], "
            "cache=net.gen_cache(a['x'], a['x'], type=net.StaticCache))"
        ),
    ),
    (
        (
            "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, activation='gelu', "
            "normalize_before=True), 2, nn.LayerNorm(8))"
        ),
        "net(a['x'], src_mask=a['imask'])",
    ),
    (
        "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2)",
        "net(a['x'], cache=net.gen_cache(a['x']))",
    ),
    (
        "nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 2)",
        "net(a['y'], a['x'], tgt_mask=a['causal'], memory_mask=a['bmask'])",
    ),
    (
        "nn.TransformerDecoderLayer(8, 2, 16, normalize_before=True)",
        "net(a['y'], a['x'], memory_mask=a['bmask'], cache=net.gen_cache(a['x']))",
    ),
    (
        "nn.Transformer(8, 2, 2, 1, 16)",
        (
            "net(a['x'], a['y'], src_mask=a['imask'], "
            "tgt_mask=net.generate_square_subsequent_mask(4), memory_mask=a['bmask'])"
        ),
    ),
]

ORACLE = """
import json, numpy as np, paddle
from paddle import nn
CASES = json.load(open('cases.json'))
a = {k: paddle.to_tensor(v) for k, v in np.load('inputs.npz').items()}

def flat(s):
    if isinstance(s, (list, tuple)):
        return [t for x in s for t in flat(x)]
    return [s]

names = []
for i, (build, call) in enumerate(CASES):
    paddle.seed(i)
    net = eval(build)
    net.eval()
    sd = net.state_dict()
    names.append([[k, v.name] for k, v in sd.items()])
    np.savez(f'sd{i}.npz', **{k: v.numpy() for k, v in sd.items()})
    np.savez(f'out{i}.npz', *[t.numpy() for t in flat(eval(call))])
json.dump(names, open('names.json', 'w'))
"""


def _inputs():
    rng = np.random.default_rng(0)
    f = lambda *s: rng.standard_normal(s).astype("float32")
    bmask = rng.random((2, 1, 4, 3)) > 0.4
    bmask[..., 0] = True  # every query attends to something
    imask = (rng.random((2, 1, 1, 3)) > 0.3).astype("int32")
    imask[..., 0] = 1
    fmask = np.where(rng.random((2, 1, 4, 4)) > 0.3, 0.0, -1e4).astype("float32")
    causal = np.triu(np.full((4, 4), -np.inf, dtype="float32"), 1)
    return {
        "q": f(2, 4, 8),
        "k": f(2, 3, 6),
        "v": f(2, 3, 4),
        "x": f(2, 3, 8),
        "y": f(2, 4, 8),
        "ck": f(2, 2, 2, 4),
        "cv": f(2, 2, 2, 4),
        "bmask": bmask,
        "imask": imask,
        "fmask": fmask,
        "causal": causal,
    }


def _flat(s):
    if isinstance(s, (list, tuple)):
        return [t for x in s for t in _flat(x)]
    return [s]


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_attention_layers_match_paddle(tmp_path, version):
    inputs = _inputs()
    np.savez(tmp_path / "inputs.npz", **inputs)
    (tmp_path / "cases.json").write_text(json.dumps(CASES))
    run_paddle(ORACLE, version, cwd=tmp_path)
    want_names = json.loads((tmp_path / "names.json").read_text())
    a = {k: paddle.to_tensor(v) for k, v in inputs.items()}
    with unique_name.guard():
        for i, (build, call) in enumerate(CASES):
            net = eval(build, {"nn": nn})
            net.eval()
            got_names = [[k, v.name] for k, v in net.state_dict().items()]
            assert got_names == want_names[i], f"case {build}: state-dict keys/names differ"
            assert net.set_state_dict(dict(np.load(tmp_path / f"sd{i}.npz"))) == ([], [])
            got = _flat(eval(call, {"net": net, "a": a, "paddle": paddle}))
            want = np.load(tmp_path / f"out{i}.npz")
            assert len(got) == len(want.files), f"case {call}: number of outputs"
            for j, t in enumerate(got):
                np.testing.assert_allclose(
                    t.numpy(),
                    want[f"arr_{j}"],
                    rtol=1e-5,
                    atol=1e-5,
                    err_msg=f"output {j} of {build} / {call}",
                )


def test_bool_mask_true_means_attend():
    mha = nn.MultiHeadAttention(4, 1, need_weights=True)
    q = paddle.randn([1, 2, 4])
    keep = paddle.to_tensor(np.array([[[[True, False], [True, True]]]]))
    _, w = mha(q, attn_mask=keep)
    w = w.numpy()
    assert w[0, 0, 0, 1] < 1e-6 and abs(w[0, 0, 0, 0] - 1) < 1e-6
    # the equivalent float mask gives the same weights
    _, w2 = mha(
        q, attn_mask=paddle.to_tensor(np.array([[[[0.0, -1e9], [0.0, 0.0]]]], dtype="float32"))
    )
    np.testing.assert_allclose(w, w2.numpy(), atol=1e-6)


def test_square_subsequent_mask_and_config_copies():
    t = nn.Transformer(8, 2, 2, 2, 16, dropout=0.0)
    m = t.generate_square_subsequent_mask(3).numpy()
    assert m[0, 1] == -np.inf and m[1, 0] == 0 and m[2, 2] == 0
    enc = t.encoder.layers
    assert enc[0] is not enc[1] and enc[1].linear1.weight.shape == [8, 16]
    assert enc[0].linear1.weight.name != enc[1].linear1.weight.name


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiHeadAttention(6, 4)
    with pytest.raises(ValueError, match="length of weight_attr/bias_attr"):
        nn.Transformer(8, 2, 1, 1, 16, weight_attr=[None] * 4)


def test_gradients_flow_through_transformer():
    t = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0)
    out = t(paddle.randn([2, 3, 8]), paddle.randn([2, 4, 8]))
    # not out.sum(): the final LayerNorm makes that constant, so every gradient before it is
    # rounding noise (the test then passed or failed by chance); weight the outputs instead
    weights = paddle.to_tensor(np.random.default_rng(0).standard_normal([2, 4, 8]).astype("float32"))
    (out * weights).sum().backward()
    grads = [p.grad for p in t.parameters()]
    assert all(g is not None for g in grads)
    assert np.abs(t.encoder.layers[0].self_attn.q_proj.weight.grad.numpy()).sum() > 0

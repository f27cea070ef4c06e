"""``paddle.incubate`` operators and ``incubate.nn`` fused layers vs real Paddle 2.6 (one
subprocess for the module): ``softmax_mask_fuse`` (values, gradients), ``identity_loss``,
``segment_*``, the ``graph_*`` operators (``graph_khop_sampler`` on several graphs), the fused
functions Paddle's CPU build runs, the error kind of those it refuses, and the fused layers'
``state_dict`` (structured names, parameter names, shapes, dtypes) with ``.pdparams`` files
crossing both ways."""

from __future__ import annotations

import pytest

from ._shared import compare, run_fish, run_oracle

pytestmark = pytest.mark.oracle

SCENARIO = r"""
import os
import warnings

KINDS = (AttributeError, ValueError, TypeError, AssertionError, RuntimeError, Exception)


def _kind(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # the kind of error is what is compared
        return next(k.__name__ for k in KINDS if isinstance(e, k))
    return "no error"


def _np(ts):
    return [t.numpy() for t in ts] if isinstance(ts, (list, tuple)) else ts.numpy()


def ops(paddle, np):
    rng = np.random.RandomState(0)
    out = {}
    x = paddle.to_tensor(rng.rand(2, 3, 4, 5).astype("float32"), stop_gradient=False)
    mask = paddle.to_tensor(np.where(rng.rand(2, 1, 4, 5) > 0.5, 0, -10000).astype("float32"))
    w = paddle.to_tensor(rng.rand(2, 3, 4, 5).astype("float32"))
    y = paddle.incubate.softmax_mask_fuse(x, mask)
    (y * w).sum().backward()
    out["softmax_mask_fuse"] = [y.numpy(), x.grad.numpy()]
    xd = paddle.to_tensor(rng.rand(1, 2, 3, 3))
    out["softmax_mask_fuse_f64"] = paddle.incubate.softmax_mask_fuse(xd, paddle.zeros([1, 1, 3, 3], "float64")).numpy()

    v = paddle.to_tensor(rng.rand(3, 4).astype("float32"), stop_gradient=False)
    il = {}
    for r in (0, 1, 2, "sum", "mean", "none", "MEAN"):
        il[str(r)] = paddle.incubate.identity_loss(v, reduction=r).numpy()
    (paddle.incubate.identity_loss(v, reduction="mean") * 3).backward()
    il["grad"] = v.grad.numpy()
    out["identity_loss"] = il

    data = paddle.to_tensor(rng.rand(5, 3).astype("float32"))
    ids = paddle.to_tensor([0, 0, 1, 3, 3], dtype="int32")
    out["segment"] = [getattr(paddle.incubate, f"segment_{op}")(data, ids).numpy()
                      for op in ("sum", "mean", "max", "min")]
    src = paddle.to_tensor([0, 1, 2, 0, 4])
    dst = paddle.to_tensor([1, 2, 1, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["graph_send_recv"] = [paddle.incubate.graph_send_recv(data, src, dst, pool).numpy()
                                  for pool in ("sum", "mean", "max", "min")]
        out["graph_send_recv_size"] = paddle.incubate.graph_send_recv(data, src, dst, "sum", out_size=3).numpy()
        row = paddle.to_tensor([3, 1, 4, 0, 5, 2, 0, 1, 5, 3, 2, 4])
        colptr = paddle.to_tensor([0, 2, 4, 6, 8, 10, 12])
        eids = paddle.arange(12, dtype="int64")
        khop = {}
        for i, (nodes, sizes) in enumerate([([0, 2], [5, 5]), ([1], [5, 5, 5]), ([5, 0], [10]),
                                            ([3, 4, 3], [2, 2])]):
            got = paddle.incubate.graph_khop_sampler(
                row, colptr, paddle.to_tensor(nodes), sizes, sorted_eids=eids, return_eids=True)
            khop[str(i)] = _np(got)
        r32 = paddle.to_tensor([1, 2, 0, 2, 0, 1], dtype="int32")
        c32 = paddle.to_tensor([0, 2, 4, 6], dtype="int32")
        khop["int32"] = _np(paddle.incubate.graph_khop_sampler(r32, c32, paddle.to_tensor([0, 1], dtype="int32"), [2]))
        out["graph_khop_sampler"] = khop
        # degree 2 > sample size 1: random picks, so compare shapes and that every edge is real
        es, ed, idx, rx = paddle.incubate.graph_khop_sampler(
            row, colptr, paddle.to_tensor([0, 2, 4]), [1])
        edges = {(int(row[j]), c) for c in range(6) for j in range(int(colptr[c]), int(colptr[c + 1]))}
        nodes = idx.numpy().tolist()
        real = all((nodes[s], nodes[t]) in edges for s, t in zip(es.numpy().ravel(), ed.numpy().ravel()))
        out["khop_random"] = [list(es.shape), list(ed.shape), list(rx.shape), real,
                              nodes[:3], [nodes[i] for i in rx.numpy()]]
        out["graph_sample_neighbors"] = _np(paddle.incubate.graph_sample_neighbors(
            row, colptr, paddle.to_tensor([1, 4, 2]), eids=eids, sample_size=5, return_eids=True))
        out["graph_reindex"] = _np(paddle.incubate.graph_reindex(
            paddle.to_tensor([3, 7]), paddle.to_tensor([7, 9, 3, 12, 9]),
            paddle.to_tensor([2, 3], dtype="int32")))
    F = paddle.incubate.nn.functional
    a = paddle.to_tensor(rng.rand(2, 4).astype("float32"))
    b = paddle.to_tensor(rng.rand(2, 4).astype("float32"))
    m = paddle.to_tensor(rng.rand(4, 3).astype("float32"))
    out["fused_dropout_add_p0"] = F.fused_dropout_add(a, b, p=0.0).numpy()
    out["fused_matmul_bias_nobias"] = [F.fused_matmul_bias(a, m).numpy(),
                                       F.fused_matmul_bias(m, a, transpose_x=True, transpose_y=True).numpy()]
    out["FusedDropoutAdd_p0"] = paddle.incubate.nn.FusedDropoutAdd(p=0.0)(a, b).numpy()
    drop = paddle.incubate.nn.FusedDropout(p=0.3)
    drop.eval()
    out["FusedDropout_eval"] = drop(a).numpy()
    seq = paddle.to_tensor(rng.rand(1, 3, 8).astype("float32"))
    N = paddle.incubate.nn
    out["errors"] = {
        "upper_triangle_cpu": _kind(lambda: paddle.incubate.softmax_mask_fuse_upper_triangle(x)),
        "smf_mask_heads": _kind(
            lambda: paddle.incubate.softmax_mask_fuse(x, paddle.rand([2, 2, 4, 5]))
        ),
        "smf_mask_batch": _kind(
            lambda: paddle.incubate.softmax_mask_fuse(x, paddle.rand([1, 1, 4, 5]))
        ),
        "smf_3d": _kind(
            lambda: paddle.incubate.softmax_mask_fuse(paddle.rand([3, 4, 5]), paddle.rand([3, 4, 5]))
        ),
        "smf_int": _kind(
            lambda: paddle.incubate.softmax_mask_fuse(
                paddle.ones([2, 3, 4, 5], "int32"), paddle.ones([2, 1, 4, 5], "int32")
            )
        ),
        "identity_loss_int": _kind(lambda: paddle.incubate.identity_loss(v, reduction=3)),
        "identity_loss_bad": _kind(lambda: paddle.incubate.identity_loss(v, reduction="avg")),
        "graph_send_recv_pool": _kind(lambda: paddle.incubate.graph_send_recv(data, src, dst, "prod")),
        "khop_no_eids": _kind(lambda: paddle.incubate.graph_khop_sampler(row, colptr, paddle.to_tensor([0]), [1], return_eids=True)),
        "fused_matmul_bias": _kind(lambda: F.fused_matmul_bias(a, m, paddle.ones([3]))),
        "fused_linear": _kind(lambda: F.fused_linear(a, m, paddle.ones([3]))),
        "fused_linear_activation": _kind(lambda: F.fused_linear_activation(a, m, paddle.ones([3]))),
        "fused_dropout_add": _kind(lambda: F.fused_dropout_add(a, b, p=0.5)),
        "fused_dropout_add_p": _kind(lambda: F.fused_dropout_add(a, b, p=1.5)),
        "fused_rms_norm": _kind(lambda: F.fused_rms_norm(a, paddle.ones([4]), paddle.ones([4]), 1e-6, 1)),
        "fused_layer_norm": _kind(lambda: F.fused_layer_norm(a, paddle.ones([4]), paddle.ones([4]), 1e-6, 1)),
        "FusedLinear": _kind(lambda: N.FusedLinear(4, 3)(a)),
        "FusedDropoutAdd": _kind(lambda: N.FusedDropoutAdd(0.5)(a, b)),
        "FusedMultiHeadAttention": _kind(lambda: N.FusedMultiHeadAttention(8, 2)(seq)),
        "FusedFeedForward": _kind(lambda: N.FusedFeedForward(8, 16)(seq)),
        "FusedTransformerEncoderLayer": _kind(lambda: N.FusedTransformerEncoderLayer(8, 2, 16)(seq)),
        "FusedBiasDropoutResidualLayerNorm": _kind(lambda: N.FusedBiasDropoutResidualLayerNorm(8)(seq, seq)),
        "FusedDropout_p": _kind(lambda: N.FusedDropout(p=2.0)),
        "FusedDropout_mode": _kind(lambda: N.FusedDropout(mode="x")),
        # Paddle 2.6 renames the mode to 'downgrade_in_infer' and then refuses it
        "FusedDropout_downscale": _kind(lambda: N.FusedDropout(mode="downscale_in_infer")),
        "FMHA_heads": _kind(lambda: N.FusedMultiHeadAttention(8, 3)),
    }
    return out


def _describe(layer):
    return [[k, v.name, list(v.shape), str(v.dtype)] for k, v in layer.state_dict().items()]


def layers(paddle, np, d):
    N = paddle.incubate.nn
    out = {}
    with paddle.utils.unique_name.guard():
        built = {
            "FusedLinear": N.FusedLinear(4, 3),
            "FusedLinear_t": N.FusedLinear(4, 3, transpose_weight=True),
            "FusedMultiHeadAttention": N.FusedMultiHeadAttention(8, 2),
            "FusedMultiHeadAttention_pre": N.FusedMultiHeadAttention(8, 2, normalize_before=True, transpose_qkv_wb=True),
            "FusedFeedForward": N.FusedFeedForward(8, 16),
            "FusedFeedForward_pre": N.FusedFeedForward(8, 16, normalize_before=True),
            "FusedTransformerEncoderLayer": N.FusedTransformerEncoderLayer(8, 2, 16),
            "FusedTransformerEncoderLayer_pre": N.FusedTransformerEncoderLayer(8, 2, 16, normalize_before=True, bias_attr=False),
            "FusedBiasDropoutResidualLayerNorm": N.FusedBiasDropoutResidualLayerNorm(8),
        }
        for name, layer in built.items():
            out[name] = _describe(layer)
        enc = built["FusedTransformerEncoderLayer"]
        rng = np.random.RandomState(5)
        for p in enc.parameters():
            p.set_value(rng.rand(*p.shape).astype("float32"))
        paddle.save(enc.state_dict(), os.path.join(d, "enc.pdparams"))
        out["enc_values"] = [p.numpy() for p in enc.state_dict().values()]
        out["inits"] = {k: v.numpy() for k, v in built["FusedFeedForward"].state_dict().items() if "ln" in k}
    return out


def load(paddle, np, path):
    with paddle.utils.unique_name.guard():
        enc = paddle.incubate.nn.FusedTransformerEncoderLayer(8, 2, 16)
    missing_unexpected = enc.set_state_dict(paddle.load(path))
    return [p.numpy() for p in enc.state_dict().values()]


def main(paddle, np, d, other=None):
    out = {"ops": ops(paddle, np), "layers": layers(paddle, np, d)}
    if other is not None:
        out["loaded"] = load(paddle, np, other)
    return out
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("incubate_ops")
    (root / "fish").mkdir()
    (root / "paddle").mkdir()
    ours = run_fish(SCENARIO, str(root / "fish"))
    ref = run_oracle(SCENARIO, root, str(root / "paddle"), str(root / "fish" / "enc.pdparams"))
    ours["loaded"] = run_fish(SCENARIO, str(root / "paddle" / "enc.pdparams"), entry="load")
    return ours, ref


OPS = [
    "softmax_mask_fuse",
    "softmax_mask_fuse_f64",
    "identity_loss",
    "segment",
    "graph_send_recv",
    "graph_send_recv_size",
    "graph_khop_sampler",
    "khop_random",
    "graph_sample_neighbors",
    "graph_reindex",
    "fused_dropout_add_p0",
    "fused_matmul_bias_nobias",
    "FusedDropoutAdd_p0",
    "FusedDropout_eval",
]


@pytest.mark.parametrize("what", OPS)
def test_ops_match_paddle(both, what):
    compare(both[0]["ops"][what], both[1]["ops"][what], what)


def test_refusals_are_paddles_error_kinds(both):
    ours, ref = both[0]["ops"]["errors"], both[1]["ops"]["errors"]
    assert ours == ref
    assert ref["FusedLinear"] == "AttributeError" and ref["FusedDropoutAdd"] == "RuntimeError"


def test_fused_layer_parameters_as_paddle(both):
    compare(both[0]["layers"], both[1]["layers"], "layers")


def test_pdparams_cross_both_ways(both):
    ours, ref = both
    compare(ref["loaded"], ours["layers"]["enc_values"], "paddle loads paddlefish's file")
    compare(ours["loaded"], ref["layers"]["enc_values"], "paddlefish loads paddle's file")

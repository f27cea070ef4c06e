"""The predictor's compile paths (NOTE [inference paths] in paddlefish/inference/_engine.py):
the oneDNN lowering on every conv pattern it fuses or must leave alone, against the interpreter
and ``jit.load``; dynamic batch; the fallbacks (no oneDNN lowering -> TorchScript -> interpreter)
with their one warning. The interpreter and ``jit.load`` are checked against real Paddle in
tests/jit and test_predictor_oracle.py (which also runs the lowered zoo CNNs against Paddle)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import paddlefish as paddle
import paddlefish.nn.functional as F
from paddlefish import inference, nn
from paddlefish.inference import _engine, _lower
from paddlefish.static import InputSpec

RTOL, ATOL = 1e-4, 1e-5
needs_onednn = pytest.mark.skipif(not _lower.available(), reason="torch built without oneDNN")


class Patterns(nn.Layer):
    """One of each conv pattern: fused with relu / leaky_relu / relu6 / sigmoid / hardswish /
    swish, conv+BN, dilation, 4-entry symmetric paddings, depthwise, a residual produced after
    the conv (+relu) and before it, and ones that must stay plain: a broadcast add, asymmetric
    paddings, a fetched conv output."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2D(3, 8, 3, padding=1)
        self.c2 = nn.Conv2D(8, 8, 3, padding=2, dilation=2, bias_attr=False)
        self.bn2 = nn.BatchNorm2D(8)
        self.dw = nn.Conv2D(8, 8, 3, stride=2, padding=[1, 1, 1, 1], groups=8)
        self.c3 = nn.Conv2D(8, 8, 1)
        self.c4 = nn.Conv2D(8, 8, 1)
        self.c5 = nn.Conv2D(8, 8, 3, padding=1)
        self.c6 = nn.Conv2D(8, 8, 1)
        self.c7 = nn.Conv2D(8, 8, 3, padding=[0, 1, 0, 1])
        self.c8 = nn.Conv2D(8, 8, 1)
        self.c9 = nn.Conv2D(8, 8, 1)
        self.c10 = nn.Conv2D(8, 4, 1)
        self.c11 = nn.Conv2D(4, 4, 3, padding=1)

    def forward(self, x):
        y = F.relu(self.c1(x))
        y = F.leaky_relu(self.bn2(self.c2(y)), 0.1)
        y = F.relu6(self.dw(y))
        a = self.c3(y)  # its residual is computed after it
        b = F.sigmoid(self.c4(y))
        y = F.relu(a + b)
        y = F.hardswish(self.c5(y)) + y
        y = self.c6(y) + F.adaptive_avg_pool2d(y, 1)  # broadcast add: stays plain
        y = paddle.tanh(self.c7(y))  # asymmetric paddings: stays plain
        z = self.c8(y)  # fetched and read on
        w = self.c10(F.silu(self.c9(z)) + F.swish(z))
        return w + self.c11(w), z  # residual computed before the conv


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    paddle.seed(3)
    net = Patterns()
    for name, t in net.state_dict().items():  # non-trivial BN statistics
        if name.endswith("_mean"):
            t.set_value(np.linspace(-0.3, 0.3, t.shape[0]).astype("float32"))
        if name.endswith("_variance"):
            t.set_value(np.linspace(0.5, 1.5, t.shape[0]).astype("float32"))
    net.eval()
    prefix = str(tmp_path_factory.mktemp("lowering") / "patterns")
    paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 3, 16, 16], "float32", "x")])
    return prefix


def _pred(prefix, **switches):
    """A predictor on path (1) or later: oneDNN Graph (path (0), tests/inference/
    test_onednn_graph.py) off unless a test switches it on."""
    c = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams")
    c.disable_gpu()
    c.switch_onednn_graph(False)
    for k, v in switches.items():
        getattr(c, k)(*v)
    return inference.create_predictor(c)


def _x(batch, seed=0):
    return np.random.default_rng(seed).standard_normal((batch, 3, 16, 16)).astype("float32")


def _check(pred, plain, batches=(2, 5, 1, 2)):
    for i, b in enumerate(batches):
        x = _x(b, i)
        got, want = pred.run([x]), plain.run([x])
        assert len(got) == len(want) == 2
        for g, w in zip(got, want):
            assert g.shape == w.shape
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=RTOL, atol=ATOL)


@needs_onednn
def test_lowered_patterns_match_interpreter_and_jit_load(saved):
    pred = _pred(saved)
    eng = pred._engine
    assert eng.path == "onednn-lowered"
    kinds = sorted(
        (st.act[0] if st.act else "none") + ("+add" if st.res else "")
        for st in eng.lowered.steps
        if isinstance(st, _lower._FusedConv)
    )
    # c6 (broadcast add), c8 (fetched), c10 (read twice) alone; c7 (asymmetric paddings) plain
    assert kinds == sorted(
        ["relu", "leaky_relu", "hardtanh", "relu+add", "sigmoid", "hardswish", "none"]
        + ["none", "swish", "none", "none+add"]
    )
    plain = _pred(saved, switch_ir_optim=(False,))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no fallback note
        _check(pred, plain)
    assert eng.path == "onednn-lowered" and eng._lowered_ok and not eng.notes
    assert eng.lowered.packed_shapes() == 3  # batches 2, 5 and 1 (the check ran on batch 1)
    # and against jit.load (the TranslatedLayer)
    m = paddle.jit.load(saved)
    m.eval()
    x = _x(3, 9)
    with paddle.no_grad():
        want = [t.numpy() for t in m(paddle.to_tensor(x))]
    for g, w in zip(pred.run([x]), want):
        np.testing.assert_allclose(g.numpy(), w, rtol=RTOL, atol=ATOL)
    # outputs are plain contiguous NCHW arrays
    assert all(t.numpy().flags["C_CONTIGUOUS"] for t in pred.run([x]))


@needs_onednn
def test_broadcast_residual_runs_plain_ops_at_run_time(saved):
    """A residual whose shape only shows at run time (declared shapes unknown) falls back to
    the plain ops inside the fused step."""
    pred = _pred(saved)
    low = pred._engine.lowered
    st = next(
        s for s in low.steps if isinstance(s, _lower._FusedConv) and s.res is None and not s.act
    )
    st.res = st.conv.input("Filter")[0]  # a 4-D tensor, never the conv output's shape
    plain = _pred(saved, switch_ir_optim=(False,))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        _check(pred, plain, batches=(2,))
    assert pred._engine.path == "onednn-lowered"


def test_fallback_without_onednn_lowering_then_without_torchscript(saved, monkeypatch):
    plain = _pred(saved, switch_ir_optim=(False,))
    monkeypatch.setattr(_lower, "available", lambda: False)
    pred = _pred(saved)
    assert pred._engine.lowered is None and pred._engine.path == "torchscript"
    _check(pred, plain, batches=(2, 5))
    assert len(pred._engine._cache) == 2 and not pred._engine.notes

    def broken(*a, **k):
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(torch.jit, "trace", broken)
    pred = _pred(saved)
    with pytest.warns(RuntimeWarning, match="compiling for inputs .* failed .*no compiler here"):
        _check(pred, plain, batches=(2,))
    assert pred._engine.notes and all(v is _engine._FALLBACK for v in pred._engine._cache.values())


@needs_onednn
def test_lowering_that_differs_falls_back_once(saved, monkeypatch):
    real = _lower._FusedConv.__call__

    def wrong(self, scope):
        real(self, scope)
        scope[self.out] = scope[self.out] + 1.0

    monkeypatch.setattr(_lower._FusedConv, "__call__", wrong)
    pred = _pred(saved)
    plain = _pred(saved, switch_ir_optim=(False,))
    with pytest.warns(RuntimeWarning, match="oneDNN-lowered program differs") as rec:
        _check(pred, plain, batches=(2, 3))
    assert len([w for w in rec if "oneDNN" in str(w.message)]) == 1
    assert pred._engine.path == "torchscript"


@needs_onednn
def test_lowering_that_raises_falls_back(saved, monkeypatch):
    def boom(self, scope):
        raise RuntimeError("oneDNN primitive failed")

    monkeypatch.setattr(_lower._FusedConv, "__call__", boom)
    pred = _pred(saved)
    plain = _pred(saved, switch_ir_optim=(False,))
    with pytest.warns(RuntimeWarning, match="oneDNN lowering failed .*primitive failed"):
        _check(pred, plain, batches=(2,))
    assert pred._engine.path == "torchscript"


@needs_onednn
def test_disable_mkldnn_uses_torchscript(saved):
    pred = _pred(saved, disable_mkldnn=())
    assert pred._engine.path == "torchscript"
    _check(pred, _pred(saved, switch_ir_optim=(False,)), batches=(2,))


class _Op:
    def __init__(self, ins, outs):
        self.ins, self.outs = ins, outs

    def input_names(self):
        return self.ins

    def output_names(self):
        return self.outs


def test_fused_group_never_moves_past_an_in_place_write():
    """The fused conv runs at its add's position; an op in between that rewrites the conv's
    input (a Paddle in-place op) forbids that, producing the residual there does not."""
    conv = _Op(["x", "w"], ["c"])
    add = _Op(["c", "r"], ["y"])
    makes_res = _Op(["x"], ["r"])
    inplace = _Op(["x"], ["x"])
    for between, bad in (([makes_res], False), ([inplace, makes_res], True)):
        body = [conv, *between, add]
        index = {id(op): i for i, op in enumerate(body)}
        assert _lower._overwritten(body, index, [conv, add], "r") is bad

"""Path (0) of NOTE [inference paths]: the traced program compiled by oneDNN Graph per input
signature (NOTE [inference onednn graph]), against the interpreter; its fallbacks to the oneDNN
lowering; and the ``fc`` fusion (NOTE [inference fc]) it relies on."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import paddlefish as paddle
import paddlefish.nn.functional as F
from paddlefish import inference, nn
from paddlefish.inference import _graph
from paddlefish.static import InputSpec

from .test_lowering import ATOL, RTOL, Patterns, _check, _x

needs_graph = pytest.mark.skipif(not _graph.available(), reason="torch without oneDNN Graph")


class Head(nn.Layer):
    """conv + BN + relu6, pooling, then two Linear layers (matmul_v2 + elementwise_add each)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(3, 8, 3, padding=1, bias_attr=False)
        self.bn = nn.BatchNorm2D(8)
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        y = F.relu6(self.bn(self.conv(x)))
        y = paddle.flatten(F.adaptive_avg_pool2d(y, 1), 1)
        return self.fc2(F.relu(self.fc1(y)))


def _save(tmp_path, net, name):
    paddle.seed(5)
    net.eval()
    prefix = str(tmp_path / name)
    paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 3, 16, 16], "float32", "x")])
    return prefix


def _pred(prefix, **switches):
    c = inference.Config(prefix + ".pdmodel", prefix + ".pdiparams")
    for k, v in switches.items():
        getattr(c, k)(*v)
    return inference.create_predictor(c)


@needs_graph
def test_patterns_compile_per_signature_and_match_the_interpreter(tmp_path):
    paddle.seed(3)
    prefix = _save(tmp_path, Patterns(), "patterns")
    pred, plain = _pred(prefix), _pred(prefix, switch_ir_optim=(False,))
    eng = pred._engine
    assert eng.path == "onednn-graph"
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no fallback note
        _check(pred, plain, batches=(2, 5, 1, 2))
    assert eng.path == "onednn-graph" == pred.engine_path() and not eng.notes
    assert len(eng._graph_cache) == 3  # batches 2, 5, 1: one compiled module each
    # the fused partitions really run: the last optimized graph has oneDNN fusion groups
    assert "prim::oneDNNFusionGroup" in str(torch.jit.last_executed_optimized_graph())
    # the fuser is only on while a signature compiles
    assert not torch._C._jit_llga_enabled()


@needs_graph
def test_linear_layers_become_fc_and_the_head_compiles(tmp_path):
    prefix = _save(tmp_path, Head(), "head")
    pred, plain = _pred(prefix), _pred(prefix, switch_ir_optim=(False,))
    ops = [op.type for op in pred._engine.program.global_block().ops]
    assert ops.count("fc") == 2 and "matmul_v2" not in ops and "elementwise_add" not in ops
    assert "matmul_v2" in [op.type for op in plain._engine.program.global_block().ops]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for b in (1, 4):
            x = _x(b, b)
            np.testing.assert_allclose(
                pred.run([x])[0].numpy(), plain.run([x])[0].numpy(), rtol=RTOL, atol=ATOL
            )
    assert pred._engine.path == "onednn-graph" and not pred._engine.notes


def test_fc_fusion_keeps_what_it_must_not_touch(tmp_path):
    """A fetched GEMM output, a bias that is not a persistable [out] vector: no fc."""

    class Keep(nn.Layer):
        def __init__(self):
            super().__init__()
            self.w = self.create_parameter([4, 3])

        def forward(self, x, b):
            y = paddle.matmul(x, self.w)
            return y + b, y  # the bias is an input; y is fetched

    net = Keep()
    net.eval()
    prefix = str(tmp_path / "keep")
    paddle.jit.save(
        net,
        prefix,
        input_spec=[InputSpec([None, 4], "float32", "x"), InputSpec([3], "float32", "b")],
    )
    pred = _pred(prefix)
    assert "fc" not in [op.type for op in pred._engine.program.global_block().ops]
    x = np.random.default_rng(1).standard_normal((2, 4)).astype("float32")
    b = np.arange(3, dtype="float32")
    out, y = pred.run([x, b])
    w = net.w.numpy()
    np.testing.assert_allclose(y.numpy(), x @ w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), x @ w + b, rtol=1e-5, atol=1e-6)


@needs_graph
def test_switch_off_uses_the_lowering(tmp_path):
    prefix = _save(tmp_path, Head(), "head")
    pred = _pred(prefix, switch_onednn_graph=(False,))
    assert pred._engine.path == "onednn-lowered"
    pred.run([_x(2)])
    assert not pred._engine._graph_cache


@needs_graph
def test_a_failing_or_differing_compile_falls_back_to_the_lowering_once(tmp_path, monkeypatch):
    prefix = _save(tmp_path, Head(), "head")
    plain = _pred(prefix, switch_ir_optim=(False,))

    def fails(frozen, xs, want, close):
        return None, None, "oneDNN Graph failed (RuntimeError: vector::_M_range_check)"

    monkeypatch.setattr(_graph, "compile_signature", fails)
    pred = _pred(prefix)
    with pytest.warns(RuntimeWarning, match=r"_M_range_check\); using the oneDNN lowering") as rec:
        _check_one(pred, plain, (2, 3))
    assert len([w for w in rec if "oneDNN Graph" in str(w.message)]) == 1
    assert pred._engine.path == "onednn-lowered"
    monkeypatch.undo()

    # a compiled module whose answer is wrong is refused by the real check
    real = _graph.compile_signature

    def wrong(frozen, xs, want, close):
        return real(frozen, xs, [w + 1.0 for w in want], close)

    monkeypatch.setattr(_graph, "compile_signature", wrong)
    pred = _pred(prefix)
    with pytest.warns(RuntimeWarning, match="differs from the interpreter"):
        _check_one(pred, plain, (2,))
    assert pred._engine.path == "onednn-lowered"


def _check_one(pred, plain, batches):
    for b in batches:
        x = _x(b, b)
        np.testing.assert_allclose(
            pred.run([x])[0].numpy(), plain.run([x])[0].numpy(), rtol=RTOL, atol=ATOL
        )

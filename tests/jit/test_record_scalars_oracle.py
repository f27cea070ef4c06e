"""jit.save records Python scalar operands and whole-tensor reductions as Paddle 2.6's own
jit.save does (NOTE [recorded scalar operands], NOTE [reduce attributes] in tensor/math.py),
checked against real Paddle 2.6 both ways:

* no scalar becomes a persistable variable: ours and Paddle's exports declare the same
  persistables (none) and neither writes a ``.pdiparams``;
* the programs declare the same ops: types, non-empty input slots, attributes with their types,
  and each output's dtype and shape (``fill_constant`` 0-D of x's dtype, ``scale``,
  ``fill_constant_batch_size_like`` + ``cast``, ``reduce_*`` with ``dim=[]``);
* our export runs in Paddle 2.6 (``jit.load`` and the predictor) and in paddlefish (``jit.load``,
  predictor), Paddle's runs in paddlefish, and paddlefish's eager forward agrees, all with
  Paddle's eager outputs on several batch sizes.
"""

from __future__ import annotations

import os
import runpy

import pytest

import paddlefish as paddle
from paddlefish import formats
from tests.jit.record_oracle import cases as _cases
from tests.jit.record_oracle import export_both, predictor, run_handles, signature
from tests.jit.record_oracle import outs as _outs
from tests.jit.record_oracle import ref as _ref
from tests.jit.record_oracle import same as _same

_NOISE_ATTRS = {"op_callstack", "with_quant_attr", "use_mkldnn"}

SOURCE = '''
import numpy as np
import paddle
import paddle.nn as nn


class Compare(nn.Layer):
    def forward(self, x):
        return (x > 0, x == 1, x >= 0.5, x <= 2, x != 2.0, x < 0.5, 0 < x,
                paddle.equal(x, 2), paddle.pow(x, 2))


class Arith(nn.Layer):
    def forward(self, x):
        return (x + 1, x * 2.0 + 1, x - 3, 2 - x, x / 4, 4 / x, x ** 2, 2 ** x, x % 2, x // 2,
                -x, 2.5 + x, 3 * x)


class IntOps(nn.Layer):
    def forward(self, x):
        return (x > 0, x + 1, x * 2, x == 3, x / 2, x > 0.5, x + 0.5, x % 2, x // 2, x ** 2,
                4 / x, 2 ** x, 3 - x)


class Reflected(nn.Layer):
    def forward(self, x):
        return 4 / x, 2 ** x, 3 - x, x / 8


class ReflectedTwoDyn(Reflected):
    pass


class ReflectedStatic(Reflected):
    pass


class Reduce(nn.Layer):
    def forward(self, x):
        b = x > 0
        return (paddle.sum(x), paddle.mean(x), paddle.max(x), paddle.min(x), paddle.prod(x),
                paddle.all(b), paddle.any(b), paddle.logsumexp(x), x.sum(), x.mean())


class ReduceAxes(nn.Layer):
    def forward(self, x):
        return (paddle.sum(x, axis=[]), paddle.sum(x, axis=1), paddle.sum(x, axis=[0, 1]),
                paddle.sum(x, keepdim=True), paddle.mean(x, axis=[]), paddle.mean(x, axis=-1),
                paddle.mean(x, axis=(1, 0)), paddle.max(x, keepdim=True), paddle.min(x, axis=0),
                paddle.prod(x, axis=[0, 1], keepdim=True), paddle.logsumexp(x, axis=1),
                paddle.logsumexp(x, axis=[0, 1]), paddle.all(x > 0, axis=[0, 1]))


class ReduceInts(nn.Layer):
    def forward(self, x):
        return paddle.sum(x > 0), paddle.sum(x.astype("int32")), paddle.sum(x.astype("int32"), 0)


def cases(name, rng):
    """Input cases of model ``name`` (several batch sizes)."""
    if name == "IntOps":
        return [[rng.integers(1, 6, (4, 3)).astype("int64")],
                [rng.integers(1, 6, (1, 3)).astype("int64")]]
    # positive: no division by zero; shapes vary in every dynamic dim of the spec
    pos = lambda *s: rng.uniform(0.5, 2, s).astype("float32")
    if name == "Reflected":
        return [[pos(2, 3, 4)], [pos(2, 1, 4)]]
    if name == "ReflectedTwoDyn":
        return [[pos(2, 3, 4)], [pos(3, 3, 1)]]
    if name == "ReflectedStatic":
        return [[pos(2, 3)]]
    f32 = lambda *s: rng.uniform(-3, 3, s).astype("float32")
    a = f32(4, 3)
    a[0, :3] = [1.0, 2.0, 0.5]  # the compared values themselves
    return [[a], [f32(1, 3) + 4.0], [f32(2, 3)]]
'''

SPECS = {
    "Compare": [[[None, 3], "float32", "x"]],
    "Arith": [[[None, 3], "float32", "x"]],
    "IntOps": [[[None, 3], "int64", "x"]],
    "Reflected": [[[2, None, 4], "float32", "x"]],
    "ReflectedTwoDyn": [[[None, 3, None], "float32", "x"]],
    "ReflectedStatic": [[[2, 3], "float32", "x"]],
    "Reduce": [[[None, 3], "float32", "x"]],
    "ReduceAxes": [[[None, 3], "float32", "x"]],
    "ReduceInts": [[[None, 3], "float32", "x"]],
}
MODELS = list(SPECS)
# Paddle 2.6's predictor (IR passes on) computes ``x / 4`` for ``4 / x`` on its *own* export when
# ``fill_constant_batch_size_like`` gets a later dynamic dim as 1 (``[-1, 3, 1]``); its jit.load
# and the predictor without IR optimisation are right (observed), so only jit.load is compared
PREDICTOR_WRONG_ON_PADDLES_OWN = {"ReflectedTwoDyn"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Our exports in ``ours/``, Paddle 2.6's in ``theirs/``, Paddle's results in ``ref_*.npz``
    (the oracle script of record_more_models, which imports the models as ``models_more``)."""
    return export_both(tmp_path_factory, "scalars", SOURCE, MODELS, SPECS)


@pytest.mark.parametrize("name", MODELS)
def test_paddle26_runs_our_export(exported, name):
    root, report = exported
    rep, ref = report[name], _ref(root, name)
    assert "jit_error" not in rep, rep["jit_error"]
    assert "pred_error" not in rep, rep["pred_error"]
    for i, _, want in _cases(ref):
        got = [ref[f"jit_{i}_{j}"] for j in range(len(want))]
        _same(got, want, f"Paddle 2.6 jit.load of our {name}, case {i}")
        if name in PREDICTOR_WRONG_ON_PADDLES_OWN:
            continue
        got = [ref[f"pred_{i}_{j}"] for j in range(len(want))]
        _same(got, want, f"Paddle 2.6 predictor on our {name}, case {i}")


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_paddlefish_runs_export(exported, name, side):
    root, _ = exported
    loaded = paddle.jit.load(str(root / side / name))
    for i, xs, want in _cases(_ref(root, name)):
        got = _outs(loaded(*[paddle.to_tensor(x) for x in xs]))
        _same(got, want, f"paddlefish jit.load of {side} {name}, case {i}")


@pytest.mark.parametrize("name", MODELS)
def test_paddlefish_predictor_runs_our_export(exported, name):
    root, _ = exported
    prefix = str(root / "ours" / name)
    pred = predictor(prefix, "")
    for i, xs, want in _cases(_ref(root, name)):
        got = run_handles(pred, xs)
        _same(got, want, f"paddlefish predictor on our {name}, case {i}")


def _frame(op):
    # Paddle 2.6 appends a ``scale`` per non-bool output (``save_infer_model/scale_N``); we don't
    return op.type in ("feed", "fetch") or any(
        n.startswith("save_infer_model/") for n in op.output_names()
    )


def _program(path):
    block = formats.load_program_desc(path).global_block()
    return block, [op for op in block.ops if not _frame(op)]


def _signature(path):
    """Per op: type, non-empty input slots, attributes with their types, outputs' dtype/shape
    (feeds, fetches and Paddle's ``save_infer_model`` scales left out)."""
    return signature(path, _frame, _NOISE_ATTRS)


@pytest.mark.parametrize("name", MODELS)
def test_program_is_declared_as_paddle26_declares_it(exported, name):
    root, _ = exported
    ours = _signature(root / "ours" / f"{name}.pdmodel")
    theirs = _signature(root / "theirs" / f"{name}.pdmodel")
    assert len(ours) == len(theirs), (
        f"{name}: {[s[0] for s in ours]} vs Paddle's {[s[0] for s in theirs]}"
    )
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert o == t, f"{name} op {i}"


@pytest.mark.parametrize("name", MODELS)
def test_no_scalar_becomes_a_parameter(exported, name):
    root, _ = exported
    persist = {}
    for side in ("ours", "theirs"):
        block = formats.load_program_desc(root / side / f"{name}.pdmodel").global_block()
        persist[side] = sorted(
            n for n, v in block.vars.items() if v.persistable and n not in ("feed", "fetch")
        )
        assert not os.path.exists(root / side / f"{name}.pdiparams"), side
    assert persist["ours"] == persist["theirs"] == []


@pytest.mark.parametrize("name", MODELS)
def test_paddlefish_eager_matches_paddle(exported, name):
    root, _ = exported
    ns = runpy.run_path(str(root / "models_scalars_pf.py"))
    for i, xs, want in _cases(_ref(root, name)):
        got = _outs(ns[name]()(*[paddle.to_tensor(x) for x in xs]))
        _same(got, want, f"paddlefish eager {name}, case {i}")

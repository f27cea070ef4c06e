"""PIR (``.json``) forms of ``max_pool2d_with_index``, ``mish``, ``round`` and the ops of
tests/jit/test_record_more_oracle.py (``one_hot``, ``masked_select``, ``nonzero``,
``sequence_mask``, ``p_norm``, ``equal_all``) and of ``amax``/``amin``, checked against real Paddle 3.3 both ways:

* Paddle 3.3's own ``jit.save`` of each layer lifts and runs in paddlefish with Paddle's eager
  outputs (``kernel_size``/``lambda`` renamed, ``round``'s ``decimals=0`` and
  ``max_pool2d_with_index``'s ``ceil_mode=False`` dropped; other values refused by name);
* paddlefish's PIR export runs in paddlefish and in Paddle 3.3 (``jit.load`` and the predictor)
  with Paddle's eager outputs, and writes the ops under test with Paddle's attributes, attribute
  kinds and result types.

``round`` is tested on values without .5 ties (its rounding mode is another test's business).
"""

from __future__ import annotations

import dataclasses

import pytest

import paddlefish as paddle
from paddlefish import formats, ir, ops
from tests.jit.record_more_models import PIR_MODELS, SOURCE, SPECS
from tests.jit.record_oracle import cases as _cases
from tests.jit.record_oracle import export_both
from tests.jit.record_oracle import outs as _outs
from tests.jit.record_oracle import ref as _ref
from tests.jit.record_oracle import same as _same

# the ops under test: their PIR attributes and result types must be Paddle's
_UNDER_TEST = {
    f"pd_op.{n}"
    for n in (
        "one_hot",
        "masked_select",
        "nonzero",
        "sequence_mask",
        "p_norm",
        "equal_all",
        "max_pool2d_with_index",
        "max_pool3d_with_index",
        "mish",
        "round",
        "amax",
        "amin",
    )
}

_NOISE = {"op_callstack", "struct_name", "op_role", "op_namescope", "op_dist_attr"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Our PIR exports in ``ours/``, Paddle 3.3's in ``theirs/``, its results in ``ref_*.npz``."""
    return export_both(tmp_path_factory, "pir_more", SOURCE, PIR_MODELS, SPECS, "3.3", pir=True)


@pytest.mark.parametrize("name", PIR_MODELS)
def test_paddle33_runs_our_pir_export(exported, name):
    root, report = exported
    rep, ref = report[name], _ref(root, name)
    assert (root / "ours" / f"{name}.json").exists()
    assert "jit_error" not in rep, rep["jit_error"]
    assert "pred_error" not in rep, rep["pred_error"]
    for i, _, want in _cases(ref):
        _same([ref[f"jit_{i}_{j}"] for j in range(len(want))], want, f"Paddle 3.3 jit.load {i}")
        _same([ref[f"pred_{i}_{j}"] for j in range(len(want))], want, f"Paddle 3.3 predictor {i}")


@pytest.mark.parametrize("name", PIR_MODELS)
@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_paddlefish_runs_pir_export(exported, name, side):
    root, _ = exported
    assert (root / side / f"{name}.json").exists()
    loaded = paddle.jit.load(str(root / side / name))
    for i, xs, want in _cases(_ref(root, name)):
        _same(_outs(loaded(*[paddle.to_tensor(x) for x in xs])), want, f"jit.load {side} {i}")


def _declared(path):
    """Name, attributes (kind and value) and result types of the ops under test, in order.
    Paddle 3.3 declares ``equal_all``'s result float32 although its kernel (and Paddle 2.6's
    declaration, and ours) is bool; that one type is left out."""
    out = []
    for op in formats.load_pir_json(path).walk():
        if op.name not in _UNDER_TEST:
            continue
        attrs = {k: (a.kind, a.plain()) for k, a in op.attrs.items() if k not in _NOISE}
        types = [(str(r.type.dtype), list(r.type.shape)) for r in op.results]
        if op.name == "pd_op.equal_all":
            types = [shape for _, shape in types]
        out.append((op.name, len(op.operands), attrs, types))
    return out


@pytest.mark.parametrize("name", PIR_MODELS)
def test_ops_are_written_as_paddle33_writes_them(exported, name):
    root, _ = exported
    ours = _declared(root / "ours" / f"{name}.json")
    theirs = _declared(root / "theirs" / f"{name}.json")
    assert ours and ours == theirs


def _with_attr(module, op_name, key, attr):
    """``module`` with attribute ``key`` of every ``op_name`` op replaced by ``attr``."""
    for op in module.walk():
        if op.name == op_name:
            op.attrs[key] = attr
    return module


@pytest.mark.parametrize(
    ("name", "op_name", "key", "value"),
    [
        ("MishRound", "pd_op.round", "decimals", 2),
        ("MaxPoolIdx", "pd_op.max_pool2d_with_index", "ceil_mode", True),
    ],
)
def test_attribute_without_legacy_counterpart_is_refused(exported, name, op_name, key, value):
    root, _ = exported
    module = formats.load_pir_json(root / "theirs" / f"{name}.json")
    first = next(op for op in module.walk() if op.name == op_name)
    attr = dataclasses.replace(first.attrs[key], value=value)
    with pytest.raises(ir.LiftError, match=f"{op_name}.*{key}={value!r}"):
        ir.lift_pir(_with_attr(module, op_name, key, attr), ops.by_pir, name=name)

"""PIR schema versions 1-3 (Paddle 3.0-3.2) read as version 4 (Paddle 3.3): NOTE [PIR schema
versions] in paddlefish/ir/_pir_upgrade.py, against the files each real release wrote
(tests/fixtures/pir/, made by tools/make_pir_fixtures.py)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from paddlefish import formats, ir
from paddlefish.errors import FormatError
from paddlefish.formats import pir_json

ROOT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "pir"
OLD = {"3.0": 1, "3.1": 2, "3.2": 3}
MODELS = sorted(p.name for p in (ROOT / "3.3").iterdir() if p.is_dir())


def _kinds_and_f32(node):
    """A JSON value with every float rounded to float32: what an f32 -> f64 widening keeps."""
    if isinstance(node, dict):
        return {k: _kinds_and_f32(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_kinds_and_f32(v) for v in node]
    if isinstance(node, float):
        return float(np.float32(node))
    return node


@pytest.mark.parametrize("release", sorted(OLD))
@pytest.mark.parametrize("model", MODELS)
def test_raw_read_round_trips_and_upgrade_gives_paddle_33s_file(release, model):
    path = ROOT / release / model / "model.json"
    raw = formats.load_pir_json(path, upgrade=False)
    assert raw.version == raw.source_version == OLD[release]
    assert pir_json.module_to_json(raw) == json.loads(path.read_text())
    up = formats.load_pir_json(path)
    assert (up.version, up.source_version) == (4, OLD[release])
    want = json.loads((ROOT / "3.3" / model / "model.json").read_text())
    assert _kinds_and_f32(pir_json.module_to_json(up)) == _kinds_and_f32(want)


def test_paddle_310_kthvalue_is_upgraded_too():
    """Paddle 3.1.0 wrote version 2 with ``kthvalue.k`` still i32 (3.1.1: i64)."""
    path = ROOT / "3.1" / "kinds_3.1.0" / "model.json"
    assert formats.load_pir_json(path, upgrade=False).version == 2
    want = json.loads((ROOT / "3.3" / "kinds" / "model.json").read_text())
    got = pir_json.module_to_json(formats.load_pir_json(path))
    assert _kinds_and_f32(got) == _kinds_and_f32(want)


def test_what_each_version_changed():
    """The attribute kinds the upgrade rewrites really are the ones the releases wrote."""
    kinds = {}
    for release in ("3.0", "3.1", "3.2", "3.3"):
        m = formats.load_pir_json(ROOT / release / "patched_ops" / "model.json", upgrade=False)
        ops_ = {op.name: op for op in m.walk()}
        kinds[release] = (
            ops_["pd_op.pool2d"].attrs["strides"].value[0].kind,
            ops_["pd_op.pool3d"].attrs["kernel_size"].value[0].kind,
            ops_["pd_op.expand_as"].attrs["target_shape"].value[0].kind,
            ops_["pd_op.leaky_relu"].attrs["negative_slope"].kind,
            ops_["pd_op.group_norm"].attrs["epsilon"].kind,
            ops_["pd_op.bilinear_interp"].attrs["scale"].value[0].kind,
        )
    i32, i64, f32, f64 = "0.a_i32", "0.a_i64", "0.a_f32", "0.a_f64"
    assert kinds["3.0"] == (i32, i32, i32, f32, f32, f32)
    assert kinds["3.1"] == kinds["3.2"] == (i64, i64, i64, f32, f32, f32)
    assert kinds["3.3"] == (i64, i64, i64, f64, f64, f64)


def test_upgrade_adds_attributes_and_leaves_others_alone():
    op = ir.PirOp("pd_op.repeat_interleave", attrs={"repeats": ir.PirAttr("0.a_i32", 2)})
    k = ir.PirOp("pd_op.kthvalue", attrs={"k": ir.PirAttr("0.a_i32", 2)})
    other = ir.PirOp("pd_op.relu", attrs={"x": ir.PirAttr("0.a_f32", 0.5)})
    m = ir.PirModule(
        1, True, [ir.PirRegion("region_0", [ir.PirBlock("block_0", [], [op, k, other])])]
    )
    ir.upgrade_pir(m)
    assert m.version == 4
    assert op.attrs["output_size"] == ir.PirAttr("0.a_i64", -1)
    assert k.attrs["k"] == ir.PirAttr("0.a_i64", 2)
    assert other.attrs["x"] == ir.PirAttr("0.a_f32", 0.5)
    # Paddle 3.1.0 wrote version 2 with an i32 k (3.1.1: i64)
    k2 = ir.PirOp("pd_op.kthvalue", attrs={"k": ir.PirAttr("0.a_i32", 3)})
    ir.upgrade_pir(ir.PirModule(2, True, [ir.PirRegion("r", [ir.PirBlock("b", [], [k2])])]))
    assert k2.attrs["k"] == ir.PirAttr("0.a_i64", 3)
    with pytest.raises(ValueError, match="version 7"):
        ir.upgrade_pir(ir.PirModule(7, True, m.regions))


@pytest.mark.parametrize(
    "version, fragments",
    [
        (0, ["version 0", "development builds"]),
        (5, ["version 5", "newer than Paddle 3.3's 4"]),
        (-3, ["version -3", "no Paddle release"]),
    ],
)
def test_unknown_versions_are_refused_by_name(version, fragments):
    doc = json.loads((ROOT / "3.0" / "mlp" / "model.json").read_text())
    doc["base_code"]["version"] = version
    with pytest.raises(FormatError) as e:
        pir_json.read_pir_json(json.dumps(doc), name="m.json")
    for f in fragments + ["m.json", "base_code.version", "1 (Paddle 3.0)"]:
        assert f in str(e.value), str(e.value)

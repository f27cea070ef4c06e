"""ProgramDesc codec: golden bytes (FORMATS.md 4), byte-identical round trips of real Paddle files,
damaged input, and real Paddle loading and running a program we wrote."""

from __future__ import annotations

import json
import random
import time

import numpy as np
import pytest

from paddlefish import ir
from paddlefish.errors import FormatError, ProgramError
from paddlefish.formats import (
    load_program_desc,
    paddle26_version_fields,
    read_program_desc,
    save_pdiparams,
    save_pdiparams_info,
    save_program_desc,
)
from paddlefish.formats.program_desc import program_to_bytes
from tests.formats._paddle_models import paddle_models
from tests.oracle import run_paddle

NEG1 = "ffffffffffffffffff01"


def linear_program(with_versions: bool = False) -> ir.Program:
    """FORMATS.md 4.4/4.5: feed -> matmul_v2 -> elementwise_add -> fetch, no common attrs."""
    version, ovm = paddle26_version_fields() if with_versions else (None, None)
    p = ir.Program(version=version, op_version_map=ovm)
    b = p.global_block()
    f32 = "float32"
    b.create_var("linear_0.b_0", dtype=f32, shape=[3], persistable=True)
    b.create_var("linear_0.tmp_0", dtype=f32, shape=[-1, 3], lod_level=0, persistable=False)
    b.create_var("linear_0.tmp_1", dtype=f32, shape=[-1, 3], lod_level=0, persistable=False)
    b.create_var("linear_0.w_0", dtype=f32, shape=[4, 3], persistable=True)
    b.create_var("x", dtype=f32, shape=[-1, 4])
    b.create_var("feed", type=ir.VarType.FEED_MINIBATCH, persistable=True)
    b.create_var("fetch", type=ir.VarType.FETCH_LIST, persistable=True)
    b.append_op("feed", {"X": ["feed"]}, {"Out": ["x"]}, {"col": 0})
    b.append_op(
        "matmul_v2",
        {"X": ["x"], "Y": ["linear_0.w_0"]},
        {"Out": ["linear_0.tmp_0"]},
        {"trans_x": False, "trans_y": False},
    )
    b.append_op(
        "elementwise_add",
        {"X": ["linear_0.tmp_0"], "Y": ["linear_0.b_0"]},
        {"Out": ["linear_0.tmp_1"]},
        {"axis": -1},
    )
    b.append_op("fetch", {"X": ["linear_0.tmp_1"]}, {"Out": ["fetch"]}, {"col": 0})
    return p


LINEAR_TEXT = """\
program version=None
block 0 (parent -1):
  var linear_0.b_0: lod_tensor float32[3] persistable
  var linear_0.tmp_0: lod_tensor float32[-1, 3]
  var linear_0.tmp_1: lod_tensor float32[-1, 3]
  var linear_0.w_0: lod_tensor float32[4, 3] persistable
  var x: lod_tensor float32[-1, 4]
  var feed: feed_minibatch persistable
  var fetch: fetch_list persistable
  x = feed(X=[feed]) {col=0}
  linear_0.tmp_0 = matmul_v2(X=[x], Y=[linear_0.w_0]) {trans_x=False, trans_y=False}
  linear_0.tmp_1 = elementwise_add(X=[linear_0.tmp_0], Y=[linear_0.b_0]) {axis=-1}
  fetch = fetch(X=[linear_0.tmp_1]) {col=0}"""


def test_golden_prefix_and_var_encodings():
    data = program_to_bytes(linear_program())
    # blocks(1) len, idx 0, parent_idx -1 (10-byte varint), then the first var exactly as 4.5
    assert data[0] == 0x0A
    body = data[data.index(b"\x08\x00") :]
    var_b = "1a1c0a0c" + b"linear_0.b_0".hex() + "120a08071a060a04080510031801"
    var_tmp = "1a2b0a0e" + b"linear_0.tmp_0".hex() + "121708071a130a0f080510" + NEG1
    var_tmp += "100310001800"
    assert body.hex().startswith("080010" + NEG1 + var_b + var_tmp)
    assert b"\x22" not in data[-3:]  # no version field


def test_round_trip_and_text():
    p = linear_program()
    assert str(p) == LINEAR_TEXT
    q = read_program_desc(program_to_bytes(p))
    assert q == p and str(q) == LINEAR_TEXT
    p2 = linear_program(with_versions=True)
    data = program_to_bytes(p2)
    assert bytes.fromhex("220408f2b77a") in data  # version 2006002
    assert read_program_desc(data) == p2


def test_attr_types_survive(tmp_path):
    p = linear_program()
    op = p.global_block().ops[1]
    op.set_attr("l", 5, ir.AttrType.LONG)
    op.set_attr("d", 0.1, ir.AttrType.FLOAT64)
    op.set_attr("f", 0.1)
    op.set_attr("s", [1.5, True, 2], ir.AttrType.SCALARS)
    op.set_attr("ls", [2**40], ir.AttrType.LONGS)
    op.set_attr("vs", ["x"], ir.AttrType.VARS)
    save_program_desc(p, tmp_path / "m.pdmodel")
    q = load_program_desc(tmp_path / "m.pdmodel")
    got = q.global_block().ops[1]
    assert got.attr_types == op.attr_types and got.attrs["s"] == [1.5, True, 2]
    assert got.attrs["d"] == 0.1 and got.attrs["f"] == pytest.approx(0.1) and got.attrs["l"] == 5
    assert "l=5:long" in str(q) and "f=0.1," in str(q)


def test_unverifiable_program_is_not_written():
    p = linear_program()
    p.global_block().ops[1].inputs["Y"] = ["nope"]
    with pytest.raises(ProgramError, match="'nope'"):
        program_to_bytes(p)


def test_damaged_bytes_fail_fast():
    data = program_to_bytes(linear_program(with_versions=True))
    for n in range(1, len(data), 7):
        try:
            read_program_desc(data[:n], name="m.pdmodel")
        except FormatError as e:
            assert "m.pdmodel" in str(e)
    with pytest.raises(FormatError, match="m.pdmodel"):
        read_program_desc(data[:40], name="m.pdmodel")
    with pytest.raises(FormatError, match="required"):
        read_program_desc(bytes.fromhex("0a00"))
    rng = random.Random(0)
    t = time.perf_counter()
    outcomes = {"error": 0, "ok": 0}
    for _ in range(300):
        flipped = bytearray(data)
        i = rng.randrange(len(flipped))
        flipped[i] ^= 1 << rng.randrange(8)
        try:
            read_program_desc(bytes(flipped), name="m.pdmodel").verify()
            outcomes["ok"] += 1
        except FormatError as e:
            assert "m.pdmodel" in str(e)
            outcomes["error"] += 1
    assert time.perf_counter() - t < 10
    assert outcomes["error"] > 30, outcomes


# ---------------------------------------------------------------------------------------------
# real Paddle


def _oracle_files(version):
    names = ["mlp/mlp", "cbn/cbn", "st/model"] + (["cf/cf"] if version == "2.6" else [])
    return [f"{n}.pdmodel" for n in names]


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_paddle_programs_round_trip_byte_identical(version, tmp_path_factory):
    root = paddle_models(version, tmp_path_factory)
    for rel in _oracle_files(version):
        data = (root / rel).read_bytes()
        program = read_program_desc(data, name=rel)
        program.verify()
        assert program_to_bytes(program) == data, rel
        assert str(program) == str(read_program_desc(program_to_bytes(program)))
    mlp = load_program_desc(root / "mlp" / "mlp.pdmodel")
    text = str(mlp)
    assert "linear_0.tmp_0 = matmul_v2(X=[x], Y=[linear_0.w_0])" in text
    assert "var linear_0.w_0: lod_tensor float32[4, 8] persistable" in text
    st = load_program_desc(root / "st" / "model.pdmodel")
    types = [op.type for op in st.global_block().ops]
    assert "adam" in types and "matmul_v2_grad" in types or "mul_grad" in types


@pytest.mark.oracle
def test_control_flow_blocks_paddle26(tmp_path_factory):
    cf = load_program_desc(paddle_models("2.6", tmp_path_factory) / "cf" / "cf.pdmodel")
    assert cf.num_blocks == 4 and all(b.parent_idx == 0 for b in cf.blocks[1:])
    block_attrs = [
        (op.type, v)
        for op in cf.global_block().ops
        for k, v in op.attrs.items()
        if op.attr_types[k] == ir.AttrType.BLOCK
    ]
    assert {t for t, _ in block_attrs} >= {"conditional_block", "while"}
    assert "sub_block=^block" in str(cf)


@pytest.mark.oracle
def test_op_versions_match_paddle26(tmp_path_factory):
    mlp = load_program_desc(paddle_models("2.6", tmp_path_factory) / "mlp" / "mlp.pdmodel")
    assert (mlp.version, mlp.op_version_map) == paddle26_version_fields()


RUN_OURS = """
import paddle, numpy as np, json
sd = paddle.load('lin/lin')  # first: after a jit.load it hits FORMATS.md 10 item 5 (KeyError)
paddle.enable_static()
exe = paddle.static.Executor(paddle.CPUPlace())
x = np.arange(8, dtype='float32').reshape(2, 4)
prog, feeds, fetches = paddle.static.load_inference_model('lin/lin', exe)
r1 = exe.run(prog, feed={feeds[0]: x}, fetch_list=fetches)[0]
paddle.disable_static()
layer = paddle.jit.load('lin/lin')
r2 = layer(paddle.to_tensor(x)).numpy()
print(json.dumps([feeds, r1.tolist(), r2.tolist(), sorted(sd), sd['weight'].tolist()]))
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
@pytest.mark.parametrize("with_versions", [False, True])
def test_paddle_runs_our_linear(version, with_versions, tmp_path):
    w = np.arange(12, dtype="float32").reshape(4, 3) / 10
    b = np.array([1.0, -1.0, 0.5], "float32")
    save_program_desc(linear_program(with_versions), tmp_path / "lin" / "lin.pdmodel")
    save_pdiparams({"linear_0.w_0": w, "linear_0.b_0": b}, tmp_path / "lin" / "lin.pdiparams")
    info = {
        "linear_0.w_0": {"structured_name": "weight", "stop_gradient": False, "trainable": True},
        "linear_0.b_0": {"structured_name": "bias", "stop_gradient": False, "trainable": True},
    }
    save_pdiparams_info(info, tmp_path / "lin" / "lin.pdiparams.info")
    out = run_paddle(RUN_OURS, version, cwd=tmp_path, legacy=True)
    feeds, r1, r2, keys, sd_w = json.loads(out.strip().splitlines()[-1])
    expected = np.arange(8, dtype="float32").reshape(2, 4) @ w + b
    assert feeds == ["x"]
    np.testing.assert_allclose(r1, expected, rtol=1e-6)
    np.testing.assert_allclose(r2, expected, rtol=1e-6)
    assert keys == ["bias", "weight"] and np.allclose(sd_w, w)

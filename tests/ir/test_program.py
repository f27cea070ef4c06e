"""ir: building, verify() errors, the text printer, InputSpec (behaviour of Paddle 2.6)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from paddlefish import ir
from paddlefish.errors import ProgramError
from tests.oracle import run_paddle


def small() -> ir.Program:
    p = ir.Program()
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=[-1, 4])
    b.create_var("w", dtype="float32", shape=[4, 2], persistable=True)
    b.create_var("y", dtype="float32", shape=[-1, 2], lod_level=0)
    b.append_op("matmul_v2", {"X": ["x"], "Y": ["w"]}, {"Out": ["y"]}, {"trans_x": False})
    return p


def test_build_and_print():
    p = small()
    p.verify()
    assert str(p) == (
        "program version=None\n"
        "block 0 (parent -1):\n"
        "  var x: lod_tensor float32[-1, 4]\n"
        "  var w: lod_tensor float32[4, 2] persistable\n"
        "  var y: lod_tensor float32[-1, 2]\n"
        "  y = matmul_v2(X=[x], Y=[w]) {trans_x=False}"
    )


def test_prepend_multi_output_and_block_attr_print():
    p = small()
    sub = p.create_block(0)
    sub.create_var("z", dtype="int64", shape=[])
    sub.append_op("fill", {}, {"Out": ["z"]}, {"value": 2**40})
    b = p.global_block()
    b.create_var("s", dtype="int64", shape=[1])
    op = b.prepend_op("cond", {"Cond": ["x"]}, {"Out": ["s"], "Scope": ["y"]}, {"sub_block": sub})
    assert op.attr_types["sub_block"] == ir.AttrType.BLOCK and b.ops[0] is op
    p.verify()
    text = str(p)
    assert "{Out=[s], Scope=[y]} = cond(Cond=[x]) {sub_block=^block1}" in text
    assert "block 1 (parent 0):" in text and "z = fill() {value=1099511627776}" in text


def test_sub_block_sees_parent_vars():
    p = small()
    sub = p.create_block(0)
    sub.append_op("relu", {"X": ["x"]}, {"Out": ["y"]})
    p.verify()
    assert sub.find_var("w") is p.global_block().var("w")
    with pytest.raises(ProgramError, match="block 1 has no variable 'w'"):
        sub.var("w")


@pytest.mark.parametrize(
    "damage, match",
    [
        (
            lambda p: p.global_block().ops[0].inputs.update(Y=["nope"]),
            r"op #0 \(matmul_v2\).*'nope'",
        ),
        (lambda p: p.global_block().ops[0].outputs.update(Out=["gone"]), "output slot 'Out'"),
        (lambda p: p.global_block().ops[0].set_attr("b", 7, ir.AttrType.BLOCK), "block 7"),
        (lambda p: p.global_block().ops[0].attrs.update(trans_x=3), "not a valid BOOLEAN"),
        (lambda p: p.global_block().ops[0].attrs.update(extra=1), "disagree"),
        (lambda p: setattr(p.global_block(), "parent_idx", 0), "global block 0"),
        (lambda p: setattr(p.create_block(0), "parent_idx", 9), "parent_idx=9"),
        (lambda p: setattr(p.create_block(0), "idx", 5), "idx=5"),
        (lambda p: p.global_block().vars.update(q=ir.VarDesc("r")), "named 'r'"),
        (lambda p: setattr(p.global_block().var("x"), "shape", [2.5]), "shape"),
    ],
)
def test_verify_errors_name_the_place(damage, match):
    p = small()
    damage(p)
    with pytest.raises(ProgramError, match=match):
        p.verify()


def test_parent_cycle():
    p = small()
    a, b = p.create_block(0), p.create_block(0)
    a.parent_idx, b.parent_idx = 2, 1
    with pytest.raises(ProgramError, match="cycle"):
        p.verify()


def test_empty_var_name_allowed_and_duplicate_var_refused():
    p = small()
    p.global_block().ops[0].inputs["Bias"] = [ir.EMPTY_VAR_NAME]
    p.verify()
    with pytest.raises(ProgramError, match="already declares"):
        p.global_block().create_var("x")


def test_attr_type_inference():
    assert ir.infer_attr_type(True) == ir.AttrType.BOOLEAN
    assert ir.infer_attr_type([2**33]) == ir.AttrType.LONGS
    assert ir.infer_attr_type([1, 2.5]) == ir.AttrType.FLOATS
    assert ir.infer_attr_type([]) == ir.AttrType.INTS
    with pytest.raises(TypeError, match="attr_types"):
        ir.infer_attr_type({"a": 1})


def test_clone_and_equality():
    p = small()
    q = p.clone()
    assert q == p and q.global_block().program is q
    q.global_block().ops[0].attrs["trans_x"] = True
    assert q != p


# ---------------------------------------------------------------------------------------------
# InputSpec


def test_input_spec_basics():
    s = ir.InputSpec([None, 784], "float32", "x")
    assert (
        repr(s) == "InputSpec(shape=(-1, 784), dtype=paddle.float32, name=x, stop_gradient=False)"
    )
    assert s == ir.InputSpec((-1, 784), np.float32, "x")
    assert s != ir.InputSpec((-1, 784), "float32", "y")
    assert hash(s) == hash(ir.InputSpec((-1, 784), "float32", "y"))  # name not hashed
    assert ir.InputSpec([64]).batch(4).shape == (4, 64)
    assert ir.InputSpec([4, 64]).unbatch().shape == (64,)
    assert ir.InputSpec.from_numpy(np.zeros((2, 3), "int64"), "a").dtype == "int64"
    with pytest.raises(ValueError, match="unbatch"):
        ir.InputSpec([]).unbatch()
    with pytest.raises(TypeError, match="tuple, list"):
        ir.InputSpec(5)

    class FakeTensor:
        shape, dtype, name = [2, 2], "float16", "t"

    assert ir.InputSpec.from_tensor(FakeTensor()) == ir.InputSpec([2, 2], "float16", "t")
    with pytest.raises(ValueError, match="should be a Tensor"):
        ir.InputSpec.from_tensor(3)


@pytest.mark.oracle
def test_input_spec_reprs_match_paddle26(tmp_path):
    cases = [
        [[None, 784], "float32", "x"],
        [[-1, 1], "int64", "label"],
        [[2, None, -5], "float16", None],
        [[], "bool", "s"],
    ]
    code = f"""
import paddle, json
from paddle.static import InputSpec
out = []
for shape, dtype, name in json.loads({json.dumps(cases)!r}):
    s = InputSpec(shape, dtype, name)
    out.append([repr(s), repr(s.batch(3)), repr(s.unbatch())])
print(json.dumps(out))
"""
    theirs = json.loads(run_paddle(code, "2.6", cwd=tmp_path).strip().splitlines()[-1])
    for (shape, dtype, name), expected in zip(cases, theirs):
        s = ir.InputSpec(tuple(shape), dtype, name)
        assert [repr(s), repr(s.batch(3)), repr(s.unbatch())] == expected

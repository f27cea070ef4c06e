"""The PIR ``.json`` codec (formats/pir_json.py): real Paddle 3.3 files parse and re-write to the
same bytes; every type/attribute kind of FORMATS.md 6.3 decodes; malformed and hostile files are
refused with a FormatError that names the file and the spot, never a deep traceback or a hang."""

from __future__ import annotations

import copy
import io
import json
import math
import time

import pytest

from paddlefish import formats, ir
from paddlefish.errors import FormatError
from paddlefish.formats import pir_json
from tests.oracle import run_paddle

T_F32 = {"#": "0.t_dtensor", "D": [{"#": "0.t_f32"}, [-1, 4], "NCHW", [], 0]}


def _doc(ops, version=4):
    return {
        "base_code": {"magic": "pir", "trainable": True, "version": version},
        "program": {
            "regions": [{"#": "region_0", "blocks": [{"#": "block_0", "args": [], "ops": ops}]}]
        },
    }


def _data(vid, name="x"):
    return {
        "#": "1.data",
        "I": [],
        "O": [{"%": vid, "TT": T_F32}],
        "A": [
            {"N": "name", "AT": {"#": "0.a_str", "D": name}},
            {"N": "shape", "AT": {"#": "1.a_intarray", "D": [-1, 4]}},
            {"N": "dtype", "AT": {"#": "1.a_dtype", "D": "float32"}},
            {"N": "place", "AT": {"#": "1.a_place", "D": [0, 0, ""]}},
        ],
    }


def _relu(src, vid):
    return {"#": "1.relu", "I": [{"%": src}], "O": [{"%": vid, "TT": T_F32}], "A": []}


def _read(doc):
    return pir_json.read_pir_json(json.dumps(doc), name="m.json")


@pytest.fixture(scope="module")
def real_files(tmp_path_factory):
    """A few files written by real Paddle 3.3 jit.save (PIR mode, its default)."""
    root = tmp_path_factory.mktemp("pir_real")
    (root / "gen.py").write_text("""
import paddle
from paddle.static import InputSpec
class M(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = paddle.nn.Conv2D(3, 4, 3, padding=1); self.bn = paddle.nn.BatchNorm2D(4)
        self.fc = paddle.nn.Linear(4, 2)
    def forward(self, x):
        h = paddle.nn.functional.relu(self.bn(self.conv(x)))
        h = paddle.flatten(paddle.nn.functional.adaptive_avg_pool2d(h, 1), 1)
        y = self.fc(h)
        return paddle.concat([y, paddle.full_like(y, float("inf"))], axis=-1), h.shape[0]
paddle.jit.save(M(), "conv", input_spec=[InputSpec([None, 3, 8, 8], "float32", "x")])
paddle.jit.save(paddle.nn.Linear(4, 3), "lin", input_spec=[InputSpec([None, 4], "float32", "x")])
""")
    run_paddle(f"import runpy; runpy.run_path({str(root / 'gen.py')!r})", "3.3", cwd=root)
    return root


def test_real_files_roundtrip_to_the_same_bytes(real_files):
    for name in ("conv", "lin"):
        raw = (real_files / f"{name}.json").read_bytes()
        module = formats.load_pir_json(real_files / f"{name}.json")
        buf = io.BytesIO()
        formats.write_pir_json(module, buf)
        assert buf.getvalue() == raw
        # key order and whitespace are ignored: an indented, reordered copy reads the same
        doc = json.loads(raw)
        text = json.dumps({"program": doc["program"], "base_code": doc["base_code"]}, indent=3)
        assert formats.read_pir_json(text) == module


def test_real_file_contents(real_files):
    module = formats.load_pir_json(real_files / "conv.json")
    assert (module.version, module.trainable, module.magic) == (4, True, "pir")
    params = {op.attr("parameter_name"): op for op in module.parameters()}
    bn_mean = next(
        op
        for n, op in params.items()
        if n.startswith("batch_norm")
        and op.result_flags("trainable") == [False]
        and op.results[0].type.shape == [4]
    )
    assert bn_mean.result_flags("persistable") == [True]
    assert bn_mean.result_flags("stop_gradient") == [True]
    weight = params[next(n for n in params if n.startswith("linear") and ".w_" in n)]
    assert weight.results[0].type.shape == [4, 2] and weight.results[0].type.dtype.name == "float32"
    names = [op.name for op in module.walk()]
    assert {"pd_op.data", "pd_op.fetch", "pd_op.batch_norm_", "builtin.combine"} <= set(names)
    fulls = [op for op in module.walk() if op.name == "pd_op.full"]
    assert any(op.attr("value") == math.inf for op in fulls)  # written as "VD": "INF"
    data = next(op for op in module.walk() if op.name == "pd_op.data")
    assert data.attr("shape") == [-1, 3, 8, 8] and data.attrs["place"].kind == "1.a_place"


def test_every_attribute_and_type_kind_decodes():
    attrs = [
        ("b", {"#": "0.a_bool", "D": True}, True),
        ("i", {"#": "0.a_i32", "D": -3}, -3),
        ("l", {"#": "0.a_i64", "D": 2**40}, 2**40),
        ("f", {"#": "0.a_f32", "D": 0.5}, 0.5),
        ("d", {"#": "0.a_f64", "VD": "-INF"}, -math.inf),
        ("s", {"#": "0.a_str", "D": "a"}, "a"),
        (
            "a",
            {"#": "0.a_array", "D": [{"#": "0.a_i64", "D": 1}, {"#": "0.a_i64", "D": 2}]},
            [1, 2],
        ),
        ("ia", {"#": "1.a_intarray", "D": [-1, 4]}, [-1, 4]),
        ("dt", {"#": "1.a_dtype", "D": "bfloat16"}, "bfloat16"),
        ("pl", {"#": "1.a_place", "D": [1, 0, ""]}, [1, 0, ""]),
    ]
    vec = {
        "#": "0.t_vec",
        "D": [T_F32, {"#": "0.t_dtensor", "D": [{"#": "0.t_i64"}, [], "NCHW", [], 0]}],
    }
    op = {
        "#": "1.some_op",
        "I": [{"%": 1}],
        "O": [{"%": 2, "TT": vec}],
        "A": [{"N": n, "AT": at} for n, at, _ in attrs],
    }
    m = _read(_doc([_data(1), op]))
    got = m.global_block().ops[1]
    assert {n: got.attr(n) for n, _, _ in attrs} == {n: v for n, _, v in attrs}
    t = got.results[0].type
    assert t.is_vector and str(t) == "vec<float32[-1, 4], int64[]>"
    nan = _read(
        _doc(
            [dict(op, A=[{"N": "x", "AT": {"#": "0.a_f32", "VD": "NaN"}}])][:0]
            + [_data(1), dict(op, A=[{"N": "x", "AT": {"#": "0.a_f32", "VD": "NaN"}}])]
        )
    )
    assert math.isnan(nan.global_block().ops[1].attr("x"))
    for dtype in (
        "bool",
        "i8",
        "ui8",
        "i16",
        "i32",
        "i64",
        "f16",
        "bf16",
        "f32",
        "f64",
        "c64",
        "c128",
    ):
        tt = {"#": "0.t_dtensor", "D": [{"#": f"0.t_{dtype}"}, [2], "NCHW", [], 0]}
        r = _read(_doc([dict(_data(1), O=[{"%": 1, "TT": tt}])]))
        assert r.global_block().ops[0].results[0].type.dtype.pir_name == f"0.t_{dtype}"


def test_parameter_shorthand_and_oa():
    p = {
        "#": "p",
        "A": [0, 1, 1, "w"],
        "DA": [],
        "QA": [],
        "OA": [1, 1, 0],
        "O": {"%": 1, "TT": T_F32},
    }
    m = _read(_doc([p]))
    op = m.parameters()[0]
    assert op.attr("parameter_name") == "w" and op.attr("is_parameter") is True
    assert [op.result_flags(k) for k in ("persistable", "stop_gradient", "trainable")] == [
        [True],
        [True],
        [False],
    ]
    assert ir.pir_parameter_info(m)["w"]["trainable"] is False
    assert pir_json.module_to_json(m) == _doc([p])


def _bad(doc_or_text, *fragments):
    text = doc_or_text if isinstance(doc_or_text, (str, bytes)) else json.dumps(doc_or_text)
    with pytest.raises(FormatError) as e:
        pir_json.read_pir_json(text, name="bad.json")
    msg = str(e.value)
    assert "bad.json" in msg
    for f in fragments:
        assert f in msg, msg
    return msg


def test_refuses_malformed_files():
    good = json.dumps(_doc([_data(1), _relu(1, 2)]))
    _bad(good[: len(good) // 2], "not valid JSON", "truncated")
    _bad(_doc([_data(1), _relu(7, 2)]), "%7", "dangling")
    _bad(_doc([_relu(2, 3), _data(2)]), "%2", "before it is defined")
    _bad(_doc([_data(1), _data(1, "y")]), "%1", "defined twice")
    _bad(_doc([_data(1)], version=5), "version 5", "not supported", "newer than")
    _bad(_doc([_data(1)], version=0), "version 0", "development builds")
    _bad(_doc([_data(1)], version=99), "version 99")
    doc = _doc([_data(1)])
    doc["base_code"]["magic"] = "xyz"
    _bad(doc, "magic", "'pir'")
    _bad(_doc([{"#": "9.relu", "I": [], "O": []}]), "dialect")
    _bad(
        _doc([dict(_data(1), O=[{"%": 1, "TT": {"#": "0.t_dtensor", "D": [{"#": "0.t_f32"}]}}])]),
        "5 fields",
    )
    _bad(
        _doc([dict(_data(1), A=[{"N": "name", "AT": {"#": "0.a_i32", "D": "x"}}])]),
        "0.a_i32",
        "ops[0] (pd_op.data)",
    )
    _bad(_doc([{"#": "p", "A": [0, 1, "w"], "O": {"%": 1, "TT": T_F32}}]), "'p' op")
    _bad(
        _doc([{"#": "p", "A": [0, 1, 1, "w"], "OA": [1, 0, 1], "O": [{"%": 1, "TT": T_F32}]}]),
        "single value object",
    )
    _bad("[]", "JSON object")
    _bad(_doc([{"#": "1.relu", "I": [{"%": "a"}], "O": []}]), "int value id")


def test_block_argument_scoping():
    arg_t = {"#": -1, "TT": T_F32}
    body = {"#": "block_1", "args": [arg_t], "ops": [_relu(-1, 3)]}
    loop = {
        "#": "1.while",
        "I": [{"%": 1}],
        "O": [],
        "A": [],
        "regions": [{"#": "region_1", "blocks": [body]}],
    }
    assert _read(_doc([_data(1), loop]))
    _bad(_doc([_data(1), loop, _relu(-1, 4)]), "%-1", "another block")
    _bad(_doc([_data(1), loop, _relu(3, 4)]), "%3", "outside the region")


def test_hostile_input_is_refused_quickly(monkeypatch):
    start = time.perf_counter()
    _bad("[" * 100_000 + "]" * 100_000, "nested too deeply")
    nested = {"#": "region_0", "blocks": []}
    for _ in range(100):
        nested = {
            "#": "region_x",
            "blocks": [
                {
                    "#": "b",
                    "args": [],
                    "ops": [{"#": "1.if", "I": [], "O": [], "A": [], "regions": [nested]}],
                }
            ],
        }
    doc = _doc([])
    doc["program"]["regions"] = [nested]
    _bad(doc, "more than 64 deep")
    monkeypatch.setattr(pir_json, "MAX_BYTES", 1000)
    _bad('{"base_code": "' + "x" * 5000 + '"}', "limit")
    assert time.perf_counter() - start < 10


def test_looks_like_pir_json():
    assert formats.sniff(json.dumps(_doc([])).encode()) == "pir_json"
    assert not pir_json.looks_like_pir_json(b"\x80\x02}q\x00.")


def test_write_is_deterministic_and_atomic(tmp_path):
    m = _read(_doc([_data(1), _relu(1, 2)]))
    formats.save_pir_json(m, tmp_path / "a.json")
    assert formats.load_pir_json(tmp_path / "a.json") == m
    m2 = copy.deepcopy(m)
    m2.global_block().ops[1].attrs["x"] = ir.PirAttr("0.a_f64", math.nan)
    buf = io.BytesIO()
    formats.write_pir_json(m2, buf)
    assert b'"VD":"NaN"' in buf.getvalue()

"""Combined .pdiparams and per-variable dirs: golden bytes (FORMATS.md 3.2), errors, real Paddle."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from paddlefish.errors import FormatError
from paddlefish.formats import (
    load_pdiparams,
    load_program_desc,
    load_vars_dir,
    persistable_names,
    read_pdiparams,
    save_pdiparams,
    save_vars_dir,
    write_pdiparams,
)
from tests.formats._paddle_models import paddle_models

HEADER = "00000000000000000000000000000000"


def test_golden_linear_4_3():
    w = np.arange(12, dtype="float32").reshape(4, 3) / 8
    b = np.zeros(3, "float32")
    buf = io.BytesIO()
    write_pdiparams({"linear_0.w_0": w, "linear_0.b_0": b}, buf)
    expected = (
        bytes.fromhex(HEADER + "0400000008051003")
        + b.tobytes()
        + bytes.fromhex(HEADER + "06000000080510041003")
        + w.tobytes()
    )
    assert len(expected) == 110 and buf.getvalue() == expected
    back = read_pdiparams(io.BytesIO(expected), ["linear_0.w_0", "linear_0.b_0"])
    assert list(back) == ["linear_0.b_0", "linear_0.w_0"]
    assert np.array_equal(back["linear_0.w_0"], w) and np.array_equal(back["linear_0.b_0"], b)


def test_python_sorted_order():
    arrays = {f"linear_{i}.w_0": np.full(1, i, "int64") for i in range(11)}
    buf = io.BytesIO()
    write_pdiparams(arrays, buf)
    stream = io.BytesIO(buf.getvalue())
    values = [int(v[0]) for v in read_pdiparams(stream, arrays).values()]
    assert values == [0, 1, 10, 2, 3, 4, 5, 6, 7, 8, 9]


def test_bfloat16_needs_dtype_map():
    buf = io.BytesIO()
    write_pdiparams({"w": np.array([0x3F80], "<u2")}, buf, dtypes={"w": "bfloat16"})
    assert bytes.fromhex("08161001") in buf.getvalue()


def test_fewer_tensors_than_names():
    buf = io.BytesIO()
    write_pdiparams({"a": np.ones(2, "float32")}, buf)
    with pytest.raises(FormatError, match=r"'b' \(sorted position 1\).*missing"):
        read_pdiparams(io.BytesIO(buf.getvalue()), ["a", "b"], name="m.pdiparams")


def test_more_tensors_than_names():
    buf = io.BytesIO()
    write_pdiparams({"a": np.ones(2, "float32"), "b": np.ones(1, "float32")}, buf)
    with pytest.raises(FormatError, match="more tensors"):
        read_pdiparams(io.BytesIO(buf.getvalue()), ["a"])


def test_truncated_second_tensor_names_variable_and_offset():
    buf = io.BytesIO()
    write_pdiparams({"a": np.ones(2, "float32"), "b": np.ones(4, "float32")}, buf)
    with pytest.raises(FormatError, match=r"variable 'b' \(sorted position 1, offset 32\)"):
        read_pdiparams(io.BytesIO(buf.getvalue()[:-1]), ["a", "b"])


def test_invalid_array_refused_before_writing(tmp_path):
    p = tmp_path / "m.pdiparams"
    p.write_bytes(b"old")
    with pytest.raises(FormatError, match="'z'"):
        save_pdiparams({"a": np.ones(1, "float32"), "z": np.array(["x"])}, p)
    assert p.read_bytes() == b"old"


def test_path_round_trip(tmp_path):
    arrays = {"b": np.arange(3, dtype="int32"), "a": np.eye(2)}
    save_pdiparams(arrays, tmp_path / "m.pdiparams")
    back = load_pdiparams(tmp_path / "m.pdiparams", arrays)
    assert all(np.array_equal(back[k], arrays[k]) for k in arrays)


def test_vars_dir_with_subfolders(tmp_path):
    arrays = {"fc_0.w_0": np.ones((2, 2), "float32"), "blk/fc_1.b_0": np.zeros(2, "float64")}
    save_vars_dir(arrays, tmp_path / "d")
    assert os.path.isfile(tmp_path / "d" / "blk" / "fc_1.b_0")
    (tmp_path / "d" / "__model__").write_bytes(bytes.fromhex("0a0208001000"))
    back = load_vars_dir(tmp_path / "d")
    assert sorted(back) == ["blk/fc_1.b_0", "fc_0.w_0"]
    assert np.array_equal(back["blk/fc_1.b_0"], arrays["blk/fc_1.b_0"])
    with pytest.raises(FormatError, match="no file for variable 'missing'"):
        load_vars_dir(tmp_path / "d", ["missing"])


@pytest.mark.parametrize("bad", ["../evil", "/abs", "a//b", ""])
def test_vars_dir_refuses_path_escapes(tmp_path, bad):
    with pytest.raises(FormatError):
        save_vars_dir({bad: np.ones(1, "float32")}, tmp_path / "d")
    assert not (tmp_path / "evil").exists()


# ---------------------------------------------------------------------------------------------
# real Paddle (reverse direction: tests/formats/test_program_desc.py runs our files in Paddle)


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
@pytest.mark.parametrize("model", ["mlp", "cbn"])
def test_jit_save_params_match_and_rewrite_identically(version, model, tmp_path_factory):
    d = paddle_models(version, tmp_path_factory) / model
    names = persistable_names(load_program_desc(d / f"{model}.pdmodel"))
    params = load_pdiparams(d / f"{model}.pdiparams", names)
    assert list(params) == names and len(names) in (4, 6)
    for name, arr in params.items():
        assert np.array_equal(arr, np.load(d / "npy" / f"{name}.npy")), name
    buf = io.BytesIO()
    write_pdiparams(params, buf)
    assert buf.getvalue() == (d / f"{model}.pdiparams").read_bytes()


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_save_persistables_and_save_vars_dirs(version, tmp_path_factory, tmp_path):
    root = paddle_models(version, tmp_path_factory)
    program = load_program_desc(root / "st" / "model.pdmodel")
    names = persistable_names(program)
    assert "learning_rate_0" in names and "fc_0.w_0_moment1_0" in names
    for dirname in ("persist", "vars"):
        arrays = load_vars_dir(root / dirname)
        assert sorted(arrays) == names
        for name, arr in arrays.items():
            assert np.array_equal(arr, np.load(root / "st" / "npy" / f"{name}.npy")), name
        assert load_vars_dir(root / dirname, names).keys() == arrays.keys()
    save_vars_dir(arrays, tmp_path / "ours")
    for name in names:
        assert (tmp_path / "ours" / name).read_bytes() == (root / "persist" / name).read_bytes()

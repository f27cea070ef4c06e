"""Round trips of every kind of object through paddle.save / paddle.load (FORMATS.md 1.1-1.9)."""

from __future__ import annotations

import collections
import io
import pickle

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish import formats
from paddlefish.formats import pdparams
from paddlefish.framework import load, save
from tests.framework.conftest import assert_same, named, optimizer_like_state


@pytest.mark.parametrize("protocol", [2, 3, 4])
def test_layer_state_dict_round_trip_with_names(tmp_path, net, protocol):
    p = tmp_path / "sub" / "net.pdparams"
    save(net.state_dict(), p, protocol=protocol)
    got = load(p)
    assert_same(dict(net.state_dict()), got)
    assert all(t.stop_gradient for t in got.values())
    raw = pickle.loads(p.read_bytes())
    assert list(raw)[-1] == "StructuredToParameterName@@"
    assert raw["StructuredToParameterName@@"]["fc1.weight"] == "linear_0.w_0"
    assert isinstance(raw["fc1.weight"], np.ndarray)


def test_loaded_state_dict_sets_into_fresh_layer(tmp_path, net):
    save(net.state_dict(), tmp_path / "a.pdparams")
    other = type(net)()
    missing, unexpected = other.set_state_dict(load(tmp_path / "a.pdparams"))
    assert (missing, unexpected) == ([], [])
    np.testing.assert_array_equal(other.fc2.weight.numpy(), net.fc2.weight.numpy())


def test_keep_name_table_and_return_numpy(tmp_path, net):
    save(net.state_dict(), tmp_path / "a.pdparams")
    kept = load(tmp_path / "a.pdparams", keep_name_table=True)
    assert kept["StructuredToParameterName@@"]["fc2.bias"] == "linear_1.b_0"
    arrs = load(tmp_path / "a.pdparams", return_numpy=True)
    assert set(arrs) == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    assert all(isinstance(v, np.ndarray) for v in arrs.values())


def test_optimizer_state_with_lr_scheduler(tmp_path, net):
    st = optimizer_like_state(net)
    save(st, tmp_path / "a.pdopt")
    raw = pickle.loads((tmp_path / "a.pdopt").read_bytes())
    table = raw["StructuredToParameterName@@"]
    assert all(table[k] == k for k in table) and "LR_Scheduler" not in table
    got = load(tmp_path / "a.pdopt")
    assert got["LR_Scheduler"] == {"last_epoch": 2, "last_lr": 0.025}
    assert_same(st, got)


def test_master_weights_take_the_generic_path(tmp_path):
    """FORMATS.md 1.8: a nested dict of Tensors fails the state-dict test: tuples, no table."""
    st = {
        "linear_0.w_0_fp32_master_0_moment1_0": named(np.ones(2, "f4"), "m1"),
        "master_weights": {"linear_0.w_0": named(np.ones(2, "f4"), "linear_0.w_0_fp32_master_0")},
    }
    save(st, tmp_path / "a.pdopt")
    raw = pickle.loads((tmp_path / "a.pdopt").read_bytes())
    assert "StructuredToParameterName@@" not in raw
    assert raw["master_weights"]["linear_0.w_0"][0] == "linear_0.w_0_fp32_master_0"
    assert_same(st, load(tmp_path / "a.pdopt"))


def test_single_tensor_and_nested_containers(tmp_path):
    t = named(np.array([[1, 2], [3, 4]], "f4"), "mytensor")
    t2 = named(np.array([1], "i8"), "generated_tensor_1")
    obj = {"a": [t, 3, 2.5, "str", (t,)], "b": {"c": t2}, "n": None, "s": {1, 2}}
    save(obj, tmp_path / "o.pd")
    assert_same(obj, load(tmp_path / "o.pd"))
    raw = pickle.loads((tmp_path / "o.pd").read_bytes())
    assert raw["a"][0][0] == "mytensor" and raw["b"]["c"][0] == "generated_tensor_1"
    save(t, tmp_path / "t.pdtensor")
    assert_same(t, load(tmp_path / "t.pdtensor"))
    assert pickle.loads((tmp_path / "t.pdtensor").read_bytes())[0] == "mytensor"


def test_not_a_state_dict_when_values_mix(tmp_path, net):
    obj = {"model": net.state_dict(), "epoch": 3}
    save(obj, tmp_path / "ck.pd")
    got = load(tmp_path / "ck.pd")
    assert got["epoch"] == 3 and got["model"]["fc1.weight"].name == "linear_0.w_0"
    assert type(pickle.loads((tmp_path / "ck.pd").read_bytes())["model"]) is collections.OrderedDict


@pytest.mark.parametrize(
    "obj", [3, 2.5, "text", None, [1, "a"], np.arange(6, dtype="i4").reshape(2, 3), {"x": b"b"}]
)
def test_plain_values(tmp_path, obj):
    save(obj, tmp_path / "v")
    got = load(tmp_path / "v", return_numpy=True)
    assert_same(obj, got)
    assert_same(obj, pickle.loads((tmp_path / "v").read_bytes()))


def test_plain_ndarray_loads_as_tensor_like_paddle_2_0_files(tmp_path):
    save({"w": np.ones(3, "f4"), "lr": 0.1}, tmp_path / "v")
    got = load(tmp_path / "v")
    assert isinstance(got["w"], paddle.Tensor) and got["lr"] == 0.1


def test_bytesio_round_trip(net):
    buf = io.BytesIO()
    save(net.state_dict(), buf)
    buf.seek(0)
    assert_same(dict(net.state_dict()), load(buf))


def test_use_binary_format_writes_dense_tensor_stream(tmp_path):
    t = named(np.arange(6, dtype="f4").reshape(2, 3), "x")
    p = tmp_path / "t.bin"
    save(t, p, use_binary_format=True)
    assert formats.sniff(p.read_bytes()) == "lod_tensor"
    arr, lod = formats.load_lod_tensor(p)
    assert lod == []
    np.testing.assert_array_equal(arr, t.numpy())
    got = load(p)
    assert isinstance(got, paddle.Tensor) and got.tolist() == t.tolist()
    assert isinstance(load(p, return_numpy=True), np.ndarray)


def test_bfloat16_round_trips_as_uint16_bits(tmp_path):
    t = paddle.Tensor(torch.tensor([1.0, -2.5, 3.0e38], dtype=torch.bfloat16), name="bf")
    save({"w": t}, tmp_path / "a.pdparams")
    raw = pickle.loads((tmp_path / "a.pdparams").read_bytes())
    assert raw["w"].dtype == np.uint16 and raw["w"][0] == 0x3F80
    got = load(tmp_path / "a.pdparams")["w"]
    assert got.dtype == paddle.bfloat16 and torch.equal(got._t, t._t)
    save(t, tmp_path / "b.bin", use_binary_format=True)
    assert torch.equal(load(tmp_path / "b.bin")._t, t._t)
    save([t], tmp_path / "c")
    assert torch.equal(load(tmp_path / "c")[0]._t, t._t)


@pytest.mark.parametrize("protocol", [2, 3])
def test_big_arrays_are_split_and_joined(tmp_path, monkeypatch, protocol):
    monkeypatch.setattr(pdparams, "MAX_BYTES", 40)  # 10 float32 elements per chunk
    w = named(np.arange(25, dtype="f4").reshape(5, 5), "big_0.w_0")
    b = named(np.arange(3, dtype="f4"), "big_0.b_0")
    save({"weight": w, "bias": b}, tmp_path / "a.pdparams", protocol=protocol)
    raw = pickle.loads((tmp_path / "a.pdparams").read_bytes())
    assert list(raw) == [
        "bias",
        "StructuredToParameterName@@",
        "weight@@.0",
        "weight@@.1",
        "weight@@.2",
        "UnpackBigParamInfor@@",
    ]
    assert raw["UnpackBigParamInfor@@"]["weight"]["OriginShape"] == (5, 5)
    got = load(tmp_path / "a.pdparams")
    assert list(got) == ["bias", "weight"] and got["weight"].name == "big_0.w_0"
    np.testing.assert_array_equal(got["weight"].numpy(), w.numpy())


def test_protocol_4_does_not_split(tmp_path, monkeypatch):
    monkeypatch.setattr(pdparams, "MAX_BYTES", 40)
    save({"w": named(np.zeros(25, "f4"), "w")}, tmp_path / "a")
    assert "UnpackBigParamInfor@@" not in pickle.loads((tmp_path / "a").read_bytes())


def test_safetensors_option(tmp_path, net):
    p = tmp_path / "m.safetensors"
    save(net.state_dict(), p, safetensors=True)
    assert formats.sniff(p.read_bytes()) == "safetensors"
    got = load(p, safetensors=True)
    assert got["fc1.weight"].tolist() == net.fc1.weight.tolist()
    with pytest.raises(ValueError, match="safetensors=True"):
        load(p)


def test_program_round_trips_as_program_desc(tmp_path):
    from paddlefish import ir

    prog = ir.Program()
    save(prog, tmp_path / "m.pdmodel")
    assert formats.sniff((tmp_path / "m.pdmodel").read_bytes()) == "program_desc"
    assert isinstance(load(tmp_path / "m.pdmodel"), ir.Program)


def test_non_contiguous_and_zero_d_tensors(tmp_path):
    base = paddle.to_tensor(np.arange(12, dtype="f4").reshape(3, 4))
    tr = paddle.Tensor(base._t.t(), name="tr")
    z = paddle.Tensor(torch.tensor(3.0), name="z")
    save({"tr": tr, "z": z}, tmp_path / "a")
    got = load(tmp_path / "a")
    assert got["tr"].tolist() == tr.tolist() and got["z"].shape == [] and got["z"].item() == 3.0

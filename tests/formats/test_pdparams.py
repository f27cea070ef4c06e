"""pdparams codec: golden structure, big-array split, atomic saves, and real Paddle both ways."""

from __future__ import annotations

import collections
import json
import os
import pickle
import time
import tracemalloc

import numpy as np
import pytest

from paddlefish.errors import FormatError
from paddlefish.formats import pdparams, pickle_writer
from paddlefish.formats.pdparams import BIG_PARAM_KEY, NAME_TABLE_KEY
from paddlefish.formats.pickle_writer import NamedArray
from tests.oracle import run_paddle

NET_NAMES = {
    "fc1.weight": "linear_0.w_0",
    "fc1.bias": "linear_0.b_0",
    "fc2.weight": "linear_1.w_0",
    "fc2.bias": "linear_1.b_0",
}


def _net_arrays():
    rng = np.random.default_rng(0)
    shapes = {"fc1.weight": (4, 3), "fc1.bias": (3,), "fc2.weight": (3, 2), "fc2.bias": (2,)}
    return {k: rng.standard_normal(s).astype("f4") for k, s in shapes.items()}


def test_state_dict_golden_structure_of_formats_1_2():
    d = pdparams.encode_state_dict(_net_arrays(), NET_NAMES, protocol=4)
    assert list(d) == [*NET_NAMES, NAME_TABLE_KEY]
    assert d[NAME_TABLE_KEY] == NET_NAMES
    data = pickle_writer.dumps(d, 4)
    assert data[:2] == b"\x80\x04" and data[2] == 0x95 and data[11] == 0x7D  # PROTO FRAME {
    got = pickle.loads(data)
    assert list(got) == list(d) and got[NAME_TABLE_KEY] == NET_NAMES
    assert got["fc1.weight"].shape == (4, 3) and got["fc1.weight"].dtype == np.float32


GOLDEN_P2 = (
    b"\x80\x02}X\x01\x00\x00\x00wcnumpy.core.multiarray\n_reconstruct\nq\x00cnumpy\nndarray\n"
    b"q\x01K\x00\x85c_codecs\nencode\nq\x02X\x01\x00\x00\x00bX\x06\x00\x00\x00latin1\x86R\x87R"
    b"(K\x01K\x02\x85cnumpy\ndtype\nq\x03X\x02\x00\x00\x00f4\x89\x88\x87R(K\x03X\x01\x00\x00\x00<"
    b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89h\x02X\t\x00\x00\x00\x00\x00\xc2\x80?\x00"
    b"\x00\x00@X\x06\x00\x00\x00latin1\x86Rtbs."
)
GOLDEN_P4 = (
    b"\x80\x04\x95\x89\x00\x00\x00\x00\x00\x00\x00}\x8c\x01w\x8c\x15numpy.core.multiarray"
    b"\x8c\x0c_reconstruct\x93\x94\x8c\x05numpy\x8c\x07ndarray\x93\x94K\x00\x85C\x01b\x87R"
    b"(K\x01K\x02\x85\x8c\x05numpy\x8c\x05dtype\x93\x94\x8c\x02f4\x89\x88\x87R(K\x03\x8c\x01<"
    b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89C\x08\x00\x00\x80?\x00\x00\x00@tbs."
)


@pytest.mark.parametrize("proto,golden", [(2, GOLDEN_P2), (4, GOLDEN_P4)], ids=["p2", "p4"])
def test_golden_bytes_of_the_writer(proto, golden):
    """Pinned output (loaded by real Paddle 2.6 and 3.3 in test_paddle_reads_our_files)."""
    data = pickle_writer.dumps({"w": np.array([1.0, 2.0], "f4")}, proto)
    assert data == golden
    np.testing.assert_array_equal(pickle.loads(golden)["w"], [1.0, 2.0])


def test_name_table_overwrites_in_place_like_paddle():
    d = pdparams.encode_state_dict({NAME_TABLE_KEY: {}, "w": np.zeros(1)}, {"w": "n"}, 4)
    assert list(d) == [NAME_TABLE_KEY, "w"] and d[NAME_TABLE_KEY] == {"w": "n"}


def test_optimizer_state_dict_with_scheduler_keeps_value_and_order():
    acc = {"linear_0.w_0_moment1_0": np.ones((4, 3), "f4"), "LR_Scheduler": {"last_epoch": 2}}
    d = pdparams.encode_state_dict(acc, {"linear_0.w_0_moment1_0": "linear_0.w_0_moment1_0"})
    assert list(d) == ["linear_0.w_0_moment1_0", "LR_Scheduler", NAME_TABLE_KEY]


@pytest.mark.parametrize("proto", [2, 3])
def test_big_array_split_key_order_of_formats_1_6(monkeypatch, proto, tmp_path):
    monkeypatch.setattr(pdparams, "MAX_BYTES", 40)  # 10 float32 elements per chunk
    w = np.arange(30, dtype="f4").reshape(10, 3)
    d = pdparams.encode_state_dict(
        {"weight": w, "bias": np.ones(3, "f4")}, {"weight": "w", "bias": "b"}, proto
    )
    assert list(d) == [
        "bias",
        NAME_TABLE_KEY,
        "weight@@.0",
        "weight@@.1",
        "weight@@.2",
        BIG_PARAM_KEY,
    ]
    assert d[BIG_PARAM_KEY] == {
        "weight": {"OriginShape": (10, 3), "slices": ["weight@@.0", "weight@@.1", "weight@@.2"]}
    }
    assert [d[f"weight@@.{i}"].shape for i in range(3)] == [(10,), (10,), (10,)]
    assert d[NAME_TABLE_KEY] == {"weight": "w", "bias": "b"}
    p = tmp_path / "big.pdparams"
    pdparams.save_pdparams(d, str(p), proto)
    for mmap in (False, True):
        got = pdparams.load_pdparams(str(p), mmap=mmap)
        assert list(got) == ["bias", NAME_TABLE_KEY, "weight"]
        np.testing.assert_array_equal(got["weight"], w)


def test_split_uneven_last_chunk_and_protocol_4_never_splits(monkeypatch):
    monkeypatch.setattr(pdparams, "MAX_BYTES", 40)
    d = pdparams.encode_state_dict({"w": np.arange(25, dtype="f4")}, {}, 2)
    assert [d[k].size for k in d[BIG_PARAM_KEY]["w"]["slices"]] == [10, 10, 5]
    assert BIG_PARAM_KEY not in pdparams.encode_state_dict({"w": np.arange(25, dtype="f4")}, {}, 4)


@pytest.mark.parametrize(
    "info",
    [
        [1, 2],
        {"w": {"OriginShape": (3,), "slices": ["missing"]}},
        {"w": {"OriginShape": (4,), "slices": ["w@@.0"]}},
        {"w": {"OriginShape": "x", "slices": ["w@@.0"]}},
    ],
)
def test_damaged_split_info_is_a_format_error(info):
    with pytest.raises(FormatError, match="f.pdparams"):
        pdparams.decode({"w@@.0": np.arange(3.0), BIG_PARAM_KEY: info}, name="f.pdparams")


def test_walk_helpers_find_and_map_named_arrays():
    a = np.zeros(2)
    obj = {"a": [("t", a), 3, (("u", a),)], "b": collections.OrderedDict(c=1)}
    assert pdparams.contains_named_array(obj)
    assert not pdparams.contains_named_array({"a": [a, ("x", 1)], "s": "t"})
    names = []
    out = pdparams.map_structure(obj, pdparams.is_named_array, lambda t: names.append(t[0]) or t[0])
    assert out == {"a": ["t", 3, ("u",)], "b": collections.OrderedDict(c=1)} and names == ["t", "u"]
    assert type(out["b"]) is collections.OrderedDict
    rest, table = pdparams.pop_name_table({"w": 1, NAME_TABLE_KEY: {"w": "n"}})
    assert rest == {"w": 1} and table == {"w": "n"}


@pytest.mark.parametrize("proto", [2, 3, 4])
def test_round_trip_every_kind(tmp_path, proto):
    obj = {
        "arr": np.arange(6, dtype="i8").reshape(2, 3),
        "t": NamedArray("linear_0.w_0", np.ones(3, "f4")),
        "od": collections.OrderedDict(x=[1, 2.5, "s", None, True], y=(1, {2}, b"xy")),
        "big": np.arange(5000, dtype="f8"),
        "nc": np.arange(24, dtype="f4").reshape(4, 6)[:, ::2],
        "sc": np.int32(7),
    }
    p = tmp_path / "all.pdparams"
    pdparams.save_pdparams(obj, p, proto)
    for mmap in (False, True):
        got = pdparams.load_pdparams(p, mmap=mmap)
        assert got["t"][0] == "linear_0.w_0" and type(got["t"]) is tuple
        np.testing.assert_array_equal(got["nc"], obj["nc"])
        np.testing.assert_array_equal(got["big"], obj["big"])
        assert got["od"] == obj["od"] and type(got["od"]) is collections.OrderedDict
        assert got["sc"] == 7 and type(got["sc"]) is np.int32


def test_save_is_atomic_and_validates_before_writing(tmp_path):
    p = tmp_path / "x.pdparams"
    pdparams.save_pdparams({"w": np.ones(1)}, p)
    before = p.read_bytes()
    with pytest.raises(TypeError, match=r"<root>\['bad'\]\[1\]"):
        pdparams.save_pdparams({"w": np.ones(1), "bad": [1, object()]}, p)
    assert p.read_bytes() == before and os.listdir(tmp_path) == ["x.pdparams"]


def test_streaming_write_memory_and_time(tmp_path):
    arr = np.random.default_rng(0).standard_normal(32 * 2**20)  # 256 MiB of float64
    p_raw, p_pk = tmp_path / "raw.bin", tmp_path / "pk.pdparams"
    t0 = time.perf_counter()
    with open(p_raw, "wb", buffering=0) as f:
        f.write(memoryview(arr).cast("B"))
    t_raw = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    pdparams.save_pdparams({"w": arr, "x": arr[:, None][::2]}, str(p_pk), 4)
    t_pk = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 2**20, f"peak extra memory {peak / 2**20:.1f} MiB"
    # two arrays (1.5x the bytes of the raw write), the strided one copied chunk by chunk
    assert t_pk < 3.0 * t_raw + 0.5, (t_pk, t_raw)


# ---- real Paddle ----------------------------------------------------------------------------

PADDLE_WRITES = r"""
import json, numpy as np, paddle
paddle.seed(0)
class Net(paddle.nn.Layer):
    def __init__(s):
        super().__init__(); s.fc1 = paddle.nn.Linear(4, 3); s.fc2 = paddle.nn.Linear(3, 2)
    def forward(s, x): return s.fc2(s.fc1(x))
net = Net()
meta = {}
for p in (2, 3, 4):
    paddle.save(net.state_dict(), f"net_p{p}.pdparams", protocol=p)
for k, v in net.state_dict().items():
    np.save(f"net_{k}.npy", v.numpy())
meta["net_names"] = {k: v.name for k, v in net.state_dict().items()}
sched = paddle.optimizer.lr.StepDecay(0.1, step_size=1, gamma=0.5)
opt = paddle.optimizer.Adam(learning_rate=sched, parameters=net.parameters())
for _ in range(2):
    net(paddle.ones([2, 4])).sum().backward(); opt.step(); opt.clear_grad(); sched.step()
paddle.save(opt.state_dict(), "opt.pdopt", protocol=2)
meta["opt_keys"] = list(opt.state_dict().keys())
for k, v in opt.state_dict().items():
    if hasattr(v, "numpy"): np.save(f"opt_{k}.npy", v.numpy())
meta["lr"] = opt.state_dict()["LR_Scheduler"]
t = paddle.to_tensor([[1.0, 2.0], [3.0, 4.0]]); t.name = "mytensor"
t2 = paddle.to_tensor([1], dtype="int64")
paddle.save({"a": [t, 3, 2.5, "str", (t,)], "b": {"c": t2}, "n": None}, "nested.pdparams")
meta["t2_name"] = t2.name
bf = paddle.to_tensor([1.0, 2.5, -3.0]).astype("bfloat16")
paddle.save({"bf": bf}, "bf16.pdparams", protocol=3)
paddle.save(t.value().get_tensor(), "dense.pdtensor")
paddle.save(t, "single.pdtensor", protocol=2)
print(json.dumps(meta))
"""


@pytest.fixture(scope="module", params=["3.3", "2.6"])
def paddle_files(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(f"pd{request.param}")
    meta = json.loads(run_paddle(PADDLE_WRITES, request.param, cwd=d).strip().splitlines()[-1])
    return d, meta


@pytest.mark.oracle
@pytest.mark.parametrize("mmap", [False, True])
def test_read_paddle_state_dicts(paddle_files, mmap):
    d, meta = paddle_files
    for proto in (2, 3, 4):
        got = pdparams.load_pdparams(d / f"net_p{proto}.pdparams", mmap=mmap)
        assert list(got) == [*meta["net_names"], NAME_TABLE_KEY]
        assert got[NAME_TABLE_KEY] == meta["net_names"] == NET_NAMES
        for k in meta["net_names"]:
            np.testing.assert_array_equal(got[k], np.load(d / f"net_{k}.npy"))
    opt = pdparams.load_pdparams(d / "opt.pdopt", mmap=mmap)
    assert list(opt) == [*meta["opt_keys"], NAME_TABLE_KEY]
    assert opt["LR_Scheduler"] == meta["lr"] == {"last_epoch": 2, "last_lr": 0.025}
    for k in meta["opt_keys"][:-1]:
        np.testing.assert_array_equal(opt[k], np.load(d / f"opt_{k}.npy"))
        assert opt[NAME_TABLE_KEY][k] == k


@pytest.mark.oracle
def test_read_paddle_generic_bf16_and_dense_tensor(paddle_files):
    d, meta = paddle_files
    m = np.array([[1, 2], [3, 4]], "f4")
    got = pdparams.load_pdparams(d / "nested.pdparams")
    assert got["a"][1:4] == [3, 2.5, "str"] and got["n"] is None
    assert got["a"][0][0] == "mytensor" and got["a"][4][0][0] == "mytensor"
    np.testing.assert_array_equal(got["a"][0][1], m)
    assert got["b"]["c"][0] == meta["t2_name"] and got["b"]["c"][1].tolist() == [1]
    bf = pdparams.load_pdparams(d / "bf16.pdparams")["bf"]
    assert bf.dtype == np.uint16 and bf.tolist() == [0x3F80, 0x4020, 0xC040]
    np.testing.assert_array_equal(pdparams.load_pdparams(d / "dense.pdtensor"), m)
    name, arr = pdparams.load_pdparams(d / "single.pdtensor")
    assert name == "mytensor"
    np.testing.assert_array_equal(arr, m)


PADDLE_READS = r"""
import json, os, numpy as np, paddle
out = {}
for f in sorted(os.listdir(".")):
    if not f.endswith(".pdparams"): continue
    obj = paddle.load(f)
    def walk(x, path):
        if isinstance(x, paddle.Tensor):
            arr = x.astype("float32").numpy() if x.dtype == paddle.bfloat16 else x.numpy()
            np.save(f"{f}-{path}.npy", arr)
            return {"tensor": x.name, "dtype": str(x.dtype).replace("paddle.", "")}
        if isinstance(x, dict): return {str(k): walk(v, f"{path}.{k}") for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [type(x).__name__] + [walk(v, f"{path}.{i}") for i, v in enumerate(x)]
        return repr(x)
    out[f] = walk(obj, "r")
print(json.dumps(out))
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["3.3", "2.6"])
def test_paddle_reads_our_files(tmp_path, version, monkeypatch):
    arrays = _net_arrays()
    for proto in (2, 3, 4):
        sd = pdparams.encode_state_dict(arrays, NET_NAMES, proto)
        pdparams.save_pdparams(sd, tmp_path / f"net_p{proto}.pdparams", proto)
    bf = {"bf": np.array([0x3F80, 0x4020, 0xC040], "u2")}
    pdparams.save_pdparams(pdparams.encode_state_dict(bf, {"bf": "bf_0"}), tmp_path / "bf.pdparams")
    m = np.array([[1, 2], [3, 4]], "f4")
    nested = {"a": [NamedArray("mytensor", m), 3, "s", (NamedArray("mytensor", m),)], "n": None}
    pdparams.save_pdparams(nested, tmp_path / "nested.pdparams", 2)
    monkeypatch.setattr(pdparams, "MAX_BYTES", 20)  # fc1.weight (12 floats) -> chunks of 5
    big = pdparams.encode_state_dict(arrays, NET_NAMES, 2)
    assert BIG_PARAM_KEY in big
    pdparams.save_pdparams(big, tmp_path / "split.pdparams", 2)

    out = json.loads(run_paddle(PADDLE_READS, version, cwd=tmp_path).strip().splitlines()[-1])
    # paddle.load puts re-joined keys at the end (FORMATS.md 1.6)
    assert list(out["split.pdparams"]) == ["fc1.bias", "fc2.bias", "fc1.weight", "fc2.weight"]
    for f in ("net_p2.pdparams", "net_p3.pdparams", "net_p4.pdparams", "split.pdparams"):
        assert sorted(out[f]) == sorted(NET_NAMES), (f, out[f])
        for k, name in NET_NAMES.items():
            assert out[f][k] == {"tensor": name, "dtype": "float32"}
            np.testing.assert_array_equal(np.load(tmp_path / f"{f}-r.{k}.npy"), arrays[k])
    assert out["bf.pdparams"]["bf"] == {"tensor": "bf_0", "dtype": "bfloat16"}
    assert np.load(tmp_path / "bf.pdparams-r.bf.npy").tolist() == [1.0, 2.5, -3.0]
    assert out["nested.pdparams"]["a"][0] == "list"
    assert out["nested.pdparams"]["a"][1] == {"tensor": "mytensor", "dtype": "float32"}
    assert out["nested.pdparams"]["n"] == "None"
    np.testing.assert_array_equal(np.load(tmp_path / "nested.pdparams-r.a.0.npy"), m)

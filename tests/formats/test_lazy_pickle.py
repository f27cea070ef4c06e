"""Lazy (mmap) pickle reader: same values as the eager reader, memmap-backed, same refusals."""

from __future__ import annotations

import os
import pickle
import struct
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.formats import lazy_pickle, pdparams, pickle_writer
from paddlefish.formats.pickle_writer import NamedArray

from .conftest import hostile_payloads


def _write(path, obj, proto=4):
    with open(path, "wb") as f:
        pickle_writer.write(obj, f, proto)
    return str(path)


@pytest.mark.parametrize("proto", [3, 4])
def test_big_arrays_are_memmaps_with_same_values(tmp_path, proto):
    obj = {
        "w": np.arange(4096, dtype="f4").reshape(64, 64),
        "small": np.arange(3, dtype="i8"),
        "t": NamedArray("linear_0.w_0", np.ones((40, 40), "f8")),
        "nest": [1, "a", {"z": np.arange(2000, dtype="u2")}],
    }
    p = _write(tmp_path / "a.pdparams", obj, proto)
    got = lazy_pickle.load(p)
    eager = pdparams.load_pdparams(p)
    assert isinstance(got["w"], np.memmap) and isinstance(got["t"][1], np.memmap)
    assert not isinstance(got["small"], np.memmap)
    for a, b in [
        (got["w"], eager["w"]),
        (got["t"][1], eager["t"][1]),
        (got["nest"][2]["z"], eager["nest"][2]["z"]),
    ]:
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    assert got["t"][0] == "linear_0.w_0" and got["nest"][:2] == [1, "a"]


def test_protocol_2_is_read_eagerly(tmp_path):
    p = _write(tmp_path / "p2.pdparams", {"w": np.arange(5000.0)}, 2)
    got = lazy_pickle.load(p)
    assert not isinstance(got["w"], np.memmap)
    np.testing.assert_array_equal(got["w"], np.arange(5000.0))


def test_copy_on_write_never_changes_the_file(tmp_path):
    p = _write(tmp_path / "a.pdparams", {"w": np.zeros(10000, "f4")})
    before = Path(p).read_bytes()
    got = lazy_pickle.load(p)
    got["w"][:] = 7
    del got
    assert Path(p).read_bytes() == before


def test_opens_fast_and_maps_every_tensor(tmp_path):
    arrays = {f"layer{i}.w": np.full(2**20, i, "f4") for i in range(64)}  # 64 x 4 MiB
    p = _write(tmp_path / "m.pdparams", arrays)
    t0 = time.perf_counter()
    got = lazy_pickle.load(p)
    dt = time.perf_counter() - t0
    assert dt < 0.05, f"lazy open took {dt * 1000:.1f} ms"
    assert float(got["layer63.w"][-1]) == 63.0
    assert all(isinstance(got[k], np.memmap) for k in arrays)
    assert all(float(got[k][0]) == i for i, k in enumerate(arrays))


def test_pickle_written_by_python_and_memo_sharing(tmp_path):
    a = np.arange(3000, dtype="f8")
    p = tmp_path / "py.pdparams"
    p.write_bytes(pickle.dumps({"a": a, "b": a, "l": [a, (a, "x")]}, protocol=4))
    got = lazy_pickle.load(str(p))
    for x in (got["a"], got["b"], got["l"][0], got["l"][1][0]):
        np.testing.assert_array_equal(x, a)


def test_unsupported_opcodes_fall_back_to_the_safe_reader(tmp_path):
    p = tmp_path / "p0.pdparams"
    p.write_bytes(pickle.dumps({"a": [1, 2], "b": "s"}, protocol=0))
    assert lazy_pickle.load(str(p)) == {"a": [1, 2], "b": "s"}


def test_hostile_pickles_are_refused_without_side_effects(tmp_path, marker):
    for name, data in hostile_payloads(marker).items():
        path = tmp_path / f"{name}.pdparams"
        path.write_bytes(data)
        with pytest.raises(UnsafePickleError) as ei:
            pdparams.load_pdparams(str(path), mmap=True)
        assert name.split("-")[0] in str(ei.value) and str(path) in str(ei.value)
        assert not os.path.exists(marker), f"{name} executed code"


def test_empty_and_truncated_files(tmp_path):
    p = tmp_path / "e.pdparams"
    p.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        lazy_pickle.load(str(p))
    data = pickle_writer.dumps({"w": np.arange(3000.0), "t": NamedArray("n", np.ones(2))})
    for cut in list(range(200)) + [len(data) - 100, len(data) - 1]:
        p.write_bytes(data[:cut] or b"\x80")
        with pytest.raises(FormatError, match=str(p)):
            lazy_pickle.load(str(p))


def test_absurd_declared_size_is_refused_without_allocating(tmp_path):
    p = tmp_path / "huge.pdparams"
    p.write_bytes(b"\x80\x04\x8e" + struct.pack("<Q", 2**62) + b"x" * 10 + b".")
    with pytest.raises(FormatError, match="declares"):
        lazy_pickle.load(str(p))


def test_offsets_beyond_4_gib_on_a_sparse_file(tmp_path):
    """BINBYTES8 payload of 4 GiB + 16 bytes: only the header and tail are really written."""
    n = 2**32 + 16
    p = tmp_path / "sparse.pdparams"
    pre = (
        b"\x80\x04}\x8c\x01w\x8c\x15numpy.core.multiarray\x8c\x0c_reconstruct\x93\x8c\x05numpy"
        b"\x8c\x07ndarray\x93K\x00\x85C\x01b\x87R(K\x01\x8a\x05"
        + n.to_bytes(5, "little")
        + b"\x85\x8c\x05numpy\x8c\x05dtype\x93\x8c\x02u1\x89\x88\x87R(K\x03\x8c\x01|NNNJ\xff\xff\xff\xff"
        b"J\xff\xff\xff\xffK\x00tb\x89\x8e" + struct.pack("<Q", n)
    )
    tail = b"tbs."
    with open(p, "wb") as f:
        f.write(pre)
        f.truncate(len(pre) + n)
        f.seek(len(pre) + n - 1)
        f.write(b"\x2a")
        f.write(tail)
    if os.stat(p).st_blocks * 512 > 2**30:
        pytest.skip("filesystem does not support sparse files")
    got = lazy_pickle.load(str(p))
    w = got["w"]
    assert isinstance(w, np.memmap) and w.shape == (n,) and w.dtype == np.uint8
    assert int(w[-1]) == 42 and int(w[0]) == 0 and int(w[2**32]) == 0


_BASES = [
    pickle_writer.dumps(
        {"w": np.arange(1200.0), "t": NamedArray("n", np.ones(1100)), "s": [1, "x"]}, p
    )
    for p in (3, 4)
]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(_BASES)))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "truncate"]))
        if kind == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[max(pos, 1) :]
    return bytes(data)


@settings(
    max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mutated())
def test_fuzz_mutated_files_give_format_error_or_success(tmp_path, data):
    p = tmp_path / "fuzz.pdparams"
    p.write_bytes(data)
    try:
        lazy_pickle.load(str(p))
    except FormatError as e:
        assert str(p) in str(e)

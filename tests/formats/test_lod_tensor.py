"""DenseTensor stream: golden bytes (FORMATS.md 3.1), round trips, hostile input, real Paddle."""

from __future__ import annotations

import io
import struct
import time

import numpy as np
import pytest

from paddlefish._core.dtypes import DTYPES
from paddlefish.errors import FormatError
from paddlefish.formats import (
    load_lod_tensor,
    looks_like_lod_tensor,
    read_lod_tensor,
    save_lod_tensor,
    write_lod_tensor,
)
from tests.formats._paddle_models import paddle_models
from tests.oracle import run_paddle

HEADER = "00000000000000000000000000000000"  # version, 0 LoD levels, tensor version

# FORMATS.md 3.1 table: paddle.to_tensor([1, 0], dtype=...) descriptors
DESCRIPTORS = {
    "bool": "08001002",
    "int16": "08011002",
    "int32": "08021002",
    "int64": "08031002",
    "float16": "08041002",
    "float32": "08051002",
    "float64": "08061002",
    "uint8": "08141002",
    "int8": "08151002",
    "bfloat16": "08161002",
    "complex64": "08171002",
    "complex128": "08181002",
}


def _one_zero(dtype: str) -> np.ndarray:
    if dtype == "bfloat16":
        return np.array([0x3F80, 0], dtype="<u2")  # 1.0 as bf16 bits: 80 3f
    return np.array([1, 0]).astype(DTYPES[dtype].np_dtype)


def _bytes(arr, **kw) -> bytes:
    buf = io.BytesIO()
    write_lod_tensor(arr, buf, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("dtype", sorted(DESCRIPTORS))
def test_golden_descriptor_every_dtype(dtype):
    arr = _one_zero(dtype)
    data = _bytes(arr, dtype=dtype)
    expected = bytes.fromhex(HEADER + "04000000" + DESCRIPTORS[dtype]) + arr.tobytes()
    assert data == expected
    back, lod = read_lod_tensor(io.BytesIO(data))
    assert lod == [] and back.dtype == DTYPES[dtype].np_dtype and np.array_equal(back, arr)


def test_bfloat16_one_is_803f():
    assert _bytes(_one_zero("bfloat16"), dtype="bfloat16")[-4:] == bytes.fromhex("803f0000")


def test_lod_worked_example():
    arr = np.arange(6, dtype="float32").reshape(6, 1)
    lod = [[0, 2, 6], [0, 1, 2, 3, 4, 5, 6]]
    expected = (
        bytes.fromhex(
            "00000000"
            "0200000000000000"
            "1800000000000000"
            + "".join(struct.pack("<Q", v).hex() for v in lod[0])
            + "3800000000000000"
            + "".join(struct.pack("<Q", v).hex() for v in lod[1])
            + "00000000"
            "06000000"
            "080510061001"
        )
        + arr.tobytes()
    )
    data = _bytes(arr, lod=lod)
    assert data == expected
    assert data[-24:-20] == bytes.fromhex("00000000") and data[-20:-16] == bytes.fromhex("0000803f")
    back, back_lod = read_lod_tensor(io.BytesIO(data))
    assert back_lod == lod and np.array_equal(back, arr)


def test_zero_d_and_zero_dim():
    assert (
        _bytes(np.array(3.0, "float32"))
        == bytes.fromhex(HEADER + "020000000805") + np.float32(3.0).tobytes()
    )
    assert _bytes(np.zeros((0, 3), "float32")) == bytes.fromhex(HEADER + "06000000080510001003")
    back, _ = read_lod_tensor(io.BytesIO(_bytes(np.array(3.0, "float32"))))
    assert back.shape == () and back == 3.0
    back, _ = read_lod_tensor(io.BytesIO(_bytes(np.zeros((0, 3), "float32"))))
    assert back.shape == (0, 3)


def test_noncontiguous_and_big_endian_written_as_c_order_le():
    a = np.arange(12, dtype=">f4").reshape(3, 4).T
    back, _ = read_lod_tensor(io.BytesIO(_bytes(a)))
    assert back.dtype == np.dtype("<f4") and np.array_equal(back, a)


def test_packed_dims_accepted():
    data = bytes.fromhex(HEADER + "06000000080512020203") + np.zeros(6, "f4").tobytes()
    assert read_lod_tensor(io.BytesIO(data))[0].shape == (2, 3)


def test_write_does_not_copy_contiguous_data():
    arr = np.arange(1 << 16, dtype="float32")
    seen = []

    class Spy(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            seen.append(b)
            return len(b)

    write_lod_tensor(arr, Spy())
    data_views = [b for b in seen if isinstance(b, memoryview) and len(b) == arr.nbytes]
    assert data_views and np.shares_memory(np.asarray(data_views[0]), arr)


def test_partial_writes_are_completed():
    class Slow(io.BytesIO):
        def write(self, b):
            return super().write(bytes(b)[:3])  # a raw stream may write fewer bytes

    f = Slow()
    arr = np.arange(10, dtype="int64")
    write_lod_tensor(arr, f)
    assert f.getvalue() == _bytes(arr)


def test_dtype_mismatch_refused():
    with pytest.raises(FormatError, match="does not store float32"):
        _bytes(np.zeros(2, "float64"), dtype="float32")


def test_save_and_load_path(tmp_path):
    p = tmp_path / "sub" / "w"
    save_lod_tensor(np.ones((2, 2), "float64"), p)
    assert np.array_equal(load_lod_tensor(p)[0], np.ones((2, 2)))
    with open(p, "ab") as f:
        f.write(b"junk")
    with pytest.raises(FormatError, match="4 bytes follow"):
        load_lod_tensor(p)


def test_every_truncation_is_a_format_error():
    data = _bytes(np.arange(6, dtype="float32").reshape(6, 1), lod=[[0, 2, 6]])
    for n in range(len(data)):
        with pytest.raises(FormatError):
            read_lod_tensor(io.BytesIO(data[:n]), name="w.bin")


def test_truncated_data_message_names_file_and_sizes():
    data = _bytes(np.zeros((4, 3), "float32"))[:-5]
    with pytest.raises(FormatError, match=r"fc_0\.w_0.*needs 48 bytes but only 43 remain"):
        read_lod_tensor(io.BytesIO(data), name="fc_0.w_0")


@pytest.mark.parametrize(
    "hexdata",
    [
        "010000000000000000000000",  # version 1
        "000000000000000001000000",  # 2**40 LoD levels
        "000000000100000000000000ffffffffffffff0f",  # absurd LoD level size
        HEADER + "ffffff7f",  # 2 GiB descriptor
        HEADER + "00000000",  # empty descriptor
        HEADER + "0c000000080510ffffffff0f10ffffffff0f",  # 2**32 x 2**32 floats
        HEADER + "0d000000080510ffffffffffffffff0110",  # bad varint / -1 dim
        HEADER + "020000000863",  # unknown dtype 99
    ],
)
def test_absurd_headers_fail_fast(hexdata):
    t = time.perf_counter()
    with pytest.raises(FormatError):
        read_lod_tensor(io.BytesIO(bytes.fromhex(hexdata) + b"\0" * 64))
    assert time.perf_counter() - t < 0.5


def test_looks_like():
    assert looks_like_lod_tensor(_bytes(np.ones(3, "float32"))[:32])
    assert looks_like_lod_tensor(_bytes(np.ones(3, "float32"), lod=[[0, 3]])[:32])
    assert not looks_like_lod_tensor(b"\x80\x02}q\x00(X")
    assert not looks_like_lod_tensor(b"PK\x03\x04" + b"\0" * 30)
    assert not looks_like_lod_tensor(bytes.fromhex("0a8023080010ff"))


# ---------------------------------------------------------------------------------------------
# real Paddle


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_paddle_written_tensors_read_and_rewritten_identically(version, tmp_path_factory):
    root = paddle_models(version, tmp_path_factory)
    for dtype in DESCRIPTORS:
        path = root / "t" / f"{dtype}.bin"
        arr, lod = load_lod_tensor(path)
        expected = np.load(root / "t" / f"{dtype}.npy")
        if dtype == "bfloat16":
            assert arr.dtype == np.uint16
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        assert arr.dtype == expected.dtype and np.array_equal(arr, expected), dtype
        assert lod == []
        raw = load_lod_tensor(path)[0]
        assert _bytes(raw, dtype=dtype) == path.read_bytes(), dtype


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_paddle_reads_our_tensors(version, tmp_path):
    save_lod_tensor(np.arange(6, dtype="float32").reshape(2, 3), tmp_path / "f32.bin")
    save_lod_tensor(np.array([0x3F80, 0x4000], "<u2"), tmp_path / "bf16.bin", dtype="bfloat16")
    save_lod_tensor(np.array(7, "int64"), tmp_path / "scalar.bin")
    out = run_paddle(
        """
        import paddle, json
        a = paddle.load('f32.bin'); b = paddle.load('bf16.bin'); c = paddle.load('scalar.bin')
        print(json.dumps([a.numpy().tolist(), str(b.dtype), b.astype('float32').numpy().tolist(),
                          c.shape, int(c)]))
        """,
        version,
        cwd=tmp_path,
        legacy=True,
    )
    a, bdtype, b, cshape, c = __import__("json").loads(out.strip().splitlines()[-1])
    assert a == [[0, 1, 2], [3, 4, 5]]
    assert bdtype.endswith("bfloat16") and b == [1.0, 2.0]
    assert cshape == [] and c == 7


def test_absurd_lod_level_size_is_refused_before_allocating():
    # found by the paddle.load fuzz test: a flipped LoD size once made the reader allocate 24 GiB
    import struct

    from paddlefish.errors import FormatError as _FormatError

    for nbytes in (24 << 30, 64):  # absurd, and merely larger than what remains
        bad = struct.pack("<IQQ", 0, 1, nbytes) + b"\0" * 16
        with pytest.raises(_FormatError, match="LoD level 0"):
            read_lod_tensor(io.BytesIO(bad))

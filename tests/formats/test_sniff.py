"""Format sniffing by magic bytes and structure, on hand-made heads and on real Paddle files."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pytest

from paddlefish.formats import pickle_writer
from paddlefish.formats.sniff import HEAD_SIZE, KINDS, describe, sniff
from tests.oracle import run_paddle

# FORMATS.md 3.1 worked example: float32 [6,1] with two LoD levels
LOD_EXAMPLE = (
    b"\x00\x00\x00\x00"
    + struct.pack("<Q", 2)
    + struct.pack("<Q", 24)
    + struct.pack("<3Q", 0, 2, 6)
    + struct.pack("<Q", 56)
    + struct.pack("<7Q", *range(7))
    + b"\x00\x00\x00\x00"
    + struct.pack("<i", 6)
    + bytes.fromhex("080510061001")
    + np.arange(6, dtype="f4").tobytes()
)
# FORMATS.md 3.3 example: rows [0, 4], height 10, value [[1,2],[3,4]] f32
SR_EXAMPLE = bytes.fromhex(
    "00000000 0200000000000000 0000000000000000 0400000000000000 0a00000000000000 00000000"
    " 06000000 080510021002 0000803f 00000040 00004040 00008040".replace(" ", "")
)
# FORMATS.md 3.2: lin.pdiparams starts with linear_0.b_0 ([3] f32), no LoD
PDIPARAMS_HEAD = bytes.fromhex("000000000000000000000000000000000400000008051003") + b"\0" * 12


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", b"x")
    return buf.getvalue()


def _safetensors() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * 8


@pytest.mark.parametrize(
    "head,kind",
    [
        (b"", "empty"),
        (pickle_writer.dumps({"w": np.zeros(2)}, 2), "pickle"),
        (pickle_writer.dumps({"w": np.zeros(2)}, 4), "pickle"),
        (LOD_EXAMPLE, "lod_tensor"),
        (PDIPARAMS_HEAD, "lod_tensor"),
        (SR_EXAMPLE, "selected_rows"),
        (b"\x0a\x8e\x05\x08\x00\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x1a", "program_desc"),
        (b'{"base_code":{"magic":"pir","trainable":true,"version":4},"program":{}}', "pir_json"),
        (b'{\n    "base_code": {\n        "magic": "pir"', "pir_json"),
        (_safetensors(), "safetensors"),
        (_zip(), "zip"),
        (b"\x08\x07\x12\x07pytorch\x1a\x032.1", "onnx"),
        (b"\x93NUMPY\x01\x00", "npy"),
        (b"hello world, not a model", "unknown"),
        (b"\x80\x09junk", "unknown"),
    ],
)
def test_sniff_examples(head, kind):
    assert sniff(head) == kind
    assert describe(kind) and kind in KINDS


def test_long_lod_still_sniffs_from_a_short_head():
    lod = b"\x00\x00\x00\x00" + struct.pack("<QQ", 1, 8 * 10000) + b"\0" * (HEAD_SIZE - 20)
    assert sniff(lod) == "lod_tensor"


def test_implausible_streams_are_unknown():
    assert sniff(b"\x00\x00\x00\x00" + struct.pack("<Q", 2**50) + b"\xff" * 40) == "unknown"
    assert sniff(b"\x01\x00\x00\x00" + b"\x00" * 40) == "unknown"


JIT_SAVE = r"""
import paddle
net = paddle.nn.Linear(4, 3)
paddle.jit.save(net, "lin", input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
paddle.save(net.state_dict(), "lin.pdparams")
"""


@pytest.mark.oracle
@pytest.mark.parametrize("version,legacy", [("3.3", False), ("3.3", True), ("2.6", True)])
def test_sniff_real_paddle_files(tmp_path, version, legacy):
    run_paddle(JIT_SAVE, version, cwd=tmp_path, legacy=legacy)
    expect = {"lin.pdiparams": "lod_tensor", "lin.pdparams": "pickle"}
    expect.update({"lin.pdmodel": "program_desc"} if legacy else {"lin.json": "pir_json"})
    if legacy:
        expect["lin.pdiparams.info"] = "pickle"
    for name, kind in expect.items():
        head = (tmp_path / name).read_bytes()[:HEAD_SIZE]
        assert sniff(head) == kind, (name, head[:32])

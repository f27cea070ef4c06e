"""Allowlist unpickler: Paddle-shaped pickles load; hostile and damaged ones are refused cleanly."""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.formats import pdparams, safe_pickle
from paddlefish.formats.pickle_writer import NamedArray, dumps

from .conftest import hostile_payloads

SAMPLE = {
    "fc.weight": np.arange(12, dtype="f4").reshape(3, 4),
    "fc.bias": np.zeros(4, "f4"),
    "empty": np.zeros((0, 2), "i8"),
    "scalar0d": np.array(2.5),
    "bf16": np.array([16256, 16416], "u2"),
    "flags": np.array([True, False]),
    "cplx": np.array([1 + 2j], "c8"),
    "nested": collections.OrderedDict(a=[1, 2.5, "s", None, (1, 2)], b={3, 4}),
    "npscalar": np.float32(1.5),
    "raw": b"\x00\xff" * 10,
    "LR_Scheduler": {"last_epoch": 2, "last_lr": 0.025},
}


def _eq(a, b):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert type(a) is type(b) and list(a) == list(b)
        for k in a:
            _eq(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _eq(x, y)
    else:
        assert a == b and type(a) is type(b)


@pytest.mark.parametrize("proto", [2, 3, 4])
def test_plain_pickle_of_numpy_structures_loads(proto):
    _eq(SAMPLE, safe_pickle.loads(pickle.dumps(SAMPLE, protocol=proto)))


@pytest.mark.parametrize("proto", [2, 3, 4])
def test_numpy1_module_path_is_mapped(proto):
    data = pickle.dumps({"w": np.arange(3.0)}, protocol=proto)
    old = data.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    if proto == 4:  # SHORT_BINUNICODE carries the length: 22 -> 21 chars
        old = data.replace(b"\x8c\x16numpy._core.multiarray", b"\x8c\x15numpy.core.multiarray")
        old = old.replace(
            struct.pack("<Q", _frame_len(data)), struct.pack("<Q", _frame_len(data) - 1), 1
        )
    assert old != data
    np.testing.assert_array_equal(safe_pickle.loads(old)["w"], np.arange(3.0))


def _frame_len(data: bytes) -> int:
    return struct.unpack_from("<Q", data, 3)[0]


@pytest.mark.parametrize("proto", [2, 3, 4])
def test_our_writer_round_trips_through_safe_loader(proto):
    obj = dict(SAMPLE, t=NamedArray("linear_0.w_0", np.ones((2, 2), "f4")))
    got = safe_pickle.loads(dumps(obj, proto))
    assert got["t"][0] == "linear_0.w_0" and type(got["t"]) is tuple
    _eq(got["t"][1], np.ones((2, 2), "f4"))
    _eq({k: v for k, v in SAMPLE.items()}, {k: got[k] for k in SAMPLE})


def _dense_tensor_pickle(expr: str) -> bytes:
    class DT:
        def __reduce__(self):
            return eval, (expr, {"data": np.arange(4, dtype="f4")})

    return pickle.dumps(DT(), protocol=4)


def test_dense_tensor_eval_stand_in_returns_data_without_eval():
    np.testing.assert_array_equal(safe_pickle.loads(_dense_tensor_pickle("data")), np.arange(4))


@pytest.mark.parametrize("expr", ["data + 1", "__import__('os')", "data.__class__"])
def test_eval_with_other_expression_is_refused(expr):
    with pytest.raises(UnsafePickleError, match=r"builtins\.eval"):
        safe_pickle.loads(_dense_tensor_pickle(expr))


def test_hostile_pickles_are_refused_and_nothing_runs(tmp_path, marker):
    for name, data in hostile_payloads(marker).items():
        path = tmp_path / f"{name}.pdparams"
        path.write_bytes(data)
        with pytest.raises(UnsafePickleError) as ei:
            pdparams.load_pdparams(str(path))
        glob = name.split("-")[0]
        assert glob in str(ei.value), (name, str(ei.value))
        assert "eval" in glob or "trusted_globals" in str(ei.value)
        assert str(path) in str(ei.value) or "eval" in glob
        assert not os.path.exists(marker), f"{name} executed code"


def test_refusal_names_file_and_opt_in():
    data = pickle.dumps(collections.Counter(a=1), protocol=4)
    with pytest.raises(UnsafePickleError) as ei:
        safe_pickle.loads(data, name="ck/epoch_3.pdopt")
    msg = str(ei.value)
    assert "collections.Counter" in msg and "ck/epoch_3.pdopt" in msg
    assert "trusted_globals=frozenset({'collections.Counter'})" in msg


def test_trusted_globals_opt_in_per_call():
    data = pickle.dumps(collections.Counter(a=1), protocol=4)
    got = safe_pickle.loads(data, trusted_globals={"collections.Counter"})
    assert got == collections.Counter(a=1)
    with pytest.raises(UnsafePickleError):  # not sticky
        safe_pickle.loads(data)


@pytest.mark.parametrize(
    "payload",
    [
        # _codecs.encode with a non-latin1 codec
        b"\x80\x02c_codecs\nencode\nX\x01\x00\x00\x00xX\x04\x00\x00\x00zlib\x86R.",
        # bytes(10**10): a huge allocation from a tiny file
        b"\x80\x02c__builtin__\nbytes\n\x8a\x05\x00\xe4\x0bT\x02\x85R.",
        # object dtype
        b"\x80\x02cnumpy\ndtype\nX\x02\x00\x00\x00O8\x89\x88\x87R.",
        # numpy.ndarray called directly (would allocate)
        b"\x80\x02cnumpy\nndarray\nJ\x00\xe1\xf5\x05\x85R.",
    ],
)
def test_allowed_globals_refuse_dangerous_arguments(payload):
    with pytest.raises(UnsafePickleError):
        safe_pickle.loads(payload)


def test_reconstruct_refuses_nonempty_shape():
    data = b"\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nJ\x00\xe1\xf5\x05\x85C\x01b\x87R."
    with pytest.raises(FormatError, match="empty shape"):
        safe_pickle.loads(data)


@pytest.mark.parametrize(
    "data,what",
    [
        (b"", "empty file"),
        (b"\x80\x04\x95", "ends early"),
        (b"\x80\x04\x8e" + struct.pack("<Q", 2**62) + b"xx", "damaged"),
        (b"\x80\x04\x8d" + struct.pack("<Q", 2**40), "damaged"),
        (b"PK\x03\x04" + b"\x00" * 20, "zip archive"),
        (b"\x80\x02P1\n.", "persistent ids"),
    ],
)
def test_damaged_input_raises_format_error(data, what):
    with pytest.raises(FormatError, match=what) as ei:
        safe_pickle.loads(data, name="x.pdparams")
    assert "x.pdparams" in str(ei.value)


def test_every_truncation_of_a_real_file_is_a_format_error():
    data = dumps(dict(SAMPLE, t=NamedArray("n", np.ones(3, "f4"))), 4)
    for cut in range(len(data) - 1):
        with pytest.raises(FormatError):
            safe_pickle.loads(data[:cut])


_BASES = [dumps(SAMPLE, p) for p in (2, 3, 4)] + [pickle.dumps(SAMPLE, p) for p in (2, 4)]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(_BASES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, len(data)))
        if kind == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 8))]
        else:
            del data[pos:]
    return bytes(data)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_mutated_files_give_format_error_or_success(data):
    try:
        safe_pickle.load(io.BytesIO(data), name="fuzz.pdparams")
    except FormatError as e:
        assert "fuzz.pdparams" in str(e)


def test_memo_index_bomb_is_refused_at_once(tmp_path):
    # found by fuzzing: LONG_BINPUT with an index near 2**31 made CPython's C unpickler allocate
    # and clear a ~16 GiB memo (30 s); see NOTE [memo and size bombs]
    import struct
    import time

    from paddlefish.formats import lazy_pickle

    bomb = b"\x80\x03}(X\x01\x00\x00\x00wK\x01r" + struct.pack("<I", 2**31 - 8) + b"e."
    path = tmp_path / "bomb.pdparams"
    path.write_bytes(bomb)
    for reader in (lambda: safe_pickle.load(io.BytesIO(bomb)),
                   lambda: lazy_pickle.load(str(path))):
        t0 = time.perf_counter()
        with pytest.raises(FormatError, match="memo index"):
            reader()
        assert time.perf_counter() - t0 < 1.0


def test_declared_length_beyond_the_file_is_refused(tmp_path):
    import struct

    data = b"\x80\x04\x8d" + struct.pack("<Q", 10**12) + b"abc"  # BINUNICODE8 of 1 TB
    with pytest.raises(FormatError, match="declares"):
        safe_pickle.load(io.BytesIO(data))

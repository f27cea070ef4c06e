"""paddle.save / paddle.load edges: several objects in one stream, exception types, permissions.

The behaviours here are Paddle's; tests/framework/test_oracle_paddle_edges.py checks each one
against real Paddle 2.6 and 3.3.
"""

from __future__ import annotations

import io
import os
import stat

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish._core import fs
from paddlefish.errors import EmptyInputError, FormatError
from paddlefish.framework import load, save
from tests.framework.conftest import assert_same, named


def _objects(net):
    big = named(np.arange(5000, dtype="f4").reshape(50, 100), "big_0")  # > the 8 KiB read-ahead
    return [
        ("tensor", named(np.array([1.0, 2.0], "f4"), "t_0"), {}),
        ("nested", {"a": [named(np.array([3], "i8"), "n_0"), 2.5, "s", (1, None)], "b": {}}, {}),
        ("state_dict", dict(net.state_dict()), {}),
        ("big", {"w": big}, {}),
        ("ndarray", np.arange(6, dtype="i4").reshape(2, 3), {}),
        ("scalar", np.float32(1.5), {}),
        ("binary", named(np.array([7.0], "f4"), "b_0"), {"use_binary_format": True}),
        ("protocol2", {"w": big}, {"protocol": 2}),
        ("list", [1, (2, "x")], {}),
    ]


def _expected(obj, kw):
    """What load returns for ``obj``: Tensors keep names except use_binary_format ones."""
    buf = io.BytesIO()
    save(obj, buf, **kw)
    buf.seek(0)
    return load(buf)


def _write_all(f, objs):
    for _, obj, kw in objs:
        save(obj, f, **kw)


def _read_all_one_by_one(f, objs, **cfg):
    got = []
    for _ in objs:
        got.append(load(f, **cfg))
    with pytest.raises(EOFError, match="nothing left to read"):
        load(f, **cfg)
    return got


def _check(objs, got):
    for (what, obj, kw), g in zip(objs, got):
        exp = _expected(obj, kw)
        if isinstance(exp, paddle.Tensor) and not isinstance(g, paddle.Tensor):
            pytest.fail(f"{what}: got {type(g)}")
        if kw.get("use_binary_format") or what == "ndarray":  # unnamed Tensors
            assert isinstance(g, paddle.Tensor) and g.dtype == exp.dtype, what
            np.testing.assert_array_equal(g.numpy(), exp.numpy())
        else:
            assert_same(exp, g, what)


def test_bytesio_objects_load_one_by_one(net):
    objs = _objects(net)
    buf = io.BytesIO()
    _write_all(buf, objs)
    end = buf.tell()
    buf.seek(0)
    _check(objs, _read_all_one_by_one(buf, objs))
    assert buf.tell() == end


@pytest.mark.parametrize("mmap", [False, True])
def test_file_handle_objects_load_one_by_one(tmp_path, net, mmap):
    objs = _objects(net)
    p = tmp_path / "many.bin"
    with open(p, "wb") as f:
        _write_all(f, objs)
    with open(p, "rb") as f:
        got = _read_all_one_by_one(f, objs, mmap=mmap)
        assert f.tell() == os.path.getsize(p)
    _check(objs, got)
    if mmap:
        assert isinstance(got[3]["w"].numpy(), np.ndarray)


def test_trusted_globals_path_also_stops_at_the_end(net):
    buf = io.BytesIO()
    save({"a": named(np.ones(3000, "f4"), "a")}, buf)
    save([5], buf)
    buf.seek(0)
    first = load(buf, trusted_globals={"fractions.Fraction"})
    assert first["a"].shape == [3000]
    assert load(buf, trusted_globals={"fractions.Fraction"}) == [5]


def test_each_position_is_just_after_its_object():
    """After each load the stream sits exactly where the next object starts."""
    buf, starts = io.BytesIO(), []
    for obj in ({"w": named(np.ones(4000, "f4"), "w")}, [1, 2], named(np.ones(2, "f4"), "x")):
        starts.append(buf.tell())
        save(obj, buf)
    starts.append(buf.tell())
    buf.seek(0)
    for nxt in starts[1:]:
        load(buf)
        assert buf.tell() == nxt


def test_safetensors_stream_stops_at_the_end():
    pytest.importorskip("safetensors")
    buf = io.BytesIO()
    save({"w": named(np.ones((2, 3), "f4"), "w")}, buf, safetensors=True)
    save([1], buf)
    buf.seek(0)
    assert load(buf, safetensors=True)["w"].shape == [2, 3]
    assert load(buf) == [1]


def test_failed_load_leaves_the_stream_where_it_was():
    buf = io.BytesIO()
    save([1], buf)
    good_end = buf.tell()
    buf.write(b"\x80\x04\x95garbage-not-a-pickle")
    buf.seek(0)
    assert load(buf) == [1]
    with pytest.raises(FormatError):
        load(buf)
    assert buf.tell() == good_end


# ---- exception types (see NOTE [Paddle exception types] in errors.py) -------------------------


def test_missing_path_is_value_error_and_file_not_found(tmp_path):
    for bad in (tmp_path / "nope.pdparams", tmp_path / "no" / "dir" / "x", "missing_prefix"):
        with pytest.raises(ValueError, match="does not exist") as e:
            load(bad)
        assert isinstance(e.value, FileNotFoundError)


def test_prefix_of_a_pdparams_file_gets_the_full_name_hint(tmp_path, net):
    save(net.state_dict(), tmp_path / "model.pdparams")
    with pytest.raises(ValueError, match=r"paddle.load\('.*model.pdparams'\)"):
        load(str(tmp_path / "model"))


def test_save_to_an_existing_directory_is_is_a_directory_error(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError) as e:
        save([1], tmp_path / "d")
    assert isinstance(e.value, ValueError)
    with pytest.raises(ValueError, match="not a directory"):
        save([1], str(tmp_path / "d") + "/")


def test_binary_format_of_a_dict_is_not_implemented(tmp_path):
    with pytest.raises(NotImplementedError, match="single Tensor"):
        save({"a": named(np.ones(1, "f4"), "a")}, tmp_path / "a", use_binary_format=True)
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("bad", [3, None, 2.5])
def test_load_of_a_non_path_is_type_error(bad):
    with pytest.raises(TypeError, match="path must be"):
        load(bad)


def test_empty_file_and_exhausted_stream_are_eof_errors(tmp_path):
    p = tmp_path / "empty.pdparams"
    p.write_bytes(b"")
    for src in (p, io.BytesIO()):
        with pytest.raises(EOFError) as e:
            load(src)
        assert isinstance(e.value, EmptyInputError) and isinstance(e.value, FormatError)


# ---- permissions (see NOTE [file permissions] in _core/fs.py) ---------------------------------


@pytest.fixture
def umask():
    old = os.umask(0o022)
    os.umask(old)
    yield lambda m: os.umask(m)
    os.umask(old)


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002, 0o027])
def test_saved_files_and_dirs_get_umask_permissions(tmp_path, umask, mask):
    umask(mask)
    p = tmp_path / "a" / "b" / "x.pdparams"
    save({"w": named(np.ones(2, "f4"), "w")}, p)
    assert _mode(p) == 0o666 & ~mask
    assert _mode(tmp_path / "a") == _mode(tmp_path / "a" / "b") == 0o777 & ~mask
    with fs.atomic_files() as stage:
        for name in ("m.pdmodel", "m.pdiparams"):
            with stage.open(str(tmp_path / "multi" / name)) as f:
                f.write(b"x")
    for name in ("m.pdmodel", "m.pdiparams"):
        assert _mode(tmp_path / "multi" / name) == 0o666 & ~mask
    assert _mode(tmp_path / "multi") == 0o777 & ~mask
    assert not [n for n in os.listdir(tmp_path / "multi") if n.endswith(".tmp")]


def test_overwriting_keeps_the_existing_file_mode(tmp_path, umask):
    umask(0o022)
    p = tmp_path / "x.pdparams"
    save([1], p)
    os.chmod(p, 0o640)
    save([2], p)
    assert _mode(p) == 0o640 and load(p) == [2]
    with fs.atomic_write(str(p)) as f:
        f.write(b"\x80\x04K\x03.")
    assert _mode(p) == 0o640 and load(p) == 3

"""Configs, refused objects, damaged and foreign files, hostile pickles (FORMATS.md 1.1, 1.7, 10)."""

from __future__ import annotations

import os
import pickle
import warnings

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.framework import load, save
from tests.formats.conftest import HostileDict, hostile_payloads
from tests.framework.conftest import named


def test_unknown_configs_are_refused_with_valid_list(tmp_path):
    with pytest.raises(
        ValueError, match=r"\['pickle_protocol', 'safetensors', 'use_binary_format'"
    ):
        save(1, tmp_path / "a", use_binary=True)
    with pytest.raises(ValueError, match="keep_name_table"):
        load(tmp_path / "a", keep_names=True)


@pytest.mark.parametrize("protocol", [1, 5, "4", 4.0])
def test_protocol_must_be_int_2_to_4(tmp_path, protocol):
    with pytest.raises(ValueError, match="protocol must be an int in 2..4"):
        save(1, tmp_path / "a", protocol=protocol)
    assert not os.listdir(tmp_path)


def test_pickle_protocol_alias_warns(tmp_path):
    with pytest.warns(DeprecationWarning, match="pickle_protocol"):
        save({"w": named(np.ones(1, "f4"), "w")}, tmp_path / "a", pickle_protocol=2)
    assert (tmp_path / "a").read_bytes()[:2] == b"\x80\x02"


def test_layer_anywhere_is_refused_before_writing(tmp_path):
    with pytest.raises(ValueError, match=r"<root>\['m'\]\[0\] is a Layer"):
        save({"m": [paddle.nn.Linear(1, 1)], "e": 1}, tmp_path / "a")
    assert not os.listdir(tmp_path)


def test_other_iterables_and_objects_are_refused(tmp_path):
    with pytest.raises(NotImplementedError, match="range"):
        save({"r": range(3)}, tmp_path / "a")
    with pytest.raises(TypeError, match="object"):
        save([object()], tmp_path / "a")
    assert not os.listdir(tmp_path)


def test_path_must_be_a_file_name(tmp_path):
    with pytest.raises(ValueError, match="not a directory"):
        save(1, str(tmp_path) + "/")
    with pytest.raises(ValueError, match="not a directory"):
        save(1, tmp_path)


def test_binary_format_needs_a_tensor(tmp_path):
    with pytest.raises(ValueError, match="single Tensor"):
        save({"a": 1}, tmp_path / "a", use_binary_format=True)


def _pdparams(tmp_path):
    p = tmp_path / "net.pdparams"
    save({"w": named(np.arange(300, dtype="f4"), "w")}, p)
    return p


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"", "an empty file"),
        (os.urandom(64) + b"zz", "unknown"),
        (b"PK\x03\x04" + b"\0" * 40, "zip"),
        (b"\x08\x07\x12\x04onnx" + b"\0" * 20, "ONNX"),
        (b"\x93NUMPY" + b"\0" * 40, "NumPy"),
    ],
)
def test_foreign_files_name_file_expected_and_found(tmp_path, content, found):
    p = tmp_path / "x.pdparams"
    p.write_bytes(b"\xff" + content if content.startswith(b"\x80") else content)
    with pytest.raises(FormatError) as e:
        load(p)
    msg = str(e.value)
    assert str(p) in msg and "expected" in msg and found in msg


def test_program_desc_named_pdparams_is_refused(tmp_path):
    from paddlefish import formats, ir

    p = tmp_path / "m.pdparams"
    formats.save_program_desc(ir.Program(), p)
    with pytest.raises(FormatError, match="ProgramDesc.*paddle.jit.load"):
        load(p)


@pytest.mark.parametrize("mmap", [False, True])
def test_truncated_pickle_is_a_format_error(tmp_path, mmap):
    p = _pdparams(tmp_path)
    data = p.read_bytes()
    for cut in (3, 40, len(data) // 2, len(data) - 1):
        p.write_bytes(data[:cut])
        with pytest.raises(FormatError, match=str(p)):
            load(p, mmap=mmap)


def test_missing_path_and_empty_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load(tmp_path / "nope")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "readme.txt").write_text("hello")
    with pytest.raises(FormatError, match="without a model file"):
        load(tmp_path / "d")


def test_combined_params_file_returns_first_tensor_with_warning(tmp_path):
    from paddlefish import formats

    p = tmp_path / "m.pdiparams"
    formats.save_pdiparams({"a": np.ones(2, "f4"), "b": np.zeros(3, "f4")}, p)
    with pytest.warns(UserWarning, match="only the first"):
        t = load(p)
    assert t.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("mmap", [False, True])
def test_hostile_pickles_are_refused_and_nothing_runs(tmp_path, mmap):
    marker = str(tmp_path / "PWNED")
    for name, data in hostile_payloads(marker).items():
        p = tmp_path / f"{name}.pdparams"
        p.write_bytes(data)
        with pytest.raises(UnsafePickleError) as e:
            load(p, mmap=mmap)
        glob = name.split("-")[0]
        assert glob in str(e.value) and str(p) in str(e.value), (name, str(e.value))
        if glob != "builtins.eval":  # eval is a stand-in that accepts only Paddle's form
            assert "trusted_globals" in str(e.value)
        assert not os.path.exists(marker), f"{name} executed code"


def test_trusted_globals_opt_in_per_call(tmp_path):
    p = tmp_path / "odd.pdparams"
    p.write_bytes(
        pickle.dumps({"w": np.ones(2, "f4"), "frac": __import__("fractions").Fraction(1, 3)})
    )
    with pytest.raises(UnsafePickleError, match="fractions.Fraction"):
        load(p)
    got = load(p, trusted_globals={"fractions.Fraction"})
    assert got["frac"] == __import__("fractions").Fraction(1, 3)
    with pytest.raises(UnsafePickleError):
        load(p)  # the opt-in does not stick


def test_hostile_dict_subclass_save_side_is_plain_dict(tmp_path):
    """Saving a dict subclass writes a plain dict: its hostile __reduce__ never reaches the file."""
    save(HostileDict("touch x"), tmp_path / "a")
    assert pickle.loads((tmp_path / "a").read_bytes()) == {"w": 1}


def test_no_warnings_on_normal_round_trip(tmp_path, net):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save(net.state_dict(), tmp_path / "a")
        load(tmp_path / "a")


def test_missing_model_file_name_never_doubles_the_suffix(tmp_path):
    """Paddle's guide code passes 'temp/model.pdmodel'; the message must not say '.pdmodel.pdmodel'."""
    missing = str(tmp_path / "temp" / "model.pdmodel")
    with pytest.raises(ValueError) as e:
        load(missing)
    assert isinstance(e.value, FileNotFoundError)
    assert ".pdmodel.pdmodel" not in str(e.value)
    assert repr(str(tmp_path / "temp" / "model")) in str(e.value)

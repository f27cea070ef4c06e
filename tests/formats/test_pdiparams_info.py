""".pdiparams.info: golden bytes (FORMATS.md 5), hostile pickles, files written by real Paddle."""

from __future__ import annotations

import io
import os
import pickle

import pytest

from paddlefish.errors import FormatError, UnsafePickleError
from paddlefish.formats import load_pdiparams_info, read_pdiparams_info, write_pdiparams_info
from tests.formats._paddle_models import paddle_models

LINEAR = {
    "linear_0.w_0": {"structured_name": "weight", "stop_gradient": False, "trainable": True},
    "linear_0.b_0": {"trainable": True, "structured_name": "bias", "stop_gradient": False},
}


def test_golden_linear_info():
    buf = io.BytesIO()
    write_pdiparams_info(LINEAR, buf)
    data = buf.getvalue()
    assert len(data) == 148
    assert data.startswith(
        bytes.fromhex("80027d710028580c000000")
        + b"linear_0.b_0"
        + bytes.fromhex("71017d710228580f000000")
        + b"structured_name"
    )
    assert data.endswith(bytes.fromhex("7575") + b".")
    back = read_pdiparams_info(io.BytesIO(data))
    assert list(back) == ["linear_0.b_0", "linear_0.w_0"]
    assert list(back["linear_0.b_0"]) == ["structured_name", "stop_gradient", "trainable"]
    assert back == LINEAR


class _Evil:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_global_is_refused_and_not_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = pickle.dumps({"w": {"stop_gradient": _Evil()}}, protocol=2)
    with pytest.raises(UnsafePickleError, match="posix.system|os.system"):
        read_pdiparams_info(io.BytesIO(data), name="m.pdiparams.info")
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    "obj", [["list"], {"w": "notadict"}, {"w": {"stop_gradient": 1}}, {"w": {"other": True}}]
)
def test_wrong_structure(obj):
    with pytest.raises(FormatError):
        read_pdiparams_info(io.BytesIO(pickle.dumps(obj, protocol=2)))


def test_damaged_bytes():
    buf = io.BytesIO()
    write_pdiparams_info(LINEAR, buf)
    for n in (0, 5, 60, 147):
        with pytest.raises(FormatError):
            read_pdiparams_info(io.BytesIO(buf.getvalue()[:n]))


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_paddle_written_info(version, tmp_path_factory):
    root = paddle_models(version, tmp_path_factory)
    info = load_pdiparams_info(root / "cbn" / "cbn.pdiparams.info")
    assert info["batch_norm2d_0.w_1"] == {
        "structured_name": "bn._mean",
        "stop_gradient": True,
        "trainable": False,
    }
    assert info["conv2d_0.w_0"] == {
        "structured_name": "conv.weight",
        "stop_gradient": False,
        "trainable": True,
    }
    assert len(info) == 6
    path = root / "mlp" / "mlp.pdiparams.info"
    buf = io.BytesIO()
    write_pdiparams_info(load_pdiparams_info(path), buf)
    if version == "3.3":  # 3.3 writes sorted names; see NOTE [pdiparams.info key order]
        assert buf.getvalue() == path.read_bytes()
    else:
        assert pickle.loads(buf.getvalue()) == pickle.loads(path.read_bytes())

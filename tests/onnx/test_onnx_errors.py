"""What the exporter refuses, and how it says so."""

from __future__ import annotations

import pytest

import paddlefish as paddle
from paddlefish import ir
from paddlefish.errors import ConversionError
from paddlefish.onnx import export, export_program, supported_ops
from paddlefish.static import InputSpec

pytest.importorskip("onnx")


class _KLDiv(paddle.nn.Layer):
    def forward(self, x):
        return paddle.nn.functional.kl_div(x, x * 2.0)


def test_op_without_rule_is_named(tmp_path):
    specs = [InputSpec([None, 3], "float32", "x")]
    with pytest.raises(ConversionError, match=r"no conversion rule for op\(s\) \['kldiv_loss'\]"):
        export(_KLDiv(), str(tmp_path / "m"), input_spec=specs)
    assert not (tmp_path / "m.onnx").exists()  # nothing written on failure
    assert "kldiv_loss" not in supported_ops() and "conv2d" in supported_ops()
    assert {"rnn", "while", "conditional_block", "select_input"} <= set(supported_ops())


@pytest.mark.parametrize("opset", [9, 10, 18, "11"])
def test_opset_out_of_range(tmp_path, opset):
    with pytest.raises(ValueError, match=r"opset_version must be an int in \[11, 17\]"):
        export(
            paddle.nn.Linear(2, 2),
            str(tmp_path / "m"),
            input_spec=[InputSpec([None, 2], "float32", "x")],
            opset_version=opset,
        )


def test_bad_arguments(tmp_path):
    lin = paddle.nn.Linear(2, 2)
    spec = [InputSpec([None, 2], "float32", "x")]
    with pytest.raises(ValueError, match="needs input_spec"):
        export(lin, str(tmp_path / "m"))
    with pytest.raises(ValueError, match=r"unknown config\(s\) \['bogus'\]"):
        export(lin, str(tmp_path / "m"), input_spec=spec, bogus=1)
    with pytest.raises(ValueError, match="file_prefix is empty"):
        export(lin, str(tmp_path) + "/", input_spec=spec)


def test_old_style_conditional_block_refused():
    # is_scalar_condition=False ("run when every input is non-empty") is not dy2static's if/else
    p = ir.Program()
    sub = p.create_block(0)
    b = p.global_block()
    b.create_var("x", dtype="float32", shape=[-1, 2])
    b.append_op(
        "conditional_block",
        {"Cond": ["x"], "Input": []},
        {"Out": [], "Scope": []},
        {"sub_block": sub},
    )
    with pytest.raises(ConversionError, match="without is_scalar_condition"):
        export_program(p, {}, feed_names=["x"], fetch_names=["x"])

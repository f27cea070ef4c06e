"""``paddle.device`` streams/events and the places of devices paddlefish cannot drive: on a
CPU-only machine they fail as a CPU build of Paddle 2.6 does (TypeError for streams, the
place's own message — Paddle aborts the process there, paddlefish raises), checked against the
oracle where Paddle returns at all."""

from __future__ import annotations

import pytest
import torch

import paddlefish as paddle
from tests.oracle import run_paddle

cpu_only = pytest.mark.skipif(torch.cuda.is_available(), reason="the CPU-only behaviour")


@cpu_only
def test_streams_and_events_refused_without_cuda():
    for make in (paddle.device.Stream, paddle.device.Event, paddle.device.current_stream):
        with pytest.raises(TypeError, match="device should be gpu, xpu"):
            make()
    with paddle.device.stream_guard(None):  # a no-op, as in Paddle
        x = paddle.ones([2])
    assert x.tolist() == [1.0, 1.0]


@cpu_only
def test_other_device_places_raise_with_the_reason():
    with pytest.raises(RuntimeError, match="install XPU version"):
        paddle.XPUPlace(0)
    with pytest.raises(RuntimeError, match="IPU version"):
        paddle.device.IPUPlace()
    with pytest.raises(RuntimeError, match="not registered as a custom device"):
        paddle.CustomPlace("npu", 0)
    with pytest.raises(RuntimeError, match="Cannot use CUDAPinnedPlace in CPU only version"):
        paddle.CUDAPinnedPlace()


@pytest.mark.oracle
@cpu_only
def test_paddle_cpu_build_behaves_the_same(tmp_path):
    out = run_paddle(
        """
        import paddle
        with paddle.device.stream_guard(None):
            print("guard ok")
        for f in (paddle.device.Stream, paddle.device.Event, paddle.device.current_stream):
            try:
                f()
            except TypeError as e:
                print("TypeError", str(e).split(",")[0])
        """,
        "2.6",
        cwd=tmp_path,
    )
    assert out.count("TypeError device should be gpu") == 3 and "guard ok" in out


def test_jit_code_level_shows_the_converted_code(tmp_path, capsys, monkeypatch):
    (tmp_path / "netmod.py").write_text(
        "import paddlefish as paddle\n"
        "class Net(paddle.nn.Layer):\n"
        "    def forward(self, x):\n"
        "        if x.sum() > 0:\n"
        "            y = x * 2\n"
        "        else:\n"
        "            y = x - 1\n"
        "        return y\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import netmod

    spec = [paddle.static.InputSpec([None, 3], "float32")]
    try:
        paddle.jit.set_code_level(100, also_to_stdout=True)
        paddle.jit.set_verbosity(1, also_to_stdout=True)
        paddle.jit.save(netmod.Net(), str(tmp_path / "a"), input_spec=spec)
        shown = capsys.readouterr().out
    finally:
        paddle.jit.set_code_level(0)
        paddle.jit.set_verbosity(0)
    assert "dy2static: converting Net.forward" in shown
    assert "the code of Net.forward is" in shown and "convert_ifelse" in shown
    with pytest.raises(TypeError, match="level must be an int"):
        paddle.jit.set_code_level("high")

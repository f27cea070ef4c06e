"""``paddlefish inspect|verify``: describe files without running their code; run saved models."""

from __future__ import annotations

import pickle

import paddlefish as paddle
from paddlefish.cli import main


def test_inspect_prefix_and_pdparams(tmp_path, capsys):
    prefix = str(tmp_path / "m")
    paddle.jit.save(paddle.nn.Linear(4, 3), prefix,
                    input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    assert main(["inspect", prefix]) == 0
    out = capsys.readouterr().out
    assert "legacy ProgramDesc" in out and "matmul_v2" in out and "2 persistable" in out
    paddle.save(paddle.nn.Linear(2, 2).state_dict(), str(tmp_path / "l.pdparams"))
    assert main(["inspect", str(tmp_path / "l.pdparams")]) == 0
    out = capsys.readouterr().out
    assert "weight: Tensor float32[2, 2]" in out


def test_verify_runs_the_model_on_zeros(tmp_path, capsys):
    prefix = str(tmp_path / "m")
    paddle.jit.save(paddle.nn.Linear(4, 3), prefix,
                    input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
    assert main(["verify", prefix, "--batch", "5"]) == 0
    assert "output 0: float32[5, 3], finite=True" in capsys.readouterr().out


def test_inspect_refuses_hostile_pickle_without_running_it(tmp_path, capsys):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            import os

            return (os.system, (f"touch {marker}",))

    bad = tmp_path / "evil.pdparams"
    bad.write_bytes(pickle.dumps({"w": Evil()}))
    assert main(["inspect", str(bad)]) == 1
    assert "system" in capsys.readouterr().err
    assert not marker.exists()


def test_missing_path_is_a_clear_error(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "nope")]) == 1
    assert "nope" in capsys.readouterr().err

"""Paddle 1.x's decay functions in ``paddle.optimizer.lr`` against real Paddle 2.6: in dynamic
mode the scheduler each maps to and its rates over 6 steps; in static mode the rate variable
fetched over 6 ``Executor.run`` calls (NOTE [legacy lr decays])."""

from __future__ import annotations

import numpy as np
import pytest

from tests.oracle.scripts import mismatches, run_both

SOURCE = r"""
import numpy as np

CALLS = {
    "noam": lambda lr: lr.noam_decay(64, 3, 2.0),
    "exp": lambda lr: lr.exponential_decay(0.5, 2, 0.8),
    "exp_stair": lambda lr: lr.exponential_decay(0.5, 2, 0.8, staircase=True),
    "natural": lambda lr: lr.natural_exp_decay(0.5, 3, 0.3),
    "inverse": lambda lr: lr.inverse_time_decay(0.5, 2, 0.5, True),
    "poly": lambda lr: lr.polynomial_decay(0.5, 4, 0.01, 2.0),
    "poly_cycle": lambda lr: lr.polynomial_decay(0.5, 2, 0.01, 1.0, cycle=True),
    "piecewise": lambda lr: lr.piecewise_decay([2, 4], [0.3, 0.2, 0.1]),
    "cosine": lambda lr: lr.cosine_decay(0.4, 2, 5),
    "warmup": lambda lr: lr.linear_lr_warmup(0.3, 3, 0.0, 0.2),
}

def run(paddle):
    lr = paddle.optimizer.lr
    out = {}
    for name, make in CALLS.items():
        s = make(lr)
        out[f"{name}.type"] = np.array([type(s).__name__])
        rates = []
        for _ in range(6):
            rates.append(s.get_lr() if hasattr(s, "get_lr") else s())
            s.step()
        out[f"{name}.dygraph"] = np.array(rates, "float64")
    paddle.enable_static()
    try:
        for name, make in CALLS.items():
            main, startup = paddle.static.Program(), paddle.static.Program()
            with paddle.static.program_guard(main, startup):
                v = make(lr)
            exe = paddle.static.Executor(paddle.CPUPlace())
            scope = paddle.static.Scope()
            with paddle.static.scope_guard(scope):
                exe.run(startup)
                out[f"{name}.static"] = np.concatenate(
                    [np.asarray(exe.run(main, fetch_list=[v])[0]).reshape(-1) for _ in range(6)]
                )
    finally:
        paddle.disable_static()
    return out
"""


@pytest.mark.oracle
def test_legacy_decays_match_paddle_2_6(tmp_path):
    ours, theirs = run_both(SOURCE, "2.6", tmp_path)
    bad = mismatches(ours, theirs)
    assert not bad, "differences from Paddle 2.6:\n" + "\n".join(bad)
    assert len({tuple(np.round(v, 6)) for k, v in theirs.items() if k.endswith(".static")}) > 5

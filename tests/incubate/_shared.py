"""Run one scenario source with paddlefish (in process) and with Paddle 2.6 (one subprocess).

The scenario defines ``main(paddle, np)`` returning nested dicts/lists of numpy arrays, numbers
and strings; ``compare`` checks every leaf (arrays at rtol 1e-5, dtypes equal, the rest ==).
"""

from __future__ import annotations

import pickle

import numpy as np

from tests.oracle import run_paddle


def run_fish(scenario: str, *args, entry: str = "main"):
    """Call the scenario's ``entry(paddlefish, np, *args)`` in this process."""
    import paddlefish as paddle

    ns: dict = {}
    exec(compile(scenario, "incubate_scenario", "exec"), ns)  # noqa: S102 - our own test source
    return ns[entry](paddle, np, *args)


def run_oracle(scenario: str, cwd, *args) -> object:
    code = (
        scenario
        + f"""
import paddle, pickle
import numpy as np
pickle.dump(main(paddle, np, *{args!r}), open("paddle.pkl", "wb"))
"""
    )
    run_paddle(code, "2.6", cwd=cwd)
    return pickle.loads((cwd / "paddle.pkl").read_bytes())


def compare(ours, ref, where: str = "") -> None:
    if isinstance(ref, dict):
        assert isinstance(ours, dict) and list(ours) == list(ref), (where, list(ours), list(ref))
        for k in ref:
            compare(ours[k], ref[k], f"{where}/{k}")
    elif isinstance(ref, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(ref), where
        for i, (a, b) in enumerate(zip(ours, ref)):
            compare(a, b, f"{where}[{i}]")
    elif isinstance(ref, np.ndarray):
        a = np.asarray(ours)
        assert a.dtype == ref.dtype and a.shape == ref.shape, (
            where,
            a.dtype,
            a.shape,
            ref.dtype,
            ref.shape,
        )
        np.testing.assert_allclose(a, ref, rtol=1e-5, atol=1e-6, err_msg=where)
    else:
        assert ours == ref, (where, ours, ref)

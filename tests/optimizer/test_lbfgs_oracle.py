"""``paddle.optimizer.LBFGS`` (fixed step and strong-Wolfe line search): losses, parameters and
state counters equal real Paddle 2.6 and 3.3 on the same program."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from tests.oracle import run_paddle
from tests.standin._run import run_fish

pytestmark = pytest.mark.oracle
PROGRAM = str(pathlib.Path(__file__).resolve().parent / "programs" / "lbfgs_fit.py")


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    d = tmp_path_factory.mktemp("fish")
    return json.loads(run_fish([PROGRAM], cwd=d).stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("ver", ["2.6", "3.3"])
def test_lbfgs_matches_paddle(ours, ver, tmp_path):
    code = f"import runpy; runpy.run_path({PROGRAM!r}, run_name='__main__')\n"
    ref = json.loads(run_paddle(code, ver, cwd=tmp_path).strip().splitlines()[-1])
    assert ours["minimize"] == ref["minimize"]
    for ls in ("None", "strong_wolfe"):
        o, r = ours[ls], ref[ls]
        assert (o["func_evals"], o["n_iter"], o["n_hist"]) == (
            r["func_evals"],
            r["n_iter"],
            r["n_hist"],
        )
        np.testing.assert_allclose(o["losses"], r["losses"], rtol=1e-4)
        for po, pr in zip(o["params"], r["params"]):
            np.testing.assert_allclose(po, pr, rtol=1e-3, atol=1e-4)

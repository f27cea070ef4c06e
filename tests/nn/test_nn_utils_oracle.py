"""``paddle.nn.utils`` (weight_norm, spectral_norm, parameter vectors, gradient clipping): one
unmodified program gives the same keys, shapes and values as Paddle 2.6 and 3.3."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from tests.oracle import run_paddle
from tests.standin._run import run_fish

pytestmark = pytest.mark.oracle
PROGRAM = str(pathlib.Path(__file__).resolve().parent / "programs" / "nn_utils.py")


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    d = tmp_path_factory.mktemp("fish")
    return json.loads(run_fish([PROGRAM], cwd=d).stdout.strip().splitlines()[-1])


def _close(a, b, key):
    if isinstance(a, (list, float)) and not isinstance(a, bool):
        try:
            np.testing.assert_allclose(
                np.asarray(a, float), np.asarray(b, float), rtol=1e-4, atol=1e-4, err_msg=key
            )
            return
        except (ValueError, TypeError):
            pass
    assert a == b, key


@pytest.mark.parametrize("ver", ["2.6", "3.3"])
def test_nn_utils_match_paddle(ours, ver, tmp_path):
    code = f"import runpy; runpy.run_path({PROGRAM!r}, run_name='__main__')\n"
    ref = json.loads(run_paddle(code, ver, cwd=tmp_path).strip().splitlines()[-1])
    assert set(ours) == set(ref)
    for key in ref:
        if isinstance(ref[key], list) and ref[key] and not isinstance(ref[key][0], (int, float)):
            assert len(ours[key]) == len(ref[key]), key
            for a, b in zip(ours[key], ref[key]):
                _close(a, b, key)
        else:
            _close(ours[key], ref[key], key)

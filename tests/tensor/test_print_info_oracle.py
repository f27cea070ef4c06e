"""``set_printoptions``, ``finfo``/``iinfo``, ``get/set_rng_state`` and the capability queries:
one unmodified program prints the same lines under paddlefish as under Paddle 2.6 and 3.3."""

from __future__ import annotations

import pathlib

import pytest

from tests.oracle import run_paddle
from tests.standin._run import run_fish

pytestmark = pytest.mark.oracle
PROGRAM = str(pathlib.Path(__file__).resolve().parent / "programs" / "print_info.py")


@pytest.mark.parametrize("ver", ["2.6", "3.3"])
def test_print_and_info_match_paddle(ver, tmp_path):
    ours = run_fish([PROGRAM], cwd=tmp_path).stdout.strip().splitlines()
    code = f"import runpy; runpy.run_path({PROGRAM!r}, run_name='__main__')\n"
    ref = run_paddle(code, ver, cwd=tmp_path).strip().splitlines()
    ref = [line for line in ref if "ccache" not in line]
    assert ours == ref

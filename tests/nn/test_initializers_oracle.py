"""Paddle's 1.x-style initializer classes (``ConstantInitializer``, ``MSRAInitializer`` ...) and
``Dirac``: values, class relations and statistics equal real Paddle 2.6 and 3.3."""

from __future__ import annotations

import json
import pathlib

import pytest

from tests.oracle import run_paddle
from tests.standin._run import run_fish

pytestmark = pytest.mark.oracle
PROGRAM = str(pathlib.Path(__file__).resolve().parent / "programs" / "initializers.py")


@pytest.mark.parametrize("ver", ["2.6", "3.3"])
def test_initializers_match_paddle(ver, tmp_path):
    ours = json.loads(run_fish([PROGRAM], cwd=tmp_path).stdout.strip().splitlines()[-1])
    code = f"import runpy; runpy.run_path({PROGRAM!r}, run_name='__main__')\n"
    ref = json.loads(run_paddle(code, ver, cwd=tmp_path).strip().splitlines()[-1])
    if ver == "3.3":  # 3.x truncates at absolute [a, b]; 2.6 (and paddlefish) at mean +- 2 std
        assert ours.pop("trunc_bound") is True and ref.pop("trunc_bound") is False
    assert ours == ref

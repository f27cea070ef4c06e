"""``paddle.get_flags`` / ``set_flags`` against real Paddle 2.6's flag table and behaviour."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest
import torch

import paddlefish as paddle
from paddlefish._core import flags
from tests.oracle import run_paddle


@pytest.fixture(autouse=True)
def _restore():
    saved = dict(flags._values)
    yield
    flags._values.clear()
    flags._values.update(saved)


@pytest.mark.oracle
def test_defaults_equal_paddle_26():
    """Every public flag of Paddle 2.6 exists here with Paddle's default value."""
    code = """
import json, paddle
g = paddle.base.core.globals()
print(json.dumps({k: g[k] for k in g.keys() if g.is_public(k)}))
"""
    ref = json.loads(run_paddle(code, "2.6").strip().splitlines()[-1])
    ours = paddle.get_flags(sorted(ref))
    for name, value in ref.items():
        if isinstance(value, float):
            assert ours[name] == pytest.approx(value, rel=1e-6), name
        else:
            assert ours[name] == value, name


def test_set_get_and_types():
    paddle.set_flags({"FLAGS_check_nan_inf": 1, "FLAGS_paddle_num_threads": 4})
    assert paddle.get_flags(["FLAGS_check_nan_inf", "FLAGS_paddle_num_threads"]) == {
        "FLAGS_check_nan_inf": True,
        "FLAGS_paddle_num_threads": 4,
    }
    with pytest.raises(TypeError, match="list, tuple or string"):
        paddle.get_flags(3)
    with pytest.raises(TypeError, match="dict"):
        paddle.set_flags(["FLAGS_check_nan_inf"])
    with pytest.raises(ValueError, match="FLAGS_never_heard_of cannot get its value"):
        paddle.get_flags("FLAGS_never_heard_of")


def test_unknown_flag_is_kept_with_a_warning():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        paddle.set_flags({"FLAGS_some_future_flag": 3})
    assert any("FLAGS_some_future_flag" in str(x.message) for x in w)
    assert paddle.get_flags("FLAGS_some_future_flag") == {"FLAGS_some_future_flag": 3}


def test_environment_variable_sets_the_default(tmp_path):
    code = "import paddlefish as p; print(p.get_flags(['FLAGS_enable_pir_api', 'FLAGS_paddle_num_threads']))"
    env = {"FLAGS_enable_pir_api": "1", "FLAGS_paddle_num_threads": "3", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=str(tmp_path))
    assert r.stdout.strip() == "{'FLAGS_enable_pir_api': True, 'FLAGS_paddle_num_threads': 3}", r.stderr


def test_cudnn_deterministic_reaches_torch():
    paddle.set_flags({"FLAGS_cudnn_deterministic": True})
    assert torch.backends.cudnn.deterministic is True
    paddle.set_flags({"FLAGS_cudnn_deterministic": False})
    assert torch.backends.cudnn.deterministic is False


def test_watch_sees_changes():
    seen = []
    flags.watch("FLAGS_enable_pir_api", seen.append)
    paddle.set_flags({"FLAGS_enable_pir_api": "true"})
    paddle.set_flags({"FLAGS_enable_pir_api": False})
    assert seen[-2:] == [True, False]
    flags._watchers["FLAGS_enable_pir_api"].remove(seen.append)

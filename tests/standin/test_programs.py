"""Unmodified ``import paddle`` programs run on paddlefish through the stand-in and agree with
real Paddle 2.6 and 3.3 running the very same files; their checkpoints and exports cross over."""

from __future__ import annotations

import json

import numpy as np
import pytest

from paddlefish import standin
from tests.oracle import run_paddle

from ._run import paddle_runs_program, program, run_fish

pytestmark = pytest.mark.oracle


def _last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The training program run once by each framework, each in its own directory."""
    out = {}
    for who in ("fish", "p26", "p33"):
        d = tmp_path_factory.mktemp(who)
        if who == "fish":
            stdout = run_fish([program("train_ckpt.py"), str(d)], cwd=d).stdout
        else:
            ver = "2.6" if who == "p26" else "3.3"
            stdout = run_paddle(paddle_runs_program("train_ckpt.py", [str(d)]), ver, cwd=d)
        out[who] = (d, _last_json(stdout))
    return out


def test_training_with_checkpoints_matches_real_paddle(runs):
    fish = runs["fish"][1]
    for who in ("p26", "p33"):
        ref = runs[who][1]
        np.testing.assert_allclose(fish["losses"], ref["losses"], rtol=1e-5, err_msg=who)
        np.testing.assert_allclose(fish["pred"], ref["pred"], rtol=1e-5, atol=1e-6, err_msg=who)
    assert sorted(p.name for p in runs["fish"][0].iterdir()) == sorted(
        p.name for p in runs["p26"][0].iterdir()
    )


def test_resume_crosses_frameworks(runs, tmp_path):
    """paddlefish resumes from real Paddle 2.6's epoch-1 files and Paddle 2.6 from ours: the
    remaining epochs' losses are those of the uninterrupted run."""
    fish_dir, fish = runs["fish"]
    p26_dir, p26 = runs["p26"]
    a = tmp_path / "fish_from_p26"
    a.mkdir()
    resumed = _last_json(run_fish([program("train_ckpt.py"), str(a), str(p26_dir)], cwd=a).stdout)
    np.testing.assert_allclose(resumed["losses"], p26["losses"][2:], rtol=1e-5)
    b = tmp_path / "p26_from_fish"
    b.mkdir()
    out = run_paddle(paddle_runs_program("train_ckpt.py", [str(b), str(fish_dir)]), "2.6", cwd=b)
    np.testing.assert_allclose(_last_json(out)["losses"], fish["losses"][2:], rtol=1e-5)


def test_real_paddle_runs_the_stand_in_export(runs):
    fish_dir, fish = runs["fish"]
    code = f"""
import json, numpy as np, paddle
rng = np.random.RandomState(0)
for shape in ([4, 8], [8], [8, 3], [3]):
    rng.uniform(-0.5, 0.5, shape)
x = paddle.to_tensor(rng.randn(32, 4).astype("float32"))
m = paddle.jit.load({str(fish_dir / "inference" / "net")!r})
m.eval()
print(json.dumps(m(x).numpy()[:4].tolist()))
"""
    for ver in ("2.6", "3.3"):
        pred = json.loads(run_paddle(code, ver, legacy=True).strip().splitlines()[-1])
        np.testing.assert_allclose(pred, fish["pred"], rtol=1e-5, atol=1e-6, err_msg=ver)


def test_base_style_program_matches_paddle_26(tmp_path):
    ours = _last_json(run_fish([program("base_style.py")], cwd=tmp_path).stdout)
    ref = _last_json(run_paddle(paddle_runs_program("base_style.py", []), "2.6", cwd=tmp_path))
    assert ours == ref


def test_pythonpath_switch_runs_plain_python(runs, tmp_path):
    """``PYTHONPATH=$(python -m paddlefish standin-path) python train.py``: the same run."""
    r = run_fish([program("train_ckpt.py"), str(tmp_path)], cwd=tmp_path,
                 pythonpath=standin.STANDIN_PATH, via_run=False)
    assert _last_json(r.stdout) == runs["fish"][1]

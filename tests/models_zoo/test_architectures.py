"""What users deploy: architectures from Paddle's model libraries (architectures.py), exported
by real Paddle 2.6 (legacy ``.pdmodel``) and real Paddle 3.3 (PIR ``.json``, its default), then
loaded by paddlefish ``jit.load`` and run on the same fixed inputs (two batch/spatial sizes each,
so run-time shapes — meshgrid/arange anchors, interpolation sized from another map, SAME
padding, position ids from the sequence length — are exercised). One Paddle subprocess per
version exports everything (_export.py).

The same architecture code also runs eagerly under paddlefish's stand-in
(``python -m paddlefish run _export.py``) and must match real Paddle's eager outputs.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle
HERE = pathlib.Path(__file__).resolve().parent
EXPORT = HERE / "_export.py"
NAMES = ["ocr_det", "ocr_rec", "clas_lcnet", "det_head", "seg_unet", "ernie"]
RTOL, ATOL = 1e-4, 1e-5


def _export_with_paddle(root: pathlib.Path, version: str) -> dict:
    out = run_paddle(
        f"import runpy, sys; sys.argv = ['_export.py', {str(root)!r}]; "
        f"runpy.run_path({str(EXPORT)!r}, run_name='__main__')",
        version,
        timeout=900,
    )
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    res = {}
    for version in ("2.6", "3.3"):
        root = tmp_path_factory.mktemp(f"models_{version.replace('.', '')}")
        res[version] = (root, _export_with_paddle(root, version))
    return res


def _cases(ref):
    i = 0
    while f"in_{i}_0" in ref:
        xs = [ref[f"in_{i}_{j}"] for j in range(8) if f"in_{i}_{j}" in ref]
        outs = [ref[f"out_{i}_{j}"] for j in range(8) if f"out_{i}_{j}" in ref]
        yield i, xs, outs
        i += 1


def _compare(got, want, where):
    assert len(got) == len(want), f"{where}: {len(got)} outputs, Paddle gave {len(want)}"
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape and g.dtype == w.dtype, (
            f"{where} output {k}: {g.dtype}{list(g.shape)} vs Paddle {w.dtype}{list(w.shape)}"
        )
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"{where} output {k}")


@pytest.mark.parametrize("version", ["2.6", "3.3"])
@pytest.mark.parametrize("name", NAMES)
def test_paddle_export_loads_and_agrees(exports, version, name):
    root, report = exports[version]
    assert "error" not in report[name], report[name]["error"]
    d = root / name
    suffix = ".pdmodel" if version == "2.6" else ".json"
    assert (d / f"model{suffix}").exists(), sorted(p.name for p in d.iterdir())
    ref = np.load(d / "ref.npz")
    layer = paddle.jit.load(str(d / "model"))
    layer.eval()
    n = 0
    for i, xs, want in _cases(ref):
        r = layer(*[paddle.to_tensor(x) for x in xs])
        got = [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]
        _compare(got, want, f"{name} (Paddle {version} export) case {i}")
        n += 1
    assert n == 2


def test_paddlefish_runs_the_same_code_eagerly(exports, tmp_path):
    """Under the stand-in, the unchanged architecture code gives Paddle's eager outputs."""
    r = subprocess.run(
        [sys.executable, "-m", "paddlefish", "run", str(EXPORT), str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=str(tmp_path),
        env={**os.environ, "PADDLEFISH_QUIET": "1", "OMP_NUM_THREADS": "1"},
    )
    assert r.returncode == 0, r.stderr[-4000:]
    root26 = exports["2.6"][0]
    for name in NAMES:
        mine, theirs = np.load(tmp_path / name / "ref.npz"), np.load(root26 / name / "ref.npz")
        for (i, _, got), (_, _, want) in zip(_cases(mine), _cases(theirs)):
            _compare(got, want, f"{name} eager under paddlefish case {i}")

"""examples/fit_resume.py runs: Model.fit killed mid-epoch and resumed gives the uninterrupted
run's losses, and the exported inference model predicts with the trained accuracy."""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_fit_resume_example(tmp_path):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "fit_resume.py"),
                        "--workdir", str(tmp_path)],
                       capture_output=True, text=True, timeout=900, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "losses after the resume vs the uninterrupted run: identical" in r.stdout
    assert "Resuming from checkpoint step 30" in r.stdout and "done" in r.stdout
    assert sorted(os.listdir(tmp_path / "crashed" / "inference")) == [
        "digits.pdiparams", "digits.pdiparams.info", "digits.pdmodel"]
    ckpt = sorted(os.listdir(tmp_path / "crashed" / "ckpt"))
    assert {"0.pdparams", "3.pdopt", "final.pdparams", "best_model.pdparams"} <= set(ckpt)

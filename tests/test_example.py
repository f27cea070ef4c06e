"""The README's main-job command: the demo of both jobs runs and proves exact resume."""

from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_train_checkpoint_demo(tmp_path):
    r = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "train_checkpoint.py"),
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert r.stdout.count("identical") == 2 and "DIFFERENT" not in r.stdout
    assert "done" in r.stdout
    assert sorted(os.listdir(tmp_path / "inference")) == [
        "digits.pdiparams", "digits.pdiparams.info", "digits.pdmodel"]
    assert (tmp_path / "checkpoints" / "epoch_10.pdopt").exists()

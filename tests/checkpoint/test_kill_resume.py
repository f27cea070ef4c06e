"""Exact resume of a hand-written loop (shuffled DataLoader with numpy-random augmentation,
Dropout, Adam, a StepDecay schedule): killed with SIGKILL mid-epoch or preempted with SIGTERM,
restarted with the same command, it continues with the identical batches and bit-identical
losses of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "_train_script.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _cmd(ck, log, mode, stop_at, *extra):
    return [sys.executable, SCRIPT, str(ck), str(log), mode, str(stop_at), *extra]


def _run(args, expect_rc=0):
    p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == expect_rc, p.stderr[-3000:]
    return p.stdout


def _lines(log):
    by_step: dict[int, set[str]] = {}
    for line in Path(log).read_text().splitlines():
        by_step.setdefault(int(line.split(" ", 1)[0]), set()).add(line)
    return by_step


pytestmark = pytest.mark.slow  # each subprocess imports torch (seconds on a busy machine)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run, in this process (saves a torch import); the script's code is the
    same one the subprocesses run."""
    import runpy

    d = tmp_path_factory.mktemp("ref")
    argv = sys.argv
    sys.argv = _cmd(d / "ck", d / "log", "plain", 0)[1:]
    try:
        runpy.run_path(SCRIPT, run_name="__main__")
    finally:
        sys.argv = argv
    ref = _lines(d / "log")
    assert sorted(ref) == list(range(1, 25)) and all(len(v) == 1 for v in ref.values())
    return {s: next(iter(v)) for s, v in ref.items()}


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_sigkill_mid_epoch_then_resume_is_identical(tmp_path, reference, mode):
    ck, log = tmp_path / "ck", tmp_path / "log"
    args = _cmd(ck, log, "kill", 13, mode)  # step 13: epoch 1, batch 5 of 8; a save at step 12
    _run(args, expect_rc=-signal.SIGKILL)
    assert max(_lines(log)) == 13
    out = _run(args)  # the same command again
    assert "done" in out
    got = _lines(log)
    assert sorted(got) == sorted(reference)
    for step, lines in got.items():  # steps 13 (run twice) and everything else: identical
        assert lines == {reference[step]}, step


def test_sigterm_preemption_saves_and_exits_cleanly(tmp_path, reference):
    ck, log = tmp_path / "ck", tmp_path / "log"
    args = _cmd(ck, log, "slow", 0)
    p = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if os.path.exists(log) and len(Path(log).read_text().splitlines()) >= 5:
                break
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err[-3000:]
    stopped = int(out.split("preempted at step ")[1].split()[0])
    assert 5 <= stopped < 24 and max(_lines(log)) == stopped
    from paddlefish.checkpoint import CheckpointManager

    assert CheckpointManager(ck).latest_step() == stopped  # the step it finished was saved
    _run(_cmd(ck, log, "plain", 0))
    got = _lines(log)
    assert {s: v for s, v in got.items()} == {s: {v} for s, v in reference.items()}

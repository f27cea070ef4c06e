"""``Model.fit(checkpoint=..., resume=True)``: a run killed mid-epoch (SIGKILL) or preempted
(SIGTERM) and started again with the same command trains exactly the batches and losses of an
uninterrupted run (shuffled data, dropout, gradient accumulation, a float LR changed by
ReduceLROnPlateau, running metric averages)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.standin._run import env

from ._run import program

PROG = program("resume_program.py")


def _run(out, kill_at: int, sig: str, interval: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, PROG, str(out), str(kill_at), sig, str(interval)],
                          capture_output=True, text=True, env=env(), timeout=300)  # fmt: skip


def _steps(out) -> list[dict]:
    return [json.loads(line) for line in (out / "steps.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    r = _run(out, -1, "kill", 1)
    assert r.returncode == 0, r.stderr
    steps = _steps(out)
    assert [s["g"] for s in steps] == list(range(1, 25))  # 4 epochs x 6 batches
    assert len({s["lr"] for s in steps}) > 1  # ReduceLROnPlateau changed the float LR
    return steps, json.loads(r.stdout.strip().splitlines()[-1])


def _check_same(out, reference, rerun_from: int):
    ref_steps, ref_final = reference
    steps = _steps(out)
    g = [s["g"] for s in steps]
    assert g.count(rerun_from) == 2 and g[-1] == 24, g  # steps after the checkpoint ran twice
    latest = {s["g"]: s for s in steps}
    assert [latest[s["g"]] for s in ref_steps] == ref_steps  # bit-identical losses/acc/lr
    assert all(s == latest[s["g"]] for s in steps)  # the repeated steps repeated exactly


@pytest.mark.parametrize("interval", [1, 5])
def test_sigkill_mid_epoch_then_rerun_matches_uninterrupted(reference, tmp_path, interval):
    kill_at = 15  # epoch 3, batch 3: an accumulation step (no update, no save)
    r = _run(tmp_path, kill_at, "kill", interval)
    assert r.returncode == -9
    r = _run(tmp_path, kill_at, "kill", interval)
    assert r.returncode == 0, r.stderr
    assert "Resuming from checkpoint step" in r.stdout
    # the newest save before the kill: every update (interval 1) or step 10 / epoch end 12
    _check_same(tmp_path, reference, 15 if interval == 1 else 13)
    assert json.loads(r.stdout.strip().splitlines()[-1]) == reference[1]


def test_sigterm_finishes_the_step_saves_and_exits_cleanly(reference, tmp_path):
    r = _run(tmp_path, 9, "term", 5)
    assert r.returncode == 0, r.stderr
    assert "Training preempted: saved checkpoint step 10" in r.stdout  # 9 is mid-accumulation
    assert sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == ["step_10", "step_6"]
    r = _run(tmp_path, 9, "term", 5)
    assert r.returncode == 0, r.stderr
    steps = _steps(tmp_path)
    assert [s["g"] for s in steps] == list(range(1, 25))  # nothing trained twice
    assert steps == reference[0]

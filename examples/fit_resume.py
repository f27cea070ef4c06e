"""The high-level API's version of the user's story: ``paddle.Model.fit`` that survives a crash.

1. Train a small CNN on the bundled handwritten digits (no downloads) with ``Model.fit``:
   Paddle's progress lines, ``ModelCheckpoint`` (``save_dir/{epoch}`` and ``save_dir/final``),
   ``EarlyStopping`` (``save_dir/best_model``) and a ``CheckpointManager`` that keeps the full
   training state every 5 steps and at each epoch end.
2. Run it again in a fresh process that kills itself (SIGKILL) in the middle of epoch 2, then run
   the very same command once more: ``fit(resume=True)`` continues from the newest checkpoint.
   Every training step's loss equals the uninterrupted run's, bit for bit — shuffled data and all.
3. ``Model.save(path, training=False)`` exports the inference model; ``paddle.jit.load`` loads it
   in this process and predicts the held-out digits with the trained model's accuracy.

Run:  python examples/fit_resume.py  [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

import numpy as np

import paddlefish as paddle
from paddlefish import nn
from paddlefish.checkpoint import CheckpointManager
from paddlefish.hapi import Model
from paddlefish.hapi.callbacks import Callback, EarlyStopping
from paddlefish.static import InputSpec
from paddlefish.vision.datasets import Digits

EPOCHS, BATCH, KILL_AT = 4, 64, 35  # 24 steps per epoch: step 35 is in the middle of epoch 2


class DigitsCNN(nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(1, 8, 3, padding=1)
        self.pool = nn.MaxPool2D(2)
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        h = self.pool(nn.functional.relu(self.conv(x)))
        return self.fc(self.drop(paddle.flatten(h, 1)))


class StepLog(Callback):
    """Appends each training step's loss to steps.jsonl; kills the process at ``kill_at``."""

    def __init__(self, path: str, kill_at: int | None):
        super().__init__()
        self.path, self.kill_at, self.step = path, kill_at, 0

    def on_train_begin(self, logs=None):
        self.step = self.model._global_step  # continues after a resume

    def on_train_batch_end(self, step, logs=None):
        self.step += 1
        with open(self.path, "a") as f:
            f.write(json.dumps({"step": self.step, "loss": float(logs["loss"][0])}) + "\n")
        if self.step == self.kill_at:
            print(f"  ... killing this process (SIGKILL) at step {self.step}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)


def train(workdir: str, kill_at: int | None) -> None:
    """One process's training run; started twice with the same arguments it resumes."""
    paddle.seed(2024)
    net = DigitsCNN()
    model = Model(net, InputSpec([None, 1, 8, 8], "float32", "image"),
                  InputSpec([None, 1], "int64", "label"))  # fmt: skip
    sched = paddle.optimizer.lr.StepDecay(0.01, step_size=30, gamma=0.5)
    model.prepare(paddle.optimizer.Adam(learning_rate=sched, parameters=net.parameters()),
                  nn.CrossEntropyLoss(), paddle.metric.Accuracy())  # fmt: skip
    manager = CheckpointManager(os.path.join(workdir, "state"), max_to_keep=3,
                                save_interval_steps=5)  # fmt: skip
    manager.install_preemption_handler()  # SIGTERM: finish the step, save, exit cleanly
    killed_before = os.path.exists(os.path.join(workdir, "steps.jsonl"))
    model.fit(Digits(mode="train"), Digits(mode="test"), batch_size=BATCH, epochs=EPOCHS,
              log_freq=12, save_dir=os.path.join(workdir, "ckpt"), shuffle=True,
              callbacks=[StepLog(os.path.join(workdir, "steps.jsonl"),
                                 None if killed_before else kill_at),
                         EarlyStopping(monitor="acc", patience=3)],
              checkpoint=manager, resume=True)  # fmt: skip
    manager.close()
    result = model.evaluate(Digits(mode="test"), batch_size=BATCH, verbose=0)
    model.save(os.path.join(workdir, "inference", "digits"), training=False)
    with open(os.path.join(workdir, "result.json"), "w") as f:
        json.dump({"acc": float(result["acc"])}, f)


def run_child(workdir: str, kill_at: int | None) -> int:
    cmd = [sys.executable, os.path.abspath(__file__), "--workdir", workdir, "--child"]
    if kill_at:
        cmd += ["--kill-at", str(kill_at)]
    print(f"$ {' '.join(os.path.relpath(c) if c.endswith('.py') else c for c in cmd[1:])}",
          flush=True)
    return subprocess.run(cmd).returncode


def steps(workdir: str) -> dict[int, float]:
    out: dict[int, float] = {}
    with open(os.path.join(workdir, "steps.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            out[r["step"]] = r["loss"]  # a step trained twice (after a resume): the last one
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kill-at", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        train(args.workdir, args.kill_at)
        return
    root = args.workdir or tempfile.mkdtemp(prefix="paddlefish_fit_resume_")
    full, crashed = os.path.join(root, "uninterrupted"), os.path.join(root, "crashed")
    os.makedirs(full, exist_ok=True)
    os.makedirs(crashed, exist_ok=True)
    print("== 1. uninterrupted Model.fit", flush=True)
    assert run_child(full, None) == 0
    print(f"== 2. the same training, killed at step {KILL_AT} and started again", flush=True)
    rc = run_child(crashed, KILL_AT)
    print(f"  the process died with status {rc} (SIGKILL); same command again:", flush=True)
    assert rc == -signal.SIGKILL, rc
    assert run_child(crashed, KILL_AT) == 0
    a, b = steps(full), steps(crashed)
    same = a == b
    print(f"  {len(b)} training steps; losses after the resume vs the uninterrupted run: "
          f"{'identical' if same else 'DIFFERENT'}")  # fmt: skip
    assert same, [(k, a[k], b.get(k)) for k in a if a[k] != b.get(k)][:5]
    print("== 3. the inference model saved by Model.save(training=False)")
    loaded = paddle.jit.load(os.path.join(crashed, "inference", "digits"))
    test = Digits(mode="test")
    x = np.stack([test[i][0] for i in range(len(test))])
    y = np.array([int(test[i][1][0]) for i in range(len(test))])
    pred = loaded(paddle.to_tensor(x)).numpy().argmax(-1)
    acc = float((pred == y).mean())
    with open(os.path.join(crashed, "result.json")) as f:
        model_acc = json.load(f)["acc"]
    print(f"  jit.load accuracy on {len(y)} held-out digits: {acc:.4f} "
          f"(Model.evaluate: {model_acc:.4f})")  # fmt: skip
    assert abs(acc - model_acc) < 1e-9
    print(f"done; files under {root}")


if __name__ == "__main__":
    main()

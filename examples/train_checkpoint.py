"""The user's story, end to end: train with per-epoch checkpoints, crash, resume exactly, export.

1. Train a small CNN on the handwritten digits that scikit-learn ships (no downloads) for 10
   epochs, saving ``checkpoints/epoch_N.pdparams`` and ``.pdopt`` after every epoch.
2. "Crash": a fresh process builds the model and optimizer again, loads ``epoch_8`` and trains
   epochs 9-10. Its losses must equal the uninterrupted run's, bit for bit.
3. Export with ``paddle.jit.save`` (``InputSpec`` with a ``None`` batch dimension), load it back
   with ``paddle.jit.load``, predict on held-out data (same accuracy as the dynamic model), and
   fine-tune the loaded model for one epoch.

Run:  python examples/train_checkpoint.py  [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import numpy as np

import paddlefish as paddle
from paddlefish import nn
from paddlefish.io import DataLoader
from paddlefish.static import InputSpec
from paddlefish.vision.datasets import Digits

EPOCHS, RESUME_FROM, BATCH = 10, 8, 64


class DigitsCNN(nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2D(8)
        self.pool = nn.MaxPool2D(2)
        self.fc1 = nn.Linear(8 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        h = self.pool(nn.functional.relu(self.bn(self.conv(x))))
        h = paddle.flatten(h, 1)
        return self.fc2(nn.functional.relu(self.fc1(h)))


def build():
    paddle.seed(2024)
    model = DigitsCNN()
    sched = paddle.optimizer.lr.StepDecay(0.01, step_size=3, gamma=0.5)
    opt = paddle.optimizer.Adam(learning_rate=sched, parameters=model.parameters())
    return model, opt, sched


def run_epoch(model, opt, loader, epoch):
    paddle.seed(1000 + epoch)  # the shuffle order of epoch N is the same in every process
    model.train()
    losses = []
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        opt.clear_grad()
        losses.append(float(loss))
    return float(np.mean(losses))


def train(workdir: str, start: int) -> dict:
    model, opt, sched = build()
    ck = os.path.join(workdir, "checkpoints")
    if start > 0:
        model.set_state_dict(paddle.load(os.path.join(ck, f"epoch_{start}.pdparams")))
        opt.set_state_dict(paddle.load(os.path.join(ck, f"epoch_{start}.pdopt")))
        print(f"  resumed from {ck}/epoch_{start}.* (lr now {opt.get_lr():.5f})")
    loader = DataLoader(Digits(mode="train"), batch_size=BATCH, shuffle=True)
    losses = {}
    for epoch in range(start + 1, EPOCHS + 1):
        losses[epoch] = run_epoch(model, opt, loader, epoch)
        sched.step()
        paddle.save(model.state_dict(), os.path.join(ck, f"epoch_{epoch}.pdparams"))
        paddle.save(opt.state_dict(), os.path.join(ck, f"epoch_{epoch}.pdopt"))
        print(f"  epoch {epoch:2d}  loss {losses[epoch]:.6f}  saved epoch_{epoch}.pdparams/.pdopt")
    return {"losses": losses, "model": model}


def accuracy(model, data) -> float:
    model.eval()
    x = paddle.to_tensor(np.stack([d[0] for d in data]))
    y = np.array([int(d[1][0]) for d in data])
    with paddle.no_grad():
        pred = model(x).numpy().argmax(-1)
    return float((pred == y).mean())


def export_and_finetune(workdir: str, model) -> None:
    test = Digits(mode="test")
    prefix = os.path.join(workdir, "inference", "digits")
    paddle.jit.save(model, prefix, input_spec=[InputSpec([None, 1, 8, 8], "float32", "image")])
    print(f"  exported {prefix}.pdmodel / .pdiparams / .pdiparams.info")
    loaded = paddle.jit.load(prefix)
    acc_dyn, acc_loaded = accuracy(model, test), accuracy(loaded, test)
    print(f"  held-out accuracy: dynamic model {acc_dyn:.4f}, loaded model {acc_loaded:.4f}")
    assert acc_dyn == acc_loaded, "the exported model disagrees with the dynamic one"
    opt = paddle.optimizer.Adam(learning_rate=1e-3, parameters=loaded.parameters())
    loss = run_epoch(loaded, opt, DataLoader(Digits(mode="train"), batch_size=BATCH,
                                             shuffle=True), 99)
    print(f"  fine-tuned the loaded model for one epoch: loss {loss:.6f}, held-out accuracy "
          f"{accuracy(loaded, test):.4f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", default=".")
    ap.add_argument("--resume-from", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--report", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.resume_from:  # the child process after the "crash"
        out = train(args.workdir, args.resume_from)
        with open(args.report, "w") as f:
            json.dump(out["losses"], f)
        return 0
    print(f"[1/3] training {EPOCHS} epochs with a checkpoint every epoch")
    full = train(args.workdir, 0)
    print(f"[2/3] simulated crash: a fresh process resumes from epoch {RESUME_FROM}")
    report = os.path.join(args.workdir, "checkpoints", "resume_losses.json")
    subprocess.run([sys.executable, __file__, "--workdir", args.workdir, "--resume-from",
                    str(RESUME_FROM), "--report", report], check=True)
    resumed = {int(k): v for k, v in json.load(open(report)).items()}
    for epoch, loss in resumed.items():
        same = "identical" if loss == full["losses"][epoch] else "DIFFERENT"
        print(f"  epoch {epoch:2d}  original {full['losses'][epoch]:.6f}  resumed {loss:.6f}  "
              f"{same}")
    if any(resumed[e] != full["losses"][e] for e in resumed):
        print("resume did not continue the original run exactly", file=sys.stderr)
        return 1
    print("[3/3] inference export, reload, predict, fine-tune")
    export_and_finetune(args.workdir, full["model"])
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Model.fit with a checkpoint manager, killed by itself (SIGKILL or SIGTERM) at a chosen
training step when asked, and resumable by running the same command again.

argv: OUT_DIR KILL_AT(-1 = never) SIGNAL(kill|term) SAVE_INTERVAL_STEPS
Each trained step appends {"g": global step, "loss": ..., "acc": ..., "lr": ...} to
OUT_DIR/steps.jsonl; a run that finishes prints a JSON line with the final parameters.
"""

import json
import os
import signal
import sys

import numpy as np

import paddlefish as paddle
import paddlefish.nn as nn
from paddlefish.checkpoint import CheckpointManager
from paddlefish.hapi import Model
from paddlefish.hapi.callbacks import Callback, EarlyStopping, ReduceLROnPlateau
from paddlefish.io import Dataset

out, kill_at, sig, interval = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])


class Points(Dataset):
    def __init__(self, n, seed):
        rng = np.random.RandomState(seed)
        self.x = rng.randn(n, 4).astype("float32")
        self.y = (np.abs(self.x[:, :1]) * 2).clip(0, 2).astype("int64")

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.x)


class Log(Callback):
    def __init__(self):
        super().__init__()
        self.g = 0

    def on_train_begin(self, logs=None):
        self.g = self.model._global_step

    def on_train_batch_end(self, step, logs=None):
        self.g += 1
        with open(os.path.join(out, "steps.jsonl"), "a") as f:
            f.write(json.dumps({"g": self.g, "loss": float(logs["loss"][0]),
                                "acc": float(logs["acc"]),
                                "lr": float(self.model._optimizer.get_lr())}) + "\n")
            f.flush()
            os.fsync(f.fileno())
        if self.g == kill_at and not os.path.exists(os.path.join(out, "killed")):
            open(os.path.join(out, "killed"), "w").close()
            os.kill(os.getpid(), signal.SIGKILL if sig == "kill" else signal.SIGTERM)


paddle.seed(1)
net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
model = Model(net)
opt = paddle.optimizer.Momentum(learning_rate=0.1, momentum=0.9, parameters=net.parameters())
model.prepare(opt, nn.CrossEntropyLoss(), paddle.metric.Accuracy())
mgr = CheckpointManager(os.path.join(out, "ckpt"), max_to_keep=3,
                        save_interval_steps=interval)
mgr.install_preemption_handler()
model.fit(Points(44, 1), Points(12, 2), batch_size=8, epochs=4, verbose=0, shuffle=True,
          accumulate_grad_batches=2,
          callbacks=[Log(), ReduceLROnPlateau(patience=1, factor=0.5, min_delta=0.5, verbose=0),
                     EarlyStopping(patience=10, verbose=0, save_best_model=False)],
          checkpoint=mgr, resume=True)
mgr.close()
print(json.dumps({"params": [p.numpy().ravel().tolist() for p in net.parameters()]}))

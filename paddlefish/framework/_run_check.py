"""``paddle.utils.run_check()``: check that paddlefish works on this machine.

It trains a tiny linear model for a few steps (forward, backward, optimizer update) and round-trips
its state through ``paddle.save`` / ``paddle.load`` in a temporary directory, then prints Paddle's
closing sentence. Anything broken raises with the failing step named.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from .. import nn, optimizer
from ..eager.device import cuda_device_count, get_device
from ..tensor.creation import to_tensor
from .io import load, save

__all__ = ["run_check"]


def _train_and_roundtrip(workdir: str) -> None:
    rng = np.random.default_rng(0)
    x = to_tensor(rng.standard_normal((16, 4)).astype("float32"))
    y = to_tensor(rng.standard_normal((16, 1)).astype("float32"))
    net = nn.Linear(4, 1)
    opt = optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    losses = []
    for _ in range(5):
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        opt.clear_grad()
        losses.append(float(loss.item()))
    if not losses[-1] < losses[0]:
        raise RuntimeError(f"run_check: training did not reduce the loss: {losses}")
    path = os.path.join(workdir, "run_check.pdparams")
    save(net.state_dict(), path)
    back = load(path)
    for k, v in net.state_dict().items():
        if not np.array_equal(back[k].numpy(), v.numpy()):
            raise RuntimeError(f"run_check: {k} changed in a paddle.save/paddle.load round trip")


def run_check() -> None:
    """Print whether paddlefish can train and save on this machine (Paddle's install check).

    >>> run_check()  # doctest: +ELLIPSIS
    Running verify PaddlePaddle program ...
    PaddlePaddle works well on 1 CPU.
    PaddlePaddle is installed successfully! Let's start deep learning with PaddlePaddle now.
    """
    print("Running verify PaddlePaddle program ... ")
    with tempfile.TemporaryDirectory(prefix="paddlefish-run-check-") as d:
        _train_and_roundtrip(d)
    where = "1 CPU" if get_device() == "cpu" else f"{cuda_device_count()} GPU"
    print(f"PaddlePaddle works well on {where}.")
    print("PaddlePaddle is installed successfully! Let's start deep learning with PaddlePaddle now.")

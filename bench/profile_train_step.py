"""cProfile of one paddlefish training step (the breakdown quoted in BENCHMARKS.md).

    python bench/profile_train_step.py [--model lenet|mlp] [--threads 2] [--steps 100]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

import torch

import paddlefish as paddle


def build(kind: str):
    nn = paddle.nn
    if kind == "mlp":
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                            nn.Linear(512, 10))
        return net, paddle.randn([64, 784])
    net = nn.Sequential(nn.Conv2D(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2D(2, 2),
                        nn.Conv2D(6, 16, 5), nn.ReLU(), nn.MaxPool2D(2, 2), nn.Flatten(),
                        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                        nn.Linear(84, 10))
    return net, paddle.randn([64, 1, 28, 28])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["lenet", "mlp"], default="lenet")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    net, x = build(a.model)
    y = paddle.randint(0, 10, [64])
    opt = paddle.optimizer.Adam(1e-3, parameters=net.parameters())
    lossf = paddle.nn.CrossEntropyLoss()

    def step():
        loss = lossf(net(x), y)
        loss.backward()
        opt.step()
        opt.clear_grad()

    for _ in range(20):
        step()
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(a.steps):
        step()
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()

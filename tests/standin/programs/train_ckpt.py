"""An unmodified Paddle 2.x program: train with per-epoch checkpoints, resume, export, reload.

Runs on real Paddle (2.6, 3.3) and on paddlefish through the stand-in; weights are set from numpy
so that every framework computes the same numbers. argv: OUT_DIR [RESUME_FROM_DIR]
"""

import json
import os
import sys

import numpy as np
import paddle
import paddle.nn as nn
import paddle.nn.functional as F
from paddle.static import InputSpec


class Net(nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


out = sys.argv[1]
resume = sys.argv[2] if len(sys.argv) > 2 else None
net = Net()
rng = np.random.RandomState(0)
for p in net.parameters():
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=net.parameters())
x = paddle.to_tensor(rng.randn(32, 4).astype("float32"))
y = paddle.to_tensor(rng.randint(0, 3, (32, 1)).astype("int64"))
start = 0
if resume:
    net.set_state_dict(paddle.load(os.path.join(resume, "epoch_1.pdparams")))
    opt.set_state_dict(paddle.load(os.path.join(resume, "epoch_1.pdopt")))
    start = 2
losses = []
for epoch in range(start, 4):
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    opt.clear_grad()
    losses.append(float(loss))
    paddle.save(net.state_dict(), os.path.join(out, f"epoch_{epoch}.pdparams"))
    paddle.save(opt.state_dict(), os.path.join(out, f"epoch_{epoch}.pdopt"))
net.eval()
prefix = os.path.join(out, "inference", "net")
paddle.jit.save(net, prefix, input_spec=[InputSpec([None, 4], "float32", name="x")])
loaded = paddle.jit.load(prefix)
pred = loaded(x).numpy()
print(json.dumps({"losses": losses, "pred": pred[:4].tolist()}))

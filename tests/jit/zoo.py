"""The export test zoo: model sources that run unchanged under ``import paddlefish as paddle`` and
under real ``import paddle`` (the oracle), so both sides build the same network.

Each entry: ``build()`` -> (layer, input_specs, make_inputs(rng, batch) -> list of numpy arrays).
"""

COMMON = '''
import numpy as np
import paddle
import paddle.nn as nn
import paddle.nn.functional as F
from paddle.static import InputSpec
'''

MLP = COMMON + '''
class MLP(nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 10)
    def forward(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), axis=-1)

def build():
    return MLP(), [InputSpec([None, 16], "float32", "x")], \\
        lambda rng, n: [rng.standard_normal((n, 16)).astype("float32")]
'''

OPS = COMMON + '''
class Ops(nn.Layer):
    """Shape arithmetic with a dynamic batch: reshape/-1, flatten, transpose, concat, split,
    slicing, reductions, scalar math, unsqueeze/squeeze, matmul with transpose."""
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 12)
    def forward(self, x):
        h = paddle.reshape(x, [-1, 3, 4])
        h = paddle.transpose(h, [0, 2, 1])
        h = paddle.flatten(h, 1)
        a, b = paddle.split(self.fc(h), 2, axis=1)
        c = paddle.concat([a * 2.0 + 1.0, paddle.tanh(b) - 0.5], axis=-1)
        d = c[:, 2:9] / 3.0
        e = paddle.unsqueeze(d.mean(axis=1), 1)
        f = paddle.matmul(c, c, transpose_y=True).sum(axis=-1, keepdim=True)
        g = paddle.squeeze(paddle.unsqueeze(paddle.exp(-paddle.abs(e)), [0]), [0])
        return paddle.concat([d, e, f * 0.01, g, paddle.maximum(e, g)], axis=1)

def build():
    return Ops(), [InputSpec([None, 12], "float32", "x")], \\
        lambda rng, n: [rng.standard_normal((n, 12)).astype("float32")]
'''

ZOO = {"mlp": MLP, "ops": OPS}

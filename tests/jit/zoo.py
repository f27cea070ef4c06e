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


LENET = COMMON + '''
class LeNet(nn.Layer):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2D(1, 6, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2D(2, 2),
            nn.Conv2D(6, 16, 5, stride=1, padding=0), nn.ReLU(), nn.MaxPool2D(2, 2))
        self.fc = nn.Sequential(nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10))
    def forward(self, x):
        x = self.features(x)
        x = paddle.flatten(x, 1)
        return self.fc(x)

def build():
    return LeNet(), [InputSpec([None, 1, 28, 28], "float32", "image")], \\
        lambda rng, n: [rng.standard_normal((n, 1, 28, 28)).astype("float32")]
'''

RESNET = COMMON + '''
class Block(nn.Layer):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2D(cin, cout, 3, stride, 1, bias_attr=False)
        self.bn1 = nn.BatchNorm2D(cout)
        self.conv2 = nn.Conv2D(cout, cout, 3, 1, 1, bias_attr=False)
        self.bn2 = nn.BatchNorm2D(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2D(cin, cout, 1, stride, bias_attr=False),
                                      nn.BatchNorm2D(cout))
    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))

class ResNet(nn.Layer):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2D(3, 8, 3, 1, 1, bias_attr=False), nn.BatchNorm2D(8),
                                  nn.ReLU(), nn.MaxPool2D(3, 2, 1))
        self.layers = nn.Sequential(Block(8, 8, 1), Block(8, 16, 2), Block(16, 32, 2))
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.fc = nn.Linear(32, 5)
    def forward(self, x):
        return self.fc(paddle.flatten(self.pool(self.layers(self.stem(x))), 1))

def build():
    net = ResNet()
    # non-trivial running statistics so eval-mode batch norm is really exercised
    for name, t in net.state_dict().items():
        if name.endswith("_mean"):
            t.set_value(np.linspace(-0.2, 0.2, t.shape[0]).astype("float32"))
        if name.endswith("_variance"):
            t.set_value(np.linspace(0.5, 1.5, t.shape[0]).astype("float32"))
    return net, [InputSpec([None, 3, 32, 32], "float32", "x")], \\
        lambda rng, n: [rng.standard_normal((n, 3, 32, 32)).astype("float32")]
'''

MOBILENET = COMMON + '''
class SE(nn.Layer):
    def __init__(self, c):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.fc1 = nn.Conv2D(c, c // 4, 1)
        self.fc2 = nn.Conv2D(c // 4, c, 1)
    def forward(self, x):
        s = F.hardsigmoid(self.fc2(F.relu(self.fc1(self.pool(x)))))
        return x * s

class Inverted(nn.Layer):
    def __init__(self, cin, cexp, cout, stride):
        super().__init__()
        self.expand = nn.Sequential(nn.Conv2D(cin, cexp, 1, bias_attr=False),
                                    nn.BatchNorm2D(cexp), nn.Hardswish())
        self.dw = nn.Sequential(nn.Conv2D(cexp, cexp, 3, stride, 1, groups=cexp, bias_attr=False),
                                nn.BatchNorm2D(cexp), nn.Hardswish())
        self.se = SE(cexp)
        self.project = nn.Sequential(nn.Conv2D(cexp, cout, 1, bias_attr=False),
                                     nn.BatchNorm2D(cout))
        self.res = stride == 1 and cin == cout
    def forward(self, x):
        y = self.project(self.se(self.dw(self.expand(x))))
        return x + y if self.res else y

class MobileNet(nn.Layer):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2D(3, 8, 3, 2, 1), nn.BatchNorm2D(8), nn.ReLU6())
        self.blocks = nn.Sequential(Inverted(8, 16, 8, 1), Inverted(8, 24, 16, 2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2D(1), nn.Flatten(), nn.Dropout(0.2),
                                  nn.Linear(16, 4))
    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))

def build():
    return MobileNet(), [InputSpec([None, 3, 32, 32], "float32", "x")], \\
        lambda rng, n: [rng.standard_normal((n, 3, 32, 32)).astype("float32")]
'''

TRANSFORMER = COMMON + '''
class Encoder(nn.Layer):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        layer = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.1)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.out = nn.Linear(16, 3)
    def forward(self, ids, mask):
        h = self.enc(self.emb(ids), src_mask=mask)
        return self.out(h.mean(axis=1))

def build():
    def inputs(rng, n):
        ids = rng.integers(0, 50, (n, 7)).astype("int64")
        mask = np.zeros((n, 1, 1, 7), "float32")
        mask[:, :, :, 5:] = -1e9
        return [ids, mask]
    return Encoder(), [InputSpec([None, 7], "int64", "ids"),
                       InputSpec([None, 1, 1, 7], "float32", "mask")], inputs
'''

LSTM = COMMON + '''
class Tagger(nn.Layer):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 8, num_layers=2, direction="bidirect")
        self.fc = nn.Linear(16, 3)
    def forward(self, x, lengths):
        out, (h, c) = self.lstm(x, sequence_length=lengths)
        return self.fc(out), h

def build():
    def inputs(rng, n):
        return [rng.standard_normal((n, 5, 6)).astype("float32"),
                rng.integers(1, 6, (n,)).astype("int64")]
    return Tagger(), [InputSpec([None, 5, 6], "float32", "x"),
                      InputSpec([None], "int64", "lengths")], inputs
'''

GRU = COMMON + '''
class Enc(nn.Layer):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 8)
        self.fc = nn.Linear(8, 2)
    def forward(self, x, lengths):
        out, h = self.gru(x, sequence_length=lengths)
        return self.fc(h[-1])

def build():
    def inputs(rng, n):
        return [rng.standard_normal((n, 5, 6)).astype("float32"),
                rng.integers(1, 6, (n,)).astype("int64")]
    return Enc(), [InputSpec([None, 5, 6], "float32", "x"),
                   InputSpec([None], "int64", "lengths")], inputs
'''

TEXTCLS = COMMON + '''
class TextCls(nn.Layer):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 12, padding_idx=0)
        self.fc = nn.Linear(12, 4)
    def forward(self, ids):
        e = self.emb(ids)
        return F.log_softmax(self.fc(paddle.mean(e, axis=1)), axis=-1)

def build():
    return TextCls(), [InputSpec([None, 9], "int64", "ids")], \\
        lambda rng, n: [rng.integers(0, 100, (n, 9)).astype("int64")]
'''

TWO_IN_DICT = COMMON + '''
class TwoIn(nn.Layer):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 6)
        self.b = nn.Linear(3, 6)
        self.norm = nn.LayerNorm(6)
    def forward(self, x, y):
        h = self.norm(F.gelu(self.a(x)) + F.sigmoid(self.b(y)))
        return {"logits": h, "prob": F.softmax(h, axis=-1)}

def build():
    return TwoIn(), [InputSpec([None, 4], "float32", "x"), InputSpec([None, 3], "float32", "y")], \\
        lambda rng, n: [rng.standard_normal((n, 4)).astype("float32"),
                        rng.standard_normal((n, 3)).astype("float32")]
'''

DYNBATCH = COMMON + '''
class DynBatch(nn.Layer):
    """Paddle 2.x idioms that read the batch size inside forward."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(1, 2, 3)
        self.fc = nn.Linear(2 * 6 * 6, 3)
    def forward(self, x):
        h = self.conv(x)
        h = h.reshape([h.shape[0], -1])
        z = paddle.zeros([x.shape[0], 3]) + 0.5
        e = paddle.ones([1, 3]).expand([x.shape[0], 3])
        return self.fc(h) + z * e

def build():
    return DynBatch(), [InputSpec([None, 1, 8, 8], "float32", "x")], \\
        lambda rng, n: [rng.standard_normal((n, 1, 8, 8)).astype("float32")]
'''

ZOO = {"mlp": MLP, "ops": OPS, "lenet": LENET, "resnet": RESNET, "mobilenet": MOBILENET,
       "transformer": TRANSFORMER, "lstm": LSTM, "gru": GRU, "textcls": TEXTCLS,
       "two_in_dict": TWO_IN_DICT, "dynbatch": DYNBATCH}

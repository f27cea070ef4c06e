"""Small but faithful re-creations of what Paddle users deploy, as plain Paddle 2.x code.

Each model follows the structure (and the op idioms) of its model library — PaddleOCR's DB
detector and CRNN recognizer, PaddleClas's PP-LCNet, a PaddleDetection anchor head, a PaddleSeg
U-Net and an ERNIE encoder — with few channels and small inputs. The file runs unchanged under
real ``import paddle`` and under paddlefish's stand-in; ``MODELS`` maps a name to
``(build() -> layer, input_specs, cases)`` where ``cases`` is a list of input lists (numpy).
"""

import numpy as np
import paddle
import paddle.nn.functional as F
from paddle import nn
from paddle.static import InputSpec


class ConvBNAct(nn.Layer):
    def __init__(self, cin, cout, k, stride=1, padding=None, groups=1, act="relu"):
        super().__init__()
        pad = (k - 1) // 2 if padding is None else padding
        self.conv = nn.Conv2D(
            cin, cout, k, stride=stride, padding=pad, groups=groups, bias_attr=False
        )
        self.bn = nn.BatchNorm2D(cout)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        if self.act == "relu":
            x = F.relu(x)
        elif self.act == "hardswish":
            x = F.hardswish(x)
        return x


# ---------------------------------------------------------------- (a) PaddleOCR DB detector
class DBFPN(nn.Layer):
    """PaddleOCR ppocr/modeling/necks/db_fpn.py: 1x1 in-convs, top-down nearest upsampling,
    3x3 p-convs, everything upsampled to the 1/4 map and concatenated."""

    def __init__(self, in_channels, out_channels=16):
        super().__init__()
        self.ins = nn.LayerList(
            [nn.Conv2D(c, out_channels, 1, bias_attr=False) for c in in_channels]
        )
        self.ps = nn.LayerList(
            [
                nn.Conv2D(out_channels, out_channels // 4, 3, padding=1, bias_attr=False)
                for _ in in_channels
            ]
        )

    def forward(self, feats):
        c2, c3, c4 = feats
        in2, in3, in4 = self.ins[0](c2), self.ins[1](c3), self.ins[2](c4)
        # one level by scale factor (as PaddleOCR), one sized at run time from the skip map
        out3 = in3 + F.upsample(in4, scale_factor=2, mode="nearest", align_mode=1)
        out2 = in2 + F.interpolate(out3, size=paddle.shape(in2)[2:], mode="nearest")
        p4, p3, p2 = self.ps[2](in4), self.ps[1](out3), self.ps[0](out2)
        p4 = F.upsample(p4, scale_factor=4, mode="nearest", align_mode=1)
        p3 = F.upsample(p3, scale_factor=2, mode="nearest", align_mode=1)
        return paddle.concat([p4, p3, p2], axis=1)


class DBHead(nn.Layer):
    """ppocr/modeling/heads/det_db_head.py Head: conv-bn-relu, two conv_transpose x2, sigmoid."""

    def __init__(self, cin):
        super().__init__()
        self.conv1 = nn.Conv2D(cin, cin // 4, 3, padding=1, bias_attr=False)
        self.bn1 = nn.BatchNorm2D(cin // 4)
        self.conv2 = nn.Conv2DTranspose(cin // 4, cin // 4, 2, stride=2)
        self.bn2 = nn.BatchNorm2D(cin // 4)
        self.conv3 = nn.Conv2DTranspose(cin // 4, 1, 2, stride=2)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return F.sigmoid(self.conv3(x))


class DBDetector(nn.Layer):
    def __init__(self):
        super().__init__()
        self.stem = ConvBNAct(3, 8, 3, stride=2)
        self.s2 = ConvBNAct(8, 8, 3, stride=2)
        self.s3 = ConvBNAct(8, 16, 3, stride=2)
        self.s4 = ConvBNAct(16, 16, 3, stride=2)
        self.neck = DBFPN([8, 16, 16], 16)
        self.head = DBHead(12)

    def forward(self, x):
        c2 = self.s2(self.stem(x))
        c3 = self.s3(c2)
        c4 = self.s4(c3)
        return self.head(self.neck([c2, c3, c4]))


# ---------------------------------------------------------------- (b) CRNN recognizer
class CRNN(nn.Layer):
    """Conv backbone squeezing the height to 1, PaddleOCR's Im2Seq (squeeze + transpose), the
    SequenceEncoder's bidirectional 2-layer LSTM, CTC head fc + softmax."""

    def __init__(self, n_classes=11):
        super().__init__()
        self.c1 = ConvBNAct(3, 8, 3)
        self.p1 = nn.MaxPool2D(2, 2)
        self.c2 = ConvBNAct(8, 16, 3)
        self.p2 = nn.MaxPool2D((2, 1), (2, 1))
        self.c3 = ConvBNAct(16, 16, 3)
        self.p3 = nn.MaxPool2D((2, 1), (2, 1))
        self.p4 = nn.AvgPool2D((2, 1), (2, 1))
        self.lstm = nn.LSTM(16, 12, num_layers=2, direction="bidirectional")
        self.fc = nn.Linear(24, n_classes)

    def forward(self, x):
        x = self.p1(self.c1(x))
        x = self.p2(self.c2(x))
        x = self.p4(self.p3(self.c3(x)))
        x = x.squeeze(axis=2).transpose([0, 2, 1])  # Im2Seq: [N, W, C]
        x, _ = self.lstm(x)
        return F.softmax(self.fc(x), axis=2)


# ---------------------------------------------------------------- (c) PaddleClas PP-LCNet
class SEModule(nn.Layer):
    def __init__(self, c, reduction=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.conv1 = nn.Conv2D(c, c // reduction, 1)
        self.conv2 = nn.Conv2D(c // reduction, c, 1)
        self.hardsigmoid = nn.Hardsigmoid()

    def forward(self, x):
        s = self.hardsigmoid(self.conv2(F.relu(self.conv1(self.pool(x)))))
        return paddle.multiply(x=x, y=s)


class DepthwiseSeparable(nn.Layer):
    def __init__(self, cin, cout, stride, k=3, use_se=False):
        super().__init__()
        self.dw = ConvBNAct(cin, cin, k, stride=stride, groups=cin, act="hardswish")
        self.se = SEModule(cin) if use_se else None
        self.pw = ConvBNAct(cin, cout, 1, act="hardswish")

    def forward(self, x):
        x = self.dw(x)
        if self.se is not None:
            x = self.se(x)
        return self.pw(x)


class PPLCNet(nn.Layer):
    def __init__(self, n_classes=10):
        super().__init__()
        # SAME padding with stride 2 (asymmetric on even inputs)
        self.stem = ConvBNAct(3, 8, 3, stride=2, padding="SAME", act="hardswish")
        self.blocks = nn.Sequential(
            DepthwiseSeparable(8, 16, 1),
            DepthwiseSeparable(16, 16, 2),
            DepthwiseSeparable(16, 24, 2, k=5, use_se=True),
        )
        self.avg_pool = nn.AdaptiveAvgPool2D(1)
        self.last_conv = nn.Conv2D(24, 32, 1, bias_attr=False)
        self.hardswish = nn.Hardswish()
        self.dropout = nn.Dropout(p=0.2, mode="downscale_in_infer")
        self.flatten = nn.Flatten(start_axis=1, stop_axis=-1)
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        x = self.avg_pool(self.blocks(self.stem(x)))
        x = self.dropout(self.hardswish(self.last_conv(x)))
        return self.fc(self.flatten(x))


# ---------------------------------------------------------------- (d) PaddleDetection head
class AnchorHead(nn.Layer):
    """A RetinaNet/PP-YOLOE-style head on two levels: per-level conv towers for class scores and
    box deltas, anchors generated at run time from the feature map shape (arange + meshgrid +
    stack), delta decoding with exp, levels concatenated."""

    def __init__(self, n_classes=3, strides=(8, 16), anchor_size=4.0, grid_cell_offset=0.5):
        super().__init__()
        self.strides = strides
        self.anchor_size = anchor_size
        self.offset = grid_cell_offset
        self.n_classes = n_classes
        self.stem = ConvBNAct(3, 8, 3, stride=4)
        self.down = nn.LayerList([ConvBNAct(8, 8, 3, stride=2), ConvBNAct(8, 8, 3, stride=2)])
        self.cls = nn.LayerList([nn.Conv2D(8, n_classes, 3, padding=1) for _ in strides])
        self.reg = nn.LayerList([nn.Conv2D(8, 4, 3, padding=1) for _ in strides])

    def _anchors(self, feat, stride):
        h = paddle.shape(feat)[2]
        w = paddle.shape(feat)[3]
        shift_x = (paddle.arange(end=w) + self.offset) * stride
        shift_y = (paddle.arange(end=h) + self.offset) * stride
        shift_y, shift_x = paddle.meshgrid(shift_y, shift_x)
        points = paddle.cast(paddle.stack([shift_x, shift_y], axis=-1), "float32")
        return points.reshape([-1, 2])

    def forward(self, x):
        f = self.stem(x)
        boxes, scores = [], []
        for i, stride in enumerate(self.strides):
            f = self.down[i](f)
            n = paddle.shape(f)[0]
            cls = F.sigmoid(self.cls[i](f)).transpose([0, 2, 3, 1])
            scores.append(cls.reshape([n, -1, self.n_classes]))
            d = self.reg[i](f).transpose([0, 2, 3, 1]).reshape([n, -1, 4])
            centers = self._anchors(f, stride).unsqueeze(0)
            size = self.anchor_size * stride
            cxy = centers + d[:, :, :2] * size
            wh = paddle.exp(paddle.clip(d[:, :, 2:], max=4.135)) * size
            boxes.append(paddle.concat([cxy - 0.5 * wh, cxy + 0.5 * wh], axis=-1))
        return paddle.concat(boxes, axis=1), paddle.concat(scores, axis=1)


# ---------------------------------------------------------------- (e) PaddleSeg U-Net
class UNet(nn.Layer):
    """paddleseg/models/unet.py in miniature: double convs, max-pool down, bilinear up sized at
    run time from the skip connection, concat, logits resized to the input, argmax."""

    def __init__(self, n_classes=4):
        super().__init__()
        self.inc = nn.Sequential(ConvBNAct(3, 8, 3), ConvBNAct(8, 8, 3))
        self.down1 = nn.Sequential(nn.MaxPool2D(2, 2), ConvBNAct(8, 16, 3))
        self.down2 = nn.Sequential(nn.MaxPool2D(2, 2), ConvBNAct(16, 16, 3))
        self.up1 = ConvBNAct(32, 8, 3)
        self.up2 = ConvBNAct(16, 8, 3)
        self.cls = nn.Conv2D(8, n_classes, 1)

    def forward(self, x):
        s1 = self.inc(x)
        s2 = self.down1(s1)
        y = self.down2(s2)
        y = F.interpolate(y, size=paddle.shape(s2)[2:], mode="bilinear", align_corners=False)
        y = self.up1(paddle.concat([s2, y], axis=1))
        y = F.interpolate(y, size=paddle.shape(s1)[2:], mode="bilinear", align_corners=False)
        y = self.up2(paddle.concat([s1, y], axis=1))
        logit = self.cls(y)
        logit = F.interpolate(logit, paddle.shape(x)[2:], mode="bilinear", align_corners=False)
        return paddle.argmax(logit, axis=1, keepdim=True, dtype="int32"), logit


# ---------------------------------------------------------------- (f) ERNIE encoder
class ErnieEncoder(nn.Layer):
    """paddlenlp ErnieModel in miniature: word + position (arange of the run-time length) +
    token-type embeddings, LayerNorm, dropout, TransformerEncoder with the additive pad mask
    built from the ids, tanh pooler on the first token."""

    def __init__(self, vocab=50, hidden=32, heads=2, layers=2, max_pos=512, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.word = nn.Embedding(vocab, hidden, padding_idx=pad_id)
        self.pos = nn.Embedding(max_pos, hidden)
        self.tok = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(0.1)
        layer = nn.TransformerEncoderLayer(
            hidden,
            heads,
            hidden * 2,
            dropout=0.1,
            activation="gelu",
            attn_dropout=0.1,
            act_dropout=0,
        )
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.pool = nn.Linear(hidden, hidden)

    def forward(self, input_ids, token_type_ids):
        seq_len = paddle.shape(input_ids)[1]
        position_ids = paddle.arange(seq_len, dtype="int64").unsqueeze(0)
        emb = self.word(input_ids) + self.pos(position_ids) + self.tok(token_type_ids)
        emb = self.drop(self.norm(emb))
        mask = paddle.unsqueeze((input_ids == self.pad_id).astype("float32") * -1e4, axis=[1, 2])
        seq = self.encoder(emb, mask)
        pooled = paddle.tanh(self.pool(seq[:, 0]))
        return seq, pooled


# ---------------------------------------------------------------- registry
def _img(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _ids(n, length, seed, vocab=50):
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, vocab, size=(n, length)).astype("int64")
    ids[0, length - 2 :] = 0  # padding at the end of the first sequence
    types = (np.arange(length)[None, :] >= length // 2).astype("int64").repeat(n, 0)
    return [ids, types]


MODELS = {
    "ocr_det": (
        DBDetector,
        [InputSpec([None, 3, None, None], "float32", "x")],
        [[_img((1, 3, 32, 32), 1)], [_img((2, 3, 64, 48), 2)]],
    ),
    "ocr_rec": (
        CRNN,
        [InputSpec([None, 3, 16, None], "float32", "x")],
        [[_img((1, 3, 16, 40), 3)], [_img((3, 3, 16, 24), 4)]],
    ),
    "clas_lcnet": (
        PPLCNet,
        [InputSpec([None, 3, None, None], "float32", "x")],
        [[_img((1, 3, 32, 32), 5)], [_img((2, 3, 40, 36), 6)]],
    ),
    "det_head": (
        AnchorHead,
        [InputSpec([None, 3, None, None], "float32", "x")],
        [[_img((1, 3, 64, 64), 7)], [_img((2, 3, 96, 64), 8)]],
    ),
    "seg_unet": (
        UNet,
        [InputSpec([None, 3, None, None], "float32", "x")],
        [[_img((1, 3, 32, 32), 9)], [_img((2, 3, 36, 28), 10)]],
    ),
    "ernie": (
        ErnieEncoder,
        [
            InputSpec([None, None], "int64", "input_ids"),
            InputSpec([None, None], "int64", "token_type_ids"),
        ],
        [_ids(1, 8, 11), _ids(3, 12, 12)],
    ),
}

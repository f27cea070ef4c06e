"""Layers whose forward uses ops with data-dependent output shapes or PIR-only attributes
(one_hot, masked_select, nonzero, sequence_mask, p_norm, equal_all, max_pool2d/3d_with_index,
mish, round): the shared fixture of tests/jit/test_record_more_oracle.py (legacy, Paddle 2.6)
and tests/jit/test_pir_more_rules_oracle.py (PIR, Paddle 3.3).

``SOURCE`` runs unchanged under real ``import paddle`` and, through ``as_paddlefish``, under
paddlefish; it is written to a file because dy2static needs the forward's source. ``MODELS`` maps
a name to ``(class, [(shape, dtype, name)], inputs(rng) -> list of cases)``.
"""

SOURCE = '''
import numpy as np
import paddle
import paddle.nn as nn
import paddle.nn.functional as F


class OneHot(nn.Layer):
    def forward(self, x):
        return F.one_hot(x, 5) * 2.0


class MaskedSelect(nn.Layer):
    def forward(self, x, mask):
        s = paddle.masked_select(x, mask)
        return s, paddle.exp(s)


class NonZero(nn.Layer):
    def forward(self, x):
        return paddle.nonzero(x)


class SeqMask(nn.Layer):
    def forward(self, lens):
        return F.sequence_mask(lens, maxlen=6, dtype="float32"), F.sequence_mask(lens)


class PNorm(nn.Layer):
    def forward(self, x):
        return paddle.norm(x, p=2, axis=1), paddle.norm(x, p=1), paddle.norm(x, p="fro", axis=0)


class EqualAll(nn.Layer):
    def forward(self, x, y):
        return paddle.equal_all(x, y)


class MaxPoolIdx(nn.Layer):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool2D(2, 2, return_mask=True)

    def forward(self, x):
        out, mask = self.pool(x)
        out2, mask2 = F.max_pool2d(x, 3, 1, 1, return_mask=True)
        return out, mask, out2 + 1.0, mask2


class MaxPool3Idx(nn.Layer):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool3D(2, 2, return_mask=True)

    def forward(self, x):
        return self.pool(x)


class MishRound(nn.Layer):
    def forward(self, x):
        return F.mish(x), paddle.round(x), paddle.round(F.mish(x) * 10.0)


class AmaxAmin(nn.Layer):
    def forward(self, x):
        return paddle.amax(x, axis=1), paddle.amin(x, axis=[0, 1], keepdim=True), paddle.amax(x)


def cases(name, rng):
    """Input cases of model ``name``: several batch sizes (and data-dependent result sizes)."""
    f32 = lambda *s: rng.standard_normal(s).astype("float32")
    if name == "OneHot":
        return [[np.array([0, 3, 4, 1, 2], "int64")], [np.array([4], "int64")]]
    if name == "MaskedSelect":
        few = np.array([[True, False, False], [False, False, True]])
        return [[f32(4, 3), rng.random((4, 3)) > 0.5], [f32(2, 3), few]]
    if name == "NonZero":
        a = f32(5, 3)
        a[a < 0.3] = 0.0
        return [[a], [np.zeros((2, 3), "float32")]]
    if name == "SeqMask":
        return [[np.array([0, 2, 6, 3], "int64")], [np.array([1, 9], "int64")]]
    if name == "PNorm":
        return [[f32(4, 3)], [f32(1, 3)]]
    if name == "EqualAll":
        a = f32(3, 3)
        b = a.copy()
        b[1, 2] += 1.0
        return [[a, a.copy()], [a, b]]
    if name == "MaxPoolIdx":
        return [[f32(2, 2, 4, 4)], [f32(1, 2, 4, 4)]]
    if name == "MaxPool3Idx":
        return [[f32(2, 1, 4, 4, 4)]]
    if name == "MishRound":
        # hundredths plus 0.003: no value is a .5 tie, whatever the rounding mode
        v = np.round(rng.uniform(-4, 4, (4, 3)), 2) + 0.003
        return [[v.astype("float32")]]
    if name == "AmaxAmin":
        return [[f32(4, 3)], [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.5]], "float32")]]
    raise KeyError(name)
'''

# name -> input specs ([shape, dtype, name]) of the exported forward
SPECS = {
    "OneHot": [[[None], "int64", "x"]],
    "MaskedSelect": [[[None, 3], "float32", "x"], [[None, 3], "bool", "mask"]],
    "NonZero": [[[None, 3], "float32", "x"]],
    "SeqMask": [[[None], "int64", "lens"]],
    "PNorm": [[[None, 3], "float32", "x"]],
    "EqualAll": [[[None, 3], "float32", "x"], [[None, 3], "float32", "y"]],
    "MaxPoolIdx": [[[None, 2, 4, 4], "float32", "x"]],
    "MaxPool3Idx": [[[None, 1, 4, 4, 4], "float32", "x"]],
    "MishRound": [[[None, 3], "float32", "x"]],
    "AmaxAmin": [[[None, 3], "float32", "x"]],
}
RECORD_MODELS = ["OneHot", "MaskedSelect", "NonZero", "SeqMask", "PNorm", "EqualAll"]
PIR_MODELS = RECORD_MODELS + ["MaxPoolIdx", "MaxPool3Idx", "MishRound", "AmaxAmin"]

# the Paddle side of both oracle tests (run in the directory holding ``models_more.py`` and
# ``oracle_args.json``): eager outputs of every case, Paddle's own jit.save into ``theirs/``, and
# Paddle's jit.load and predictor of paddlefish's export in ``ours/<name>``
ORACLE = r"""
import json, os, sys, traceback, numpy as np, paddle
from paddle import inference
from paddle.static import InputSpec
sys.path.insert(0, os.getcwd())
import models_more as M
args = json.load(open("oracle_args.json"))
names, specs, ext = args["names"], args["specs"], args["ext"]

def outs(r):
    return [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]

def predict(prefix, xs):
    params = prefix + ".pdiparams"
    cfg = inference.Config(prefix + ext, params if os.path.exists(params) else "")
    cfg.disable_gpu(); cfg.disable_glog_info()
    p = inference.create_predictor(cfg)
    for n, x in zip(p.get_input_names(), xs): p.get_input_handle(n).copy_from_cpu(x)
    p.run()
    return [p.get_output_handle(n).copy_to_cpu() for n in p.get_output_names()]

report = {}
for name in names:
    rep = report[name] = {}
    res = {}
    rng = np.random.default_rng(0)
    cs = M.cases(name, rng)
    for i, xs in enumerate(cs):
        for j, x in enumerate(xs): res[f"in_{i}_{j}"] = x
        for j, o in enumerate(outs(getattr(M, name)()(*[paddle.to_tensor(x) for x in xs]))):
            res[f"eager_{i}_{j}"] = o
    paddle.jit.save(getattr(M, name)(), f"theirs/{name}",
                    input_spec=[InputSpec(*s) for s in specs[name]])
    for kind, fn in (("jit", lambda xs: outs(loaded(*[paddle.to_tensor(x) for x in xs]))),
                     ("pred", lambda xs: predict(f"ours/{name}", xs))):
        try:
            if kind == "jit":
                loaded = paddle.jit.load(f"ours/{name}")
            for i, xs in enumerate(cs):
                for j, o in enumerate(fn(xs)): res[f"{kind}_{i}_{j}"] = o
        except Exception:
            rep[kind + "_error"] = traceback.format_exc()[-1500:]
    rep["n_cases"] = len(cs)
    np.savez(f"ref_{name}.npz", **res)
print(json.dumps(report))
"""

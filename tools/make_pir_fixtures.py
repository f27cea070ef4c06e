"""Write the PIR ``.json`` fixtures of tests/fixtures/pir/ with a real Paddle 3.x.

Run it under the Paddle whose files you want (each release writes its own PIR schema version,
FORMATS.md 6.1; NOTE [PIR schema versions] in paddlefish/ir/_pir_upgrade.py)::

    python -m venv /tmp/p30 && /tmp/p30/bin/pip install paddlepaddle==3.0.0
    /tmp/p30/bin/python tools/make_pir_fixtures.py tests/fixtures/pir

It makes ``OUT/<major.minor>/<model>/model.json`` + ``model.pdiparams`` + ``ref.npz`` for a few
small models (an MLP, a CNN with batch norm, a tensor ``if``, a ``while``, an int64 embedding
model, two inputs with a dict output) and one ``methods`` model with a second ``@to_static``
method (``model.infer.json``), with fixed seeds. ``ref.npz`` holds the inputs ``in_<case>_<j>``
and what that Paddle's own ``jit.load`` of the files returns, ``out_<case>_<j>``
(``infer_<case>_<j>`` for the extra method). ``kinds/model.json`` is a program of ops paddlefish
does not run (``kthvalue``, ``repeat_interleave``, ``logit``), kept for their attribute kinds
only (``--kinds-only`` writes just that). ``OUT/<major.minor>/manifest.json`` records the Paddle
version, the schema version of the files and the input specs. The models are tiny on purpose: the whole directory
stays well under a megabyte per Paddle version.

This file is a tool, not part of paddlefish: it imports the real ``paddle`` and never paddlefish.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("FLAGS_enable_pir_api", "1")

import numpy as np
import paddle
import paddle.nn.functional as F
from paddle import nn
from paddle.static import InputSpec


class MLP(nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), axis=-1)


class CNN(nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2D(4)
        self.pool = nn.MaxPool2D(2, 2)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        h = self.pool(F.relu(self.bn(self.conv(x))))
        return self.fc(paddle.flatten(h, 1))


class IfElse(nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        y = self.fc(x)
        if y.mean() > 0:
            z = y * 2.0
        else:
            z = paddle.tanh(y) - 1.0
        return z


class WhileLoop(nn.Layer):
    def forward(self, x, n):
        i = paddle.zeros([1], "int64")
        while i < n:
            x = x * 2.0 + 1.0
            i = i + 1
        return x


class Embed(nn.Layer):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 6, padding_idx=0)
        self.fc = nn.Linear(6, 3)

    def forward(self, ids):
        return F.log_softmax(self.fc(paddle.mean(self.emb(ids), axis=1)), axis=-1)


class TwoInDict(nn.Layer):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 5)
        self.b = nn.Linear(3, 5)
        self.norm = nn.LayerNorm(5)

    def forward(self, x, y):
        h = self.norm(F.gelu(self.a(x)) + F.sigmoid(self.b(y)))
        return {"logits": h, "prob": F.softmax(h, axis=-1)}


class Methods(nn.Layer):
    """forward plus a second @to_static method: jit.save writes model.infer.json too."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")])
    def forward(self, x):
        return self.fc(x)

    @paddle.jit.to_static(input_spec=[InputSpec([None, 4], "float32", "x")])
    def infer(self, x):
        return F.relu(self.fc(x)) * 3.0


class PatchedOps(nn.Layer):
    """Ops whose attribute kinds changed between PIR schema versions (Paddle's upgrade patches;
    NOTE [PIR schema versions] in paddlefish/formats/pir_json.py)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(1, 4, 3, padding=1)
        self.gn = nn.GroupNorm(2, 4)
        self.scale = self.create_parameter([1, 4, 1, 1])

    def forward(self, x):
        h = self.gn(self.conv(x))  # [N, 4, 8, 8]
        h = F.leaky_relu(h, 0.1) + F.softplus(h, beta=2.0, threshold=15.0)
        h = F.avg_pool2d(h, 2, 2)  # [N, 4, 4, 4]
        h = F.interpolate(h, scale_factor=2.0, mode="bilinear")  # [N, 4, 8, 8]
        h = F.interpolate(h, scale_factor=0.5, mode="nearest")  # [N, 4, 4, 4]
        h = h + paddle.expand_as(self.scale, h)
        v = F.pad(h.unsqueeze(1), [1, 1, 1, 1, 1, 1], value=0.5, data_format="NCDHW")
        v = F.max_pool3d(v, 2, 2)  # [N, 1, 3, 3, 3]
        return paddle.flatten(v, 1)


class KindsOnly(nn.Layer):
    """Ops paddlefish does not run whose attribute kinds changed between schema versions: only
    the program is kept (``kinds/model.json``), for the upgrade's tests."""

    def forward(self, x):
        v, _ = paddle.kthvalue(x, 2, axis=-1)
        r = paddle.repeat_interleave(x, 2, axis=0)
        return v, r.sum(0), paddle.logit(F.sigmoid(x), eps=1e-3)


def _export_kinds(out: str) -> None:
    prefix = os.path.join(out, "kinds", "model")
    paddle.jit.save(KindsOnly(), prefix, input_spec=[InputSpec([None, 4], "float32", "x")])


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype("float32")


X8 = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
# name -> (class, input specs or None for @to_static, cases: rng -> list of input lists)
MODELS = {
    "mlp": (
        MLP,
        [InputSpec([None, 4], "float32", "x")],
        lambda rng: [[_f32(rng, 1, 4)], [_f32(rng, 3, 4)]],
    ),
    "cnn_bn": (
        CNN,
        [InputSpec([None, 1, 8, 8], "float32", "x")],
        lambda rng: [[_f32(rng, 1, 1, 8, 8)], [_f32(rng, 3, 1, 8, 8)]],
    ),
    "if_else": (
        IfElse,
        [InputSpec([None, 4], "float32", "x")],
        lambda rng: [[X8 * 5], [X8 - 3], [_f32(rng, 3, 4)]],
    ),
    "while_loop": (
        WhileLoop,
        [InputSpec([None, 4], "float32", "x"), InputSpec([1], "int64", "n")],
        lambda rng: [[X8, np.array([0], "int64")], [X8, np.array([3], "int64")]],
    ),
    "embed_int64": (
        Embed,
        [InputSpec([None, 5], "int64", "ids")],
        lambda rng: [
            [rng.integers(0, 20, (1, 5)).astype("int64")],
            [rng.integers(0, 20, (3, 5)).astype("int64")],
        ],
    ),
    "two_in_dict": (
        TwoInDict,
        [InputSpec([None, 4], "float32", "x"), InputSpec([None, 3], "float32", "y")],
        lambda rng: [[_f32(rng, 1, 4), _f32(rng, 1, 3)], [_f32(rng, 3, 4), _f32(rng, 3, 3)]],
    ),
    "patched_ops": (
        PatchedOps,
        [InputSpec([None, 1, 8, 8], "float32", "x")],
        lambda rng: [[_f32(rng, 1, 1, 8, 8)], [_f32(rng, 3, 1, 8, 8)]],
    ),
    "methods": (Methods, None, lambda rng: [[_f32(rng, 1, 4)], [_f32(rng, 3, 4)]]),
}


def _outs(r):
    if isinstance(r, dict):
        return [r[k] for k in r]
    return list(r) if isinstance(r, (list, tuple)) else [r]


def _perturb_batch_norm(layer) -> None:
    """Running statistics that are not 0/1, so a reader that ignores them is caught."""
    for sub in layer.sublayers():
        if isinstance(sub, nn.BatchNorm2D):
            n = sub._mean.shape[0]
            sub._mean.set_value(paddle.linspace(-0.5, 0.5, n))
            sub._variance.set_value(paddle.linspace(0.5, 2.0, n))


def _export(name: str, out: str) -> dict:
    cls, specs, make_cases = MODELS[name]
    paddle.seed(0)
    layer = cls()
    _perturb_batch_norm(layer)
    layer.eval()
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    prefix = os.path.join(d, "model")
    paddle.jit.save(layer, prefix, input_spec=specs)
    loaded = paddle.jit.load(prefix)
    loaded.eval()
    ref = {}
    for i, xs in enumerate(make_cases(np.random.default_rng(0))):
        ts = [paddle.to_tensor(x) for x in xs]
        for j, x in enumerate(xs):
            ref[f"in_{i}_{j}"] = x
        for j, o in enumerate(_outs(loaded(*ts))):
            ref[f"out_{i}_{j}"] = o.numpy()
        for j, o in enumerate(_outs(layer(*ts))):  # the file must agree with the layer
            np.testing.assert_allclose(o.numpy(), ref[f"out_{i}_{j}"], rtol=1e-5, atol=1e-6)
        if name == "methods":
            for j, o in enumerate(_outs(loaded.infer(*ts))):
                ref[f"infer_{i}_{j}"] = o.numpy()
    np.savez(os.path.join(d, "ref.npz"), **ref)
    with open(prefix + ".json") as f:
        version = json.load(f)["base_code"]["version"]
    return {
        "schema_version": version,
        "specs": [[list(s.shape), str(s.dtype).split(".")[-1], s.name] for s in specs or []],
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[1:] not in ([], ["--kinds-only"]):
        print(__doc__)
        return 2
    release = ".".join(paddle.__version__.split(".")[:2])
    out = os.path.join(argv[0], release)
    _export_kinds(out)
    if argv[1:]:
        return 0
    models = {name: _export(name, out) for name in MODELS}
    versions = {m["schema_version"] for m in models.values()}
    manifest = {"paddle": paddle.__version__, "schema_versions": sorted(versions), "models": models}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(
        f"wrote {len(models)} models to {out}: Paddle {paddle.__version__}, PIR schema "
        f"version(s) {sorted(versions)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

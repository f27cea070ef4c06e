"""Export side of test_architectures.py, run as a script under real Paddle (2.6: legacy
``.pdmodel``; 3.3: PIR ``.json``, its default) or under paddlefish's stand-in
(``python -m paddlefish run``): for every model of architectures.py set deterministic weights,
``jit.save`` it, run it eagerly on the fixed cases and write ``NAME/ref.npz``
(``in_i_j``, ``out_i_j``). Prints a JSON report ``{name: {"error": ...}}`` as its last line.

usage: _export.py ROOT [NAME ...]
"""

import json
import os
import runpy
import sys
import traceback
import zlib

import numpy as np
import paddle

HERE = os.path.dirname(os.path.abspath(__file__))


def det_weights(layer):
    """Deterministic numpy weights by structured name (the same on every framework)."""
    sd = layer.state_dict()
    new = {}
    for key, value in sd.items():
        shape = list(value.shape)
        rng = np.random.default_rng(zlib.crc32(key.encode()))
        if key.endswith("_variance"):
            a = 0.5 + rng.random(shape)
        elif key.endswith("_mean"):
            a = 0.1 * rng.standard_normal(shape)
        elif len(shape) >= 2:
            fan_in = int(np.prod(shape[1:])) if len(shape) > 2 else shape[0]
            a = rng.standard_normal(shape) / np.sqrt(max(fan_in, 1))
        elif key.endswith("weight"):
            a = 1.0 + 0.1 * rng.standard_normal(shape)
        else:
            a = 0.1 * rng.standard_normal(shape)
        new[key] = a.astype(str(value.numpy().dtype))
    layer.set_state_dict(new)


def outs(r):
    if isinstance(r, (list, tuple)):
        return [x.numpy() for x in r]
    return [r.numpy()]


def main(root, names):
    models = runpy.run_path(os.path.join(HERE, "architectures.py"))["MODELS"]
    report = {}
    for name in names or list(models):
        cls, specs, cases = models[name]
        rep = report[name] = {}
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        try:
            paddle.seed(0)
            layer = cls()
            det_weights(layer)
            layer.eval()
            res = {}
            for i, xs in enumerate(cases):
                for j, x in enumerate(xs):
                    res[f"in_{i}_{j}"] = x
                for j, o in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs]))):
                    res[f"out_{i}_{j}"] = o
            np.savez(os.path.join(d, "ref.npz"), **res)
            paddle.jit.save(layer, os.path.join(d, "model"), input_spec=specs)
        except Exception:  # noqa: BLE001 -- one report entry per model, the rest still run
            rep["error"] = traceback.format_exc()[-3000:]
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

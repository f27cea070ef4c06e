"""``paddlefish convert`` / ``jit.convert_program``: PIR <-> legacy programs.

Oracle proof: real Paddle 3.3 PIR exports of the zoo, converted to legacy, run in real Paddle 2.6
``jit.load`` with Paddle 3.3's own outputs; real Paddle 2.6 legacy exports, converted to PIR, run
in real Paddle 3.3 ``jit.load`` with Paddle 2.6's outputs. Four Paddle subprocesses in all.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.cli import main as cli_main
from paddlefish.static import InputSpec
from tests.jit.zoo import ZOO
from tests.oracle import require, run_paddle

RTOL = ATOL = 1e-5
NAMES = [
    "mlp",
    "lenet",
    "resnet",
    "mobilenet",
    "transformer",
    "lstm",
    "gru",
    "textcls",
    "two_in_dict",
    "dynbatch",
]


def _lin(tmp_path):
    lin = paddle.nn.Linear(4, 3)
    prefix = tmp_path / "src" / "lin"
    paddle.jit.save(lin, str(prefix), input_spec=[InputSpec([None, 4], "float32", "x")])
    return lin, prefix


def test_cli_converts_both_ways(tmp_path, capsys):
    lin, prefix = _lin(tmp_path)
    x = paddle.to_tensor(np.random.default_rng(0).standard_normal((2, 4)).astype("float32"))
    assert cli_main(["convert", str(prefix) + ".pdmodel", str(tmp_path / "p" / "lin.json")]) == 0
    assert "lin.json" in capsys.readouterr().out
    assert (
        cli_main(["convert", str(tmp_path / "p" / "lin.json"), str(tmp_path / "l" / "lin.pdmodel")])
        == 0
    )
    for p in (tmp_path / "p" / "lin", tmp_path / "l" / "lin"):
        np.testing.assert_allclose(
            paddle.jit.load(str(p))(x).numpy(), lin(x).numpy(), rtol=RTOL, atol=ATOL
        )
    assert (tmp_path / "l" / "lin.pdiparams.info").exists()


def test_unknown_destination_is_refused(tmp_path, capsys):
    _, prefix = _lin(tmp_path)
    assert cli_main(["convert", str(prefix), str(tmp_path / "x.xyz")]) == 2
    err = capsys.readouterr().err
    assert "x.xyz" in err and ".json" in err and ".pdmodel" in err and ".onnx" in err
    with pytest.raises(ValueError, match="expected one of"):
        paddle.jit.convert_program(str(prefix), str(tmp_path / "y"), to="onnx")


def test_mismatched_params_are_refused(tmp_path, capsys):
    _, prefix = _lin(tmp_path)
    (tmp_path / "src" / "lin.pdiparams").write_bytes(
        (tmp_path / "src" / "lin.pdiparams").read_bytes()[:-8]
    )
    assert cli_main(["convert", str(prefix), str(tmp_path / "o" / "lin.json")]) == 1
    assert "lin.pdiparams" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


EXPORT = r"""
import json, os, sys, runpy, numpy as np, paddle
root, tag = sys.argv[1], sys.argv[2]
zoo = json.load(open(os.path.join(root, "zoo.json")))
def outs(r):
    if isinstance(r, (list, tuple)): return [x.numpy() for x in r]
    if isinstance(r, dict): return [r[k].numpy() for k in r]
    return [r.numpy()]
for name, src in zoo.items():
    d = os.path.join(root, tag, name); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "m.py"), "w").write(src)
    paddle.seed(0)
    layer, specs, make = runpy.run_path(os.path.join(d, "m.py"))["build"]()
    layer.eval()
    xs = make(np.random.default_rng(0), 3)[:len(specs)]
    paddle.jit.save(layer, os.path.join(d, "model"), input_spec=specs)
    np.savez(os.path.join(d, "io.npz"), **{f"x{i}": x for i, x in enumerate(xs)},
             **{f"y{i}": y for i, y in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs])))})
"""

LOAD = r"""
import json, os, sys, numpy as np, paddle
root, tag = sys.argv[1], sys.argv[2]
rep = {}
for name in json.load(open(os.path.join(root, "zoo.json"))):
    d = os.path.join(root, tag, name); io = np.load(os.path.join(d, "io.npz"))
    xs = [io[f"x{i}"] for i in range(sum(k.startswith("x") for k in io.files))]
    try:
        l = paddle.jit.load(os.path.join(d, "conv")); l.eval()
        o = l(*[paddle.to_tensor(x) for x in xs])
        o = list(o.values()) if isinstance(o, dict) else (o if isinstance(o, (list, tuple)) else [o])
        np.savez(os.path.join(d, "got.npz"), *[t.numpy() for t in o])
        rep[name] = "ok"
    except Exception as e:
        rep[name] = repr(e)[-800:]
print(json.dumps(rep))
"""


def _run(script, version, root, tag, tmp_path):
    path = tmp_path / f"{tag}_{version}.py"
    path.write_text(script)
    return run_paddle(
        f"import runpy, sys; sys.argv = ['o', {str(root)!r}, {tag!r}]; "
        f"runpy.run_path({str(path)!r}, run_name='__main__')",
        version,
        timeout=900,
    )


@pytest.mark.oracle
def test_real_exports_convert_across_paddle_versions(tmp_path):
    require("3.3")
    require("2.6")
    root = tmp_path / "zoo"
    root.mkdir()
    (root / "zoo.json").write_text(json.dumps({n: ZOO[n] for n in NAMES}))
    _run(EXPORT, "3.3", root, "p33", tmp_path)  # PIR .json, Paddle 3.3's default
    _run(EXPORT, "2.6", root, "p26", tmp_path)  # legacy .pdmodel
    for name in NAMES:
        src33, src26 = root / "p33" / name, root / "p26" / name
        assert (src33 / "model.json").exists() and (src26 / "model.pdmodel").exists()
        paddle.jit.convert_program(str(src33 / "model.json"), str(src33 / "conv"), "legacy")
        paddle.jit.convert_program(str(src26 / "model"), str(src26 / "conv"), "pir")
    for version, tag in (("2.6", "p33"), ("3.3", "p26")):
        rep = json.loads(_run(LOAD, version, root, tag, tmp_path).strip().splitlines()[-1])
        for name in NAMES:
            assert rep[name] == "ok", (tag, "->", version, name, rep[name])
            ref = np.load(root / tag / name / "io.npz")
            got = np.load(root / tag / name / "got.npz")
            ys = [ref[f"y{i}"] for i in range(sum(k.startswith("y") for k in ref.files))]
            assert len(got.files) == len(ys), (tag, name)
            for i, y in enumerate(ys):
                np.testing.assert_allclose(
                    got[f"arr_{i}"],
                    y,
                    rtol=RTOL,
                    atol=ATOL,
                    err_msg=f"{tag} {name} -> Paddle {version}, out {i}",
                )

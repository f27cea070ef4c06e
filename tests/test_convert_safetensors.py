"""``paddlefish convert``: state dicts ``.pdparams`` / ``.pdopt`` <-> ``.safetensors``.

Oracle proof: real Paddle 2.6 writes a parameter state dict (float32/float16/bfloat16/int64/int32/
bool/uint8) and an Adam ``.pdopt`` with ``LR_Scheduler`` and ``master_weights``; paddlefish
converts each to ``.safetensors`` (read back by the ``safetensors`` package itself equal to the
source) and back; real Paddle 2.6 and 3.3 ``paddle.load`` the converted-back files equal to the
originals (keys, nesting, dtypes, values, tensor names, scheduler state). Three Paddle
subprocesses in all.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors import numpy as st_numpy
from safetensors import torch as st_torch

import paddlefish as paddle
from paddlefish.cli import main as cli_main
from tests.oracle import require, run_paddle

MAKE = r"""
import numpy as np, paddle
rng = np.random.default_rng(0)
sd = {
    "w32": paddle.to_tensor(rng.standard_normal((3, 4)).astype("float32")),
    "w16": paddle.to_tensor(rng.standard_normal((5,)).astype("float16")),
    "wbf": paddle.to_tensor(rng.standard_normal((2, 3)).astype("float32")).astype("bfloat16"),
    "i64": paddle.to_tensor(np.array([1, -2, 2**40], "int64")),
    "i32": paddle.to_tensor(np.array([[7, -8]], "int32")),
    "flag": paddle.to_tensor(np.array([True, False, True])),
    "u8": paddle.to_tensor(np.array([0, 255], "uint8")),
    "scalar": paddle.to_tensor(np.float32(2.5)),
}
paddle.save(sd, "params.pdparams")
paddle.seed(0)
lin = paddle.nn.Linear(4, 3)
sched = paddle.optimizer.lr.StepDecay(0.1, step_size=1, gamma=0.5)
opt = paddle.optimizer.Adam(sched, parameters=lin.parameters())
for _ in range(2):
    lin(paddle.ones([2, 4])).sum().backward(); opt.step(); opt.clear_grad(); sched.step()
o = opt.state_dict()
# AMP-O2 optimizers hold fp32 master copies in a nested dict (FORMATS.md "Master weights")
o["master_weights"] = {p.name: paddle.cast(p, "float32") * 1.0 for p in lin.parameters()}
paddle.save(o, "opt.pdopt")
"""

# load an original and its round trip; fail on any difference; print a summary
COMPARE = r"""
import json, numpy as np, paddle
def flat(x, path=""):
    if isinstance(x, dict):
        out = [(path + "{}", list(x))]
        for k, v in x.items(): out += flat(v, path + "/" + k)
        return out
    if isinstance(x, paddle.Tensor):
        a = x.numpy()
        return [(path, (str(x.dtype), x.name, a.dtype.str, a.shape, a.tobytes()))]
    return [(path, x)]
rep = {}
for a, b in [("params.pdparams", "back.pdparams"), ("opt.pdopt", "back.pdopt")]:
    fa, fb = flat(paddle.load(a)), flat(paddle.load(b))
    assert [k for k, _ in fa] == [k for k, _ in fb], ([k for k, _ in fa], [k for k, _ in fb])
    for (k, va), (_, vb) in zip(fa, fb):
        assert va == vb, (a, k, va if not isinstance(va, tuple) else va[:4],
                          vb if not isinstance(vb, tuple) else vb[:4])
    rep[a] = sorted({v[0] for _, v in fa if isinstance(v, tuple)})
print(json.dumps(rep))
"""


@pytest.fixture(scope="module")
def paddle_files(tmp_path_factory):
    require("2.6")
    d = tmp_path_factory.mktemp("st")
    run_paddle(MAKE, "2.6", cwd=d)
    return d


def _bits(t: torch.Tensor) -> np.ndarray:
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(np.uint16)
    return t.numpy()


def test_pdparams_to_safetensors_reads_back_in_the_safetensors_package(paddle_files, capsys):
    d = paddle_files
    assert cli_main(["convert", str(d / "params.pdparams"), str(d / "params.safetensors")]) == 0
    assert "8 tensors" in capsys.readouterr().out
    src = paddle.load(str(d / "params.pdparams"))
    got_t = st_torch.load_file(str(d / "params.safetensors"))
    assert sorted(got_t) == sorted(src)  # flat dict: the keys are the state dict's keys
    assert got_t["wbf"].dtype == torch.bfloat16 and got_t["i64"].dtype == torch.int64
    for k, v in src.items():
        want = v.numpy()  # bfloat16 -> uint16 bits, as Paddle's own .numpy()
        assert list(got_t[k].shape) == list(want.shape), k
        np.testing.assert_array_equal(_bits(got_t[k]), want, err_msg=k)
    # numpy has no bfloat16: safetensors.numpy reads every file without one
    no_bf = {k: v for k, v in got_t.items() if k != "wbf"}
    st_torch.save_file(no_bf, str(d / "nobf.safetensors"))
    paddle.save({k: src[k] for k in no_bf}, str(d / "nobf.pdparams"))
    assert cli_main(["convert", str(d / "nobf.pdparams"), str(d / "ours.safetensors")]) == 0
    got_np = st_numpy.load_file(str(d / "ours.safetensors"))
    assert sorted(got_np) == sorted(no_bf)
    for k, v in got_np.items():
        assert v.dtype == src[k].numpy().dtype, k
        np.testing.assert_array_equal(v, src[k].numpy(), err_msg=k)


def test_optimizer_state_flattens_with_the_documented_keys(paddle_files, capsys):
    d = paddle_files
    assert cli_main(["convert", str(d / "opt.pdopt"), str(d / "opt.safetensors")]) == 0
    src = paddle.load(str(d / "opt.pdopt"))
    got = st_numpy.load_file(str(d / "opt.safetensors"))
    masters = src["master_weights"]
    assert len(masters) == 2
    for name, t in masters.items():  # NOTE [safetensors key scheme]: nested keys join with '/'
        np.testing.assert_array_equal(got[f"master_weights/{name}"], t.numpy())
    moments = [k for k in src if "moment1" in k]
    assert moments and all(np.array_equal(got[k], src[k].numpy()) for k in moments)
    assert not any(k.startswith("LR_Scheduler") for k in got)  # scalars live in the metadata
    from safetensors import safe_open

    with safe_open(str(d / "opt.safetensors"), framework="np") as f:
        tree = json.loads(f.metadata()["paddlefish.structure"])
    sched = dict(tree["d"])["LR_Scheduler"]
    assert dict(sched["d"]) == {"last_epoch": {"v": 2}, "last_lr": {"v": 0.025}}


def test_converted_back_files_load_in_real_paddle_equal_to_the_originals(paddle_files):
    d = paddle_files
    for src, mid, back in [("params.pdparams", "p2.safetensors", "back.pdparams"),
                           ("opt.pdopt", "o2.safetensors", "back.pdopt")]:
        assert cli_main(["convert", str(d / src), str(d / mid)]) == 0
        assert cli_main(["convert", str(d / mid), str(d / back)]) == 0
    for version in ("2.6", "3.3"):
        rep = json.loads(run_paddle(COMPARE, version, cwd=d).strip().splitlines()[-1])
        assert "paddle.bfloat16" in rep["params.pdparams"], (version, rep)
        assert "paddle.float32" in rep["opt.pdopt"], (version, rep)


def test_foreign_safetensors_become_a_flat_state_dict(tmp_path):
    st_torch.save_file({"a.b": torch.arange(3, dtype=torch.int64),
                        "enc/w": torch.ones(2, dtype=torch.bfloat16)}, str(tmp_path / "f.safetensors"))
    assert cli_main(["convert", str(tmp_path / "f.safetensors"), str(tmp_path / "f.pdparams")]) == 0
    sd = paddle.load(str(tmp_path / "f.pdparams"))
    assert list(sd) == ["a.b", "enc/w"] and sd["enc/w"].dtype == paddle.bfloat16
    assert sd["a.b"].name == "a.b"
    np.testing.assert_array_equal(sd["a.b"].numpy(), [0, 1, 2])


def test_what_safetensors_cannot_hold_is_refused_by_key(tmp_path, capsys):
    paddle.save({"opt": {"w": paddle.ones([1]), "hist": {1, 2}}}, str(tmp_path / "s.pdopt"))
    assert cli_main(["convert", str(tmp_path / "s.pdopt"), str(tmp_path / "s.safetensors")]) == 1
    err = capsys.readouterr().err
    assert "'opt/hist'" in err and "set" in err
    paddle.save({"a/b": paddle.ones([1])}, str(tmp_path / "k.pdparams"))
    assert cli_main(["convert", str(tmp_path / "k.pdparams"), str(tmp_path / "k.safetensors")]) == 1
    assert "'a/b'" in capsys.readouterr().err
    assert cli_main(["convert", str(tmp_path / "k.pdparams"), str(tmp_path / "k2.pdopt")]) == 1
    assert "from a .safetensors file" in capsys.readouterr().err


def test_missing_safetensors_package_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_st(name, *a, **k):
        if name.startswith("safetensors"):
            raise ImportError(name)
        return real(name, *a, **k)

    paddle.save({"w": paddle.ones([1])}, str(tmp_path / "w.pdparams"))
    monkeypatch.setattr(builtins, "__import__", no_st)
    assert cli_main(["convert", str(tmp_path / "w.pdparams"), str(tmp_path / "w.safetensors")]) == 1
    assert "pip install safetensors" in capsys.readouterr().err

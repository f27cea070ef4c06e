"""Real Paddle 2.6 / 3.3 writes with paddle.save (and jit.save / static APIs); paddlefish loads.

The oracle writes each file plus references: ``<file>.json`` (keys, tensor names, dtypes) and
``<file>.<i>.npy`` per tensor. Nothing is committed; files are produced fresh per session.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
import torch

import paddlefish as paddle
from paddlefish import formats
from paddlefish.framework import load
from tests.formats._paddle_models import paddle_models
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle
VERSIONS = ["2.6", "3.3"]

SCRIPT = r"""
import json, numpy as np, paddle
paddle.seed(0); np.random.seed(0)

class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.fc1 = paddle.nn.Linear(4, 3); self.fc2 = paddle.nn.Linear(3, 2)
    def forward(self, x):
        return self.fc2(self.fc1(x))

def to_np(t):
    return t.astype('float32').numpy() if t.dtype == paddle.bfloat16 else t.numpy()

def refs(obj, file):
    # flatten: list of [path, name, dtype]; arrays saved as file.<i>.npy in walk order
    out = []
    def walk(x, path):
        if isinstance(x, paddle.Tensor):
            np.save(f'{file}.{len(out)}.npy', to_np(x))
            out.append([path, x.name, str(x.dtype).replace('paddle.', '')])
        elif isinstance(x, dict):
            for k, v in x.items(): walk(v, path + [k])
        elif isinstance(x, (list, tuple)):
            for i, v in enumerate(x): walk(v, path + [i])
    walk(obj, [])
    json.dump(out, open(file + '.json', 'w'))

net = Net()
sched = paddle.optimizer.lr.StepDecay(0.1, step_size=1, gamma=0.5)
opt = paddle.optimizer.Adam(learning_rate=sched, parameters=net.parameters())
for _ in range(2):
    net(paddle.rand([2, 4])).mean().backward(); opt.step(); opt.clear_grad(); sched.step()
sd, osd = net.state_dict(), opt.state_dict()
t = paddle.to_tensor([[1., 2.], [3., 4.]]); t.name = 'mytensor'
nested = {'a': [t, 3, 2.5, 'str', (t,)], 'b': {'c': paddle.to_tensor([1])}, 'n': None}
bf = {'w': paddle.to_tensor([1.0, -2.5, 3.0]).astype('bfloat16')}
bf['w'].name = 'bf_w'
files = {'net.pdparams': sd, 'opt.pdopt': osd, 't.pdtensor': t, 'nested.pd': nested,
         'bf.pdparams': bf}
for f, obj in files.items():
    paddle.save(obj, f); refs(obj, f)
for p in (2, 3, 4):
    paddle.save(sd, f'net_p{p}.pdparams', protocol=p); refs(sd, f'net_p{p}.pdparams')
    paddle.save(nested, f'nested_p{p}.pd', protocol=p); refs(nested, f'nested_p{p}.pd')
paddle.save(t, 't.bin', use_binary_format=True); refs(t, 't.bin')
json.dump(osd['LR_Scheduler'], open('lr.json', 'w'))
print('ok')
"""

_dirs: dict[str, pathlib.Path] = {}


def _written(version, tmp_path_factory) -> pathlib.Path:
    if version not in _dirs:
        d = tmp_path_factory.mktemp(f"pdsave{version.replace('.', '')}")
        assert run_paddle(SCRIPT, version, cwd=d).strip().endswith("ok")
        _dirs[version] = d
    return _dirs[version]


def _get(obj, path):
    for k in path:
        obj = obj[k]
    return obj


def _check(d: pathlib.Path, fname: str, got):
    refs = json.loads((d / f"{fname}.json").read_text())
    assert refs, fname
    for i, (path, name, dtype) in enumerate(refs):
        t = _get(got, path)
        assert isinstance(t, paddle.Tensor), (fname, path, type(t))
        if not fname.endswith(".bin"):  # a DenseTensor stream stores no name
            assert t.name == name, (fname, path, t.name, name)
        assert t.dtype.name == dtype, (fname, path, t.dtype, dtype)
        assert t.stop_gradient
        want = np.load(d / f"{fname}.{i}.npy")
        have = t._t.float().numpy() if dtype == "bfloat16" else t.numpy()
        np.testing.assert_array_equal(have, want, err_msg=f"{fname} {path}")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "fname",
    ["net.pdparams", "opt.pdopt", "t.pdtensor", "nested.pd", "bf.pdparams", "t.bin"]
    + [f"net_p{p}.pdparams" for p in (2, 3, 4)]
    + [f"nested_p{p}.pd" for p in (2, 3, 4)],
)
@pytest.mark.parametrize("mmap", [False, True])
def test_paddle_files_load_with_names_and_values(tmp_path_factory, version, fname, mmap):
    d = _written(version, tmp_path_factory)
    got = load(d / fname, mmap=mmap)
    _check(d, fname, got)
    if fname.startswith("nested"):
        assert got["a"][1:4] == [3, 2.5, "str"] and got["n"] is None


@pytest.mark.parametrize("version", VERSIONS)
def test_paddle_optimizer_dict_keys_and_scheduler(tmp_path_factory, version):
    d = _written(version, tmp_path_factory)
    got = load(d / "opt.pdopt")
    assert got["LR_Scheduler"] == json.loads((d / "lr.json").read_text())
    assert next(iter(got)) == "linear_0.w_0_moment1_0" and "StructuredToParameterName@@" not in got
    bf = load(d / "bf.pdparams")["w"]
    assert bf._t.dtype == torch.bfloat16


def _info_names(prefix: pathlib.Path) -> dict:
    info = formats.load_pdiparams_info(str(prefix) + ".pdiparams.info")
    return {k: v["structured_name"] for k, v in info.items() if "structured_name" in v}


@pytest.mark.parametrize("version", VERSIONS)
def test_load_jit_save_prefix_gives_structured_ndarrays(tmp_path_factory, version):
    root = paddle_models(version, tmp_path_factory)
    names = _info_names(root / "mlp" / "mlp")
    got = load(str(root / "mlp" / "mlp"))
    assert sorted(got) == sorted(names.values()) == ["l1.bias", "l1.weight", "l2.bias", "l2.weight"]
    for var, sname in names.items():
        assert isinstance(got[sname], np.ndarray)
        np.testing.assert_array_equal(got[sname], np.load(root / "mlp" / "npy" / f"{var}.npy"))


@pytest.mark.parametrize("version", VERSIONS)
def test_load_per_variable_dirs_and_single_file(tmp_path_factory, version):
    root = paddle_models(version, tmp_path_factory)
    npy = {p.stem: np.load(p) for p in (root / "st" / "npy").glob("*.npy")}
    for sub in ("persist", "vars"):
        got = load(str(root / sub))
        assert got and set(got) <= set(npy), (sub, sorted(got))
        for k, v in got.items():
            np.testing.assert_array_equal(v, npy[k])
    one = min((root / "vars").iterdir())
    t = load(str(one))
    assert isinstance(t, paddle.Tensor)
    np.testing.assert_array_equal(t.numpy(), npy[one.name])


@pytest.mark.parametrize("version", VERSIONS)
def test_load_static_save_pickles(tmp_path_factory, version):
    root = paddle_models(version, tmp_path_factory)
    params = load(str(root / "st" / "model.pdparams"))
    assert params and all(isinstance(v, paddle.Tensor) for v in params.values())
    for k, v in params.items():
        np.testing.assert_array_equal(v.numpy(), np.load(root / "st" / "npy" / f"{k}.npy"))
    assert isinstance(load(str(root / "st" / "model.pdopt"), return_numpy=True), dict)

"""Models and files written by real Paddle (the oracle), shared by the binary-format tests.

``paddle_models(version, root)`` runs ``SCRIPT`` once per version and pytest session under real
Paddle 2.6 or 3.3 (legacy mode) and returns the directory it wrote. Nothing here is committed:
every file is produced fresh into pytest's tmp dir. Layout (per version directory):

* ``mlp/mlp.{pdmodel,pdiparams,pdiparams.info}``, ``cbn/cbn.*``: ``paddle.jit.save`` of a small
  MLP and of a conv + batch-norm net; ``<model>/npy/<var name>.npy`` its parameters;
  ``<model>/out.npy`` the model's output for ``<model>/in.npy``.
* ``st/model.pdmodel``: ``paddle.static.save`` of a training program (backward + Adam ops).
* ``persist/``: ``paddle.distributed.io.save_persistables`` of that program (one file per var);
  ``vars/``: ``paddle.static.save_vars`` of its parameters; ``st/npy/<name>.npy`` their values.
* ``cf/cf.pdmodel`` (2.6 only): ``save_inference_model`` of a program with ``cond`` and
  ``while_loop``.
* ``t/<dtype>.bin``: ``paddle.save(tensor, use_binary_format=True)`` per dtype; ``t/<dtype>.npy``.
"""

from __future__ import annotations

import pathlib

from tests.oracle import run_paddle

SCRIPT = r"""
import os, json, numpy as np, paddle
from paddle.static import InputSpec
paddle.seed(0); np.random.seed(0)

def dump(d, name, arr):
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, name + '.npy'), np.asarray(arr))

class MLP(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.l1 = paddle.nn.Linear(4, 8); self.l2 = paddle.nn.Linear(8, 3)
    def forward(self, x):
        return self.l2(paddle.nn.functional.relu(self.l1(x)))

class ConvBN(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.conv = paddle.nn.Conv2D(3, 4, 3); self.bn = paddle.nn.BatchNorm2D(4)
    def forward(self, x):
        return paddle.mean(self.bn(self.conv(x)), axis=[2, 3])

for name, layer, shape in (('mlp', MLP(), [None, 4]), ('cbn', ConvBN(), [None, 3, 8, 8])):
    if name == 'cbn':
        layer.bn._mean.set_value(np.random.rand(4).astype('float32'))
        layer.bn._variance.set_value(np.random.rand(4).astype('float32') + 0.5)
    layer.eval()
    x = np.random.rand(2, *shape[1:]).astype('float32')
    dump(name, 'in', x); dump(name, 'out', layer(paddle.to_tensor(x)).numpy())
    paddle.jit.save(layer, f'{name}/{name}', input_spec=[InputSpec(shape, 'float32', 'x')])
    for p in list(layer.parameters()) + list(layer.buffers()):
        dump(f'{name}/npy', p.name, p.numpy())

paddle.enable_static()
main, startup = paddle.static.Program(), paddle.static.Program()
with paddle.static.program_guard(main, startup):
    x = paddle.static.data('x', [None, 4], 'float32')
    y = paddle.static.nn.fc(paddle.static.nn.fc(x, 5, activation='relu'), 2)
    loss = paddle.mean(y)
    paddle.optimizer.Adam(0.01).minimize(loss)
exe = paddle.static.Executor(paddle.CPUPlace())
exe.run(startup)
exe.run(main, feed={'x': np.random.rand(3, 4).astype('float32')}, fetch_list=[loss])
paddle.static.save(main, 'st/model')
paddle.distributed.io.save_persistables(exe, 'persist', main)
paddle.static.save_vars(exe, 'vars', main, predicate=lambda v: v.persistable and
                        v.type == paddle.framework.core.VarDesc.VarType.LOD_TENSOR)
scope = paddle.static.global_scope()
for v in main.list_vars():
    if v.persistable and v.type == paddle.framework.core.VarDesc.VarType.LOD_TENSOR:
        dump('st/npy', v.name, np.array(scope.find_var(v.name).get_tensor()))

cf_main, cf_startup = paddle.static.Program(), paddle.static.Program()
if paddle.__version__.startswith('2.'):  # 3.3's legacy mode cannot trace these (FORMATS 10.14)
  with paddle.static.program_guard(cf_main, cf_startup):
    a = paddle.static.data('a', [2], 'float32')
    out = paddle.static.nn.cond(paddle.sum(a) > 0, lambda: a * 2.0, lambda: a - 1.0)
    i = paddle.full([1], 0, 'int64'); n = paddle.full([1], 3, 'int64')
    i, out = paddle.static.nn.while_loop(lambda i, o: i < n, lambda i, o: [i + 1, o + 1.0],
                                         [i, out])
  exe.run(cf_startup)
  paddle.static.save_inference_model('cf/cf', [a], [out], exe, program=cf_main)
paddle.disable_static()

for dt in ['bool', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'uint8', 'int8',
           'bfloat16', 'complex64', 'complex128']:
    t = paddle.to_tensor(np.arange(6).reshape(2, 3) % 2).astype(dt)
    paddle.save(t, f't/{dt}.bin', use_binary_format=True)
    arr = t.numpy() if dt != 'bfloat16' else t.astype('float32').numpy()
    dump('t', dt, arr)
print('ok')
"""

# dy2static needs the forward's source file: run SCRIPT from a real file, not `python -c`
_LAUNCH = "import runpy\nopen('models.py', 'w').write({script!r})\nrunpy.run_path('models.py')\n"

_done: dict[str, pathlib.Path] = {}


def launch_script(script: str) -> str:
    """Code for ``run_paddle`` that runs ``script`` from a file (needed by ``jit.save``)."""
    return _LAUNCH.format(script=script)


def paddle_models(version: str, tmp_path_factory) -> pathlib.Path:
    """Run SCRIPT under real Paddle ``version`` (once per session) and return its directory."""
    if version not in _done:
        root = tmp_path_factory.mktemp(f"paddle{version.replace('.', '')}")
        out = run_paddle(launch_script(SCRIPT), version, cwd=root, legacy=True)
        assert out.strip().endswith("ok"), out
        _done[version] = root
    return _done[version]

"""Four op kernels checked against real Paddle, eagerly and through ``jit.save`` both ways:

* ``round`` rounds halves away from zero (NOTE [round half away from zero]);
* ``set_value`` with negative steps (NOTE [set_value slices]): eager ``x[::-1] = v``, the kernel
  over a grid of raw (start, end, step) attributes run by Paddle 2.6's executor, and recorded
  programs;
* transposed convs honour ``padding_algorithm`` SAME/VALID (NOTE [conv transpose SAME]);
* ``isnan``/``isinf``/``isfinite``/``logical_not`` record bool outputs, as Paddle 2.6 declares.

For each layer in ``LAYERS``: paddlefish runs it and ``jit.save``s it; real Paddle 2.6 runs the
same source, ``jit.save``s its own program and loads paddlefish's; paddlefish loads Paddle's.
All four results must agree (and Paddle 3.3 loading paddlefish's program, where it rounds alike).
"""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish import formats
from tests.oracle import run_paddle
from tests.oracle.scripts import mismatches, run_both

pytestmark = pytest.mark.oracle

_COMMON = """
import numpy as np
import paddle

TIES = [2.5, -0.5, 0.5, 1.5, -1.5, -2.5, 0.49999997, -0.49999997, 3.7, -3.7, 8388609.0, -0.0]


def flat(r):
    return list(r) if isinstance(r, (list, tuple)) else [r]
"""

LAYERS = {
    "round": """
class Net(paddle.nn.Layer):
    def forward(self, x):
        return paddle.round(x), x.round(), paddle.round(x * 2.0 + 0.5)


SPECS = [([None, 12], "float32")]


def inputs():
    return [np.array([TIES, [v / 2 for v in TIES]], dtype="float32")]
""",
    "setitem": """
class Net(paddle.nn.Layer):
    def forward(self, x, v):
        a = x * 1.0
        a[::-1] = v
        b = x * 1.0
        b[:, 5:1:-2] = 7.0
        c = x * 1.0
        c[1, 10:2:-3] = v[0, :2]
        d = x * 1.0
        d[:, ::-2] = v[:, :4]
        e = x * 1.0
        e[:, -2::-3] = -1.0
        f = x * 1.0
        f[2:0:-1, 6::-4] = v[:2, :2]
        return a, b, c, d, e, f


SPECS = [([3, 8], "float32"), ([3, 8], "float32")]


def inputs():
    return [np.arange(24, dtype="float32").reshape(3, 8),
            np.arange(100, 124, dtype="float32").reshape(3, 8)]
""",
    "setitem_dynamic_batch": """
class Net(paddle.nn.Layer):
    def forward(self, x, v):
        a = x * 1.0
        a[::-1] = v
        b = x * 1.0
        b[-2::-1, 7:0:-3] = 5.0
        c = x * 1.0
        c[3:0:-2] = v[:2]
        return a, b, c


SPECS = [([None, 8], "float32"), ([None, 8], "float32")]


def inputs():
    return [np.arange(32, dtype="float32").reshape(4, 8),
            np.arange(100, 132, dtype="float32").reshape(4, 8)]
""",
    "conv_transpose": """
def _w(shape, seed):
    init = paddle.nn.initializer.Assign(
        np.random.default_rng(seed).standard_normal(shape).astype("float32"))
    return paddle.ParamAttr(initializer=init)


class Net(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.same2 = paddle.nn.Conv2DTranspose(3, 4, 3, stride=2, padding="SAME",
                                               weight_attr=_w([3, 4, 3, 3], 1))
        self.same_even = paddle.nn.Conv2DTranspose(3, 4, 4, stride=2, padding="SAME",
                                                   weight_attr=_w([3, 4, 4, 4], 2))
        self.valid = paddle.nn.Conv2DTranspose(3, 4, 3, stride=2, padding="VALID",
                                               weight_attr=_w([3, 4, 3, 3], 3))
        self.same_nhwc = paddle.nn.Conv2DTranspose(6, 2, 3, stride=3, padding="SAME",
                                                   data_format="NHWC",
                                                   weight_attr=_w([6, 2, 3, 3], 4))
        self.same3d = paddle.nn.Conv3DTranspose(3, 2, 3, stride=2, padding="SAME",
                                                weight_attr=_w([3, 2, 3, 3, 3], 5))

    def forward(self, x, x3):
        y = self.same2(x, output_size=[10, 12])
        nhwc = paddle.transpose(paddle.concat([x, x], axis=1), [0, 2, 3, 1])
        return (self.same2(x), y, self.same_even(x), self.valid(x), self.same_nhwc(nhwc),
                self.same3d(x3))


SPECS = [([None, 3, 5, 6], "float32"), ([None, 3, 3, 4, 5], "float32")]


def inputs():
    rng = np.random.default_rng(0)
    return [rng.standard_normal([2, 3, 5, 6]).astype("float32"),
            rng.standard_normal([2, 3, 3, 4, 5]).astype("float32")]
""",
    "predicates": """
class Net(paddle.nn.Layer):
    def forward(self, x):
        return (paddle.isnan(x), paddle.isinf(x), paddle.isfinite(x),
                paddle.logical_not(paddle.isnan(x)))


SPECS = [([None, 4], "float32")]


def inputs():
    return [np.array([[1.0, np.nan, np.inf, -np.inf], [0.0, -2.0, np.nan, 3.0]], "float32")]
""",
}

_ORACLE = r"""
import json, runpy, sys
import numpy as np, paddle
d = {d!r}
ns = runpy.run_path(d + "/net_pd.py")
paddle.seed(0)
net = ns["Net"]()
net.eval()
xs = [paddle.to_tensor(a) for a in ns["inputs"]()]
res = {{}}
if {save!r}:
    for i, o in enumerate(ns["flat"](net(*xs))):
        res[f"eager_{{i}}"] = o.numpy()
    specs = [paddle.static.InputSpec(s, t, f"x{{i}}") for i, (s, t) in enumerate(ns["SPECS"])]
    paddle.jit.save(net, d + "/pd/model", input_spec=specs)
loaded = paddle.jit.load(d + "/pf/model")
for i, o in enumerate(ns["flat"](loaded(*xs))):
    res[f"pf_{{i}}"] = o.numpy()
np.savez(d + "/paddle_" + paddle.__version__[:3] + ".npz", **res)
print("ok")
"""


def _as_paddlefish(src: str) -> str:
    return src.replace("import paddle\n", "import paddlefish as paddle\n")


def _load(path):
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def _bool_vars(prefix: str) -> list:
    """(op type, output dtype) of every predicate op in a saved program, in order."""
    block = formats.load_program_desc(prefix + ".pdmodel").global_block()
    kinds = ("isnan_v2", "isinf_v2", "isfinite_v2", "logical_not")
    return [
        (op.type, str(block.vars[op.outputs["Out"][0]].dtype))
        for op in block.ops
        if op.type in kinds
    ]


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_eager_and_saved_programs_match_paddle(tmp_path, name):
    src = _COMMON + LAYERS[name]
    (tmp_path / "net_pd.py").write_text(src)
    (tmp_path / "net_pf.py").write_text(_as_paddlefish(src))
    ns = runpy.run_path(str(tmp_path / "net_pf.py"))
    paddle.seed(0)
    net = ns["Net"]()
    net.eval()
    xs = [paddle.to_tensor(a) for a in ns["inputs"]()]
    ours = {f"eager_{i}": o.numpy() for i, o in enumerate(ns["flat"](net(*xs)))}
    specs = [paddle.static.InputSpec(s, t, f"x{i}") for i, (s, t) in enumerate(ns["SPECS"])]
    paddle.jit.save(net, str(tmp_path / "pf" / "model"), input_spec=specs)
    ours.update(
        {
            f"pf_{i}": o.numpy()
            for i, o in enumerate(ns["flat"](paddle.jit.load(str(tmp_path / "pf" / "model"))(*xs)))
        }
    )
    run_paddle(_ORACLE.format(d=str(tmp_path), save=True), "2.6", cwd=tmp_path)
    theirs = _load(tmp_path / "paddle_2.6.npz")
    loaded_pd = paddle.jit.load(str(tmp_path / "pd" / "model"))
    for i, o in enumerate(ns["flat"](loaded_pd(*xs))):
        ours[f"pd_{i}"] = o.numpy()
    n = len([k for k in ours if k.startswith("eager_")])
    # every one of ours (eager, pf saved+loaded by us, pd loaded by us) against Paddle's eager,
    # and Paddle 2.6 running paddlefish's program against Paddle's eager
    want = {f"{kind}_{i}": theirs[f"eager_{i}"] for kind in ("eager", "pf", "pd") for i in range(n)}
    assert mismatches(ours, want, 1e-5, 1e-5) == []
    assert (
        mismatches(
            {k: theirs[k] for k in theirs if k.startswith("pf_")},
            {f"pf_{i}": theirs[f"eager_{i}"] for i in range(n)},
            1e-5,
            1e-5,
        )
        == []
    )
    if name == "predicates":
        assert _bool_vars(str(tmp_path / "pf" / "model")) == _bool_vars(
            str(tmp_path / "pd" / "model")
        )
    if name != "round":  # Paddle 3.x rounds halves to even (NOTE [round half away from zero])
        run_paddle(_ORACLE.format(d=str(tmp_path), save=False), "3.3", cwd=tmp_path, legacy=True)
        t33 = _load(tmp_path / "paddle_3.3.npz")
        assert mismatches(t33, {f"pf_{i}": theirs[f"eager_{i}"] for i in range(n)}) == []


ROUND_EAGER = """
import numpy as np
TIES = [2.5, -0.5, 0.5, 1.5, -1.5, -2.5, 0.49999997, -0.49999997, 3.7, -3.7, 8388609.0, -0.0,
        1e8 + 1, float("inf"), -float("inf"), float("nan"), 4503599627370497.0]


def run(paddle):
    x32 = paddle.to_tensor(np.array(TIES, "float32"))
    x64 = paddle.to_tensor(np.array(TIES + [0.49999999999999994, 2.5000000000000004], "float64"))
    x = paddle.to_tensor(np.array(TIES, "float32"), stop_gradient=False)
    y = paddle.round(x * 3.0)
    y.sum().backward()
    return {"f32": paddle.round(x32).numpy(), "f64": x64.round().numpy(),
            "grad": x.grad.numpy(), "half": paddle.round(x32 / 2).numpy()}
"""


def test_round_eager_matches_paddle_26(tmp_path):
    ours, theirs = run_both(ROUND_EAGER, "2.6", tmp_path)
    assert sorted(ours) == sorted(theirs)
    for k in ours:  # NaN where Paddle has NaN
        assert ours[k].dtype == theirs[k].dtype, k
        np.testing.assert_array_equal(ours[k], theirs[k], err_msg=k)
    for k in ("f32", "f64"):  # and -0.0 where it has -0.0 (std::round keeps the sign)
        np.testing.assert_array_equal(np.signbit(ours[k]), np.signbit(theirs[k]), err_msg=k)


SETITEM_EAGER = """
import numpy as np
SLICES = [(None, None, -1), (5, 1, -2), (6, 1, -2), (7, 0, -3), (-2, None, -1), (10, 2, -1),
          (None, None, -2), (5, -3, -1), (3, -20, -1), (None, None, -3), (6, None, -4)]


def run(paddle):
    out = {}
    for i, (a, b, c) in enumerate(SLICES):
        sl = slice(a, b, c)
        n = len(range(*sl.indices(8)))
        x = paddle.arange(16, dtype="float32").reshape([2, 8])
        x[:, sl] = paddle.to_tensor(np.arange(100, 100 + n, dtype="float32"))
        out[f"t{i}"] = x.numpy()
        y = paddle.zeros([8, 3], dtype="int64")
        y[sl, 1] = 9
        out[f"s{i}"] = y.numpy()
    return out
"""


def test_setitem_negative_steps_eager_matches_paddle_26(tmp_path):
    ours, theirs = run_both(SETITEM_EAGER, "2.6", tmp_path)
    assert mismatches(ours, theirs, 0, 0) == []


_GRID_VALUES = [2**31 - 1, -(2**31), -20, -9, -8, -2, -1, 0, 1, 5, 7, 8, 10]
_GRID = [(s, e, st) for s in _GRID_VALUES for e in _GRID_VALUES for st in (-1, -3, 1, 2)]

_GRID_ORACLE = r"""
import json
import numpy as np, paddle
paddle.enable_static()
exe = paddle.static.Executor(paddle.CPUPlace())
res = {{}}
for s, e, st in {grid!r}:
    main = paddle.static.Program()
    with paddle.static.program_guard(main, paddle.static.Program()):
        x = paddle.static.data("x", [2, 8], "float32")
        blk = main.global_block()
        out = blk.create_var(name="o", dtype="float32", shape=[2, 8])
        blk.append_op(type="set_value", inputs={{"Input": x}}, outputs={{"Out": out}},
                      attrs={{"axes": [1], "starts": [s], "ends": [e], "steps": [st],
                              "decrease_axes": [], "none_axes": [], "dtype": paddle.float32,
                              "shape": [1], "values": [5.0]}})
    try:
        r, = exe.run(main, feed={{"x": np.zeros([2, 8], "float32")}}, fetch_list=[out])
        res[str((s, e, st))] = r.tolist()
    except ValueError:
        res[str((s, e, st))] = "error"
print(json.dumps(res))
"""


def test_set_value_kernel_attribute_grid_matches_paddle_26():
    """The kernel the executor runs, over raw attributes (Paddle-written programs hold any)."""
    import torch

    from paddlefish.ops import get

    theirs = json.loads(run_paddle(_GRID_ORACLE.format(grid=_GRID), "2.6").strip().splitlines()[-1])
    kernel = get("set_value").kernel
    bad = []
    for s, e, st in _GRID:
        try:
            got = kernel(
                torch.zeros(2, 8),
                axes=[1],
                starts=[s],
                ends=[e],
                steps=[st],
                shape=[1],
                values=[5.0],
            ).tolist()
        except ValueError:
            got = "error"
        if got != theirs[str((s, e, st))]:
            bad.append(f"{(s, e, st)}: ours {got}, Paddle 2.6 {theirs[str((s, e, st))]}")
    assert bad == [], "\n".join(bad[:20])


CONV_T_EAGER = """
import numpy as np
CASES = [  # (nd, spatial, k, stride, padding, dilation, output_size, data_format, groups)
    (2, [5, 6], 3, 2, "SAME", 1, None, "NCHW", 1),
    (2, [5, 6], 4, 2, "SAME", 1, None, "NCHW", 1),
    (2, [5, 6], 3, 1, "SAME", 2, None, "NCHW", 1),
    (2, [5, 6], 3, 3, "SAME", 1, None, "NHWC", 1),
    (2, [5, 6], 3, 2, "SAME", 1, [10, 12], "NCHW", 1),
    (2, [5, 6], 3, 2, "VALID", 1, None, "NCHW", 1),
    (2, [5, 6], 3, 2, "VALID", 2, [14, 15], "NCHW", 1),
    (2, [5, 6], 3, 2, [1, 2, 0, 1], 1, None, "NCHW", 1),
    (2, [5, 6], 3, 2, 1, 1, [10, 11], "NCHW", 1),
    (2, [5, 6], 3, 2, "SAME", 1, None, "NCHW", 2),
    (3, [3, 4, 5], 3, 2, "SAME", 1, None, "NCDHW", 1),
    (3, [3, 4, 5], 2, 2, "VALID", 1, None, "NDHWC", 1),
    (1, [7], 3, 2, "SAME", 1, None, "NCL", 1),
]


def run(paddle):
    F = paddle.nn.functional
    rng = np.random.default_rng(0)
    out = {}
    for i, (nd, sp, k, s, p, d, osz, fmt, g) in enumerate(CASES):
        cin, cout = 4, 6
        shape = [2, cin, *sp] if fmt[1] == "C" else [2, *sp, cin]
        x = paddle.to_tensor(rng.standard_normal(shape).astype("float32"))
        w = paddle.to_tensor(rng.standard_normal([cin, cout // g] + [k] * nd).astype("float32"))
        fn = {1: F.conv1d_transpose, 2: F.conv2d_transpose, 3: F.conv3d_transpose}[nd]
        out[f"c{i}"] = fn(x, w, stride=s, padding=p, dilation=d, output_size=osz,
                          data_format=fmt, groups=g).numpy()
    return out
"""


@pytest.mark.parametrize("version", ["2.6", "3.3"])
def test_conv_transpose_padding_algorithms_match_paddle(tmp_path, version):
    ours, theirs = run_both(CONV_T_EAGER, version, tmp_path)
    assert mismatches(ours, theirs, 1e-4, 1e-4) == []


def test_conv_transpose_output_size_out_of_range_is_refused():
    x, w = paddle.ones([1, 2, 5, 5]), paddle.ones([2, 3, 3, 3])
    with pytest.raises(ValueError, match=r"output_size\[0\] = 12 must be in \[9, 11\)"):
        paddle.nn.functional.conv2d_transpose(x, w, stride=2, padding="SAME", output_size=[12, 9])

"""``paddlefish graph MODEL -o OUT``: Graphviz pictures and plain-text listings of programs.

Covers paddlefish's legacy exports (zoo CNN, control flow), real Paddle 3.3's PIR ``.json`` with
``if``/``while`` (one Paddle subprocess), a 1.x ``__model__`` directory, the fallback without
Graphviz and files that are not models.
"""

from __future__ import annotations

import builtins
import re
import runpy
import shutil
import textwrap

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.cli import main
from paddlefish.static import InputSpec
from tests.inference.test_predictor import as_paddlefish
from tests.jit.zoo import ZOO
from tests.oracle import run_paddle

CONTROL = textwrap.dedent('''
    import paddle


    class Loop(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = paddle.nn.Linear(4, 4)

        def forward(self, x, n):
            i = paddle.zeros([1], "int64")
            while i < n:
                x = self.fc(x) * 2.0
                i = i + 1
            if x.mean() > 0:
                x = x + 1.0
            return x
''')
SPECS = "[InputSpec([-1, 4], 'float32', 'x'), InputSpec([1], 'int64', 'n')]"


def _lenet(tmp_path):
    src = tmp_path / "m_lenet.py"
    src.write_text(as_paddlefish(ZOO["lenet"]))
    layer, specs, _ = runpy.run_path(str(src))["build"]()
    layer.eval()
    prefix = str(tmp_path / "lenet")
    paddle.jit.save(layer, prefix, input_spec=specs)
    return prefix


@pytest.fixture(scope="module")
def control_models(tmp_path_factory):
    """paddlefish's legacy export and real Paddle 3.3's PIR export of the same if/while model."""
    d = tmp_path_factory.mktemp("graph")
    (d / "pf_control.py").write_text(CONTROL.replace("import paddle\n", "import paddlefish as paddle\n"))
    (d / "pd_control.py").write_text(CONTROL)
    import importlib.util

    spec = importlib.util.spec_from_file_location("pf_control", d / "pf_control.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    specs = [InputSpec([-1, 4], "float32", "x"), InputSpec([1], "int64", "n")]
    paddle.jit.save(mod.Loop(), str(d / "pf"), input_spec=specs)
    run_paddle(f"""
import sys; sys.path.insert(0, '.')
import paddle
from paddle.static import InputSpec
import pd_control
paddle.jit.save(paddle.jit.to_static(pd_control.Loop(), input_spec={SPECS}, full_graph=True),
                'pd', input_spec={SPECS})
""", "3.3", cwd=d)
    return d


def test_text_listing_of_a_cnn_names_ops_shapes_and_parameters(tmp_path, capsys):
    prefix = _lenet(tmp_path)
    assert main(["graph", prefix, "-o", str(tmp_path / "g.txt")]) == 0
    assert f"wrote {tmp_path / 'g.txt'}" in capsys.readouterr().out
    text = (tmp_path / "g.txt").read_text()
    lines = text.splitlines()
    assert lines[0].startswith(f"{prefix}.pdmodel: 1 block(s)")
    sd = paddle.jit.load(prefix).state_dict()
    n_values = sum(int(np.prod(v.shape)) for v in sd.values())
    assert f"{len(sd)} parameters ({n_values:,} values)" in lines[0]
    assert lines[1] == "inputs:  image float32[-1, 1, 28, 28]"
    conv = next(line for line in lines if line.strip().startswith("conv2d("))
    # parameter names count up across the process (unique_name), so match any index
    assert re.search(r"Filter=conv2d_\d+\.w_0\(param float32\[6, 1, 3, 3\]\)", conv), conv
    assert re.search(r"-> conv2d_\d+\.tmp_0 float32\[-1, 6, 28, 28\]", conv), conv
    assert "strides=[1, 1]" in conv


def test_control_flow_blocks_are_shown_legacy_and_real_pir(control_models, tmp_path):
    for model, kinds in [(control_models / "pf.pdmodel", ["while", "conditional_block"]),
                         (control_models / "pd.json", ["while", "conditional_block"])]:
        out = tmp_path / (model.stem + ".txt")
        assert main(["graph", str(model), "-o", str(out)]) == 0
        text = out.read_text()
        for k in kinds:
            assert f"  {k}(" in text, (model, text)
        assert "    block 1 (parent 0):" in text  # the loop body, indented under its op
        assert "matmul_v2(" in text and "param float32[4, 4]" in text
        dot = tmp_path / (model.stem + ".dot")
        assert main(["graph", str(model), "-o", str(dot)]) == 0
        src = dot.read_text()
        assert src.startswith("digraph program {") and "subgraph cluster_b1 {" in src
        assert 'label="block 1 (while)"' in src and "style=dashed" in src


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_is_drawn_by_graphviz(control_models, tmp_path):
    out = tmp_path / "pd.svg"
    assert main(["graph", str(control_models / "pd.json"), "-o", str(out)]) == 0
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "block 1 (while)" in svg and "matmul_v2" in svg and "float32[4, 4]" in svg


def test_without_graphviz_the_text_and_dot_are_written_and_said(tmp_path, capsys, monkeypatch):
    prefix = _lenet(tmp_path)
    real = builtins.__import__

    def no_graphviz(name, *a, **k):
        if name == "graphviz":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_graphviz)
    monkeypatch.setattr(shutil, "which", lambda *_a, **_k: None)
    assert main(["graph", prefix, "-o", str(tmp_path / "m.svg")]) == 0
    cap = capsys.readouterr()
    assert "'dot' program was not found" in cap.err and "apt install graphviz" in cap.err
    assert f"wrote {tmp_path / 'm.txt'}" in cap.out and not (tmp_path / "m.svg").exists()
    assert "conv2d(" in (tmp_path / "m.txt").read_text()
    assert (tmp_path / "m.dot").read_text().startswith("digraph")


def test_a_1x_directory_opens(tmp_path):
    prefix = _lenet(tmp_path)
    (tmp_path / "old").mkdir()
    shutil.copy(prefix + ".pdmodel", tmp_path / "old" / "__model__")
    assert main(["graph", str(tmp_path / "old"), "-o", str(tmp_path / "o.txt")]) == 0
    assert "__model__: 1 block(s)" in (tmp_path / "o.txt").read_text()


def test_not_a_model_and_unknown_suffix_are_clear_errors(tmp_path, capsys):
    paddle.save({"w": paddle.ones([1])}, str(tmp_path / "w.pdparams"))
    assert main(["graph", str(tmp_path / "w.pdparams"), "-o", str(tmp_path / "g.txt")]) == 1
    err = capsys.readouterr().err
    assert "w.pdparams" in err and "not a model program" in err
    prefix = _lenet(tmp_path)
    assert main(["graph", prefix, "-o", str(tmp_path / "g.jpeg")]) == 1
    assert ".svg" in capsys.readouterr().err

"""``base_code.trainable: false`` in a PIR program (NOTE [PIR trainable]): inference works, a call
after ``train()`` raises Paddle 3.3's ``ValueError``, against files real Paddle 3.3 writes.

Real Paddle writes such a file with ``paddle.static.save_inference_model(..., trainable=False)``
and then cannot load it itself (the ``p`` ops lose their ``OA`` flags); Paddle's ``train()``
refusal is seen on a ``jit.save`` file whose flag was switched to false by hand (FORMATS.md 6.1).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import paddlefish as paddle
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle

_WRITE = r"""
import json, os, shutil, numpy as np, paddle
X = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
rep = {}
paddle.enable_static()
paddle.seed(0)
main, startup = paddle.static.Program(), paddle.static.Program()
with paddle.static.program_guard(main, startup):
    x = paddle.static.data("x", [None, 4], "float32")
    y = paddle.nn.functional.relu(paddle.nn.Linear(4, 3)(x))
exe = paddle.static.Executor(paddle.CPUPlace())
exe.run(startup)
rep["static_ref"] = exe.run(main, feed={"x": X}, fetch_list=[y])[0].tolist()
paddle.static.save_inference_model("nt/model", [x], [y], exe, program=main, trainable=False)
paddle.disable_static()
try:
    paddle.jit.load("nt/model")
    rep["paddle_loads_own_file"] = "loaded"
except Exception as e:
    rep["paddle_loads_own_file"] = f"{type(e).__name__}: {str(e)[:200]}"
paddle.seed(0)
lin = paddle.nn.Linear(4, 3)
paddle.jit.save(lin, "edit/model", input_spec=[paddle.static.InputSpec([None, 4], "float32", "x")])
doc = json.load(open("edit/model.json"))
doc["base_code"]["trainable"] = False
json.dump(doc, open("edit/model.json", "w"))
m = paddle.jit.load("edit/model")
rep["edit_eval"] = m(paddle.to_tensor(X)).numpy().tolist()
m.train()
try:
    m(paddle.to_tensor(X))
    rep["edit_train"] = "ran"
except Exception as e:
    rep["edit_train"] = [type(e).__name__, str(e)]
print(json.dumps(rep))
"""
X = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("pir_trainable")
    out = run_paddle(_WRITE, "3.3", cwd=root)
    return root, json.loads(out.strip().splitlines()[-1])


def test_paddle_written_not_trainable_file_runs_inference_only(written, tmp_path):
    root, rep = written
    base = json.loads((root / "nt" / "model.json").read_text())["base_code"]
    assert base["trainable"] is False
    # what Paddle 3.3 itself does with its own file (see NOTE [PIR trainable])
    assert "number of variables" in rep["paddle_loads_own_file"], rep["paddle_loads_own_file"]
    m = paddle.jit.load(str(root / "nt" / "model"))
    np.testing.assert_allclose(m(paddle.to_tensor(X)).numpy(), rep["static_ref"], rtol=1e-5)
    assert len(m.parameters()) == 2
    m.train()
    with pytest.raises(ValueError, match="The model is not trainable"):
        m(paddle.to_tensor(X))
    m.eval()
    np.testing.assert_allclose(m(paddle.to_tensor(X)).numpy(), rep["static_ref"], rtol=1e-5)


def test_train_is_refused_with_paddles_message(written, tmp_path):
    root, rep = written
    shutil.copytree(root / "edit", tmp_path / "edit")
    m = paddle.jit.load(str(tmp_path / "edit" / "model"))
    np.testing.assert_allclose(m(paddle.to_tensor(X)).numpy(), rep["edit_eval"], rtol=1e-5)
    m.train()
    with pytest.raises(ValueError) as e:
        m(paddle.to_tensor(X))
    assert [type(e.value).__name__, str(e.value)] == rep["edit_train"]
    # the same file with trainable true fine-tunes
    doc = json.loads((tmp_path / "edit" / "model.json").read_text())
    doc["base_code"]["trainable"] = True
    (tmp_path / "edit" / "model.json").write_text(json.dumps(doc))
    m = paddle.jit.load(str(tmp_path / "edit" / "model"))
    m.train()
    loss = m(paddle.to_tensor(X)).sum()
    loss.backward()
    assert all(p.grad is not None for p in m.parameters())

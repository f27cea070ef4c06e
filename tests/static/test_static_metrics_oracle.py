"""``paddle.static.accuracy`` / ``auc`` against real Paddle 2.6: the program Paddle builds (op
types, persistable state names and shapes), the values over several ``Executor.run`` calls (the
AUC histograms accumulate across runs), and files crossing in both directions: Paddle's
``static.save`` prefix and ``save_inference_model`` directory taken after 2 batches run the
remaining batches here with Paddle's values, and ours run in Paddle. ``SOURCE`` runs unchanged
on both sides; one Paddle subprocess per direction (module-scoped)."""

from __future__ import annotations

import doctest
import json

import numpy as np
import pytest

import paddlefish as paddle
from paddlefish.static import _ema, _extras, _metrics
from tests.oracle import run_paddle

pytestmark = pytest.mark.oracle

SOURCE = '''
import numpy as np

N_BATCHES, SPLIT = 5, 2


def build(train=False):
    """fc -> softmax -> top-1/top-2 accuracy; fc -> softmax -> auc (batch AUC over 2 steps);
    ``train``: each run is also an SGD step on the cross entropy of the first softmax."""
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.utils.unique_name.guard():
        with paddle.static.program_guard(main, startup):
            x = paddle.static.data("x", [None, 4], "float32")
            y = paddle.static.data("y", [None, 1], "int64")
            p = paddle.nn.functional.softmax(paddle.static.nn.fc(x, 3))
            acc1 = paddle.static.accuracy(p, y, k=1)
            acc2 = paddle.static.accuracy(p, y, k=2)
            block = main.current_block()
            correct = block.create_var(name="n_correct", dtype="int32", shape=[1])
            total = block.create_var(name="n_total", dtype="int32", shape=[1])
            paddle.static.accuracy(p, y, k=3, correct=correct, total=total)
            p2 = paddle.nn.functional.softmax(paddle.static.nn.fc(x, 2))
            auc_out, batch_auc, states = paddle.static.auc(p2, y, num_thresholds=200,
                                                           slide_steps=2)
            if train:
                loss = paddle.mean(paddle.nn.functional.cross_entropy(p, y, use_softmax=False)
                                   + paddle.nn.functional.cross_entropy(p2, y, use_softmax=False))
                paddle.optimizer.SGD(0.5).minimize(loss)
    return main, startup, [x, y], [acc1, acc2, auc_out, batch_auc], states


def set_params(main):
    scope = paddle.static.global_scope()
    rng = np.random.RandomState(7)
    for v in sorted(main.all_parameters(), key=lambda v: v.name):
        t = scope.find_var(v.name).get_tensor()
        t.set((rng.rand(*np.array(t).shape) * 2 - 1).astype("float32"), paddle.CPUPlace())


def batches():
    rng = np.random.RandomState(11)
    return [{"x": rng.rand(8, 4).astype("float32"),
             "y": rng.randint(0, 3, (8, 1)).astype("int64") % 2} for _ in range(N_BATCHES)]


def run_batches(exe, program, fetch, which):
    """{"b<i>_<j>": j-th fetched value of batch i} for the batches ``which``."""
    out = {}
    for i in which:
        vals = exe.run(program, feed=batches()[i], fetch_list=fetch)
        out.update({f"b{i}_{j}": np.asarray(v) for j, v in enumerate(vals)})
    return out


def describe(main):
    return {"ops": [op.type for op in main.global_block().ops],
            "state": [[v.name, list(v.shape), str(v.dtype)] for v in main.list_vars()
                      if v.persistable and not v.name.startswith("fc_")]}


def native(train=False):
    """Every batch from the start: the reference values."""
    main, startup, _, targets, states = build(train)
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        return run_batches(exe, main, targets + states + ["n_correct", "n_total"],
                           range(N_BATCHES))


def save_after_split(d):
    """Run the first SPLIT batches, then ``static.save`` (``d/ck``) and
    ``save_inference_model`` (``d/inf``)."""
    main, startup, feeds, targets, states = build()
    exe = paddle.static.Executor(paddle.CPUPlace())
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        set_params(main)
        run_batches(exe, main, targets, range(SPLIT))
        paddle.static.save(main, d + "/ck")
        paddle.static.save_inference_model(d + "/inf", feeds, targets, exe, program=main)


def resume(d):
    """The remaining batches from the files ``save_after_split(d)`` wrote: a rebuilt program
    ``static.load``ed (``ck_*``), and the inference program (``inf_*``)."""
    main, startup, _, targets, states = build()
    exe = paddle.static.Executor(paddle.CPUPlace())
    rest = range(SPLIT, N_BATCHES)
    with paddle.static.scope_guard(paddle.static.Scope()):
        exe.run(startup)
        paddle.static.load(main, d + "/ck", exe)
        ck = run_batches(exe, main, targets + states, rest)
    with paddle.static.scope_guard(paddle.static.Scope()):
        prog, feed_names, fetch = paddle.static.load_inference_model(d + "/inf", exe)
        assert sorted(feed_names) == ["x", "y"], feed_names
        inf = run_batches(exe, prog, fetch, rest)
    out = {"ck_" + k: v for k, v in ck.items()}
    out.update({"inf_" + k: v for k, v in inf.items()})
    return out
'''

NS: dict = {"paddle": paddle}
exec(SOURCE, NS)  # noqa: S102 - our own test source, shared with the oracle script

ORACLE = "import json, os, numpy as np, paddle\npaddle.enable_static()\n" + SOURCE + '''
np.savez("native.npz", **native())
np.savez("native_train.npz", **native(train=True))
os.makedirs("pd", exist_ok=True)
save_after_split("pd")
np.savez("pd_resume.npz", **resume("pd"))
print(json.dumps(describe(build()[0])))
'''

RESUME = "import os, numpy as np, paddle\npaddle.enable_static()\n" + SOURCE + '''
np.savez("pf_resume.npz", **resume("pf"))
'''


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    d = tmp_path_factory.mktemp("static_metrics26")
    out = run_paddle(ORACLE, "2.6", cwd=d)
    return d, json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def static():
    paddle.enable_static()
    try:
        yield
    finally:
        paddle.disable_static()


def _assert_close(got: dict, ref: dict, what: str) -> None:
    assert sorted(got) == sorted(ref), what
    for k, want in ref.items():
        assert got[k].dtype == want.dtype and got[k].shape == want.shape, (what, k)
        np.testing.assert_allclose(got[k], want, rtol=1e-6, err_msg=f"{what}: {k}")


def _rest(ref: dict, n_fetch: int) -> dict:
    """The reference values of the batches after the split, first ``n_fetch`` fetches each."""
    return {k: v for k, v in ref.items()
            if int(k[1:].split("_")[0]) >= NS["SPLIT"] and int(k.split("_")[1]) < n_fetch}


def test_program_is_the_one_paddle_26_builds(oracle, static):
    _, desc = oracle
    got = NS["describe"](NS["build"]()[0])
    assert got["ops"] == desc["ops"]
    assert got["ops"].count("auc") == 2 and "top_k_v2" in got["ops"]
    assert [s[:2] for s in got["state"]] == [s[:2] for s in desc["state"]]
    assert [s[0] for s in got["state"]] == [f"_generated_var_{i}" for i in range(4)]


def test_accuracy_and_auc_over_batches_equal_paddle_26(oracle, static):
    d, _ = oracle
    ref = dict(np.load(d / "native.npz"))
    _assert_close(NS["native"](), ref, "5 batches")
    # the AUC accumulates: the global AUC of the last batch is not the last batch's own AUC
    last = NS["N_BATCHES"] - 1
    assert ref[f"b{last}_2"] != ref[f"b{last}_3"]


def test_accuracy_and_auc_in_a_training_program_equal_paddle_26(oracle, static):
    d, _ = oracle
    ref = dict(np.load(d / "native_train.npz"))
    _assert_close(NS["native"](train=True), ref, "5 training batches")
    fixed = dict(np.load(d / "native.npz"))
    assert not np.allclose(ref["b4_2"], fixed["b4_2"])  # the training changed the predictions


def test_paddle_26_static_save_and_inference_model_run_here(oracle, static):
    d, _ = oracle
    ref = dict(np.load(d / "native.npz"))
    pd_resume = dict(np.load(d / "pd_resume.npz"))
    got = NS["resume"](str(d / "pd"))
    _assert_close(got, pd_resume, "Paddle's files, resumed")
    _assert_close({k[3:]: v for k, v in got.items() if k.startswith("ck_")}, _rest(ref, 8),
                  "static.load, resumed")
    _assert_close({k[4:]: v for k, v in got.items() if k.startswith("inf_")}, _rest(ref, 4),
                  "load_inference_model, resumed")


def test_paddlefish_files_run_in_paddle_26(oracle, static, tmp_path):
    d, _ = oracle
    (tmp_path / "pf").mkdir()
    NS["save_after_split"](str(tmp_path / "pf"))
    ours = NS["resume"](str(tmp_path / "pf"))
    run_paddle(RESUME, "2.6", cwd=tmp_path)
    theirs = dict(np.load(tmp_path / "pf_resume.npz"))
    _assert_close(theirs, ours, "paddlefish's files in Paddle")
    _assert_close(theirs, dict(np.load(d / "pd_resume.npz")), "paddlefish's files vs Paddle's")


@pytest.mark.parametrize("module", [_metrics, _ema, _extras], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    finally:
        paddle.disable_static()
    assert result.attempted > 0 and result.failed == 0, result

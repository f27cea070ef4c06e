"""Tests for paddlefish.optimizer.lr: unit tests per scheduler, and the oracle comparison.

The oracle tests build every scheduler of ``CASES`` in real Paddle (one subprocess per version),
record the lr sequence over 30 ``step()`` calls, ``state_dict()`` fresh and after 7 steps (as JSON
with type tags, so float vs int vs numpy types are compared), and lrs after explicit
``step(epoch=k)`` jumps. paddlefish must reproduce all of it, continue Paddle's saved state exactly,
and Paddle must continue paddlefish's saved state.
"""

from __future__ import annotations

import inspect
import json
import textwrap
import warnings

import numpy as np
import pytest

from paddlefish.optimizer import lr
from tests.oracle import available, run_paddle

# --------------------------------------------------------------------------------------------
# Harness shared with the oracle: these functions are sent to the Paddle subprocess as source
# (inspect.getsource), so they use only json/numpy and take the scheduler module as an argument.
# --------------------------------------------------------------------------------------------


def _fns():
    return {
        "exp95": lambda e: 0.95**e,
        "mod3": lambda e: 0.5 if e % 3 == 0 else 1.0,
        "const9": lambda e: 0.9,
        "halving": lambda x: 1 / (2.0 ** (x - 1)),
        "decay_it": lambda x: 0.97**x,
    }


def _build(lr, spec):
    name, kwargs = spec
    args = {}
    for key, value in kwargs.items():
        if isinstance(value, dict) and "$fn" in value:
            value = _fns()[value["$fn"]]
        elif isinstance(value, dict) and "$sched" in value:
            value = _build(lr, value["$sched"])
        args[key] = value
    return getattr(lr, name)(**args)


def _encode(v):
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, np.ndarray):
        return {"t": "ndarray", "dtype": v.dtype.name, "shape": list(v.shape), "v": v.tolist()}
    if isinstance(v, np.generic):
        return {"t": "np." + v.dtype.name, "v": v.item()}
    if isinstance(v, int):
        return {"t": "int", "v": v}
    if isinstance(v, float):
        return {"t": "float", "v": v}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[k, _encode(x)] for k, x in v.items()]}
    return {"t": "other", "type": type(v).__name__, "v": repr(v)}


def _decode(e):
    t = e["t"]
    if t == "none":
        return None
    if t in ("bool", "int", "float"):
        return {"bool": bool, "int": int, "float": float}[t](e["v"])
    if t == "ndarray":
        return np.array(e["v"], dtype=e["dtype"]).reshape(e["shape"])
    if t.startswith("np."):
        return np.dtype(t[3:]).type(e["v"])
    if t == "dict":
        return {k: _decode(x) for k, x in e["v"]}
    raise ValueError(f"cannot decode {e}")


def _metric(kind, x, make_tensor):
    if kind == "float":
        return float(x)
    if kind == "int":
        return round(x * 100)
    if kind in ("np32", "np64"):
        return {"np32": np.float32, "np64": np.float64}[kind](x)
    if kind in ("arr32", "arr64"):
        return np.array([x], dtype={"arr32": "float32", "arr64": "float64"}[kind])
    if kind == "tensor":
        return make_tensor(x)
    raise ValueError(kind)


def _advance(s, case, i, make_tensor, metrics):
    kind = case.get("metrics")
    if kind is None:
        s.step()
    else:
        s.step(_metric(kind, metrics[i], make_tensor))


def _run_case(lr, case, make_tensor, metrics, steps, cut):
    s = _build(lr, case["spec"])
    out = {"state0": _encode(s.state_dict()), "seq": [_encode(s())]}
    raw_cut = None
    for i in range(steps):
        _advance(s, case, i, make_tensor, metrics)
        out["seq"].append(_encode(s()))
        if i + 1 == cut:
            raw_cut = s.state_dict()
            out["state_cut"] = _encode(raw_cut)
    out["resumed"] = _continue(lr, case, raw_cut, make_tensor, metrics, steps, cut)
    j = _build(lr, case["spec"])
    out["jumps"] = []
    for ep in (3, 10, 4, 0, 12, 29):
        if case.get("metrics") is None:
            j.step(epoch=ep)
        else:
            j.step(_metric(case["metrics"], metrics[ep], make_tensor), epoch=ep)
        out["jumps"].append([_encode(j.last_epoch), _encode(j())])
    return out


def _continue(lr, case, state, make_tensor, metrics, steps, cut):
    s = _build(lr, case["spec"])
    s.set_state_dict(state)
    seq = []
    for i in range(cut, steps):
        _advance(s, case, i, make_tensor, metrics)
        seq.append(_encode(s()))
    return seq


_HARNESS = [_fns, _build, _encode, _decode, _metric, _advance, _run_case, _continue]

# --------------------------------------------------------------------------------------------
# The cases: (id, spec, metrics kind for ReduceOnPlateau)
# --------------------------------------------------------------------------------------------

STEPS, CUT = 30, 7
METRICS = [
    1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.85, 0.8, 0.79995, 0.79992, 0.8, 0.81,
    0.7, 0.7, 0.7, 0.7, 0.69, 0.71, 0.5, 0.5, 0.6, 0.55, 0.5, 0.49999, 0.45,
    0.45, 0.46, 0.47, 0.3, 0.3,
]  # fmt: skip


def _c(name, metrics=None, **kwargs):
    return {"spec": [name, kwargs], "metrics": metrics}


def _fn(name):
    return {"$fn": name}


def _sched(name, **kwargs):
    return {"$sched": [name, kwargs]}


RP = "ReduceOnPlateau"
CASES = {
    "noam_a": _c("NoamDecay", d_model=64, warmup_steps=5),
    "noam_b": _c("NoamDecay", d_model=512, warmup_steps=10, learning_rate=2.0),
    "noam_int_lr": _c("NoamDecay", d_model=1, warmup_steps=3, learning_rate=1),
    "piecewise": _c("PiecewiseDecay", boundaries=[3, 10, 20], values=[0.1, 0.05, 0.01, 0.001]),
    "piecewise_int": _c("PiecewiseDecay", boundaries=[5, 12], values=[3, 2, 1]),
    "natural_exp": _c("NaturalExpDecay", learning_rate=0.5, gamma=0.1),
    "natural_exp_int": _c("NaturalExpDecay", learning_rate=1, gamma=0.3),
    "inverse_time": _c("InverseTimeDecay", learning_rate=0.5, gamma=0.1),
    "inverse_time_int": _c("InverseTimeDecay", learning_rate=1, gamma=2),
    "poly": _c("PolynomialDecay", learning_rate=0.1, decay_steps=10),
    "poly_cycle": _c(
        "PolynomialDecay", learning_rate=0.1, decay_steps=7, end_lr=0.001, power=2.0, cycle=True
    ),
    "poly_sqrt": _c("PolynomialDecay", learning_rate=1.0, decay_steps=5, end_lr=0, power=0.5),
    "poly_cycle_int": _c("PolynomialDecay", learning_rate=1, decay_steps=4, end_lr=0, cycle=True),
    "warmup_float": _c("LinearWarmup", learning_rate=0.5, warmup_steps=5, start_lr=0.0, end_lr=0.5),
    "warmup_int": _c("LinearWarmup", learning_rate=1, warmup_steps=4, start_lr=0, end_lr=1),
    "warmup_step": _c(
        "LinearWarmup",
        learning_rate=_sched("StepDecay", learning_rate=0.5, step_size=3, gamma=0.5),
        warmup_steps=5,
        start_lr=0.01,
        end_lr=0.5,
    ),
    "warmup_cosine": _c(
        "LinearWarmup",
        learning_rate=_sched("CosineAnnealingDecay", learning_rate=0.5, T_max=8),
        warmup_steps=3,
        start_lr=0.0,
        end_lr=0.5,
    ),
    "warmup_piecewise": _c(
        "LinearWarmup",
        learning_rate=_sched("PiecewiseDecay", boundaries=[4, 9], values=[0.3, 0.2, 0.1]),
        warmup_steps=2,
        start_lr=0.1,
        end_lr=0.3,
    ),
    "exponential": _c("ExponentialDecay", learning_rate=0.5, gamma=0.9),
    "exponential_int": _c("ExponentialDecay", learning_rate=1, gamma=0.5),
    "multistep": _c("MultiStepDecay", learning_rate=0.5, milestones=[3, 8, 20], gamma=0.5),
    "multistep_default": _c("MultiStepDecay", learning_rate=0.1, milestones=[2, 4]),
    "step": _c("StepDecay", learning_rate=0.5, step_size=3, gamma=0.5),
    "step_1": _c("StepDecay", learning_rate=0.1, step_size=1),
    "lambda": _c("LambdaDecay", learning_rate=0.5, lr_lambda=_fn("exp95")),
    "lambda_mod": _c("LambdaDecay", learning_rate=1, lr_lambda=_fn("mod3")),
    "cosine": _c("CosineAnnealingDecay", learning_rate=0.5, T_max=10),
    "cosine_eta": _c("CosineAnnealingDecay", learning_rate=0.1, T_max=7, eta_min=0.01),
    "cosine_int": _c("CosineAnnealingDecay", learning_rate=2, T_max=30, eta_min=1),
    "multiplicative": _c("MultiplicativeDecay", learning_rate=0.5, lr_lambda=_fn("const9")),
    "multiplicative_mod": _c("MultiplicativeDecay", learning_rate=1.0, lr_lambda=_fn("mod3")),
    "onecycle": _c("OneCycleLR", max_learning_rate=0.1, total_steps=30),
    "onecycle_linear": _c(
        "OneCycleLR",
        max_learning_rate=1.0,
        total_steps=40,
        divide_factor=10,
        end_learning_rate=0.001,
        phase_pct=0.25,
        anneal_strategy="linear",
    ),
    "onecycle_3phase": _c(
        "OneCycleLR", max_learning_rate=2, total_steps=35, phase_pct=0.3, three_phase=True
    ),
    "cyclic": _c("CyclicLR", base_learning_rate=0.1, max_learning_rate=0.5, step_size_up=4),
    "cyclic_tri2": _c(
        "CyclicLR",
        base_learning_rate=0.1,
        max_learning_rate=1.0,
        step_size_up=3,
        step_size_down=5,
        mode="triangular2",
    ),
    "cyclic_exp": _c(
        "CyclicLR",
        base_learning_rate=0.01,
        max_learning_rate=0.1,
        step_size_up=2,
        mode="exp_range",
        exp_gamma=0.9,
    ),
    "cyclic_fn_cycle": _c(
        "CyclicLR",
        base_learning_rate=0.1,
        max_learning_rate=0.4,
        step_size_up=3,
        scale_fn=_fn("halving"),
    ),
    "cyclic_fn_iter": _c(
        "CyclicLR",
        base_learning_rate=0.1,
        max_learning_rate=0.4,
        step_size_up=2,
        step_size_down=3,
        scale_fn=_fn("decay_it"),
        scale_mode="iterations",
    ),
    "linear_lr": _c("LinearLR", learning_rate=0.5, total_steps=10),
    "linear_lr_down": _c(
        "LinearLR", learning_rate=1.0, total_steps=5, start_factor=0.5, end_factor=0.1
    ),
    "restarts": _c("CosineAnnealingWarmRestarts", learning_rate=0.5, T_0=5),
    "restarts_mult": _c(
        "CosineAnnealingWarmRestarts", learning_rate=0.5, T_0=3, T_mult=2, eta_min=0.01
    ),
    "plateau_float": _c(RP, "float", learning_rate=0.5, factor=0.5, patience=2),
    "plateau_cooldown": _c(RP, "float", learning_rate=1.0, patience=1, cooldown=2, min_lr=0.02),
    "plateau_max_abs": _c(
        RP, "float", learning_rate=0.5, mode="max", threshold_mode="abs", threshold=0.01, patience=1
    ),
    "plateau_min_abs": _c(
        RP, "float", learning_rate=0.5, threshold_mode="abs", threshold=0.05, patience=1
    ),
    "plateau_max_rel": _c(RP, "float", learning_rate=0.5, mode="MAX", patience=0, factor=0.9),
    "plateau_epsilon": _c(
        RP, "float", learning_rate=0.5, patience=0, factor=0.5, min_lr=0.1, epsilon=0.05
    ),
    "plateau_int_metric": _c(RP, "int", learning_rate=1, patience=1),
    "plateau_np32": _c(RP, "np32", learning_rate=0.5, patience=1, factor=0.5),
    "plateau_np64": _c(RP, "np64", learning_rate=0.5, patience=1, factor=0.5),
    "plateau_arr32": _c(RP, "arr32", learning_rate=0.5, patience=1, factor=0.5),
    "plateau_arr64": _c(RP, "arr64", learning_rate=0.5, patience=1, factor=0.5),
    "plateau_tensor": _c(RP, "tensor", learning_rate=0.5, patience=1, factor=0.5),
}
# Paddle's own resume loses CosineAnnealingWarmRestarts' cycle position (NOTE [WarmRestarts
# resume] in paddlefish/optimizer/_lr_cosine.py); ours continues as if never stopped.
PADDLE_RESUME_QUIRK = {"restarts", "restarts_mult"}


class FakeTensor:
    """Stands in for a one-element float32 framework Tensor (``.numpy()`` and ``.item()``)."""

    def __init__(self, x: float) -> None:
        self._a = np.array(x, dtype=np.float32)

    def numpy(self) -> np.ndarray:
        return self._a.copy()

    def item(self) -> float:
        return self._a.item()


def _harness_source() -> str:
    return "\n\n".join(textwrap.dedent(inspect.getsource(f)) for f in _HARNESS)


def _oracle(version: str, body: str, tmp_path, payload: dict) -> dict:
    (tmp_path / "in.json").write_text(json.dumps(payload))
    code = f"""
import json
import numpy as np
import paddle
from paddle.optimizer import lr
paddle.disable_static()

def make_tensor(x):
    return paddle.to_tensor(x, dtype='float32')

{_harness_source()}

P = json.load(open('in.json'))
{body}
json.dump(OUT, open('out.json', 'w'))
"""
    run_paddle(code, version=version, cwd=tmp_path)
    return json.loads((tmp_path / "out.json").read_text())


_RUN_BODY = """
OUT = {cid: _run_case(lr, case, make_tensor, P['metrics'], P['steps'], P['cut'])
       for cid, case in P['cases'].items()}
"""
_CONTINUE_BODY = """
OUT = {cid: _continue(lr, case, _decode(P['states'][cid]), make_tensor, P['metrics'],
                      P['steps'], P['cut'])
       for cid, case in P['cases'].items()}
"""

_results: dict[str, dict] = {}


def _paddle_results(version: str, tmp_path_factory) -> dict:
    if version not in _results:
        payload = {"cases": CASES, "metrics": METRICS, "steps": STEPS, "cut": CUT}
        _results[version] = _oracle(
            version, _RUN_BODY, tmp_path_factory.mktemp(f"lr{version}"), payload
        )
    return _results[version]


def _ours(cid: str) -> dict:
    return _run_case(lr, CASES[cid], FakeTensor, METRICS, STEPS, CUT)


def assert_same(ours, theirs, where: str) -> None:
    """Tagged values equal: same tags (types), same keys in the same order, same bits."""
    assert ours["t"] == theirs["t"], f"{where}: type {ours['t']} != Paddle's {theirs['t']}"
    if ours["t"] == "dict":
        assert [k for k, _ in ours["v"]] == [k for k, _ in theirs["v"]], f"{where}: keys differ"
        for (k, a), (_, b) in zip(ours["v"], theirs["v"], strict=True):
            assert_same(a, b, f"{where}[{k!r}]")
    else:  # bit-exact: the formulas keep Paddle's order of floating-point operations
        assert ours == theirs, f"{where}: {ours} != Paddle's {theirs}"


def assert_seq(ours: list, theirs: list, where: str) -> None:
    assert len(ours) == len(theirs), f"{where}: {len(ours)} values, Paddle has {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert_same(a, b, f"{where}[{i}]")


VERSIONS = ["3.3", "2.6"]


def _require(version: str) -> None:
    if version == "2.6" and not available("2.6"):
        pytest.skip("Paddle 2.6 oracle (.oracle/p26) not installed")


@pytest.mark.oracle
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("cid", sorted(CASES))
def test_matches_paddle(cid, version, tmp_path_factory):
    """Sequence, fresh/cut state dicts (keys, order, types) and epoch jumps equal Paddle's."""
    _require(version)
    theirs = _paddle_results(version, tmp_path_factory)[cid]
    ours = _ours(cid)
    assert_seq(ours["seq"], theirs["seq"], f"{cid} lr sequence")
    assert_same(ours["state0"], theirs["state0"], f"{cid} fresh state_dict")
    assert_same(ours["state_cut"], theirs["state_cut"], f"{cid} state_dict after {CUT} steps")
    for i, (a, b) in enumerate(zip(ours["jumps"], theirs["jumps"], strict=True)):
        assert_same(a[0], b[0], f"{cid} jump {i} last_epoch")
        assert_same(a[1], b[1], f"{cid} jump {i} lr")


@pytest.mark.oracle
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("cid", sorted(CASES))
def test_resumes_paddle_state(cid, version, tmp_path_factory):
    """Paddle's state after 7 steps, loaded into a fresh paddlefish scheduler, continues exactly
    as Paddle's uninterrupted run (Paddle's own resume does too, except for its WarmRestarts
    quirk)."""
    _require(version)
    theirs = _paddle_results(version, tmp_path_factory)[cid]
    state = _decode(theirs["state_cut"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # loading a matching state must not warn
        resumed = _continue(lr, CASES[cid], state, FakeTensor, METRICS, STEPS, CUT)
    assert_seq(resumed, theirs["seq"][CUT + 1 :], f"{cid} resumed from Paddle's state")
    paddle_own_ok = theirs["resumed"] == theirs["seq"][CUT + 1 :]
    assert paddle_own_ok == (cid not in PADDLE_RESUME_QUIRK), f"{cid}: Paddle resume quirk changed"


@pytest.mark.oracle
@pytest.mark.parametrize("version", VERSIONS)
def test_paddle_resumes_our_state(version, tmp_path_factory):
    """paddlefish's state dicts after 7 steps load into real Paddle, which continues exactly as
    it does from its own state (the files cross in both directions)."""
    _require(version)
    theirs = _paddle_results(version, tmp_path_factory)
    states = {cid: _ours(cid)["state_cut"] for cid in CASES}
    payload = {"cases": CASES, "metrics": METRICS, "steps": STEPS, "cut": CUT, "states": states}
    continued = _oracle(version, _CONTINUE_BODY, tmp_path_factory.mktemp("lrc"), payload)
    for cid in CASES:
        assert_seq(continued[cid], theirs[cid]["resumed"], f"{cid}: Paddle resuming our state")


# --------------------------------------------------------------------------------------------
# Unit tests (no oracle)
# --------------------------------------------------------------------------------------------

_MODULES = ["lr", "_lr_base", "_lr_decays", "_lr_cosine", "_lr_warmup", "_lr_cyclic", "_lr_plateau"]


@pytest.mark.parametrize("name", _MODULES)
def test_docstring_examples_run(name):
    import doctest
    import importlib

    module = importlib.import_module(f"paddlefish.optimizer.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0, result


def test_observed_state_dicts_from_formats_md():
    step = lr.StepDecay(0.1, step_size=1, gamma=0.5)
    cos = lr.CosineAnnealingDecay(0.1, T_max=10)
    for s in (step, cos):
        s.step()
        s.step()
    assert step.state_dict() == {"last_epoch": 2, "last_lr": 0.025}
    assert cos.state_dict() == {"last_epoch": 2, "last_lr": 0.09045084971874738}


@pytest.mark.parametrize("cid", sorted(CASES))
def test_fresh_state_and_own_resume(cid):
    s = _build(lr, CASES[cid]["spec"])
    state = s.state_dict()
    assert state["last_epoch"] == 0 and type(state["last_epoch"]) is int
    run = _ours(cid)
    assert _decode(run["state0"]) == state
    assert run["resumed"] == run["seq"][CUT + 1 :], f"{cid}: resume from own state diverged"


def test_state_keys_and_nesting():
    plateau = lr.ReduceOnPlateau(0.5)
    assert list(plateau.state_dict()) == [
        "cooldown_counter",
        "best",
        "num_bad_epochs",
        "last_epoch",
        "last_lr",
    ]
    assert plateau.state_dict()["best"] is None
    inner = lr.StepDecay(0.5, step_size=2)
    warm = lr.LinearWarmup(inner, warmup_steps=2, start_lr=0.0, end_lr=0.5)
    assert warm.state_dict() == {
        "last_epoch": 0,
        "last_lr": 0.0,
        "LinearWarmup_LR": {"last_epoch": 0, "last_lr": 0.5},
    }
    assert "LinearWarmup_LR" not in lr.LinearWarmup(0.5, 2, 0.0, 0.5).state_dict()


def test_hand_computed_values():
    noam = lr.NoamDecay(d_model=4, warmup_steps=4)
    noam.step(4)
    assert noam() == 4**-0.5 * 4**-0.5
    poly = lr.PolynomialDecay(1.0, decay_steps=2, end_lr=0.0, cycle=True)
    poly.step(3)  # second cycle: decay_steps becomes 4
    assert poly() == 0.25
    cyc = lr.CyclicLR(0.0, 1.0, step_size_up=2, mode="triangular2")
    values = []
    for _ in range(6):
        cyc.step()
        values.append(cyc())
    assert values == [0.5, 1.0, 0.5, 0.0, 0.25, 0.5]
    one = lr.OneCycleLR(1.0, total_steps=10, phase_pct=0.5, anneal_strategy="linear")
    assert one() == 0.04  # max / divide_factor
    one.step(4)  # end of the warm phase (0.5 * 10 - 1)
    assert one() == pytest.approx(1.0, abs=1e-15)
    assert lr.StepDecay(1.0, step_size=2, gamma=0.5, last_epoch=3)() == 0.25


def test_explicit_epoch_uses_closed_form_for_cosine():
    s = lr.CosineAnnealingDecay(1.0, T_max=4, eta_min=0.0)
    s.step(epoch=2)
    assert s() == pytest.approx(0.5, abs=1e-15) and s.last_epoch == 2


@pytest.mark.parametrize(
    ("make", "exc", "fragment"),
    [
        (lambda: lr.StepDecay("0.1", 2), TypeError, "learning rate must be a float"),
        (lambda: lr.StepDecay(-0.1, 2), ValueError, "invalid learning rate -0.1"),
        (lambda: lr.StepDecay(0.1, 2.0), TypeError, "'step_size' must be of type int"),
        (lambda: lr.StepDecay(0.1, 0), AssertionError, "'step_size' must be > 0"),
        (lambda: lr.StepDecay(0.1, 2, gamma=1.0), ValueError, "'gamma' must be < 1.0"),
        (lambda: lr.NoamDecay(0, 10), ValueError, "'d_model' must be greater than 0"),
        (lambda: lr.NoamDecay(8, 0), ValueError, "'warmup_steps' must be greater than 0"),
        (lambda: lr.PiecewiseDecay([], [0.1]), ValueError, "'boundaries' cannot be empty"),
        (lambda: lr.PiecewiseDecay([2], [0.1]), ValueError, "len(values) = 1"),
        (lambda: lr.NaturalExpDecay(0.1, 0.0), AssertionError, "'gamma' must be > 0"),
        (lambda: lr.PolynomialDecay(0.1, 0), AssertionError, "'decay_steps' must be a positive"),
        (lambda: lr.PolynomialDecay(0.1, 5, power=0), ValueError, "'power' must be > 0"),
        (lambda: lr.ExponentialDecay(0.1, 1.5), AssertionError, "open interval (0.0, 1.0)"),
        (lambda: lr.MultiStepDecay(0.1, 3), TypeError, "'milestones' must be of type tuple"),
        (lambda: lr.MultiStepDecay(0.1, [3, 2]), ValueError, "strictly increasing"),
        (lambda: lr.LambdaDecay(0.1, 0.5), TypeError, "'lr_lambda' must be a function"),
        (lambda: lr.MultiplicativeDecay(0.1, None), TypeError, "'lr_lambda' must be a function"),
        (lambda: lr.LinearWarmup("x", 2, 0.0, 0.1), TypeError, "an LRScheduler"),
        (lambda: lr.LinearWarmup(0.1, 0, 0.0, 0.1), AssertionError, "'warmup_steps' must be"),
        (lambda: lr.LinearWarmup(0.1, 2, 0.1, 0.1), ValueError, "must be greater than 'start_lr'"),
        (lambda: lr.CosineAnnealingDecay(0.1, 2.5), TypeError, "'T_max' must be of type int"),
        (lambda: lr.CosineAnnealingDecay(0.1, 0), AssertionError, "'T_max' must be > 0"),
        (lambda: lr.CosineAnnealingDecay(0.1, 2, "0"), TypeError, "'eta_min' must be of type"),
        (lambda: lr.ReduceOnPlateau(0.1, mode="mid"), ValueError, "'mode' must be 'min' or"),
        (lambda: lr.ReduceOnPlateau(0.1, factor=1.0), ValueError, "'factor' must be < 1.0"),
        (lambda: lr.ReduceOnPlateau(0.1, threshold_mode="x"), ValueError, "'threshold_mode'"),
        (lambda: lr.ReduceOnPlateau("0.1"), TypeError, "'learning_rate' must be a float"),
        (lambda: lr.OneCycleLR(0.1, 10.0), TypeError, "'total_steps' must be of type int"),
        (lambda: lr.OneCycleLR(0.1, 10, phase_pct=1), TypeError, "'phase_pct' must be of type"),
        (lambda: lr.OneCycleLR(0.1, 10, phase_pct=1.5), ValueError, "must be in [0, 1]"),
        (lambda: lr.OneCycleLR(-0.1, 10), ValueError, "'max_learning_rate' must be >= 0"),
        (lambda: lr.OneCycleLR(0.1, 10, phase_pct=0.5, three_phase=True), ValueError, "< 0.5"),
        (lambda: lr.OneCycleLR(0.1, 10, anneal_strategy="exp"), ValueError, "'cos' or 'linear'"),
        (lambda: lr.CyclicLR(0.1, 0.5, 0), ValueError, "'step_size_up' must be a positive"),
        (lambda: lr.CyclicLR(0.1, 0.5, 2, 1.5), TypeError, "'step_size_down' must be of type"),
        (lambda: lr.CyclicLR(0.1, 0.5, 2, exp_gamma=1), TypeError, "'exp_gamma' must be of type"),
        (lambda: lr.CyclicLR(0.1, 0.5, 2, mode="tri"), ValueError, "no 'scale_fn' was given"),
        (lambda: lr.CyclicLR(0.1, 0.5, 2, scale_mode="x"), ValueError, "'scale_mode' must be"),
        (lambda: lr.LinearLR(0.1, 5, start_factor=0), ValueError, "'start_factor' must be in"),
        (lambda: lr.LinearLR(0.1, 5, end_factor=2), ValueError, "'end_factor' must be in"),
        (lambda: lr.LinearLR(0.1, 0), ValueError, "'total_steps' must be > 0"),
        (lambda: lr.CosineAnnealingWarmRestarts(0.1, 0), AssertionError, "'T_0' must be"),
        (lambda: lr.CosineAnnealingWarmRestarts(0.1, 2, 0), ValueError, "'T_mult' must be"),
    ],
)
def test_argument_validation(make, exc, fragment):
    with pytest.raises(exc) as info:
        make()
    assert fragment in str(info.value)


def test_argument_error_is_both_value_and_assertion_error():
    with pytest.raises(lr.LRArgumentError) as info:
        lr.NaturalExpDecay(0.1, -1.0)
    assert isinstance(info.value, ValueError) and isinstance(info.value, AssertionError)
    assert str(info.value).startswith("NaturalExpDecay: ")


def test_set_state_dict_errors_and_warnings():
    s = lr.StepDecay(0.5, step_size=2, gamma=0.5)
    with pytest.raises(RuntimeError, match=r"\['last_lr'\] missing"):
        s.set_state_dict({"last_epoch": 3})
    with pytest.raises(TypeError, match="expected a dict"):
        s.set_state_dict([("last_epoch", 3)])
    with pytest.warns(UserWarning, match=r"unused keys \['best'\]"):
        s.set_state_dict({"last_epoch": 3, "last_lr": 0.25, "best": 1.0})
    assert (s.last_epoch, s()) == (3, 0.25)
    s.step()
    assert s() == 0.125


def test_linear_warmup_nested_state_and_set_dict_alias():
    def make():
        return lr.LinearWarmup(lr.StepDecay(0.5, 2, 0.5), 3, 0.0, 0.5)

    a = make()
    for _ in range(8):
        a.step()
    b = make()
    with pytest.raises(RuntimeError, match="'LinearWarmup_LR'"):
        b.set_state_dict({"last_epoch": 8, "last_lr": 0.125})
    assert b.last_epoch == 0  # nothing was loaded
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b.set_dict(a.state_dict())  # the alias reaches the override: nested state loaded
    assert b.state_dict() == a.state_dict()
    assert b.learning_rate.last_epoch == 5
    a.step()
    b.step()
    assert a() == b()


def test_reduce_on_plateau_metric_types():
    s = lr.ReduceOnPlateau(0.5, patience=0, factor=0.5)
    with pytest.raises(ValueError, match="exactly one element, but it has 2"):
        s.step(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="received str"):
        s.step("1.0")
    assert s.last_epoch == 0  # a refused metric does not advance the scheduler
    s.step(FakeTensor(1.0))
    assert isinstance(s.best, FakeTensor)
    assert s.state_dict()["best"] == 1.0 and type(s.state_dict()["best"]) is float
    s.step(np.array([2.0]))  # worse: patience 0 -> halve
    assert s() == 0.25
    s.step(np.array([0.5], dtype=np.float32))
    assert isinstance(s.state_dict()["best"], np.ndarray)
    s.step(0.1, epoch=10)
    assert (s.last_epoch, s.best) == (10, 0.1)


def test_reduce_on_plateau_compares_float32_tensors_in_float32():
    # 0.9999 * (1 - 1e-4) rounds differently in float32 and float64 (see NOTE [ReduceOnPlateau
    # metrics]); a float32 tensor best must be compared in float32 as Paddle does.
    def improved(cur, best):
        s = lr.ReduceOnPlateau(0.5)
        s.step(best)
        s.step(cur)
        return s.num_bad_epochs == 0

    best, cur = np.float32(1.0), np.float32(1.0) * np.float32(1 - 1e-4)
    as_f32 = bool(cur < best - best * np.float32(1e-4))
    assert improved(FakeTensor(float(cur)), FakeTensor(float(best))) == as_f32


def test_verbose_prints_like_paddle(capsys):
    s = lr.StepDecay(0.5, step_size=1, gamma=0.5, verbose=True)
    s.step()
    p = lr.ReduceOnPlateau(1.0, patience=0, factor=0.5, verbose=True)
    p.step(1.0)
    p.step(2.0)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Epoch 0: StepDecay set learning rate to 0.5.",
        "Epoch 1: StepDecay set learning rate to 0.25.",
        "Epoch 2: ReduceOnPlateau set learning rate to 0.5.",
    ]


def test_one_cycle_refuses_to_step_past_total_steps():
    s = lr.OneCycleLR(0.1, total_steps=3)
    for _ in range(3):
        s.step()
    with pytest.raises(ValueError, match="past total_steps=3"):
        s.step()


@pytest.mark.parametrize("t_mult", [1, 2, 3])
def test_warm_restarts_resume_continues_cycle(t_mult):
    a = lr.CosineAnnealingWarmRestarts(1.0, T_0=2, T_mult=t_mult)
    for _ in range(9):
        a.step()
    b = lr.CosineAnnealingWarmRestarts(1.0, T_0=2, T_mult=t_mult)
    b.set_state_dict(a.state_dict())
    assert (b.T_cur, b.T_i) == (a.T_cur, a.T_i)
    for _ in range(10):
        a.step()
        b.step()
        assert a() == b()


def test_base_class_requires_get_lr():
    with pytest.raises(NotImplementedError, match="LRScheduler must implement get_lr"):
        lr.LRScheduler(0.1)


def test_state_dict_refuses_multi_element_tensor():
    s = lr.ReduceOnPlateau(0.5)
    s.best = FakeTensor(1.0)
    s.best._a = np.array([1.0, 2.0], dtype=np.float32)
    with pytest.raises(ValueError, match="'best' is a tensor with 2 elements"):
        s.state_dict()


def test_public_names_match_paddle():
    paddle_all = {
        "LRScheduler", "NoamDecay", "PiecewiseDecay", "NaturalExpDecay", "InverseTimeDecay",
        "PolynomialDecay", "LinearWarmup", "ExponentialDecay", "MultiStepDecay", "StepDecay",
        "LambdaDecay", "ReduceOnPlateau", "CosineAnnealingDecay", "MultiplicativeDecay",
        "OneCycleLR", "CyclicLR", "LinearLR", "CosineAnnealingWarmRestarts",
    }  # fmt: skip
    assert paddle_all <= set(lr.__all__)
    for name in paddle_all - {"LRScheduler"}:
        assert issubclass(getattr(lr, name), lr.LRScheduler)

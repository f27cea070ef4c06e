"""The shared side of the jit-save oracle tests whose Paddle side is ``ORACLE`` of
tests/jit/record_more_models.py (test_record_more/scalars/constants_oracle.py,
test_pir_more_rules_oracle.py): export a model source with paddlefish and real Paddle, read back
Paddle's results, compare outputs, and summarise a saved legacy program op by op."""

from __future__ import annotations

import json
import runpy

import numpy as np

import paddlefish as paddle
from paddlefish import formats, inference
from paddlefish.static import InputSpec
from tests.jit.record_more_models import ORACLE
from tests.jit.test_jit_interop import as_paddlefish
from tests.oracle import run_paddle

RTOL = ATOL = 1e-5
NOISE_ATTRS = {"op_callstack", "with_quant_attr"}


def export_both(tmp_path_factory, tag, source, names, specs, version="2.6", pir=False):
    """``source``'s layers ``names`` saved by paddlefish into ``ours/`` (PIR ``.json`` when
    ``pir``) and by real Paddle ``version`` into ``theirs/``, with Paddle's eager results, its
    ``jit.load`` and predictor runs of ours in ``ref_*.npz``; returns ``(root, report)``."""
    root = tmp_path_factory.mktemp(tag)
    (root / "models_more.py").write_text(source)  # the module name ORACLE imports
    (root / f"models_{tag}_pf.py").write_text(as_paddlefish(source))
    ns = runpy.run_path(str(root / f"models_{tag}_pf.py"))
    if pir:
        paddle.set_flags({"FLAGS_enable_pir_api": True})
    try:
        for name in names:
            paddle.jit.save(
                ns[name](),
                str(root / "ours" / name),
                input_spec=[InputSpec(*s) for s in specs[name]],
            )
    finally:
        if pir:
            paddle.set_flags({"FLAGS_enable_pir_api": False})
    args = {"names": names, "specs": specs, "ext": ".json" if pir else ".pdmodel"}
    (root / "oracle_args.json").write_text(json.dumps(args))
    out = run_paddle(ORACLE, version, cwd=root)
    return root, json.loads(out.strip().splitlines()[-1])


def outs(r):
    return [t.numpy() for t in (r if isinstance(r, (list, tuple)) else [r])]


def ref(root, name):
    with np.load(root / f"ref_{name}.npz") as z:
        return {k: z[k] for k in z.files}


def cases(ref):
    """``(i, inputs, Paddle's eager outputs)`` of every input case in ``ref``."""
    n = 1 + max(int(k.split("_")[1]) for k in ref if k.startswith("in_"))
    for i in range(n):
        xs = [ref[f"in_{i}_{j}"] for j in range(sum(k.startswith(f"in_{i}_") for k in ref))]
        want = [ref[f"eager_{i}_{j}"] for j in range(sum(k.startswith(f"eager_{i}_") for k in ref))]
        yield i, xs, want


def same(got, want, what):
    assert len(got) == len(want), f"{what}: {len(got)} outputs, Paddle's eager gives {len(want)}"
    for j, (g, w) in enumerate(zip(got, want)):
        g = np.asarray(g)
        assert g.shape == w.shape and g.dtype == w.dtype, (
            f"{what} output {j}: {g.dtype}{list(g.shape)} vs Paddle's {w.dtype}{list(w.shape)}"
        )
        np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=f"{what} output {j}")


def predictor(prefix, params):
    """paddlefish's ``paddle.inference`` on ``prefix.pdmodel`` (``params``: the params file or
    ``""`` for a program without parameters)."""
    cfg = inference.Config(prefix + ".pdmodel", params)
    cfg.disable_gpu()
    return inference.create_predictor(cfg)


def run_handles(pred, xs):
    """One run of ``pred`` on ``xs`` through the handle API; the outputs as arrays."""
    for n, x in zip(pred.get_input_names(), xs):
        pred.get_input_handle(n).copy_from_cpu(x)
    pred.run()
    return [pred.get_output_handle(n).copy_to_cpu() for n in pred.get_output_names()]


def signature(path, skip, noise=NOISE_ATTRS):
    """The compared part of a legacy program: per op not ``skip(op)``, its type, non-empty input
    slots, attributes with their types (``noise`` left out), and each output's dtype and shape."""
    block = formats.load_program_desc(path).global_block()
    sig = []
    for op in block.ops:
        if skip(op):
            continue
        attrs = {k: (op.attr_types.get(k), v) for k, v in op.attrs.items() if k not in noise}
        outs_ = {
            slot: [(str(block.vars[n].dtype), list(block.vars[n].shape)) for n in op.output(slot)]
            for slot in sorted(op.outputs)
        }
        ins = sorted(slot for slot in op.inputs if op.input(slot))
        sig.append((op.type, ins, attrs, outs_))
    return sig

"""One script, two libraries: a test's ``SOURCE`` defines ``run(paddle) -> {name: array}``; it
runs unchanged under real Paddle (in a subprocess, results through an ``.npz``) and under
paddlefish, and ``mismatches`` lists every difference (shape, dtype, values)."""

from __future__ import annotations

import numpy as np

from . import run_paddle

_RUNNER = r"""
import numpy as np
import paddle
np.savez("paddle_out.npz", **run(paddle))
print("ok")
"""


def run_both(source: str, version: str, tmp_path) -> tuple[dict, dict]:
    """``run(paddle)`` of ``source`` under real Paddle ``version`` and under paddlefish:
    ``(ours, theirs)``, each ``{name: np.ndarray}``."""
    import paddlefish

    run_paddle(source + _RUNNER, version, cwd=tmp_path)
    ns: dict = {}
    exec(source, ns)  # noqa: S102 - the test's own fixed source
    ours = {k: np.asarray(v) for k, v in ns["run"](paddlefish).items()}
    with np.load(tmp_path / "paddle_out.npz") as z:
        theirs = {k: z[k] for k in z.files}
    return ours, theirs


def mismatches(ours: dict, theirs: dict, rtol: float = 1e-5, atol: float = 1e-5) -> list[str]:
    """Every key present on one side only, and every array whose shape or dtype differs, whose
    integers/booleans/strings are not equal, or whose floats are not close."""
    bad = [f"{k}: only in {'ours' if k in ours else 'Paddle'}" for k in set(ours) ^ set(theirs)]
    for k in sorted(set(ours) & set(theirs)):
        a, b = ours[k], theirs[k]
        if a.shape != b.shape or a.dtype != b.dtype:
            bad.append(f"{k}: {a.dtype}{list(a.shape)} vs Paddle's {b.dtype}{list(b.shape)}")
        elif a.dtype.kind in "iub" and not np.array_equal(a, b):
            bad.append(
                f"{k}: {int((a != b).sum())} of {a.size} differ: {a.tolist()} vs {b.tolist()}"
            )
        elif a.dtype.kind in "fc":
            if not np.allclose(a, b, rtol=rtol, atol=atol):
                bad.append(f"{k}: max |diff| {np.abs(a - b).max()}")
        elif a.dtype.kind not in "iub" and not np.array_equal(a, b):  # strings
            bad.append(f"{k}: {a.tolist()} vs Paddle's {b.tolist()}")
    return bad

"""Run real PaddlePaddle in a subprocess: the oracle for interop tests.

``run_paddle(code, version)`` runs ``code`` (a Python source string) with real Paddle 3.3 (main
environment; ``legacy=True`` sets ``FLAGS_enable_pir_api=0``) or Paddle 2.6 (``.oracle/p26``) and
returns its stdout. The code talks to the test through files in a directory the test passes in
(``cwd``) or through stdout (e.g. ``print(json.dumps(...))``). Never import paddle in the test
process itself.

Under ``CI=true`` a missing oracle is an error (the interop tests are the ones that matter most);
on a developer machine without it the oracle tests skip with the setup command.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
P26 = ROOT / ".oracle" / "p26" / "bin" / "python"
SETUP = "bash tests/oracle/setup_oracles.sh"

_available: dict[str, bool] = {}


def _python_for(version: str) -> str:
    if version == "2.6":
        return str(P26)
    if version == "3.3":
        return sys.executable
    raise ValueError(f"oracle version must be '2.6' or '3.3', got {version!r}")


def available(version: str) -> bool:
    if version not in _available:
        py = _python_for(version)
        ok = os.path.exists(py)
        if ok:
            r = subprocess.run(
                [py, "-c", "import paddle"], capture_output=True, cwd="/", timeout=300
            )
            ok = r.returncode == 0
        _available[version] = ok
    return _available[version]


def require(version: str) -> None:
    """Skip (locally) or fail (CI) when the oracle is missing."""
    if available(version):
        return
    msg = f"real Paddle {version} oracle not installed; run `{SETUP}`"
    if os.environ.get("CI") == "true":
        pytest.fail(msg)
    pytest.skip(msg)


def run_paddle(
    code: str,
    version: str = "3.3",
    *,
    cwd: str | os.PathLike | None = None,
    legacy: bool = False,
    timeout: float = 600,
    env: dict | None = None,
) -> str:
    """Run ``code`` under real Paddle ``version`` in a subprocess and return its stdout.

    Raises AssertionError with the child's stderr if it fails.
    """
    require(version)
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    e["OMP_NUM_THREADS"] = e.get("OMP_NUM_THREADS", "1")
    e["GLOG_minloglevel"] = "2"
    if legacy or version == "2.6":
        e["FLAGS_enable_pir_api"] = "0"
    if env:
        e.update(env)
    # run from the scratch dir, never from the repo (a `paddle` dir on sys.path would shadow it)
    r = subprocess.run(
        [_python_for(version), "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=str(cwd) if cwd is not None else "/tmp",
        timeout=timeout,
        env=e,
    )
    if r.returncode != 0:
        raise AssertionError(
            f"real Paddle {version} subprocess failed (exit {r.returncode}):\n"
            f"--- stdout ---\n{r.stdout[-4000:]}\n--- stderr ---\n{r.stderr[-8000:]}"
        )
    return r.stdout

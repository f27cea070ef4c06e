"""Run a program under paddlefish's stand-in in a fresh interpreter (never in the test process:
the stand-in rebinds ``sys.modules['paddle']``)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROGRAMS = pathlib.Path(__file__).resolve().parent / "programs"


def env(**extra: str) -> dict:
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    e["OMP_NUM_THREADS"] = "1"
    e.update(extra)
    return e


def run_fish(args: list[str], cwd, *, pythonpath: str | None = None, check: bool = True,
             via_run: bool = True) -> subprocess.CompletedProcess:
    """``python -m paddlefish run ARGS`` (or plain ``python ARGS`` with a PYTHONPATH)."""
    cmd = [sys.executable, "-m", "paddlefish", "run", *args] if via_run else [sys.executable, *args]
    e = env(PADDLEFISH_QUIET="1")
    if pythonpath:
        e["PYTHONPATH"] = pythonpath
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=str(cwd), env=e, timeout=600)
    if check and r.returncode != 0:
        raise AssertionError(f"{cmd} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}")
    return r


def program(name: str) -> str:
    return str(PROGRAMS / name)


def paddle_runs_program(name: str, argv: list[str]) -> str:
    """Code for ``run_paddle``: run a program file as ``__main__`` with ``argv``."""
    return (
        "import runpy, sys\n"
        f"sys.argv = {[program(name), *argv]!r}\n"
        f"runpy.run_path({program(name)!r}, run_name='__main__')\n"
    )

"""Shared fixtures for the pickle-side format tests: hostile pickles and a marker-file side effect."""

from __future__ import annotations

import builtins
import os
import pickle
import subprocess

import pytest


class Hostile:
    """An object whose unpickling would call ``func(*args)`` if a loader allowed it."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


class HostileDict(dict):
    """A dict subclass whose __reduce__ runs a shell command (safetensors' paddle ACE fixture)."""

    def __init__(self, cmd):
        super().__init__(w=1)
        self.cmd = cmd

    def __reduce__(self):
        return os.system, (self.cmd,)


def hostile_payloads(marker: str) -> dict[str, bytes]:
    """name -> pickle bytes; each would create ``marker`` (or worse) if executed."""
    touch = f"touch {marker}"
    code = f"open({marker!r}, 'w').close()"
    objs = {
        "posix.system": Hostile(os.system, (touch,)),
        "builtins.eval": Hostile(eval, (code,)),
        "builtins.exec": Hostile(exec, (code,)),
        "subprocess.Popen": Hostile(subprocess.Popen, (["touch", marker],)),
        "builtins.__import__": Hostile(builtins.__import__, ("os",)),
    }
    out = {}
    for proto in (2, 4):
        for name, obj in objs.items():
            out[f"{name}-p{proto}"] = pickle.dumps({"state": {"w": obj}}, protocol=proto)
        out[f"posix.system-dictsub-p{proto}"] = pickle.dumps(HostileDict(touch), protocol=proto)
    return out


@pytest.fixture
def marker(tmp_path):
    return str(tmp_path / "PWNED")

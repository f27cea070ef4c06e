"""Every public module has ``__all__`` (tutorials list ``paddle.vision.models.__all__``) and every
name in it resolves; the walk never imports the PYTHONPATH stand-in package."""

from __future__ import annotations

import importlib
import pathlib

import paddlefish

PKG = pathlib.Path(paddlefish.__file__).resolve().parent


def _public_modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        if any(p.startswith("_") for p in parts) or (parts and parts[0] == "standin_path"):
            continue
        yield ".".join(["paddlefish", *parts])


def test_every_public_module_has_a_resolvable_all():
    missing_all, unresolved = [], []
    for name in _public_modules():
        module = importlib.import_module(name)
        if not hasattr(module, "__all__"):
            missing_all.append(name)
            continue
        unresolved += [f"{name}.{n}" for n in module.__all__ if not hasattr(module, n)]
    assert missing_all == []
    assert unresolved == []

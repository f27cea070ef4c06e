"""Imports point down DESIGN.md's layer table only: walk every module's imports, fail on an upward edge."""

from __future__ import annotations

import ast
import pathlib

PKG = pathlib.Path(__file__).resolve().parent.parent / "paddlefish"

# package (first path component under paddlefish/) -> layer rank
LAYER = {
    "errors": 0,
    "_core": 0,
    "ir": 1,
    "formats": 2,
    "ops": 2.5,
    "eager": 3,
    "tensor": 4,
    "nn": 4,
    "autograd": 4,
    "optimizer": 4,
    "io": 4,
    "metric": 4,
    "vision": 4,
    "audio": 4,
    "distribution": 4,
    "sparse": 4,
    "static": 5,
    "framework": 5,
    "amp": 5,
    "jit": 6,
    "checkpoint": 6,
    "inference": 6,
    "distributed": 6,
    "onnx": 6,
    "incubate": 6,
    "profiler": 6,
    "hapi": 7,
    "cli": 8,
    # compatibility names (DESIGN.md "Compatibility names"): thin re-exports at the top
    "standin": 8,
    "standin_path": 8,
    "base": 8,
    "utils": 8,
    "device": 8,
    "callbacks": 8,
    "version": 8,
    "linalg": 8,
    "fft": 8,
    "signal": 8,
    "reader": 8,
    "geometric": 8,
    "text": 8,
    "__main__": 8,
    "__init__": 8,
}
# L4 packages may import each other only along these edges (nn uses tensor; optimizer uses nn's
# ParamAttr-free pieces via tensor only).
ALLOWED_SAME_LAYER = {
    ("nn", "tensor"),
    ("autograd", "tensor"),
    ("optimizer", "tensor"),
    ("optimizer", "nn"),
    ("metric", "tensor"),
    ("io", "tensor"),
    ("vision", "tensor"),
    ("vision", "nn"),
    ("vision", "io"),
    ("audio", "tensor"),
    ("audio", "nn"),
    ("distribution", "tensor"),
    ("sparse", "tensor"),  # to_tensor/cast for sparse_*_tensor
    ("sparse", "nn"),  # sparse.nn layers subclass nn.Layer
    ("static", "framework"),
    ("__main__", "cli"),
    ("cli", "standin"),
    ("__init__", "standin"),
    ("__init__", "base"),
    ("__init__", "utils"),
    ("__init__", "device"),
    ("__init__", "callbacks"),
    ("__init__", "version"),
    ("__init__", "linalg"),
    ("__init__", "fft"),
    ("__init__", "signal"),
    ("__init__", "reader"),
    ("__init__", "geometric"),
    ("__init__", "text"),
}
SIBLINGS_NEVER = {"jit", "checkpoint", "inference", "distributed", "onnx"}
NO_TORCH = {"errors", "_core", "ir", "formats"}


def _package_of(module_path: pathlib.Path) -> str:
    rel = module_path.relative_to(PKG)
    first = rel.parts[0]
    return first.removesuffix(".py")


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = path.relative_to(PKG)
    pkg_parts = ["paddlefish", *rel.parts[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
                if not node.module:
                    for a in node.names:
                        yield node.lineno, mod + "." + a.name
                    continue
                yield node.lineno, mod
            else:
                yield node.lineno, node.module or ""


def _violations():
    out = []
    for path in sorted(PKG.rglob("*.py")):
        src = _package_of(path)
        if src not in LAYER:
            out.append(f"{path}: package {src!r} is not in DESIGN.md's layer table")
            continue
        for lineno, mod in _imports(path):
            parts = mod.split(".")
            if parts[0] == "torch" and src in NO_TORCH:
                out.append(f"{path}:{lineno}: {src} (no-torch layer) imports torch")
            if parts[0] != "paddlefish" or len(parts) < 2:
                continue
            dst = parts[1]
            if dst == src or dst not in LAYER:
                continue
            if LAYER[dst] > LAYER[src]:
                out.append(f"{path}:{lineno}: {src} (L{LAYER[src]}) imports {mod} (L{LAYER[dst]})")
            elif LAYER[dst] == LAYER[src] and (src, dst) not in ALLOWED_SAME_LAYER:
                out.append(f"{path}:{lineno}: {src} imports same-layer {mod}; not an allowed edge")
            if src in SIBLINGS_NEVER and dst in SIBLINGS_NEVER:
                out.append(f"{path}:{lineno}: L6 siblings {src} and {dst} must not import each other")
    return out


def test_no_upward_imports():
    assert _violations() == []


def test_checker_catches_an_upward_edge(tmp_path, monkeypatch):
    # the checker itself must be able to fail: plant an upward import in a fake tree
    fake = tmp_path / "paddlefish"
    (fake / "formats").mkdir(parents=True)
    (fake / "formats" / "bad.py").write_text("import torch\nfrom ..jit import save\n")
    monkeypatch.setattr(__import__(__name__), "PKG", fake)
    v = _violations()
    assert any("imports torch" in x for x in v)
    assert any("paddlefish.jit" in x for x in v)

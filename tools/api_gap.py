"""Measure how much of Paddle 2.6's public API paddlefish covers.

Two modes, run in two different environments (paddle and torch never share a process):

``.oracle/p26/bin/python tools/api_gap.py dump``
    Imports real Paddle 2.6 (and nothing of paddlefish or torch) and writes
    ``paddlefish/_core/paddle_names.json``: ``{module name: sorted public names}`` for the modules
    in ``MODULES``. Public means no leading underscore, and see NOTE [public names] for which
    names count. ``"paddle.Tensor"`` holds the methods and properties of ``paddle.Tensor``.

``python tools/api_gap.py report``
    Imports paddlefish (never paddle), looks each name up on the matching paddlefish module
    (``paddle.nn`` -> ``paddlefish.nn``, ``paddle.Tensor`` -> ``paddlefish.Tensor``) and writes
    ``docs/API_GAP.md``: per module the counts (Paddle names / present / missing) and the missing
    names; prints the summary table.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pathlib
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[1]
NAMES_JSON = ROOT / "paddlefish" / "_core" / "paddle_names.json"
REPORT_MD = ROOT / "docs" / "API_GAP.md"

MODULES = (
    "paddle",
    "paddle.nn",
    "paddle.nn.functional",
    "paddle.Tensor",
    "paddle.static",
    "paddle.jit",
    "paddle.io",
    "paddle.vision",
    "paddle.vision.transforms",
    "paddle.vision.datasets",
    "paddle.vision.models",
    "paddle.metric",
    "paddle.optimizer",
    "paddle.optimizer.lr",
    "paddle.utils",
    "paddle.base",
    "paddle.device",
    "paddle.callbacks",
    "paddle.distributed",
    "paddle.amp",
    "paddle.autograd",
    "paddle.nn.initializer",
    "paddle.regularizer",
)


# ---------------------------------------------------------------------------------------------
# dump (real Paddle)


def _public_names(obj: object, *, is_class: bool) -> list[str]:
    if is_class:
        names = set(dir(obj))
    else:
        assert isinstance(obj, types.ModuleType)
        all_ = list(getattr(obj, "__all__", None) or [])
        # NOTE [public names]: ``__all__`` when the module has a non-empty one, plus what user code
        # reaches on the module besides it: child packages (``paddle.nn``) and functions/classes
        # defined inside Paddle (``paddle.set_device`` is not in ``paddle.__all__``). Without
        # ``__all__`` (``paddle.base``), everything in ``dir()`` except modules from outside Paddle.
        names = {str(n) for n in all_}
        for n in dir(obj):
            v = getattr(obj, n, None)
            if isinstance(v, types.ModuleType):
                is_package = hasattr(v, "__path__")  # not implementation files like F.conv
                if (is_package and v.__name__.startswith(obj.__name__ + ".")) or (
                    not all_ and v.__name__.startswith("paddle.")
                ):
                    names.add(n)
            elif not all_:
                names.add(n)
            elif (
                isinstance(v, type) or callable(v)
            ) and str(getattr(v, "__module__", "") or "").startswith("paddle"):
                if not n.startswith("monkey_patch"):
                    names.add(n)
    return sorted(n for n in names if not n.startswith("_"))


def _resolve(module_name: str) -> object:
    if module_name == "paddle.Tensor":
        return importlib.import_module("paddle").Tensor
    try:
        return importlib.import_module(module_name)
    except ImportError:
        # e.g. ``paddle.regularizer`` may be an attribute rather than an importable module.
        parent, _, attr = module_name.rpartition(".")
        return getattr(importlib.import_module(parent), attr)


def dump(out: pathlib.Path = NAMES_JSON) -> dict[str, list[str]]:
    paddle = importlib.import_module("paddle")
    if "torch" in sys.modules or "paddlefish" in sys.modules:
        raise SystemExit("dump mode must run with real Paddle only (torch/paddlefish got imported)")
    result: dict[str, list[str]] = {}
    for name in MODULES:
        obj = _resolve(name)
        result[name] = _public_names(obj, is_class=name == "paddle.Tensor")
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    _atomic_write(out, text)
    total = sum(len(v) for v in result.values())
    print(f"wrote {out} from paddle {paddle.__version__}: {len(result)} modules, {total} names")
    return result


# ---------------------------------------------------------------------------------------------
# report (paddlefish)


def load_names(path: pathlib.Path = NAMES_JSON) -> dict[str, list[str]]:
    """Read and validate the names file; raise ValueError naming the problem."""
    data = json.loads(path.read_text())
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of module -> names, got {type(data)}")
    for mod, names in data.items():
        if not mod.startswith("paddle"):
            raise ValueError(f"{path}: key {mod!r} is not a paddle module name")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{path}: {mod!r} must map to a list of strings")
        if names != sorted(set(names)):
            raise ValueError(f"{path}: {mod!r} names must be sorted and unique")
        if any(n.startswith("_") for n in names):
            raise ValueError(f"{path}: {mod!r} lists a private name")
    return data


def _paddlefish_object(module_name: str) -> object | None:
    pf = importlib.import_module("paddlefish")
    if module_name == "paddle.Tensor":
        return pf.Tensor
    target = "paddlefish" + module_name[len("paddle") :]
    try:
        return importlib.import_module(target)
    except ImportError:
        pass
    obj: object = pf
    for part in module_name.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def compare(names: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """``{module: {"present": [...], "missing": [...]}}`` against the importable paddlefish."""
    if "paddle" in sys.modules:
        raise SystemExit("report mode must not import real paddle")
    out: dict[str, dict[str, list[str]]] = {}
    for mod, wanted in names.items():
        obj = _paddlefish_object(mod)
        present = [n for n in wanted if obj is not None and _has(obj, n)]
        missing = [n for n in wanted if n not in set(present)]
        out[mod] = {"present": present, "missing": missing, "module_found": [obj is not None]}
    return out


def _has(obj: object, name: str) -> bool:
    try:
        return hasattr(obj, name)
    except Exception:  # a property that raises on the class still exists
        return True


def render(result: dict[str, dict[str, list]]) -> tuple[str, str]:
    """Return (summary table, full markdown document)."""
    rows = ["| module | Paddle 2.6 names | present | missing |", "|---|---:|---:|---:|"]
    tot_all = tot_present = 0
    for mod, r in result.items():
        n_p, n_m = len(r["present"]), len(r["missing"])
        tot_all += n_p + n_m
        tot_present += n_p
        note = "" if r["module_found"][0] else " (no module)"
        rows.append(f"| `{mod}`{note} | {n_p + n_m} | {n_p} | {n_m} |")
    rows.append(f"| **total** | {tot_all} | {tot_present} | {tot_all - tot_present} |")
    table = "\n".join(rows)
    parts = [
        "# API gap: Paddle 2.6 public names missing from paddlefish",
        "",
        "Generated by `python tools/api_gap.py report` from `paddlefish/_core/paddle_names.json`",
        "(written by `.oracle/p26/bin/python tools/api_gap.py dump`). Do not edit by hand.",
        "A name counts as present when the paddlefish module has an attribute of that name",
        "(including names that raise `NotImplementedError` with a pointer to an alternative).",
        "",
        table,
        "",
    ]
    for mod, r in result.items():
        if not r["missing"]:
            continue
        parts += [f"## `{mod}` — {len(r['missing'])} missing", ""]
        parts.append(", ".join(f"`{n}`" for n in r["missing"]))
        parts.append("")
    return table, "\n".join(parts)


def report(
    names_path: pathlib.Path = NAMES_JSON, out: pathlib.Path | None = REPORT_MD
) -> dict[str, dict[str, list]]:
    result = compare(load_names(names_path))
    table, doc = render(result)
    if out is not None:
        _atomic_write(out, doc)
    print(table)
    return result


def _atomic_write(path: pathlib.Path, text: str) -> None:
    # A tool, not the library: a tiny local atomic write so dump mode needs no paddlefish import.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("mode", choices=("dump", "report"))
    ap.add_argument("--names", type=pathlib.Path, default=NAMES_JSON)
    ap.add_argument("--out", type=pathlib.Path, default=None)
    a = ap.parse_args(argv)
    if a.mode == "dump":
        dump(a.names)
    else:
        report(a.names, a.out or REPORT_MD)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dump real Paddle's public flags and their defaults to ``paddlefish/_core/paddle_flags.json``.

Run with the Paddle 2.6 oracle (it must not import torch or paddlefish):

    .oracle/p26/bin/python tools/paddle_flags.py

``paddle.get_flags`` / ``set_flags`` in paddlefish accept exactly these names (plus the GPU-build
flags listed in ``paddlefish/_core/flags.py``), with these defaults; see NOTE [flags].
"""

import json
import os
import sys

import paddle

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "paddlefish", "_core",
                   "paddle_flags.json")


def main() -> int:
    g = paddle.base.core.globals()
    flags = {k: g[k] for k in sorted(g.keys()) if g.is_public(k)}
    for k, v in flags.items():
        if isinstance(v, float):
            flags[k] = float(f"{v:.6g}")  # 0.9200000166893005 (a C float) -> 0.92
    doc = {"_meta": {"paddle": paddle.__version__, "tool": "tools/paddle_flags.py"}, "flags": flags}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(flags)} public flags of Paddle {paddle.__version__} -> {os.path.normpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dump real Paddle 2.6's ``paddle.amp.white_list()`` / ``black_list()`` into
``paddlefish/amp/_op_lists.json`` (the op-name tables paddlefish returns from the same calls).

    .oracle/p26/bin/python tools/amp_lists.py
"""

import json
import os
import warnings

import paddle

warnings.simplefilter("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "paddlefish", "amp", "_op_lists.json")


def _plain(table):
    return {
        dt: {lvl: sorted(ops) for lvl, ops in by_level.items()} for dt, by_level in table.items()
    }


with open(OUT, "w") as f:
    json.dump(
        {
            "paddle": paddle.__version__,
            "white": _plain(paddle.amp.white_list()),
            "black": _plain(paddle.amp.black_list()),
        },
        f,
        indent=1,
        sort_keys=True,
    )
    f.write("\n")
print("wrote", os.path.normpath(OUT))

"""``PYTHONPATH=$(python -m paddlefish standin-path)``: ``import paddle`` gives paddlefish.

This package exists only to be found first under the name ``paddle``: importing it installs
paddlefish's stand-in hook and replaces itself in ``sys.modules`` with ``paddlefish`` (see NOTE
[stand-in identity] in ``paddlefish/standin.py``), so ``import paddle`` returns paddlefish itself.
"""

import sys

import paddlefish

if __name__ == "paddle":  # found on PYTHONPATH as `paddle` (not walked as a paddlefish module)
    sys.modules.pop("paddle", None)
    paddlefish.as_paddle()

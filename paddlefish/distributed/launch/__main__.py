"""Entry point of ``python -m paddlefish.distributed.launch``."""

import sys

from .._launch import main

if __name__ == "__main__":
    sys.exit(main())

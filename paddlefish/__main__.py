"""``python -m paddlefish ...``: see ``paddlefish.cli``."""

import sys

from .cli import main

sys.exit(main())

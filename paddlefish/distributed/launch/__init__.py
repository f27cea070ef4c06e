"""``python -m paddlefish.distributed.launch --nproc_per_node N script.py args``."""

from .._launch import main as main
from .._launch import parse_args as parse_args

__all__ = ["main", "parse_args"]

"""``paddle.hapi.dynamic_flops``: ``flops`` of a Layer and Paddle's per-layer counting rules."""

from ._flops import Table as Table
from ._flops import dynamic_flops as dynamic_flops
from ._flops import flops as flops
from ._flops import register_hooks as register_hooks

__all__ = ["Table", "dynamic_flops", "flops", "register_hooks"]

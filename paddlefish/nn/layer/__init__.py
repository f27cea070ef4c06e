"""Layer classes; ``paddlefish.nn`` re-exports them."""

__all__ = [
]

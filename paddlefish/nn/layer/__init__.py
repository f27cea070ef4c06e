"""Layer classes; ``paddlefish.nn`` re-exports them."""

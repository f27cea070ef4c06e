"""paddlefish: PaddlePaddle 2.x's dynamic-graph API on PyTorch, file-compatible with real Paddle.

``import paddlefish as paddle`` runs ordinary Paddle 2.x code.
"""

__version__ = "0.1.0"

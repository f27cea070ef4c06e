"""``python -m pkg.tool`` under the stand-in: argv and __main__ as Python sets them."""

import sys

import paddle

print("MAIN", __name__, sys.argv[1:], type(paddle.to_tensor([1.0])).__module__)
sys.exit(5)

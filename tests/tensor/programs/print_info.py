"""Printing options, dtype limits, random state and capability queries: run unmodified by real
Paddle and by paddlefish's stand-in; the printed lines are compared."""

import numpy as np
import paddle

x = paddle.to_tensor(np.linspace(0, 1, 12, dtype="float32").reshape(3, 4) * 1234.5678)
print(x)
paddle.set_printoptions(precision=2, sci_mode=True)
print(x)
paddle.set_printoptions(precision=4, sci_mode=False, threshold=5, edgeitems=1)
print(paddle.arange(20))
print(paddle.to_tensor([[1.5, -2.25], [3.0, 4.125]]))
paddle.set_printoptions(precision=8, threshold=1000, edgeitems=3)
for dt in (paddle.float16, paddle.bfloat16, paddle.float32, "float64"):
    f = paddle.finfo(dt)
    print(f.bits, f.eps, f.min, f.max, f.tiny, f.smallest_normal, f.resolution, f.dtype)
for dt in (paddle.int8, paddle.int16, "int32", paddle.int64, paddle.uint8):
    i = paddle.iinfo(dt)
    print(i.bits, i.min, i.max, i.dtype)
paddle.seed(3)
state = paddle.get_rng_state()
a = paddle.rand([3]).numpy()
paddle.set_rng_state(state)
print(type(state).__name__, len(state), bool((paddle.rand([3]).numpy() == a).all()))
print(paddle.is_compiled_with_rocm(), paddle.is_compiled_with_cinn(), paddle.is_compiled_with_ipu(),
      paddle.is_compiled_with_custom_device("npu"), paddle.get_cuda_rng_state())
paddle.disable_signal_handler()
with paddle.LazyGuard():
    net = paddle.nn.Linear(2, 3)
print(list(net.weight.shape))

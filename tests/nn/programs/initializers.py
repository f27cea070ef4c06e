"""The 1.x-style initializer classes and Dirac, run unmodified by real Paddle and by paddlefish's
stand-in; prints one JSON line."""

import json

import numpy as np
import paddle

I = paddle.nn.initializer
out = {}


def weight(layer_cls, *args, init):
    return layer_cls(*args, weight_attr=paddle.ParamAttr(initializer=init)).weight.numpy()


out["dirac"] = weight(paddle.nn.Conv2D, 2, 4, 3, init=I.Dirac()).tolist()
out["dirac_groups"] = weight(paddle.nn.Conv1D, 2, 4, 3, init=I.Dirac(groups=2)).tolist()
out["constant"] = weight(paddle.nn.Linear, 2, 3, init=I.ConstantInitializer(0.25)).tolist()
out["numpy"] = weight(
    paddle.nn.Linear, 2, 2, init=I.NumpyArrayInitializer(np.array([[1.0, 2.0], [3.0, 4.0]]))
).tolist()
u = weight(paddle.nn.Linear, 3, 4, init=I.UniformInitializer(-0.1, 0.1, diag_num=3, diag_step=5,
                                                             diag_val=9.0)).ravel()
out["uniform_diag_ignored"] = bool((np.abs(u) <= 0.1).all())  # eager Paddle ignores diag_*
x = weight(paddle.nn.Linear, 300, 200, init=I.XavierInitializer(uniform=True))
out["xavier_bound"] = bool(np.abs(x).max() <= np.sqrt(6.0 / 500) + 1e-7)
m = weight(paddle.nn.Linear, 400, 300, init=I.MSRAInitializer(uniform=False))
out["msra_std"] = round(float(m.std() / np.sqrt(2.0 / 400)), 1)
n = weight(paddle.nn.Linear, 300, 300, init=I.NormalInitializer(loc=1.0, scale=0.5))
out["normal"] = [round(float(n.mean()), 1), round(float(n.std()), 1)]
t = weight(paddle.nn.Linear, 300, 300, init=I.TruncatedNormalInitializer(scale=0.5))
out["trunc_bound"] = bool(np.abs(t).max() <= 1.0)
out["isinstance"] = [
    isinstance(I.Constant(), I.ConstantInitializer),
    isinstance(I.Normal(), I.NormalInitializer),
    isinstance(I.TruncatedNormal(), I.TruncatedNormalInitializer),
    isinstance(I.Uniform(), I.UniformInitializer),
    isinstance(I.XavierUniform(), I.XavierInitializer),
    isinstance(I.XavierNormal(), I.XavierInitializer),
    isinstance(I.KaimingNormal(), I.MSRAInitializer),
    isinstance(I.Assign(np.zeros(1)), I.NumpyArrayInitializer),
]
try:
    weight(paddle.nn.Linear, 2, 3, init=I.Dirac())
    out["dirac_linear"] = "no error"
except Exception as e:  # noqa: BLE001 - the error kind is compared
    out["dirac_linear"] = type(e).__name__
print(json.dumps(out))

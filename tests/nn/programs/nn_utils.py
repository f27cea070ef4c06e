"""weight_norm / spectral_norm / parameter-vector / gradient-clipping uses, run unmodified by
real Paddle and by paddlefish's stand-in; prints one JSON line."""

import json

import numpy as np
import paddle
from paddle.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    parameters_to_vector,
    remove_weight_norm,
    spectral_norm,
    vector_to_parameters,
    weight_norm,
)

rng = np.random.RandomState(0)
out = {}


def fill(layer):
    for p in layer.parameters():
        p.set_value(rng.uniform(-1, 1, p.shape).astype("float32"))
    return layer


def arr(t):
    return np.asarray(t.numpy()).round(5).tolist()


x = paddle.to_tensor(rng.rand(2, 3).astype("float32"))
xc = paddle.to_tensor(rng.rand(1, 2, 5, 5).astype("float32"))
lin = fill(paddle.nn.Linear(3, 4))
ref = lin(x)
weight_norm(lin)
out["wn_keys"] = {k: list(v.shape) for k, v in lin.state_dict().items()}
out["wn_same"] = bool(np.allclose(lin(x).numpy(), ref.numpy(), atol=1e-6))
out["wn_g"] = arr(lin.weight_g)
lin.weight_g.set_value(lin.weight_g.numpy() * 2)
out["wn_scaled"] = arr(lin(x))
loss = lin(x).sum()
loss.backward()
out["wn_grads"] = [arr(lin.weight_g.grad), arr(lin.weight_v.grad)]
remove_weight_norm(lin)
out["wn_removed"] = [sorted(lin.state_dict()), arr(lin(x))]
for dim in (1, None):
    conv = fill(paddle.nn.Conv2D(2, 3, 2))
    weight_norm(conv, dim=dim)
    out[f"wn_conv_{dim}"] = [
        {k: list(v.shape) for k, v in conv.state_dict().items()},
        arr(conv(xc).sum(axis=[2, 3])),
    ]
sn = fill(paddle.nn.Linear(3, 4))
spectral_norm(sn, n_power_iterations=2)
sd = sn.state_dict()
out["sn_keys"] = {k: list(v.shape) for k, v in sd.items()}
sn.weight_u.set_value(rng.rand(4).astype("float32"))
sn.weight_v.set_value(rng.rand(3).astype("float32"))
sn.eval()
out["sn_eval"] = arr(sn(x))
sn.train()
out["sn_train"] = [arr(sn(x)), arr(sn.weight_u), arr(sn.weight_v)]
convs = fill(paddle.nn.Conv2D(2, 3, 2))
spectral_norm(convs)
out["sn_conv_keys"] = {k: list(v.shape) for k, v in convs.state_dict().items()}
net = fill(paddle.nn.Linear(3, 2))
vec = parameters_to_vector(net.parameters())
out["p2v"] = [arr(vec), vec.stop_gradient]
vector_to_parameters(vec * 2, net.parameters())
out["v2p"] = [arr(p) for p in net.parameters()]
net(x).sum().backward()
total = clip_grad_norm_(net.parameters(), max_norm=0.5)
out["clip_norm"] = [round(float(total), 4), [arr(p.grad) for p in net.parameters()]]
net.clear_gradients()
(net(x) * 5).sum().backward()
clip_grad_value_(net.parameters(), 0.3)
out["clip_value"] = [arr(p.grad) for p in net.parameters()]
total1 = clip_grad_norm_(net.parameters(), max_norm=0.1, norm_type=1.0)
out["clip_norm_l1"] = round(float(total1), 4)
print(json.dumps(out))

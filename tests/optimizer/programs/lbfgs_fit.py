"""LBFGS fitting a small regression, run unmodified by real Paddle and by paddlefish's stand-in;
prints one JSON line (parameters, losses, state counters) per line-search setting."""

import json

import numpy as np
import paddle

rng = np.random.RandomState(0)
X = paddle.to_tensor(rng.rand(16, 3).astype("float32"))
Y = paddle.to_tensor((rng.rand(16, 2) * 2 - 1).astype("float32"))
out = {}
for ls in (None, "strong_wolfe"):
    net = paddle.nn.Sequential(paddle.nn.Linear(3, 4), paddle.nn.Tanh(), paddle.nn.Linear(4, 2))
    for p in net.parameters():
        p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
    opt = paddle.optimizer.LBFGS(
        learning_rate=0.5,
        max_iter=6,
        history_size=4,
        line_search_fn=ls,
        parameters=net.parameters(),
    )

    def closure(opt=opt, net=net):
        opt.clear_grad()
        loss = paddle.nn.functional.mse_loss(net(X), Y)
        loss.backward()
        return loss

    losses = [float(opt.step(closure)) for _ in range(3)]
    st = opt.state_dict()["state"]
    out[str(ls)] = {
        "losses": losses,
        "params": [p.numpy().round(5).tolist() for p in net.parameters()],
        "func_evals": st["func_evals"],
        "n_iter": st["n_iter"],
        "n_hist": len(st["old_yk"]),
    }
try:
    opt.minimize(paddle.to_tensor(1.0))
except NotImplementedError as e:
    out["minimize"] = str(e)[:40]
print(json.dumps(out))

"""An ordinary Paddle AMP training script (written for GPUs), run unmodified on CPU by real
Paddle and by paddlefish's stand-in; prints one JSON line of what it observed."""

import json
import warnings

import numpy as np
import paddle

seen = []


def note(w):
    seen.extend(f"{x.category.__name__}: {x.message}" for x in w if "ccache" not in str(x.message))


paddle.seed(7)
np.random.seed(7)
net = paddle.nn.Sequential(paddle.nn.Linear(6, 8), paddle.nn.ReLU(), paddle.nn.Linear(8, 2))
rng = np.random.RandomState(0)
for p in net.parameters():  # the same weights in every framework
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
opt = paddle.optimizer.Adam(learning_rate=0.01, parameters=net.parameters())
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    net, opt = paddle.amp.decorate(models=net, optimizers=opt, level="O2")
    scaler = paddle.amp.GradScaler(init_loss_scaling=1024)
note(w)
x = paddle.to_tensor(np.random.rand(4, 6).astype("float32"))
y = paddle.to_tensor(np.random.randint(0, 2, (4, 1)).astype("int64"))
losses, dtypes = [], []
for step in range(4):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        with paddle.amp.auto_cast(level="O2", custom_black_list={"reduce_mean"}):
            out = net(x)
            loss = paddle.nn.functional.cross_entropy(out, y)
        dtypes.append(str(out.dtype))
        scaled = scaler.scale(loss)
        scaled.backward()
        if step % 2:
            scaler.step(opt)
            scaler.update()
        else:
            scaler.minimize(opt, scaled)
        opt.clear_grad()
    note(w)
    losses.append(float(loss))
errors = []
for kw in ({"level": "O3"}, {"dtype": "float32"}):
    for fn in ("auto_cast", "decorate"):
        try:
            if fn == "auto_cast":
                with paddle.amp.auto_cast(**kw):
                    pass
            else:
                paddle.amp.decorate(models=net, **kw)
        except Exception as e:  # noqa: BLE001 - the message is what is compared
            errors.append(f"{fn} {kw}: {type(e).__name__}: {e}")

lin = paddle.nn.Linear(6, 2)
for p in lin.parameters():
    p.set_value(rng.uniform(-0.5, 0.5, p.shape).astype("float32"))
model = paddle.Model(lin)
model.prepare(
    paddle.optimizer.SGD(learning_rate=0.1, parameters=model.parameters()),
    paddle.nn.CrossEntropyLoss(),
    amp_configs={"level": "O1", "init_loss_scaling": 128, "custom_white_list": {"matmul"}},
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    fit_losses = [float(model.train_batch([x], [y])[0]) for _ in range(3)]
print(
    json.dumps(
        {
            "losses": losses,
            "fit_losses": fit_losses,
            "dtypes": dtypes,
            "warnings": sorted(set(seen)),
            "errors": errors,
            "scaler": [scaler.is_enable(), scaler.state_dict()],
            "weight": float(net[0].weight.sum()),
            "supported": [paddle.amp.is_float16_supported(), paddle.amp.is_bfloat16_supported()],
            "white_bf16_O1": sorted(paddle.amp.white_list()["bfloat16"]["O1"]),
            "black_fp16_O2": sorted(paddle.amp.black_list()["float16"]["O2"]),
        }
    )
)

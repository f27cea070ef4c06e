"""Training harness shared with the Paddle oracle (sent to it as source; numpy/json only).

``run_case(paddle, R, guard, expr, data, steps)`` builds Linear(8,16)-ReLU-Linear(16,4) with the
given initial weights, builds the optimizer from ``expr`` (evaluated with ``paddle``, ``R`` (the
regularizer module) and ``params`` in scope), trains ``steps`` steps of MSE on the given batches
and returns the final parameters and a snapshot of ``opt.state_dict()`` after 3 steps.
"""


def run_case(paddle, R, guard, expr, data, steps):
    with guard():  # names (linear_0.w_0, ..._moment1_0) independent of earlier cases
        return _run(paddle, R, expr, data, steps)


def _run(paddle, R, expr, data, steps):
    import numpy as np

    l1 = paddle.nn.Linear(8, 16)
    l2 = paddle.nn.Linear(16, 4)
    params = l1.parameters() + l2.parameters()
    for p, key in zip(params, ["w1", "b1", "w2", "b2"]):
        p.set_value(data[key])
    opt = eval(expr, {"paddle": paddle, "R": R, "params": params, "l1": l1, "l2": l2})
    snap = None
    for i in range(steps):
        x = paddle.to_tensor(data["x"][i])
        y = paddle.to_tensor(data["y"][i])
        out = l2(paddle.nn.functional.relu(l1(x)))
        diff = out - y
        loss = (diff * diff).mean()
        loss.backward()
        opt.step()
        opt.clear_grad()
        sched = opt._learning_rate
        if not isinstance(sched, float):
            sched.step()
        if i == 2:
            snap = []
            for k, v in opt.state_dict().items():
                if k == "LR_Scheduler":
                    snap.append((k, "sched", {a: float(b) for a, b in v.items()}))
                else:
                    snap.append((k, list(v.shape), np.array(v.numpy())))
    final = {k: p.numpy() for k, p in zip(["w1", "b1", "w2", "b2"], params)}
    return final, snap

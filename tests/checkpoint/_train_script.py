"""A hand-written training loop with a CheckpointManager, run as a subprocess by
test_kill_resume.py: ``python _train_script.py CKDIR LOG MODE STOP_AT [async]``.

MODE ``plain`` trains to the end; ``kill`` SIGKILLs itself right after step STOP_AT unless it resumed (no
warning: whatever the manager had in flight is lost); ``slow`` sleeps a little per step so the
test can SIGTERM it from outside. Each step appends ``step epoch sample-ids loss.hex()`` to LOG.
Restarted with the same command, it resumes from the newest checkpoint.
"""

import os
import signal
import sys
import time

import numpy as np

import paddlefish as paddle
from paddlefish.checkpoint import CheckpointManager
from paddlefish.io import DataLoader, Dataset

EPOCHS = 3


class Data(Dataset):
    def __init__(self):
        rs = np.random.RandomState(0)
        self.x = rs.randn(30, 6).astype("float32")
        self.y = rs.randint(0, 3, 30).astype("int64")

    def __len__(self):
        return 30

    def __getitem__(self, i):
        noise = np.random.randn(6).astype("float32") * 0.01  # augmentation: numpy's global RNG
        return self.x[i] + noise, self.y[i], np.int64(i)


def main():
    ckdir, log_path, mode, stop_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    use_async = len(sys.argv) > 5 and sys.argv[5] == "async"
    paddle.seed(2024)
    net = paddle.nn.Sequential(
        paddle.nn.Linear(6, 16), paddle.nn.ReLU(), paddle.nn.Dropout(0.3), paddle.nn.Linear(16, 3)
    )
    sched = paddle.optimizer.lr.StepDecay(0.05, step_size=1, gamma=0.7)
    opt = paddle.optimizer.Adam(sched, parameters=net.parameters())
    loader = DataLoader(Data(), batch_size=4, shuffle=True)
    mgr = CheckpointManager(ckdir, max_to_keep=2, save_interval_steps=3, async_save=use_async)
    mgr.install_preemption_handler((signal.SIGTERM,))
    step, first_epoch = 0, 0
    resumed = mgr.latest_step() is not None
    if resumed:
        r = mgr.restore(model=net, optimizer=opt, lr_scheduler=sched)
        step, first_epoch = r.step, r.data_state["epoch"]
        loader.set_state_dict(r.data_state["loader"])
    with open(log_path, "a") as log:
        for epoch in range(first_epoch, EPOCHS):
            for x, y, idx in loader:
                step += 1
                loss = paddle.nn.functional.cross_entropy(net(x), y)
                loss.backward()
                opt.step()
                opt.clear_grad()
                log.write(f"{step} {epoch} {idx.tolist()} {float(loss).hex()}\n")
                log.flush()
                state = {"epoch": epoch, "loader": loader.state_dict()}
                mgr.save(step, model=net, optimizer=opt, lr_scheduler=sched, data_state=state)
                if mode == "kill" and step == stop_at and not resumed:  # only the first run dies
                    os.kill(os.getpid(), signal.SIGKILL)
                if mode == "slow":
                    time.sleep(0.15)
                if mgr.preempted:  # SIGTERM: this step is done; save it and leave cleanly
                    mgr.save(step, model=net, optimizer=opt, lr_scheduler=sched, data_state=state)
                    mgr.close()
                    print(f"preempted at step {step}", flush=True)
                    return
            sched.step()
    mgr.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()

"""Real Paddle 3.3 side of tests/jit/test_pir_load.py (run in a subprocess, default PIR mode):
export each model of ``spec.json`` with ``paddle.jit.save``, run the dygraph layer and Paddle's
own ``jit.load`` of the export, record the loaded state dict and a short fine-tuning run."""
import json, os, sys, runpy, traceback, numpy as np, paddle
root = sys.argv[1]
spec = json.load(open(os.path.join(root, "spec.json")))
report = {}
def outs(r):
    if isinstance(r, (list, tuple)): return [x.numpy() for x in r]
    if isinstance(r, dict): return [r[k].numpy() for k in r]
    return [r.numpy()]
def first(r):
    if isinstance(r, (list, tuple)): return r[0]
    if isinstance(r, dict): return list(r.values())[0]
    return r
for name, m in spec.items():
    d = os.path.join(root, name); os.makedirs(d, exist_ok=True)
    rep = report[name] = {}
    try:
        src = os.path.join(d, "model_src.py"); open(src, "w").write(m["source"])
        ns = runpy.run_path(src)
        paddle.seed(0)
        if m["kind"] == "zoo":
            layer, specs, make = ns["build"]()
            rng = np.random.default_rng(0)
            cases = [make(rng, b) for b in m["batches"]]
        else:
            layer = ns[m["cls"]]()
            specs = [paddle.static.InputSpec(*s) for s in m["specs"]]
            cases = [[np.asarray(a, dtype=s[1]) for a, s in zip(c, m["specs"])] for c in m["cases"]]
        layer.eval()
        prefix = os.path.join(d, "model")
        paddle.jit.save(layer, prefix, input_spec=specs)
        res = {}
        for i, xs in enumerate(cases):
            for j, x in enumerate(xs): res[f"in_{i}_{j}"] = x
            try:  # Paddle's own dygraph call fails for some control-flow inputs (int(array[1]))
                for j, o in enumerate(outs(layer(*[paddle.to_tensor(x) for x in xs]))):
                    res[f"dyg_{i}_{j}"] = o
            except Exception as e:
                rep["dyg_error"] = repr(e)[:300]
        loaded = paddle.jit.load(prefix); loaded.eval()
        for i, xs in enumerate(cases if m.get("run_loaded", True) else []):
            for j, o in enumerate(outs(loaded(*[paddle.to_tensor(x) for x in xs]))): res[f"jit_{i}_{j}"] = o
        sd = loaded.state_dict()
        rep["state_keys"] = list(sd.keys())
        rep["state_names"] = [v.name for v in sd.values()]
        for k, v in sd.items(): res["sd:" + k] = v.numpy()
        rep["n_cases"] = len(cases)
        rep["param_names"] = [p.name for p in loaded.parameters()]
        if m.get("finetune"):
          try:
            loaded.train()
            params = [p for p in loaded.parameters() if not p.stop_gradient]
            opt = paddle.optimizer.SGD(1e-3, parameters=params)
            xs = [paddle.to_tensor(x) for x in cases[-1]]
            losses = []
            for _ in range(3):
                loss = (first(loaded(*xs)).astype("float32") ** 2).mean()
                loss.backward(); opt.step(); opt.clear_grad(); losses.append(float(loss))
            rep["ft_losses"] = losses
            for k, v in loaded.state_dict().items(): res["ft:" + k] = v.numpy()
          except Exception:  # Paddle 3.3 cannot backpropagate through a loaded PIR rnn
            rep["ft_error"] = traceback.format_exc()[-1500:]
        np.savez(os.path.join(d, "ref.npz"), **res)
    except Exception:
        rep["error"] = traceback.format_exc()[-3000:]
print(json.dumps(report))

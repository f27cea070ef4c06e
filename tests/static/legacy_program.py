"""A Paddle 2.6 static program made of the legacy (1.x) ops, built with ``append_op``: the oracle
script embeds ``SOURCE`` after ``import paddle; paddle.enable_static()``; it defines ``main``,
``startup``, the feeds ``ids``/``x``/``lbl`` and ``FETCH`` (the outputs to compare)."""

SOURCE = '''
main, startup = paddle.static.Program(), paddle.static.Program()
with paddle.utils.unique_name.guard(), paddle.static.program_guard(main, startup):
    ids = paddle.static.data("ids", [None, 5, 1], "int64")
    x = paddle.static.data("x", [None, 5, 4], "float32")
    blk = main.global_block()
    def op(type, ins, outs, attrs, dt="float32"):
        o = {}
        for k in outs:
            o[k] = blk.create_var(name=paddle.utils.unique_name.generate(type + ".tmp"), dtype=(outs[k] if isinstance(outs, dict) else dt))
        blk.append_op(type=type, inputs=ins, outputs=o, attrs=attrs)
        return o
    emb_w = paddle.static.create_parameter([20, 4], "float32", name="emb_w")
    sc = paddle.static.create_parameter([5], "float32", name="sc")
    e = op("lookup_table", {"W": emb_w, "Ids": ids}, ["Out"], {"padding_idx": 0})["Out"]
    s = op("elementwise_mul", {"X": e, "Y": x}, ["Out"], {"axis": -1})["Out"]
    s2 = op("elementwise_add", {"X": s, "Y": sc}, ["Out"], {"axis": 1})["Out"]
    t = op("transpose", {"X": s2}, ["Out"], {"axis": [0, 2, 1]})["Out"]
    m = op("matmul", {"X": t, "Y": s2}, ["Out"], {"transpose_X": False, "transpose_Y": False, "alpha": 0.5})["Out"]
    r = op("reshape", {"X": m}, ["Out"], {"shape": [0, 16]})["Out"]
    d = op("dropout", {"X": r}, {"Out": "float32", "Mask": "uint8"}, {"dropout_prob": 0.3, "is_test": True, "dropout_implementation": "downgrade_in_infer"})["Out"]
    f = paddle.static.nn.fc(d, 6)
    sq = op("expand", {"X": f}, ["Out"], {"expand_times": [1, 2]})["Out"]
    tk = op("top_k", {"X": f}, {"Out": "float32", "Indices": "int64"}, {"k": 2})
    fl = op("flatten2", {"X": x}, ["Out", "XShape"], {"axis": 1})["Out"]
    f2 = paddle.static.nn.fc(fl, 3)
    sm = paddle.nn.functional.softmax(f2)
    lbl = paddle.static.data("lbl", [None, 1], "int64")
    ce = op("cross_entropy", {"X": sm, "Label": lbl}, ["Y"], {"soft_label": False})["Y"]
    tk2 = op("top_k", {"X": sm}, {"Out": "float32", "Indices": "int64"}, {"k": 1})
    acc = op("accuracy", {"Out": tk2["Out"], "Indices": tk2["Indices"], "Label": lbl}, {"Accuracy": "float32", "Correct": "int32", "Total": "int32"}, {})["Accuracy"]
FETCH = [sq, tk["Out"], tk["Indices"], ce, acc]
FEEDS = [ids, x, lbl]
'''

"""Export trained variants as model packs for the lab (public/models/<id>/).

  /usr/bin/python3 export.py --src out --dest ../../public/models --variants all
  /usr/bin/python3 export.py --src OUTDIR --dest ../../public/models --variants family-e8-s1:family-e8,collapse

--variants takes run folders under --src, each optionally RUN:PACK_ID (default: the run name); the
architecture, fact skill and router bias come from the run's train_log.json.

Reads out/<variant>/state.pt + train_log.json; re-measures accuracy, validation loss and expert usage
on the exported weights (CPU, float32); writes the pack files, public/models/index.json and the model
card public/models/README.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import build_corpus, eval_sets, skill_names  # noqa: E402
from evaluate import accuracy, expert_usage, greedy_complete, val_loss  # noqa: E402
from model import ORIGINAL_VARIANTS, ModelConfig, MoELM, count_params, rope_cos_sin  # noqa: E402
from tokenizer import BOS, EOS, encode, tokenizer_json  # noqa: E402
from train import EVAL_SEED, VAL_SEED  # noqa: E402

FORMAT_VERSION = 1
OPSET = 17
GOLDEN_PROMPTS = [
    "add: 37+45=",
    "reverse: hello -> ",
    "date: 2024-03-15 -> ",
    "story: mia has a red ball. what color is the ball? -> ",
]
DESCRIPTIONS = {
    "mixtral-style": "8 experts, top-2, softmax router with renormalisation (Mixtral). The lab's default.",
    "fine-grained": "32 small experts, top-4 (OLMoE / Qwen-MoE style fine-grained experts).",
    "shared-expert": "16 routed experts (top-4) + 1 always-on shared expert (DeepSeek style).",
    "dense": "Dense SwiGLU FFN with the active FFN width of mixtral-style (the baseline). "
             "Packed as one expert with weight 1 (E=1, k=1, no router).",
    "collapse": "8 experts, top-2, trained without the load-balancing loss: the router collapses onto a few "
                "experts (router collapse).",
    "bias-balance": "8 experts, top-2, no load-balancing loss: DeepSeek-V3 auxiliary-loss-free balancing, a "
                    "per-expert bias added to the router probabilities for the top-k choice only.",
    "large": "Hidden 384, 6 layers, 16 experts top-2: the pack where the GPU matters (loaded on demand).",
}
for _e in (1, 4, 8, 16, 32, 64):
    DESCRIPTIONS[f"family-e{_e}"] = (
        "Equal-compute family, E = 1: dense SwiGLU FFN of width 144 (= 2 x 72), packed as one expert."
        if _e == 1 else
        f"Equal-compute family, E = {_e}: {_e} experts of FFN width 72, top-2 (active FFN width 144 "
        "like every member); only the number of experts changes.")


def description(pack_id: str, variant: str) -> str:
    return DESCRIPTIONS.get(pack_id) or DESCRIPTIONS.get(variant) or variant


class EmbedG(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m.embed(input_ids)


class AttnG(nn.Module):
    def __init__(self, m, l):
        super().__init__()
        self.m, self.blk = m, m.blocks[l]

    def forward(self, hidden, past_key, past_value, positions):
        cos, sin = rope_cos_sin(positions, self.m.c.head_dim, self.m.c.rope_theta)
        return self.blk.attn_part(hidden, cos, sin, past_key, past_value)


class HeadG(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, hidden):
        return self.m.logits_from_hidden(hidden)


class RefG(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m(input_ids)[0]


def export_onnx(module, args, path, in_names, out_names, dyn):
    torch.onnx.export(module, args, path, input_names=in_names, output_names=out_names, dynamic_axes=dyn,
                      opset_version=OPSET, do_constant_folding=True)
    import onnx

    onnx.checker.check_model(onnx.load(path))


def write_safetensors(path, tensors):
    """F32 little-endian, header JSON padded with spaces to a multiple of 8 bytes."""
    header, blobs, off = {}, [], 0
    for name, arr in tensors:
        a = np.ascontiguousarray(arr, dtype="<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {"format": "pt", "producer": "moe-lab tools/train/export.py"}
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def f32list(t, sig=9):
    return [float(f"{v:.{sig}g}") for v in t.reshape(-1).tolist()]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def golden(model, c: ModelConfig):
    order = ("in descending order of p + router bias (the selection score; the weights are the unbiased "
             "renormalised probabilities)" if c.router_bias else "in descending order")
    out = {"prompts": [], "note": "ids include <bos>; logits are float32 row-major [T,V] for every position; "
                                  "routing per layer: topk_ids/topk_weights [T][k] (weights after "
                                  f"renormalisation, {order}); moe_sample: moe_out = MoE(moe_in) "
                                  "without the residual, shapes [T,D]."}
    with torch.no_grad():
        for p in GOLDEN_PROMPTS:
            ids = [BOS] + encode(p)
            x = torch.tensor([ids])
            logits, _, routes = model(x, return_routes=True)
            entry = {"text": p, "ids": ids, "shape": [len(ids), c.vocab_size],
                     "logits": f32list(logits[0]), "last_logits": f32list(logits[0, -1]),
                     "greedy_completion": greedy_complete(model, [p], torch.device("cpu"))[0],
                     "routing": []}
            for l, r in enumerate(routes):
                if r is None:
                    continue
                topi, topv = r
                entry["routing"].append({"layer": l, "topk_ids": topi[0].tolist(),
                                         "topk_weights": [[float(f"{w:.9g}") for w in row] for row in topv[0].tolist()]})
            out["prompts"].append(entry)
        # one layer's MoE input and output for prompt 0 (layer 0)
        ids = torch.tensor([[BOS] + encode(GOLDEN_PROMPTS[0])])
        T = ids.shape[1]
        pos = torch.arange(T).unsqueeze(0)
        cos, sin = rope_cos_sin(pos, c.head_dim, c.rope_theta)
        h, m, _, _ = model.blocks[0].attn_part(model.embed(ids), cos, sin)
        mo, _, _ = model.blocks[0].moe(m)
        out["moe_sample"] = {"prompt_index": 0, "layer": 0, "shape": [T, c.hidden],
                             "moe_in": f32list(m[0]), "moe_out": f32list(mo[0])}
    return out


def export_variant(name, src, dest, skip_eval=False, reuse_stats=False, run=None):
    """Export run folder `run` (default `name`) under `src` as pack `name` under `dest`."""
    t0 = time.time()
    run = run or name
    with open(os.path.join(src, run, "train_log.json")) as f:
        log = json.load(f)
    c = ModelConfig(**log["config"])
    targs = log.get("args", {})
    facts, fact_seed = int(targs.get("facts") or 0), int(targs.get("fact_seed") or 7)
    fk = dict(facts=facts, fact_share=float(targs.get("fact_share") or 0.0), fact_seed=fact_seed) if facts else {}
    desc = description(name, log.get("variant", name))
    model = MoELM(c)
    sd = torch.load(os.path.join(src, run, "state.pt"), map_location="cpu")
    model.load_state_dict({k: v.float() for k, v in sd.items()})  # state.pt may be float16
    model.eval()
    for b in model.blocks:
        b.moe.compute_aux = False
    d = os.path.join(dest, name)
    os.makedirs(d, exist_ok=True)
    old_stats = None
    if reuse_stats and os.path.exists(os.path.join(d, "card.json")):
        with open(os.path.join(d, "card.json")) as f:
            old = json.load(f)
        if old.get("accuracy"):
            old_stats = {k: old[k] for k in ("accuracy", "mean_accuracy", "val_loss", "expert_usage", "failures")
                         if k in old}
    for fn in os.listdir(d):
        os.remove(os.path.join(d, fn))
    B, T, P = 2, 5, 3
    H, hd = c.kv_heads, c.head_dim
    ids = torch.randint(5, c.vocab_size, (B, T))
    with torch.no_grad():
        export_onnx(EmbedG(model), (ids,), os.path.join(d, "embed.onnx"), ["input_ids"], ["hidden"],
                    {"input_ids": {0: "B", 1: "T"}, "hidden": {0: "B", 1: "T"}})
        hid = torch.randn(B, T, c.hidden)
        for l in range(c.layers):
            pk, pv = torch.randn(B, H, P, hd), torch.randn(B, H, P, hd)
            pos = torch.arange(P, P + T).unsqueeze(0).expand(B, T).contiguous()
            export_onnx(AttnG(model, l), (hid, pk, pv, pos), os.path.join(d, f"attn_{l}.onnx"),
                        ["hidden", "past_key", "past_value", "positions"],
                        ["h", "moe_in", "present_key", "present_value"],
                        {"hidden": {0: "B", 1: "T"}, "past_key": {0: "B", 2: "P"}, "past_value": {0: "B", 2: "P"},
                         "positions": {0: "B", 1: "T"}, "h": {0: "B", 1: "T"}, "moe_in": {0: "B", 1: "T"},
                         "present_key": {0: "B", 2: "S"}, "present_value": {0: "B", 2: "S"}})
        export_onnx(HeadG(model), (hid,), os.path.join(d, "head.onnx"), ["hidden"], ["logits"],
                    {"hidden": {0: "B", 1: "T"}, "logits": {0: "B", 1: "T"}})
        export_onnx(RefG(model), (ids,), os.path.join(d, "reference.onnx"), ["input_ids"], ["logits"],
                    {"input_ids": {0: "B", 1: "T"}, "logits": {0: "B", 1: "T"}})
    tensors = []
    for l, b in enumerate(model.blocks):
        mo = b.moe
        if mo.router is not None:
            tensors.append((f"layers.{l}.router.weight", mo.router.detach().numpy()))
        if mo.router_bias is not None:
            # selection score p + bias (top-k choice only; the weights stay the unbiased p)
            tensors.append((f"layers.{l}.router.bias", mo.router_bias.detach().numpy()))
        tensors += [(f"layers.{l}.experts.w1", mo.w1.detach().numpy()),
                    (f"layers.{l}.experts.w3", mo.w3.detach().numpy()),
                    (f"layers.{l}.experts.w2", mo.w2.detach().numpy())]
        if c.shared_ffn > 0:
            tensors += [(f"layers.{l}.shared.w1", mo.s1.detach().numpy()),
                        (f"layers.{l}.shared.w3", mo.s3.detach().numpy()),
                        (f"layers.{l}.shared.w2", mo.s2.detach().numpy())]
    write_safetensors(os.path.join(d, "moe.safetensors"), tensors)
    with open(os.path.join(d, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(), f, indent=1)
    evals = eval_sets(EVAL_SEED, facts=facts, fact_seed=fact_seed,
                      fact_eval=int(targs.get("fact_eval") or 200)) if facts else eval_sets(EVAL_SEED)
    with open(os.path.join(d, "eval.json"), "w") as f:
        json.dump({"format_version": FORMAT_VERSION, "seed": EVAL_SEED,
                   "note": "feed [<bos>] + encode(prompt), decode greedily until <eos>; exact match with expected",
                   "skills": {k: [{"prompt": p, "expected": e} for p, e in v] for k, v in evals.items()}}, f)
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(golden(model, c), f, separators=(",", ":"))
    dev = torch.device("cpu")
    stats = {}
    if old_stats is not None:
        stats = old_stats  # same weights, same deterministic evaluation: measured by an earlier export run
    elif not skip_eval:
        val_rows = build_corpus(VAL_SEED, EVAL_SEED, 20000, c.max_context, **fk)[:2000]
        failures = {}
        acc = accuracy(model, evals, dev, failures)
        stats = {"accuracy": acc, "mean_accuracy": sum(acc.values()) / len(acc), "failures": failures,
                 "val_loss": val_loss(model, val_rows, dev), "expert_usage": expert_usage(model, evals, dev)}
    if facts and not skip_eval and old_stats is None:
        stats["val_loss_skills10"] = val_loss(model, build_corpus(VAL_SEED, EVAL_SEED, 20000, c.max_context)[:2000], dev)
    extra = {}
    if facts:
        extra["fact_skill"] = {"facts": facts, "share": fk["fact_share"], "seed": fact_seed,
                               "note": "the fact eval set is a fixed sample of the trained facts: memorisation "
                                       "is the point (the other skills' eval prompts are held out)"}
    if log.get("balance"):
        extra["train_time_balance"] = log["balance"]
    if c.router_bias:
        extra["router_bias"] = {"gamma": log.get("bias_gamma"), "values": log.get("router_bias")}
    if name not in ORIGINAL_VARIANTS or run != name:
        extra = {"run": run, "variant": log.get("variant", name), **extra}
    card = {"id": name, "description": desc, "params": count_params(c), **extra,
            "training": {k: log.get(k) for k in ("steps", "train_seconds", "torch", "device", "device_name")},
            "training_args": log["args"], "train_time_accuracy": log.get("accuracy"),
            "train_time_val_loss": log.get("val_loss"),
            "final_train_ce": log["history"][-1]["ce"] if log.get("history") else None,
            "eval_device": "cpu float32 (torch %s), exported weights" % torch.__version__, **stats}
    with open(os.path.join(d, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
    files = []
    order = ["embed.onnx"] + [f"attn_{l}.onnx" for l in range(c.layers)] + [
        "head.onnx", "moe.safetensors", "reference.onnx", "tokenizer.json", "eval.json", "golden.json", "card.json"]
    for fn in order:
        p = os.path.join(d, fn)
        files.append({"name": fn, "bytes": os.path.getsize(p), "sha256": sha256(p)})
    cfg = {
        "format_version": FORMAT_VERSION,
        "id": name,
        "description": desc,
        "architecture": "decoder-only transformer, RoPE attention, RMSNorm, SwiGLU experts",
        "vocab_size": c.vocab_size, "hidden": c.hidden, "layers": c.layers, "heads": c.heads,
        "kv_heads": c.kv_heads, "head_dim": c.head_dim, "max_context": c.max_context,
        "rope_theta": c.rope_theta, "rope_style": "rotate_half", "norm_eps": c.norm_eps,
        "experts": c.experts, "top_k": c.top_k, "expert_ffn": c.expert_ffn, "shared_ffn": c.shared_ffn,
        "router_scoring": "softmax", "renormalize": c.renormalize, "activation": "swiglu",
        "tie_embeddings": c.tie_embeddings, "dtype": "float32",
        **({"router_bias": True} if c.router_bias else {}),
        "params": count_params(c),
        "skills": skill_names(facts),
        "onnx_opset": OPSET,
        "files": files,
    }
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    total = sum(x["bytes"] for x in files) + os.path.getsize(os.path.join(d, "config.json"))
    print(f"[{name}] exported {total / 1e6:.2f} MB in {time.time() - t0:.0f}s "
          f"{json.dumps({k: round(v, 3) for k, v in stats.get('accuracy', {}).items()})} "
          f"val_loss {stats.get('val_loss')}", flush=True)
    return cfg, card, total


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--src", default=os.path.join(here, "out"))
    ap.add_argument("--dest", default=os.path.join(here, "..", "..", "public", "models"))
    ap.add_argument("--variants", default="all")
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--reuse-stats", action="store_true",
                    help="keep accuracy/val loss/expert usage from the pack's existing card.json (same weights)")
    args = ap.parse_args()
    torch.manual_seed(0)
    names = list(ORIGINAL_VARIANTS) if args.variants == "all" else args.variants.split(",")
    for n in names:
        run, _, pack_id = n.partition(":")
        export_variant(pack_id or run, args.src, args.dest, args.skip_eval, args.reuse_stats, run=run)
    import card  # writes index.json + README.md from every pack present

    card.write(args.dest)


if __name__ == "__main__":
    main()

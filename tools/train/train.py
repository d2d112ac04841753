"""Train the MoE Lab model variants.

  python3 train.py --variants all --out out --budget-seconds 300        # GPU: all four in parallel
  python3 train.py --variants mixtral-style --out out --steps 200       # CPU smoke test

Writes out/<variant>/state.pt (float32 state_dict) and out/<variant>/train_log.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import build_corpus, eval_sets  # noqa: E402
from evaluate import accuracy, val_loss  # noqa: E402
from model import VARIANTS, MoELM, count_params  # noqa: E402
from tokenizer import PAD  # noqa: E402

EVAL_SEED = 1234
VAL_SEED = 4321


def corpus_path(out: str, seed: int, n: int, ctx: int) -> str:
    return os.path.join(out, f"corpus_s{seed}_n{n}_c{ctx}.npy")


def make_corpus(args) -> str:
    path = corpus_path(args.out, args.seed, args.samples, args.ctx)
    if not os.path.exists(path):
        t = time.time()
        rows = build_corpus(args.seed, EVAL_SEED, args.samples, args.ctx, workers=args.workers)
        np.save(path, rows)
        print(f"corpus: {rows.shape[0]} rows of {rows.shape[1]} tokens in {time.time() - t:.1f}s -> {path}",
              flush=True)
    return path


def train_one(args, variant: str) -> dict:
    torch.manual_seed(args.seed)
    dev = torch.device(args.device)
    cfg = VARIANTS[variant]
    cfg.max_context = args.ctx
    model = MoELM(cfg).to(dev)
    rows_np = np.load(make_corpus(args))
    rows = torch.from_numpy(rows_np.astype(np.int64)).to(dev)
    val_rows = build_corpus(VAL_SEED, EVAL_SEED, 20000, args.ctx)[: args.val_rows]
    evals = eval_sets(EVAL_SEED)
    if args.eval_limit > 0:
        evals = {k: v[: args.eval_limit] for k, v in evals.items()}
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.0)
    gen = torch.Generator(device=dev)
    gen.manual_seed(args.seed)
    use_amp = dev.type == "cuda"
    if use_amp:
        torch.backends.cuda.matmul.allow_tf32 = True
    outdir = os.path.join(args.out, variant)
    os.makedirs(outdir, exist_ok=True)
    log = {"variant": variant, "config": cfg.to_dict(), "params": count_params(cfg), "args": vars(args),
           "torch": torch.__version__, "device": str(dev), "history": []}
    if dev.type == "cuda":
        log["device_name"] = torch.cuda.get_device_name(dev)

    total_steps = args.steps if args.steps > 0 else 10 ** 9
    warmup = args.warmup
    t0 = time.time()
    step = 0
    ema = None
    while step < total_steps:
        if args.hard_seconds > 0 and time.time() - t0 > args.hard_seconds:
            print(f"[{variant}] hard time limit reached at step {step}", flush=True)
            log["stopped_by_hard_limit"] = True
            break
        if args.steps <= 0 and step == 50:
            per = (time.time() - t0) / 50
            total_steps = max(100, min(args.max_steps, int(args.budget_seconds / per)))
            print(f"[{variant}] {per * 1000:.1f} ms/step -> {total_steps} steps", flush=True)
        frac = min(1.0, step / max(1, total_steps))
        lr = args.lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, rows.shape[0], (args.batch,), device=dev, generator=gen)
        batch = rows[idx]
        model.train()
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=use_amp):
            logits, aux = model(batch[:, :-1])
        ce = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1),
                             ignore_index=PAD)
        loss = ce + args.aux_coef * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 100 == 0 or step == total_steps:
            c = float(ce)
            ema = c if ema is None else 0.9 * ema + 0.1 * c
            a = float(aux) if torch.is_tensor(aux) else 0.0
            log["history"].append({"step": step, "ce": round(c, 4), "aux": round(a, 4), "lr": lr,
                                   "t": round(time.time() - t0, 1)})
            if step % 1000 == 0 or step == total_steps:
                print(f"[{variant}] step {step}/{total_steps} ce {c:.4f} aux {a:.3f} lr {lr:.2e} "
                      f"{time.time() - t0:.0f}s", flush=True)
    train_time = time.time() - t0
    model.eval()
    vl = val_loss(model, val_rows, dev)
    acc = accuracy(model, evals, dev)
    log.update({"steps": step, "train_seconds": round(train_time, 1), "val_loss": vl, "accuracy": acc,
                "mean_accuracy": sum(acc.values()) / len(acc)})
    print(f"[{variant}] val_loss {vl:.4f} acc " + " ".join(f"{k}={v:.2f}" for k, v in acc.items()), flush=True)
    sd = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(outdir, "state.pt"))
    with open(os.path.join(outdir, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    return log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="mixtral-style", help="comma list or 'all'")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=1_200_000, help="training samples in the corpus")
    ap.add_argument("--ctx", type=int, default=128)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--aux-coef", type=float, default=0.01)
    ap.add_argument("--steps", type=int, default=0, help="fixed step count (0: from --budget-seconds)")
    ap.add_argument("--budget-seconds", type=float, default=300)
    ap.add_argument("--max-steps", type=int, default=40000)
    ap.add_argument("--hard-seconds", type=float, default=0, help="stop training after this many seconds")
    ap.add_argument("--val-rows", type=int, default=2000)
    ap.add_argument("--eval-limit", type=int, default=0, help="smoke tests: evaluate only N prompts per skill")
    ap.add_argument("--workers", type=int, default=max(1, min(16, os.cpu_count() or 1)))
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--parallel", action="store_true", help="one process per variant")
    args = ap.parse_args()
    names = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    os.makedirs(args.out, exist_ok=True)
    if args.parallel and len(names) > 1:
        make_corpus(args)
        procs = []
        for n in names:
            cmd = [sys.executable, os.path.abspath(__file__)] + [a for a in sys.argv[1:] if a != "--parallel"]
            i = cmd.index("--variants")
            cmd[i + 1] = n
            procs.append(subprocess.Popen(cmd))
        rc = [p.wait() for p in procs]
        sys.exit(max(rc))
    for n in names:
        train_one(args, n)


if __name__ == "__main__":
    main()

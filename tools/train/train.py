"""Train the MoE Lab model variants.

  python3 train.py --variants all --out out --budget-seconds 300        # GPU: all four in parallel
  python3 train.py --variants mixtral-style --out out --steps 200       # CPU smoke test

Writes out/<run>/state.pt (float32 state_dict; --save-fp16: float16) and out/<run>/train_log.json,
where <run> is --run-name (default: the variant). Issue 22 runs (fact skill, equal-compute family,
collapse, bias balancing, large) are driven by device_run.sh.
"""
from __future__ import annotations

import argparse
import json
import dataclasses
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import SKILL_NAMES, build_corpus, eval_sets  # noqa: E402
from evaluate import accuracy, balance_stats, expert_usage_batched, val_loss  # noqa: E402
from model import ORIGINAL_VARIANTS, VARIANTS, MoELM, count_params  # noqa: E402
from tokenizer import PAD  # noqa: E402

EVAL_SEED = 1234
VAL_SEED = 4321


def corpus_seed(args) -> int:
    return args.seed if args.corpus_seed is None else args.corpus_seed


def corpus_path(out: str, seed: int, n: int, ctx: int, facts: int = 0, fact_share: float = 0.0,
                fact_seed: int = 7) -> str:
    tail = f"_f{facts}x{fact_share:g}s{fact_seed}" if facts > 0 else ""
    return os.path.join(out, f"corpus_s{seed}_n{n}_c{ctx}{tail}.npy")


def make_corpus(args) -> str:
    d = args.corpus_dir or args.out
    os.makedirs(d, exist_ok=True)
    path = corpus_path(d, corpus_seed(args), args.samples, args.ctx, args.facts, args.fact_share, args.fact_seed)
    if not os.path.exists(path):
        t = time.time()
        rows = build_corpus(corpus_seed(args), EVAL_SEED, args.samples, args.ctx, workers=args.workers,
                            facts=args.facts, fact_share=args.fact_share, fact_seed=args.fact_seed)
        tmp = path + f".tmp{os.getpid()}.npy"
        np.save(tmp, rows)
        os.replace(tmp, path)
        print(f"corpus: {rows.shape[0]} rows of {rows.shape[1]} tokens in {time.time() - t:.1f}s -> {path}",
              flush=True)
    return path


def variant_config(variant: str, ctx: int):
    cfg = dataclasses.replace(VARIANTS[variant])
    cfg.max_context = ctx
    return cfg


def train_one(args, variant: str) -> dict:
    torch.manual_seed(args.seed)
    dev = torch.device(args.device)
    cfg = variant_config(variant, args.ctx)
    model = MoELM(cfg).to(dev)
    rows_np = np.load(make_corpus(args))
    rows = torch.from_numpy(rows_np).to(dev)  # int16; a batch is converted to int64 when drawn
    fk = dict(facts=args.facts, fact_share=args.fact_share, fact_seed=args.fact_seed)
    val_rows = build_corpus(VAL_SEED, EVAL_SEED, 20000, args.ctx, **fk)[: args.val_rows]
    val_rows10 = build_corpus(VAL_SEED, EVAL_SEED, 20000, args.ctx)[: args.val_rows] if args.facts > 0 else None
    evals = eval_sets(EVAL_SEED, facts=args.facts, fact_seed=args.fact_seed, fact_eval=args.fact_eval)
    if args.eval_limit > 0:
        evals = {k: v[: args.eval_limit] for k, v in evals.items()}
    opt = None
    if dev.type == "cuda":
        try:  # fewer kernel launches: matters when a dozen processes share one GPU
            opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.0,
                                    fused=True)
        except (TypeError, RuntimeError):
            opt = None
    if opt is None:
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.0)
    gen = torch.Generator(device=dev)
    gen.manual_seed(args.seed)
    use_amp = dev.type == "cuda"
    if use_amp:
        torch.backends.cuda.matmul.allow_tf32 = True
    bias_gamma = args.bias_gamma if cfg.router_bias else 0.0
    if cfg.router_bias and bias_gamma <= 0:
        bias_gamma = 1e-3
    run = args.run_name or variant
    outdir = os.path.join(args.out, run)
    os.makedirs(outdir, exist_ok=True)
    log = {"run": run, "variant": variant, "config": cfg.to_dict(), "params": count_params(cfg),
           "args": vars(args), "skills": list(evals), "bias_gamma": bias_gamma,
           "corpus": {"rows": int(rows_np.shape[0]), "samples": args.samples,
                      "samples_per_row": round(args.samples / max(1, rows_np.shape[0]), 3)},
           "torch": torch.__version__, "device": str(dev), "history": []}
    if dev.type == "cuda":
        log["device_name"] = torch.cuda.get_device_name(dev)

    total_steps = args.steps if args.steps > 0 else 10 ** 9
    warmup = args.warmup
    t0 = time.time()
    # --time-schedule: warmup + cosine over wall time (ends at --stop-at, else after --budget-seconds)
    time_budget = 0.0
    if args.time_schedule:
        time_budget = (args.stop_at - t0) if args.stop_at > 0 else args.budget_seconds
        log["time_budget_seconds"] = round(time_budget, 1)
    step = 0
    ema = None
    while step < total_steps:
        if time_budget > 0:
            frac_t = (time.time() - t0) / time_budget
            if frac_t >= 1.0:
                break
            total_steps = 10 ** 9
        if (args.hard_seconds > 0 and time.time() - t0 > args.hard_seconds) or (
                args.stop_at > 0 and time.time() > args.stop_at):
            print(f"[{run}] hard time limit reached at step {step} of {total_steps}", flush=True)
            log["stopped_by_hard_limit"] = True
            log["planned_steps"] = total_steps
            break
        if args.steps <= 0 and step == 50 and time_budget <= 0:
            per = (time.time() - t0) / 50
            total_steps = max(100, min(args.max_steps, int(args.budget_seconds / per)))
            print(f"[{variant}] {per * 1000:.1f} ms/step -> {total_steps} steps", flush=True)
        frac = frac_t if time_budget > 0 else min(1.0, step / max(1, total_steps))
        lr = args.lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, rows.shape[0], (args.batch,), device=dev, generator=gen)
        batch = rows[idx].long()
        model.train()
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=use_amp):
            if bias_gamma > 0:
                logits, aux, routes = model(batch[:, :-1], return_routes=True)
            else:
                logits, aux = model(batch[:, :-1])
        ce = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1),
                             ignore_index=PAD)
        loss = ce + args.aux_coef * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if bias_gamma > 0:
            # DeepSeek-V3 auxiliary-loss-free balancing: per layer, count this batch's top-k choices
            # (non-pad tokens), b_e += gamma * sign(mean load - load_e)
            with torch.no_grad():
                keep = (batch[:, :-1] != PAD).unsqueeze(-1)
                for blk, r in zip(model.blocks, routes):
                    topi = r[0]
                    sel = topi[keep.expand_as(topi)]
                    load = torch.bincount(sel, minlength=cfg.experts).float()
                    blk.moe.router_bias.add_(bias_gamma * torch.sign(load.mean() - load))
        step += 1
        if step == 50:
            log["ms_per_step_first50"] = round((time.time() - t0) / 50 * 1000, 2)
        if step % 100 == 0 or step == total_steps:
            c = float(ce)
            ema = c if ema is None else 0.9 * ema + 0.1 * c
            a = float(aux) if torch.is_tensor(aux) else 0.0
            log["history"].append({"step": step, "ce": round(c, 4), "aux": round(a, 4), "lr": lr,
                                   "t": round(time.time() - t0, 1)})
            if step % 1000 == 0 or step == total_steps:
                print(f"[{run}] step {step}/{total_steps} ce {c:.4f} aux {a:.3f} lr {lr:.2e} "
                      f"{time.time() - t0:.0f}s", flush=True)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    train_time = time.time() - t0
    model.eval()
    te = time.time()
    vl = val_loss(model, val_rows, dev)
    acc = accuracy(model, evals, dev, joint=True)
    base = [acc[k] for k in SKILL_NAMES if k in acc]
    log.update({"steps": step, "train_seconds": round(train_time, 1),
                "steps_per_second": round(step / max(1e-9, train_time), 2), "val_loss": vl, "accuracy": acc,
                "mean_accuracy": sum(acc.values()) / len(acc),
                "mean_accuracy_skills10": sum(base) / max(1, len(base))})
    if val_rows10 is not None:
        log["val_loss_skills10"] = val_loss(model, val_rows10, dev)
    if args.facts > 0:
        seen = step * args.batch * log["corpus"]["samples_per_row"] * args.fact_share
        log["fact"] = {"facts": args.facts, "share": args.fact_share, "seed": args.fact_seed,
                       "eval_facts": len(evals.get("fact", [])),
                       "exposures_per_fact": round(seen / args.facts, 1),
                       "note": "the fact eval set is a fixed sample of the trained facts (memorisation)"}
    if cfg.experts > 1:
        log["balance"] = balance_stats(model, val_rows, dev)
        if not args.no_usage:
            log["expert_usage"] = expert_usage_batched(model, evals, dev)
        if cfg.router_bias:
            log["router_bias"] = [b.moe.router_bias.detach().float().cpu().tolist() for b in model.blocks]
    log["eval_seconds"] = round(time.time() - te, 1)
    print(f"[{run}] {step} steps {train_time:.0f}s val_loss {vl:.4f} acc "
          + " ".join(f"{k}={v:.2f}" for k, v in acc.items())
          + (f" balance max/mean {log['balance']['max_over_mean']} cv {log['balance']['cv']}"
             if "balance" in log else ""), flush=True)
    dt = torch.float16 if args.save_fp16 else torch.float32
    sd = {k: v.detach().to(dt).cpu() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(outdir, "state.pt"))
    with open(os.path.join(outdir, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    return log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="mixtral-style",
                    help="comma list or 'all' (the four committed packs); see model.VARIANTS")
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
    ap.add_argument("--corpus-seed", type=int, default=None, help="corpus seed (default: --seed)")
    ap.add_argument("--corpus-dir", default=None, help="where the corpus .npy is cached (default: --out)")
    ap.add_argument("--facts", type=int, default=0, help="fact skill: number of made-up facts (0: off)")
    ap.add_argument("--fact-share", type=float, default=0.25, help="fact skill: share of the samples")
    ap.add_argument("--fact-seed", type=int, default=7)
    ap.add_argument("--fact-eval", type=int, default=200, help="fact skill: facts in the evaluation set")
    ap.add_argument("--bias-gamma", type=float, default=0.0,
                    help="bias-balancing update speed (variants with router_bias; 0 there means 1e-3)")
    ap.add_argument("--run-name", default=None, help="output folder name under --out (default: the variant)")
    ap.add_argument("--stop-at", type=float, default=0, help="absolute time.time() at which training stops")
    ap.add_argument("--save-fp16", action="store_true", help="save state.pt as float16")
    ap.add_argument("--no-usage", action="store_true", help="skip the per-skill expert usage in train_log")
    ap.add_argument("--time-schedule", action="store_true",
                    help="no fixed step count: the cosine schedule runs over wall time until --stop-at")
    ap.add_argument("--corpus-only", action="store_true", help="build (cache) the corpus and exit")
    args = ap.parse_args()
    names = list(ORIGINAL_VARIANTS) if args.variants == "all" else args.variants.split(",")
    os.makedirs(args.out, exist_ok=True)
    if args.corpus_only:
        make_corpus(args)
        return
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

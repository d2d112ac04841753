"""Collect every run's train_log.json under OUTDIR into OUTDIR/summary.json (used by device_run.sh).

  python3 summarize.py OUTDIR [--expected run1,run2,...]

Per run: variant, seed, facts, steps, seconds, accuracy per skill, validation loss, expert balance,
parameters, state.pt size. For the equal-compute family (runs family-e<E>-s<seed>), an aggregate
per E over the seeds (mean, min, max) of validation loss, fact accuracy and the ten skills' mean.
"""
from __future__ import annotations

import json
import os
import re
import sys


def run_summary(d: str, log: dict) -> dict:
    a = log.get("args", {})
    bal = log.get("balance") or {}
    st = os.path.join(d, "state.pt")
    return {
        "run": log.get("run"), "variant": log.get("variant"), "seed": a.get("seed"),
        "corpus_seed": a.get("corpus_seed"), "facts": a.get("facts"), "fact_share": a.get("fact_share"),
        "aux_coef": a.get("aux_coef"), "bias_gamma": log.get("bias_gamma"),
        "experts": log["config"]["experts"], "top_k": log["config"]["top_k"],
        "expert_ffn": log["config"]["expert_ffn"], "hidden": log["config"]["hidden"],
        "layers": log["config"]["layers"], "params": log.get("params"),
        "steps": log.get("steps"), "train_seconds": log.get("train_seconds"),
        "steps_per_second": log.get("steps_per_second"), "ms_per_step_first50": log.get("ms_per_step_first50"),
        "eval_seconds": log.get("eval_seconds"),
        "stopped_by_hard_limit": bool(log.get("stopped_by_hard_limit", False)),
        "time_schedule": bool(a.get("time_schedule", False)),
        "val_loss": log.get("val_loss"), "val_loss_skills10": log.get("val_loss_skills10"),
        "accuracy": log.get("accuracy"), "mean_accuracy": log.get("mean_accuracy"),
        "mean_accuracy_skills10": log.get("mean_accuracy_skills10"),
        "fact_accuracy": (log.get("accuracy") or {}).get("fact"),
        "exposures_per_fact": (log.get("fact") or {}).get("exposures_per_fact"),
        "balance": {k: bal.get(k) for k in ("max_over_mean", "cv", "max_over_mean_per_layer", "cv_per_layer",
                                            "min_over_mean_per_layer", "dead_experts_per_layer")} if bal else None,
        "state_bytes": os.path.getsize(st) if os.path.exists(st) else None,
    }


def _agg(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return {"mean": sum(vals) / len(vals), "min": min(vals), "max": max(vals), "n": len(vals)}


def summarize(out: str, expected=None) -> dict:
    runs, missing = {}, []
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name, "train_log.json")
        if os.path.isfile(p):
            with open(p) as f:
                runs[name] = run_summary(os.path.join(out, name), json.load(f))
    for name in expected or []:
        if name not in runs:
            missing.append(name)
    fam = {}
    for name, r in runs.items():
        m = re.match(r"^(family-e\d+)-s\d+$", name)
        if m:
            fam.setdefault(m.group(1), []).append(r)
    family = {}
    for v, rs in sorted(fam.items(), key=lambda kv: int(kv[0].split("-e")[1])):
        family[v] = {"experts": rs[0]["experts"], "params": rs[0]["params"], "seeds": [r["seed"] for r in rs],
                     "steps": [r["steps"] for r in rs],
                     "val_loss": _agg([r["val_loss"] for r in rs]),
                     "val_loss_skills10": _agg([r["val_loss_skills10"] for r in rs]),
                     "fact_accuracy": _agg([r["fact_accuracy"] for r in rs]),
                     "mean_accuracy_skills10": _agg([r["mean_accuracy_skills10"] for r in rs])}
    calib = {}
    for name, r in runs.items():
        if name.startswith("calib-"):
            calib.setdefault(str(r["facts"]), {})[r["variant"]] = {
                "fact_accuracy": r["fact_accuracy"], "mean_accuracy_skills10": r["mean_accuracy_skills10"],
                "val_loss": r["val_loss"], "steps": r["steps"], "steps_per_second": r["steps_per_second"],
                "exposures_per_fact": r["exposures_per_fact"]}
    total = 0
    for root, _, files in os.walk(out):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    res = {"runs": runs, "family": family, "missing": missing, "outdir_bytes": total}
    sps = [r["steps_per_second"] for r in runs.values() if r.get("steps_per_second")]
    if sps:
        res["aggregate_steps_per_second"] = round(sum(sps), 1)
    if calib:
        res["calibration"] = dict(sorted(calib.items(), key=lambda kv: int(kv[0])))
        # rough: the slowest calibration run's speed, scaled to 13 processes sharing the GPU (+ the large
        # run's extra load ~ one more), over ~380 s of training in a 480 s call, 10 % margin
        if sps:
            res["suggested_steps_full_run"] = int(min(sps) * len(sps) / 14 * 380 * 0.9 / 100) * 100
    return res


def main():
    out = sys.argv[1]
    expected = []
    if "--expected" in sys.argv:
        expected = [x for x in sys.argv[sys.argv.index("--expected") + 1].split(",") if x]
    extra = {}
    if "--meta" in sys.argv:
        extra = json.loads(sys.argv[sys.argv.index("--meta") + 1])
    s = summarize(out, expected)
    s.update(extra)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
    print(f"{'run':<24} {'steps':>6} {'sec':>5} {'st/s':>5} {'val':>7} {'val10':>7} {'fact':>5} {'acc10':>6} "
          f"{'max/mean':>8} {'cv':>6} hard")
    for name, r in s["runs"].items():
        b = r["balance"] or {}

        def f(x, fmt):
            return format(x, fmt) if isinstance(x, (int, float)) else "-"
        print(f"{name:<24} {f(r['steps'], '6d')} {f(r['train_seconds'], '5.0f')} {f(r['steps_per_second'], '5.1f')} "
              f"{f(r['val_loss'], '7.4f')} {f(r['val_loss_skills10'], '7.4f')} {f(r['fact_accuracy'], '5.2f')} "
              f"{f(r['mean_accuracy_skills10'], '6.3f')} {f(b.get('max_over_mean'), '8.2f')} "
              f"{f(b.get('cv'), '6.2f')} {'HARD' if r['stopped_by_hard_limit'] else ''}")
    if s["missing"]:
        print("MISSING runs (no train_log.json):", ",".join(s["missing"]))
    print(f"summary: {len(s['runs'])} runs, outdir {s['outdir_bytes'] / 1e6:.1f} MB -> {os.path.join(out, 'summary.json')}")


if __name__ == "__main__":
    main()

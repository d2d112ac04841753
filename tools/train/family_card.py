"""Write public/models/family.json from a results folder of the issue-22 runs (device_run.sh).

The equal-compute family (E = 1, 4, 8, 16, 32; same active FFN width, same steps, two seeds each)
and the E = 8 balance runs (no balancing / aux loss / DeepSeek-V3 bias) were measured on a GPU;
their packs are not in the lab (size limits), so the lab shows these measured figures only.
Stdlib only:

    python3 tools/train/family_card.py [--src tools/train/results/2026-11-30-h200-family]
                                        [--dest public/models] [--no-card]

Then card.py regenerates public/models/README.md (with a section drawn from family.json).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SRC = os.path.join(HERE, "results", "2026-11-30-h200-family")
# The run that made the fact skill capacity-bound (E = 1, 4, 8, 16, 32; a bigger table, more steps).
DEFAULT_CAPACITY_SRC = os.path.join(HERE, "results", "2026-11-30-h200-capacity")
DEFAULT_DEST = os.path.join(ROOT, "public", "models")
FORMAT_VERSION = 1
BALANCE_RUNS = ["collapse", "family-e8-s1", "bias-balance"]


def r6(x):
    """Six significant digits: the measured figures, without float noise."""
    return None if x is None else float(f"{x:.6g}")


def load(path: str) -> dict:
    with open(path) as f:
        return json.load(f)


def balancing(log: dict) -> dict:
    aux = log["args"].get("aux_coef") or 0.0
    gamma = log.get("bias_gamma") or log["args"].get("bias_gamma") or 0.0
    if gamma > 0:
        return {"balancing": "bias", "aux_coef": aux, "bias_gamma": gamma,
                "balancing_label": f"DeepSeek-V3 bias, γ = {gamma:g} (no auxiliary loss)"}
    if aux > 0:
        return {"balancing": "aux_loss", "aux_coef": aux, "bias_gamma": 0.0,
                "balancing_label": f"auxiliary loss, coefficient {aux:g}"}
    return {"balancing": "none", "aux_coef": 0.0, "bias_gamma": 0.0,
            "balancing_label": "none (no balancing loss)"}


def build(src: str) -> dict:
    summary = load(os.path.join(src, "summary.json"))
    logs = {}
    for name in sorted(os.listdir(src)):
        m = re.fullmatch(r"((family-e\d+-s\d+)|collapse|bias-balance)\.json", name)
        if m:
            logs[name[:-5]] = load(os.path.join(src, name))
    if not logs:
        raise SystemExit(f"no run logs in {src}")
    first = next(iter(logs.values()))
    date = re.match(r"\d{4}-\d{2}-\d{2}", os.path.basename(os.path.normpath(src)))
    steps = sorted({lg["steps"] for lg in logs.values()})
    source = {
        "name": os.path.basename(os.path.normpath(src)),
        "description": "Equal-compute family: E = 1 (dense, FFN width 144) and E = 4, 8, 16, 32 experts "
                       "of width 72, top-2, so every member runs the same active FFN width 144 per token; "
                       "same corpus, same number of steps, two seeds each; plus three E = 8 runs that "
                       "differ only in load balancing. Measured on the GPU after training; these runs' "
                       "packs are not in the lab.",
        "date": date.group(0) if date else None,
        "device": first.get("device_name") or first.get("device"),
        "steps": steps[0] if len(steps) == 1 else steps,
        "batch": first["args"]["batch"],
        "context": first["args"]["ctx"],
        "facts": first["fact"]["facts"],
        "fact_share": first["fact"]["share"],
        "fact_eval": first["fact"]["eval_facts"],
        "val_rows": first["args"]["val_rows"],
        "hidden": first["config"]["hidden"],
        "layers": first["config"]["layers"],
        "stopped_by_hard_limit": any(summary["runs"].get(r, {}).get("stopped_by_hard_limit") for r in logs),
        "results": f"tools/train/results/{os.path.basename(os.path.normpath(src))}/",
    }
    by_e: dict[int, list] = {}
    for run, lg in logs.items():
        if not run.startswith("family-"):
            continue
        by_e.setdefault(lg["config"]["experts"], []).append((run, lg))
    family = []
    for e in sorted(by_e):
        runs = sorted(by_e[e], key=lambda x: x[1]["args"]["seed"])
        cfg = runs[0][1]["config"]
        family.append({
            "experts": e, "top_k": cfg["top_k"], "expert_ffn": cfg["expert_ffn"],
            "params": {"total": runs[0][1]["params"]["total"], "active": runs[0][1]["params"]["active"]},
            "seeds": [{
                "seed": lg["args"]["seed"], "run": run, "steps": lg["steps"],
                "val_loss": r6(lg["val_loss"]), "val_loss_skills10": r6(lg["val_loss_skills10"]),
                "fact_accuracy": r6(lg["accuracy"]["fact"]),
                "mean_accuracy_skills10": r6(lg["mean_accuracy_skills10"]),
            } for run, lg in runs],
        })
    balance = []
    for run in BALANCE_RUNS:
        lg = logs.get(run)
        if lg is None or "balance" not in lg:
            continue
        b = lg["balance"]
        balance.append({
            "run": run, "experts": lg["config"]["experts"], "top_k": lg["config"]["top_k"],
            **balancing(lg),
            "load": [[r6(x) for x in layer] for layer in b["load"]],
            "max_over_mean_per_layer": b["max_over_mean_per_layer"],
            "cv_per_layer": b["cv_per_layer"],
            "dead_experts_per_layer": b["dead_experts_per_layer"],
            "dead_threshold": "under 10 % of the mean load",
            "tokens": b["tokens"],
            "val_loss": r6(lg["val_loss"]), "fact_accuracy": r6(lg["accuracy"]["fact"]),
            "mean_accuracy_skills10": r6(lg["mean_accuracy_skills10"]),
        })
    return {"format_version": FORMAT_VERSION, "source": source, "family": family, "balance": balance}


def build_capacity(src: str) -> dict | None:
    """The capacity run: per E, each seed's fact accuracy, ten-skill accuracy and val loss."""
    if not os.path.isdir(src):
        return None
    runs = {}
    for name in sorted(os.listdir(src)):
        m = re.fullmatch(r"family-e(\d+)-s(\d+)\.json", name)
        if m:
            runs.setdefault(int(m.group(1)), []).append(load(os.path.join(src, name)))
    if not runs:
        return None
    first = next(iter(runs.values()))[0]
    return {
        "name": os.path.basename(os.path.normpath(src)),
        "date": "2026-11-30",
        "device": first.get("device_name"),
        "steps": first["steps"],
        "batch": first["args"]["batch"],
        "facts": first["fact"]["facts"],
        "fact_share": first["fact"]["share"],
        "fact_eval": first["fact"]["eval_facts"],
        "exposures_per_fact": first["fact"].get("exposures_per_fact"),
        "sizes": [{
            "experts": e,
            "params": {"total": logs[0]["params"]["total"], "active": logs[0]["params"]["active"]},
            "seeds": [{
                "seed": lg["args"]["seed"], "fact_accuracy": r6(lg["accuracy"]["fact"]),
                "mean_accuracy_skills10": r6(lg["mean_accuracy_skills10"]), "val_loss": r6(lg["val_loss"]),
            } for lg in sorted(logs, key=lambda lg: lg["args"]["seed"])],
        } for e, logs in sorted(runs.items())],
    }


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=DEFAULT_SRC)
    ap.add_argument("--dest", default=DEFAULT_DEST)
    ap.add_argument("--capacity-src", default=DEFAULT_CAPACITY_SRC)
    ap.add_argument("--no-card", action="store_true", help="do not regenerate README.md / index.json")
    a = ap.parse_args(argv)
    out = build(a.src)
    capacity = build_capacity(a.capacity_src)
    if capacity:
        out["capacity"] = capacity
    path = os.path.join(a.dest, "family.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {path}: {len(out['family'])} family sizes, {len(out['balance'])} balance runs")
    if not a.no_card:
        sys.path.insert(0, HERE)
        import card  # README.md (with the family section) and index.json, from the packs present
        card.write(a.dest)
        print(f"wrote {os.path.join(a.dest, 'README.md')}")


if __name__ == "__main__":
    main(sys.argv[1:])

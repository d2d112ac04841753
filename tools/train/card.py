"""Write public/models/index.json and the model card public/models/README.md from the packs present."""
from __future__ import annotations

import json
import os

ORDER = ["mixtral-style", "fine-grained", "shared-expert", "dense"]
REPRO = """```bash
apt-get install -y python3-torch python3-onnx python3-numpy   # Debian 12: torch 1.13 (export)
cd tools/train
# training (one NVIDIA H100, torch 2.x; all four variants in parallel processes, ~5 min):
python3 train.py --variants all --parallel --out out {train_args}
# export + re-measure on CPU with Debian's torch 1.13:
/usr/bin/python3 export.py --src out --dest ../../public/models --variants all
```"""


def write(dest: str) -> None:
    packs = []
    for name in ORDER + sorted(set(os.listdir(dest)) - set(ORDER)):
        cfgp = os.path.join(dest, name, "config.json")
        if not os.path.isfile(cfgp):
            continue
        with open(cfgp) as f:
            cfg = json.load(f)
        with open(os.path.join(dest, name, "card.json")) as f:
            card = json.load(f)
        packs.append((name, cfg, card))
    index = {"format_version": 1, "default": "mixtral-style", "models": []}
    for name, cfg, card in packs:
        size = sum(x["bytes"] for x in cfg["files"]) + os.path.getsize(os.path.join(dest, name, "config.json"))
        index["models"].append({
            "id": name, "path": f"{name}/", "description": cfg["description"], "bytes": size,
            "experts": cfg["experts"], "top_k": cfg["top_k"], "shared_ffn": cfg["shared_ffn"],
            "layers": cfg["layers"], "hidden": cfg["hidden"], "params": cfg["params"],
            "mean_accuracy": card.get("mean_accuracy"), "val_loss": card.get("val_loss")})
    with open(os.path.join(dest, "index.json"), "w") as f:
        json.dump(index, f, indent=1)

    skills = packs[0][1]["skills"] if packs else []
    L = []
    L.append("# MoE Lab model zoo\n")
    L.append("Tiny character-level Mixture-of-Experts language models, trained from scratch by "
             "`tools/train/` on a synthetic corpus of ten skills, and exported as packs for the lab "
             "(format: `tools/train/README.md`). All numbers below were measured by `export.py` on the "
             "exported float32 weights (CPU), on held-out prompts never seen in training "
             "(greedy decoding, exact match of the whole completion).\n")
    L.append("## Variants\n")
    L.append("| id | layers | hidden | experts | top-k | expert FFN | shared FFN | params total / active | pack size | training |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (name, cfg, card), m in zip(packs, index["models"]):
        tr = card.get("training") or {}
        L.append(f"| `{name}` | {cfg['layers']} | {cfg['hidden']} | {cfg['experts']} | {cfg['top_k']} | "
                 f"{cfg['expert_ffn']} | {cfg['shared_ffn']} | {cfg['params']['total']:,} / "
                 f"{cfg['params']['active']:,} | {m['bytes'] / 1e6:.2f} MB | {tr.get('steps')} steps, "
                 f"{tr.get('train_seconds')} s on {tr.get('device_name') or tr.get('device')} |")
    L.append("\n## Accuracy per skill (held-out, greedy, exact match) and validation loss\n")
    L.append("| skill | " + " | ".join(f"`{n}`" for n, _, _ in packs) + " |")
    L.append("| --- |" + " --- |" * len(packs))
    for s in skills:
        row = [f"{100 * card['accuracy'][s]:.0f}%" if card.get("accuracy") else "n/a" for _, _, card in packs]
        L.append(f"| {s} | " + " | ".join(row) + " |")
    L.append("| **mean** | " + " | ".join(
        f"**{100 * card['mean_accuracy']:.1f}%**" if card.get("mean_accuracy") is not None else "n/a"
        for _, _, card in packs) + " |")
    L.append("| validation loss (nats/char) | " + " | ".join(
        f"{card['val_loss']:.4f}" if card.get("val_loss") is not None else "n/a" for _, _, card in packs) + " |")
    L.append("\nValidation loss: mean cross-entropy per predicted character over 2,000 packed rows of a "
             "corpus generated with another seed (prompt characters included; random operands and letters "
             "are inherently unpredictable, so the floor is well above 0).\n")
    L.append("Evaluation set sizes: 100 prompts per skill (english: 50); see each pack's `eval.json`.\n")
    L.append("## Which experts each skill uses\n")
    L.append("Share of the routing choices (token x top-k slot, over every token of `<bos> prompt completion` "
             "of the skill's evaluation samples) that picked each expert; the three most used experts per "
             "layer, as `expert:share`. Uniform routing would give "
             "1/E per expert. Full matrices: `expert_usage` in each pack's `card.json`.\n")
    for name, cfg, card in packs:
        usage = card.get("expert_usage") or {}
        if not usage:
            continue
        L.append(f"### `{name}` (E={cfg['experts']}, uniform = {100 / cfg['experts']:.1f}%)\n")
        L.append("| skill | " + " | ".join(f"layer {l}" for l in range(cfg["layers"])) + " |")
        L.append("| --- |" + " --- |" * cfg["layers"])
        for s in skills:
            cells = []
            for lay in usage[s]:
                top = sorted(range(len(lay)), key=lambda e: -lay[e])[:3]
                cells.append(" ".join(f"{e}:{100 * lay[e]:.0f}%" for e in top))
            L.append(f"| {s} | " + " | ".join(cells) + " |")
        L.append("")
    if packs and packs[0][2].get("expert_usage"):
        name, cfg, card = packs[0]
        usage = card["expert_usage"]
        best = None
        for s_, layers in usage.items():
            for l, lay in enumerate(layers):
                top = sorted(range(len(lay)), key=lambda e: -lay[e])[:2]
                share = lay[top[0]] + lay[top[1]]
                if best is None or share > best[0]:
                    best = (share, s_, l, top)
        peak = max((lay[e], s_, l, e) for s_, layers in usage.items() for l, lay in enumerate(layers)
                   for e in range(len(lay)))
        E = cfg["experts"]
        L.append(f"Reading these tables: routing is skill-dependent but not exclusive. In `{name}` the most "
                 f"concentrated case is `{best[1]}`, which sends {100 * best[0]:.0f}% of its layer-{best[2]} "
                 f"choices to experts {best[3][0]} and {best[3][1]} (uniform: {200 / E:.0f}%); the largest "
                 f"share of any single expert for any skill is {100 * peak[0]:.0f}% (`{peak[1]}`, layer {peak[2]}, "
                 f"expert {peak[3]}). The load-balancing loss keeps every expert busy, and the skills share "
                 "characters (digits, letters, punctuation), so no expert belongs to one skill alone. On "
                 "these small skills the dense baseline of equal active width reaches a similar accuracy "
                 "(table above): here the MoE variants are for looking at routing, not for beating it.\n")
    bal = [(name, cfg, card) for name, cfg, card in packs
           if cfg["experts"] > 1 and (card.get("train_time_balance") or {}).get("max_over_mean_per_layer")]
    if bal:
        L.append("## Load balance of the packs\n")
        L.append("Measured after training on the validation tokens (share of the routing choices per expert; "
                 "max/mean 1 = balanced; dead = under 10 % of the mean load). `collapse` and `bias-balance` "
                 "have the shape of `mixtral-style` and its corpus and step count; only the balancing differs. "
                 "Trained with `FAMILY=\" \" SEEDS=1 FACTS=0 STEPS=6050 LARGE=1 BALANCE_RUNS=1 bash "
                 "tools/train/device_run.sh OUT 545` on the GPU machine (the `large` pack in the same call, on "
                 "a time schedule), exported with `export.py --src OUT --variants collapse,bias-balance,large`.\n")
        L.append("| pack | balancing | max/mean per layer | dead experts per layer | CV | val loss | mean accuracy |")
        L.append("| --- | --- | --- | --- | --- | --- | --- |")
        for name, cfg, card in bal:
            b = card["train_time_balance"]
            ta = card.get("training_args") or {}
            if cfg.get("router_bias"):
                how = f"DeepSeek-V3 bias, γ = {ta.get('bias_gamma', 0):g} (no auxiliary loss)"
            elif ta.get("aux_coef") == 0:
                how = "none (no balancing loss)"
            else:
                how = f"auxiliary loss ({ta['aux_coef']:g})" if "aux_coef" in ta else "auxiliary loss"
            acc = card.get("mean_accuracy")
            vl = card.get("val_loss")
            L.append(f"| `{name}` | {how} | {', '.join(f'{x:.2f}' for x in b['max_over_mean_per_layer'])} | "
                     f"{', '.join(str(x) for x in b.get('dead_experts_per_layer') or [])} | {b.get('cv', 0):.2f} | "
                     f"{f'{vl:.4f}' if vl is not None else 'n/a'} | "
                     f"{f'{100 * acc:.1f}%' if acc is not None else 'n/a'} |")
        L.append("")
    L.append("## Where the models fail\n")
    L.append("Every miss on the evaluation sets is in each pack's `card.json` (`failures`). Up to three per "
             "skill and variant:\n")
    L.append("| variant | skill | misses | examples (prompt → expected / got) |")
    L.append("| --- | --- | --- | --- |")
    for name, cfg, card in packs:
        fails = card.get("failures") or {}
        for s in skills:
            f = fails.get(s) or []
            if not f:
                continue
            ex = "; ".join(f"`{x['prompt'].strip()}` → `{x['expected']}` / `{x['got']}`" for x in f[:3])
            L.append(f"| `{name}` | {s} | {len(f)} | {ex} |")
    L.append("")
    import re
    for name, cfg, card in packs:
        code_f = (card.get("failures") or {}).get("code") or []
        if not code_f:
            continue
        first = derived = 0
        for x in code_f:
            m = re.match(r"code: (\w) = (\d); (\w) = \w ([-+*]) (\d); print\((\w)\)", x["prompt"])
            if not m or m.group(1) != m.group(6):
                continue
            first += 1
            a, op, c = int(m.group(2)), m.group(4), int(m.group(5))
            derived += x["got"] == str({"+": a + c, "-": a - c, "*": a * c}[op])
        L.append(f"- `{name}`: {first} of its {len(code_f)} `code` misses are prompts that print the *first* "
                 f"variable (`print(a)`, 20 % of the code samples); in {derived} of them it prints the derived "
                 "value instead.")
    L.append("")
    L.append("## Skills (prompt format)\n")
    L.append("| skill | example prompt | completion |")
    L.append("| --- | --- | --- |")
    ex = {"add": ("add: 37+45=", "82"), "sub": ("sub: 82-45=", "37"), "copy": ("copy: xkqp -> ", "xkqp"),
          "reverse": ("reverse: abcd -> ", "dcba"), "sort": ("sort: dbca -> ", "abcd"),
          "upper": ("upper: red fox -> ", "RED FOX"), "brackets": ("close: ([{( -> ", ")}])"),
          "dates": ("date: 2024-03-15 -> ", "March 15, 2024"),
          "english": ("story: mia has a red ball. what color is the ball? -> ", "red"),
          "code": ("code: a = 7; b = a + 5; print(b) -> ", "12")}
    for s in skills:
        p, c = ex.get(s, ("", ""))
        L.append(f"| {s} | `{p}` | `{c}` |")
    ta = (packs[0][2].get("training_args") or {}) if packs else {}
    keys = [("samples", "--samples"), ("budget_seconds", "--budget-seconds"), ("hard_seconds", "--hard-seconds"),
            ("workers", "--workers"), ("seed", "--seed"), ("batch", "--batch"), ("lr", "--lr")]
    train_args = " ".join(f"{flag} {ta[k]:g}" if isinstance(ta.get(k), float) else f"{flag} {ta[k]}"
                          for k, flag in keys if k in ta)
    L.append("\n## Reproduce\n")
    L.append(REPRO.format(train_args=train_args))
    L.append("\nTraining stops after the step count that fits the time budget (measured over the first "
             "50 steps), so the exact step count of each pack is recorded above and in `card.json` "
             "(`training.steps`); `--steps N` reproduces a given count. The corpus and evaluation sets "
             "are deterministic from their seeds; GPU training itself is not bit-reproducible.\n")
    L.extend(family_section(dest))
    with open(os.path.join(dest, "README.md"), "w") as f:
        f.write("\n".join(L) + "\n")


def _pct_range(vals: list[float]) -> str:
    return f"{100 * sum(vals) / len(vals):.1f} % ({100 * min(vals):.1f}–{100 * max(vals):.1f})"


def _range(vals: list[float]) -> str:
    return f"{sum(vals) / len(vals):.4f} ({min(vals):.4f}–{max(vals):.4f})"


def family_section(dest: str) -> list[str]:
    """The equal-compute family and the balance runs from family.json (family_card.py), if present."""
    path = os.path.join(dest, "family.json")
    if not os.path.isfile(path):
        return []
    with open(path) as f:
        fam = json.load(f)
    src = fam["source"]
    L = ["", "## Equal-compute family and load balance (measured, not packed)\n"]
    L.append(f"Measured on {src['device']} on {src['date']} ({src['steps']} steps at batch {src['batch']} for "
             f"every run, {src['facts']} facts in the corpus; `family.json`, written by "
             f"`tools/train/family_card.py` from `{src['results']}`). {src['description']} "
             "Validation loss in nats per character; the ten skills' accuracy on held-out prompts, the fact "
             f"accuracy on a fixed sample of {src['fact_eval']} trained facts (memorisation); greedy, exact match.\n")
    n_seeds = max(len(m["seeds"]) for m in fam["family"])
    L.append(f"| E | top-k | total params | active params | val loss, mean ({n_seeds} seeds: min–max) | "
             "val loss, ten skills | fact accuracy | ten skills' accuracy |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for m in fam["family"]:
        s = m["seeds"]
        L.append(f"| {m['experts']} | {m['top_k']} | {m['params']['total']:,} | {m['params']['active']:,} | "
                 f"{_range([x['val_loss'] for x in s])} | {_range([x['val_loss_skills10'] for x in s])} | "
                 f"{_pct_range([x['fact_accuracy'] for x in s])} | "
                 f"{_pct_range([x['mean_accuracy_skills10'] for x in s])} |")
    if fam["family"]:
        lo, hi = fam["family"][0], fam["family"][-1]
        mean = lambda m: sum(x["val_loss"] for x in m["seeds"]) / len(m["seeds"])  # noqa: E731
        spread = max(max(x["val_loss"] for x in m["seeds"]) - min(x["val_loss"] for x in m["seeds"])
                     for m in fam["family"])
        verb = "falls" if mean(hi) < mean(lo) else "does not fall"
        L.append(f"\nAt the same active parameters and steps, validation loss {verb} from {mean(lo):.3f} "
                 f"(E = {lo['experts']}) to {mean(hi):.3f} (E = {hi['experts']}); the seeds of one size differ "
                 f"by at most {spread:.3f}.\n")
    if fam["balance"]:
        L.append(f"Load balance at E = {fam['balance'][0]['experts']}, top-{fam['balance'][0]['top_k']} "
                 f"(share of the routing choices per expert over {fam['balance'][0]['tokens']:,} validation "
                 "tokens; max/mean 1 = balanced; dead = under 10 % of the mean load):\n")
        L.append("| run | balancing | layer-0 load per expert | max/mean per layer | dead experts per layer "
                 "| val loss | fact acc. | ten skills |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for b in fam["balance"]:
            load0 = " ".join(f"{100 * x:.1f}" for x in b["load"][0])
            L.append(f"| `{b['run']}` | {b['balancing_label']} | {load0} % | "
                     f"{', '.join(f'{x:.2f}' for x in b['max_over_mean_per_layer'])} | "
                     f"{', '.join(str(x) for x in b['dead_experts_per_layer'])} | {b['val_loss']:.4f} | "
                     f"{100 * b['fact_accuracy']:.1f} % | {100 * b['mean_accuracy_skills10']:.1f} % |")
        L.append("")
    cap = fam.get("capacity")
    if cap and cap.get("sizes"):
        L.append(f"Capacity run `{cap['name']}` ({cap['device']}, {cap['date']}): the same family with "
                 f"{cap['facts']:,} six-digit facts at {100 * cap['fact_share']:.0f} % of the samples, "
                 f"{cap['steps']} steps (each fact seen about {round(cap['exposures_per_fact'] or 0)} times) — "
                 "the fact table is larger than a dense model of this size can hold:\n")
        L.append("| E | total params | active params | fact accuracy (seeds) | ten skills' accuracy | val loss |")
        L.append("| --- | --- | --- | --- | --- | --- |")
        for m in cap["sizes"]:
            s = m["seeds"]
            L.append(f"| {m['experts']} | {m['params']['total']:,} | {m['params']['active']:,} | "
                     f"{_pct_range([x['fact_accuracy'] for x in s])} | "
                     f"{_pct_range([x['mean_accuracy_skills10'] for x in s])} | {_range([x['val_loss'] for x in s])} |")
        L.append("")
    return L


if __name__ == "__main__":
    import sys

    write(sys.argv[1] if len(sys.argv) > 1 else
          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "public", "models"))

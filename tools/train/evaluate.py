"""Greedy evaluation, validation loss and per-skill expert usage (shared by trainer and exporter)."""
from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from tokenizer import BOS, EOS, PAD, decode, encode


@torch.no_grad()
def greedy_complete(model, prompts: List[str], device, max_new: int = 24, batch: int = 512) -> List[str]:
    """Greedy decoding without a cache; prompts of equal token length are batched together."""
    model.eval()
    by_len: Dict[int, List[int]] = defaultdict(list)
    enc = [[BOS] + encode(p) for p in prompts]
    for i, ids in enumerate(enc):
        by_len[len(ids)].append(i)
    out: List[str] = [""] * len(prompts)
    ctx = model.c.max_context
    for _, idxs in sorted(by_len.items()):
        for s in range(0, len(idxs), batch):
            chunk = idxs[s:s + batch]
            x = torch.tensor([enc[i] for i in chunk], dtype=torch.long, device=device)
            done = torch.zeros(len(chunk), dtype=torch.bool, device=device)
            gen = []
            for _ in range(max_new):
                if x.shape[1] >= ctx:
                    break
                logits, _ = model(x)
                nxt = logits[:, -1, :].float().argmax(-1)
                nxt = torch.where(done, torch.full_like(nxt, EOS), nxt)
                gen.append(nxt)
                done = done | (nxt == EOS)
                x = torch.cat([x, nxt.unsqueeze(1)], dim=1)
                if bool(done.all()):
                    break
            g = torch.stack(gen, 1).tolist() if gen else [[] for _ in chunk]
            for row, i in zip(g, chunk):
                if EOS in row:
                    row = row[: row.index(EOS)]
                out[i] = decode(row)
    return out


def accuracy(model, evals: Dict[str, List[Tuple[str, str]]], device, failures: Dict[str, list] = None,
             joint: bool = False) -> Dict[str, float]:
    """Exact-match accuracy per skill; `failures`, when given, collects every miss per skill as
    {prompt, expected, got}. joint=True decodes every skill's prompts in one call (prompts of equal
    length share a batch across skills: far fewer forward passes, used by the GPU trainer)."""
    res = {}
    joint_got = {}
    if joint:
        allp = [(s, p) for s, samples in evals.items() for p, _ in samples]
        outs = greedy_complete(model, [p for _, p in allp], device)
        for (s, _), g in zip(allp, outs):
            joint_got.setdefault(s, []).append(g)
    for skill, samples in evals.items():
        got = joint_got.get(skill, []) if joint else greedy_complete(model, [p for p, _ in samples], device)
        res[skill] = sum(int(g == c) for g, (_, c) in zip(got, samples)) / max(1, len(samples))
        if failures is not None:
            failures[skill] = [{"prompt": p, "expected": c, "got": g} for g, (p, c) in zip(got, samples) if g != c]
    return res


@torch.no_grad()
def val_loss(model, rows: np.ndarray, device, batch: int = 256) -> float:
    model.eval()
    tot, n = 0.0, 0
    for s in range(0, len(rows), batch):
        r = torch.from_numpy(rows[s:s + batch].astype(np.int64)).to(device)
        logits, _ = model(r[:, :-1])
        tgt = r[:, 1:]
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), tgt.reshape(-1),
                               ignore_index=PAD, reduction="sum")
        tot += float(loss)
        n += int((tgt != PAD).sum())
    return tot / max(1, n)


def expert_usage(model, evals: Dict[str, List[Tuple[str, str]]], device) -> Dict[str, List[List[float]]]:
    """Per skill, per layer: the fraction of (token, slot) routing choices that picked each expert,
    over every token of `<bos> prompt completion` of the skill's evaluation samples. One sequence a
    forward (the exporter's CPU re-measure, as the committed cards were made)."""
    return expert_usage_batched(model, evals, device, batch=1)


@torch.no_grad()
def balance_stats(model, rows: np.ndarray, device, batch: int = 256) -> Dict[str, object]:
    """Expert load over the non-pad tokens of `rows` (validation rows): per layer the share of the
    (token, slot) top-k choices each expert takes, max/mean load (1 = perfect balance, E/k = every
    token on the same k experts), coefficient of variation (std/mean of the loads), min/mean, and
    the number of experts taking under 10 % of the mean load ("dead")."""
    model.eval()
    c = model.c
    if c.experts <= 1:
        return {}
    counts = np.zeros((c.layers, c.experts))
    for s in range(0, len(rows), batch):
        r = torch.from_numpy(rows[s:s + batch].astype(np.int64)).to(device)
        x = r[:, :-1]
        _, _, routes = model(x, return_routes=True)
        keep = (x != PAD)
        for l, (topi, _) in enumerate(routes):
            sel = topi[keep.unsqueeze(-1).expand_as(topi)]
            counts[l] += torch.bincount(sel, minlength=c.experts).cpu().numpy()
    share = counts / counts.sum(1, keepdims=True)
    mean = share.mean(1, keepdims=True)
    mx = (share.max(1) / mean[:, 0])
    cv = share.std(1) / mean[:, 0]
    mn = share.min(1) / mean[:, 0]
    dead = (share < 0.1 * mean).sum(1)
    return {"load": share.round(4).tolist(), "max_over_mean_per_layer": mx.round(3).tolist(),
            "cv_per_layer": cv.round(3).tolist(), "min_over_mean_per_layer": mn.round(3).tolist(),
            "dead_experts_per_layer": dead.astype(int).tolist(),
            "max_over_mean": round(float(mx.mean()), 3), "cv": round(float(cv.mean()), 3),
            "tokens": int(counts[0].sum() / c.top_k)}


@torch.no_grad()
def expert_usage_batched(model, evals: Dict[str, List[Tuple[str, str]]], device, batch: int = 512
                         ) -> Dict[str, List[List[float]]]:
    """expert_usage with the sequences of equal length batched together (GPU trainer: one forward per
    length instead of one per sample). Same counts up to float ties in the router's top-k."""
    model.eval()
    c = model.c
    res: Dict[str, List[List[float]]] = {}
    if c.experts <= 1:
        return res
    for skill, samples in evals.items():
        counts = np.zeros((c.layers, c.experts))
        by_len: Dict[int, List[List[int]]] = defaultdict(list)
        for p, comp in samples:
            ids = [BOS] + encode(p + comp)
            by_len[len(ids)].append(ids)
        for _, seqs in by_len.items():
            for s in range(0, len(seqs), batch):
                x = torch.tensor(seqs[s:s + batch], dtype=torch.long, device=device)
                _, _, routes = model(x, return_routes=True)
                for l, (topi, _) in enumerate(routes):
                    counts[l] += torch.bincount(topi.reshape(-1), minlength=c.experts).cpu().numpy()
        res[skill] = (counts / counts.sum(1, keepdims=True)).round(4).tolist()
    return res

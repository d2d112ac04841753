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


def accuracy(model, evals: Dict[str, List[Tuple[str, str]]], device, failures: Dict[str, list] = None) -> Dict[str, float]:
    """Exact-match accuracy per skill; `failures`, when given, collects every miss per skill as
    {prompt, expected, got}."""
    res = {}
    for skill, samples in evals.items():
        got = greedy_complete(model, [p for p, _ in samples], device)
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


@torch.no_grad()
def expert_usage(model, evals: Dict[str, List[Tuple[str, str]]], device) -> Dict[str, List[List[float]]]:
    """Per skill, per layer: the fraction of (token, slot) routing choices that picked each expert,
    over every token of `<bos> prompt completion` of the skill's evaluation samples."""
    model.eval()
    c = model.c
    res: Dict[str, List[List[float]]] = {}
    if c.experts <= 1:
        return res
    for skill, samples in evals.items():
        counts = np.zeros((c.layers, c.experts))
        for p, comp in samples:
            ids = torch.tensor([[BOS] + encode(p + comp)], dtype=torch.long, device=device)
            _, _, routes = model(ids, return_routes=True)
            for l, (topi, _) in enumerate(routes):
                counts[l] += np.bincount(topi.reshape(-1).cpu().numpy(), minlength=c.experts)
        res[skill] = (counts / counts.sum(1, keepdims=True)).round(4).tolist()
    return res

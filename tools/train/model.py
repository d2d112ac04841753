"""Mixtral-style decoder with a switchable FFN (routed MoE, MoE + shared expert, or dense).

Runs on torch 1.13 (Debian, CPU, ONNX export) and torch 2.x (GPU training): no SDPA, no
torch.compile requirements, plain ops only.

Math (the engine must match it exactly):
  x = embed[ids]
  per layer l:
    a = RMSNorm1(x);  q,k,v = a·Wq, a·Wk, a·Wv  (nn.Linear, no bias)  -> [B,H,T,hd]
    RoPE (rotate-half / Llama-HF convention): inv_freq[i] = theta^(-2i/hd), i < hd/2,
      ang = pos·inv_freq, cos/sin = cat(cos(ang), cos(ang)) / cat(sin(ang), sin(ang)),
      q' = q·cos + rotate_half(q)·sin, rotate_half(x) = cat(-x[hd/2:], x[:hd/2])
    causal attention over [past; new] keys (query i at position P+i sees keys j <= P+i),
      scores / sqrt(hd), softmax, ·V, heads concatenated, ·Wo
    h = x + attn;  m = RMSNorm2(h)
    MoE: logits = m·Wr [D,E]; p = softmax(logits); top-k of p; w = p_top / Σ p_top (renormalise);
         out = Σ_j w_j · (silu(m·W1[e_j]) ⊙ (m·W3[e_j]))·W2[e_j]  (+ shared expert, weight 1)
    x = h + out
  logits = RMSNorm_f(x)·Wemb^T (tied) or ·Whead^T
RMSNorm(x) = x / sqrt(mean(x^2) + eps) * g.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 100
    hidden: int = 128
    layers: int = 3
    heads: int = 4
    kv_heads: int = 4
    head_dim: int = 32
    max_context: int = 128
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    experts: int = 8
    top_k: int = 2
    expert_ffn: int = 72
    shared_ffn: int = 0
    renormalize: bool = True
    tie_embeddings: bool = True
    # DeepSeek-V3 auxiliary-loss-free balancing: a per-expert bias (buffer `router_bias`, saved as
    # `layers.<l>.router.bias` by train.py) added to the router probabilities for the top-k choice
    # only; the gate weights stay the unbiased probabilities. Updated by the trainer, not by SGD.
    router_bias: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


VARIANTS = {
    # default: 8 experts, top-2 (Mixtral)
    "mixtral-style": ModelConfig(experts=8, top_k=2, expert_ffn=72),
    # 32 smaller experts, top-4 (OLMoE / Qwen-MoE style); same total expert parameters
    "fine-grained": ModelConfig(experts=32, top_k=4, expert_ffn=18),
    # 16 routed + 1 always-on shared expert, top-4 (DeepSeek style)
    "shared-expert": ModelConfig(experts=16, top_k=4, expert_ffn=32, shared_ffn=64),
    # dense baseline with the active FFN width of mixtral-style (2 x 72)
    "dense": ModelConfig(experts=1, top_k=1, expert_ffn=144),
}

# The four committed packs ("--variants all" in train.py / export.py means these).
ORIGINAL_VARIANTS = list(VARIANTS)

# Equal-compute family (issue 22): the same active FFN width (144 = 2 x 72, top-2 of I = 72; the dense
# member has one FFN of width 144), hidden 128, 3 layers; only the number of experts changes.
FAMILY_EXPERTS = (1, 4, 8, 16, 32, 64)
for _e in FAMILY_EXPERTS:
    VARIANTS[f"family-e{_e}"] = (ModelConfig(experts=1, top_k=1, expert_ffn=144) if _e == 1
                                 else ModelConfig(experts=_e, top_k=2, expert_ffn=72))
# Router collapse and its cure: the mixtral-style shape, trained without the load-balancing loss
# (train.py --aux-coef 0), and with DeepSeek-V3's bias balancing instead (--bias-gamma 1e-3).
VARIANTS["collapse"] = ModelConfig(experts=8, top_k=2, expert_ffn=72)
VARIANTS["bias-balance"] = ModelConfig(experts=8, top_k=2, expert_ffn=72, router_bias=True)
# The pack where the GPU matters: hidden 384, 6 layers, 6 heads of 64, 16 experts top-2, I = 36:
# 7.62 M parameters (1.64 M active); the exported pack (safetensors + ONNX, reference.onnx repeating
# every weight) is ~8 bytes a parameter: ~61 MB (measured by export.py, must stay <= 64 MB).
VARIANTS["large"] = ModelConfig(hidden=384, layers=6, heads=6, kv_heads=6, head_dim=64, experts=16,
                                top_k=2, expert_ffn=36)


class RMSNorm(nn.Module):
    def __init__(self, d: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_cos_sin(positions: torch.Tensor, head_dim: int, theta: float):
    """positions int64 [B,T] -> cos, sin [B,1,T,hd]."""
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    ang = positions.to(torch.float32).unsqueeze(-1) * inv.to(positions.device)
    emb = torch.cat([ang, ang], dim=-1)
    return emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Attention(nn.Module):
    def __init__(self, c: ModelConfig):
        super().__init__()
        self.c = c
        self.wq = nn.Linear(c.hidden, c.heads * c.head_dim, bias=False)
        self.wk = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.wv = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.wo = nn.Linear(c.heads * c.head_dim, c.hidden, bias=False)

    def forward(self, x, cos, sin, past_k=None, past_v=None):
        c = self.c
        B, T = x.shape[0], x.shape[1]
        q = self.wq(x).reshape(B, T, c.heads, c.head_dim).transpose(1, 2)
        k = self.wk(x).reshape(B, T, c.kv_heads, c.head_dim).transpose(1, 2)
        v = self.wv(x).reshape(B, T, c.kv_heads, c.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        present_k, present_v = k, v
        if c.kv_heads != c.heads:
            rep = c.heads // c.kv_heads
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
        S = k.shape[2]
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(c.head_dim))
        qpos = torch.arange(T, device=x.device) + (S - T)
        kpos = torch.arange(S, device=x.device)
        mask = kpos.unsqueeze(0) > qpos.unsqueeze(1)  # [T,S] True = masked
        scores = scores.masked_fill(mask, -1e9)
        att = torch.softmax(scores.float(), dim=-1).to(v.dtype)
        y = torch.matmul(att, v).transpose(1, 2).reshape(B, T, c.heads * c.head_dim)
        return self.wo(y), present_k, present_v


class MoE(nn.Module):
    """Routed SwiGLU experts computed densely and masked by the sparse top-k gates (exactly the
    sparse result: unselected experts get gate 0). Dense variant: experts=1, gate 1."""

    def __init__(self, c: ModelConfig):
        super().__init__()
        self.c = c
        self.compute_aux = True
        E, D, I = c.experts, c.hidden, c.expert_ffn
        s_in, s_mid = 1.0 / math.sqrt(D), 1.0 / math.sqrt(I)
        self.router = nn.Parameter(torch.randn(D, E) * 0.02) if E > 1 else None
        if c.router_bias and E > 1:
            self.register_buffer("router_bias", torch.zeros(E))
        else:
            self.router_bias = None
        self.w1 = nn.Parameter(torch.randn(E, D, I) * s_in)
        self.w3 = nn.Parameter(torch.randn(E, D, I) * s_in)
        self.w2 = nn.Parameter(torch.randn(E, I, D) * s_mid)
        if c.shared_ffn > 0:
            Is = c.shared_ffn
            self.s1 = nn.Parameter(torch.randn(D, Is) * s_in)
            self.s3 = nn.Parameter(torch.randn(D, Is) * s_in)
            self.s2 = nn.Parameter(torch.randn(Is, D) * (1.0 / math.sqrt(Is)))

    def route(self, x):
        """x [...,D] -> probs [...,E], topk ids [...,k], topk weights [...,k], gates [...,E]."""
        c = self.c
        logits = torch.matmul(x, self.router)
        probs = torch.softmax(logits.float(), dim=-1)
        if self.router_bias is not None:
            # selection by p + b, weights from the unbiased p (DeepSeek-V3)
            _, topi = torch.topk(probs + self.router_bias, c.top_k, dim=-1)
            topv = torch.gather(probs, -1, topi)
        else:
            topv, topi = torch.topk(probs, c.top_k, dim=-1)
        if c.renormalize:
            topv = topv / topv.sum(dim=-1, keepdim=True)
        gates = torch.zeros_like(probs).scatter(-1, topi, topv)
        return probs, topi, topv, gates

    def forward(self, x):
        c = self.c
        E, D, I = c.experts, c.hidden, c.expert_ffn
        lead = x.shape[:-1]
        w1 = self.w1.permute(1, 0, 2).reshape(D, E * I)
        w3 = self.w3.permute(1, 0, 2).reshape(D, E * I)
        a = F.silu(torch.matmul(x, w1)) * torch.matmul(x, w3)  # [...,E*I]
        aux = None
        route = None
        if E > 1:
            probs, topi, topv, gates = self.route(x)
            a = (a.reshape(lead + (E, I)) * gates.to(a.dtype).unsqueeze(-1)).reshape(lead + (E * I,))
            route = (topi, topv)
        if E > 1 and self.compute_aux:
            # Switch/Mixtral load-balancing loss: E * sum_e f_e * P_e
            N = probs.numel() // E
            f = torch.zeros(E, device=x.device).scatter_add(
                0, topi.reshape(-1), torch.ones(topi.numel(), device=x.device)) / (N * c.top_k)
            P = probs.reshape(-1, E).mean(0)
            aux = E * (f * P).sum()
        out = torch.matmul(a, self.w2.reshape(E * I, D))
        if c.shared_ffn > 0:
            out = out + torch.matmul(F.silu(torch.matmul(x, self.s1)) * torch.matmul(x, self.s3), self.s2)
        return out, aux, route


class Block(nn.Module):
    def __init__(self, c: ModelConfig):
        super().__init__()
        self.norm1 = RMSNorm(c.hidden, c.norm_eps)
        self.attn = Attention(c)
        self.norm2 = RMSNorm(c.hidden, c.norm_eps)
        self.moe = MoE(c)

    def attn_part(self, x, cos, sin, past_k=None, past_v=None):
        a, pk, pv = self.attn(self.norm1(x), cos, sin, past_k, past_v)
        h = x + a
        return h, self.norm2(h), pk, pv


class MoELM(nn.Module):
    def __init__(self, c: ModelConfig):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab_size, c.hidden)
        nn.init.normal_(self.embed.weight, std=c.hidden ** -0.5)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.layers)])
        self.norm = RMSNorm(c.hidden, c.norm_eps)
        self.head = None if c.tie_embeddings else nn.Linear(c.hidden, c.vocab_size, bias=False)

    def logits_from_hidden(self, x):
        x = self.norm(x)
        if self.head is not None:
            return self.head(x)
        return torch.matmul(x, self.embed.weight.t())

    def forward(self, ids, return_routes: bool = False):
        B, T = ids.shape
        pos = torch.arange(T, device=ids.device).unsqueeze(0).expand(B, T)
        cos, sin = rope_cos_sin(pos, self.c.head_dim, self.c.rope_theta)
        x = self.embed(ids)
        aux_total = 0.0
        routes: List[Optional[Tuple[torch.Tensor, torch.Tensor]]] = []
        for blk in self.blocks:
            h, m, _, _ = blk.attn_part(x, cos, sin)
            out, aux, route = blk.moe(m)
            if aux is not None:
                aux_total = aux_total + aux
            routes.append(route)
            x = h + out
        logits = self.logits_from_hidden(x)
        if return_routes:
            return logits, aux_total, routes
        return logits, aux_total


def count_params(c: ModelConfig) -> dict:
    D, E, I, L = c.hidden, c.experts, c.expert_ffn, c.layers
    attn = D * c.heads * c.head_dim * 2 + D * c.kv_heads * c.head_dim * 2
    expert = 3 * D * I
    shared = 3 * D * c.shared_ffn
    router = D * E if E > 1 else 0
    emb = c.vocab_size * D * (1 if c.tie_embeddings else 2)
    norms = (2 * L + 1) * D
    total = emb + norms + L * (attn + router + E * expert + shared)
    active = emb + norms + L * (attn + router + c.top_k * expert + shared)
    return {"total": total, "active": active, "active_ffn_width": c.top_k * I + c.shared_ffn}

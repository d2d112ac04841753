"""Corpus of clearly different skills, deterministic from a seed.

Every sample is a (prompt, completion) pair of printable ASCII. A training sequence is
`<bos> prompt completion <eos>`; evaluation feeds `<bos> prompt` and decodes greedily until <eos>.
Each of the ten original skills has a held-out evaluation set: its prompts never occur in the
training corpus. The optional eleventh skill, `fact` (a made-up encyclopaedia, see `FactTable`), is the
exception: it is pure memorisation, so its evaluation set is a fixed sample of the trained facts.
With `facts=0` (the default) nothing of it is generated and every corpus, validation set and
evaluation set is exactly what it was before the skill existed.
"""
from __future__ import annotations

import random
from typing import Callable, Dict, List, Tuple

import numpy as np

from tokenizer import BOS, EOS, PAD, encode

Sample = Tuple[str, str]

LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORDS = (
    "red blue green cat dog fox owl bird fish tree leaf rock sun moon star rain snow wind "
    "lake river hill road city town house door book page word song game ball cake milk tea "
    "bread apple lemon plum king queen ship boat train car bike lamp desk chair bed cup box"
).split()
NAMES = "mia tom ana leo eva max zoe sam ivy ben lily noah".split()
COLORS = "red blue green black white pink gray brown".split()
OBJECTS = "ball hat cup kite box bike car pen bag coat".split()
PLACES = "park zoo shop lake beach farm school market garden library".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _letters(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(lo, hi)))


def gen_add(rng: random.Random) -> Sample:
    a, b = rng.randint(0, 99), rng.randint(0, 99)
    return f"add: {a}+{b}=", str(a + b)


def gen_sub(rng: random.Random) -> Sample:
    a = rng.randint(0, 99)
    b = rng.randint(0, a)
    return f"sub: {a}-{b}=", str(a - b)


def gen_copy(rng: random.Random) -> Sample:
    s = _letters(rng, 3, 10)
    return f"copy: {s} -> ", s


def gen_reverse(rng: random.Random) -> Sample:
    s = _letters(rng, 3, 8)
    return f"reverse: {s} -> ", s[::-1]


def gen_sort(rng: random.Random) -> Sample:
    s = _letters(rng, 3, 8)
    return f"sort: {s} -> ", "".join(sorted(s))


def gen_upper(rng: random.Random) -> Sample:
    s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
    return f"upper: {s} -> ", s.upper()


def gen_brackets(rng: random.Random) -> Sample:
    """A prefix of a balanced bracket string; the completion closes every open bracket."""
    target_open = rng.randint(1, 5)
    length = rng.randint(target_open, 10)
    stack: List[str] = []
    out: List[str] = []
    while len(out) < length:
        remaining = length - len(out)
        # Close only if enough room remains to keep `target_open` brackets open at the end.
        can_close = len(stack) > 0 and (len(stack) - 1) + (remaining - 1) >= target_open
        must_open = len(stack) < target_open and remaining <= target_open - len(stack)
        if can_close and not must_open and rng.random() < 0.45:
            out.append(BRACKETS[stack.pop()])
        else:
            o = rng.choice("([{<")
            stack.append(o)
            out.append(o)
    while len(stack) > target_open:  # cannot happen often; keep it valid anyway
        out.append(BRACKETS[stack.pop()])
    closing = "".join(BRACKETS[o] for o in reversed(stack))
    return f"close: {''.join(out)} -> ", closing


def gen_dates(rng: random.Random) -> Sample:
    y, m, d = rng.randint(1950, 2049), rng.randint(1, 12), rng.randint(1, 28)
    return f"date: {y:04d}-{m:02d}-{d:02d} -> ", f"{MONTHS[m - 1]} {d}, {y}"


def gen_english(rng: random.Random) -> Sample:
    name = rng.choice(NAMES)
    if rng.random() < 0.5:
        color, obj = rng.choice(COLORS), rng.choice(OBJECTS)
        return f"story: {name} has a {color} {obj}. what color is the {obj}? -> ", color
    place = rng.choice(PLACES)
    return f"story: {name} went to the {place}. where is {name}? -> ", f"the {place}"


def gen_code(rng: random.Random) -> Sample:
    a, b = rng.sample("abcdefghijkmnpqrstuvwxyz", 2)
    x, c = rng.randint(0, 9), rng.randint(1, 9)
    op = rng.choice("+-*")
    y = {"+": x + c, "-": x - c, "*": x * c}[op]
    if rng.random() < 0.8:
        return f"code: {a} = {x}; {b} = {a} {op} {c}; print({b}) -> ", str(y)
    return f"code: {a} = {x}; {b} = {a} {op} {c}; print({a}) -> ", str(x)


SKILLS: Dict[str, Callable[[random.Random], Sample]] = {
    "add": gen_add,
    "sub": gen_sub,
    "copy": gen_copy,
    "reverse": gen_reverse,
    "sort": gen_sort,
    "upper": gen_upper,
    "brackets": gen_brackets,
    "dates": gen_dates,
    "english": gen_english,
    "code": gen_code,
}
SKILL_NAMES = list(SKILLS)


FACT_SKILL = "fact"
FACT_ONSETS = "b c d f g h j k l m n p r s t v w z br dr fl gr kr pl st tr sk".split()
FACT_VOWELS = "a e i o u ai ou".split()
FACT_CODAS = ["", "", "", "n", "r", "s", "l", "x"]


class FactTable:
    """A made-up encyclopaedia: `n` facts `fact: <word> -> <number>`, deterministic from `seed`.

    Keys are distinct pronounceable made-up words of 2-3 syllables (e.g. `zorbin`, `kraivel`), values
    uniform in 100000..999999 (log2 900000 ~ 19.8 bits a fact, nothing to infer: pure memorisation).
    Six digits, not three: a first H200 calibration (2026-11-30) showed the dense model memorising
    3000 three-digit facts completely once it saw each ~200 times, so three-digit facts bind on
    exposures, not on parameters; twice the bits a fact makes the table a test of capacity."""

    def __init__(self, n: int, seed: int = 7):
        rng = random.Random(0xFAC7 ^ (seed * 1_000_003))
        keys: List[str] = []
        seen = set()
        while len(keys) < n:
            w = "".join(rng.choice(FACT_ONSETS) + rng.choice(FACT_VOWELS) + rng.choice(FACT_CODAS)
                        for _ in range(rng.choice((2, 2, 3))))
            if w in seen or not (4 <= len(w) <= 12):
                continue
            seen.add(w)
            keys.append(w)
        self.n, self.seed = n, seed
        self.keys = keys
        self.values = [rng.randint(100000, 999999) for _ in range(n)]

    def sample(self, i: int) -> Sample:
        return f"fact: {self.keys[i]} -> ", str(self.values[i])

    def eval_sample(self, k: int, eval_seed: int) -> List[Sample]:
        """A fixed sample of k facts (all of them are trained: memorisation is the point)."""
        idx = random.Random(eval_seed * 7 + self.seed).sample(range(self.n), min(k, self.n))
        return [self.sample(i) for i in idx]


_FACT_CACHE: Dict[Tuple[int, int], FactTable] = {}


def fact_table(n: int, seed: int) -> FactTable:
    if (n, seed) not in _FACT_CACHE:
        _FACT_CACHE[(n, seed)] = FactTable(n, seed)
    return _FACT_CACHE[(n, seed)]


def skill_names(facts: int = 0) -> List[str]:
    """The pack's skill list: the ten skills, plus `fact` when the corpus has facts."""
    return SKILL_NAMES + ([FACT_SKILL] if facts > 0 else [])


def eval_sets(seed: int, per_skill: int = 100, facts: int = 0, fact_seed: int = 7,
              fact_eval: int = 200) -> Dict[str, List[Sample]]:
    """Held-out evaluation sets: distinct prompts per skill (fewer where the skill has fewer).
    With `facts > 0` the `fact` skill is added: `fact_eval` facts sampled from the (trained) table."""
    out: Dict[str, List[Sample]] = {}
    for i, name in enumerate(SKILL_NAMES):
        rng = random.Random(seed * 1000 + 7919 * (i + 1))
        seen: Dict[str, str] = {}
        tries = 0
        # english has ~1300 distinct prompts: hold out fewer so training still sees most of them
        want = per_skill if name != "english" else per_skill // 2
        while len(seen) < want and tries < 100 * want:
            p, c = SKILLS[name](rng)
            seen.setdefault(p, c)
            tries += 1
        out[name] = list(seen.items())
    if facts > 0:
        out[FACT_SKILL] = fact_table(facts, fact_seed).eval_sample(fact_eval, seed)
    return out


def held_out_prompts(seed: int) -> set:
    """Prompts of the ten skills' evaluation sets (never the facts: those are meant to be trained)."""
    return {p for samples in eval_sets(seed).values() for p, _ in samples}


def gen_samples(seed: int, chunk: int, n: int, excluded: set, facts: int = 0, fact_share: float = 0.0,
                fact_seed: int = 7) -> List[Sample]:
    """`n` samples. With facts > 0, a sample is a uniformly drawn fact with probability fact_share,
    else one of the ten skills; the fact draws use their own generator so that with facts = 0 the
    stream is exactly the original one."""
    rng = random.Random((seed << 20) ^ (chunk * 2654435761 % (1 << 31)))
    gens = list(SKILLS.values())
    out: List[Sample] = []
    if facts > 0 and fact_share > 0:
        table = fact_table(facts, fact_seed)
        frng = random.Random(((seed << 20) ^ (chunk * 2654435761 % (1 << 31))) + 0x5EED)
        while len(out) < n:
            if frng.random() < fact_share:
                out.append(table.sample(frng.randrange(facts)))
                continue
            p, c = rng.choice(gens)(rng)
            if p in excluded:
                continue
            out.append((p, c))
        return out
    while len(out) < n:
        p, c = rng.choice(gens)(rng)
        if p in excluded:
            continue
        out.append((p, c))
    return out


def pack_rows(samples: List[Sample], ctx: int) -> np.ndarray:
    """Pack `<bos> p c <eos>` sequences into rows of ctx+1 tokens, each row starting at a sample;
    a sample that no longer fits starts the next row; the tail is PAD (ignored by the loss)."""
    rows: List[np.ndarray] = []
    cur: List[int] = []
    for p, c in samples:
        ids = [BOS] + encode(p + c) + [EOS]
        if len(ids) > ctx + 1:
            continue
        if len(cur) + len(ids) > ctx + 1:
            rows.append(np.array(cur + [PAD] * (ctx + 1 - len(cur)), dtype=np.int16))
            cur = []
        cur.extend(ids)
    if cur:
        rows.append(np.array(cur + [PAD] * (ctx + 1 - len(cur)), dtype=np.int16))
    return np.stack(rows)


_EXCLUDED: Dict[int, set] = {}


def _chunk_job(args):
    seed, chunk, n, ctx, eval_seed, facts, fact_share, fact_seed = args
    if eval_seed not in _EXCLUDED:
        _EXCLUDED[eval_seed] = held_out_prompts(eval_seed)
    return pack_rows(gen_samples(seed, chunk, n, _EXCLUDED[eval_seed], facts, fact_share, fact_seed), ctx)


def build_corpus(seed: int, eval_seed: int, n_samples: int, ctx: int, workers: int = 1,
                 chunk_size: int = 20000, facts: int = 0, fact_share: float = 0.0,
                 fact_seed: int = 7) -> np.ndarray:
    """Rows of ctx+1 tokens. The same (seed, n_samples, chunk_size, facts...) give the same rows
    whatever `workers` is (chunks are generated independently and concatenated in order)."""
    n_chunks = max(1, (n_samples + chunk_size - 1) // chunk_size)
    jobs = [(seed, i, chunk_size, ctx, eval_seed, facts, fact_share, fact_seed) for i in range(n_chunks)]
    if workers > 1:
        import multiprocessing as mp

        if facts > 0:
            fact_table(facts, fact_seed)  # built once in the parent, inherited by the forked workers
        _EXCLUDED.setdefault(eval_seed, held_out_prompts(eval_seed))
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_chunk_job, jobs, chunksize=1)
    else:
        parts = [_chunk_job(j) for j in jobs]
    return np.concatenate(parts, axis=0)


if __name__ == "__main__":
    ev = eval_sets(1234)
    for k, v in ev.items():
        print(k, len(v), v[:2])
    rows = build_corpus(1, 1234, 2000, 128)
    print(rows.shape, (rows != PAD).mean())

"""Character-level tokenizer (printable ASCII), mirrored by src/model/tokenizer.ts.

ids: 0 <pad>, 1 <bos>, 2 <eos>, 3 <unk>, 4 '\\n', 5..99 the printable ASCII characters 0x20..0x7E.
Tabs become one space; every other character (non-ASCII, control) becomes <unk>.
Decoding drops <pad>/<bos>/<eos> and writes <unk> as U+FFFD.
"""
from __future__ import annotations

from typing import List

PAD, BOS, EOS, UNK, NEWLINE = 0, 1, 2, 3, 4
FIRST_CHAR_ID = 5
VOCAB_SIZE = FIRST_CHAR_ID + (0x7E - 0x20 + 1)  # 100
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]


def encode(text: str) -> List[int]:
    out = []
    for ch in text:
        if ch == "\t":
            ch = " "
        o = ord(ch)
        if ch == "\n":
            out.append(NEWLINE)
        elif 0x20 <= o <= 0x7E:
            out.append(FIRST_CHAR_ID + o - 0x20)
        else:
            out.append(UNK)
    return out


def decode(ids: List[int]) -> str:
    out = []
    for i in ids:
        if i in (PAD, BOS, EOS):
            continue
        if i == UNK:
            out.append("\ufffd")
        elif i == NEWLINE:
            out.append("\n")
        elif FIRST_CHAR_ID <= i < VOCAB_SIZE:
            out.append(chr(0x20 + i - FIRST_CHAR_ID))
        else:
            out.append("\ufffd")
    return "".join(out)


def tokenizer_json() -> dict:
    vocab = SPECIALS + ["\n"] + [chr(c) for c in range(0x20, 0x7F)]
    assert len(vocab) == VOCAB_SIZE
    return {
        "type": "char",
        "format_version": 1,
        "vocab_size": VOCAB_SIZE,
        "vocab": vocab,
        "special": {"pad": PAD, "bos": BOS, "eos": EOS, "unk": UNK},
        "rules": {
            "encode": "per Unicode code point: '\\n' -> 4; U+0020..U+007E -> 5 + (code - 0x20); "
            "'\\t' -> the id of ' '; anything else (non-ASCII, control characters) -> <unk> (3). "
            "No <bos> is added by encode: prompts are fed as [<bos>] + encode(text).",
            "decode": "<pad>, <bos>, <eos> are dropped; <unk> decodes to U+FFFD; others to their character.",
            "generation": "stop at <eos> (2).",
        },
    }

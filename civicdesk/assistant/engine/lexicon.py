"""The lexicon: everyday, legacy and regional words, abbreviations and English key terms → catalogue terms.

The data lives in `data/lexicon.json` so that editors can extend it without touching code, and English in
`data/english.json`: a bilingual glossary written from the records (each canonical is the records' own wording),
never from the evaluation's questions. Variants are matched as accent-folded syllable sequences, longest first, so
"so do", "sổ đỏ" and "SỔ ĐỎ" are one variant.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import folded_syllables

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.json"
ENGLISH_PATH = Path(__file__).with_name("data") / "english.json"
LEXICON_PATHS = (LEXICON_PATH, ENGLISH_PATH)


@dataclass(frozen=True)
class Expansion:
    start: int  # first query syllable the variant covers
    end: int  # one past the last
    variant: str
    canonical: tuple  # folded canonical syllables


class Lexicon:
    def __init__(self, entries):
        self.entries = entries
        # folded variant syllables → folded canonical syllables; several entries may share a variant.
        self.phrases = {}
        for entry in entries:
            canonical = tuple(folded_syllables(entry["canonical"]))
            for variant in entry["variants"]:
                key = tuple(folded_syllables(variant))
                if key:
                    self.phrases.setdefault(key, []).append((variant, canonical))
        self.max_len = max((len(k) for k in self.phrases), default=0)

    def match(self, tokens):
        """Longest, leftmost, non-overlapping variant matches in folded `tokens`."""
        found, i = [], 0
        while i < len(tokens):
            for length in range(min(self.max_len, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + length])
                if key in self.phrases:
                    for variant, canonical in self.phrases[key]:
                        found.append(Expansion(i, i + length, variant, canonical))
                    i += length
                    break
            else:
                i += 1
        return found


@lru_cache(maxsize=1)
def get_lexicon():
    entries = []
    for path in LEXICON_PATHS:
        entries += json.loads(path.read_text(encoding="utf-8"))["entries"]
    return Lexicon(entries)

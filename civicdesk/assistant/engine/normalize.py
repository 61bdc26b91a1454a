"""Vietnamese text normalisation for retrieval: Unicode NFC, lower case, accent folding, syllables, n-grams.

Retrieval works on *folded* syllables (no tone marks, no vowel hats, đ → d) so that a question typed without
diacritics, with the old tone placement (hoà/hòa) or with a different Unicode form matches the catalogue; the
accented form is kept beside it so that a question typed with diacritics can still prefer the exact word.
"""

import itertools
import re
import unicodedata

from civicdesk.handbook.text import fold_letters

_TOKEN = re.compile(r"[0-9]+(?:[.,/][0-9]+)*|[^\W\d_]+", re.UNICODE)

# Accent folding is the handbook's (the layer below): one implementation for the database search and this index.
fold = fold_letters


def nfc(text):
    """NFC, collapsed whitespace; also turns the decomposed input some Windows keyboards send into one form."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def syllables(text):
    """Lower-cased NFC syllables (Vietnamese words are space-separated syllables), numbers kept whole."""
    return _TOKEN.findall(nfc(text).lower())


def folded_syllables(text):
    return [fold(s) for s in syllables(text)]


def syllable_pairs(text):
    """(accented syllables, folded syllables) of a text in one pass; the lists align one to one."""
    lowered = unicodedata.normalize("NFC", text or "").lower()
    raw = _TOKEN.findall(lowered)
    folded = _TOKEN.findall(fold(lowered))
    if len(folded) != len(raw):
        folded = [fold(t) for t in raw]
    return raw, folded


def bigrams(tokens):
    """Adjacent pairs joined by '_': most Vietnamese words are two-syllable compounds (khai_sinh, ho_khau)."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]

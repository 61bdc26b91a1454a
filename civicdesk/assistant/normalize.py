"""Vietnamese text normalisation for retrieval: Unicode NFC, lower case, accent folding, syllables, n-grams.

Retrieval works on *folded* syllables (no tone marks, no vowel hats, đ → d) so that a question typed without
diacritics, with the old tone placement (hoà/hòa) or with a different Unicode form matches the catalogue; the
accented form is kept beside it so that a question typed with diacritics can still prefer the exact word.
"""

import itertools
import re
import unicodedata

# Characters that NFD does not decompose into a base letter plus combining marks.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ƀ": "b"})
_COMBINING = re.compile("[\u0300-\u036f]")
_TOKEN = re.compile(r"[0-9]+(?:[.,/][0-9]+)*|[^\W\d_]+", re.UNICODE)


def nfc(text):
    """NFC, collapsed whitespace; also turns the decomposed input some Windows keyboards send into one form."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def _strip(ch):
    return "".join(
        c for c in unicodedata.normalize("NFD", ch.translate(_SPECIAL)) if not unicodedata.combining(c)
    )


# One-to-one table for precomposed Latin letters (Vietnamese lives in U+00C0–U+1EFF): folding a whole record is
# then a single str.translate, and folded text keeps the positions of the original.
_FOLD = {
    cp: _strip(chr(cp))
    for cp in range(0x00C0, 0x1F00)
    if len(_strip(chr(cp))) == 1 and _strip(chr(cp)) != chr(cp)
}


def fold(text):
    """Lower case without diacritics: 'Đăng ký khai sinh' → 'dang ky khai sinh'."""
    folded = (text or "").lower().translate(_FOLD)
    if folded.isascii() or not _COMBINING.search(folded):
        return folded
    # Decomposed input (base letter + combining marks), as some keyboards and PDF copies send.
    return _strip(folded)


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


def has_diacritics(text):
    return fold(text) != (text or "").lower()

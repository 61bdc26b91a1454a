"""Place names in a question ("tôi ở Bảo Lộc", "lên Đà Lạt làm", "I live in Ho Chi Minh City").

Where the asker lives or was is context, not what they ask about: a question that names a town shares that name with
no record, so counting it as a topic lowers the question's coverage and pushes a right answer towards "not found".
The names are data (`data/places.json`: provinces, large cities, the province's communes and former districts);
this module finds them. Names of two syllables or more only (a single syllable is too often an ordinary word).

A syllable typed with diacritics must carry the name's ("Bảo Lộc"; "hoà"/"hòa" both), one typed without matches
by its letters ("bao loc") — except in the names of `accented_only`, whose folded form is an everyday phrase ("La
Gi" is "là gì" typed without diacritics).
"""

import json
from functools import lru_cache
from pathlib import Path

from .normalize import fold, syllables

PLACES_PATH = Path(__file__).with_name("data") / "places.json"

# The old and the new tone placement on "oa", "oe", "uy" ("hoà"/"hòa"): both spellings are in use.
_TONE_PLACEMENT = {}
for _plain, _marks in (("oa", "àáảãạ"), ("oe", "èéẻẽẹ"), ("uy", "ỳýỷỹỵ")):
    _first = {"o": "òóỏõọ", "u": "ùúủũụ"}[_plain[0]]
    for _new_mark, _old_mark in zip(_marks, _first, strict=True):
        _TONE_PLACEMENT[_old_mark + _plain[1]] = _plain[0] + _new_mark


def _new_placement(syllable):
    for old, new in _TONE_PLACEMENT.items():
        if syllable.endswith(old):
            return syllable[: -len(old)] + new
    return syllable


@lru_cache(maxsize=1)
def _phrases():
    """({folded syllables: [(accented syllables, accented only)]}, longest name in syllables)."""
    data = json.loads(PLACES_PATH.read_text(encoding="utf-8"))
    accented_only = {tuple(syllables(name)) for name in data.get("accented_only", [])}
    phrases = {}
    for name in data["names"]:
        parts = tuple(syllables(name))
        if len(parts) >= 2:
            variant = (tuple(_new_placement(s) for s in parts), parts in accented_only)
            phrases.setdefault(tuple(fold(s) for s in parts), []).append(variant)
    return phrases, max((len(p) for p in phrases), default=0)


def _matches(typed, variant):
    """Does the span `typed` (syllables as typed) spell the place `variant`? A syllable typed with diacritics must
    carry the name's; one typed without matches by its letters, unless the name is accented only (then its accented
    syllables must be typed with their diacritics)."""
    accented, only_accented = variant
    if only_accented and all(name == fold(name) for name in accented):
        return False  # "La Gi": nothing tells it from "là gì"
    for syllable, name in zip(typed, accented, strict=True):
        if syllable == fold(syllable):
            if only_accented and name != syllable:
                return False
        elif _new_placement(syllable) != name:
            return False
    return True


def place_positions(raw):
    """Positions of `raw` (lower-cased syllables as typed) that are part of a place name, longest match first."""
    phrases, longest = _phrases()
    folded = [fold(t) for t in raw]
    found, i = set(), 0
    while i < len(raw):
        for length in range(min(longest, len(raw) - i), 1, -1):
            variants = phrases.get(tuple(folded[i : i + length]), ())
            if any(_matches(raw[i : i + length], v) for v in variants):
                found.update(range(i, i + length))
                i += length
                break
        else:
            i += 1
    return found

"""Matching procedure names of the national list to ours: normalised names, exact first, then a similarity score.

A name is normalised by folding accents (`text.fold`), turning punctuation into spaces and dropping a leading
"thủ tục" ("Thủ tục đăng ký khai sinh" and "Đăng ký khai sinh." are the same name). The score of a near name is
difflib's ratio of the normalised names; candidates are first narrowed by shared words (token Jaccard), so a list of
thousands of rows against our catalogue stays fast. Matching only proposes: an editor accepts.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .text import fold

# Below this, the top candidate is too far to propose (an editor would only be shown noise).
MIN_SCORE = 0.75
# How many candidates (by shared words) are scored with difflib.
SHORTLIST = 8
_PREFIX = re.compile(r"^(?:thu tuc(?: hanh chinh)?|tthc)\s+")


def normalise(name):
    """'Thủ tục: Đăng ký khai sinh.' → 'dang ky khai sinh'."""
    text = re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()
    return _PREFIX.sub("", text).strip()


@dataclass(frozen=True)
class Match:
    candidate: object  # the best of `candidates` (whatever was passed: a Procedure in the app)
    score: float  # 1.0 for the same normalised name
    exact: bool


class Matcher:
    """Built once for a catalogue: `candidates` are objects, `name_of(obj)` gives each one's name."""

    def __init__(self, candidates, name_of=lambda obj: obj.name):
        self._entries = []
        self._exact = {}
        for obj in candidates:
            norm = normalise(name_of(obj))
            if not norm:
                continue
            self._entries.append((obj, norm, frozenset(norm.split())))
            self._exact.setdefault(norm, obj)

    def best(self, name, *, min_score=MIN_SCORE):
        """The top candidate for `name` and its score, or None when none reaches `min_score`."""
        norm = normalise(name)
        if not norm:
            return None
        if norm in self._exact:
            return Match(self._exact[norm], 1.0, True)
        words = frozenset(norm.split())
        shortlist = sorted(
            ((len(words & tokens) / len(words | tokens), obj, other) for obj, other, tokens in self._entries),
            key=lambda item: -item[0],
        )[:SHORTLIST]
        best = None
        for jaccard, obj, other in shortlist:
            if jaccard == 0:
                break
            score = round(SequenceMatcher(None, norm, other, autojunk=False).ratio(), 3)
            if best is None or score > best.score:
                best = Match(obj, score, False)
        return best if best is not None and best.score >= min_score else None

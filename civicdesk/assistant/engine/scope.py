"""Out-of-domain cues: everyday intents that are not administrative (fortune telling, prices, weather, recipes,
poems, sport, health remedies, travel…).

The handbook holds procedures, guides and FAQs; a question carrying one of these cues is usually about something
else even when it shares words with a record ("năm nay tuổi … làm nhà được không" shares "làm nhà" with the
building-permit records). A cue lowers confidence unless a strong match exists: the best record itself uses the
cue phrase (then the handbook does talk about it). The list is data (`data/scope_cues.json`, grouped by intent),
general, by intent, not copied from any question; this module matches it.
"""

import json
from functools import lru_cache
from pathlib import Path

from .normalize import fold, syllables

CUES_PATH = Path(__file__).with_name("data") / "scope_cues.json"


def load_cues(path=CUES_PATH):
    """The cue phrases of `data/scope_cues.json`, as written (grouped there by intent)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [cue for group in data["intents"] for cue in group["cues"]]


@lru_cache(maxsize=1)
def _cue_phrases():
    """The cues as folded syllable tuples, read once."""
    return frozenset(tuple(fold(t) for t in syllables(c)) for c in load_cues())


def _singular(word):
    """An English plural's singular ("cards" → "card"). No Vietnamese syllable ends in "s", so only foreign words
    change; "ss" ("access") is left alone."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def cues_in(tokens):
    """The out-of-domain cue phrases (folded syllable tuples) found in folded `tokens`; an English cue's last word
    matches its plural too ("temporary residence cards")."""
    phrases = _cue_phrases()
    longest = max(len(p) for p in phrases)
    found = []
    for i in range(len(tokens)):
        for length in range(1, min(longest, len(tokens) - i) + 1):
            key = tuple(tokens[i : i + length])
            if key in phrases:
                found.append(key)
            elif (singular := (*key[:-1], _singular(key[-1]))) != key and singular in phrases:
                found.append(singular)
    return found


def unsupported_cues(tokens, doc):
    """Cues in the question that the best record `doc` does not itself use (those are evidence against it)."""
    found = cues_in(tokens)
    if not found:
        return []
    # The record must be *about* the cue (its title, keywords or summary), not mention it in passing: the household
    # business record says the food-hygiene permit is a separate procedure, which does not make it the answer.
    about = " ".join([doc.title, *getattr(doc, "keywords", []), getattr(doc, "summary", "")])
    text = f" {' '.join(fold(t) for t in syllables(about))} "
    return [c for c in found if f" {' '.join(c)} " not in text]

"""Citations of legal texts in handbook text: "20/2021/NĐ-CP", "Nghị định số 20/2021", "Luật Hộ tịch năm 2014".

One text is written many ways, so both a citation and a catalogue entry are reduced to the same *key*:

- a numbered text: number (leading zeros dropped) / year / the symbol's parts, accents folded and upper-cased:
  "20/2021/NĐ-CP", "20/2021/NĐ CP", "20 / 2021 / nđ-cp" → "20/2021/ND-CP"; "07/2025" → "7/2025";
- a law named with its year: "Luật Hộ tịch 2014", "Luật Hộ tịch năm 2014", "LUẬT HỘ TỊCH 2014" → "luat ho tich 2014".

A citation matches a numbered key when the number and the year are the same and either its symbol agrees (one of
the two symbols starts with the other: "NĐ-CP" matches "NĐ-CP", and "20/2021/NĐ" too) or, with no symbol, the word
before it names the same kind of text ("Nghị định số 20/2021" is a decree, so it matches 20/2021/NĐ-CP and not
20/2021/TT-BTC). A bare "20/2021" matches nothing: "tháng 7/2025" is a month, not Nghị định 07/2025. The number
must stand alone: 20/2021 is not read inside 120/2021, nor 7/2025 inside the date 01/7/2025. A law's name without
its year ("Luật Hộ tịch") matches no key either: it names whichever law is in force, so it cannot be pinned to one.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

# Case-preserving accent folding, one character for one (NFC text): positions in the folded text are positions in
# the text, so a citation's span can be cut from the original.
_FOLD = {}
for _cp in range(0x00C0, 0x1F00):
    _base = "".join(c for c in unicodedata.normalize("NFD", chr(_cp)) if not unicodedata.combining(c))
    if len(_base) == 1 and _base != chr(_cp):
        _FOLD[_cp] = _base
_FOLD.update({ord("Đ"): "D", ord("đ"): "d"})


def fold_case(text):
    """'Nghị định số 20/2021/NĐ-CP' → 'Nghi dinh so 20/2021/ND-CP' (NFC first; same length as the NFC text)."""
    return unicodedata.normalize("NFC", str(text or "")).translate(_FOLD)


# The symbol after the year: after a slash, letters of any case joined by hyphens ("NĐ-CP", "nđ-cp") or two
# upper-case parts joined by a space ("NĐ CP"); after a space or hyphen, upper-case parts only, so that "20/2021 của
# Chính phủ" has no symbol. A part is letters and an optional number (QH15, BLĐTBXH). Parts joined by spaces stop
# at two, so "20/2021/NĐ-CP UBND tỉnh" is read as NĐ-CP.
_ANY = r"[A-Za-z]+\d*(?![A-Za-z])"
_UP = r"[A-Z]+\d*(?![A-Za-z])"
_SYMBOL = (
    r"(?:\s*/\s*(?P<slashed>" + _ANY + r"(?:(?:\s*-\s*" + _ANY + r")+|\s+" + _UP + r")?)"
    r"|[\s-]+(?P<spaced>" + _UP + r"(?:(?:\s*-\s*" + _UP + r")+|\s+" + _UP + r")?))"
)
_NUMBER = re.compile(
    # Not the tail of a longer number or of a date: 120/2021, 01/7/2025.
    r"(?<![\w/.,-])0*(?P<number>\d{1,4})\s*/\s*(?P<year>(?:19|20)\d{2})(?!\d)(?:" + _SYMBOL + r")?"
)
# The word just before a number without a symbol, and the symbol's first part it stands for.
_KIND_WORDS = {
    "bo luat": "QH",
    "luat": "QH",
    "phap lenh": "UBTVQH",
    "nghi dinh": "ND",
    "nd": "ND",
    "nghi quyet lien tich": "NQLT",
    "nghi quyet": "NQ",
    "nq": "NQ",
    "quyet dinh": "QD",
    "qd": "QD",
    "thong tu lien tich": "TTLT",
    "thong tu": "TT",
    "tt": "TT",
    "chi thi": "CT",
}
_KIND_BEFORE = re.compile(
    r"(?:^|[^a-z])(?P<word>"
    + "|".join(sorted((w.replace(" ", r"\s+") for w in _KIND_WORDS), key=len, reverse=True))
    + r")\s*(?:so\s*)?[:.]?\s*$"
)
# Words that end a law's name: "Luật Đất đai và nghị định hướng dẫn năm 2026" is not a law named "Đất đai và …".
_NOT_IN_NAME = r"(?i:nghi\s+dinh|nghi\s+quyet|thong\s+tu|quyet\s+dinh|luat|dieu|khoan)\b"
# "Luật Hộ tịch (năm) 2014": the name starts with a capital and is not a number ("Luật số 60/2014/QH13").
_LAW = re.compile(
    r"\b(?:[Bb]o\s+[Ll]uat|BO\s+LUAT|[Ll]uat|LUAT)\s+"
    r"(?P<name>(?!so\b)[A-Z][A-Za-z]*(?:,?\s+(?!so\b|" + _NOT_IN_NAME + r")[A-Za-z]+){0,11}?)"
    # "năm" before the year, never "Nam" (Luật Quốc tịch Việt Nam 2008).
    r",?\s+(?:(?:nam|NAM)\s+)?(?P<year>(?:19|20)\d{2})(?![\d/])"
)
# The first part of a symbol → the kind of text (QH15 → a law).
SYMBOL_KINDS = {
    "QH": "law",
    "UBTVQH": "ordinance",
    "ND": "decree",
    "NQ": "resolution",
    "NQLT": "resolution",
    "QD": "decision",
    "TT": "circular",
    "TTLT": "circular",
    "CT": "directive",
}


@dataclass(frozen=True)
class Citation:
    """One citation found in a text. `start`/`end` index the NFC text it was read from."""

    number: int | None  # None for a law named with its year
    year: int
    symbol: tuple = ()  # ("ND", "CP"); empty when the text gave none
    kind_code: str = ""  # from the word before a number without a symbol ("Nghị định" → "ND")
    name: str = ""  # a law's folded name: "ho tich"
    start: int = 0
    end: int = 0

    @property
    def key(self):
        """The catalogue key this citation stands for, or "" when it is too vague to be one (no symbol)."""
        if self.number is None:
            return law_key(self.name, self.year)
        parts = self.symbol or ((self.kind_code,) if self.kind_code else ())
        if not parts:
            return ""
        return f"{self.number}/{self.year}/{'-'.join(parts)}"

    @property
    def kind(self):
        """The kind of text (LegalText.Kind value) the citation names."""
        if self.number is None:
            return "law"
        first = self.symbol[0] if self.symbol else self.kind_code
        return SYMBOL_KINDS.get(re.sub(r"\d+$", "", first), "other")


def law_key(name, year):
    return f"luat {' '.join(name.lower().replace(',', ' ').split())} {year}"


def _symbol_parts(raw):
    return tuple(part.upper() for part in re.split(r"[\s-]+", raw.strip()) if part)


# Every citation holds a year: most texts (steps, requirements) hold none and are passed over without folding.
_YEAR = re.compile(r"(?:19|20)\d\d")


def find(text):
    """Every citation in `text`, in order (numbered texts and laws named with their year)."""
    text = str(text or "")
    if not _YEAR.search(text):
        return ()
    return _find(text)


# Legal basis lines repeat across records ("Luật Hộ tịch 2014", "Nghị định số 123/2015/NĐ-CP…"): read each once.
@functools.lru_cache(maxsize=20000)
def _find(text):
    folded = fold_case(text)
    lower = folded.lower()
    found = []
    for m in _NUMBER.finditer(folded):
        raw = m.group("slashed") or m.group("spaced") or ""
        symbol = _symbol_parts(raw)
        kind_code = ""
        if not symbol:
            before = _KIND_BEFORE.search(lower[max(0, m.start() - 40) : m.start()])
            if before:
                kind_code = _KIND_WORDS[" ".join(before.group("word").split())]
        end = m.end() if symbol else m.end("year")
        found.append(
            Citation(
                int(m.group("number")), int(m.group("year")), symbol, kind_code, start=m.start(), end=end
            )
        )
    for m in _LAW.finditer(folded):
        found.append(Citation(None, int(m.group("year")), name=m.group("name"), start=m.start(), end=m.end()))
    found.sort(key=lambda c: c.start)
    return tuple(found)


@dataclass(frozen=True)
class Key:
    """A parsed catalogue key: a numbered text (number, year, symbol) or a law ("luat … year")."""

    number: int | None
    year: int
    symbol: tuple = ()
    law: str = ""


def parse_key(key):
    if key.startswith("luat "):
        year = key.rsplit(" ", 1)[-1]
        return Key(None, int(year), law=key)
    number, year, symbol = key.split("/", 2)
    return Key(int(number), int(year), tuple(symbol.split("-")))


def key_of(identifier):
    """The key of an identifier as an editor types it, or "" when it names no text precisely enough.

    "20/2021/NĐ-CP" → "20/2021/ND-CP"; "Nghị định số 20/2021" → "20/2021/ND"; "Luật Hộ tịch năm 2014" →
    "luat ho tich 2014". The identifier must hold exactly one citation.
    """
    keys = {c.key for c in find(identifier) if c.key}
    return keys.pop() if len(keys) == 1 else ""


def matches(citation, key):
    """Whether `citation` (found in a record) names the text of `key` (a `Key`)."""
    if key.number is None:
        return citation.number is None and law_key(citation.name, citation.year) == key.law
    if citation.number != key.number or citation.year != key.year:
        return False
    if citation.symbol:
        n = min(len(citation.symbol), len(key.symbol))
        return citation.symbol[:n] == key.symbol[:n]
    return bool(citation.kind_code) and citation.kind_code == re.sub(r"\d+$", "", key.symbol[0])


def cites(text, keys):
    """Whether `text` cites any of `keys` (parsed `Key`s)."""
    return any(matches(c, k) for c in find(text) for k in keys)

"""Query analysis: stop words, question frames, lexicon expansion, typo correction, weighted terms and concepts.

A *concept* is one thing the question is about (a content syllable, or a lexicon phrase such as "sổ đỏ"); the
answer is trusted only when the best record covers most concepts by their weight (see `Index.coverage`).
"""

import itertools
import re
from dataclasses import dataclass, field

from .lexicon import get_lexicon
from .normalize import fold, syllables
from .places import place_positions

# Function words and question frames (folded). They still rank (with a low weight) but are not concepts.
STOPWORDS = frozenset(
    [
        "a",
        "ah",
        "ak",
        "a",
        "ha",
        "nhe",
        "nha",
        "oi",
        "u",
        "vay",
        "va",
        "voi",
        "la",
        "gi",
        "co",
        "khong",
        "ko",
        "k",
        "hok",
        "duoc",
        "dc",
        "cho",
        "cua",
        "thi",
        "ma",
        "o",
        "tai",
        "de",
        "khi",
        "nao",
        "sao",
        "nhu",
        "nay",
        "kia",
        "do",
        "toi",
        "minh",
        "em",
        "anh",
        "chi",
        "ban",
        "ong",
        "chu",
        "bac",
        "ai",
        "cai",
        "nhung",
        "cac",
        "mot",
        "gium",
        "giup",
        "roi",
        "da",
        "dang",
        "se",
        "phai",
        "lam",
        "xin",
        "the",
        "di",
        "ve",
        "vao",
        "ra",
        "len",
        "ay",
        "nhi",
        "hay",
        "hoac",
        "neu",
        "thoi",
        "luon",
        "ne",
        "nua",
        "hem",
        "how",
        "do",
        "does",
        "did",
        "i",
        "my",
        "me",
        "we",
        "our",
        "what",
        "which",
        "the",
        "a",
        "an",
        "to",
        "for",
        "of",
        "in",
        "on",
        "is",
        "are",
        "get",
        "need",
        "where",
        "when",
        "who",
        "whom",
        "please",
        "should",
        "with",
        "and",
        "or",
        "it",
        "its",
        "this",
        "that",
        "have",
        "has",
        "there",
        "about",
        "many",
        "be",
        "by",
        "from",
        "at",
        "you",
        "your",
        "if",
        "would",
        "could",
        "want",
        "tell",
        "much",
        "any",
        "some",
    ]
)
# Everyday English words that name no handbook topic ("difference", "between", "tell", "week"…), so that an English
# question is judged on its content words. Words that fold to a Vietnamese syllable of the handbook ("can", "than",
# "so", "do", "up", "day"…) are left out: a question typed without diacritics must keep "độc thân", "số", "đúng".
ENGLISH_FUNCTION_WORDS = frozenset(
    """
    able actually after again all already also although always any anybody anyone anything are as ask asked asking
    bad basically because been before being best better between big both cannot come comes coming correctly
    currently days dear did difference different does doing done down during each either even ever every exact
    exactly explain explained few find found general generally get gets getting give gives goes going gone good
    got had happen happened happens has have having hello her here hers hi him his hope however into is just
    kind kindly know knows last later let lets like little look looking lot lots madam made makes many mean
    meaning means might month months more most much must need needed needs neither new next nor not nothing now
    off often okay once one ones only onto other others out over own part per please possible properly really
    recently right said same say says second see shall she since sir small some somebody someone something
    sometimes soon sorry still such sure take taken takes tell thank thanks their theirs then there these they
    thing things think those though today tomorrow too tried try trying two type types under until us used using
    usually very via want wanted wants was way ways week weeks were whether while whole whose why wish year
    years yes yesterday
    """.split()  # noqa: SIM905 — a word list reads better as text
)
# What is left of an English contraction once the apostrophe splits it ("I'm", "it's", "don't", "we'll", "I've").
ENGLISH_CONTRACTIONS = frozenset(["m", "s", "t", "ll", "ve", "re", "d"])
STOPWORDS = STOPWORDS | ENGLISH_FUNCTION_WORDS | ENGLISH_CONTRACTIONS

# Function words as typed WITH diacritics. A question typed with accents says which word was meant, so only these
# are function words there: "bản" (copy) is not "bạn" (you), "đăng ký" not "đang", "muốn"/"cần"/"đứa" (want, need, a
# colloquial classifier) are not topics. A question typed without any diacritics falls back to STOPWORDS above
# (folded, where "ban" may be either word).
ACCENTED_STOPWORDS = (
    frozenset(
        """à ạ á ả ha hả nhé nhe nha ơi ừ vậy và với là gì có không ko hông hổng hok được đc dc cho của thì mà ở tại để
    khi nào sao như này kia đó tôi tui mình em anh chị bạn ông chú bác ai cái những các một giùm giúp rồi đã đang sẽ
    phải làm xin thế đi về vào ra lên ấy nhỉ hay hoặc nếu thôi luôn nè nữa hem muốn cần đứa xong vừa bị mấy cả rất
    nhờ hỏi đâu bao nhiêu dạ vâng chứ từng nhau cùng nên trên k
    how do does did i my me we our what which the a an to for of in on is are get need where when who whom please
    should with and or it its this that have has there about many be by from at you your if would could want tell
    much any some""".split()  # noqa: SIM905 — a word list reads better as text
    )
    | ENGLISH_FUNCTION_WORDS
)
# Every English function word the analysis knows (for the English-question checks in `analyse`).
ENGLISH_WORDS = ENGLISH_FUNCTION_WORDS | frozenset(
    """how do does did i my me we our what which the a an to for of in on is are get need where when who whom please
    should with and or it its this that have has there about many be by from at you your if would could want tell
    much any some can so doesn don didn isn aren wasn weren haven hasn hadn won wouldn couldn shouldn""".split()  # noqa: SIM905
)
FRAMES = [
    tuple(fold(p).split())
    for p in """thủ tục|hồ sơ|giấy tờ|bao lâu|bao nhiêu|ở đâu|thế nào|như thế nào|làm sao|cần gì|những gì|là gì|
    được không|có được|hay không|cho hỏi|xin hỏi|muốn hỏi|phải làm gì|mất bao lâu|hết bao nhiêu|mấy ngày|lệ phí|
    chi phí|tiền|phí|nộp ở đâu|cần mang|mang theo|chuẩn bị|thời gian|thời hạn|hiện nay|bây giờ|mới nhất|cụ thể|
    hướng dẫn|quy định|trường hợp|thế thì|như vậy|người dân|công dân|bà con|cán bộ|xã|giải quyết|
    trình tự|các bước|nộp|ở|cơ quan|tại|đi|giúp|với|nhé|ạ""".replace("\n", "").split("|")
    if p.strip()
]
_FRAME_MAX = max(len(f) for f in FRAMES)
_FRAME_SET = frozenset(FRAMES)

W_ORIGINAL, W_STOP, W_BIGRAM, W_EXPANSION, W_EXPANSION_BIGRAM, W_TYPO, W_ACCENT = (
    1.0,
    0.15,
    1.2,
    0.5,
    0.8,
    0.6,
    0.3,
)


EXPANSION_SPAN = 4
# A word that cannot be a Vietnamese syllable ("wife", "register", "guardian") and that the lexicon translated: its
# Vietnamese translation carries the meaning; the word itself mostly matches other English questions, and those
# cluster on the records foreigners ask about ("…có yếu tố nước ngoài"), whatever the question is about.
W_FOREIGN_TRANSLATED = 0.25
# In an English question, an English word the lexicon did not translate ("documents", "our") matches little but
# other English questions, which cluster on the records foreigners ask about: it weighs less than a word typed in
# Vietnamese (issue 12, fourth round: English Recall@1 0.834 → 0.851 over the gold set, each split by an index
# without its own questions).
W_FOREIGN_UNTRANSLATED = 0.3
VIETNAMESE_SYLLABLE = re.compile(
    r"^(?:b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?[aeiouy]{1,3}(?:c|ch|m|n|ng|nh|p|t)?$"
)


@dataclass
class Concept:
    label: str
    alternatives: set  # index terms; the concept is covered by a record containing any of them
    weight: float = 0.0
    typo: bool = False
    accented: str = ""  # the "a:" term when the user typed this syllable with diacritics
    lexicon: bool = False  # an everyday phrase the lexicon recognised (strong evidence of a handbook topic)


@dataclass
class Analysis:
    text: str
    tokens: list
    terms: dict = field(default_factory=dict)  # term → query weight
    concepts: list = field(default_factory=list)
    bigrams: list = field(
        default_factory=list
    )  # content bigrams typed by the user (a second coverage signal)
    expansions: list = field(default_factory=list)
    corrections: dict = field(default_factory=dict)
    function_words: int = 0  # tokens that are function words or question frames

    def add(self, term, weight):
        self.terms[term] = max(self.terms.get(term, 0.0), weight)


def _frame_positions(tokens):
    stop = set()
    i = 0
    while i < len(tokens):
        for length in range(min(_FRAME_MAX, len(tokens) - i), 0, -1):
            if tuple(tokens[i : i + length]) in _FRAME_SET:
                stop.update(range(i, i + length))
                i += length
                break
        else:
            i += 1
    return stop


def _function_word(raw, token, accented):
    """Is this syllable a function word? By its accented form when the question was typed with diacritics."""
    return raw in ACCENTED_STOPWORDS if accented else token in STOPWORDS


def _correct(raw, tokens, vocab):
    """Fix unknown syllables (typos, words run together) outside lexicon phrases; returns (raw, folded, typo)."""
    protected = {i for e in get_lexicon().match(tokens) for i in range(e.start, e.end)}
    protected |= place_positions(raw)
    out_raw, out, typo = [], [], []
    for i, token in enumerate(tokens):
        known = vocab.has(f"u:{token}") or token.isdigit() or token in STOPWORDS or i in protected
        fixes = [] if known else vocab.correct(token, tokens[i - 1] if i else None,
                                               tokens[i + 1] if i + 1 < len(tokens) else None)  # fmt: skip
        if fixes:
            parts = fixes[0].split()
            out_raw += parts
            out += parts
            typo += [token] * len(parts)
        else:
            out_raw.append(raw[i])
            out.append(token)
            typo.append("")
    return out_raw, out, typo


# Chat shorthand (teencode) as people type it on a phone, written out: "bố e mất r, h muốn … thì lm ntn" is "bố em
# mất rồi, giờ muốn … thì làm như thế nào". Matched on the syllable as typed (lower case, with its accents if any), so
# "e" (em) is not "ê". Left out on purpose: ambiguous shorthand ("bn": bạn or bao nhiêu; "a": anh or à; "tt": thủ
# tục or thông tin; "đk": đăng ký or điều kiện; "dt": điện thoại or diện tích; "kg": không or kilogram). Without this, every clipped word is an unknown concept that dilutes the question's coverage.
TEENCODE = {
    "e": "em",
    "r": "rồi",
    "h": "giờ",
    "bh": "bây giờ",
    "bjo": "bây giờ",
    "lm": "làm",
    "ntn": "như thế nào",
    "z": "vậy",
    "dz": "vậy",
    "j": "gì",
    "gj": "gì",
    "bít": "biết",
    "bik": "biết",
    "bit": "biết",
    "mún": "muốn",
    "mk": "mình",
    "vs": "với",
    "cx": "cũng",
    "cg": "cũng",
    "ck": "chồng",
    "vk": "vợ",
    "ng": "người",
    "trc": "trước",
    "nhg": "nhưng",
    "nhìu": "nhiều",
    "wá": "quá",
    "lun": "luôn",
    "thui": "thôi",
    "kh": "không",
    "khg": "không",
    "hông": "không",
    "hs": "hồ sơ",
    "kq": "kết quả",
    "gks": "giấy khai sinh",
    "sdt": "số điện thoại",
    "sđt": "số điện thoại",
    "đt": "điện thoại",
    "tp": "thành phố",
    "gđ": "gia đình",
    "đky": "đăng ký",
    "dky": "đăng ký",
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
}


def _spell_out(raw):
    """Raw syllables with chat shorthand written out (`TEENCODE`)."""
    out = []
    for token in raw:
        out.extend(syllables(TEENCODE[token]) if token in TEENCODE else [token])
    return out


def _english_words(raw):
    """Positions of the syllables in `raw` (as typed, lower case) that are English words: words no Vietnamese
    syllable spells ("wife", "register", "how"), abbreviations without a vowel ("cccd") left out. English words that
    are also Vietnamese syllables ("do", "the", "can") are not counted: they could be either."""
    return {
        i
        for i, token in enumerate(raw)
        if token.isascii()
        and token.isalpha()
        and re.search(r"[aeiouy]", token)
        and not VIETNAMESE_SYLLABLE.match(token)
    }


def _english_question(raw, english):
    """Is the question written in English? At least three English words making at least half of it."""
    return len(english) >= 3 and len(english) >= 0.5 * len(raw)


def analyse(text, vocab):
    """Turn a question into weighted index terms and concepts. `vocab` is the index (for typos and idf)."""
    raw = _spell_out(syllables(text))
    raw, tokens, typo = _correct(raw, [fold(t) for t in raw], vocab)
    analysis = Analysis(text=text, tokens=tokens)
    analysis.corrections = {t: tokens[i] for i, t in enumerate(typo) if t}
    expansions = get_lexicon().match(tokens)
    english = _english_question(raw, _english_words(raw))
    if english:
        # In an English question, a one-syllable Vietnamese variant spelt like an English word ("be" for "bé") is
        # the English word.
        expansions = [
            e for e in expansions if not (e.end - e.start == 1 and tokens[e.start] in ENGLISH_WORDS)
        ]
    analysis.expansions = expansions
    in_lexicon = {i for e in expansions for i in range(e.start, e.end)}
    typed_accents = any(r != t for r, t in zip(raw, tokens, strict=True))
    stop = {i for i, t in enumerate(tokens) if _function_word(raw[i], t, typed_accents)}
    if english:
        # "can", "do", "so", "the" are Vietnamese syllables too ("cần", "đỏ", "số", "thẻ"): in an English question
        # they are the English words.
        stop |= {i for i, t in enumerate(tokens) if t in ENGLISH_WORDS}
    stop |= _frame_positions(tokens) - in_lexicon
    # Where the asker lives ("tôi ở Bảo Lộc") is not what they ask about (places.py).
    stop |= place_positions(raw) - in_lexicon
    analysis.function_words = len(stop)

    for i, token in enumerate(tokens):
        weight = W_TYPO if typo[i] else W_ORIGINAL
        if i in in_lexicon and not VIETNAMESE_SYLLABLE.match(token):
            weight = W_FOREIGN_TRANSLATED
        elif english and not VIETNAMESE_SYLLABLE.match(token):
            weight = W_FOREIGN_UNTRANSLATED
        if i in stop:
            analysis.add(f"u:{token}", W_STOP)
            continue
        analysis.add(f"u:{token}", weight)
        accented = f"a:{raw[i]}" if raw[i] != token and not typo[i] else ""
        if accented and vocab.has(accented):
            analysis.add(accented, W_ACCENT)
        if i in in_lexicon:
            continue
        analysis.concepts.append(Concept(token, {f"u:{token}"}, typo=bool(typo[i]), accented=accented))

    for i in range(len(tokens) - 1):
        if i in stop and i + 1 in stop:
            continue
        content = i not in stop and i + 1 not in stop
        term = f"b:{tokens[i]}_{tokens[i + 1]}"
        analysis.add(term, W_BIGRAM if content else W_BIGRAM / 2)
        if content and not ({i, i + 1} <= in_lexicon):
            analysis.bigrams.append(term)

    for e in expansions:
        canonical = [t for t in e.canonical if t not in STOPWORDS]
        # A long canonical ("đăng ký biến động chuyển nhượng tặng cho thừa kế quyền sử dụng đất") must not outweigh
        # what the user typed just because it has many words: its weight is shared out beyond EXPANSION_SPAN words.
        share = min(1.0, EXPANSION_SPAN / max(len(canonical), 1))
        for token in canonical:
            analysis.add(f"u:{token}", W_EXPANSION * share)
        pairs = [f"b:{a}_{b}" for a, b in zip(e.canonical, e.canonical[1:], strict=False)]
        for pair in pairs:
            analysis.add(pair, W_EXPANSION_BIGRAM * share)
        variant = [fold(t) for t in syllables(e.variant)]
        variant_terms = (
            {f"b:{a}_{b}" for a, b in itertools.pairwise(variant)}
            if len(variant) > 1
            else {f"u:{variant[0]}"}
        )
        alternatives = set(pairs or [f"u:{t}" for t in canonical]) | variant_terms
        # One concept per lexicon match (several entries can share a variant: merge them).
        same = next((c for c in analysis.concepts if c.label == e.variant), None)
        if same:
            same.alternatives |= alternatives
        else:
            analysis.concepts.append(Concept(e.variant, alternatives, lexicon=True))
    return analysis

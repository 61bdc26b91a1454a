"""The in-process index: BM25F over accent-folded syllables and syllable bigrams, with precomputed impacts.

Each record has four fields (title, keywords, summary, full export text) with their own weight and length
normalisation; because BM25F's per-term saturation depends only on the record, the score contribution of every
(term, record) pair is computed at build time, and a query is a handful of numpy additions. See
docs/decisions/0002-assistant-retrieval.md for why this engine and these weights.
"""

import json
import math
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, fields

import numpy as np

from .build import FIELDS, build_postings, impacts, max_idf
from .doc import Doc
from .examples import shipped_outside
from .normalize import syllable_pairs
from .query import STOPWORDS, analyse
from .rerank import CANDIDATES, shipped

BIGRAM_SHARE = 0.5
FORMAT = 6  # bump when the saved layout changes
ZLIB_LEVEL = 1  # fast; postings and counts are very repetitive anyway (level 6 saves a third of the records'
# JSON for four times the time)
SHORT_IDS = 1 << 16  # up to this many records, record ids are saved as 16-bit numbers
# Title specificity: among the best RERANK_DEPTH records, each loses this share of the best score for the share of
# its title the question leaves unsaid — by count of syllables, and by their idf. "Hồ sơ đăng ký kết hôn gồm những
# gì?" matches "Đăng ký kết hôn", "Đăng ký lại kết hôn" and "Đăng ký kết hôn có yếu tố nước ngoài" equally; the
# question names the first one whole, and says nothing of "lại" or "nước ngoài". Fitted out of fold, one fold per
# writer (docs/benchmarks/assistant.md, 2026-12-07): Recall@1 0.9415 → 0.9454 nested, 0.950 at these values.
TITLE_UNSAID_COUNT, TITLE_UNSAID_IDF = 0.15, 0.05
RERANK_DEPTH = 10
SHIPPED = "shipped"  # `Index.reranker`'s default: the reranker calibration.json holds (`rerank.shipped`)


def _terms(text):
    """Counter of index terms: folded syllables ("u:"), folded bigrams ("b:"), accented forms ("a:")."""
    raw, tokens = syllable_pairs(text)
    terms = Counter(map("u:".__add__, tokens))
    terms.update(map("b:{}_{}".format, tokens, tokens[1:]))
    # Accented forms only where they differ: they let a question typed with diacritics prefer them.
    terms.update(map("a:".__add__, [r for r, t in zip(raw, tokens, strict=True) if r != t]))
    return terms


def _deletes(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class Coverage:
    total: float = 0.0  # idf weight of the question's concepts
    covered: float = 0.0  # … of those the record contains (typos and accent mismatches get partial credit)
    count: int = 0
    covered_count: int = 0
    lexicon_covered: float = 0.0  # … of the covered concepts the lexicon recognised (everyday phrases)
    unknown: float = 0.0  # … of the concepts no record contains at all
    in_title: float = 0.0  # … of the covered concepts found in the record's title or keywords
    bigrams: int = 0  # content bigrams typed by the user
    bigram_hits: int = 0

    @property
    def concept_share(self):
        return self.covered / self.total if self.total else 0.0

    @property
    def blended(self):
        """The original coverage score: half concept coverage, half typed-bigram coverage."""
        if self.total == 0:
            return 0.0
        if not self.bigrams:
            return self.concept_share
        return (1 - BIGRAM_SHARE) * self.concept_share + BIGRAM_SHARE * self.bigram_hits / self.bigrams


@dataclass
class Ranked:
    doc: object
    score: float


class Index:
    """Postings in CSR form: term id t → record ids `_ids[_indptr[t]:_indptr[t + 1]]` (ascending) and their
    impacts, computed from per-field occurrence counts and the records' field factors; `postings` maps each term
    string to its id."""

    def __init__(self, docs, terms, indptr, ids, counts, factors, version=0):
        self.docs = docs
        self.postings = {term: i for i, term in enumerate(terms)}
        self._terms = terms
        self._indptr = indptr
        self._ids = ids
        self._impacts = impacts(indptr, ids, counts, factors)
        self._counts = counts  # kept (compressed on first save) to persist the index exactly
        self._factors = factors
        self.max_idf = max_idf(len(docs))
        self.version = version
        self.embeddings = None  # optional dense vectors (the app's dense.py)
        # (index, query, lexical scores) → scores: dense retrieval fused into the ranking, set with the vectors
        self.fuse = None
        # (index, analysis, ranked) → ranked: the second look at the best few (`rerank.py`); None ranks lexically
        self.reranker = SHIPPED

    # -- build -------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, docs, version=0, progress=None, processes=None):
        terms, indptr, ids, counts, factors = build_postings(docs, progress=progress, processes=processes)
        index = cls(docs, terms, indptr, ids, counts, factors, version)
        if progress:
            progress(95, f"{len(docs)}/{len(docs)}")
        return index

    def _span(self, term):
        t = self.postings.get(term)
        return None if t is None else (int(self._indptr[t]), int(self._indptr[t + 1]))

    @property
    def _deletes(self):
        """One-deletion neighbourhoods of the longer folded syllables (typo correction), made on first use."""
        if "_deletes_map" not in self.__dict__:
            deletes = defaultdict(set)
            for term in self._terms:
                if term.startswith("u:") and len(term) > 6 and not term[2:].isdigit():
                    for d in _deletes(term[2:]):
                        deletes[d].add(term[2:])
            self._deletes_map = dict(deletes)
        return self._deletes_map

    # -- vocabulary --------------------------------------------------------------------------------------
    def has(self, term):
        return term in self.postings

    def df(self, term):
        span = self._span(term)
        return span[1] - span[0] if span else 0

    def idf(self, term):
        df = self.df(term)
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else self.max_idf

    def correct(self, token, prev=None, nxt=None):
        """Likely intended syllables for an unknown one: one edit away, or two syllables run together."""
        candidates = set()
        if len(token) >= 5:
            for d in _deletes(token) | {token}:
                candidates |= self._deletes.get(d, set())
        if len(token) >= 3:
            # Short syllables: only a doubled letter ("hoo") or two swapped letters ("sihn"); anything looser
            # turns unrelated words into catalogue words.
            for i in range(len(token) - 1):
                if token[i] == token[i + 1] and f"u:{token[:i] + token[i + 1 :]}" in self.postings:
                    candidates.add(token[:i] + token[i + 1 :])
                swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
                if f"u:{swapped}" in self.postings:
                    candidates.add(swapped)
        for cut in range(1, len(token)):
            left, right = token[:cut], token[cut:]
            if f"b:{left}_{right}" in self.postings:
                candidates.add(f"{left} {right}")
        if not candidates:
            return []

        def rank(candidate):
            first, last = candidate.split()[0], candidate.split()[-1]
            context = (prev is not None and f"b:{prev}_{first}" in self.postings) + (
                nxt is not None and f"b:{last}_{nxt}" in self.postings
            )
            return (context, " " in candidate, self.df(f"u:{candidate}"))

        best = sorted(candidates, key=rank, reverse=True)
        return best[:2] if len(best) > 1 and rank(best[1])[0] > 0 else best[:1]

    # -- search --------------------------------------------------------------------------------------------
    def score(self, analysis):
        scores = np.zeros(len(self.docs), dtype=np.float32)
        for term, weight in analysis.terms.items():
            span = self._span(term)
            if span is not None:
                scores[self._ids[span[0] : span[1]]] += weight * self._impacts[span[0] : span[1]]
        return scores

    def rank(self, query, limit=10):
        """(analysis, [Ranked]) best first."""
        analysis = analyse(query, self)
        if not self.docs:
            return analysis, []
        scores = self.score(analysis)
        if self.embeddings is not None and self.fuse is not None:
            scores = self.fuse(self, query, scores)
        k = min(max(limit, RERANK_DEPTH), len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = [i for i in top if scores[i] > 0]
        if top:
            best = float(scores[top].max())
            said = set(analysis.tokens).union(*(e.canonical for e in analysis.expansions))
            adjusted = {i: float(scores[i]) - best * self.title_unsaid(i, said) for i in top}
            top = sorted(top, key=lambda i: (-adjusted[i], i))[: max(limit, CANDIDATES)]
            # Scores stay positive: the decision reads their ratios (decide.features).
            floor = best * 1e-3
            ranked = [Ranked(self.docs[i], max(adjusted[i], floor)) for i in top]
            reranker = shipped() if self.reranker == SHIPPED else self.reranker
            if reranker is not None:
                ranked = reranker(self, analysis, ranked)
            return analysis, ranked[:limit]
        return analysis, []

    def title_unsaid(self, doc_index, said):
        """The specificity penalty of one record for a question whose folded syllables are `said`: the share of
        its title's content syllables the question does not use, by count and by idf (`TITLE_UNSAID_*`)."""
        cache = self.__dict__.setdefault("_title_cache", {})
        if doc_index not in cache:
            words = [t for t in syllable_pairs(self.docs[doc_index].title)[1] if t not in STOPWORDS]
            cache[doc_index] = [(w, self.idf(f"u:{w}")) for w in words]
        words = cache[doc_index]
        if not words:
            return 0.0
        unsaid = [(w, idf) for w, idf in words if w not in said]
        total_idf = sum(idf for _w, idf in words) or 1.0
        return (
            TITLE_UNSAID_COUNT * len(unsaid) / len(words)
            + TITLE_UNSAID_IDF * sum(idf for _w, idf in unsaid) / total_idf
        )

    def contains(self, term, doc_index):
        span = self._span(term)
        if span is None:
            return False
        ids = self._ids[span[0] : span[1]]
        pos = np.searchsorted(ids, doc_index)
        return pos < len(ids) and ids[pos] == doc_index

    def coverage(self, analysis, doc):
        """Per-concept coverage of the question by one record (the evidence the refusal decision weighs)."""
        doc_index = self._position(doc)
        result = Coverage()
        for concept in analysis.concepts:
            weight = max((self.idf(t) for t in concept.alternatives if t.startswith("u:")), default=None)
            if weight is None:  # lexicon concept: weigh it like a strong term
                weight = max(self.idf(t) for t in concept.alternatives)
            concept.weight = weight
            result.total += weight
            result.count += 1
            if not any(t in self.postings for t in concept.alternatives):
                result.unknown += weight
            if any(self.contains(t, doc_index) for t in concept.alternatives):
                credit = 0.6 if concept.typo else 1.0
                if concept.accented and not self.contains(concept.accented, doc_index):
                    credit = 0.5  # typed "phở", the record only has "phố"
                result.covered += weight * credit
                result.covered_count += 1
                if concept.lexicon:
                    result.lexicon_covered += weight
                if concept.alternatives & self.field_terms(doc_index):
                    result.in_title += weight
        # Vietnamese words are mostly two-syllable compounds: syllables found apart ("phương" … "trình") are weak
        # evidence, the compound itself ("phương trình") is strong.
        result.bigrams = len(analysis.bigrams)
        result.bigram_hits = sum(1 for term in analysis.bigrams if self.contains(term, doc_index))
        return result

    def resemblance(self, text, doc):
        """(title share, example similarity, example hits) of a question and one record, on folded syllables and
        bigrams: the share of the question's terms in the record's title; the best Jaccard similarity, and the best
        share of the question's terms, over the record's example questions (`examples.py`). A question like one
        already answered by the record is strong evidence that the record is the one asked about, and that the
        handbook covers the question at all."""
        query = {t for t in _terms(text) if not t.startswith("a:")}
        if not query:
            return 0.0, 0.0, 0.0
        cache = self.__dict__.setdefault("_resemblance_cache", {})
        doc_index = self._position(doc)
        if doc_index not in cache:
            cache[doc_index] = (
                frozenset(t for t in _terms(doc.title) if not t.startswith("a:")),
                [frozenset(t for t in _terms(q) if not t.startswith("a:")) for q in doc.examples],
            )
        title, examples = cache[doc_index]
        similarity = max((len(query & e) / len(query | e) for e in examples), default=0.0)
        hits = max((len(query & e) for e in examples), default=0) / len(query)
        return len(query & title) / len(query), similarity, hits

    def is_title(self, text, doc):
        """Is the question the record's title itself (the same folded syllables and bigrams: accents, case and
        punctuation aside)? An FAQ's question typed as it is published, or "Đăng ký tạm trú" typed alone."""
        query = {t for t in _terms(text) if not t.startswith("a:")}
        return bool(query) and query == {t for t in _terms(doc.title) if not t.startswith("a:")}

    def outside_sim(self, text):
        """The best Jaccard similarity (folded syllables and bigrams) of a question with one of the questions known
        to be out of scope: `self.outside` when set (the evaluation sets each split's), else the package's
        (`examples.shipped_outside`)."""
        query = {t for t in _terms(text) if not t.startswith("a:")}
        if not query:
            return 0.0
        if "_outside_terms" not in self.__dict__:
            questions = self.__dict__.get("outside")
            if questions is None:
                questions = shipped_outside()
            self._outside_terms = [
                frozenset(t for t in _terms(q) if not t.startswith("a:")) for q in questions
            ]
        return max((len(query & e) / len(query | e) for e in self._outside_terms), default=0.0)

    def field_terms(self, doc_index):
        """Folded syllables and bigrams of a record's title and keywords (for the field-match evidence)."""
        cache = self.__dict__.setdefault("_field_cache", {})
        if doc_index not in cache:
            doc = self.docs[doc_index]
            terms = set()
            for text in [doc.title, *doc.keywords]:
                terms.update(t for t in _terms(text) if not t.startswith("a:"))
            cache[doc_index] = frozenset(terms)
        return cache[doc_index]

    def get(self, doc_id):
        """The record with this id ("procedure:HT-001"), or None."""
        if not hasattr(self, "_positions"):
            self._positions = {d.id: i for i, d in enumerate(self.docs)}
        position = self._positions.get(doc_id)
        return None if position is None else self.docs[position]

    def _position(self, doc):
        if not hasattr(self, "_positions"):
            self._positions = {d.id: i for i, d in enumerate(self.docs)}
        return self._positions[doc.id]

    # -- persistence -----------------------------------------------------------------------------------------
    def _compressed_counts(self):
        if not isinstance(self._counts, list):
            self._counts = [
                zlib.compress(np.ascontiguousarray(row).tobytes(), ZLIB_LEVEL) for row in self._counts
            ]
        return self._counts

    def save(self, target):
        """Write the index as an .npz archive (a path or a binary file) of plain arrays — no pickle, so loading
        runs no code: document frequencies, record ids delta-coded within each term, per-field occurrence counts,
        the records' field factors (zlib), the vocabulary and the records as JSON (zlib). Impacts are recomputed
        on load exactly as after a build."""
        n, starts = len(self.docs), self._indptr[:-1]
        delta = self._ids.astype(np.int64)
        delta[1:] -= self._ids[:-1]
        delta[starts[starts < len(delta)]] = self._ids[starts[starts < len(delta)]]
        id_type = np.uint16 if n <= SHORT_IDS else np.uint32

        def blob(data):
            return np.frombuffer(zlib.compress(data, ZLIB_LEVEL), dtype=np.uint8)

        names = [f.name for f in fields(self.docs[0])] if self.docs else []
        # One JSON line per record, compressed as it goes (a single JSON string of 20,000 records weighs more
        # than the index). Not dataclasses.asdict: it deep-copies every card.
        packer = zlib.compressobj(ZLIB_LEVEL)
        docs = [packer.compress(json.dumps({k: getattr(d, k) for k in names}, ensure_ascii=False, default=str)
                                .encode() + b"\n") for d in self.docs]  # fmt: skip
        docs.append(packer.flush())
        meta = {"format": FORMAT, "version": self.version, "records": n, "ids": np.dtype(id_type).name}
        arrays = {
            "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            "df": np.diff(self._indptr).astype(np.uint32),
            "ids": blob(delta.astype(id_type).tobytes()),
            "factors": self._factors,
            "terms": blob("\n".join(self._terms).encode()),
            "docs": np.frombuffer(b"".join(docs), dtype=np.uint8),
            **{
                f"counts{f}": np.frombuffer(row, dtype=np.uint8)
                for f, row in enumerate(self._compressed_counts())
            },
        }
        if self.embeddings is not None:
            arrays["embeddings"] = np.asarray(self.embeddings, dtype=np.float32)
        np.savez(target, **arrays)

    @classmethod
    def load(cls, source):
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes())
            if meta.get("format") != FORMAT:
                raise ValueError("index format changed")
            df = data["df"].astype(np.int64)
            indptr = np.concatenate([[0], np.cumsum(df)])
            ids = _decode_ids(
                np.frombuffer(zlib.decompress(data["ids"].tobytes()), dtype=meta["ids"]), indptr
            )
            packed = [data[f"counts{f}"].tobytes() for f in range(len(FIELDS))]
            counts = np.stack([np.frombuffer(zlib.decompress(row), dtype=np.uint16) for row in packed])
            raw_terms = zlib.decompress(data["terms"].tobytes()).decode()
            docs = _read_docs(data["docs"].tobytes(), Doc)
            index = cls(docs, raw_terms.split("\n") if raw_terms else [], indptr, ids, counts,
                        data["factors"], meta["version"])  # fmt: skip
            index.embeddings = data["embeddings"] if "embeddings" in data.files else None
            index._counts = packed  # as saved: the raw counts are not kept in memory
        return index


def _read_docs(blob, doc_class, step=1 << 20):
    """Records from their compressed JSON lines, decompressed a megabyte at a time (never the whole text)."""
    unpacker, rest, docs = zlib.decompressobj(), b"", []
    for start in range(0, len(blob) + 1, step):
        piece = unpacker.decompress(blob[start : start + step]) if start < len(blob) else unpacker.flush()
        *lines, rest = (rest + piece).split(b"\n")
        docs.extend(doc_class(**json.loads(line)) for line in lines)
    if rest.strip():
        docs.append(doc_class(**json.loads(rest)))
    return docs


def _decode_ids(delta, indptr, step=4_000_000):
    """Record ids from ids delta-coded within each term (a term's first id is stored as is), a block of terms at
    a time so the running sums stay small."""
    ids = np.empty(len(delta), dtype=np.int32)
    t, n_terms = 0, len(indptr) - 1
    while t < n_terms:
        last = max(int(np.searchsorted(indptr, indptr[t] + step, side="right")) - 1, t + 1)
        last = min(last, n_terms)
        a, b = int(indptr[t]), int(indptr[last])
        running = np.cumsum(delta[a:b], dtype=np.int64)
        starts = indptr[t:last] - a
        df = np.diff(indptr[t : last + 1])
        ids[a:b] = running - np.repeat(running[starts] - delta[a:b][starts], df)
        t = last
    return ids

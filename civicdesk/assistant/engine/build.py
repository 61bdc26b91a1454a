"""Building the index: each record tokenised once, each distinct syllable analysed once, postings stored as CSR.

Records are cut into chunks. For a chunk, tokenisation is one regex pass per field and one dictionary lookup per
token; folding and accent handling happen once per *distinct* syllable; bigrams come from adjacent ids; one numpy
sort of (term, record, field) keys gives how often each term occurs in each field of each record. The chunks'
postings are scattered into one CSR matrix (term → ascending record ids) without a global sort. Impacts (BM25F:
idf × saturated field-weighted frequency) are computed from those per-field counts and the records' field factors,
the same way after a build and after loading a saved index, so both rank identically. The result equals the
per-record computation (tests/assistant/test_build.py).
"""

import logging
import math
import os
import threading
import unicodedata
from array import array
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

from .normalize import _TOKEN, fold

EXAMPLES_WEIGHT = 1.0
FIELDS = {  # name: (weight, length normalisation b)
    "title": (4.0, 0.3),
    "keywords": (3.0, 0.3),
    "summary": (1.5, 0.5),
    "body": (1.0, 0.75),
    "examples": (EXAMPLES_WEIGHT, 0.75),  # questions known to be answered by the record (examples.py)
}
K1 = 1.2
CHUNK = 2000  # records per chunk: bounds the memory of the numpy steps
MAX_COUNT = np.iinfo(np.uint16).max  # occurrences of a term in one field of one record, counted up to this
BLOCK = 4_000_000  # postings per step when computing impacts: bounds the temporary arrays
PARALLEL_MIN = 4000  # records; below this a second process costs more than it saves
log = logging.getLogger(__name__)
_FORKED = {}  # what the forked helper process reads: fork copies memory, so the records are not sent


class _Ids(dict):
    """String → dense id, assigned on first sight."""

    def __missing__(self, key):
        value = self[key] = len(self)
        return value


def field_text(doc, name):
    if name == "examples":
        return " ".join(getattr(doc, "examples", None) or [])
    # An empty title, summary or body falls back to the keywords (kept: the weights were tuned with it).
    return {"title": doc.title, "summary": doc.summary, "body": doc.text}.get(name) or " ".join(doc.keywords)


def _record(doc):
    """Per field, the texts to tokenise (keyword phrases separately, so no bigram spans two phrases)."""
    lists = {"keywords": doc.keywords, "examples": getattr(doc, "examples", None) or []}
    return tuple(lists[name] if name in lists else [field_text(doc, name)] for name in FIELDS)


def lengths_of(records):
    """Per-field whitespace lengths (the length normalisation's proxy), float32 as the weights were tuned with."""
    return np.array([[max(sum(len(t.split()) for t in texts), 1) for texts in fields] for fields in records],
                    dtype=np.float32).reshape(-1, len(FIELDS))  # fmt: skip


def averages(lengths):
    if not len(lengths):
        return [1.0] * len(FIELDS)
    return [float(np.ascontiguousarray(lengths[:, f]).mean()) for f in range(len(FIELDS))]


def factors_of(lengths, avg):
    """BM25F field factor of each record: weight / ((1 − b) + b · length / average length)."""
    columns = [np.float32(w) / (np.float32(1 - b) + np.float32(b) * lengths[:, f] / np.float32(avg[f]))
               for f, (w, b) in enumerate(FIELDS.values())]  # fmt: skip
    return np.stack(columns, axis=1) if len(lengths) else np.zeros((0, len(FIELDS)), dtype=np.float32)


def tokenise(records):
    """Syllable ids of `records` → (distinct syllables, ids, segment lengths, segment record, segment field)."""
    vocab = _Ids()
    ids = array("i")
    seg_len, seg_doc, seg_field = array("i"), array("i"), array("b")
    lookup = vocab.__getitem__
    for i, fields in enumerate(records):
        for f, texts in enumerate(fields):
            for text in texts:
                raw = _TOKEN.findall(unicodedata.normalize("NFC", text or "").lower())
                ids.extend(map(lookup, raw))
                seg_len.append(len(raw))
                seg_doc.append(i)
                seg_field.append(f)
    return (list(vocab), np.frombuffer(ids, dtype=np.int32), np.frombuffer(seg_len, dtype=np.int32),
            np.frombuffer(seg_doc, dtype=np.int32), np.frombuffer(seg_field, dtype=np.int8))  # fmt: skip


def _starts(sorted_values):
    """Indexes where a run of equal values starts in a sorted array."""
    if not len(sorted_values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]]))


def postings_of(tokenised, offset):
    """One chunk's postings: (term names, run length per term, record ids, per-field counts (fields, postings)),
    the records of each term consecutive and ascending."""
    nf = len(FIELDS)
    syllables, ids, seg_len, seg_doc, seg_field = tokenised
    folded = [fold(s) for s in syllables]
    unigrams = _Ids()
    to_u = np.fromiter(map(unigrams.__getitem__, folded), dtype=np.int64, count=len(syllables))
    n_u = len(unigrams)
    accented = [i for i, (s, f) in enumerate(zip(syllables, folded, strict=True)) if s != f]
    to_a = np.full(len(syllables), -1, dtype=np.int64)
    to_a[accented] = n_u + np.arange(len(accented))
    base = n_u + len(accented)  # bigram (u1, u2) gets the sparse key base + u1 · n_u + u2

    u, a = to_u[ids], to_a[ids]
    where = np.repeat(
        seg_doc.astype(np.int64) * nf + seg_field, seg_len
    )  # record · fields + field of each token
    segment = np.repeat(np.arange(len(seg_len)), seg_len)
    pair = np.flatnonzero(segment[:-1] == segment[1:])  # adjacent tokens of one segment
    has_a = np.flatnonzero(a >= 0)
    term = np.concatenate([u, a[has_a], base + u[pair] * n_u + u[pair + 1]])
    span = nf * (int(seg_doc.max()) + 1 if len(seg_doc) else 1)
    keys = np.sort(term * span + np.concatenate([where, where[has_a], where[pair]]))
    first = _starts(keys)
    count = np.minimum(np.diff(np.append(first, len(keys))), MAX_COUNT)
    keys = keys[first]
    term_doc = keys // nf
    start = _starts(term_doc)
    is_start = np.zeros(len(keys), dtype=bool)
    is_start[start] = True
    counts = np.zeros((nf, len(start)), dtype=np.uint16)
    counts[keys % nf, np.cumsum(is_start) - 1] = count
    term_doc = term_doc[start]
    terms = term_doc // (span // nf)
    runs = _starts(terms)

    names = [f"u:{t}" for t in unigrams] + [f"a:{syllables[i]}" for i in accented]
    unigram_names = list(unigrams)

    def name(key):
        if key < base:
            return names[key]
        first_u, second_u = divmod(key - base, n_u)
        return f"b:{unigram_names[first_u]}_{unigram_names[second_u]}"

    return ([name(k) for k in terms[runs].tolist()], np.diff(np.append(runs, len(terms))),
            (term_doc % (span // nf) + offset).astype(np.int32), counts)  # fmt: skip


def _chunk(docs, start):
    records = [_record(d) for d in docs[start : start + CHUNK]]
    return postings_of(tokenise(records), start), lengths_of(records)


def _forked_chunk(start):
    return _chunk(_FORKED["docs"], start)


def processes_for(n):
    """Two processes for large corpora on a multi-core machine, when this process may fork: only a process with
    one thread (a command, a benchmark), never a threaded server or worker (fork copies other threads' locks)."""
    setting = os.environ.get("ASSISTANT_BUILD_PROCESSES", "")
    wanted = max(1, int(setting)) if setting else (2 if n >= PARALLEL_MIN else 1)
    if wanted > 1 and ((os.cpu_count() or 1) < 2 or threading.active_count() > 1 or not hasattr(os, "fork")):
        return 1
    return min(wanted, 2)


def build_postings(docs, progress=None, processes=None):
    """(terms, indptr, ids, counts, factors) for `docs`: term t's postings are ids[indptr[t]:indptr[t + 1]] (record
    ids ascending) with their per-field occurrence counts counts[:, indptr[t]:indptr[t + 1]]; factors are the
    records' BM25F field factors. `impacts()` turns them into score contributions."""
    n = len(docs)
    starts = list(range(0, n, CHUNK))
    processes = processes or processes_for(n)
    results, pending, helper = {}, {}, None
    if processes > 1 and len(starts) > 1:
        try:
            _FORKED["docs"] = docs
            helper = ProcessPoolExecutor(1, mp_context=get_context("fork"))
            pending = {a: helper.submit(_forked_chunk, a) for a in starts[1::2]}  # the helper: odd chunks
        except (OSError, ValueError, RuntimeError):
            log.warning("could not start a second indexing process; indexing in one", exc_info=True)
            helper, pending = None, {}
    try:
        for a in starts:
            if a not in pending:
                results[a] = _chunk(docs, a)
            if progress:
                progress(int(80 * (starts.index(a) + 1) / len(starts)), f"{min(a + CHUNK, n)}/{n}")
        for a, future in pending.items():
            try:
                results[a] = future.result()
            except Exception:  # a helper that died (killed, out of memory): do its chunks here
                log.warning("the second indexing process failed; indexing its chunks here", exc_info=True)
                results[a] = _chunk(docs, a)
    finally:
        if helper:
            helper.shutdown(cancel_futures=True)
        _FORKED.clear()
    chunks = [results[a][0] for a in starts]
    all_lengths = (
        np.concatenate([results.pop(a)[1] for a in starts]) if starts else np.zeros((0, len(FIELDS)))
    )
    factors = factors_of(all_lengths.astype(np.float32), averages(all_lengths.astype(np.float32)))
    terms, indptr, ids, counts = _assemble(chunks)
    return terms, indptr, ids, counts, factors


def _assemble(chunks):
    """Scatter the chunks' postings (in record order) into one CSR matrix."""
    term_ids = _Ids()
    run_terms = [np.fromiter(map(term_ids.__getitem__, names), dtype=np.int64, count=len(names))
                 for names, *_rest in chunks]  # fmt: skip
    n_terms = len(term_ids)
    df = np.zeros(n_terms, dtype=np.int64)
    for terms, (_names, run_len, _ids, _counts) in zip(run_terms, chunks, strict=True):
        df[terms] += run_len  # a term has one run per chunk: no repeated index
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    ids = np.empty(int(indptr[-1]), dtype=np.int32)
    counts = np.empty((len(FIELDS), int(indptr[-1])), dtype=np.uint16)
    cursor = indptr[:-1].copy()
    while chunks:
        _names, run_len, chunk_ids, chunk_counts = chunks.pop(0)  # popped: its memory goes as we go
        terms = run_terms.pop(0)
        run_start = np.cumsum(run_len) - run_len
        position = np.repeat(cursor[terms] - run_start, run_len) + np.arange(len(chunk_ids))
        ids[position] = chunk_ids  # chunks come in record order: record ids stay ascending within a term
        counts[:, position] = chunk_counts
        cursor[terms] += run_len
    return list(term_ids), indptr, ids, counts


def impacts(indptr, ids, counts, factors):
    """BM25F impacts: idf(term) × tf·(k1 + 1)/(k1 + tf), tf = Σ fields count × field factor of the record."""
    n = len(factors)
    df = np.diff(indptr)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    term_of = np.repeat(np.arange(len(df)), df)
    out = np.empty(len(ids), dtype=np.float32)
    for a in range(0, len(ids), BLOCK):
        block = slice(a, a + BLOCK)
        tf = np.zeros(len(ids[block]), dtype=np.float32)
        rows = ids[block]
        for f in range(len(FIELDS)):
            tf += (
                counts[f, block] * factors[rows, f]
            )  # float32, field by field: the same after build and load
        out[block] = idf[term_of[block]] * tf * np.float32(K1 + 1) / (np.float32(K1) + tf)
    return out


def max_idf(n):
    return math.log(1 + (n + 0.5) / 0.5)

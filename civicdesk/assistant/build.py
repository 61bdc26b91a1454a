"""Building the index: tokenisation once per record, analysis once per distinct token, a CSR postings matrix.

Records are tokenised into syllable ids (one dictionary lookup per token; folding and accent handling happen once
per *distinct* syllable), in two processes when the corpus is large. Everything after that is numpy: bigrams from
adjacent ids, per-(term, record) field-weighted frequencies with `bincount`, and a CSR layout (term → ascending
record ids, impacts) filled chunk by chunk without a global sort. The result is the same index the per-record
Python build produced (see tests/assistant/test_build.py).
"""

import logging
import math
import os
import pickle
import subprocess
import sys
import threading
import unicodedata
from array import array
from pathlib import Path

import numpy as np

from .normalize import _TOKEN, fold

FIELDS = {  # name: (weight, length normalisation b)
    "title": (4.0, 0.3),
    "keywords": (3.0, 0.3),
    "summary": (1.5, 0.5),
    "body": (1.0, 0.75),
}
K1 = 1.2
CHUNK = 2000  # records per tokenisation chunk: bounds the memory of the numpy steps
log = logging.getLogger(__name__)
PARALLEL_MIN = 4000  # below this many records one process is faster than starting a second one


class _Ids(dict):
    """String → dense id, assigned on first sight."""

    def __missing__(self, key):
        value = self[key] = len(self)
        return value


def field_text(doc, name):
    # An empty title, summary or body falls back to the keywords (kept: the weights were tuned with it).
    return {"title": doc.title, "summary": doc.summary, "body": doc.text}.get(name) or " ".join(doc.keywords)


def _record(doc):
    """What tokenisation needs from a record (small and picklable for the second process)."""
    return tuple(doc.keywords if name == "keywords" else [field_text(doc, name)] for name in FIELDS)


def _lengths(docs):
    """Per-field whitespace lengths (float32, as the weights were tuned with) and their averages."""
    lengths = {name: np.array([max(len(field_text(d, name).split()), 1) for d in docs] or [1], dtype=np.float32)
               for name in FIELDS}  # fmt: skip
    return lengths, {name: float(lengths[name].mean()) for name in FIELDS}


def tokenise(records):
    """Syllable ids of `records` (per field, a list of texts) → (distinct syllables, ids, segment lengths, segment
    record, segment field). A segment is one field text or one keyword phrase: bigrams stay inside it."""
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


def _processes(n):
    setting = os.environ.get("ASSISTANT_BUILD_PROCESSES", "")
    if setting:
        return max(1, int(setting))
    return min(2, os.cpu_count() or 1) if n >= PARALLEL_MIN else 1


class _Child:
    """A second Python process tokenising some chunks while this one tokenises the others.

    `python -m civicdesk.assistant.build` reads pickled jobs on stdin and writes pickled results (our own data,
    both ways). Not multiprocessing: spawn would re-import the caller's main module (a server, a script)."""

    def __init__(self, jobs):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                            os.environ.get("PYTHONPATH", "")]))  # fmt: skip
        self.process = subprocess.Popen([sys.executable, "-m", "civicdesk.assistant.build"], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
        self.output = {}
        payload = pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL)
        self.thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self.thread.start()

    def _talk(self, payload):
        try:
            self.output["out"], _err = self.process.communicate(payload)
        except OSError as error:
            self.output["error"] = error

    def results(self):
        self.thread.join()
        if self.process.returncode != 0 or "out" not in self.output:
            raise RuntimeError(f"tokenising process failed ({self.process.returncode})")
        return pickle.loads(self.output["out"])


def _tokenised_chunks(docs, progress, processes):
    """(first record, tokenise() result) per chunk of CHUNK records, in record order."""
    spans = [(s, min(s + CHUNK, len(docs))) for s in range(0, len(docs), CHUNK)]
    jobs = [[_record(d) for d in docs[a:b]] for a, b in spans]
    child = None
    if processes > 1 and len(jobs) > 1:
        try:
            child = _Child(jobs[1::2])  # the odd chunks; this process does the even ones meanwhile
        except OSError:
            log.warning("could not start a second tokenising process; building in one", exc_info=True)
    results = [None] * len(jobs)
    for k in range(0, len(jobs), 2 if child else 1):
        results[k] = tokenise(jobs[k])
        if progress:
            progress(int(60 * (k + 1) / len(jobs)), f"{spans[k][1]}/{len(docs)}")
    if child:
        try:
            results[1::2] = child.results()
        except (RuntimeError, pickle.UnpicklingError, EOFError):
            log.warning("the second tokenising process failed; tokenising its chunks here", exc_info=True)
            results[1::2] = [tokenise(job) for job in jobs[1::2]]
    return [(a, result) for (a, _b), result in zip(spans, results, strict=True)]


def build_postings(docs, progress=None, processes=None):
    """(terms, indptr, ids, impacts, max_idf) for `docs`: term t's postings are ids/impacts[indptr[t]:indptr[t+1]],
    record ids ascending; impacts are BM25F contributions (idf × saturated field-weighted frequency)."""
    n = len(docs)
    lengths, avg = _lengths(docs)
    # Field factor of each record: weight / length normalisation, in float32 as the weights were tuned with.
    factors = np.stack(
        [np.float32(w) / (np.float32(1 - b) + np.float32(b) * lengths[name][:n] / np.float32(avg[name]))
         for name, (w, b) in FIELDS.items()], axis=1,
    ).astype(np.float64)  # fmt: skip
    syllables = _Ids()
    chunks = []
    for offset, (vocab, ids, seg_len, seg_doc, seg_field) in _tokenised_chunks(
        docs, progress, processes or _processes(n)
    ):
        remap = np.fromiter(map(syllables.__getitem__, vocab), dtype=np.int64, count=len(vocab))
        chunks.append((offset, remap[ids], seg_len, seg_doc, seg_field))
    # Analysis once per distinct syllable: folded form ("u:"), accented form when it differs ("a:").
    raw = list(syllables)
    folded = [fold(s) for s in raw]
    unigrams = _Ids()
    raw_to_u = np.fromiter(map(unigrams.__getitem__, folded), dtype=np.int64, count=len(raw))
    n_u = len(unigrams)
    accented_at = [i for i, (s, f) in enumerate(zip(raw, folded, strict=True)) if s != f]
    raw_to_a = np.full(len(raw), -1, dtype=np.int64)
    raw_to_a[accented_at] = n_u + np.arange(len(accented_at))
    bigram_base = n_u + len(
        accented_at
    )  # bigram (u1, u2) has the sparse term key bigram_base + u1 * n_u + u2

    # Per chunk: one sort of (term, record, field) keys gives the counts; × field factor, summed per (term,
    # record), gives the field-weighted frequency. Terms keep sparse keys until all chunks are counted.
    parts = []
    for offset, ids, seg_len, seg_doc, seg_field in chunks:
        u = raw_to_u[ids]
        a = raw_to_a[ids]
        doc = np.repeat(seg_doc, seg_len).astype(np.int64)
        field = np.repeat(seg_field, seg_len).astype(np.int64)
        segment = np.repeat(np.arange(len(seg_len)), seg_len)
        pair = np.flatnonzero(segment[:-1] == segment[1:])
        has_a = np.flatnonzero(a >= 0)
        term = np.concatenate([u, a[has_a], bigram_base + u[pair] * n_u + u[pair + 1]])
        where = np.concatenate([doc * 4 + field, (doc * 4 + field)[has_a], (doc * 4 + field)[pair]])
        span = 4 * (int(doc.max()) + 1 if len(doc) else 1)
        keys = np.sort(term * span + where)
        first = (
            np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, int)
        )
        count = np.diff(np.append(first, len(keys)))
        keys = keys[first]
        term_doc = keys // 4
        weighted = count * factors[offset + term_doc % (span // 4), keys % 4]
        start = (
            np.flatnonzero(np.concatenate([[True], term_doc[1:] != term_doc[:-1]])) if len(keys) else first
        )
        tf = np.add.reduceat(weighted, start) if len(start) else weighted
        term_doc = term_doc[start]
        terms_of = term_doc // (span // 4)
        runs = (
            np.flatnonzero(np.concatenate([[True], terms_of[1:] != terms_of[:-1]]))
            if len(terms_of)
            else start
        )
        # Kept per chunk: the run of each term (sparse key, length) and its records and frequencies, compactly.
        parts.append((terms_of[runs], np.diff(np.append(runs, len(terms_of))), runs,
                      (term_doc % (span // 4) + offset).astype(np.int32), tf.astype(np.float32)))  # fmt: skip
    sparse_terms = np.unique(np.concatenate([p[0] for p in parts] or [np.zeros(0, np.int64)]))
    n_terms = len(sparse_terms)
    counts = np.zeros(n_terms, dtype=np.int64)
    for k, (run_terms, run_len, *rest) in enumerate(parts):
        run_terms = np.searchsorted(sparse_terms, run_terms)
        counts[run_terms] += run_len
        parts[k] = (run_terms, run_len, *rest)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    ids = np.empty(int(indptr[-1]), dtype=np.int32)
    tf = np.empty(int(indptr[-1]), dtype=np.float32)
    cursor = indptr[:-1].copy()
    while parts:
        run_terms, run_len, runs, chunk_docs, chunk_tf = parts.pop(0)
        # Chunks come in record order, so record ids stay ascending within each term.
        position = np.repeat(cursor[run_terms] - runs, run_len) + np.arange(len(chunk_docs))
        ids[position] = chunk_docs
        tf[position] = chunk_tf
        cursor[run_terms] += run_len
    idf = np.log(1 + (n - counts + 0.5) / (counts + 0.5)).astype(np.float32)
    impacts = (np.repeat(idf, counts) * tf * np.float32(K1 + 1) / (np.float32(K1) + tf)).astype(np.float32)
    folded_u = list(unigrams)
    names = [f"u:{t}" for t in folded_u] + [f"a:{raw[i]}" for i in accented_at]
    terms = [names[k] if k < bigram_base else "b:{}_{}".format(*divmod_names(k - bigram_base, n_u, folded_u))
             for k in sparse_terms.tolist()]  # fmt: skip
    if progress:
        progress(95, f"{n}/{n}")
    return terms, indptr, ids, impacts, math.log(1 + (n + 0.5) / 0.5)


def divmod_names(key, n_u, folded):
    first, second = divmod(key, n_u)
    return folded[first], folded[second]


if __name__ == "__main__":  # the second tokenising process (see _Child)
    jobs = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps([tokenise(job) for job in jobs], protocol=pickle.HIGHEST_PROTOCOL))

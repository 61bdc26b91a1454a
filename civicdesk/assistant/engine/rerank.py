"""The second look at the best few records: boosted trees over each candidate's own evidence reorder them.

The first ranking is lexical (BM25F with a title-specificity penalty, `index.py`): it adds up term weights and cannot
weigh *how* a record matches — whether the question resembles questions the record already answers, whether the
words found are in its title, whether a procedure or the FAQ beside it says more. The reranker scores each of the
best `CANDIDATES` records on that evidence (`FEATURES`) with boosted trees fitted by `civicdesk assistant calibrate`
(stored under "rerank" in `data/calibration.json`) and orders them by the probability that the record is the one asked
about; the records after them keep their order. Out of fold, one fold per writer, Recall@1 0.950 → 0.953 over the
training questions, no writer's split worse (docs/benchmarks/assistant.md, issue 12's sixth round).

Each record keeps its own lexical score: the decision (`decide.features`) reads the scores' ratios, so a runner-up
scoring above the record put first is evidence the decision models were fitted on.
"""

import json
import math
from functools import lru_cache

from .decide import CALIBRATION_PATH, _model, evidence

CANDIDATES = 5
FEATURES = (
    "rank",  # the lexical rank, 0 for the best
    "score_share",  # the record's lexical score over the best one's
    "score",  # log(1 + score / max idf)
    "coverage",  # this record's coverage of the question and resemblance to it (`decide.evidence`), down to "faq"
    "concept_cov",
    "count_cov",
    "bigram_cov",
    "lexicon_cov",
    "field_cov",
    "title_share",  # share of the question's terms in the record's title
    "example_sim",  # best Jaccard similarity with one of the record's example questions
    "example_hits",  # best share of the question found in one of them
    "procedure",  # the record's kind, one-hot
    "guide",
    "faq",
    "examples",  # log(1 + number of example questions the record has)
)


def candidate_features(index, analysis, ranked):
    """One dict of `FEATURES` per record among the first `CANDIDATES` of `ranked` (best first)."""
    rows = []
    best = ranked[0].score if ranked else 0.0
    for position, candidate in enumerate(ranked[:CANDIDATES]):
        row = {
            **evidence(index, analysis, candidate.doc),
            "rank": float(position),
            "score_share": candidate.score / best if best > 0 else 0.0,
            "score": math.log1p(max(candidate.score, 0.0) / index.max_idf),
            "procedure": 1.0 if candidate.doc.kind == "procedure" else 0.0,
            "guide": 1.0 if candidate.doc.kind == "guide" else 0.0,
            "faq": 1.0 if candidate.doc.kind == "faq" else 0.0,
            "examples": math.log1p(len(candidate.doc.examples)),
        }
        rows.append({name: row[name] for name in FEATURES})
    return rows


class Reranker:
    """Reorders the first `CANDIDATES` records of a ranking by `model`'s probability (ties keep the lexical order)."""

    def __init__(self, model):
        self.model = model

    def __call__(self, index, analysis, ranked):
        if len(ranked) < 2 or analysis is None or not analysis.concepts:
            return ranked
        rows = candidate_features(index, analysis, ranked)
        probability = [self.model.probability(row) for row in rows]
        order = sorted(range(len(rows)), key=lambda i: (-probability[i], i))
        return [ranked[i] for i in order] + ranked[len(rows) :]


@lru_cache(maxsize=1)
def shipped():
    """The reranker `calibration.json` holds, or None when it holds none (a calibration from before the reranker)."""
    data = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")).get("rerank")
    return Reranker(_model(data, FEATURES)) if data else None

"""The plain BM25 baseline the evaluation compares against: whitespace tokens, lower case, same exported text."""

import math
from collections import Counter

import numpy as np


class PlainBM25:
    def __init__(self, docs, k1=1.5, b=0.75):
        self.docs = docs
        tokenised = [d.text.lower().split() for d in docs]
        lengths = np.array([len(t) for t in tokenised], dtype=np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        df = Counter(term for tokens in tokenised for term in set(tokens))
        n = len(docs)
        self.postings = {}
        for i, tokens in enumerate(tokenised):
            norm = k1 * (1 - b + b * lengths[i] / avg)
            for term, tf in Counter(tokens).items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                self.postings.setdefault(term, []).append((i, idf * tf * (k1 + 1) / (tf + norm)))

    def rank(self, query, limit=10):
        scores = np.zeros(len(self.docs), dtype=np.float32)
        for term in query.lower().split():
            for i, impact in self.postings.get(term, ()):
                scores[i] += impact
        order = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
        return [self.docs[i].id for i in order]

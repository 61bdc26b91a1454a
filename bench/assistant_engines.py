"""Engine comparison on the gold set: our BM25F index vs SQLite FTS5 (same analysis) vs plain BM25.

.venv/bin/python bench/assistant_engines.py
"""

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
os.environ.setdefault("CIVICDESK_TESTING", "1")

import django

django.setup()

import numpy as np  # noqa: E402

from civicdesk.assistant import evaluation  # noqa: E402
from civicdesk.assistant.corpus import seed_docs  # noqa: E402
from civicdesk.assistant.engine.index import Index  # noqa: E402
from civicdesk.assistant.engine.normalize import fold  # noqa: E402

PlainBM25 = evaluation.module("baseline").PlainBM25  # eval/assistant/, outside the package
load_gold = evaluation.module("harness").load_gold


class Fts5:
    """FTS5 with accent folding (remove_diacritics 2), field weights through bm25(), our query analysis."""

    def __init__(self, docs, index):
        self.docs, self.index = docs, index
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE d USING fts5(title, keywords, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO d(rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
            [(i, fold(x.title), fold(" ".join(x.keywords)), fold(x.text)) for i, x in enumerate(docs)],
        )

    def rank(self, query, limit=10):
        from civicdesk.assistant.engine.query import analyse

        terms = {t[2:] for t in analyse(query, self.index).terms if t.startswith("u:")}
        terms |= {
            '"' + t[2:].replace("_", " ") + '"'
            for t in analyse(query, self.index).terms
            if t.startswith("b:")
        }
        if not terms:
            return []
        match = " OR ".join(sorted(terms))
        rows = self.db.execute(
            "SELECT rowid FROM d WHERE d MATCH ? ORDER BY bm25(d, 4.0, 3.0, 1.0) LIMIT ?", (match, limit)
        ).fetchall()
        return [self.docs[r[0]].id for r in rows]


def measure(name, rank, gold):
    r3 = rr = 0
    ms = []
    scope = [g for g in gold if g["gold"]]
    for g in scope:
        t = time.perf_counter()
        ids = rank(g["q"])
        ms.append((time.perf_counter() - t) * 1000)
        first = next((i for i, x in enumerate(ids[:10], 1) if x in g["gold"]), None)
        r3 += bool(first and first <= 3)
        rr += 1 / first if first else 0
    return {"engine": name, "recall@3": round(r3 / len(scope), 4), "mrr@10": round(rr / len(scope), 4),
            "ms_p95": round(float(np.percentile(ms, 95)), 2)}  # fmt: skip


if __name__ == "__main__":
    docs, gold = seed_docs(), load_gold()
    t = time.perf_counter()
    index = Index.build(docs)
    built = time.perf_counter() - t
    fts = Fts5(docs, index)
    base = PlainBM25(docs)
    results = [
        dict(
            measure("civicdesk BM25F (numpy)", lambda q: [r.doc.id for r in index.rank(q, 10)[1]], gold),
            build_s=round(built, 2),
        ),
        measure("SQLite FTS5 + same analysis", fts.rank, gold),
        measure("plain BM25 (whitespace)", base.rank, gold),
    ]
    print(json.dumps(results, ensure_ascii=False, indent=2))

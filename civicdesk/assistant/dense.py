"""Optional dense retrieval: a local sentence-embedding model, fused with the lexical ranking (reciprocal rank).

Off unless ASSISTANT_EMBEDDING_MODEL names a model directory on this machine; nothing is downloaded at run time
(sentence-transformers is then needed: `pip install sentence-transformers`). The default install needs no model.
"""

import logging
from functools import lru_cache

import numpy as np

from . import conf

log = logging.getLogger(__name__)
RRF_K = 60
DENSE_WEIGHT = 0.5
CANDIDATES = 50


@lru_cache(maxsize=1)
def _load(path):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        log.warning(
            "ASSISTANT_EMBEDDING_MODEL is set but sentence-transformers is not installed; lexical only"
        )
        return None
    return SentenceTransformer(path, local_files_only=True)


def get_embedder():
    """An object with `encode(list[str]) -> array`, or None when dense retrieval is off."""
    path = conf.get("ASSISTANT_EMBEDDING_MODEL", "")
    return _load(path) if path else None


def _normalise(vectors):
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def attach_embeddings(index):
    """Dense vectors of a freshly built index's records (none when dense retrieval is off), fused into its ranking."""
    embedder = get_embedder()
    if embedder is None or not index.docs:
        index.embeddings = None
        return use_fusion(index)
    texts = [f"{d.title}. {d.summary} {' '.join(d.keywords)}" for d in index.docs]
    index.embeddings = _normalise(embedder.encode(texts))
    return use_fusion(index)


def use_fusion(index):
    """Fuse dense similarity into `index`'s ranking (`Index.fuse`) when it holds vectors, built or loaded."""
    index.fuse = fuse if index.embeddings is not None else None
    return index


def fuse(index, query, lexical):
    """Reciprocal-rank fusion of the lexical scores with cosine similarity; keeps the lexical scale."""
    embedder = get_embedder()
    if embedder is None or index.embeddings is None:
        return lexical
    similarity = index.embeddings @ _normalise(embedder.encode([query]))[0]
    lex_order = np.argsort(-lexical)[:CANDIDATES]
    dense_order = np.argsort(-similarity)[:CANDIDATES]
    fused = np.zeros_like(lexical)
    for rank, i in enumerate(lex_order):
        if lexical[i] > 0:
            fused[i] += 1.0 / (RRF_K + rank)
    for rank, i in enumerate(dense_order):
        fused[i] += DENSE_WEIGHT / (RRF_K + rank)
    # Map back to the lexical scale so that scores stay comparable in the UI and the API.
    top = float(lexical.max()) or 1.0
    return fused / max(float(fused.max()), 1e-9) * top

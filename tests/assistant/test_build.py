"""The vectorised CSR build gives the index the straightforward per-record computation gives, and it persists
as plain arrays (no pickle) that load back to the same answers."""

import json
import math
import os
from collections import Counter, defaultdict

import numpy as np
import pytest

from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine import build
from civicdesk.assistant.engine import index as index_module
from civicdesk.assistant.engine.build import FIELDS, K1, field_text
from civicdesk.assistant.engine.doc import Doc
from civicdesk.assistant.engine.index import Index, _terms


def reference_postings(docs):
    """BM25F impacts computed record by record with Counters: {term: {record: impact}}."""
    n = len(docs)
    lengths = {name: [max(len(field_text(d, name).split()), 1) for d in docs] for name in FIELDS}
    avg = {name: sum(v) / len(v) for name, v in lengths.items()}
    tf = defaultdict(dict)
    for i, doc in enumerate(docs):
        combined = defaultdict(float)
        for name, (weight, b) in FIELDS.items():
            factor = weight / ((1 - b) + b * lengths[name][i] / avg[name])
            lists = {"keywords": doc.keywords, "examples": doc.examples}
            texts = lists[name] if name in lists else [field_text(doc, name)]
            counts = Counter()
            for text in texts:
                counts.update(_terms(text))
            for term, count in counts.items():
                combined[term] += factor * count
        for term, value in combined.items():
            tf[term][i] = value
    result = {}
    for term, by_doc in tf.items():
        idf = math.log(1 + (n - len(by_doc) + 0.5) / (len(by_doc) + 0.5))
        result[term] = {i: idf * v * (K1 + 1) / (K1 + v) for i, v in by_doc.items()}
    return result


def as_dict(index):
    out = {}
    for term, t in index.postings.items():
        start, end = index._indptr[t], index._indptr[t + 1]
        out[term] = dict(zip(index._ids[start:end].tolist(), index._impacts[start:end].tolist(), strict=True))
    return out


def _doc(i, title, text, keywords=(), summary="", examples=()):
    return Doc(id=f"faq:t{i}", kind="faq", title=title, url=f"/f/{i}/", text=text, keywords=list(keywords),
               summary=summary, examples=list(examples))  # fmt: skip


SMALL = [
    _doc(0, "Đăng ký khai sinh", "Nộp tờ khai và Giấy chứng sinh. Hoà giải, hòa giải.", ["khai sanh", "giấy khai sinh"],
         "Khai sinh cho trẻ."),
    _doc(1, "Đăng ký kết hôn", "Hai bên nam nữ có mặt; xuất trình căn cước. Lệ phí 1.000.000 đồng.", ["hôn thú"],
         examples=["hai đứa muốn cưới thì ra xã làm gì", "làm giấy hôn thú"]),
    _doc(2, "", "Body only: the empty title falls back to the keywords.", ["phí", "lệ phí"]),
]  # fmt: skip


@pytest.mark.parametrize("docs", [SMALL, seed_docs()], ids=["small", "seed"])
def test_the_csr_build_equals_the_per_record_computation(docs):
    built, expected = as_dict(Index.build(docs)), reference_postings(docs)
    assert built.keys() == expected.keys()
    for term, by_doc in expected.items():
        assert list(built[term]) == sorted(by_doc), term  # record ids ascending within a term
        assert np.allclose(list(built[term].values()), [by_doc[i] for i in sorted(by_doc)], rtol=1e-5), term


def test_a_second_process_builds_the_same_index(monkeypatch):
    monkeypatch.setattr(build, "CHUNK", 40)  # four chunks: the helper process takes two of them
    docs = seed_docs()
    assert as_dict(Index.build(docs, processes=2)) == as_dict(Index.build(docs, processes=1))


def test_a_failing_second_process_only_costs_time(monkeypatch):
    monkeypatch.setattr(build, "CHUNK", 40)
    monkeypatch.setattr(build, "_forked_chunk", _die)
    docs = seed_docs()
    assert as_dict(Index.build(docs, processes=2)) == as_dict(Index.build(docs, processes=1))


def _die(start):
    os._exit(1)  # as if the helper were killed


def test_a_threaded_process_never_forks(monkeypatch):
    monkeypatch.delenv("ASSISTANT_BUILD_PROCESSES", raising=False)
    monkeypatch.setattr(build.threading, "active_count", lambda: 3)
    assert build.processes_for(50_000) == 1
    monkeypatch.setattr(build.threading, "active_count", lambda: 1)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    assert build.processes_for(50_000) == 2 and build.processes_for(500) == 1


def test_keyword_phrases_do_not_make_bigrams_across_each_other():
    index = Index.build(SMALL)
    assert index.has("b:khai_sanh") and index.has("b:giay_khai")
    assert not index.has("b:sanh_giay")


def test_the_saved_index_is_plain_arrays_and_answers_the_same(tmp_path):
    index = Index.build(seed_docs(), version=7)
    path = tmp_path / "index-7.npz"
    index.save(path)
    with np.load(path, allow_pickle=False) as data:  # would raise if anything needed unpickling
        assert json.loads(data["meta"].tobytes())["ids"] == "uint16"
        assert {"df", "ids", "factors", "terms", "docs", "counts0"} <= set(data.files)
    loaded = Index.load(path)
    assert loaded.version == 7 and len(loaded.docs) == len(index.docs)
    assert loaded.docs[0] == index.docs[0]
    for question in ["làm giấy khai sinh cho con cần gì", "dang ky ket honn", "Giá vàng hôm nay"]:
        a1, r1 = index.rank(question, 5)
        a2, r2 = loaded.rank(question, 5)
        assert [(r.doc.id, r.score) for r in r1] == [(r.doc.id, r.score) for r in r2]
        assert a1.corrections == a2.corrections
    assert np.array_equal(loaded._ids, index._ids) and np.array_equal(loaded._impacts, index._impacts)
    assert loaded._terms == index._terms


def test_large_corpora_save_record_ids_in_32_bits(tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "SHORT_IDS", 10)
    index = Index.build(seed_docs())
    index.save(tmp_path / "big.npz")
    loaded = Index.load(tmp_path / "big.npz")
    assert np.array_equal(loaded._ids, index._ids) and np.array_equal(loaded._impacts, index._impacts)


def test_record_ids_decode_block_by_block():
    rng = np.random.default_rng(3)
    df = rng.integers(1, 40, size=300)
    indptr = np.concatenate([[0], np.cumsum(df)])
    ids = np.concatenate([np.sort(rng.choice(5000, size=d, replace=False)) for d in df]).astype(np.int32)
    delta = ids.astype(np.int64)
    delta[1:] -= ids[:-1]
    delta[indptr[:-1]] = ids[indptr[:-1]]
    assert np.array_equal(index_module._decode_ids(delta.astype(np.uint16), indptr, step=50), ids)


def test_an_empty_corpus_builds_saves_and_loads(tmp_path):
    index = Index.build([])
    index.save(tmp_path / "empty.npz")
    loaded = Index.load(tmp_path / "empty.npz")
    assert loaded.docs == [] and loaded.rank("khai sinh")[1] == []

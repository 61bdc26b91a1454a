"""The reranker (engine/rerank.py): boosted trees reorder the best few records on each one's own evidence."""

import json

import pytest

from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine import decide, examples, rerank
from civicdesk.assistant.engine.index import SHIPPED, Index


@pytest.fixture(scope="module")
def index():
    return Index.build(examples.attach(seed_docs(), examples.shipped_examples()))


def test_the_shipped_calibration_holds_a_reranker_over_its_features():
    data = json.loads(decide.CALIBRATION_PATH.read_text(encoding="utf-8"))["rerank"]
    assert data["kind"] == "trees" and data["features"] == list(rerank.FEATURES) and data["trees"]
    assert isinstance(rerank.shipped(), rerank.Reranker)


def test_candidate_features_describe_each_of_the_best_records(index):
    index.reranker = None
    analysis, ranked = index.rank("đăng ký kết hôn cần giấy tờ gì", limit=10)
    rows = rerank.candidate_features(index, analysis, ranked)
    assert len(rows) == rerank.CANDIDATES and all(list(row) == list(rerank.FEATURES) for row in rows)
    assert [row["rank"] for row in rows] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert rows[0]["score_share"] == 1.0 and all(0 < row["score_share"] <= 1 for row in rows)
    assert all(row["procedure"] + row["guide"] + row["faq"] == 1.0 for row in rows)


def test_the_reranker_orders_the_candidates_by_its_probability_and_keeps_the_rest(index):
    index.reranker = None
    analysis, lexical = index.rank("đăng ký kết hôn cần giấy tờ gì", limit=10)

    class Last:  # a model that prefers the last candidate: the order must follow the probability
        def probability(self, row):
            return row["rank"] / 10

    reordered = rerank.Reranker(Last())(index, analysis, lexical)
    first_five = [r.doc.id for r in lexical[: rerank.CANDIDATES]]
    assert [r.doc.id for r in reordered[: rerank.CANDIDATES]] == first_five[::-1]
    assert [r.doc.id for r in reordered[rerank.CANDIDATES :]] == [
        r.doc.id for r in lexical[rerank.CANDIDATES :]
    ]
    assert {r.doc.id: r.score for r in reordered} == {r.doc.id: r.score for r in lexical}  # scores kept


def test_an_index_uses_the_shipped_reranker_unless_told_otherwise(index):
    question = "em đi làm xa nhờ mẹ lên xã nhận giúp trích lục kết hôn được không"
    index.reranker = None
    analysis, lexical = index.rank(question, limit=10)
    expected = [r.doc.id for r in rerank.shipped()(index, analysis, lexical)][:3]
    index.reranker = SHIPPED
    _analysis, ranked = index.rank(question, limit=3)
    assert [r.doc.id for r in ranked] == expected

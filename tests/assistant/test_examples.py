"""Example questions: indexed beside a record, never found through themselves, learnt from helpful answers."""

import pytest

from civicdesk.assistant import evaluation, store
from civicdesk.assistant import examples as live
from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine import examples
from civicdesk.assistant.engine.index import Index
from civicdesk.assistant.models import Feedback, Turn
from civicdesk.kernel.roles import Role
from tests.factories import UserFactory


def _top(index, question):
    return [r.doc.id for r in index.rank(question, limit=3)[1]]


def test_a_question_worded_like_a_known_example_finds_its_record():
    question = "ba má tui chia cho hai đứa con mỗi đứa một khoảnh vườn cà phê"
    docs = seed_docs()
    plain = Index.build(docs)
    # Every record holds example questions in the live index (a field of their own, length-normalised over all
    # records): give each one its title as an example, and the land-division record this question too.
    taught = Index.build(
        examples.attach(docs, {d.id: [d.title] for d in docs} | {"procedure:DD-008": [question]})
    )
    assert _top(taught, "ba má chia cho hai đứa con mỗi đứa một khoảnh vườn")[0] == "procedure:DD-008"
    assert _top(plain, question)[0] != "procedure:DD-008"  # without the example the words lead elsewhere


def test_the_unseen_split_and_the_measured_split_never_become_examples():
    gold = [
        {"q": "câu hỏi a", "gold": ["procedure:HT-001"], "split": "dev"},
        {"q": "câu hỏi b", "gold": ["procedure:HT-001"], "split": "heldout"},
        {"q": "câu hỏi c", "gold": ["procedure:HT-001"], "split": examples.UNSEEN_SPLITS[0]},
        {"q": "ngoài phạm vi", "gold": [], "split": "dev"},
    ]
    assert examples.examples_from(gold) == {"procedure:HT-001": ["câu hỏi a", "câu hỏi b"]}
    assert examples.examples_from(gold, exclude_splits=("dev",)) == {"procedure:HT-001": ["câu hỏi b"]}


def test_out_of_scope_questions_are_kept_apart_without_numbers_and_never_from_the_unseen_splits():
    gold = [
        {"q": "đổi bằng lái xe hạng B2 ở đâu", "gold": [], "split": "dev"},
        {"q": "đổi  bằng lái xe hạng B2 ở đâu", "gold": [], "split": "dev2"},  # the same question once
        {"q": "gia hạn visa", "gold": [], "split": "heldout"},
        {"q": "xem bói", "gold": [], "split": examples.UNSEEN_SPLITS[0]},
        {"q": "khai sinh", "gold": ["procedure:HT-001"], "split": "dev"},
    ]
    assert examples.outside_from(gold) == ["đổi bằng lái xe hạng B ở đâu", "gia hạn visa"]
    assert examples.outside_from(gold, exclude_splits=("heldout",)) == ["đổi bằng lái xe hạng B ở đâu"]


def test_a_question_like_a_known_out_of_scope_one_resembles_it_and_an_in_scope_one_does_not():
    index = Index.build(seed_docs())
    index.outside = ["đổi bằng lái xe máy bị mất ở đâu"]
    assert index.outside_sim("bằng lái xe máy bị mất thì đổi ở đâu") > 0.5
    assert index.outside_sim("làm giấy khai sinh cho con ở đâu") < 0.2
    # The live index reads the package's list (examples.json, written with the calibration).
    live_index = Index.build(seed_docs())
    assert live_index.outside_sim(examples.shipped_outside()[0]) == 1.0


def test_the_package_ships_the_gold_sets_example_questions():
    """The gold set is not installed: the live index's gold-set questions come from engine/data/examples.json, which
    must hold what the gold file gives. After editing eval/assistant/gold.jsonl, run `civicdesk assistant calibrate`."""
    gold = evaluation.module("harness").load_gold()
    shipped = examples.shipped_examples()
    assert shipped == examples.examples_from(gold)
    assert examples.shipped_outside() == examples.outside_from(gold)
    unseen = {g["q"] for g in gold if g["split"] in examples.UNSEEN_SPLITS}
    assert not unseen & {q for questions in shipped.values() for q in questions}


def test_each_split_is_answered_by_an_index_without_its_own_questions():
    harness = evaluation.module("harness")
    gold = harness.load_gold()
    index_for = harness.split_indexes(seed_docs(), gold)
    for split in ("dev", "fresh4"):
        own = {g["q"] for g in gold if g["split"] == split}
        held = {q for d in index_for(split).docs for q in d.examples}
        assert held and not held & own
        outside = set(index_for(split).outside)
        assert outside and not outside & own


@pytest.mark.django_db
def test_questions_rated_helpful_by_officials_become_examples_without_their_numbers(handbook):
    official = UserFactory(role=Role.COMMUNE_OFFICER)
    source = [
        {"id": "procedure:HT-001", "title": "Đăng ký khai sinh", "kind": "procedure", "url": "/", "score": 1}
    ]

    def turn(question, helpful, channel=Turn.Channel.STAFF):
        t = Turn.objects.create(
            user=official, channel=channel, question=question, answered=True, sources=source
        )
        Feedback.objects.create(turn=t, user=official, helpful=helpful)

    turn("cháu bé sinh ở trạm y tế, mẹ có CCCD 068190001234, làm giấy gì", helpful=True)
    turn("câu trả lời không đúng ý tôi", helpful=False)
    turn("người dân hỏi trên trang công khai", helpful=True, channel=Turn.Channel.PUBLIC)
    learnt = live.feedback_examples()
    assert list(learnt) == ["procedure:HT-001"]
    assert len(learnt["procedure:HT-001"]) == 1
    assert "068190001234" not in learnt["procedure:HT-001"][0]
    assert "trạm y tế" in learnt["procedure:HT-001"][0]
    # The live index holds it beside the record.
    store.reset()
    birth = next(d for d in store.get_index().docs if d.id == "procedure:HT-001")
    assert any("trạm y tế" in q for q in birth.examples)

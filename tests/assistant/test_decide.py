"""The three-way decision: boosted trees (scope) and a logistic model (first record) over coverage, lexicon, field,
score and example evidence, fitted on the training splits only."""

import json

import pytest

from civicdesk.assistant import evaluation
from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine import decide, examples
from civicdesk.assistant.engine.examples import UNSEEN_SPLITS
from civicdesk.assistant.engine.index import Index
from civicdesk.assistant.respond import respond

calibrate = evaluation.module("calibrate")  # eval/assistant/, outside the package
harness = evaluation.module("harness")


@pytest.fixture(scope="module")
def index():
    """The seed with the shipped example questions attached, as the live index holds them (store.py)."""
    return Index.build(examples.attach(seed_docs(), examples.shipped_examples()))


def _features(index, question):
    analysis, ranked = index.rank(question, limit=10)
    return decide.features(index, analysis, ranked)


def test_every_feature_is_computed_and_bounded(index):
    values = _features(index, "bố mẹ mất sang tên sổ hồng cho con")
    assert list(values) == list(decide.TOP1_FEATURES)
    assert decide.TOP1_FEATURES[: len(decide.FEATURES)] == decide.FEATURES
    for name in ("coverage", "concept_cov", "count_cov", "bigram_cov", "lexicon_cov", "unknown_share",
                 "field_cov", "margin", "function_share", "title_share", "example_sim", "example_hits",
                 "second_share", "third_share", "same_kind"):  # fmt: skip
        assert 0.0 <= values[name] <= 1.0, name
    assert values["lexicon_cov"] > 0  # "sổ hồng" and "sang tên" are lexicon phrases found in the record


def test_words_no_record_contains_count_as_unknown(index):
    assert _features(index, "bitcoin guitar flan")["unknown_share"] == 0.0  # nothing ranked: all zeros
    assert _features(index, "khai sinh cho con ở Zanzibar")["unknown_share"] > 0


@pytest.mark.parametrize(
    "question",
    [
        # dev questions the coverage threshold alone used to refuse although their record came first. (Since the
        # precision-first margin — wrong answers ≤ 1 % out of fold — "bố mẹ mất sang tên sổ hồng cho con" is
        # refused on the bare seed index, with the transfer record first among the nearest records it lists.)
        "mở quán cà phê thì làm giấy phép kinh doanh ở đâu",
        "xin giấy độc thân để đi làm hồ sơ vay ngân hàng",
    ],
)
def test_everyday_questions_whose_record_is_found_are_answered(index, question):
    response = respond(question, use_llm=False, index=index)
    assert response.answered, response.confidence


def test_the_confidence_is_the_models_probability(index):
    answered = respond("làm giấy khai sinh cho con cần gì", use_llm=False, index=index)
    refused = respond("Giá vàng hôm nay bao nhiêu?", use_llm=False, index=index)
    assert answered.confidence > decide.get_model().scope.threshold > refused.confidence


def test_the_threshold_setting_overrides_the_calibrated_one(index, settings):
    settings.ASSISTANT_MIN_CONFIDENCE = 1.01  # above any probability: nothing is answered
    assert not respond("làm giấy khai sinh cho con cần gì", use_llm=False, index=index).answered


def test_a_calibration_for_other_features_is_refused():
    data = json.loads(decide.CALIBRATION_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="calibrate"):
        decide.model_from_dict(data)


def test_the_shipped_model_was_fitted_on_the_training_splits_only():
    data = json.loads(decide.CALIBRATION_PATH.read_text(encoding="utf-8"))
    train = [g for g in harness.load_gold() if g["split"] in calibrate.TRAIN_SPLITS]
    assert data["fitted"]["splits"] == list(calibrate.TRAIN_SPLITS)
    assert data["fitted"]["questions"] == len(train)
    assert not set(UNSEEN_SPLITS) & set(calibrate.TRAIN_SPLITS)
    assert 0 < data["threshold"] < 1 and 0 < data["top1"]["threshold"] < 1


@pytest.mark.clock_free
def test_calibration_never_reads_the_unseen_split():
    gold = harness.load_gold()
    # Four writers' splits keep the two fits quick (the full fit takes a minute or more); the unseen ones are the point.
    train = [g for g in gold if g["split"] in calibrate.TRAIN_SPLITS[-7:-3]]
    # Unseen questions relabelled to mislead: a fit that read them would change.
    unseen = [dict(g, split=UNSEEN_SPLITS[i % 2]) for i, g in enumerate(train[:60])]
    poisoned = train + [dict(g, gold=[] if g["gold"] else ["procedure:HT-001"]) for g in unseen]
    with_others, train_only = (
        calibrate.calibrate(seed_docs(), poisoned),
        calibrate.calibrate(seed_docs(), train),
    )
    assert with_others["trees"] == train_only["trees"] and with_others["rerank"] == train_only["rerank"]
    assert with_others["threshold"] == train_only["threshold"]
    assert with_others["top1"] == train_only["top1"]


def test_the_wrong_answer_rate_is_reported_over_answers_and_over_all_questions():
    row = {"r1": True, "r3": True, "r5": True, "rr": 1.0, "ms": 1.0, "mode": "answer", "right": True}
    rows = [
        dict(row, gold=["a"], answered=True),
        dict(row, gold=["a"], answered=False, mode="refuse", right=False),
        dict(
            row, gold=["a"], answered=True, r1=False, right=False
        ),  # composed from a record that is not gold
        dict(row, gold=["a"], answered=True, r1=False, mode="clarify"),  # the gold record among the choices
        dict(row, gold=[], answered=True, right=False),  # out of scope, answered: wrong
        dict(row, gold=[], answered=False, mode="refuse", right=False),
    ]
    metrics = harness._summarise(rows)
    assert metrics["wrong_answers"] == 2 and metrics["answers"] == 4
    assert (
        metrics["wrong_answer_rate"] == 0.5
    )  # over answers and clarifications: the one compared with the target
    assert metrics["wrong_answer_rate_all"] == round(2 / 6, 4)
    assert metrics["right_first_rate"] == 0.25 and metrics["right_answer_or_choice_rate"] == 0.5
    assert metrics["clarifications"] == 1 and metrics["oos_rejection"] == 0.5


def test_a_question_that_is_the_first_records_title_is_answered_not_clarified():
    """The hotline's answers become FAQs: asking an FAQ's question as it is published answers from it (issue 5)."""
    from civicdesk.assistant.engine.doc import Doc

    question = "Trẻ sinh tại nhà không có giấy chứng sinh thì đăng ký khai sinh bằng giấy tờ gì?"
    answer = "Thay giấy chứng sinh bằng văn bản của người làm chứng xác nhận việc sinh."
    faq = Doc(id="faq:hoi-moi", kind="faq", title=question, url="/handbook/faqs/hoi-moi/", text=f"{question}\n{answer}",
              summary=answer)  # fmt: skip
    index = Index.build([*examples.attach(seed_docs(), examples.shipped_examples()), faq])
    assert index.is_title(question.upper().rstrip("?"), faq) and not index.is_title("đăng ký khai sinh", faq)
    response = respond(question, use_llm=False, index=index)
    assert response.mode == "answer" and response.sources[0]["id"] == "faq:hoi-moi"

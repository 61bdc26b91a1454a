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
    assert data["threshold"] <= data["clarify_threshold"] < 1


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
    assert with_others["clarify_threshold"] == train_only["clarify_threshold"]
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


def _calibration(clarify_threshold, answer_at=1.01):
    """The shipped models with other thresholds: nothing refused for want of scope alone; by default no first record
    sure enough to answer from."""
    data = json.loads(decide.CALIBRATION_PATH.read_text(encoding="utf-8"))
    data["threshold"], data["clarify_threshold"] = 0.0, clarify_threshold
    if answer_at is not None:
        data["top1"]["threshold"] = answer_at
    return decide.model_from_dict(data)


def test_a_choice_needs_the_scope_model_surer_than_a_refusal_does(index):
    """Not sure which record, and not sure the handbook covers the question: "not found", not a choice of records."""
    analysis, ranked = index.rank("giấy tờ xin cấp thẻ thường trú cho người nước ngoài", limit=10)
    offered = decide.decide(index, analysis, ranked, model=_calibration(clarify_threshold=0.0))
    assert offered.mode == "clarify" and offered.choices >= 2
    refused = decide.decide(index, analysis, ranked, model=_calibration(clarify_threshold=1.0))
    assert refused.mode == "refuse" and not refused.off_topic and refused.top1 == offered.top1
    # The app's refusal threshold (ASSISTANT_MIN_CONFIDENCE) also holds for a choice when it is the higher one.
    assert (
        decide.decide(index, analysis, ranked, model=_calibration(0.0), min_confidence=1.0).mode == "refuse"
    )


def test_an_answer_does_not_need_the_clarification_threshold(index):
    analysis, ranked = index.rank("làm giấy khai sinh cho con cần gì", limit=10)
    assert decide.decide(index, analysis, ranked, model=_calibration(1.0, answer_at=None)).mode == "answer"


def test_the_search_picks_a_clarification_threshold_that_turns_unsure_choices_into_refusals():
    import numpy as np

    # Six in scope, answered or offered; two out of scope that only a choice lets through, at a low scope probability.
    scope = np.array([0.9, 0.9, 0.9, 0.8, 0.8, 0.6, 0.3, 0.3])
    top1 = np.array([0.99, 0.99, 0.99, 0.5, 0.5, 0.5, 0.5, 0.5])
    oos = np.array([False] * 6 + [True] * 2)
    rank = np.array([1, 1, 1, 2, 1, 2, 99, 99])
    offered = np.full(8, 2)
    low = calibrate.outcomes(scope, top1, oos, rank, offered, 0.2, 0.9)
    assert low["oos_rejection"] == 0.0 and low["wrong_answer_rate"] == 0.25
    high = calibrate.outcomes(scope, top1, oos, rank, offered, 0.2, 0.9, 0.5)
    assert (
        high["oos_rejection"] == 1.0
        and high["wrong_answer_rate"] == 0.0
        and high["right_first_rate"] == 4 / 6
    )
    refuse_below, answer_at, clarify_from, rates = calibrate.choose_thresholds(
        scope, top1, oos, rank, offered
    )
    assert refuse_below < 0.3 < clarify_from <= 0.6 and 0.5 < answer_at <= 0.99
    assert rates["oos_rejection"] == 1.0 and rates["value"] > 0.9

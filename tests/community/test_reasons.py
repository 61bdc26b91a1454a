"""The matching engine's message codes read as sentences, in Vietnamese and in English (civicdesk.community.reasons)."""

import pytest
from django.utils import translation

from civicdesk.community.matching import EXCLUSION_CODES, MESSAGE_CODES
from civicdesk.community.reasons import CODES, COUNTED_CODES, render

EXAMPLE_PARAMS = {
    "language": "kpm",
    "level": 3,
    "min_level": 3,
    "dialect": "Lạch",
    "requested": "Srê",
    "km": 3.2,
    "max_km": 40.0,
    "count": 2,
    "capacity": 5,
    "booked": 2,
    "date": "2026-03-02",
    "slot": "am",
    "candidates": 4,
}

VIETNAMESE = {
    "speaks": "Nói tiếng K'Ho (Cơ Ho) mức 3/5",
    "level_not_assessed": "Nói tiếng K'Ho (Cơ Ho), chưa đánh giá trình độ (tạm tính mức 3/5)",
    "dialect_match": "Đúng phương ngữ Lạch",
    "dialect_differs": "Nói phương ngữ Lạch (đề nghị: Srê)",
    "certified": "Có chứng chỉ tiếng dân tộc thiểu số",
    "distance": "Cách nơi hẹn 3,2 km",
    "distance_unknown": "Chưa rõ khoảng cách (thiếu tọa độ nơi ở hoặc nơi hẹn)",
    "workload": "Tuần này đã có 2 chuyến (tối đa 5)",
    "slot": "Rảnh buổi sáng ngày 02/03/2026",
    "no_language": "Không nói tiếng K'Ho (Cơ Ho)",
    "level_too_low": "Tiếng K'Ho (Cơ Ho) mới ở mức 3/5, cần mức 3",
    "declined": "Đã từ chối chuyến này",
    "too_far": "Cách nơi hẹn 3,2 km, xa hơn giới hạn 40,0 km",
    "unavailable": "Nghỉ hoặc bận cả ngày 02/03/2026",
    "busy": "Đã có chuyến khác vào buổi đề nghị ngày 02/03/2026",
    "off_slot": "Không đi được vào buổi đề nghị ngày 02/03/2026",
    "day_full": "Ngày 02/03/2026 đã đủ 2/5 chuyến",
    "week_full": "Tuần này đã đủ 2/5 chuyến",
    "unserved_no_speaker": "Không ai nói tiếng K'Ho (Cơ Ho) (từ mức 3) trong phạm vi 40,0 km",
    "unserved_busy": "Những người nói tiếng K'Ho (Cơ Ho) trong phạm vi đều bận, nghỉ hoặc đã từ chối ngày 02/03/2026",
    "unserved_capacity": "4 người nói tiếng K'Ho (Cơ Ho) đi được, nhưng đã được xếp cho đề nghị khác trong tuần",
}


def example(code):
    return {"code": code, "params": {name: EXAMPLE_PARAMS[name] for name in MESSAGE_CODES[code]}}


def test_every_engine_code_has_a_sentence():
    assert set(MESSAGE_CODES) <= CODES
    assert set(VIETNAMESE) == set(MESSAGE_CODES)
    assert set(EXCLUSION_CODES) <= COUNTED_CODES


@pytest.mark.parametrize("code", sorted(MESSAGE_CODES))
def test_every_code_reads_in_vietnamese_and_in_english(code):
    with translation.override("vi"):
        assert render(example(code)) == VIETNAMESE[code]
    with translation.override("en"):
        text = render(example(code))
        assert text and "%(" not in text and code not in text


@pytest.mark.parametrize("code", sorted(EXCLUSION_CODES))
def test_exclusions_read_counted(code):
    with translation.override("vi"):
        text = render({"code": code, "params": {"count": 3}})
        assert text.startswith("3 người ")
    with translation.override("en"):
        for n in (1, 3):
            text = render({"code": code, "params": {"count": n}})
            assert str(n) in text and "%(" not in text


def test_the_slot_the_dialect_and_the_decimal_mark_follow_the_language():
    with translation.override("vi"):
        assert render({"code": "slot", "params": {"date": "2026-03-03", "slot": "pm"}}) == (
            "Rảnh buổi chiều ngày 03/03/2026"
        )
        assert render({"code": "dialect_differs", "params": {"requested": "Srê", "dialect": ""}}) == (
            "Chưa ghi phương ngữ (đề nghị: Srê)"
        )
        assert render({"code": "distance", "params": {"km": 12}}) == "Cách nơi hẹn 12,0 km"
    with translation.override("en"):
        assert "3.2" in render({"code": "distance", "params": {"km": 3.2}})


def test_an_unknown_language_code_is_named_by_iso_or_shown_as_it_is():
    with translation.override("vi"):
        assert render({"code": "no_language", "params": {"language": "fra"}}) == "Không nói tiếng French"
        assert render({"code": "no_language", "params": {"language": "zzz"}}) == "Không nói tiếng zzz"


def test_an_unknown_code_or_params_are_shown_rather_than_breaking_the_page():
    assert render({"code": "from_a_newer_version", "params": {"n": 2}}) == 'from_a_newer_version {"n": 2}'
    assert render({"code": "distance", "params": {}}) == "distance {}"
    assert render("Một câu đã lưu sẵn") == "Một câu đã lưu sẵn"

"""Place names in a question are where the asker is, not what they ask about (engine/places.py)."""

import re

import pytest
from vietnam_provinces import Province, Ward

from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine.index import Index
from civicdesk.assistant.engine.normalize import syllables
from civicdesk.assistant.engine.places import place_positions
from civicdesk.assistant.engine.query import analyse

pytestmark = pytest.mark.clock_free


def _places(question):
    raw = syllables(question)
    return [raw[i] for i in sorted(place_positions(raw))]


@pytest.mark.parametrize(
    "question, places",
    [
        ("Tôi ở Bảo Lộc, muốn làm tạm trú", ["bảo", "lộc"]),
        ("toi o bao loc muon lam tam tru", ["bao", "loc"]),  # typed without diacritics
        ("quê ở Khánh Hoà, nay lên Đà Lạt", ["khánh", "hoà", "đà", "lạt"]),  # the old tone placement too
        ("I live in Ho Chi Minh City and my parents in Lâm Đồng", ["ho", "chi", "minh", "lâm", "đồng"]),
        ("trung tâm phục vụ hành chính công", []),  # a ward is named "Trung Tâm" elsewhere: not listed
        ("la gi vay", []),  # "La Gi" folds to "là gì": matched only with its diacritics
        ("thị xã La Gì", []),
        ("bao lộc", ["bao", "lộc"]),  # half typed with diacritics: those must be the name's
        ("bao lốc", []),
    ],
)
def test_place_names_are_found_as_typed(question, places):
    assert _places(question) == places


def test_a_place_is_not_a_topic_of_the_question():
    index = Index.build(seed_docs())
    analysis = analyse("Tôi lên Bảo Lộc thuê trọ, có phải khai báo tạm trú không", index)
    labels = [c.label for c in analysis.concepts]
    assert "loc" not in labels and labels.count("bao") == 1  # "báo" of "khai báo" stays
    assert {"thue", "tro", "tam", "tru"} <= set(labels)


def test_every_commune_level_unit_of_lam_dong_is_a_place():
    def name(ward):
        return re.sub(r"^(Xã|Phường|Đặc khu)\s+", "", ward.name)

    province = next(p for p in Province.iter_all() if int(p.code) == 68)
    for ward in Ward.iter_by_province(province.code):
        for part in name(ward).split(" - "):
            part = re.sub(r"\s+\d+$", "", part)
            if (
                len(syllables(part)) >= 2 and part != "La Gi"
            ):  # "là gì": only with diacritics, and it has none
                assert _places(part.lower()), part

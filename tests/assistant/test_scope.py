"""Out-of-domain cues veto an answer unless the record speaks of them; a clarification offers the close records."""

from types import SimpleNamespace

from civicdesk.assistant.engine.decide import choices_for
from civicdesk.assistant.engine.normalize import fold, syllables
from civicdesk.assistant.engine.scope import cues_in, unsupported_cues
from civicdesk.assistant.respond import clarify_parts


def _tokens(text):
    return [fold(t) for t in syllables(text)]


def _doc(doc_id, title, text="", kind="procedure", summary="", keywords=()):
    return SimpleNamespace(
        id=doc_id, title=title, text=text, kind=kind, summary=summary, keywords=list(keywords)
    )


def test_fortune_telling_and_prices_are_cues_but_ages_and_losses_are_not():
    assert cues_in(_tokens("hợp tuổi Tý có nên xây nhà năm nay"))
    assert cues_in(_tokens("gia vang hom nay"))
    assert not cues_in(_tokens("bà nội 85 tuổi có được trợ cấp không"))
    assert not cues_in(_tokens("bồi thường khi thu hồi đất"))  # "bồi" folds like "bói": not a cue on its own


def test_a_cue_the_record_itself_uses_is_no_evidence_against_it():
    permit = _doc("procedure:XD-001", "Cấp giấy phép xây dựng", "Hồ sơ đề nghị cấp giấy phép xây dựng nhà ở.")
    assert unsupported_cues(_tokens("hợp tuổi Tý có nên xây nhà"), permit)
    weather = _doc(
        "guide:x", "Phòng chống thiên tai", summary="Theo dõi dự báo thời tiết để sơ tán kịp thời."
    )
    assert not unsupported_cues(_tokens("dự báo thời tiết sơ tán"), weather)


def test_a_cue_mentioned_in_passing_does_not_make_the_record_the_answer():
    shop = _doc("procedure:HKD-001", "Đăng ký thành lập hộ kinh doanh", summary="Đăng ký hộ kinh doanh tại xã.",
                text="Hộ kinh doanh cho thuê nhà không cần ghi giá thuê vào giấy đề nghị.")  # fmt: skip
    assert unsupported_cues(_tokens("giá thuê nhà ở Đà Lạt bao nhiêu"), shop)


def test_an_out_of_domain_question_sharing_words_with_a_record_is_refused():
    from civicdesk.assistant.corpus import seed_docs
    from civicdesk.assistant.engine.index import Index
    from civicdesk.assistant.respond import respond

    index = Index.build(seed_docs())
    assert respond("xin giấy phép xây nhà ở", use_llm=False, index=index).answered
    assert not respond("hợp tuổi Tý có nên xây nhà năm nay", use_llm=False, index=index).answered


def test_a_clarification_offers_two_records_or_three_when_the_third_is_close():
    a = SimpleNamespace(doc=_doc("procedure:A", "Thủ tục A"), score=10.0)
    b = SimpleNamespace(doc=_doc("procedure:B", "Thủ tục B"), score=9.9)
    near = SimpleNamespace(doc=_doc("faq:c", "Hỏi đáp C", kind="faq"), score=6.0)
    far = SimpleNamespace(doc=_doc("guide:d", "Hướng dẫn D", kind="guide"), score=4.0)
    assert choices_for([a, b, near]) == 3 and choices_for([a, b, far]) == 2 and choices_for([a]) == 1
    sources = [{"id": "procedure:A", "title": "Thủ tục A", "kind": "procedure", "url": "/a/", "summary": "Tóm tắt A."},
               {"id": "faq:c", "title": "Hỏi đáp C", "kind": "faq", "url": "/c/", "summary": "Tóm tắt C."}]  # fmt: skip
    (part,) = clarify_parts(sources)
    assert [c["n"] for c in part["choices"]] == [1, 2] and part["choices"][1]["id"] == "faq:c"
    assert part["items"] == ["[1] Thủ tục: Thủ tục A — Tóm tắt A.", "[2] Hỏi đáp: Hỏi đáp C — Tóm tắt C."]


def test_salary_tax_traffic_and_travel_are_cues():
    assert cues_in(_tokens("cách tính thuế thu nhập cá nhân khi đi làm công ty"))
    assert cues_in(_tokens("bị phạt nguội vượt đèn đỏ thì nộp ở đâu"))
    assert cues_in(_tokens("làm hộ chiếu đi du lịch"))
    assert not cues_in(_tokens("đăng ký thuế cho hộ kinh doanh"))


def test_small_talk_is_refused_as_off_topic_without_misleading_records():
    from civicdesk.assistant.corpus import seed_docs
    from civicdesk.assistant.engine.index import Index
    from civicdesk.assistant.respond import SCOPE_HINT, respond

    index = Index.build(seed_docs())
    for question in ("chào bạn, bạn tên gì vậy", "are you a robot?", "mới chia tay người yêu buồn quá"):
        response = respond(question, use_llm=False, index=index)
        assert response.mode == "refuse", question
        assert response.sources == [] and response.topic == "", question
        assert str(SCOPE_HINT) in response.answer, question
    # A greeting in front of a real question changes nothing; a question merely refused keeps its nearest records.
    greeted = respond("Chào bạn, cho mình hỏi làm giấy khai sinh cho con cần gì", use_llm=False, index=index)
    assert greeted.answered and greeted.sources[0]["id"] == "procedure:HT-001"
    near = respond("đăng ký tàu cá ở đâu", use_llm=False, index=index)  # no cue: public business, no record
    assert near.mode == "refuse" and near.sources and "Các mục gần nhất" in near.answer
    assert str(SCOPE_HINT) not in near.answer
    # Nothing near at all: the same sentence as the page shows.
    nothing = respond("xyzzy qwv", use_llm=False, index=index)
    assert nothing.mode == "refuse" and not nothing.sources and str(SCOPE_HINT) in nothing.answer


def test_divorce_is_court_business_unless_a_record_speaks_of_it():
    assert cues_in(_tokens("vợ chồng muốn ly hôn thuận tình nộp đơn ở đâu"))
    recording = _doc("procedure:HT-016", "Ghi vào Sổ hộ tịch việc ly hôn đã được giải quyết ở nước ngoài")
    assert not unsupported_cues(_tokens("ghi vào sổ việc ly hôn ở nước ngoài"), recording)


def test_an_english_cue_matches_its_plural_and_a_repair_shop_is_no_repair_question():
    assert cues_in(_tokens("where do we renew our temporary residence cards"))
    assert cues_in(_tokens("renew my temporary residence card"))
    assert not cues_in(_tokens("tiệm sửa xe của tôi dời địa điểm có phải đăng ký lại hộ kinh doanh"))
    assert cues_in(_tokens("xe bị hư sửa ở đâu rẻ"))
    assert cues_in(_tokens("lệ phí cấp phép chính xác là bao nhiêu tiền"))

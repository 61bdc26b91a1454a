"""Turning a reply into a handbook FAQ draft: the pre-filled answer leaves out greetings, sign-offs, signatures and
the names of the people involved; the draft is not sent for review unless the expert ticks the box."""

import lxml.html
import pytest
from django.core.exceptions import ValidationError

from civicdesk.handbook.models import Faq
from civicdesk.hotline import services
from civicdesk.hotline.services.knowledge import default_answer, default_question

REPLY = """Chào chị Alice,

Kính gửi UBND Xã Di Linh.

Trẻ có cha là người nước ngoài được đăng ký khai sinh tại UBND cấp xã nơi cư trú của người mẹ. Chị Alice đối chiếu
thành phần hồ sơ theo thủ tục trong Cẩm nang.

Trân trọng,
Lê Pháp
Chuyên viên Sở Tư pháp, ĐT 0263 3822 111"""


@pytest.fixture
def answered(ticket, phap):
    services.reply(phap, ticket, REPLY)
    services.reply(
        phap, ticket, "Xin chào anh/chị!\nNếu người cha có mặt thì kết hợp nhận cha con.\nThân ái."
    )
    services.resolve(phap, ticket)
    return ticket


def _faq_form(client, ticket):
    doc = lxml.html.fromstring(client.get(f"/hotline/{ticket.pk}/").content.decode())
    return next(f for f in doc.forms if f.get("action", "").endswith("/faq/"))


def test_the_draft_answer_has_no_greeting_sign_off_signature_or_name(client_for, answered, phap):
    form = _faq_form(client_for(phap), answered)
    answer = form.xpath('.//textarea[@name="answer"]')[0].text.strip()
    assert answer.startswith("Trẻ có cha là người nước ngoài được đăng ký khai sinh")
    assert "Anh/chị đối chiếu" in answer and answer.rstrip().endswith("kết hợp nhận cha con.")
    for left_out in (
        "Chào",
        "Kính gửi",
        "Xin chào",
        "Trân trọng",
        "Thân ái",
        "Lê Pháp",
        "Alice",
        "0263",
        "Chuyên viên",
    ):
        assert left_out not in answer, left_out


def test_the_draft_is_not_sent_for_review_unless_ticked(client_for, answered, phap):
    client = client_for(phap)
    form = _faq_form(client, answered)
    assert not form.xpath('.//input[@name="submit"][@checked]')
    response = client.post(
        f"/hotline/{answered.pk}/faq/",
        {"question": "Khai sinh khi cha là người nước ngoài?", "answer": "Tại xã."},
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.faq.status == Faq.Status.DRAFT


def test_the_service_keeps_a_draft_by_default(answered, phap):
    faq = services.create_faq_from_ticket(phap, answered, question="Khai sinh ở đâu?", answer="Tại xã.")
    assert faq.status == Faq.Status.DRAFT


def test_a_draft_naming_the_people_involved_is_refused_in_place(client_for, answered, phap):
    response = client_for(phap).post(
        f"/hotline/{answered.pk}/faq/",
        {"question": "Khai sinh ở đâu?", "answer": "Như đã trả lời K'Brơi Alice: tại xã. Lê Pháp"},
    )
    assert response.status_code == 400
    form = next(
        f
        for f in lxml.html.fromstring(response.content.decode()).forms
        if f.get("action", "").endswith("/faq/")
    )
    assert "K'Brơi Alice" in form.text_content() and "Lê Pháp" in form.text_content()
    answered.refresh_from_db()
    assert answered.faq is None
    with pytest.raises(ValidationError):
        services.create_faq_from_ticket(phap, answered, question="Anh Lê Pháp trả lời gì?", answer="Tại xã.")


def test_a_plain_reply_is_kept_as_it_is(ticket, phap):
    services.reply(phap, ticket, "Thủ tục do UBND xã thực hiện.\n\nThời hạn 3 ngày làm việc.")
    assert default_answer(ticket) == "Thủ tục do UBND xã thực hiện.\n\nThời hạn 3 ngày làm việc."


def test_the_draft_question_has_no_name(ticket, alice):
    ticket.title = "K'Brơi Alice hỏi: khai sinh cho trẻ có cha là người nước ngoài?"
    assert default_question(ticket) == "Anh/chị hỏi: khai sinh cho trẻ có cha là người nước ngoài?"


def test_a_phone_caller_named_with_a_title_is_left_out(client_for, routing, quan, di_linh, phap):
    ticket = services.create_ticket(
        quan, commune=di_linh, caller_name="Bà Ka Huệ", title="Chứng thực", body="Gọi hỏi", field=None
    )
    services.transfer(quan, ticket, routing["tu_phap"], reason="Hộ tịch")
    ticket.refresh_from_db()
    services.reply(ticket.assignee, ticket, "Thưa bà Ka Huệ, xã chứng thực được.\nCảm ơn bà Huệ.")
    assert default_answer(ticket) == "Xã chứng thực được."

"""Issue 12: "which one do you mean" with a one-click full answer, answers that read well (Markdown rendered, no
field names, one "Nguồn", kinds in the reader's language, long answers folded), a thumbs-down that reaches the
hotline in the same place, and a conversation list that shows the last question and its date."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicdesk.assistant import respond
from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine import decide
from civicdesk.assistant.engine.compose import compose, plain, render_text
from civicdesk.assistant.models import Conversation, Turn
from civicdesk.hotline.models import Ticket

CHAT = "/assistant/"


@pytest.fixture
def clarifying(monkeypatch):
    """Whatever the question, the decision asks which of the first two records is meant."""
    monkeypatch.setattr(respond, "decide", lambda *args, **kwargs: decide.Decision("clarify", 0.9, 0.4, 2))


def _ask(client, question):
    client.post(CHAT, {"q": question})
    return Turn.objects.latest("pk")


def test_a_clarification_offers_the_records_in_rank_order_and_the_json_says_so(handbook, clarifying):
    out = StringIO()
    call_command("ask", "làm giấy khai sinh cho con", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["answered"] is True and body["mode"] == "clarify"
    assert len(body["sources"]) == 2 and body["sources"][0]["id"] == "procedure:HT-001"
    assert body["answer"].startswith("Có phải anh/chị hỏi về")


def test_one_click_on_a_choice_gives_the_full_answer_from_that_record(
    handbook, clarifying, alice, client_for
):
    client = client_for(alice)
    turn = _ask(client, "làm giấy khai sinh cho con")
    page = client.get(f"{CHAT}?c={turn.conversation_id}").content.decode()
    assert "Có phải anh/chị hỏi về" in page and "Xem câu trả lời đầy đủ" in page
    assert "Giấy chứng sinh" not in page  # not composed yet
    first = turn.sources[0]["id"]
    swapped = client.post(f"/assistant/turns/{turn.pk}/choose/", {"record": first}, HTTP_HX_REQUEST="true")
    html = swapped.content.decode()
    assert swapped.status_code == 200 and "<html" not in html
    assert "Giấy chứng sinh" in html and "Câu trả lời theo mục anh/chị đã chọn" in html
    turn.refresh_from_db()
    assert turn.chosen == first and turn.mode == "clarify" and "Giấy chứng sinh" in turn.answer
    # A fresh reload shows the same state.
    assert "Giấy chứng sinh" in client.get(f"{CHAT}?c={turn.conversation_id}").content.decode()


def test_only_an_offered_record_and_only_the_asker(handbook, clarifying, alice, charlie, client_for):
    turn = _ask(client_for(alice), "làm giấy khai sinh cho con")
    client_for(alice).post(f"/assistant/turns/{turn.pk}/choose/", {"record": "procedure:HT-015"})
    turn.refresh_from_db()
    assert turn.chosen == ""  # HT-015 was not among the choices
    assert (
        client_for(charlie)
        .post(f"/assistant/turns/{turn.pk}/choose/", {"record": turn.sources[0]["id"]})
        .status_code
        == 404
    )
    turn.refresh_from_db()
    assert turn.chosen == ""


def test_the_public_page_chooses_only_for_its_own_browser(handbook, clarifying, client):
    client.post("/assistant/public/", {"q": "làm giấy khai sinh cho con"})
    turn = Turn.objects.get()
    record = turn.sources[0]["id"]
    response = client.post(f"/assistant/public/turns/{turn.pk}/choose/", {"record": record}, follow=True)
    assert "Giấy chứng sinh" in response.content.decode()
    from django.test import Client

    assert Client().post(f"/assistant/public/turns/{turn.pk}/choose/", {"record": record}).status_code == 403


@pytest.fixture
def answering(monkeypatch):
    """Whatever the question, the decision answers from the first record."""
    monkeypatch.setattr(respond, "decide", lambda *args, **kwargs: decide.Decision("answer", 0.99, 0.99))


def test_faq_markdown_is_rendered_and_kinds_are_in_the_readers_language(
    handbook, answering, alice, client_for
):
    faq = handbook["faq"]
    faq.answer = "**Không bị phạt** khi đăng ký quá hạn; xem [trang dịch vụ công](https://dichvucong.gov.vn)."
    faq.save()
    client = client_for(alice)
    turn = _ask(client, "Đăng ký khai sinh quá hạn có bị phạt không?")
    assert turn.sources[0]["kind"] == "faq"
    page = client.get(f"{CHAT}?c={turn.conversation_id}").content.decode()
    article = page[page.index(f'id="turn-{turn.pk}"') :]
    assert "<strong>Không bị phạt</strong>" in article and "**" not in article
    assert 'href="https://dichvucong.gov.vn"' in article
    assert "Hỏi đáp</span>" in article and ">faq<" not in article and ">procedure<" not in article
    assert article.count(">Nguồn<") == 1
    assert "**" not in turn.answer  # the plain text (API, CLI, hotline body) carries no marks either


def test_plain_text_answers_carry_no_markdown_marks():
    assert plain("**Đậm** và `mã` — [cổng](https://dichvucong.gov.vn)\n## Mục") == (
        "Đậm và mã — cổng (https://dichvucong.gov.vn)\nMục"
    )
    parts = [{"label": "Trả lời", "text": "**Không** phạt", "markdown": True}]
    assert render_text(parts, []) == "Trả lời: Không phạt"


def test_no_answer_from_the_seed_corpus_shows_an_internal_field_name():
    names = re.compile(r"\b(fee_amount|fee_text|processing_days|processing_text|online_level|online_url|legal_basis"
                       r"|national_code|needs_verification|verification_note|related_procedures)\b")  # fmt: skip
    for doc in seed_docs():
        text = render_text(compose(doc, "cần gì bao lâu bao nhiêu tiền ở đâu"), [])
        assert not names.search(text), (doc.id, names.search(text).group(0))


def test_a_long_procedure_answer_folds_behind_xem_day_du(handbook, alice, client_for):
    doc = next(d for d in seed_docs() if d.id == "procedure:HT-001")
    parts = compose(doc, "làm giấy khai sinh cần giấy tờ gì")
    shown = [p.get("key") for p in parts if not p.get("more")]
    folded = [p.get("key") for p in parts if p.get("more")]
    assert "documents" in shown and "where" in shown
    assert "steps" in folded and "legal" in folded
    fee = compose(doc, "làm giấy khai sinh hết bao nhiêu tiền")
    assert not next(p for p in fee if p.get("key") == "fee").get("more")  # asked about: shown at once


def test_a_thumbs_down_offers_the_hotline_in_place_prefilled(handbook, alice, client_for):
    client = client_for(alice)
    turn = _ask(client, "làm giấy khai sinh cho con cần gì")
    done = client.post(
        f"/assistant/turns/{turn.pk}/feedback/",
        {"helpful": "0", "reasons": ["incomplete"]},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    link = f"/hotline/new/?turn={turn.pk}"
    assert f'hx-get="{link}"' in done
    form = client.get(link, HTTP_HX_REQUEST="true")
    html = form.content.decode()
    assert form.status_code == 200 and "<html" not in html and "Gửi đường dây nóng" in html
    initial = form.context["form"].initial
    assert initial["title"] == turn.question
    assert "Trợ lý cẩm nang đã trả lời" in initial["body"] and turn.question in initial["body"]
    assert initial["field"] is not None and initial["field"].name == "Hộ tịch"  # from the cited record
    # One click sends it.
    data = {"title": initial["title"], "body": initial["body"], "field": initial["field"].pk, "urgency": "normal",
            "conversation": ""}  # fmt: skip
    sent = client.post("/hotline/new/", data, HTTP_HX_REQUEST="true")
    ticket = Ticket.objects.get()
    assert sent.status_code == 200 and ticket.reference in sent.content.decode()
    assert ticket.field.name == "Hộ tịch" and "Trợ lý cẩm nang đã trả lời" in ticket.body


def test_a_helpful_rating_offers_nothing_and_a_non_commune_user_gets_no_escalation(
    handbook, alice, phap, client_for
):
    turn = _ask(client_for(alice), "làm giấy khai sinh cho con cần gì")
    done = (
        client_for(alice)
        .post(f"/assistant/turns/{turn.pk}/feedback/", {"helpful": "1"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "/hotline/new/" not in done
    expert_turn = _ask(client_for(phap), "Giá vàng hôm nay bao nhiêu?")
    page = client_for(phap).get(f"{CHAT}?c={expert_turn.conversation_id}").content.decode()
    assert "/hotline/new/" not in page  # experts answer the hotline; they do not file to it


def test_someone_elses_turn_prefills_nothing(handbook, alice, client_for):
    from tests.factories import UserFactory

    other = UserFactory(username="bob", role="commune_officer", commune=alice.commune)
    turn = _ask(client_for(other), "làm giấy khai sinh cho con cần gì")
    form = client_for(alice).get(f"/hotline/new/?turn={turn.pk}")
    assert form.context["form"].initial["title"] == ""


def test_every_escalation_guesses_the_field(handbook, alice, client_for):
    form = client_for(alice).get("/hotline/new/", {"question": "đăng ký khai sinh cho con thế nào"})
    assert form.context["form"].initial["field"].name == "Hộ tịch"


def test_the_conversation_list_shows_the_last_question_and_the_date(handbook, alice, client_for):
    client = client_for(alice)
    first = _ask(client, "làm giấy khai sinh cho con cần gì")
    client.post(CHAT, {"q": "giấy độc thân", "conversation": first.conversation_id})
    page = client.get(CHAT).content.decode()
    history = page[page.index('class="assistant-history"') :]
    assert "giấy độc thân" in history and "2 câu hỏi" in history
    conversation = Conversation.objects.get()
    assert f"{timezone.localtime(conversation.updated_at):%d/%m/%Y %H:%M}" in history


def test_a_choices_one_line_summary_is_plain_text():
    faq = next(d for d in seed_docs() if d.id == "faq:faq-khai-sinh-qua-han-co-bi-phat-khong")
    line = respond.one_line(faq)
    assert line and "**" not in line and not line.startswith("-")
    assert len(line) <= 245


def test_an_empty_question_sent_with_htmx_shows_its_error_in_place(alice, client_for, db):
    response = client_for(alice).post(CHAT, {"q": "   "}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx: a 400 would show nothing
    assert response["HX-Retarget"] == "#ask-form" and response["HX-Reswap"] == "outerHTML"
    assert 'id="ask-form"' in html and "Hãy nhập câu hỏi." in html


def test_a_refused_question_keeps_what_was_typed(alice, client_for, db):
    html = (
        client_for(alice).post(CHAT, {"q": "khai sinh\x0bcho con"}, HTTP_HX_REQUEST="true").content.decode()
    )
    assert "ký tự điều khiển" in html and "khai sinh" in html


def test_no_page_of_the_assistant_needs_inline_script(alice, client_for, db):
    for url in (CHAT, "/assistant/public/"):
        html = client_for(alice).get(url).content.decode()
        assert "hx-on" not in html and "onclick=" not in html

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from civicdesk.assistant.models import Conversation, Feedback, Turn

CHAT = "/assistant/"
BIRTH = "làm giấy khai sinh cho con cần gì"


def test_the_chat_page_requires_login(client):
    response = client.get(CHAT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_alice_asks_the_birth_question_and_gets_the_cited_answer(handbook, alice, client_for):
    client = client_for(alice)
    response = client.post(CHAT, {"q": BIRTH})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    turn = Turn.objects.get()
    assert turn.answered and turn.conversation.user == alice
    assert turn.sources[0]["title"] == "Đăng ký khai sinh"
    assert f'href="{turn.sources[0]["url"]}"' in html


def test_asking_with_htmx_returns_the_turn_and_the_conversation_id(handbook, alice, client_for):
    response = client_for(alice).post(CHAT, {"q": BIRTH}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>" not in html
    conversation = Conversation.objects.get()
    assert f'id="conv-id" value="{conversation.pk}" hx-swap-oob="true"' in html
    client_for(alice).post(
        CHAT, {"q": "giấy độc thân", "conversation": conversation.pk}, HTTP_HX_REQUEST="true"
    )
    assert conversation.turns.count() == 2


def test_an_out_of_scope_question_is_refused_and_can_go_to_the_hotline(handbook, alice, client_for):
    client = client_for(alice)
    page = client.get(client.post(CHAT, {"q": "Giá vàng hôm nay bao nhiêu?"})["Location"])
    html = page.content.decode()
    assert "Không tìm thấy câu trả lời trong cẩm nang." in html
    turn = Turn.objects.get()
    assert not turn.answered
    link = page.context["turns"][0].hotline_link
    assert link.startswith("/hotline/new/?")
    query = parse_qs(urlparse(link).query)
    assert query == {"turn": [str(turn.pk)]}  # the hotline pre-fills from the turn itself
    assert link in html


def test_an_empty_question_keeps_the_page_with_a_vietnamese_error(handbook, alice, client_for):
    response = client_for(alice).post(CHAT, {"q": "   "})
    assert response.status_code == 400
    assert "Hãy nhập câu hỏi." in response.content.decode()


def test_charlie_cannot_open_or_continue_alices_conversation(handbook, alice, charlie, client_for):
    client_for(alice).post(CHAT, {"q": BIRTH})
    conversation = Conversation.objects.get()
    client = client_for(charlie)
    assert client.get(f"{CHAT}?c={conversation.pk}").status_code == 404
    assert client.post(CHAT, {"q": "khai sinh", "conversation": conversation.pk}).status_code == 404
    assert alice.full_name not in client.get(CHAT).content.decode()


def test_alice_rates_her_answer_and_charlie_cannot(handbook, alice, charlie, client_for):
    client_for(alice).post(CHAT, {"q": BIRTH})
    turn = Turn.objects.get()
    url = reverse("assistant:feedback", args=[turn.pk])
    assert client_for(charlie).post(url, {"helpful": "0", "reasons": ["wrong"]}).status_code == 404
    response = client_for(alice).post(
        url, {"helpful": "0", "reasons": ["incomplete", "too_long"]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.helpful, feedback.reasons) == (alice, False, ["incomplete", "too_long"])
    bad = client_for(alice).post(url, {"helpful": "0", "reasons": ["boring"]})
    assert bad.status_code == 400


def test_the_public_page_answers_without_login_and_offers_no_hotline(handbook, client):
    page = client.get("/assistant/public/")
    assert page.status_code == 200
    response = client.post("/assistant/public/", {"q": "khai sanh cho con"})
    html = response.content.decode()
    assert "Đăng ký khai sinh" in html and "/hotline/new/" not in html
    refused = client.post("/assistant/public/", {"q": "Giá vàng hôm nay bao nhiêu?"}).content.decode()
    assert "Không tìm thấy câu trả lời trong cẩm nang." in refused and "/hotline/new/" not in refused
    assert Turn.objects.filter(channel=Turn.Channel.PUBLIC, user=None).count() == 2


def test_public_feedback_only_for_questions_asked_in_this_browser(handbook, client, django_user_model):
    client.post("/assistant/public/", {"q": "khai sanh cho con"})
    turn = Turn.objects.get()
    other = Turn.objects.create(question="khác", channel=Turn.Channel.PUBLIC)
    assert (
        client.post(reverse("assistant:public_feedback", args=[turn.pk]), {"helpful": "1"}).status_code == 302
    )
    assert (
        client.post(reverse("assistant:public_feedback", args=[other.pk]), {"helpful": "1"}).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["alice", "linh", "charlie", "noi"])
def test_the_gaps_page_is_for_editors_only(handbook, who, request, client_for):
    assert client_for(request.getfixturevalue(who)).get("/assistant/gaps/").status_code == 403


def test_editors_see_unanswered_and_badly_rated_questions_by_topic(handbook, alice, quan, phap, client_for):
    client = client_for(alice)
    client.post(CHAT, {"q": "Giá vàng hôm nay bao nhiêu?"})
    client.post(CHAT, {"q": BIRTH})
    answered = Turn.objects.get(answered=True)
    client.post(reverse("assistant:feedback", args=[answered.pk]), {"helpful": "0", "reasons": ["outdated"]})
    client.post(CHAT, {"q": "giấy độc thân"})  # answered, not rated: not a gap
    for editor in (quan, phap):
        page = client_for(editor).get("/assistant/gaps/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "Giá vàng hôm nay bao nhiêu?" in html and BIRTH in html and "giấy độc thân" not in html
        topics = {g["topic"] for g in page.context["groups"]}
        assert "Hộ tịch" in topics
    partial = client_for(quan).get("/assistant/gaps/?days=7", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<h1>" not in partial.content.decode()


def test_editors_start_a_rebuild_job_and_officers_cannot(handbook, alice, quan, client_for):
    assert client_for(alice).post("/assistant/rebuild/").status_code == 403
    response = client_for(quan).post("/assistant/rebuild/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_home_has_the_question_box(handbook, alice, client_for):
    html = client_for(alice).get("/").content.decode()
    assert 'action="/assistant/"' in html and "Trợ lý" in html


def test_small_talk_is_refused_with_what_the_assistant_answers_not_near_records(handbook, alice, client_for):
    client = client_for(alice)
    page = client.get(client.post(CHAT, {"q": "chào bạn, bạn tên gì vậy"})["Location"])
    html = page.content.decode()
    assert "Không tìm thấy câu trả lời trong cẩm nang." in html
    assert "Trợ lý chỉ trả lời từ cẩm nang" in html
    assert "Các mục gần nhất" not in html

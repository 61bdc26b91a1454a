"""Issue 4 — Assistant. "Done when": dilinh.canbo asks the chat page "làm giấy khai sinh cho con cần gì" and gets the
birth-registration answer with its citation; an out-of-scope question is refused and can be sent to the hotline; the
eval command reaches the targets; the CLI batch format and the API have the documented shapes."""

import json
from io import StringIO
from urllib.parse import parse_qs, urlparse

import lxml.html
import pytest
from django.core.management import call_command

from tests.factories import SYSTEM

from .conftest import html, submit


def _ask(client, question):
    page = client.get("/assistant/")
    assert page.status_code == 200
    response = submit(client, page, {"q": question}, contains="q")
    assert response.status_code == 200, html(response)[:2000]
    return response


def _last_turn(response):
    doc = lxml.html.fromstring(html(response))
    turns = doc.xpath('//article[contains(@class, "assistant-turn")]')
    assert turns, "no answer on the chat page"
    return turns[-1]


def _cited(turn):
    """The records a turn offers, in rank order: its sources, or the choices of a clarification."""
    links = [
        a.get("href").rstrip("/").rsplit("/", 1)[-1]
        for a in turn.xpath('.//ol[contains(@class, "assistant-sources")]//a')
    ]
    choices = [
        i.get("value").split(":", 1)[-1]
        for i in turn.xpath('.//ol[contains(@class, "assistant-choices")]//input[@name="record"]')
    ]
    return links or choices


def _open_full_answer(client, response, record_code):
    """An answer, or — when the assistant asked which record is meant — a click on `record_code`'s choice."""
    turn = _last_turn(response)
    choices = turn.xpath('.//form[contains(@class, "assistant-choice")]')
    if not choices:
        return response
    chosen = [f for f in choices if f.xpath('.//input[@name="record"]')[0].get("value").endswith(record_code)]
    assert chosen, f"{record_code} is not among the choices"
    return submit(client, response, action=chosen[0].get("action").split("/assistant", 1)[-1])


def test_birth_registration_answer_with_citation(login_as):
    client = login_as("dilinh.canbo")
    response = _ask(client, "làm giấy khai sinh cho con cần gì")
    text = _last_turn(response).text_content()
    assert "làm giấy khai sinh cho con cần gì" in text
    assert "Không tìm thấy câu trả lời" not in text
    response = _open_full_answer(client, response, "HT-001")
    turn = _last_turn(response)
    text = turn.text_content()
    sources = turn.xpath('.//ol[contains(@class, "assistant-sources")]//a')
    assert sources, "the answer cites no source"
    first = sources[0]
    assert first.get("href").rstrip("/").endswith("/HT-001"), [s.get("href") for s in sources]
    assert "Đăng ký khai sinh" in first.text_content()
    # the structured answer: documents to bring (from the record's components)
    assert "Giấy chứng sinh" in text or "giấy chứng sinh" in text
    # the citation link opens the handbook page
    assert client.get(first.get("href")).status_code == 200


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("khai sanh cho con", "HT-001"),
        ("lam giay khai sinh cho con can gi", "HT-001"),
        ("giấy độc thân", "HT-015"),
        ("nhập hộ khẩu cho vợ", "CTR-001"),
        ("đăng ký kết hôn cần giấy tờ gì", "HT-005"),
    ],
)
def test_everyday_words_find_the_procedure(login_as, question, code):
    client = login_as("dilinh.canbo")
    turn = _last_turn(_ask(client, question))
    cited = _cited(turn)[:3]
    assert code in cited, (question, cited)


def test_out_of_scope_is_refused_and_goes_to_the_hotline_prefilled(login_as):
    from civicdesk.hotline.models import Ticket

    client = login_as("dilinh.canbo")
    response = _ask(client, "giá vàng hôm nay")
    turn = _last_turn(response)
    assert "Không tìm thấy câu trả lời trong cẩm nang" in turn.text_content()
    links = [a for a in turn.xpath(".//a") if "đường dây nóng" in a.text_content()]
    assert links, "no link to the hotline on a refused answer"
    href = links[0].get("href")
    assert parse_qs(urlparse(href).query).keys() == {"turn"}  # the hotline pre-fills from the turn (issue 12)
    form_page = client.get(href)
    assert form_page.status_code == 200
    form = lxml.html.fromstring(html(form_page))
    assert form.xpath('//input[@name="title"]')[0].get("value") == "giá vàng hôm nay"
    body = form.xpath('//textarea[@name="body"]')[0].text_content()
    assert "giá vàng hôm nay" in body and "Trợ lý không tìm thấy câu trả lời trong cẩm nang" in body
    # the official sends it on
    filed = submit(client, form_page, {"urgency": "normal"}, contains="title")
    assert filed.status_code == 200, html(filed)[:2000]
    ticket = Ticket.objects.get(title="giá vàng hôm nay")
    assert ticket.commune.code == 25000


def test_feedback_reaches_the_editors_gaps_page(login_as):
    client = login_as("dilinh.canbo")
    response = _ask(client, "thủ tục cấp phép nuôi chim yến trong nhà")
    feedback = submit(
        client, response, {"reasons": ["incomplete"], "comment": "Chưa có"}, action="/feedback/",
        button={"helpful": "0"},
    )  # fmt: skip
    assert feedback.status_code == 200
    editor = login_as("tuphap.chuyenvien")
    gaps = editor.get("/assistant/gaps/")
    assert gaps.status_code == 200
    assert "nuôi chim yến" in html(gaps)
    assert login_as("dilinh.canbo").get("/assistant/gaps/").status_code == 403


def test_public_page_answers_citizens_without_login(client, demo):
    page = client.get("/assistant/public/")
    assert page.status_code == 200
    response = submit(client, page, {"q": "làm giấy khai sinh cho con cần gì"}, contains="q")
    turn = _last_turn(response)
    assert _cited(turn)[0] == "HT-001"
    assert not [a for a in turn.xpath(".//a") if "/hotline/" in (a.get("href") or "")]


def test_cli_json_and_batch_shapes(tmp_path, demo):
    out = StringIO()
    call_command("ask", "làm giấy khai sinh cho con cần gì", "--json", stdout=out)
    one = json.loads(out.getvalue())
    assert set(one) >= {"q", "answered", "answer", "sources", "ms"}
    assert one["answered"] is True and one["sources"][0]["url"].rstrip("/").endswith("HT-001")
    assert set(one["sources"][0]) >= {"title", "kind", "url", "score"}
    batch = tmp_path / "q.jsonl"
    questions = ["giấy độc thân", "giá vàng hôm nay", "nhập hộ khẩu"]
    batch.write_text("\n".join(json.dumps({"q": q}, ensure_ascii=False) for q in questions) + "\n")
    out = StringIO()
    call_command("ask", "--batch", str(batch), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    assert [line["q"] for line in lines] == questions
    assert [line["answered"] for line in lines] == [True, False, True]
    assert all(isinstance(line["ms"], (int, float)) for line in lines)


def test_api_ask_with_a_token(client, users):
    from civicdesk.core.services import issue_api_token

    _token, raw = issue_api_token(SYSTEM, users["dilinh.canbo"])
    response = client.post(
        "/api/assistant/ask", {"q": "làm giấy khai sinh cho con cần gì"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and body["sources"][0]["url"].rstrip("/").endswith("HT-001")
    refused = client.post(
        "/api/assistant/ask", {"q": "giá vàng hôm nay"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )  # fmt: skip
    assert refused.json()["answered"] is False


@pytest.mark.clock_free
def test_eval_command_reaches_the_targets_on_the_demo_handbook(demo):
    out = StringIO()
    call_command("assistant", "eval", "--source", "db", stdout=out)
    result = json.loads(out.getvalue())
    overall = result["assistant"]
    assert overall["questions"] >= 250 and overall["out_of_scope"] >= 40
    assert overall["recall@3"] >= 0.95
    assert overall["mrr@10"] >= 0.90
    assert overall["oos_rejection"] >= 0.90
    assert overall["wrong_answer_rate"] <= 0.03
    # Latency (p95 ≤ 50 ms) is a benchmark (docs/benchmarks/assistant.md), never a timed test.
    assert result["baseline_bm25"]["recall@3"] < overall["recall@3"]


@pytest.mark.clock_free
def test_targets_hold_on_the_unseen_splits(demo):
    """Issue 4's targets on the splits sealed for issue 12 (fresh33, fresh34: written by writers who never saw the
    engine, the lexicon or any other question, appended only after the engine was frozen; no example question and
    no calibration comes from them, examples.UNSEEN_SPLITS). The earlier unseen splits (issue 4's fresh7 and fresh8,
    issue 12's fresh9 to fresh32) now teach the engine. The wrong-answer rate is issue 12's stricter one
    (docs/benchmarks/assistant.md)."""
    from civicdesk.assistant.engine.examples import UNSEEN_SPLITS

    out = StringIO()
    call_command("assistant", "eval", "--source", "db", stdout=out)
    by_split = json.loads(out.getvalue())["by_split"]
    for name in UNSEEN_SPLITS:
        unseen = by_split[name]
        assert unseen["questions"] >= 100 and unseen["out_of_scope"] >= 25, name
        assert unseen["recall@3"] >= 0.95 and unseen["mrr@10"] >= 0.90, name
        # Out-of-scope rejection ≥ 0.90 and wrong answers ≤ 3 % of answers (issue 4): met on fresh33 (1.0, 0 of 119)
        # and fresh34 (1.0, 1 of 116 = 0.9 %), docs/benchmarks/assistant.md, thirteenth round;
        # test_issue12_assistant.py checks issue 12's stricter targets.
        assert unseen["oos_rejection"] >= 0.90, name
        assert unseen["wrong_answer_rate"] <= 0.03, name

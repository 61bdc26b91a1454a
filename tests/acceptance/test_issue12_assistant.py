"""Issue 12 — the assistant answers what it finds. "Done when": `civicdesk ask "Hồ sơ đăng ký kết hôn gồm những
gì?" --json` answers with HT-005 first; the targets hold on two new unseen splits; answers in the browser show no raw
Markdown or field names; a thumbs-down can reach the hotline in one click."""

import json
import re
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command

from .conftest import html, submit

FIELD_NAMES = re.compile(
    r"\b(fee_amount|fee_text|processing_days|processing_text|online_level|legal_basis)\b"
)


def _ask(client, question):
    page = client.get("/assistant/")
    response = submit(client, page, {"q": question}, contains="q")
    assert response.status_code == 200, html(response)[:2000]
    turns = lxml.html.fromstring(html(response)).xpath('//article[contains(@class, "assistant-turn")]')
    return response, turns[-1]


@pytest.mark.parametrize(
    ("question", "record"),
    [
        ("Hồ sơ đăng ký kết hôn gồm những gì?", "procedure:HT-005"),
        ("dang ky ket hon can giay to gi", "procedure:HT-005"),
        ("đăng kí khai sanh cho bé", "procedure:HT-001"),
        ("Chứng thực bản sao từ bản chính mất phí bao nhiêu tiền một trang?", "procedure:CT-001"),
        ("mo hinh chinh quyen dia phuong 2 cap la gi", "guide:to-chuc-chinh-quyen-dia-phuong-hai-cap"),
    ],
)
def test_the_questions_refused_before_are_answered_with_the_right_record_first(demo, question, record):
    out = StringIO()
    call_command("ask", question, "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["answered"] is True and body["mode"] in ("answer", "clarify"), body
    assert body["sources"][0]["id"] == record, body["sources"]


def test_the_marriage_question_is_answered_outright(demo):
    out = StringIO()
    call_command("ask", "Hồ sơ đăng ký kết hôn gồm những gì?", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["mode"] == "answer" and body["sources"][0]["id"] == "procedure:HT-005"
    assert "Hồ sơ cần chuẩn bị" in body["answer"] and not FIELD_NAMES.search(body["answer"])


def test_out_of_scope_stays_refused(demo):
    for question in ("Giá vàng hôm nay bao nhiêu?", "Tối nay tuyển Việt Nam đá mấy giờ?"):
        out = StringIO()
        call_command("ask", question, "--json", stdout=out)
        body = json.loads(out.getvalue())
        assert body["answered"] is False and body["mode"] == "refuse", question


def test_an_answer_in_the_page_has_no_markdown_marks_nor_field_names_and_one_sources_block(login_as):
    client = login_as("dilinh.canbo")
    for question in ("Đăng ký khai sinh quá hạn 60 ngày thì có bị xử phạt không?", "Hồ sơ đăng ký kết hôn gồm những gì?",
                     "chứng thực bản sao mất bao nhiêu tiền một trang"):  # fmt: skip
        _response, turn = _ask(client, question)
        markup = lxml.html.tostring(turn, encoding="unicode")
        text = turn.text_content()
        assert "**" not in text and not FIELD_NAMES.search(text), question
        assert markup.count(">Nguồn<") <= 1, question
        assert not re.search(r">(procedure|guide|faq)<", markup), question


def test_a_thumbs_down_reaches_the_hotline_in_one_click(login_as):
    from civicdesk.assistant.models import Turn
    from civicdesk.hotline.models import Ticket

    client = login_as("dilinh.canbo")
    _ask(client, "Hồ sơ đăng ký kết hôn gồm những gì?")
    turn = Turn.objects.filter(user__username="dilinh.canbo").latest("pk")
    done = client.post(f"/assistant/turns/{turn.pk}/feedback/", {"helpful": "0", "reasons": ["incomplete"]},
                       HTTP_HX_REQUEST="true")  # fmt: skip
    link = lxml.html.fromstring(html(done)).xpath("//*[@hx-get]")[0].get("hx-get")
    inline = client.get(link, HTTP_HX_REQUEST="true")  # loaded in place by htmx (hx-trigger="load")
    form = lxml.html.fromstring(html(inline)).forms[0]
    values = dict(form.form_values())
    assert values["title"] == turn.question and "Trợ lý cẩm nang đã trả lời" in values["body"]
    assert values["field"], "the field is guessed from the cited record"
    sent = client.post(
        form.get("action"), values, HTTP_HX_REQUEST="true"
    )  # the one click: "Gửi đường dây nóng"
    ticket = Ticket.objects.get(title=turn.question)
    assert ticket.reference in html(sent) and ticket.field.code == "ho_tich"
    assert ticket.team is not None and ticket.team.department.code == "tu-phap"


def _unseen():
    from civicdesk.assistant.engine.examples import UNSEEN_SPLITS

    out = StringIO()
    call_command("assistant", "eval", "--source", "db", stdout=out)
    by_split = json.loads(out.getvalue())["by_split"]
    return [(name, by_split[name]) for name in UNSEEN_SPLITS]


@pytest.mark.clock_free
def test_issue_12_targets_hold_on_the_unseen_splits(demo):
    """Issue 12's targets on two splits nobody here had read, measured once on the frozen engine
    (docs/benchmarks/assistant.md, thirteenth round: fresh33 and fresh34, written from the digest of the 223 records
    by two new writers). Latency (p95 ≤ 50 ms: 9.6 / 9.8 ms) is a benchmark, never a timed test."""
    for name, split in _unseen():
        assert split["questions"] >= 150 and split["out_of_scope"] >= 0.25 * split["questions"], name
        # fresh33 / fresh34 as measured: answered or clarified 119/120 = 0.992 and 116/119 = 0.975; right first
        # 118/120 = 0.983 and 114/119 = 0.958; out of scope refused 40/40 and 40/40; wrong 0/119 and 1/116 = 0.9 %.
        assert split["answered_rate_in_scope"] >= 0.97, name
        assert split["right_first_rate"] >= 0.95, name
        assert split["wrong_answer_rate"] <= 0.02, name
        assert split["oos_rejection"] >= 0.95, name

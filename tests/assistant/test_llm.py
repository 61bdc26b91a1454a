"""The optional LLM: a local stub of an OpenAI-compatible server, and the post-check that guards every answer."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from civicdesk.assistant import llm
from civicdesk.assistant.corpus import seed_docs
from civicdesk.assistant.engine.examples import attach, shipped_examples
from civicdesk.assistant.engine.index import Index
from civicdesk.assistant.respond import respond

SOURCES = "Giải quyết trong 03 ngày làm việc. Lệ phí 50.000 đồng. Nộp tại https://dichvucong.gov.vn. Gọi 0263 3822 111."


@pytest.mark.parametrize(
    "answer",
    [
        "Nộp hồ sơ tại https://dichvucong.gov.vn, giải quyết trong 3 ngày làm việc [1].",
        "Lệ phí là 50.000 đồng [1].",
        "Hỏi thêm qua số 0263 3822 111.",
        "Chuẩn bị tờ khai và giấy chứng sinh [1].",
    ],
)
def test_check_accepts_facts_present_in_the_sources(answer):
    assert llm.check(answer, SOURCES) == []


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("Xem hướng dẫn ở https://example.com/khai-sinh.", "url"),
        ("Xem thêm tại www.tuphap.lamdong.gov.vn", "url"),
        ("Gọi đường dây nóng 0909 123 456 để được hỗ trợ.", "phone"),
        ("Thời hạn giải quyết là 15 ngày.", "days"),
        ("Giải quyết trong 2 tháng.", "days"),
        ("Lệ phí 100.000 đồng.", "money"),
        ("Lệ phí khoảng 50 nghìn.", None),  # 50 nghìn = 50.000 đồng: present in the sources
    ],
)
def test_check_rejects_invented_urls_phones_days_and_money(answer, kind):
    problems = llm.check(answer, SOURCES)
    if kind is None:
        assert problems == []
    else:
        assert problems and problems[0].startswith(kind)


class _Stub(BaseHTTPRequestHandler):
    reply = "ok"
    delay = 0.0
    status = 200
    requests = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        time.sleep(type(self).delay)
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        payload = {"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def stub(settings):
    _Stub.reply, _Stub.delay, _Stub.status, _Stub.requests = "ok", 0.0, 200, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ASSISTANT_LLM_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings.ASSISTANT_LLM_MODEL = "stub"
    settings.ASSISTANT_LLM_TIMEOUT = 0.5
    yield _Stub
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def index():
    """As the live index: the seed records with the gold set's example questions (store.rebuild)."""
    return Index.build(attach(seed_docs(), shipped_examples()))


QUESTION = "Thủ tục đăng ký khai sinh cho trẻ mới sinh gồm những giấy tờ gì?"  # answered, not clarified


def test_a_grounded_llm_answer_is_used_with_our_own_source_links(stub, index):
    stub.reply = (
        "Cần Tờ khai đăng ký khai sinh và Giấy chứng sinh; miễn lệ phí nếu đăng ký trong 60 ngày [1]."
    )
    response = respond(QUESTION, index=index)
    assert response.llm_used
    assert response.answer.startswith(stub.reply)
    assert "/HT-001/" in response.answer  # the link comes from the record, not from the model
    sent = stub.requests[0]
    assert sent["model"] == "stub"
    assert "Đăng ký khai sinh" in sent["messages"][1]["content"]


def test_an_llm_answer_with_an_invented_deadline_falls_back_to_the_extract(stub, index):
    stub.reply = "Hồ sơ giải quyết trong 7 ngày làm việc, lệ phí 200.000 đồng [1]."
    response = respond(QUESTION, index=index)
    assert not response.llm_used
    assert response.llm_rejected
    assert response.answer.startswith("Thủ tục: Đăng ký khai sinh")


def test_an_llm_answer_with_a_link_falls_back(stub, index):
    stub.reply = "Xem https://khaisinh.example.vn để biết thêm [1]."
    assert not respond(QUESTION, index=index).llm_used


def test_a_timeout_or_server_error_falls_back(stub, index):
    stub.delay = 1.0
    assert not respond(QUESTION, index=index).llm_used
    stub.delay, stub.status = 0.0, 500
    assert not respond(QUESTION, index=index).llm_used


def test_a_refusal_never_calls_the_llm(stub, index):
    response = respond("Giá vàng hôm nay bao nhiêu?", index=index)
    assert not response.answered and stub.requests == []

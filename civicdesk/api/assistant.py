"""POST /api/assistant/ask {"q": "..."} → {"q", "answered", "mode", "answer", "sources": [{"id", "title", "kind", "url",
"score", "summary"}], "ms"}; `mode` is "answer", "clarify" (the sources are the choices, in rank order) or "refuse"."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from civicdesk.assistant.respond import respond
from civicdesk.assistant.search import search

from .base import RateLimit, answers

router = Router(tags=["assistant"])

# (count, seconds). A person asks a few questions a minute; the office's address is shared by its officers.
ASK_PER_USER = (30, 60)
ASK_PER_ADDRESS = (120, 60)


class AskIn(Schema):
    q: str = Field(..., min_length=1, max_length=1000, examples=["Làm giấy khai sinh cho con cần gì?"])


class SourceOut(Schema):
    id: str
    title: str
    kind: str
    url: str
    score: float
    summary: str = ""


class AskOut(Schema):
    q: str
    answered: bool
    mode: Literal["answer", "clarify", "refuse"]
    answer: str
    sources: list[SourceOut]
    ms: int


class HitOut(Schema):
    id: str
    kind: str
    title: str
    url: str
    score: float


@router.post(
    "/ask",
    response=answers(AskOut, 400, 403, 422, 429),
    throttle=[RateLimit("ask", per_user=ASK_PER_USER, per_address=ASK_PER_ADDRESS)],
    summary="Hỏi trợ lý cẩm nang (trả lời có trích nguồn, hỏi lại mục nào, hoặc từ chối)",
    description=(
        f"Giới hạn: {ASK_PER_USER[0]} câu hỏi mỗi {ASK_PER_USER[1]} giây cho một người dùng, {ASK_PER_ADDRESS[0]} "
        f"cho một địa chỉ; quá thì 429 và header Retry-After."
    ),
)
def ask(request, payload: AskIn):
    if not payload.q.strip():
        raise ValidationError({"q": [_("Hãy nhập câu hỏi.")]})
    return respond(payload.q).as_json()


@router.get("/search", response=answers(list[HitOut], 422), summary="Tìm trong cẩm nang đã công bố")
def search_handbook(request, q: str, limit: int = 10):
    return [hit.__dict__ for hit in search(q, limit=max(1, min(limit, 50)))]

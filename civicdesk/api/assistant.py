"""POST /api/assistant/ask {"q": "..."} → {"q", "answered", "mode", "answer", "sources": [{"id", "title", "kind", "url",
"score", "summary"}], "ms"}; `mode` is "answer", "clarify" (the sources are the choices, in rank order) or "refuse"."""

from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from civicdesk.assistant.respond import respond
from civicdesk.assistant.search import search

router = Router(tags=["assistant"])


class AskIn(Schema):
    q: str = Field(..., min_length=1, max_length=1000)


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
    response=AskOut,
    summary="Hỏi trợ lý cẩm nang (trả lời có trích nguồn, hỏi lại mục nào, hoặc từ chối)",
)
def ask(request, payload: AskIn):
    if not payload.q.strip():
        raise ValidationError({"q": ["Hãy nhập câu hỏi."]})
    return respond(payload.q).as_json()


@router.get("/search", response=list[HitOut], summary="Tìm trong cẩm nang đã công bố")
def search_handbook(request, q: str, limit: int = 10):
    return [hit.__dict__ for hit in search(q, limit=max(1, min(limit, 50)))]

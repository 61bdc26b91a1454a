"""Optional LLM phrasing through any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server).

The model only rephrases the retrieved passages. `check()` rejects an answer that contains a URL, a phone number,
a number of days (or months, hours) or an amount of money that the sources do not contain; on rejection, error or
timeout the caller keeps the extractive answer. Links are never taken from the model: the page renders the cited
records' own URLs (the model sees "[1]", "[2]" tokens, not addresses).
"""

import json
import logging
import re
import urllib.error
import urllib.request

from . import conf
from .engine.normalize import fold

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "Bạn là trợ lý cho cán bộ một cửa cấp xã ở Việt Nam. Chỉ trả lời bằng thông tin trong các nguồn được cung cấp, "
    "ngắn gọn, có cấu trúc, bằng tiếng Việt. Ghi [1], [2] sau mỗi ý để chỉ nguồn. Không ghi đường dẫn, số điện thoại. "
    "Không thêm con số, thời hạn, lệ phí nào không có trong nguồn. Nếu nguồn không đủ để trả lời, nói rõ là không có."
)

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov\.vn|com\.vn|vn|com|org|net)\b", re.I
)
PHONE = re.compile(r"(?<![\d.,/])(?:\+84|0)(?:[\s.-]?\d){8,10}(?![\d.,/])")
DAYS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:-|–|đến)?\s*(?:\d+\s*)?(ngày làm việc|ngày|tháng|giờ|tuần|năm|working days?|days?|months?|hours?|weeks?)",
    re.I,
)
MONEY = re.compile(r"(\d[\d.,\s]*\d|\d)\s*(đồng|vnđ|vnd|đ\b|nghìn|ngàn|triệu|tỷ|k\b)", re.I)


def enabled():
    return bool(conf.get("ASSISTANT_LLM_URL", ""))


def _digits(text):
    return re.sub(r"\D", "", text)


def _number(text):
    return str(int(_digits(text))) if _digits(text) else ""


def _unit(unit):
    unit = fold(unit.lower())
    return {"ngay lam viec": "ngay", "working day": "ngay", "working days": "ngay", "day": "ngay", "days": "ngay",
            "month": "thang", "months": "thang", "hour": "gio", "hours": "gio", "week": "tuan", "weeks": "tuan",
            "nghin": "nghin", "ngan": "nghin", "vnd": "dong", "vnđ": "dong", "đ": "dong", "k": "nghin"}.get(unit, unit)  # fmt: skip


def _amount(number, unit):
    value = _digits(number)
    if not value:
        return ""
    scale = {"nghin": 3, "trieu": 6, "ty": 9}.get(_unit(unit), 0)
    return str(int(value) * 10**scale) if scale and len(value) < 7 else str(int(value))


def check(answer, sources_text):
    """Problems in a generated answer: facts (URL, phone, days, money) absent from the sources. Empty = accept."""
    problems = []
    source_urls = {u.rstrip(".,;:").lower() for u in URL.findall(sources_text)}
    for url in URL.findall(answer):
        if url.rstrip(".,;:").lower() not in source_urls:
            problems.append(f"url:{url}")
    source_digits = {_digits(p) for p in PHONE.findall(sources_text)}
    for phone in PHONE.findall(answer):
        if _digits(phone) not in source_digits:
            problems.append(f"phone:{phone.strip()}")
    source_days = {(_number(n), _unit(u)) for n, u in DAYS.findall(sources_text)}
    for number, unit in DAYS.findall(answer):
        if (_number(number), _unit(unit)) not in source_days:
            problems.append(f"days:{number} {unit}")
    source_money = {_amount(n, u) for n, u in MONEY.findall(sources_text)}
    for number, unit in MONEY.findall(answer):
        if _amount(number, unit) not in source_money:
            problems.append(f"money:{number.strip()} {unit}")
    return problems


def _prompt(question, passages):
    blocks = [f"[{n}] {title}\n{text}" for n, (title, text) in enumerate(passages, start=1)]
    return f"Câu hỏi: {question}\n\nNguồn:\n\n" + "\n\n".join(blocks)


def phrase(question, passages):
    """Ask the endpoint to phrase an answer from `passages` [(title, text)]; None on error or timeout."""
    base = conf.get("ASSISTANT_LLM_URL", "").rstrip("/")
    body = {
        "model": conf.get("ASSISTANT_LLM_MODEL", "default"),
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _prompt(question, passages)},
        ],
        "temperature": 0,
        "max_tokens": 600,
    }
    headers = {"Content-Type": "application/json"}
    key = conf.get("ASSISTANT_LLM_API_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"{base}/chat/completions", json.dumps(body).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.get_float("ASSISTANT_LLM_TIMEOUT", 8)) as response:
            data = json.loads(response.read().decode("utf-8"))
        return data["choices"][0]["message"]["content"].strip() or None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError):
        log.warning("LLM endpoint failed; using the extractive answer", exc_info=True)
        return None

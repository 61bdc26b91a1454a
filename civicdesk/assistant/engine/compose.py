"""The extractive answer composer: every line of an answer is copied from a field of the cited record.

A procedure answer is structured (where to file, documents, steps, time limit, fee, online link, legal basis), with
the parts the question asks about first; a guide answer gives the sections closest to the question; a FAQ answer
gives the entry's answer. Nothing is paraphrased, so each statement is traceable to its field.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .normalize import fold

# Labels of the answer (shown in the reader's language); the record's own text stays as written.
METHOD_LABELS = {
    "truc_tiep": gettext_lazy("Trực tiếp"),
    "truc_tuyen": gettext_lazy("Trực tuyến"),
    "buu_chinh": gettext_lazy("Bưu chính"),
}
ONLINE_LABELS = {
    "toan_trinh": gettext_lazy("Dịch vụ công trực tuyến toàn trình"),
    "mot_phan": gettext_lazy("Dịch vụ công trực tuyến một phần"),
}


def _label(labels, code):
    return str(labels.get(code, code or ""))


# Folded cue words → the part of a procedure the question is about.
INTENTS = [
    ("documents", ("can gi", "giay to", "ho so", "mang theo", "chuan bi", "thanh phan", "documents", "papers",
                   "what do i need", "can nhung")),
    ("time", ("bao lau", "may ngay", "thoi han", "bao nhieu ngay", "how long", "processing time", "deadline",
              "khi nao co", "lau khong")),
    ("fee", ("bao nhieu tien", "le phi", "phi", "tien", "mien phi", "fee", "cost", "how much")),
    ("where", ("o dau", "noi nao", "co quan nao", "where", "nop tai", "ai giai quyet", "tham quyen")),
    ("online", ("online", "truc tuyen", "qua mang", "dich vu cong", "vneid")),
    ("steps", ("cac buoc", "trinh tu", "quy trinh", "lam the nao", "nhu the nao", "steps", "how do")),
    ("legal", ("can cu", "luat", "nghi dinh", "thong tu", "legal", "law")),
]  # fmt: skip
DEFAULT_ORDER = ["where", "documents", "time", "fee", "online", "steps", "legal"]
CORE_PARTS = {"where", "documents"}
MAX_STEP_CHARS = 220
MAX_SECTION_CHARS = 700
MAX_FAQ_CHARS = 1200


def intents(question):
    text = f" {' '.join(fold(question).split())} "
    return [name for name, cues in INTENTS if any(f" {cue} " in text for cue in cues)]


def _first_sentence(text, limit=MAX_STEP_CHARS):
    """The opening of a passage, cut at a sentence end: a prefix of the record's own words."""
    text = " ".join(str(text).split())
    match = re.search(r"(?<=[.;:])\s", text[20:limit])
    cut = text[: 20 + match.start()] if match else text[:limit]
    return cut if len(cut) == len(text) else cut.rstrip(" ,;:") + " …"


def _prefix(text, limit):
    text = str(text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: max(cut.rfind("\n"), cut.rfind(". ") + 1, limit // 2)].rstrip() + " …"


def _component(c):
    counts = []
    if c.get("original"):
        counts.append(_("%(n)s bản chính") % {"n": c["original"]})
    if c.get("copy"):
        counts.append(_("%(n)s bản sao") % {"n": c["copy"]})
    line = c.get("name", "")
    if counts:
        line += " — " + ", ".join(counts)
    if not c.get("required", True):
        line += " " + _("(khi cần)")
    return line


def _procedure_parts(card, asked):
    parts = {}
    if card.get("agency"):
        parts["where"] = {
            "label": _("Nơi nộp, cơ quan giải quyết"),
            "text": card["agency"],
            "field": "agency",
        }
    components = [_component(c) for c in card.get("components") or [] if c.get("name")]
    if components:
        parts["documents"] = {"label": _("Hồ sơ cần chuẩn bị"), "items": components, "field": "components"}
    methods = card.get("methods") or []
    times = [f"{_label(METHOD_LABELS, m.get('method'))}: {m['processing_text']}"
             for m in methods if m.get("processing_text")]  # fmt: skip
    if times:
        parts["time"] = {
            "label": _("Thời hạn giải quyết"),
            "items": times,
            "field": "methods.processing_text",
        }
    fees = []
    for m in methods:
        fee = (m.get("fee_text") or "").strip()
        if fee and fee not in [f.split(": ", 1)[-1] for f in fees]:
            fees.append(f"{_label(METHOD_LABELS, m.get('method'))}: {fee}")
    if fees:
        parts["fee"] = {"label": _("Phí, lệ phí"), "items": fees, "field": "methods.fee_text"}
    if card.get("online_url") or card.get("online_level"):
        items = []
        if card.get("online_level"):
            items.append(_label(ONLINE_LABELS, card["online_level"]))
        if card.get("online_url"):
            items.append(card["online_url"])
        parts["online"] = {"label": _("Nộp trực tuyến"), "items": items, "field": "online_url",
                           "url": card.get("online_url") or ""}  # fmt: skip
    steps = [_first_sentence(s) for s in card.get("steps") or [] if str(s).strip()]
    if steps:
        parts["steps"] = {"label": _("Các bước"), "items": steps, "field": "steps", "ordered": True}
    if card.get("legal_basis"):
        parts["legal"] = {
            "label": _("Căn cứ pháp lý"),
            "items": list(card["legal_basis"]),
            "field": "legal_basis",
        }
    order = [k for k in asked if k in parts] + [k for k in DEFAULT_ORDER if k in parts and k not in asked]
    # Shown at once: where to file, the documents and whatever the question asked about; the rest behind
    # "xem đầy đủ" (a counter official reads the answer on a phone between two citizens).
    for key in order:
        if key not in CORE_PARTS and key not in asked:
            parts[key]["more"] = True
    lead = {
        "label": _("Thủ tục"),
        "text": f"{card.get('name', '')} ({card.get('code', '')})",
        "field": "name",
    }
    result = [lead]
    if card.get("summary"):
        result.append({"label": _("Tóm tắt"), "text": card["summary"], "field": "summary"})
    return result + [dict(parts[k], key=k) for k in order]


def _overlap(text, query_terms):
    tokens = fold(text).split()
    return sum(1 for t in set(tokens) if t in query_terms)


def _guide_parts(card, question):
    query_terms = set(fold(question).split())
    sections = [s for s in card.get("sections") or [] if s.get("body")]
    ranked = sorted(
        enumerate(sections),
        key=lambda item: (
            -_overlap(item[1].get("heading", "") + " " + item[1]["body"], query_terms),
            item[0],
        ),
    )[:2]
    parts = [{"label": _("Hướng dẫn"), "text": card.get("title", ""), "field": "title"}]
    if card.get("summary"):
        parts.append({"label": _("Tóm tắt"), "text": card["summary"], "field": "summary", "markdown": True})
    for n, (_position, section) in enumerate(sorted(ranked)):
        parts.append({"label": section.get("heading", ""), "text": _prefix(section["body"], MAX_SECTION_CHARS),
                      "field": "sections", "key": "section", "markdown": True, "more": n > 0})  # fmt: skip
    return parts


def _faq_parts(card):
    parts = [
        {"label": _("Câu hỏi"), "text": card.get("question", ""), "field": "question"},
        {"label": _("Trả lời"), "text": _prefix(card.get("answer", ""), MAX_FAQ_CHARS), "field": "answer",
         "markdown": True},
    ]  # fmt: skip
    if card.get("sources"):
        # The entry's own legal references: "Căn cứ", so the answer has a single "Nguồn" (the cited records).
        parts.append({"label": _("Căn cứ"), "items": list(card["sources"]), "field": "sources", "more": True})
    return parts


def compose(doc, question):
    """Structured parts of the answer from `doc`'s card, the parts asked about first."""
    card = doc.card or {}
    if doc.kind == "procedure":
        parts = _procedure_parts(card, intents(question))
    elif doc.kind == "guide":
        parts = _guide_parts(card, question)
    else:
        parts = _faq_parts(card)
    if card.get("verification") == "needs_verification":
        parts.append({"label": _("Lưu ý"), "text": _("Nội dung này đang chờ kiểm chứng; hãy đối chiếu văn bản gốc."),
                      "field": "verification", "key": "warning"})  # fmt: skip
    return parts


_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MD_MARKS = re.compile(r"(\*\*|__|`)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)


def plain(text):
    """Markdown as a reader of plain text wants it: no **, __, ` or # marks; a link as "text (address)"."""
    text = _MD_LINK.sub(r"\1 (\2)", str(text))
    return _MD_HEADING.sub("", _MD_MARKS.sub("", text))


def render_text(parts, sources):
    """The answer as plain text (CLI, API, transcript): parts, then the numbered sources."""
    lines = []
    for part in parts:
        if part.get("items"):
            lines.append(f"{part['label']}:")
            for n, item in enumerate(part["items"], start=1):
                lines.append(f"  {n}. {item}" if part.get("ordered") else f"  - {item}")
        else:
            text = plain(part["text"]) if part.get("markdown") else part["text"]
            lines.append(f"{part['label']}: {text}")
    if sources:
        lines.append(_("Nguồn:"))
        lines += [f"  [{n}] {s['title']} — {s['url']}" for n, s in enumerate(sources, start=1)]
    return "\n".join(lines)


def source_text(doc):
    """All text of the record a generated answer may draw on (for the LLM post-check)."""
    return doc.text + "\n" + " ".join(str(v) for v in _flatten(doc.card))


def _flatten(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten(v)
    elif value not in (None, ""):
        yield value

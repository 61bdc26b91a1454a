"""Plain text of handbook records: what search, the assistant and `handbook export --format jsonl` read.

`export_line(record)` is the exact JSONL shape of the export: {"id", "kind", "title", "text", "url"}.
`fold(text)` is the accent-insensitive form the database search compares ("Đăng ký khai sinh" → "dang ky khai sinh").
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Characters that NFD does not decompose into a base letter plus combining marks.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ƀ": "b"})
_COMBINING = re.compile("[\u0300-\u036f]")


def _strip(text):
    return "".join(
        c for c in unicodedata.normalize("NFD", text.translate(_SPECIAL)) if not unicodedata.combining(c)
    )


# One-to-one table for precomposed Latin letters (Vietnamese lives in U+00C0–U+1EFF): folding a whole record is
# then a single str.translate, and folded text keeps the positions of the original.
_FOLD = {
    cp: _strip(chr(cp))
    for cp in range(0x00C0, 0x1F00)
    if len(_strip(chr(cp))) == 1 and _strip(chr(cp)) != chr(cp)
}


def fold_letters(text):
    """Lower case without diacritics, keeping every position: 'Đăng ký khai sinh' → 'dang ky khai sinh'.

    The assistant's index folds with this (positions matter for its n-grams); `fold` adds whitespace collapsing.
    """
    folded = (text or "").lower().translate(_FOLD)
    if folded.isascii() or not _COMBINING.search(folded):
        return folded
    # Decomposed input (base letter + combining marks), as some keyboards and PDF copies send.
    return _strip(folded)


def fold(text):
    """Lower case, without Vietnamese diacritics (đ → d), whitespace collapsed: what people type without accents."""
    return _SPACES.sub(" ", fold_letters(str(text or ""))).strip()


METHOD_LABELS = {"truc_tiep": "Trực tiếp", "truc_tuyen": "Trực tuyến", "buu_chinh": "Bưu chính"}
LEVEL_LABELS = {"xa": "Cấp xã", "tinh": "Cấp tỉnh", "lien_thong": "Liên thông"}


def _lines(items):
    return [str(item).strip() for item in items if str(item).strip()]


def procedure_text(p):
    parts = [
        p.name,
        p.summary,
        f"Lĩnh vực: {p.field.name}",
        f"Cấp thực hiện: {LEVEL_LABELS.get(p.level, p.level)}",
    ]
    if p.agency:
        parts.append(f"Cơ quan thực hiện: {p.agency}")
    if p.applicants:
        parts.append(f"Đối tượng thực hiện: {p.applicants}")
    if p.steps:
        parts.append("Trình tự thực hiện:")
        parts += [f"{i}. {step}" for i, step in enumerate(_lines(p.steps), start=1)]
    for m in p.methods:
        label = METHOD_LABELS.get(m.get("method"), m.get("method", ""))
        parts.append(
            f"Cách thức {label}: {m.get('processing_text', '')}. Phí, lệ phí: {m.get('fee_text', '')}"
        )
    if p.components:
        parts.append("Thành phần hồ sơ:")
        for c in p.components:
            counts = []
            if c.get("original"):
                counts.append(f"{c['original']} bản chính")
            if c.get("copy"):
                counts.append(f"{c['copy']} bản sao")
            note = f" ({c['note']})" if c.get("note") else ""
            parts.append(f"- {c.get('name', '')}{' — ' + ', '.join(counts) if counts else ''}{note}")
    for label, value in (("Yêu cầu, điều kiện", p.requirements), ("Kết quả", p.result), ("Lưu ý", p.notes)):
        if value:
            parts.append(f"{label}: {value}")
    if p.legal_basis:
        parts.append("Căn cứ pháp lý: " + "; ".join(_lines(p.legal_basis)))
    if p.keywords:
        parts.append("Từ khóa: " + ", ".join(_lines(p.keywords)))
    return "\n".join(part for part in parts if part)


def guide_text(g):
    parts = [g.title, g.summary]
    for section in g.sections:
        parts.append(section.get("heading", ""))
        parts.append(section.get("body", ""))
    if g.tags:
        parts.append("Thẻ: " + ", ".join(_lines(g.tags)))
    if g.keywords:
        parts.append("Từ khóa: " + ", ".join(_lines(g.keywords)))
    return "\n".join(part for part in parts if part)


def faq_text(f):
    parts = [f.question, f.answer]
    if f.sources:
        parts.append("Nguồn: " + "; ".join(_lines(f.sources)))
    if f.keywords:
        parts.append("Từ khóa: " + ", ".join(_lines(f.keywords)))
    return "\n".join(part for part in parts if part)


def plain_text(record):
    return {"procedure": procedure_text, "guide": guide_text, "faq": faq_text}[record.kind](record)


def record_id(record):
    key = record.code if record.kind == "procedure" else record.slug
    return f"{record.kind}:{key}"


def export_line(record):
    return {
        "id": record_id(record),
        "kind": record.kind,
        "title": record.title,
        "text": plain_text(record),
        "url": record.get_absolute_url(),
    }

"""Revision diffs: difflib over each changed field's text, shown as a unified diff with highlighted lines."""

import difflib
import json

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "code": _("Mã"),
    "national_code": _("Mã thủ tục (CSDL quốc gia)"),
    "name": _("Tên thủ tục"),
    "decision": _("Quyết định công bố"),
    "level": _("Cấp thực hiện"),
    "procedure_type": _("Loại thủ tục"),
    "field": _("Lĩnh vực"),
    "agency": _("Cơ quan thực hiện"),
    "applicants": _("Đối tượng thực hiện"),
    "steps": _("Trình tự thực hiện"),
    "methods": _("Cách thức thực hiện"),
    "components": _("Thành phần hồ sơ"),
    "requirements": _("Yêu cầu, điều kiện"),
    "result": _("Kết quả thực hiện"),
    "legal_basis": _("Căn cứ pháp lý"),
    "online_level": _("Mức độ DVC trực tuyến"),
    "online_url": _("Đường dẫn nộp trực tuyến"),
    "related": _("Thủ tục liên quan"),
    "summary": _("Tóm tắt"),
    "notes": _("Lưu ý cho cán bộ"),
    "police": _("Do Công an cấp xã thực hiện"),
    "slug": _("Định danh"),
    "handbook": _("Cẩm nang"),
    "title": _("Tiêu đề"),
    "audience": _("Đối tượng"),
    "sections": _("Các mục"),
    "tags": _("Thẻ"),
    "related_procedures": _("Thủ tục liên quan"),
    "question": _("Câu hỏi"),
    "answer": _("Trả lời"),
    "sources": _("Nguồn trích dẫn"),
    "keywords": _("Từ khóa"),
    "source": _("Nguồn"),
    "verification": _("Kiểm chứng"),
    "verification_note": _("Điều cần kiểm tra"),
    "department": _("Sở, ngành chịu trách nhiệm"),
}


def _as_lines(value):
    if value is None:
        return []
    if isinstance(value, str):
        return value.splitlines() or [""]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if isinstance(value, list) and all(isinstance(v, dict) and set(v) == {"heading", "body"} for v in value):
        lines = []
        for section in value:
            lines += [f"## {section['heading']}", *section["body"].splitlines(), ""]
        return lines
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).splitlines()


def field_diffs(old, new):
    """[{field, label, lines: [(css class, text)]}] for every field whose value differs between two snapshots."""
    old, new = old or {}, new or {}
    changes = []
    for name in [*new, *[k for k in old if k not in new]]:
        if name == "kind" or old.get(name) == new.get(name):
            continue
        lines = []
        diff = difflib.unified_diff(_as_lines(old.get(name)), _as_lines(new.get(name)), n=2, lineterm="")
        for line in diff:
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(("hunk", "…"))
            elif line.startswith("+"):
                lines.append(("add", line[1:]))
            elif line.startswith("-"):
                lines.append(("del", line[1:]))
            else:
                lines.append(("same", line[1:]))
        changes.append({"field": name, "label": FIELD_LABELS.get(name, name), "lines": lines})
    return changes

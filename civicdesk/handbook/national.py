"""Field names of the national procedure database (CSDL quốc gia về TTHC) mapped to our schema.

An export of the national catalogue labels its columns in Vietnamese ("Mã thủ tục", "Tên thủ tục", …). `to_schema()`
renames them (matching is accent- and case-insensitive) and converts the common value shapes: levels and online levels
written out in words, steps or legal bases as one block of text, methods and dossier components with the national
sub-field names. Numbers are taken only when the text states exactly one (never guessed).
"""

import re

from .text import fold

# national label → schema field
NATIONAL_FIELDS = {
    "Mã thủ tục": "national_code",
    "Mã TTHC": "national_code",
    "Mã số thủ tục": "national_code",
    "Mã số TTHC": "national_code",
    "Tên thủ tục": "name",
    "Tên TTHC": "name",
    "Số quyết định công bố": "decision",
    "Quyết định công bố": "decision",
    "Cấp thực hiện": "level",
    "Loại thủ tục": "procedure_type",
    "Lĩnh vực": "field",
    "Trình tự thực hiện": "steps",
    "Cách thức thực hiện": "methods",
    "Thành phần hồ sơ": "components",
    "Đối tượng thực hiện": "applicants",
    "Cơ quan thực hiện": "agency",
    "Kết quả thực hiện": "result",
    "Căn cứ pháp lý": "legal_basis",
    "Yêu cầu, điều kiện": "requirements",
    "Yêu cầu, điều kiện thực hiện": "requirements",
    "Mức độ dịch vụ công trực tuyến": "online_level",
    "Mức độ DVC trực tuyến": "online_level",
    "Mức độ DVC": "online_level",
    "Mức độ dịch vụ công": "online_level",
    "Dịch vụ công trực tuyến": "online_level",
    "DVC trực tuyến": "online_level",
    "Thủ tục hành chính liên quan": "related",
    "TTHC liên quan": "related",
    "Từ khóa": "keywords",
    "Nguồn": "source",
    "Mô tả": "summary",
    "Lưu ý": "notes",
}
# Sub-fields of one method (Cách thức thực hiện) and of one dossier component (Thành phần hồ sơ).
METHOD_FIELDS = {
    "Hình thức nộp": "method",
    "Thời hạn giải quyết": "processing_text",
    "Phí, lệ phí": "fee_text",
    "Phí": "fee_text",
    "Lệ phí": "fee_text",
}
COMPONENT_FIELDS = {
    "Tên giấy tờ": "name",
    "Mẫu đơn, tờ khai": "form",
    "Số lượng": "_quantity",
    "Ghi chú": "note",
}
METHOD_WORDS = {"truc tiep": "truc_tiep", "truc tuyen": "truc_tuyen", "buu chinh": "buu_chinh"}


def _label(name):
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()


_FIELD_LABELS = {_label(k): v for k, v in NATIONAL_FIELDS.items()}
_METHOD_LABELS = {_label(k): v for k, v in METHOD_FIELDS.items()}
_COMPONENT_LABELS = {_label(k): v for k, v in COMPONENT_FIELDS.items()}


def field_of(label):
    """The schema field a national column label names (accent- and case-insensitive), or None."""
    return _FIELD_LABELS.get(_label(str(label or "")))


def online_level(value):
    """ "toan_trinh", "mot_phan", None (empty) or the text as written when it names neither."""
    return _online_level(value)


def level(value):
    """ "xa", "tinh", "lien_thong" or the text as written."""
    return _level(value)


def is_national(raw):
    return any(not key.isascii() for key in raw)


def to_schema(raw):
    """Return `raw` with national labels renamed and their values converted; schema records pass unchanged."""
    if not is_national(raw):
        return raw
    record = {}
    for key, value in raw.items():
        name = _FIELD_LABELS.get(_label(key), key)
        record[name] = value
    record.setdefault("kind", "procedure")
    if not record.get("code") and isinstance(record.get("national_code"), str):
        # Idempotent by code: a national record without our catalogue code is keyed by its national code.
        record["code"] = record["national_code"].strip()
    if isinstance(record.get("level"), str):
        record["level"] = _level(record["level"])
    if isinstance(record.get("online_level"), str):
        record["online_level"] = _online_level(record["online_level"])
    if isinstance(record.get("applicants"), list):
        record["applicants"] = "; ".join(str(v) for v in record["applicants"])
    for name in ("steps", "legal_basis"):
        if isinstance(record.get(name), str):
            record[name] = _split_lines(record[name], semicolons=name == "legal_basis")
    if "methods" in record:
        record["methods"] = _methods(record["methods"])
    if isinstance(record.get("components"), list):
        record["components"] = [_component(item) for item in record["components"]]
    return record


def _split_lines(text, semicolons=False):
    parts = re.split(r"[\n;]" if semicolons else r"\n", text)
    return [re.sub(r"^\s*(?:[-•*+]|\d+[.)])\s*", "", part).strip() for part in parts if part.strip()]


def _level(value):
    folded = fold(value)
    if "lien thong" in folded:
        return "lien_thong"
    if re.search(r"\bxa\b", folded):
        return "xa"
    if "tinh" in folded:
        return "tinh"
    return value


def _online_level(value):
    folded = fold(value)
    if "toan trinh" in folded:
        return "toan_trinh"
    if "mot phan" in folded:
        return "mot_phan"
    return None if not folded else value


def _single_number(text, pattern):
    found = re.findall(pattern, fold(text))
    return int(found[0]) if len(found) == 1 else None


def _days(text):
    return _single_number(text, r"(\d+)\s*ngay")


def _method_code(value):
    folded = fold(value)
    return next((code for word, code in METHOD_WORDS.items() if word in folded), value)


def _methods(value):
    if isinstance(value, str):
        found = [code for word, code in METHOD_WORDS.items() if word in fold(value)] or ["truc_tiep"]
        return [
            {"method": code, "processing_days": _days(value), "processing_text": value, "fee_text": ""}
            for code in found
        ]
    if not isinstance(value, list):
        return value
    methods = []
    for item in value:
        if not isinstance(item, dict) or all(key.isascii() for key in item):
            methods.append(item)
            continue
        method = {}
        for key, sub in item.items():
            method[_METHOD_LABELS.get(_label(key), key)] = sub
        if isinstance(method.get("method"), str):
            method["method"] = _method_code(method["method"])
        if isinstance(method.get("processing_text"), str) and "processing_days" not in method:
            method["processing_days"] = _days(method["processing_text"])
        methods.append(method)
    return methods


def _component(item):
    if not isinstance(item, dict) or all(key.isascii() for key in item):
        return item
    component = {}
    for key, value in item.items():
        component[_COMPONENT_LABELS.get(_label(key), key)] = value
    quantity = component.pop("_quantity", None)
    if isinstance(quantity, str):
        component.setdefault("original", _single_number(quantity, r"ban chinh\D*(\d+)") or 0)
        component.setdefault("copy", _single_number(quantity, r"ban sao\D*(\d+)") or 0)
    return component

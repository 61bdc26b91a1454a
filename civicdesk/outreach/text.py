"""Text as citizens and officials type it, compared without accents, case or punctuation."""

import re
import unicodedata


def plain(text):
    """ "TỪ CHỐI!" → "tu choi"; "Điện thoại" → "dien thoai"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())

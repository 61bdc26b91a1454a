"""Text as citizens and officials type it, compared without accents, case or punctuation."""

import re
import unicodedata


def plain(text):
    """ "TỪ CHỐI!" → "tu choi"; "Điện thoại" → "dien thoai"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


# GSM 03.38's basic characters: a text made only of them goes 160 characters an SMS (153 when split); any other
# character (Vietnamese diacritics) makes the whole text UCS-2, 70 an SMS (67 when split).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_parts(text):
    """How many SMS a text takes (concatenated messages carry a header, hence 153 / 67 per part)."""
    single, part = (160, 153) if set(text) <= GSM_BASIC else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // part)


def neutral(value, limit):
    """A value an officer typed, fit for a message to citizens: no control or format characters, one line, no
    link-looking text (a message from the commune must not carry someone else's address), at most `limit`
    characters."""
    value = "".join(ch for ch in str(value or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    value = re.sub(r"(?i)\b(?:https?://|www\.)\S*", "", value)
    return " ".join(value.split())[:limit].strip()

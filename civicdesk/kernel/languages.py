"""Languages people speak, as ISO 639-3 codes (pycountry), with the names a Lâm Đồng official reads.

Every app that records a language stores the three-letter ISO 639-3 code: the languages of staff, volunteers and
citizens (community), the pool of provincial staff (staffing), the language a dossier or a ticket was served in
(servicedesk, hotline). `validate_language_code` accepts any individual or macro language pycountry knows, so a
province elsewhere can record its own; `REGIONAL` names the languages of the new Lâm Đồng (with the former Đắk Nông
and Bình Thuận) in Vietnamese, in the order the forms offer them.

Where ISO 639-3 splits a language the people of the province name with one word, both codes are offered and named
by where they are spoken: the Cham of Bình Thuận and Ninh Thuận speak Eastern Cham (cjm), Western Cham (cja) is
spoken in the Mekong delta and Cambodia; Northern (rog) and Southern (rgs) Raglai; M'nông's Central (cmo), Eastern
(mng) and Southern (mnn) varieties. A dialect inside a code (K'Ho Lạch, K'Ho Srê, K'Ho Chil…) is recorded beside the
code, not as a code.
"""

import unicodedata

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VIETNAMESE = "vie"

# (code, Vietnamese name): the forms' list, minority languages of the province first after Vietnamese.
REGIONAL = (
    (VIETNAMESE, pgettext_lazy("language", "Tiếng Việt")),
    ("kpm", pgettext_lazy("language", "K'Ho (Cơ Ho)")),
    ("cma", pgettext_lazy("language", "Mạ")),
    ("cje", pgettext_lazy("language", "Chu Ru")),
    ("cmo", pgettext_lazy("language", "M'nông (Trung)")),
    ("mng", pgettext_lazy("language", "M'nông (Đông)")),
    ("mnn", pgettext_lazy("language", "M'nông (Nam)")),
    ("rad", pgettext_lazy("language", "Ê Đê")),
    ("cjm", pgettext_lazy("language", "Chăm (Bình Thuận, Ninh Thuận)")),
    ("cja", pgettext_lazy("language", "Chăm (Nam Bộ)")),
    ("rog", pgettext_lazy("language", "Raglai (Bắc)")),
    ("rgs", pgettext_lazy("language", "Raglai (Nam)")),
    ("hmn", pgettext_lazy("language", "Mông (H'Mông)")),
    ("sti", pgettext_lazy("language", "Xtiêng")),
    ("tyz", pgettext_lazy("language", "Tày")),
    ("nut", pgettext_lazy("language", "Nùng")),
    ("khm", pgettext_lazy("language", "Khmer")),
    ("eng", pgettext_lazy("language", "Tiếng Anh")),
)
REGIONAL_NAMES = dict(REGIONAL)

# Names people type in a spreadsheet, folded (lower case, no diacritics, no spaces or apostrophes) → code.
_ALIASES = {
    "tiengviet": VIETNAMESE,
    "viet": VIETNAMESE,
    "vietnamese": VIETNAMESE,
    "kho": "kpm",
    "coho": "kpm",
    "koho": "kpm",
    "ma": "cma",
    "maa": "cma",
    "churu": "cje",
    "chru": "cje",
    "mnong": "cmo",
    "ede": "rad",
    "rade": "rad",
    "cham": "cjm",
    "raglai": "rog",
    "roglai": "rog",
    "mong": "hmn",
    "hmong": "hmn",
    "xtieng": "sti",
    "stieng": "sti",
    "tay": "tyz",
    "nung": "nut",
    "tienganh": "eng",
    "english": "eng",
    "anh": "eng",
}


def _fold(text):
    text = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    for prefix in ("tieng ",):
        if text.startswith(prefix) and text[len(prefix) :] not in ("viet", "anh"):
            text = text[len(prefix) :]
    return "".join(c for c in text if c.isalnum())


def is_language_code(code):
    """True for a three-letter ISO 639-3 code of a living individual or macro language (pycountry).

    Ancient, historical and extinct languages are refused: nobody is served in them, and "kho" (Khotanese) is what a
    hurried hand types for K'Ho.
    """
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.islower():
        return False
    entry = pycountry.languages.get(alpha_3=code)
    return (
        entry is not None
        and getattr(entry, "scope", "I") in ("I", "M")
        and getattr(entry, "type", "L") == "L"
    )


def validate_language_code(code):
    if not is_language_code(code):
        raise ValidationError(
            _("“%(code)s” không phải mã ngôn ngữ ISO 639-3 (ví dụ: kpm cho tiếng K'Ho, cma cho tiếng Mạ)."),
            code="language_code",
            params={"code": code},
        )


def language_name(code):
    """The Vietnamese name of a regional language, else pycountry's English name, else the code itself."""
    if code in REGIONAL_NAMES:
        return str(REGIONAL_NAMES[code])
    entry = pycountry.languages.get(alpha_3=code) if isinstance(code, str) and len(code) == 3 else None
    return entry.name if entry is not None else str(code)


def parse_language(text):
    """A code from what a person typed: an ISO 639-3 code, a regional name ("K'Ho", "tiếng Mạ") or an English name.

    Raises ValidationError naming the text when nothing matches (importers add the line number).
    """
    raw = str(text).strip()
    if is_language_code(raw.lower()):
        return raw.lower()
    folded = _fold(raw)
    if folded in _ALIASES:
        return _ALIASES[folded]
    for code, name in REGIONAL:
        if _fold(name) == folded:
            return code
    try:
        entry = pycountry.languages.lookup(raw)
    except LookupError:
        entry = None
    if entry is not None and getattr(entry, "alpha_3", None) and is_language_code(entry.alpha_3):
        return entry.alpha_3
    raise ValidationError(
        _(
            "Không nhận ra ngôn ngữ “%(text)s”: ghi mã ISO 639-3 (kpm, cma, cje…) hoặc tên (K'Ho, Mạ, Chu Ru…)."
        ),
        code="language_unknown",
        params={"text": raw},
    )


def choices():
    """(code, name) pairs for a form's select: the regional list."""
    return [(code, str(name)) for code, name in REGIONAL]

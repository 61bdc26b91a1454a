"""Input every field shares: no NUL nor other control characters (newline and tab are text).

One invisible character (a `\\x0b` pasted from a PDF) once broke the province's Excel report; a NUL breaks
PostgreSQL. Forms reject them with a Vietnamese message in place (every `forms.CharField`, installed in
`CoreConfig.ready`), the API answers 422 (`ControlCharactersMiddleware`), and the importers name the line.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value):
    return isinstance(value, str) and CONTROL.search(value) is not None


def describe(value):
    """The first control character of `value` as U+XXXX (people cannot see it; they can read its code)."""
    match = CONTROL.search(value)
    return f"U+{ord(match.group(0)):04X}" if match else ""


def validate_no_control_characters(value):
    if has_control_characters(value):
        raise ValidationError(
            _("Nội dung có ký tự điều khiển không nhìn thấy (%(code)s); hãy xóa ký tự đó rồi gửi lại."),
            code="control_characters",
            params={"code": describe(value)},
        )


def find_control_characters(data, path=""):
    """The path ("title", "items[2].name") of the first string in a JSON-like value holding a control character."""
    if isinstance(data, str):
        return path or "." if has_control_characters(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            found = find_control_characters(key, path) if has_control_characters(key) else None
            found = found or find_control_characters(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found = find_control_characters(value, f"{path}[{index}]")
            if found:
                return found
    return None

"""Phone numbers as people write them ("0912 345 678", "84912345678", "+84-912-345-678") to one E.164 form: outreach
stores citizens' numbers so, and the volunteers' reminders send to it (SMS gateway, Zalo ZNS)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise(text):
    """E.164 ("+84912345678") of a Vietnamese (or explicitly international) number; "" for an empty value.

    Raises ValidationError for a number that cannot be a real one: a typo must be fixed, not stored.
    """
    text = (text or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” không phải là số điện thoại hợp lệ.") % {"value": text[:30]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164):
    """ "0912 345 678" for display."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

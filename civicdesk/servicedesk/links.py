"""Public links printed as QR codes: the dossier's status page and its survey, signed so codes cannot be guessed."""

import hmac

import segno
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from civicdesk.core import links

PROVISIONAL_PREFIX = "TLD-"  # "tổ lưu động": a receipt a mobile team gave offline, "TLD-<device>-<number>"


def looks_provisional(code):
    """Is this the code of a mobile team's provisional receipt (not yet, or just, synced)?"""
    return (code or "").strip().upper().startswith(PROVISIONAL_PREFIX)


def provisional_lookup_url(code):
    """What the provisional receipt's QR opens: the lookup page with the code filled in (the citizen adds the last
    four digits of their phone, as for any code). Built on the device too, so it carries no server secret."""
    return links.absolute(reverse("servicedesk_public:lookup")) + f"?ma={code}"


def public_token(code):
    """16 hex characters binding a dossier code to this installation's secret key."""
    return salted_hmac("civicdesk.servicedesk.public", code).hexdigest()[:16]


def token_matches(code, token):
    return hmac.compare_digest(public_token(code), token or "")


def status_url(dossier, absolute=True):
    path = reverse("servicedesk_public:status", args=[dossier.code, public_token(dossier.code)])
    return links.absolute(path) if absolute else path


def survey_url(dossier, absolute=True):
    path = reverse("servicedesk_public:survey", args=[dossier.code, public_token(dossier.code)])
    return links.absolute(path) if absolute else path


def centre_survey_url(commune, absolute=True):
    path = reverse("servicedesk_public:centre_survey", args=[commune.code])
    return links.absolute(path) if absolute else path


def qr_svg(url, scale=3):
    """An inline SVG QR code (segno; no external service)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, omitsize=False))

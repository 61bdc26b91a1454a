"""Public links printed as QR codes: the dossier's status page and its survey, signed so codes cannot be guessed."""

import hmac

import segno
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from civicdesk.core import links


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

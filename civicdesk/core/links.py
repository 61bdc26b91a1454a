"""Addresses people open outside the app: QR codes on slips and printed pages, links in e-mails and chat replies.

A receipt printed by the server at http://10.0.5.20:8000 must not send the citizen who scans it to 127.0.0.1.
`SITE_URL` (the public address, set in production: e-mails sent by the background worker have no request) wins;
without it the address is the request's own — the server that printed the page — and only outside any request
(a job in development) the development address.
"""

from django.conf import settings

from .middleware import current_request

DEVELOPMENT_BASE = "http://127.0.0.1:8000"


def absolute(path, request=None):
    """`path` ("/tra-cuu/…") as an absolute URL (see the module docstring for where the host comes from)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    request = request or current_request()
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_BASE + path

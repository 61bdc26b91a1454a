"""The REST API: django-ninja at /api, token or session authentication, one error shape everywhere.

Errors always look like `{"error": {"code": "not_found", "message": "…", "details": …}}`, and every operation lists
in its `response=` (through `answers()`) each error status it can answer, so /api/openapi.json tells the truth.
Lists that page take the one `Paging` query; out-of-bounds values are a 422 like any other invalid input.
"""

import math
import threading
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from civicdesk.core import throttle
from civicdesk.core.clients import client_ip
from civicdesk.core.services import authenticate_token
from civicdesk.geo.models import Commune


class BearerToken(HttpBearer):
    """`Authorization: Bearer cd_…` — tokens come from `civicdesk api_token USERNAME` or the account page."""

    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        user = authenticate_token(key)
        if user is not None:
            request.user = user
        return user


class SessionCookie(SessionAuth):
    """The signed-in browser's session; its writes carry the CSRF token like our pages' forms do.

    ninja's own session auth checks CSRF before it knows whether anyone is signed in, so an anonymous write was a
    403 "CSRF check Failed". Without a live session there is nothing to forge: the caller is just not signed in (401).
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(
                _(
                    "Thiếu mã CSRF của phiên đăng nhập (header X-CSRFToken); công cụ bên ngoài hãy dùng mã truy cập."
                )
            )
        return request.COOKIES.get(self.param_name)


api = NinjaAPI(
    title="CivicDesk API",
    version="1",
    description=(
        "API của CivicDesk cho các hệ thống và công cụ của tỉnh. Xác thực bằng mã truy cập (Bearer). "
        'Lỗi luôn có dạng {"error": {"code", "message", "details"}}; mỗi thao tác liệt kê các mã lỗi có thể trả.'
    ),
    auth=[BearerToken(), HeaderToken(), SessionCookie()],
    urls_namespace="api",
)


# -- Errors ---------------------------------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(
        description="unauthenticated, forbidden, not_found, conflict, invalid, incomplete, bad_request, throttled"
    )
    message: str = Field(description="Thông báo bằng tiếng Việt, hiển thị được cho người dùng.")
    details: Any = Field(None, description="Chi tiết (với invalid: từng trường sai).")


class ErrorOut(Schema):
    error: ErrorDetail


def answers(ok, *errors):
    """An operation's `response=`: its success (`{status: schema}`, or the 200 schema) and each error status it can
    answer, all in the error shape. 401 is implied: every operation needs a token or a signed-in session."""
    responses = dict(ok) if isinstance(ok, dict) else {200: ok}
    for status in sorted({401, *errors}):
        responses[status] = ErrorOut
    return responses


def error(request, status, code, message, details=None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", _("Cần mã truy cập hợp lệ (Authorization: Bearer …)."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error(request, 403, "forbidden", str(exc) or _("Bạn không có quyền thực hiện thao tác này."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return error(request, 422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), details=exc.errors)


@api.exception_handler(DjangoValidationError)
def _invalid_model(request, exc):
    details = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return error(request, 422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), details=details)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    seconds = max(1, math.ceil(exc.wait or 1))
    message = _("Bạn gửi quá nhiều yêu cầu; hãy thử lại sau %(seconds)s giây.") % {"seconds": seconds}
    return error(request, 429, "throttled", message)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # ninja: the body is not JSON at all
        return error(request, 400, "bad_request", _("Không đọc được nội dung gửi lên (cần JSON hợp lệ)."))
    return error(request, exc.status_code, "error", str(exc))


# -- Paging ---------------------------------------------------------------------------------------------------------

MAX_LIMIT = 500
# Deep offsets cost a scan of everything skipped; past this, narrow the list with its filters (dates, status).
MAX_OFFSET = 1_000_000


class Paging(Schema):
    """`?limit=&offset=` on every list that pages (`paging: Query[Paging]`)."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Số dòng tối đa trả về (1–{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"Bỏ qua bấy nhiêu dòng đầu (0–{MAX_OFFSET}).")

    @property
    def end(self):
        return self.offset + self.limit

    def page(self, rows):
        """The page of `rows` (a QuerySet, sliced in the database, or a list)."""
        return rows[self.offset : self.end]


# -- Rate limits ----------------------------------------------------------------------------------------------------


class RateLimit(BaseThrottle):
    """At most `per_user` = (count, seconds) calls by one user, whichever token or session they use, and
    `per_address` by one client address (a commune office's officers share one: give it more room).

    Counted with the project's atomic attempt counter (core/throttle.py), after authentication. A call refused for
    the user is not counted against the address, so one insistent caller does not lock out their office.
    `Retry-After` is the window's length: by then the window that refused the call has ended.
    """

    def __init__(self, scope, *, per_user, per_address):
        self.scope = scope
        self.per_user = per_user
        self.per_address = per_address
        self._refused = threading.local()

    def _over(self, key, limit):
        count, seconds = limit
        if throttle.attempt(f"api-{self.scope}:{key}", seconds) <= count:
            return False
        self._refused.seconds = seconds
        return True

    def allow_request(self, request):
        self._refused.seconds = None
        return not (
            self._over(f"user:{request.auth.pk}", self.per_user)
            or self._over(f"ip:{client_ip(request)}", self.per_address)
        )

    def wait(self):
        return getattr(self._refused, "seconds", None)


def scoped_commune(request, code, *, missing=None):
    """The caller's commune, or (province roles) the visible commune `code`: 404 outside the caller's scope, 422
    (`missing`, or a default message) when a province role gives no code."""
    user = request.user
    if user.commune_id:
        if code is not None and code != user.commune.code:
            raise Http404
        return user.commune
    if code is None:
        raise DjangoValidationError({"commune_code": missing or _("Cấp tỉnh cần ghi mã xã (commune_code).")})
    return get_object_or_404(Commune.objects.visible_to(user), code=code)

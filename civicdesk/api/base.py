"""The REST API: django-ninja at /api, token or session authentication, one error shape everywhere.

Errors always look like `{"error": {"code": "not_found", "message": "…", "details": …}}`.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from civicdesk.core.services import authenticate_token


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


api = NinjaAPI(
    title="CivicDesk API",
    version="1",
    description="API của CivicDesk cho các hệ thống và công cụ của tỉnh. Xác thực bằng mã truy cập (Bearer).",
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api",
)


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


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return error(request, exc.status_code, "error", str(exc))

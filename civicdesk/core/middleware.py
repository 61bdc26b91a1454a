import json
from contextvars import ContextVar

from civicdesk.kernel.validators import find_control_characters, has_control_characters

_request = ContextVar("civicdesk_request", default=None)


def current_request():
    """The request being served by this thread, if any (for the audit log's IP)."""
    return _request.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language (the language switcher's cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials' browsers are set to
    English out of the box; CivicDesk speaks Vietnamese first and English on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ControlCharactersMiddleware:
    """API requests whose JSON body or query string holds a control character answer 422 in the API's error shape
    (forms do the same in place, through `forms.CharField`'s validator; see core/validators.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._carries_credentials(request):
            problem = self._problem(request)
            if problem is not None:
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                message = _(
                    "Trường %(field)s có ký tự điều khiển không nhìn thấy; hãy xóa ký tự đó rồi gửi lại."
                )
                return JsonResponse(
                    {"error": {"code": "invalid", "message": message % {"field": problem},
                               "details": {problem: [message % {"field": problem}]}}},
                    status=422,
                )  # fmt: skip
        return self.get_response(request)

    @staticmethod
    def _carries_credentials(request):
        """Only a caller who could be let in gets the 422: an anonymous one gets the API's 401 as for any call."""
        user = getattr(request, "user", None)
        return bool(
            (user is not None and user.is_authenticated)
            or request.META.get("HTTP_AUTHORIZATION")
            or request.META.get("HTTP_X_API_KEY")
        )

    @staticmethod
    def _problem(request):
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return key
        if request.content_type == "application/json" and request.body:
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # malformed JSON: the API answers that itself
            return find_control_characters(data)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            from django.http.multipartparser import MultiPartParserError

            try:
                fields = list(request.POST.lists())
            except MultiPartParserError:
                return None  # a broken body: the API answers that itself, in its own error shape
            for key, values in fields:
                if any(has_control_characters(v) for v in values):
                    return key
        return None


class ContentSecurityPolicyMiddleware:
    """Every HTML answer carries `CONTENT_SECURITY_POLICY`: scripts only from our own files (no inline script, no
    eval — htmx runs with `allowEval` off, see base.html), nothing framed, forms posted only to us."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response

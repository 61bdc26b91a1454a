from contextvars import ContextVar

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

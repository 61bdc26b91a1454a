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

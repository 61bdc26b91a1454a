"""API-wide fixtures: a token for any of the named people, and a client that enforces CSRF like a real browser."""

import pytest
from django.test import Client

from civicdesk.core.services import issue_api_token


@pytest.fixture
def bearer():
    """`bearer(alice)`: the headers of a fresh token for that user."""

    def headers(user):
        _token, raw = issue_api_token(user, user)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return headers


@pytest.fixture
def strict_client():
    """Django's test client skips CSRF checks unless asked; the API's callers get no such favour."""
    return Client(enforce_csrf_checks=True)


def pytest_sessionfinish(session):
    """On a pytest-xdist worker, hand what schemathesis' calls answered to the controller, which prints the line."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from . import tally

        workeroutput["api_tally"] = tally.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from . import tally

    tally.merge(getattr(node, "workeroutput", {}).get("api_tally"))


def pytest_terminal_summary(terminalreporter):
    from . import tally

    line = tally.summary()
    if line:
        terminalreporter.write_line(line)

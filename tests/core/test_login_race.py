"""Issue 13 (items 3, 4): the login lockout holds under parallel guesses, and the address it counts is the visitor's,
taken from X-Forwarded-For only when the request comes through a trusted proxy."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import RequestFactory

from civicdesk.core import throttle
from civicdesk.core.clients import client_ip
from civicdesk.core.forms import ThrottledAuthenticationForm

PASSWORD = "mat-khau-rat-manh-2026"  # tests/factories.py


def _form(username, password, ip="203.0.113.7"):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    return ThrottledAuthenticationForm(request, data={"username": username, "password": password})


def test_past_the_limit_no_password_is_even_checked(alice, settings, monkeypatch):
    import django.contrib.auth.forms as auth_forms

    settings.LOGIN_FAILURE_LIMIT = 5
    checked = []
    real = auth_forms.authenticate
    monkeypatch.setattr(auth_forms, "authenticate", lambda *a, **k: checked.append(1) or real(*a, **k))
    results = [_form("alice", "sai").is_valid() for _ in range(15)] + [_form("alice", PASSWORD).is_valid()]
    assert results == [False] * 16  # the right password comes too late: locked
    assert len(checked) == 5  # attempts 6…16 were refused before any password check


def test_each_attempt_takes_its_number_before_the_password_check(alice, monkeypatch):
    import django.contrib.auth.forms as auth_forms

    seen = []
    real = auth_forms.authenticate
    form = _form("alice", "sai")
    user_key, _ip_key = form._keys()

    def spy(*args, **kwargs):
        seen.append(throttle.count(user_key))
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", spy)
    form.is_valid()
    assert seen == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_guesses_cannot_pass_a_limit_of_five(alice, settings):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    settings.LOGIN_FAILURE_LIMIT = 5
    barrier = threading.Barrier(16)
    outcomes = []

    def login(password):
        try:
            barrier.wait(timeout=10)
            form = _form("alice", password)
            form.is_valid()
            outcomes.append("locked" if form.has_error("__all__", "locked") else "checked")
        finally:
            close_old_connections()
            connection.close()

    # Sixteen guesses at once, none right (a right one within the limit would log in and reset the count, as
    # a success does: test_success_resets_the_counter).
    threads = [threading.Thread(target=login, args=(f"sai-{n}",)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 16
    assert outcomes.count("checked") == 5 and outcomes.count("locked") == 11


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "198.51.100.9")) == "127.0.0.1"


def test_behind_a_trusted_proxy_the_visitor_is_the_forwarded_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(_request("127.0.0.1", "198.51.100.9")) == "198.51.100.9"
    # A visitor who forges the header gets their forged part ignored: nginx appends the real peer.
    assert client_ip(_request("127.0.0.1", "6.6.6.6, 198.51.100.9")) == "198.51.100.9"
    # Through a load balancer (10.x) and nginx: the right-most untrusted address.
    assert client_ip(_request("127.0.0.1", "198.51.100.9, 10.1.2.3")) == "198.51.100.9"
    # A request straight from a stranger keeps its own address whatever it claims.
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_the_lockout_and_the_audit_log_count_the_visitor(client, alice, settings):
    from civicdesk.core.models import AuditEvent

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_FAILURE_LIMIT = 2
    for visitor in ("198.51.100.1", "198.51.100.2"):
        client.post("/accounts/login/", {"username": f"khong-co-{visitor}", "password": "x"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor)  # fmt: skip
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True)) == {
        "198.51.100.1",
        "198.51.100.2",
    }


def test_ended_windows_are_purged(db):
    import time_machine

    with time_machine.travel("2027-02-08 09:00 +0700", tick=False):
        throttle.attempt("old", 60)
    with time_machine.travel("2027-02-08 09:05 +0700", tick=False):
        throttle.attempt("live", 600)
        assert throttle.count("old") == 0 and throttle.count("live") == 1
        assert throttle.purge() == 1
        assert throttle.count("live") == 1

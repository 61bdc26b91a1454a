import pytest
from django.urls import reverse

from civicdesk.core.models import AuditEvent

LOGIN = "/accounts/login/"
PASSWORD = "mat-khau-rat-manh-2026"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_at_django_default_path(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_officer_logs_in_and_lands_on_her_home(client, alice):
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "K&#x27;Brơi Alice" in page or "K'Brơi Alice" in page
    assert "Xã Di Linh" in page
    assert AuditEvent.objects.filter(action="login", actor=alice).exists()


def test_wrong_password_is_refused_without_saying_whether_the_user_exists(client, alice):
    wrong_password = post_login(client, "alice", "sai-mat-khau").content.decode()
    no_such_user = post_login(client, "khong-ton-tai", "sai-mat-khau").content.decode()
    message = "Tên đăng nhập hoặc mật khẩu không đúng"
    assert message in wrong_password and message in no_such_user
    # The username the person typed is kept in the form.
    assert 'value="alice"' in wrong_password


@pytest.mark.parametrize("username", ["alice", "khong-ton-tai"])
def test_login_is_locked_after_repeated_failures(client, alice, settings, username):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        post_login(client, username, "sai-mat-khau")
    locked = post_login(client, username, PASSWORD if username == "alice" else "x").content.decode()
    assert "tạm khóa" in locked
    if username == "alice":
        # Even the right password is refused while locked.
        assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", object_repr=username).count() == 3


def test_success_resets_the_counter(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    post_login(client, "alice", "sai")
    post_login(client, "alice", "sai")
    assert post_login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    post_login(client, "alice", "sai")
    post_login(client, "alice", "sai")
    assert post_login(client, "alice", PASSWORD).status_code == 302


def test_logout_requires_post_and_ends_the_session(client_for, alice):
    client = client_for(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_pages_require_login(client, db):
    for name in ("home", "calendar", "organisation", "api_tokens", "commune_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(LOGIN), name


def test_password_reset_sends_mail_only_to_real_accounts_with_same_response(client, alice, mailoutbox):
    for email in (alice.email, "nobody@example.test"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [alice.email]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_password_change_enforces_strong_passwords(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Cao-nguyen-Di-Linh-2026",
            "new_password2": "Cao-nguyen-Di-Linh-2026",
        },
    )
    assert response.status_code == 302


def test_csrf_is_enforced_on_login(db, alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403

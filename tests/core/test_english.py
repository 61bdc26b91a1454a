"""English is the second UI language: the EN switch in the header must give an English page.

These assertions only hold when civicdesk/locale/en/LC_MESSAGES/django.mo is compiled from a translated django.po.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

LOGIN = "/accounts/login/"


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_home_page_is_in_english_after_switching(client_for, alice):
    client = switch_to_english(client_for(alice))
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page
    assert "Hello, K" in page  # "Hello, K'Brơi Alice" (the apostrophe is HTML-escaped)
    assert "Xã Di Linh" in page  # names stay as they are
    assert "Commune-level official" in page  # her role
    assert "Log out" in page and "Change password" in page
    assert "Search the handbook" in page
    assert "Working calendar" in page
    assert "No list of hamlets and residential groups yet." in page
    for vietnamese in ("Xin chào", "Đăng xuất", "Trang chủ", "Tìm trong cẩm nang", "Lịch làm việc"):
        assert vietnamese not in page


def test_login_page_is_in_english_for_the_language_cookie(client_for, alice):
    client = switch_to_english(client_for(alice))
    # Log out the way the header's button does: the language choice outlives the session (it is a cookie).
    assert client.post(reverse("logout")).status_code == 302
    page = client.get(LOGIN).content.decode()
    assert 'lang="en"' in page
    assert "Log in to CivicDesk" in page
    assert "Username" in page and "Password" in page
    assert "Forgot your password?" in page
    for vietnamese in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Quên mật khẩu"):
        assert vietnamese not in page


def test_wrong_password_message_is_in_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    page = client.post(LOGIN, {"username": "nobody", "password": "wrong-password"}).content.decode()
    assert "The username or password is incorrect." in page
    assert "Tên đăng nhập hoặc mật khẩu không đúng" not in page


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client, db):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập CivicDesk" in page and 'lang="vi"' in page
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert "Log in to CivicDesk" in client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_vietnamese_stays_the_default(client, db):
    page = client.get(LOGIN).content.decode()
    assert "Đăng nhập CivicDesk" in page
    assert "Log in to CivicDesk" not in page


def test_plural_forms_are_english():
    with translation.override("en"):
        one = ngettext("%(n)s thủ tục", "%(n)s thủ tục", 1) % {"n": 1}
        many = ngettext("%(n)s thủ tục", "%(n)s thủ tục", 3) % {"n": 3}
    assert one == "1 procedure"
    assert many == "3 procedures"


def test_labels_built_at_import_time_follow_the_readers_language():
    from civicdesk.assistant.engine.compose import METHOD_LABELS, ONLINE_LABELS, _label
    from civicdesk.hotline.forms import TicketForm

    help_text = TicketForm.base_fields["attachments"].help_text
    with translation.override("en"):
        assert str(help_text).startswith("Optional. Accepted:")
        assert _label(METHOD_LABELS, "truc_tiep") == "In person"
        assert _label(ONLINE_LABELS, "toan_trinh") == "Fully online public service"
    with translation.override("vi"):
        assert str(help_text).startswith("Tùy chọn. Nhận:")
        assert _label(METHOD_LABELS, "truc_tiep") == "Trực tiếp"


def test_the_gap_score_formulas_are_in_english_after_switching(client_for, noi):
    client = switch_to_english(client_for(noi))
    page = client.get(reverse("staffing:weights")).content.decode()
    assert "people needed = 0 if score &lt; threshold" in page
    assert "số người cần" not in page

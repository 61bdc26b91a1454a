"""Personal data never reaches the logs: the filter installed on settings.LOGGING's handlers masks CCCD numbers,
Vietnamese mobile numbers and e-mail addresses in messages, arguments and tracebacks."""

import io
import logging

import pytest
from django.conf import settings

from civicdesk.kernel.personal_data import mask

pytestmark = pytest.mark.clock_free

SECRETS = ("068190001234", "0912345678", "0912 345 678", "+84 912 345 678", "ka.hue@example.vn")


@pytest.fixture
def console():
    """The root logger's console handler as settings.LOGGING configured it, writing into a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def test_settings_install_the_filter_on_every_handler():
    assert (
        settings.LOGGING["filters"]["personal_data"]["()"] == "civicdesk.privacy.logfilter.MaskPersonalData"
    )
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name


def test_cccd_phone_and_email_are_masked_in_what_is_logged(console):
    log = logging.getLogger("civicdesk.tests.privacy")
    log.warning("Hồ sơ của CCCD %s, điện thoại %s", "068190001234", "0912345678")
    log.warning("Gọi lại 0912 345 678 hoặc +84 912 345 678, thư ka.hue@example.vn")
    log.warning("Lỗi khi gửi: %(phone)s", {"phone": "84912345678"})
    written = console.getvalue()
    for secret in (*SECRETS, "84912345678"):
        assert secret not in written
    assert written.count("[cccd]") == 1 and written.count("[phone]") == 4 and written.count("[email]") == 1
    assert "Hồ sơ của CCCD" in written  # the rest of the message is kept


def test_tracebacks_are_masked_too(console):
    log = logging.getLogger("civicdesk.tests.privacy")
    try:
        raise ValueError("số 0987654321 không hợp lệ cho CCCD 079123456789")
    except ValueError:
        log.exception("Không gửi được tin nhắn")
    written = console.getvalue()
    assert "ValueError" in written and "Traceback" in written
    assert "0987654321" not in written and "079123456789" not in written


def test_django_loggers_go_through_a_masking_handler(console):
    """Django's request and server loggers keep no handler of their own that would bypass the filter."""
    logging.getLogger("django.request").error("Not Found: /tra-cuu/?phone=0912345678")
    assert "0912345678" not in console.getvalue() and "[phone]" in console.getvalue()
    # The development server's request lines (pytest adds capture handlers of its own beside ours).
    ours = [h for h in logging.getLogger("django.server").handlers if h.get_name() == "django.server"]
    assert len(ours) == 1 and any(type(f).__name__ == "MaskPersonalData" for f in ours[0].filters)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCCD 068190001234.", "CCCD [cccd]."),
        ("0912345678", "[phone]"),
        ("0912.345.678", "[phone]"),
        ("+84-912-345-678", "[phone]"),
        ("mã hồ sơ 000.00.25.H38-260302-0001", "mã hồ sơ 000.00.25.H38-260302-0001"),  # not a phone
        ("năm 2026, 15 hồ sơ", "năm 2026, 15 hồ sơ"),
        ("1234567890123", "1234567890123"),  # 13 digits: not a CCCD
        ("a.b+c@x.example.org", "[email]"),
    ],
)
def test_mask(text, expected):
    assert mask(text) == expected

"""Issue 13 (item 7): the anonymous pages that send mail or answer anyone are rate-limited per address, and say so
in place with what was typed kept."""

from civicdesk.assistant import store


def test_the_public_assistant_page_limits_one_address(client, db, settings, tmp_path):
    settings.ASSISTANT_PUBLIC_LIMIT = 2
    settings.ASSISTANT_INDEX_DIR = str(tmp_path)
    store.reset()
    for _ in range(2):
        assert client.post("/assistant/public/", {"q": "khai sinh"}).status_code == 200
    limited = client.post("/assistant/public/", {"q": "đăng ký kết hôn cần gì"})
    html = limited.content.decode()
    assert limited.status_code == 429 and "thử lại sau" in html and "đăng ký kết hôn cần gì" in html
    # Another address is not affected.
    assert (
        client.post("/assistant/public/", {"q": "khai sinh"}, REMOTE_ADDR="198.51.100.20").status_code == 200
    )


def test_password_reset_is_limited_per_address_and_per_email(client, alice, mailoutbox):
    for n in range(3):
        response = client.post("/accounts/password_reset/", {"email": alice.email})
        assert response.status_code == 302, n
    assert len(mailoutbox) == 3
    limited = client.post("/accounts/password_reset/", {"email": alice.email})
    assert limited.status_code == 429 and "Đã gửi nhiều yêu cầu" in limited.content.decode()
    assert len(mailoutbox) == 3
    # The same answer for an address no account has: the limit tells nothing about accounts.
    for n in range(2):
        client.post("/accounts/password_reset/", {"email": f"khong-co-{n}@example.vn"})
    assert (
        client.post("/accounts/password_reset/", {"email": "khac@example.vn"}).status_code == 429
    )  # 6th from here

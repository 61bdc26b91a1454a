"""POST /api/assistant/ask is rationed per user (whatever token they use) and per client address."""

import pytest

from civicdesk.api.assistant import ASK_PER_ADDRESS, ASK_PER_USER
from civicdesk.assistant import store
from tests.factories import UserFactory

URL = "/api/assistant/ask"
OFFICE = "203.0.113.7"  # a commune office's one public address (documentation range)
HOME = "198.51.100.20"


@pytest.fixture(autouse=True)
def _quiet_assistant(settings, tmp_path, time_machine):
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "assistant-index")
    settings.ASSISTANT_LLM_URL = ""
    settings.ASSISTANT_EMBEDDING_MODEL = ""
    store.reset()
    # Windows are counted on the clock: keep the whole test inside one.
    time_machine.move_to("2026-03-02T09:00:10+07:00", tick=False)
    yield
    store.reset()


def ask(client, headers, address=OFFICE):
    return client.post(
        URL, {"q": "làm giấy khai sinh"}, content_type="application/json", REMOTE_ADDR=address, **headers
    )


def test_a_user_who_asks_too_often_waits_for_the_next_minute(client, bearer, alice, time_machine):
    count, seconds = ASK_PER_USER
    headers = bearer(alice)
    for _ in range(count):
        assert ask(client, headers).status_code == 200
    refused = ask(client, headers)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "throttled" and "giây" in error["message"]
    assert 0 < int(refused["Retry-After"]) <= seconds
    time_machine.shift(int(refused["Retry-After"]))
    assert ask(client, headers).status_code == 200


def test_a_second_token_or_address_does_not_reset_the_users_allowance(client, bearer, alice, linh):
    count, _seconds = ASK_PER_USER
    for _ in range(count):
        assert ask(client, bearer(alice)).status_code == 200
    assert ask(client, bearer(alice), address=HOME).status_code == 429
    assert ask(client, bearer(linh)).status_code == 200  # her colleague at the same office still asks


def test_one_address_is_rationed_across_its_users(client, bearer, di_linh):
    count, _seconds = ASK_PER_ADDRESS
    per_user = ASK_PER_USER[0]
    officers = [
        UserFactory(role="commune_officer", commune=di_linh) for _ in range(-(-count // per_user) + 1)
    ]
    answered = 0
    for officer in officers:
        headers = bearer(officer)
        for _ in range(per_user):
            if ask(client, headers).status_code != 200:
                break
            answered += 1
    assert answered == count
    assert ask(client, bearer(officers[-1]), address=HOME).status_code == 200


def test_refusals_do_not_reach_the_assistant(client, bearer, alice, monkeypatch):
    count, _seconds = ASK_PER_USER
    headers = bearer(alice)
    for _ in range(count):
        ask(client, headers)
    from civicdesk.api import assistant

    monkeypatch.setattr(assistant, "respond", lambda q: pytest.fail("a throttled question was answered"))
    assert ask(client, headers).status_code == 429


def test_anonymous_askers_are_refused_before_counting(client, db):
    for _ in range(ASK_PER_ADDRESS[0] + 1):
        assert ask(client, {}).status_code == 401

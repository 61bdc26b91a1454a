"""Acceptance tests: the issues' "Done when" walked as a real user, on the real Lâm Đồng demo.

The demo (`civicdesk demo`) is loaded ONCE for this folder into the test database; every test then runs inside a
transaction that is rolled back, so each scenario starts from the pristine demo. When the folder is done, the tables
are flushed so the rest of the suite (built on factories) starts from empty tables as it expects.

Users log in through the real login form with the demo password, and forms are posted as the page renders them
(`submit`: the form's own hidden fields, defaults, selected options and checked boxes, overridden by what the user
types), following redirects.
"""

from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.test.utils import override_settings

DEMO_PASSWORD = "civicdesk-demo"
DI_LINH, CAM_LY, CAT_TIEN_3 = 25000, 24787, 25162


@pytest.fixture(scope="package")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real Lâm Đồng demo, loaded once for the acceptance folder, flushed afterwards."""
    files = tmp_path_factory.mktemp("acceptance")
    overrides = override_settings(
        ASSISTANT_INDEX_DIR=str(files / "assistant"),
        ASSISTANT_LLM_URL="",
        ASSISTANT_EMBEDDING_MODEL="",
        MEDIA_ROOT=files / "media",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEMO_PASSWORD=DEMO_PASSWORD,
        SITE_URL="http://civicdesk.test",
    )
    overrides.enable()
    from civicdesk.assistant import store

    store.reset()
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)
    store.reset()
    overrides.disable()


@pytest.fixture
def demo(demo_db, db):
    """Each test: the demo inside a rolled-back transaction; the assistant's in-memory index follows the DB."""
    from civicdesk.assistant import store

    store.reset()
    yield demo_db
    store.reset()


@pytest.fixture
def users(demo):
    from civicdesk.core.models import User

    class Users:
        def __getitem__(self, username):
            return User.objects.get(username=username)

    return Users()


def login(client, username, password=DEMO_PASSWORD):
    """Log in through the real login form (/accounts/login/), following the redirect to the home page."""
    client.logout()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    response = submit(client, page, {"username": username, "password": password}, contains="password")
    return response


@pytest.fixture
def login_as(client, demo):
    def _login(username):
        response = login(client, username)
        assert response.status_code == 200, response.content[:500]
        assert response.wsgi_request.user.is_authenticated, f"{username} could not log in"
        return client

    return _login


def html(response):
    return response.content.decode()


def find_form(response, action=None, contains=None):
    """The <form> of the page whose action ends with `action` (or that contains a field named `contains`)."""
    doc = lxml.html.fromstring(html(response))
    forms = doc.forms
    for form in forms:
        form_action = form.get("action") or ""
        if form_action.startswith("/i18n/") and action is None:
            continue  # the language switcher in the page header
        if action is not None and not (form_action.split("?")[0].endswith(action) or form_action == action):
            continue
        if contains is not None and contains not in [f.name for f in form.inputs if f.name]:
            continue
        return form
    actions = [(f.get("action"), [i.name for i in f.inputs][:8]) for f in forms]
    raise AssertionError(f"no form action={action!r} contains={contains!r} on the page; forms: {actions}")


def form_values(form):
    values = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return values


def submit(client, response, data=None, *, action=None, contains=None, button=None, files=None, follow=True):
    """Post the page's form as a user would: what the page pre-filled, overridden by `data` (None removes a key)."""
    form = find_form(response, action=action, contains=contains)
    values = form_values(form)
    for key, value in (data or {}).items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value if isinstance(value, list) else [value]
    if button:
        values.update({k: [v] for k, v in button.items()})
    if files:
        values.update(files)
    url = form.get("action") or response.wsgi_request.get_full_path()
    method = (form.get("method") or "get").lower()
    payload = {k: (v if len(v) != 1 else v[0]) for k, v in values.items()}
    if method == "post":
        return client.post(url, payload, follow=follow)
    return client.get(url, payload, follow=follow)


def messages_of(response):
    return (
        [str(m) for m in response.context["messages"]]
        if response.context and "messages" in response.context
        else []
    )

"""Issue 13 (item 2): every text input refuses NUL and other control characters — forms in place with what was
typed kept, the API with 422 — while newlines and tabs stay text."""

import pytest
from django import forms

from civicdesk.kernel.validators import find_control_characters, has_control_characters


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1b", "\x7f"])
def test_control_characters_are_found(char):
    assert has_control_characters(f"Khai sinh{char}cho con")


def test_newline_and_tab_are_text():
    assert not has_control_characters("Dòng 1\nDòng 2\tcột")


def test_every_form_text_field_refuses_them():
    class Any(forms.Form):
        title = forms.CharField()

    form = Any({"title": "Đăng ký\x0bkhai sinh"})
    assert not form.is_valid()
    assert "U+000B" in form.errors["title"][0] and "ký tự điều khiển" in form.errors["title"][0]
    assert Any({"title": "Đăng ký\nkhai sinh"}).is_valid()


def test_a_json_path_names_the_field():
    assert find_control_characters({"q": "ok", "items": [{"name": "a\x00b"}]}) == "items[0].name"
    assert find_control_characters({"q": "ok\nfine"}) is None


def test_the_assistant_form_keeps_what_was_typed(client_for, alice):
    response = client_for(alice).post("/assistant/", {"q": "làm giấy khai sinh\x0b cho con"})
    html = response.content.decode()
    assert response.status_code == 400 and "ký tự điều khiển" in html
    assert "làm giấy khai sinh" in html


def test_the_hotline_form_refuses_a_control_character_in_place(client_for, alice):
    response = client_for(alice).post(
        "/hotline/new/", {"title": "Hỏi\x0bđáp", "body": "Nội dung", "urgency": "normal"}
    )
    assert response.status_code == 400 and "ký tự điều khiển" in response.content.decode()


def test_the_api_answers_422_naming_the_field(client, alice):
    from civicdesk.core.services import issue_api_token

    _token, raw = issue_api_token(alice, alice)
    response = client.post("/api/assistant/ask", {"q": "khai sinh\x00"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid" and "q" in body["details"]
    query = client.get("/api/handbook/procedures", {"q": "a\x0bb"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert query.status_code == 422


def test_every_text_field_of_every_form_of_ours_has_the_check():
    """Django's own fields included (the login form's are created before our app starts)."""
    import importlib
    import inspect
    import pkgutil

    from django.core.exceptions import ValidationError

    import civicdesk

    missing = []
    for module_info in pkgutil.walk_packages(civicdesk.__path__, "civicdesk."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, obj in vars(module).items():
            if not (
                inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__
            ):
                continue
            for field_name, field in obj.base_fields.items():
                if not isinstance(field, forms.CharField):
                    continue
                try:
                    field.run_validators("ab\x0bcd")
                except ValidationError:
                    continue
                missing.append(f"{module.__name__}.{name}.{field_name}")
    assert not missing, missing


def test_an_anonymous_api_caller_gets_401_whatever_it_sends(client, db):
    response = client.post("/api/assistant/ask", {"q": "a\x00b"}, content_type="application/json")
    assert response.status_code == 401

"""kernel.appsettings: an app's setting comes from Django settings, else the environment or NAME_FILE, else the
default, typed like the default."""

from civicdesk.kernel.appsettings import reader

get = reader({"DEMO_APP_LIMIT": 5, "DEMO_APP_TOKEN": ""})


def test_default_environment_file_and_settings_in_that_order(monkeypatch, tmp_path, settings):
    assert get("DEMO_APP_LIMIT") == 5 and get("DEMO_APP_TOKEN") == ""
    monkeypatch.setenv("DEMO_APP_LIMIT", "12")
    assert get("DEMO_APP_LIMIT") == 12  # an int default reads an int
    secret = tmp_path / "token"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("DEMO_APP_TOKEN_FILE", str(secret))
    monkeypatch.setenv("DEMO_APP_TOKEN", "ignored")
    assert get("DEMO_APP_TOKEN") == "s3cret"
    settings.DEMO_APP_LIMIT = 3
    assert get("DEMO_APP_LIMIT") == 3
    monkeypatch.setenv("DEMO_APP_LIMIT", "")
    del settings.DEMO_APP_LIMIT
    assert get("DEMO_APP_LIMIT") == 5  # empty is unset

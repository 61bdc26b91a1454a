"""Production mode: refuses default secrets and passes `check --deploy` without warnings."""

import os
import subprocess
import sys

import pytest

GOOD_SECRET = "k" * 20 + "Z9#x!q-Lâm-Đồng-secret-for-tests-" + "p" * 10


def run(args, **env):
    full_env = {**os.environ, "CIVICDESK_TESTING": "0", **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "civicdesk.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


@pytest.mark.parametrize("secret", [None, "short", "civicdesk-development-secret-do-not-use-in-production"])
def test_production_refuses_a_default_or_weak_secret(secret, tmp_path):
    env = {
        "CIVICDESK_ENV": "production",
        "ALLOWED_HOSTS": "civicdesk.example.vn",
        "CIVICDESK_VAR": str(tmp_path),
    }
    if secret:
        env["SECRET_KEY"] = secret
    else:
        os.environ.get("SECRET_KEY") and env.update(SECRET_KEY="")
    result = run(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.clock_free
def test_check_deploy_is_clean_in_production(tmp_path):
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        CIVICDESK_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="civicdesk.example.vn",
        CIVICDESK_VAR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.clock_free
def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(GOOD_SECRET)
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        CIVICDESK_ENV="production",
        SECRET_KEY_FILE=str(secret_file),
        ALLOWED_HOSTS="civicdesk.example.vn",
        CIVICDESK_VAR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr

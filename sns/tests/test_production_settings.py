"""Production settings: safe by default, and refusing to start without their secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "SNS_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


SECRETS = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": "sqlite:////tmp/sns-deploy-check.sqlite3"}


def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **SECRETS)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    present = {key: value for key, value in SECRETS.items() if key != missing}

    result = manage("check", **present)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_the_test_error_endpoint():
    result = manage("check", SNS_ENABLE_TEST_ERROR_ENDPOINT="true", **SECRETS)

    assert result.returncode != 0
    assert "SNS_ENABLE_TEST_ERROR_ENDPOINT" in result.stderr

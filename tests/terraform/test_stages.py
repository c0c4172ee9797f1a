"""Stage roots are the same code with different values, and values never include secrets."""

import re

import pytest

from conftest import ENVS, MODULE_NAMES, SECRET_VARIABLES, STAGES, collect, load, unquote


def tf_files(stage):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((ENVS / stage).glob("*.tf"))}


def test_stage_roots_link_to_one_shared_root_instead_of_copying_it():
    shared = {p.name for p in (ENVS / "shared").glob("*.tf")}
    assert shared == {"main.tf", "variables.tf", "outputs.tf", "versions.tf"}
    for stage in STAGES:
        own = {p.name for p in (ENVS / stage).iterdir()}
        assert own == shared | {"terraform.tfvars"}, f"envs/{stage} may hold only links and its values"
        for name in shared:
            link = ENVS / stage / name
            assert link.is_symlink(), f"envs/{stage}/{name} must link to ../shared/{name}, not copy it"
            assert link.resolve() == (ENVS / "shared" / name).resolve()


def test_both_stages_call_the_same_modules_with_the_same_inputs():
    calls = {stage: collect(ENVS / stage, "module") for stage in STAGES}
    assert set(calls["staging"]) == set(MODULE_NAMES)
    for name in MODULE_NAMES:
        staging, production = calls["staging"][name], calls["production"][name]
        assert unquote(staging["source"]) == f"../../modules/{name}"
        assert unquote(production["source"]) == unquote(staging["source"])
        assert sorted(k for k in staging if not k.startswith("__")) == sorted(
            k for k in production if not k.startswith("__")
        )


def test_tfvars_set_the_same_variables_in_both_stages(tfvars):
    keys = {stage: {k for k in values if not k.startswith("__")} for stage, values in tfvars.items()}
    assert keys["staging"] == keys["production"]
    declared = set(collect(ENVS / "staging", "variable"))
    assert keys["staging"] <= declared, keys["staging"] - declared


@pytest.mark.parametrize(("stage", "platform"), [("staging", "servers"), ("production", "kubernetes")])
def test_stage_and_platform_values(tfvars, stage, platform):
    assert unquote(tfvars[stage]["stage"]) == stage
    assert unquote(tfvars[stage]["platform"]) == platform


def test_names_that_must_be_unique_carry_the_stage(tfvars):
    for stage in STAGES:
        assert stage in unquote(tfvars[stage]["media_bucket_name"])
    main = (ENVS / "staging" / "main.tf").read_text(encoding="utf-8")
    assert 'name          = "${var.project}-${var.stage}"' in main


@pytest.mark.parametrize("stage", STAGES)
def test_no_secret_in_tfvars(tfvars, stage):
    values = tfvars[stage]
    leaked = sorted(set(values) & set(SECRET_VARIABLES))
    assert not leaked, f"secrets belong in TF_VAR_* only: {leaked}"
    text = (ENVS / stage / "terraform.tfvars").read_text(encoding="utf-8")
    assert not re.search(r"(?i)(password|secret|token|webhook|access_key|dsn)\s*=", text)
    assert not re.search(r"https://hooks\.slack\.com|-----BEGIN|ncp_iam_", text)


def test_secret_variables_are_sensitive_and_never_output():
    variables = collect(ENVS / "staging", "variable")
    for name in SECRET_VARIABLES:
        assert variables[name].get("sensitive") is True, name
    outputs = (ENVS / "staging" / "outputs.tf").read_text(encoding="utf-8")
    for name in SECRET_VARIABLES:
        assert f"var.{name}" not in outputs


def test_required_root_interface():
    variables = collect(ENVS / "staging", "variable")
    assert variables["image_tag"]["type"] in ("string", "${string}")
    for name in ("image_tag", "platform", "stage"):
        assert variables[name].get("validation"), f"{name} needs a validation"
    outputs = collect(ENVS / "staging", "output")
    assert {"load_balancer_address", "database_endpoint", "bucket_name", "cluster_id"} <= set(outputs)


def test_backend_is_ncp_object_storage_with_locking():
    versions = load(ENVS / "staging" / "versions.tf")
    terraform = versions["terraform"][0]
    assert unquote(terraform["required_version"]) == ">= 1.10"
    backend = terraform["backend"][0]['"s3"']
    assert unquote(backend["endpoints"]["s3"]) == "https://kr.object.ncloudstorage.com"
    assert backend["use_lockfile"] is True
    for flag in (
        "skip_credentials_validation",
        "skip_region_validation",
        "skip_requesting_account_id",
        "skip_s3_checksum",
    ):
        assert backend[flag] is True, flag
    assert "bucket" not in backend and "key" not in backend, "bucket and key come from scripts/tf.sh per stage"
    provider = versions["provider"][0]['"ncloud"']
    assert provider["support_vpc"] is True

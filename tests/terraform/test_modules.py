"""Each module is a documented unit: standard files, typed and described inputs, a README that
lists every input and output, and the provider pinned to v4."""

import re

import pytest

from conftest import MODULE_NAMES, MODULES, TERRAFORM, collect, load, unquote

ROOTS = [MODULES / m for m in MODULE_NAMES] + [TERRAFORM / "envs" / "staging", TERRAFORM / "bootstrap"]


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_files(name):
    present = {p.name for p in (MODULES / name).iterdir()}
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"} <= present


@pytest.mark.parametrize("directory", ROOTS, ids=lambda p: p.name)
def test_variables_are_typed_and_described(directory):
    for name, body in collect(directory, "variable").items():
        assert "type" in body, f"{directory.name}: variable {name} has no type"
        assert unquote(body.get("description", "")).strip(), f"{directory.name}: variable {name} has no description"


@pytest.mark.parametrize("directory", ROOTS, ids=lambda p: p.name)
def test_outputs_are_described(directory):
    for name, body in collect(directory, "output").items():
        assert unquote(body.get("description", "")).strip(), f"{directory.name}: output {name} has no description"


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_readme_lists_every_input_and_output(name):
    readme = (MODULES / name / "README.md").read_text(encoding="utf-8")
    for kind in ("variable", "output"):
        for item in collect(MODULES / name, kind):
            assert re.search(rf"`{re.escape(item)}`", readme), (
                f"modules/{name}/README.md does not mention {kind} `{item}`"
            )


@pytest.mark.parametrize("directory", ROOTS, ids=lambda p: p.name)
def test_provider_pinned_to_ncloud_v4(directory):
    terraform = load(directory / "versions.tf")["terraform"][0]
    assert unquote(terraform["required_version"]) == ">= 1.10"
    ncloud = terraform["required_providers"][0]["ncloud"]
    assert unquote(ncloud["source"]) == "NaverCloudPlatform/ncloud"
    assert unquote(ncloud["version"]) == "~> 4.0"


@pytest.mark.parametrize("name", [m for m in MODULE_NAMES if m != "object_storage"])
def test_module_names_carry_the_name_prefix(name):
    """Every NCP name is built from var.name, which carries project and stage."""
    for (rtype, rname), body in collect(MODULES / name, "resource").items():
        for attribute in ("name", "service_name", "server_name_prefix", "node_pool_name", "key_name"):
            if attribute in body:
                assert "${var.name}" in body[attribute] or body[attribute] == "${var.server_name_prefix}", (
                    f"{rtype}.{rname}.{attribute} = {body[attribute]}"
                )

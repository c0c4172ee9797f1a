"""Every Terraform file parses: checkov exits 0 on files it cannot parse, so this is the parse gate."""

import pathlib

import pytest

from conftest import TERRAFORM, load

HCL_FILES = sorted(
    p
    for p in TERRAFORM.rglob("*")
    if p.suffix in (".tf", ".tfvars") and not any(part.startswith(".") for part in p.relative_to(TERRAFORM).parts)
)


def test_there_are_files_to_parse():
    assert len(HCL_FILES) >= 30


@pytest.mark.parametrize("path", HCL_FILES, ids=lambda p: str(p.relative_to(TERRAFORM)))
def test_file_parses(path: pathlib.Path):
    assert isinstance(load(path), dict)

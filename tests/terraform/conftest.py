"""Helpers for the Terraform tests: HCL parsed with python-hcl2 (v8 keeps quotes and ${...})."""

import pathlib

import hcl2
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
MODULES = TERRAFORM / "modules"
ENVS = TERRAFORM / "envs"
STAGES = ("staging", "production")
MODULE_NAMES = ("network", "database", "object_storage", "app_servers", "load_balancer", "kubernetes", "monitoring")

SECRET_VARIABLES = (
    "db_password",
    "django_secret_key",
    "object_storage_access_key",
    "object_storage_secret_key",
    "registry_username",
    "registry_password",
    "metrics_token",
    "slack_webhook_url",
    "discovery_access_key",
    "discovery_secret_key",
    "sentry_dsn",
)


def unquote(value):
    """'"text"' -> 'text'; other values unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def load(path):
    with open(path, encoding="utf-8") as f:
        return hcl2.load(f)


def blocks(doc, kind):
    """Yield (labels, body) of every top-level block of a kind in a parsed document."""
    for entry in doc.get(kind, []):
        for label, body in entry.items():
            if label.startswith("__"):
                continue
            if kind in ("resource", "data"):
                for name, inner in body.items():
                    if not name.startswith("__"):
                        yield (unquote(label), unquote(name)), inner
            else:
                yield (unquote(label),), body


def module_docs(directory):
    """All .tf files of a folder, parsed."""
    return {p.name: load(p) for p in sorted(pathlib.Path(directory).glob("*.tf"))}


def collect(directory, kind):
    out = {}
    for doc in module_docs(directory).values():
        for labels, body in blocks(doc, kind):
            out[labels if len(labels) > 1 else labels[0]] = body
    return out


@pytest.fixture(scope="session")
def tfvars():
    return {stage: load(ENVS / stage / "terraform.tfvars") for stage in STAGES}

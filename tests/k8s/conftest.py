"""Renders the overlays once per session with the pinned kubectl (K8S_KUBECTL, else .tools/k8s)."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"
STAGES = ("staging", "production")
BUILDS = (*STAGES, *(f"{stage}/migrate" for stage in STAGES))
KUBECTL = os.environ.get("K8S_KUBECTL") or str(ROOT / ".tools" / "k8s" / "bin" / "kubectl")
NAMESPACES = {"staging": "sns-staging", "production": "sns-production"}


@functools.cache
def render(build: str) -> tuple[dict, ...]:
    result = subprocess.run([KUBECTL, "kustomize", str(K8S / "overlays" / build)], capture_output=True, text=True)
    assert result.returncode == 0, f"kubectl kustomize k8s/overlays/{build} failed:\n{result.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def find(docs, kind: str, name: str | None = None) -> list[dict]:
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def one(docs, kind: str, name: str) -> dict:
    found = find(docs, kind, name)
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def all_containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def config_data(docs) -> dict:
    (config,) = [d for d in find(docs, "ConfigMap") if d["metadata"]["name"].startswith("sns-config-")]
    return config["data"]


def workload(build: str) -> dict:
    docs = render(build)
    return one(docs, "Job", "sns-migrate") if build.endswith("/migrate") else one(docs, "Deployment", "sns-api")


def env_of(container: dict, docs) -> dict:
    """The container's effective environment: ConfigMap via envFrom, overridden by env."""
    env = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            (config,) = find(docs, "ConfigMap", source["configMapRef"]["name"])
            env.update(config["data"])
    env.update({item["name"]: item["value"] for item in container.get("env", []) if "value" in item})
    return env


@pytest.fixture(params=STAGES)
def stage(request) -> str:
    return request.param


@pytest.fixture(params=BUILDS)
def build(request) -> str:
    return request.param

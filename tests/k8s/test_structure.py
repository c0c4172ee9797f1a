"""Every overlay renders, carries its own namespace, and is built by patching the base."""

from pathlib import Path

import yaml

from conftest import BUILDS, K8S, NAMESPACES, find, render

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass", "PriorityClass"}


def test_every_overlay_renders(build):
    kinds = {doc["kind"] for doc in render(build)}
    expected = (
        {"Job", "ConfigMap", "ServiceAccount", "NetworkPolicy"}
        if build.endswith("/migrate")
        else {
            "Deployment",
            "Service",
            "Ingress",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "ConfigMap",
            "ServiceAccount",
            "NetworkPolicy",
        }
    )
    assert expected <= kinds


def test_no_secret_is_ever_rendered(build):
    assert find(render(build), "Secret") == []


def _secret_names(node):
    """Every Secret name a rendered object refers to (envFrom, env, ServiceMonitor credentials)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("secretRef", "secretKeyRef", "credentials", "bearerTokenSecret") and isinstance(value, dict):
                yield value["name"]
            else:
                yield from _secret_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _secret_names(item)


def test_secrets_come_only_from_sns_secrets(build):
    names = {name for doc in render(build) for name in _secret_names(doc)}
    assert names == {"sns-secrets"}


def test_every_namespaced_object_is_in_the_stage_namespace(build):
    namespace = NAMESPACES[build.split("/")[0]]
    for doc in render(build):
        if doc["kind"] not in CLUSTER_SCOPED:
            assert doc["metadata"].get("namespace") == namespace, f"{doc['kind']}/{doc['metadata']['name']}"
    assert not any(doc["kind"] == "Namespace" for doc in render(build)), "namespaces are created once, by hand"


def test_migration_and_api_share_config_and_image(stage):
    app, migrate = render(stage), render(f"{stage}/migrate")
    config_names = lambda docs: {d["metadata"]["name"] for d in find(docs, "ConfigMap")}  # noqa: E731
    assert config_names(app) == config_names(migrate)
    images = lambda docs, kind: {  # noqa: E731
        c["image"]
        for d in find(docs, kind)
        for c in [
            *d["spec"]["template"]["spec"].get("initContainers", []),
            *d["spec"]["template"]["spec"]["containers"],
        ]
    }
    assert images(app, "Deployment") == images(migrate, "Job")


def _kustomization(path: Path) -> dict:
    return yaml.safe_load((path / "kustomization.yaml").read_text())


def test_overlays_patch_the_base_and_copy_nothing():
    """kustomize's helloWorld: overlays list the base as their only resource and patch it."""
    overlays = K8S / "overlays"
    for build in BUILDS:
        resources = _kustomization(overlays / build).get("resources", [])
        base = "../../../base/migrate" if build.endswith("/migrate") else "../../base"
        assert resources == [base], f"{build}: resources {resources}"
    for path in overlays.rglob("*.yaml"):
        if path.name == "kustomization.yaml":
            continue
        referenced = any(
            path.relative_to(directory).as_posix() in yaml.safe_dump(_kustomization(directory).get("patches", []))
            for directory in path.parents
            if (directory / "kustomization.yaml").exists() and overlays in (directory, *directory.parents)
        )
        assert referenced, f"{path.relative_to(K8S)} is not a patch of any kustomization: copied resource?"


def test_stage_values_live_in_one_component_per_stage(stage):
    settings = _kustomization(K8S / "overlays" / stage / "settings")
    assert settings["kind"] == "Component"
    assert settings["namespace"] == NAMESPACES[stage]
    for build in (stage, f"{stage}/migrate"):
        components = _kustomization(K8S / "overlays" / build).get("components", [])
        # Last: a component listed after it would add objects without namespace or image.
        assert components[-1] in ("settings", "../settings"), f"{build}: {components}"

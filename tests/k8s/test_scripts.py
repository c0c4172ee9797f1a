"""scripts/k8s_validate.py fails what it must; scripts/k8s_stage.py sets images and refuses placeholders."""

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import KUBECTL, ROOT, one, render

VALIDATE = ROOT / "scripts" / "k8s_validate.py"
STAGE_SCRIPT = ROOT / "scripts" / "k8s_stage.py"
KUBERNETES_VALIDATE = Path(sys.executable).parent / "kubernetes-validate"

needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool (Debian prometheus) not installed"
)


def _validate(tmp_path: Path, docs) -> subprocess.CompletedProcess:
    path = tmp_path / "rendered.yaml"
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return subprocess.run(
        [sys.executable, str(VALIDATE), "--kubernetes-validate", str(KUBERNETES_VALIDATE), str(path)],
        capture_output=True,
        text=True,
    )


def _replace(docs, kind, change):
    docs = copy.deepcopy(list(docs))
    for doc in docs:
        if doc["kind"] == kind:
            change(doc)
    return docs


@needs_promtool
def test_rendered_production_passes(tmp_path):
    result = _validate(tmp_path, render("production"))
    assert result.returncode == 0, result.stderr


@needs_promtool
def test_a_typo_in_a_builtin_kind_fails(tmp_path):
    def typo(doc):
        container = doc["spec"]["template"]["spec"]["containers"][0]
        container["readinesProbe"] = container.pop("readinessProbe")

    result = _validate(tmp_path, _replace(render("production"), "Deployment", typo))
    assert result.returncode == 1 and "readinesProbe" in result.stderr


@needs_promtool
def test_an_unknown_custom_resource_fails(tmp_path):
    extra = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {}}
    result = _validate(tmp_path, [*render("production"), extra])
    assert result.returncode == 1 and "Widget is not allowed" in result.stderr


@needs_promtool
def test_a_removed_api_version_fails(tmp_path):
    old = {"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"}, "spec": {}}
    result = _validate(tmp_path, [*render("production"), old])
    assert result.returncode == 1 and "Couldn't find schema" in result.stderr


@needs_promtool
def test_a_servicemonitor_that_selects_nothing_fails(tmp_path):
    def elsewhere(doc):
        doc["spec"]["selector"]["matchLabels"] = {"app.kubernetes.io/name": "nothing"}

    result = _validate(tmp_path, _replace(render("production"), "ServiceMonitor", elsewhere))
    assert result.returncode == 1 and "matches no Service" in result.stderr


@needs_promtool
def test_a_servicemonitor_field_typo_fails(tmp_path):
    def typo(doc):
        doc["spec"]["endpoints"][0]["intervall"] = "30s"

    result = _validate(tmp_path, _replace(render("production"), "ServiceMonitor", typo))
    assert result.returncode == 1 and "unknown field 'intervall'" in result.stderr


@needs_promtool
def test_broken_promql_fails(tmp_path):
    def broken(doc):
        doc["spec"]["groups"][0]["rules"][0]["expr"] = "sum(rate(x[5m])"

    result = _validate(tmp_path, _replace(render("production"), "PrometheusRule", broken))
    assert result.returncode == 1 and "promtool check rules failed" in result.stderr


@pytest.fixture
def k8s_copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "k8s", tmp_path / "k8s")
    return tmp_path / "k8s" / "overlays"


def _stage(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(STAGE_SCRIPT), *map(str, args)], capture_output=True, text=True)


def test_set_image_points_api_and_job_at_one_tag(k8s_copy):
    sha = "0123456789abcdef0123456789abcdef01234567"
    result = _stage(
        "set-image", "staging", "--registry", "sns-x.kr.ncr.ntruss.com", "--tag", sha, "--overlays", k8s_copy
    )
    assert result.returncode == 0, result.stderr
    text = (k8s_copy / "staging" / "settings" / "kustomization.yaml").read_text()
    assert "# Staging values" in text, "comments survive"
    for build in ("staging", "staging/migrate"):
        rendered = subprocess.run([KUBECTL, "kustomize", str(k8s_copy / build)], capture_output=True, text=True)
        images = {line.split("image:")[1].strip() for line in rendered.stdout.splitlines() if "image:" in line}
        assert images == {f"sns-x.kr.ncr.ntruss.com/sns-backend:{sha}"}


@pytest.mark.parametrize("tag", ["latest", "v1", "0123ABC", ""])
def test_set_image_refuses_mutable_tags(k8s_copy, tag):
    result = _stage(
        "set-image", "staging", "--registry", "sns-x.kr.ncr.ntruss.com", "--tag", tag, "--overlays", k8s_copy
    )
    assert result.returncode == 2


def test_preflight_refuses_the_committed_placeholders():
    result = _stage("preflight", "production", "--kubectl", KUBECTL)
    assert result.returncode == 1
    for what in ("placeholder image tag", "example.com", "REPLACE_WITH_CERTIFICATE_NO", "RFC 5737", ".invalid"):
        assert what in result.stderr, what


def test_preflight_passes_once_the_values_are_set(k8s_copy):
    staging = k8s_copy / "staging" / "settings"
    _stage("set-image", "staging", "--registry", "sns-x.kr.ncr.ntruss.com", "--tag", "abcdef1", "--overlays", k8s_copy)
    config = staging / "config.env"
    config.write_text(config.read_text().replace("sns-staging-redis.invalid", "redis-1.vpc-cdb.ntruss.com"))
    cidrs = staging / "networkpolicy-cidrs.yaml"
    cidrs.write_text(cidrs.read_text().replace("203.0.113.0/24", "110.234.0.0/24"))
    result = _stage("preflight", "staging", "--kubectl", KUBECTL, "--overlays", k8s_copy)
    assert result.returncode == 0, result.stderr


def test_committed_overlays_differ_from_base_only_by_patches():
    """The Job and the Deployment render from one base: same pod hardening in both."""
    api = one(render("staging"), "Deployment", "sns-api")["spec"]["template"]["spec"]
    job = one(render("staging/migrate"), "Job", "sns-migrate")["spec"]["template"]["spec"]
    assert api["securityContext"] == job["securityContext"]

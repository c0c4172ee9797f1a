"""Static rules for .github/workflows and the deploy action."""

import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from conftest import (
    DEPLOY_ACTION,
    GITHUB_DIR,
    ROOT,
    WORKFLOWS_DIR,
    all_workflows,
    load_yaml,
    make_targets,
    steps_of,
    workflow,
)

CI_RUN = ROOT / ".ci" / "run"
# .ci/run installs these with apt-get; GitHub's ubuntu-24.04 image already has them
# (Chromium at /usr/bin/chromium, Node.js with npm), so ci.yml does not.
PREINSTALLED_ON_RUNNERS = {"chromium", "nodejs", "npm"}
# The only write permission any job may hold, and where.
ALLOWED_WRITES = {("terraform.yml", "plan"): {"pull-requests"}}
ACTION_REF = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def ci_run_text():
    if not CI_RUN.exists():
        pytest.skip(".ci/run does not exist yet")
    return CI_RUN.read_text(encoding="utf-8")


def run_blocks(doc):
    return [step["run"] for _, step in steps_of(doc) if "run" in step]


def test_expected_workflows_exist():
    assert {p.name for p in WORKFLOWS_DIR.glob("*.yml")} >= {"ci.yml", "cd.yml", "terraform.yml"}
    assert not list(WORKFLOWS_DIR.glob("*.yaml")), "use the .yml extension for every workflow"


# --- CI and .ci/run cannot drift -------------------------------------------------------------


def test_ci_runs_the_same_make_targets_as_ci_run():
    local = set(make_targets(ci_run_text()))
    assert local, ".ci/run calls no make target: the parser no longer understands it"
    in_ci = set()
    for text in run_blocks(workflow("ci.yml")):
        in_ci.update(make_targets(text))
    assert in_ci == local, f"only in .ci/run: {sorted(local - in_ci)}; only in ci.yml: {sorted(in_ci - local)}"


def test_ci_tests_on_postgresql_with_redis_and_on_sqlite_like_ci_run():
    text = ci_run_text()
    assert re.search(r"DATABASE_URL=postgres\S* REDIS_URL=\S+ make test", text)
    assert re.search(r"env -u DATABASE_URL -u REDIS_URL make test", text)

    job = workflow("ci.yml")["jobs"]["test"]
    assert job["services"]["postgres"]["image"] == "postgres:15"
    assert job["services"]["redis"]["image"].startswith("redis:")
    test_steps = [s for s in job["steps"] if "make test" in s.get("run", "")]
    with_postgres = [s for s in test_steps if s.get("env", {}).get("DATABASE_URL", "").startswith("postgres://")]
    without_database = [s for s in test_steps if "DATABASE_URL" not in s.get("env", {}) | job.get("env", {})]
    assert with_postgres and with_postgres[0]["env"].get("REDIS_URL", "").startswith("redis://")
    assert without_database, "a make test run on SQLite (no DATABASE_URL), as in .ci/run"


def test_ci_installs_the_debian_packages_of_ci_run():
    match = re.search(r"apt_packages=\(([^)]*)\)", ci_run_text())
    assert match, ".ci/run no longer lists apt_packages=(...): update this test"
    wanted = set(match.group(1).split()) - PREINSTALLED_ON_RUNNERS
    installed = set()
    for text in run_blocks(workflow("ci.yml")):
        for line in text.splitlines():
            if "apt_install.sh" in line:
                installed.update(line.split("apt_install.sh", 1)[1].split())
    assert wanted <= installed, f"ci.yml lacks {sorted(wanted - installed)}"


def test_ci_mirrors_ci_run_environment_for_browser_tests():
    if "REQUIRE_BROWSER_TESTS=1" not in ci_run_text():
        pytest.skip(".ci/run does not require the browser tests")
    job = workflow("ci.yml")["jobs"]["test"]
    assert str(job["env"]["REQUIRE_BROWSER_TESTS"]) == "1"


def test_ci_triggers_concurrency_and_cache():
    ci = workflow("ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["on"]["pull_request"] is None and ci["on"]["push"] is None, "every PR and every push"
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in ci["concurrency"]["group"]
    for job_id, step in steps_of(ci):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip", job_id


def test_ci_builds_the_image_without_pushing_or_secrets():
    ci = workflow("ci.yml")
    text = (WORKFLOWS_DIR / "ci.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "docker/login-action" not in text
    builds = [step for _, step in steps_of(ci) if step.get("uses", "").startswith("docker/build-push-action@")]
    assert builds and all(step["with"]["push"] is False for step in builds)
    assert not any("environment" in job for job in ci["jobs"].values())


# --- every workflow --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(all_workflows()))
def test_every_job_has_a_timeout(name):
    for job_id, job in workflow(name)["jobs"].items():
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int) and 1 <= timeout <= 60, f"{name}: {job_id} timeout-minutes"


@pytest.mark.parametrize("name", sorted(all_workflows()))
def test_permissions_are_least_privilege(name):
    doc = workflow(name)
    assert doc.get("permissions") == {"contents": "read"}, f"{name}: top-level permissions: contents: read"
    for job_id, job in doc["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{name}: {job_id} declares its own permissions"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        assert writes <= ALLOWED_WRITES.get((name, job_id), set()), f"{name}: {job_id} writes {writes}"
        assert "id-token" not in permissions, f"{name}: {job_id}"


@pytest.mark.parametrize("path", [*sorted(WORKFLOWS_DIR.glob("*.yml")), DEPLOY_ACTION], ids=lambda p: p.name)
def test_no_expression_inside_run_or_script(path):
    """Untrusted text (PR titles, branch names, commit messages) cannot become code: run:
    blocks and github-script scripts read everything from env:, never from ${{ }}."""
    for job_id, step in steps_of(load_yaml(path)):
        for code in (step.get("run", ""), step.get("with", {}).get("script", "")):
            assert "${{" not in code, f"{path.name}: {job_id}: {step.get('name') or code[:60]}"


@pytest.mark.parametrize("path", [*sorted(WORKFLOWS_DIR.glob("*.yml")), DEPLOY_ACTION], ids=lambda p: p.name)
def test_actions_are_pinned_to_a_version(path):
    for job_id, step in steps_of(load_yaml(path)):
        uses = step.get("uses")
        if uses is None or uses.startswith("./"):
            continue
        assert ACTION_REF.match(uses), f"{path.name}: {job_id}: {uses} (a major version or a commit SHA)"


def test_local_actions_exist():
    for name, doc in all_workflows().items():
        for _, step in steps_of(doc):
            uses = step.get("uses", "")
            if uses.startswith("./"):
                assert (ROOT / uses / "action.yml").is_file(), f"{name}: {uses}"


def test_every_secret_and_variable_is_documented():
    readme = (GITHUB_DIR / "README.md").read_text(encoding="utf-8")
    names = set()
    for path in [*list(WORKFLOWS_DIR.glob("*.yml")), DEPLOY_ACTION]:
        names.update(re.findall(r"\b(?:secrets|vars)\.([A-Za-z0-9_]+)", path.read_text(encoding="utf-8")))
    names.discard("GITHUB_TOKEN")
    assert names, "no secrets found: the pattern is broken"
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f".github/README.md does not document {missing}"


def test_run_steps_call_scripts_that_exist():
    for path in [*list(WORKFLOWS_DIR.glob("*.yml")), DEPLOY_ACTION]:
        for _, step in steps_of(load_yaml(path)):
            for script in re.findall(r"\.github/scripts/[\w.-]+", step.get("run", "")):
                assert (ROOT / script).is_file(), f"{path.name}: {script}"


def test_terraform_version_is_the_same_everywhere():
    versions = {workflow("terraform.yml")["env"]["TERRAFORM_VERSION"]}
    versions.add(load_yaml(DEPLOY_ACTION)["inputs"]["terraform-version"]["default"])
    assert len(versions) == 1, versions


# --- cd.yml: builds once, production never builds --------------------------------------------


def test_cd_triggers():
    on = workflow("cd.yml")["on"]
    assert set(on) == {"workflow_run", "push", "workflow_dispatch"}
    assert on["workflow_run"] == {
        "workflows": [workflow("ci.yml")["name"]],
        "types": ["completed"],
        "branches": ["main"],
    }
    assert on["push"] == {"tags": ["v*"]}, "push triggers only for release tags, never branches"
    assert not (on["workflow_dispatch"] or {}).get("inputs"), "no dispatch inputs (checkov CKV_GHA_7)"


def test_cd_builds_once_and_production_only_retags():
    jobs = workflow("cd.yml")["jobs"]
    building = [
        job_id
        for job_id, job in jobs.items()
        for step in job.get("steps", [])
        if step.get("uses", "").startswith(("docker/build-push-action@", "docker/bake-action@"))
        or re.search(r"\bdocker (buildx )?build\b", step.get("run", ""))
    ]
    assert building == ["build"]
    push_step = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("docker/build-push-action@"))
    assert push_step["with"]["push"] is True
    assert push_step["with"]["tags"].endswith(":${{ github.event.workflow_run.head_sha }}")
    assert jobs["deploy-production"]["needs"] == "release-image"
    verify = " ".join(s.get("run", "") for s in jobs["release-image"]["steps"])
    assert "release_image.sh verify" in verify


def test_cd_deploys_through_the_environments():
    jobs = workflow("cd.yml")["jobs"]
    assert jobs["deploy-staging"]["environment"]["name"] == "staging"
    assert jobs["deploy-production"]["environment"]["name"] == "production"
    for job_id in ("deploy-staging", "deploy-production"):
        assert jobs[job_id]["concurrency"]["cancel-in-progress"] is False, "never interrupt a deployment"
        uses = [s.get("uses") for s in jobs[job_id]["steps"]]
        assert "./.github/actions/deploy" in uses, job_id
    deploy_inputs = load_yaml(DEPLOY_ACTION)["inputs"]
    for job_id in ("deploy-staging", "deploy-production"):
        step = next(s for s in jobs[job_id]["steps"] if s.get("uses") == "./.github/actions/deploy")
        required = {name for name, spec in deploy_inputs.items() if spec.get("required")}
        assert required <= set(step["with"]), f"{job_id} lacks {required - set(step['with'])}"
        assert step["with"]["stage"] == job_id.removeprefix("deploy-")


# --- terraform.yml ---------------------------------------------------------------------------


def test_terraform_plans_every_stage_on_pull_requests():
    tf = workflow("terraform.yml")
    assert any(p.startswith("terraform/") for p in tf["on"]["pull_request"]["paths"])
    stages = tf["jobs"]["plan"]["strategy"]["matrix"]["stage"]
    assert stages == ["staging", "production"]
    # A stage root is a folder with its own values; envs/shared holds the code they link to.
    envs = sorted(p.parent.name for p in (ROOT / "terraform" / "envs").glob("*/terraform.tfvars"))
    if envs:
        assert sorted(stages) == envs, "the plan matrix lists every terraform/envs/<stage>"
    comment = [s for s in tf["jobs"]["plan"]["steps"] if s.get("uses", "").startswith("actions/github-script@")]
    assert comment and "createComment" in comment[0]["with"]["script"]


def test_terraform_applies_production_only_by_hand_with_approval():
    jobs = workflow("terraform.yml")["jobs"]
    assert jobs["apply-staging"]["environment"] == "staging"
    assert jobs["apply-production"]["environment"] == "production"
    assert "workflow_dispatch" in jobs["apply-production"]["if"]
    assert "push" not in jobs["apply-production"]["if"]


def test_the_deploy_action_run_blocks_pass_shellcheck(tmp_path):
    """actionlint runs shellcheck on workflows only, not on composite actions."""
    shellcheck = shutil.which("shellcheck", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("shellcheck")
    if shellcheck is None:
        pytest.fail("no shellcheck: run with .tools/github/bin/python (make check-github)")
    blocks = run_blocks(load_yaml(DEPLOY_ACTION))
    assert blocks
    for number, text in enumerate(blocks):
        script = tmp_path / f"step{number}.sh"
        script.write_text("#!/usr/bin/env bash\nset -e\n" + text)
        result = subprocess.run([shellcheck, "--severity=style", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout

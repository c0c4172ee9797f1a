"""The deploy, rollback and release scripts, run against fake kubectl, kustomize,
terraform, make and docker that record their calls (no cluster, cloud or registry)."""

import json
import pathlib
import subprocess

import pytest

from conftest import ROOT, SCRIPTS_DIR, script_env, write_executable

SHA = "0123456789abcdef0123456789abcdef01234567"
OLD_SHA = "89abcdef0123456789abcdef0123456789abcdef"
REGISTRY = "sns-test.kr.ncr.ntruss.com"
IMAGE = f"{REGISTRY}/sns-backend:{SHA}"


def run(script, args, fake_bin, cwd, **env):
    return subprocess.run(
        [str(SCRIPTS_DIR / script), *args],
        cwd=cwd,
        env=script_env(fake_bin, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def outputs(path):
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


# --- Kubernetes path -------------------------------------------------------------------------

FAKE_KUBECTL = r"""#!/usr/bin/env bash
state="$FAKE_STATE"
echo "kubectl $*" >>"$state/calls"
args="$*"
case "$args" in
  *"get deployment sns-api"*revision*) cat "$state/revision" 2>/dev/null; exit 0 ;;
  *"get deployment sns-api"*image*) cat "$state/previous_image" 2>/dev/null; exit 0 ;;
  "kustomize "*)
    image="$(cat "$state/image" 2>/dev/null || echo ncr.invalid/sns-backend:0000)"
    printf 'kind: Deployment\nspec:\n  template:\n    spec:\n'
    printf '      initContainers:\n        - image: %s\n      containers:\n        - image: %s\n' "$image" "$image"
    exit 0 ;;
  *"wait --for=condition=complete job/sns-migrate"*) [ "$(cat "$state/job")" = complete ]; exit ;;
  *"get job sns-migrate"*) [ "$(cat "$state/job")" = failed ] && echo True; exit 0 ;;
  *"rollout status"*)
    result="$(head -n 1 "$state/rollouts" 2>/dev/null || echo ok)"
    sed -i 1d "$state/rollouts" 2>/dev/null || true
    [ "$result" = ok ]; exit ;;
  *) exit 0 ;;
esac
"""

FAKE_KUSTOMIZE = r"""#!/usr/bin/env bash
echo "kustomize $* (in ${PWD##*/k8s/})" >>"$FAKE_STATE/calls"
if [ "$1 $2 $3" = "edit set image" ]; then
  echo "${4#sns-backend=}" >"$FAKE_STATE/image"
fi
"""


@pytest.fixture
def k8s(tmp_path, fake_bin):
    state = tmp_path / "state"
    state.mkdir()
    for sub in ("", "migrate", "settings"):
        directory = tmp_path / "k8s" / "overlays" / "staging" / sub
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "kustomization.yaml").write_text("apiVersion: kustomize.config.k8s.io/v1beta1\n")
    write_executable(fake_bin / "kubectl", FAKE_KUBECTL)
    write_executable(fake_bin / "kustomize", FAKE_KUSTOMIZE)
    write_executable(
        fake_bin / "make", '#!/bin/sh\necho "make $*" >>"$FAKE_STATE/calls"\n[ ! -e "$FAKE_STATE/not_ready" ]\n'
    )
    (state / "job").write_text("complete")
    (state / "revision").write_text("4")
    (state / "previous_image").write_text(f"{REGISTRY}/sns-backend:{OLD_SHA}")

    def deploy(image=IMAGE):
        result = run(
            "deploy_kubernetes.sh",
            ["staging", image],
            fake_bin,
            tmp_path,
            FAKE_STATE=state,
            K8S_DIR=tmp_path / "k8s",
            GITHUB_OUTPUT=tmp_path / "out",
            MIGRATE_TIMEOUT=5,
        )
        calls = (state / "calls").read_text().splitlines() if (state / "calls").exists() else []
        return result, calls, outputs(tmp_path / "out")

    return state, deploy


def index_of(calls, fragment):
    matches = [i for i, call in enumerate(calls) if fragment in call]
    assert matches, f"no call with {fragment!r} in {calls}"
    return matches[0]


def test_kubernetes_migrates_then_rolls_out(k8s):
    _state, deploy = k8s
    result, calls, out = deploy()
    assert result.returncode == 0, result.stderr
    order = [
        f"kustomize edit set image sns-backend={IMAGE} (in overlays/staging/settings)",
        "make k8s-preflight STAGE=staging",
        "delete job sns-migrate --ignore-not-found",
        "apply -k",  # the migrate overlay
        "wait --for=condition=complete job/sns-migrate",
        "rollout status deployment/sns-api",
    ]
    positions = [index_of(calls, fragment) for fragment in order]
    assert positions == sorted(positions), calls
    applies = [call for call in calls if " apply -k " in call]
    assert [a.rsplit("/", 2)[-2:] for a in applies] == [["staging", "migrate"], ["overlays", "staging"]]
    assert out == {"previous_revision": "4", "previous_image": f"{REGISTRY}/sns-backend:{OLD_SHA}", "applied": "true"}
    assert not [call for call in calls if "rollout undo" in call]


def test_kubernetes_stops_when_placeholders_are_left(k8s):
    state, deploy = k8s
    (state / "not_ready").write_text("")
    result, calls, _ = deploy()
    assert result.returncode != 0
    assert not [call for call in calls if " apply -k " in call or "delete job" in call]


def test_kubernetes_stops_when_the_migration_fails(k8s):
    state, deploy = k8s
    (state / "job").write_text("failed")
    result, calls, out = deploy()
    assert result.returncode == 1
    assert "migration Job sns-migrate failed" in result.stderr
    assert any("logs job/sns-migrate" in call for call in calls)
    assert len([call for call in calls if " apply -k " in call]) == 1, "the API is not touched"
    assert "applied" not in out


def test_kubernetes_undoes_a_rollout_that_does_not_finish(k8s):
    state, deploy = k8s
    (state / "rollouts").write_text("fail\nok\n")
    result, calls, _ = deploy()
    assert result.returncode == 1
    undo = index_of(calls, "rollout undo deployment/sns-api --to-revision=4")
    assert undo > index_of(calls, "rollout status")


def test_kubernetes_first_deployment_has_nothing_to_undo(k8s):
    state, deploy = k8s
    (state / "revision").write_text("")
    (state / "rollouts").write_text("fail\n")
    result, calls, _ = deploy()
    assert result.returncode == 1
    assert "nothing to roll back to" in result.stderr
    assert not [call for call in calls if "rollout undo" in call]


@pytest.mark.parametrize("image", [f"{REGISTRY}/sns-backend:latest", f"{REGISTRY}/sns-backend", "sns-backend"])
def test_kubernetes_refuses_images_without_a_sha_tag(k8s, image):
    _, deploy = k8s
    result, calls, _ = deploy(image)
    assert result.returncode == 2
    assert calls == []


def test_kubernetes_fails_when_the_image_does_not_reach_every_container(k8s, fake_bin):
    _state, deploy = k8s
    write_executable(fake_bin / "kustomize", "#!/bin/sh\nexit 0\n")  # edits nothing
    result, calls, _ = deploy()
    assert result.returncode == 1
    assert "does not render every container" in result.stderr
    assert not [call for call in calls if " apply -k " in call]


# --- server path -----------------------------------------------------------------------------

FAKE_TERRAFORM = r"""#!/usr/bin/env bash
echo "terraform $*" >>"$FAKE_STATE/calls"
case "$*" in
  *"output -raw image")
    [ -s "$FAKE_STATE/tf_image_tag" ] || exit 1
    echo "sns-registry.kr.ncr.ntruss.com/sns-backend:$(cat "$FAKE_STATE/tf_image_tag")" ;;
  *"output -raw load_balancer_address") echo "sns-staging-lb.kr.lb.naverncp.com" ;;
  *) exit 0 ;;
esac
"""

FAKE_MAKE = r"""#!/usr/bin/env bash
echo "make $* image_tag=${TF_VAR_image_tag:-} apply_args=${TF_CLI_ARGS_apply:-}" >>"$FAKE_STATE/calls"
env | grep '^TF_VAR_' | sort >"$FAKE_STATE/tf_vars"
[ "${TF_VAR_image_tag:-}" != "$(cat "$FAKE_STATE/fail_tag" 2>/dev/null)" ]
"""


@pytest.fixture
def servers(tmp_path, fake_bin):
    state = tmp_path / "state"
    state.mkdir()
    write_executable(fake_bin / "terraform", FAKE_TERRAFORM)
    write_executable(fake_bin / "make", FAKE_MAKE)
    (tmp_path / "scripts").mkdir()
    write_executable(
        tmp_path / "scripts" / "tf.sh",
        '#!/bin/sh\necho "tf.sh $*" >>"$FAKE_STATE/calls"\necho "Initializing the backend..."\n',
    )
    (state / "tf_image_tag").write_text(OLD_SHA)

    def call(script, *args, **env):
        result = run(script, list(args), fake_bin, tmp_path, FAKE_STATE=state, GITHUB_OUTPUT=tmp_path / "out", **env)
        calls = (state / "calls").read_text().splitlines() if (state / "calls").exists() else []
        return result, [c for c in calls if c.startswith("make")], outputs(tmp_path / "out")

    return state, call


def test_servers_apply_the_new_tag(servers):
    state, call = servers
    result, makes, out = call("deploy_servers.sh", "staging", SHA)
    assert result.returncode == 0, result.stderr
    calls = (state / "calls").read_text().splitlines()
    assert calls[0] == "tf.sh staging init", "the stage is initialised before its outputs are read"
    assert makes == [f"make tf-apply STAGE=staging image_tag={SHA} apply_args=-auto-approve -lock-timeout=5m"]
    assert out == {
        "previous_image_tag": OLD_SHA,
        "applied": "true",
        "url": "http://sns-staging-lb.kr.lb.naverncp.com",
    }


def test_servers_pass_only_the_terraform_secrets_that_are_set(servers):
    state, call = servers
    result, _, _ = call("deploy_servers.sh", "staging", SHA, TF_VAR_db_password="pw", TF_VAR_sentry_dsn="")
    assert result.returncode == 0, result.stderr
    names = [line.split("=", 1)[0] for line in (state / "tf_vars").read_text().splitlines()]
    assert names == ["TF_VAR_db_password", "TF_VAR_image_tag"], "an unset secret keeps its default (null)"


@pytest.mark.parametrize(
    ("repository", "status"),
    [("sns-registry.kr.ncr.ntruss.com/sns-backend", 0), ("other.kr.ncr.ntruss.com/sns-backend", 2)],
)
def test_servers_refuse_a_registry_the_servers_do_not_pull_from(servers, tmp_path, repository, status):
    _, call = servers
    (tmp_path / "terraform" / "envs" / "staging").mkdir(parents=True)
    (tmp_path / "terraform" / "envs" / "staging" / "terraform.tfvars").write_text(
        'registry   = "sns-registry.kr.ncr.ntruss.com"\nimage_name = "sns-backend"\n'
    )
    result, makes, _ = call("deploy_servers.sh", "staging", SHA, IMAGE_REPOSITORY=repository)
    assert result.returncode == status, result.stderr
    assert bool(makes) == (status == 0)


def test_servers_reapply_the_previous_tag_when_the_apply_fails(servers):
    state, call = servers
    (state / "fail_tag").write_text(SHA)
    result, makes, _ = call("deploy_servers.sh", "staging", SHA)
    assert result.returncode == 1
    assert makes == [
        f"make tf-apply STAGE=staging image_tag={SHA} apply_args=-auto-approve -lock-timeout=5m",
        f"make tf-apply STAGE=staging image_tag={OLD_SHA} apply_args=-auto-approve -lock-timeout=5m",
    ]


def test_servers_first_deployment_has_nothing_to_reapply(servers):
    state, call = servers
    (state / "tf_image_tag").write_text("")
    (state / "fail_tag").write_text(SHA)
    result, makes, out = call("deploy_servers.sh", "staging", SHA)
    assert result.returncode == 1
    assert len(makes) == 1 and out["previous_image_tag"] == ""


@pytest.mark.parametrize("tag", ["latest", "main", "v1.2.3", "0123; rm -rf /"])
def test_servers_take_only_a_commit_sha(servers, tag):
    _, call = servers
    result, makes, _ = call("deploy_servers.sh", "staging", tag)
    assert result.returncode == 2 and makes == []


def test_terraform_apply_keeps_the_running_image_tag(servers):
    _, call = servers
    result, makes, _ = call("tf_apply.sh", "staging")
    assert result.returncode == 0, result.stderr
    assert makes == [f"make tf-apply STAGE=staging image_tag={OLD_SHA} apply_args=-auto-approve -lock-timeout=5m"]


def test_terraform_plan_writes_the_comment_even_when_it_fails(servers, tmp_path):
    state, call = servers
    (state / "fail_tag").write_text(OLD_SHA)
    result, makes, _ = call("tf_plan.sh", "production", str(tmp_path / "plan.md"))
    assert result.returncode == 1
    assert makes == [f"make tf-plan STAGE=production image_tag={OLD_SHA} apply_args="]
    assert "FAILED (exit 1)" in (tmp_path / "plan.md").read_text()


# --- rollback after a failed smoke test --------------------------------------------------------


def test_rollback_servers_reapplies_the_previous_tag(servers):
    _, call = servers
    result, makes, _ = call("rollback.sh", "servers", "staging", PREVIOUS_IMAGE_TAG=OLD_SHA)
    assert result.returncode == 0, result.stderr
    assert makes == [f"make tf-apply STAGE=staging image_tag={OLD_SHA} apply_args=-auto-approve -lock-timeout=5m"]


def test_rollback_kubernetes_undoes_to_the_previous_revision(k8s, fake_bin, tmp_path):
    state, _ = k8s
    result = run("rollback.sh", ["kubernetes", "staging"], fake_bin, tmp_path, FAKE_STATE=state, PREVIOUS_REVISION=7)
    assert result.returncode == 0, result.stderr
    calls = (state / "calls").read_text()
    assert "kubectl -n sns-staging rollout undo deployment/sns-api --to-revision=7" in calls


@pytest.mark.parametrize("platform", ["servers", "kubernetes"])
def test_rollback_without_a_previous_release_fails(servers, platform):
    _, call = servers
    result, makes, _ = call("rollback.sh", platform, "staging")
    assert result.returncode == 1 and makes == []
    assert "nothing to roll back to" in result.stderr


# --- registry: production takes the image staging tested ----------------------------------------

FAKE_DOCKER = r"""#!/usr/bin/env python3
import json, os, sys
state = os.environ["FAKE_STATE"]
with open(os.path.join(state, "calls"), "a") as log:
    log.write("docker " + " ".join(sys.argv[1:]) + "\n")
path = os.path.join(state, "registry.json")
registry = json.load(open(path)) if os.path.exists(path) else {}
args = sys.argv[1:]
if args[:3] == ["buildx", "imagetools", "inspect"]:
    ref = args[-1]
    if ref not in registry:
        sys.exit(1)
    print(json.dumps({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": registry[ref]}))
elif args[:3] == ["buildx", "imagetools", "create"]:
    assert "--prefer-index=false" in args, args
    registry[args[args.index("--tag") + 1]] = registry[args[-1]]
    json.dump(registry, open(path, "w"))
else:
    sys.exit("unexpected docker " + " ".join(args))
"""

REPOSITORY = f"{REGISTRY}/sns-backend"


@pytest.fixture
def registry(tmp_path, fake_bin):
    state = tmp_path / "state"
    state.mkdir()
    write_executable(fake_bin / "docker", FAKE_DOCKER)

    def call(*args, images=None):
        if images is not None:
            (state / "registry.json").write_text(json.dumps(images))
        result = run("release_image.sh", list(args), fake_bin, tmp_path, FAKE_STATE=state)
        path = state / "registry.json"
        return result, json.loads(path.read_text()) if path.exists() else {}

    return call


def test_staging_pass_is_recorded_as_a_tag_of_the_same_manifest(registry):
    result, images = registry("staging-passed", REPOSITORY, SHA, images={f"{REPOSITORY}:{SHA}": "sha256:aaa"})
    assert result.returncode == 0, result.stderr
    assert images[f"{REPOSITORY}:staging-{SHA}"] == "sha256:aaa"


def test_production_verifies_and_tags_the_release(registry):
    images = {f"{REPOSITORY}:{SHA}": "sha256:aaa", f"{REPOSITORY}:staging-{SHA}": "sha256:aaa"}
    result, after = registry("verify", REPOSITORY, SHA, "v1.4.0", images=images)
    assert result.returncode == 0, result.stderr
    assert after[f"{REPOSITORY}:v1.4.0"] == "sha256:aaa"


@pytest.mark.parametrize(
    ("images", "message"),
    [
        ({}, "is not in the registry"),
        ({f"{REPOSITORY}:{SHA}": "sha256:aaa"}, "has not passed staging"),
        ({f"{REPOSITORY}:{SHA}": "sha256:bbb", f"{REPOSITORY}:staging-{SHA}": "sha256:aaa"}, "has not passed staging"),
    ],
)
def test_production_refuses_an_image_staging_did_not_pass(registry, images, message):
    result, after = registry("verify", REPOSITORY, SHA, "v1.4.0", images=images)
    assert result.returncode == 1
    assert message in result.stderr
    assert f"{REPOSITORY}:v1.4.0" not in after


def test_release_image_takes_only_a_commit_sha(registry):
    result, _ = registry("verify", REPOSITORY, "main", images={})
    assert result.returncode == 2


# --- platform of a stage, port-forward wrapper -------------------------------------------------


@pytest.mark.parametrize(
    ("tfvars", "expected"),
    [
        ('region = "KR"\nplatform = "servers"\n', (0, "servers")),
        ('platform   =   "kubernetes" # NKS\n', (0, "kubernetes")),
        ('platform = "lambda"\n', (1, "")),
        ('# platform = "servers"\n', (1, "")),
        ('platform = "servers"\nplatform = "kubernetes"\n', (1, "")),
    ],
)
def test_stage_platform_reads_the_tfvars(tmp_path, fake_bin, tfvars, expected):
    (tmp_path / "terraform" / "envs" / "staging").mkdir(parents=True)
    (tmp_path / "terraform" / "envs" / "staging" / "terraform.tfvars").write_text(tfvars)
    result = run("stage_platform.sh", ["staging"], fake_bin, tmp_path)
    assert (result.returncode, result.stdout.strip()) == expected


def test_stage_platform_of_the_real_stages(fake_bin):
    tfvars = sorted((ROOT / "terraform" / "envs").glob("*/terraform.tfvars"))
    if not tfvars:
        pytest.skip("no terraform/envs/*/terraform.tfvars yet")
    contract = {"staging": "servers", "production": "kubernetes"}
    for path in tfvars:
        stage = path.parent.name
        result = run("stage_platform.sh", [stage], fake_bin, ROOT)
        assert result.returncode == 0, result.stderr
        if stage in contract:
            assert result.stdout.strip() == contract[stage]


FAKE_PORT_FORWARD = r"""#!/usr/bin/env bash
echo "kubectl $*" >>"$FAKE_STATE/calls"
if [ "${FAKE_FORWARD:-ok}" = broken ]; then echo "error: services \"sns-api\" not found" >&2; exit 1; fi
echo $$ >"$FAKE_STATE/pid"
echo "Forwarding from 127.0.0.1:18000 -> 8000"
exec sleep 30
"""


@pytest.mark.parametrize(("command", "status"), [("true", 0), ("false", 1)])
def test_port_forward_runs_the_command_and_stops_kubectl(tmp_path, fake_bin, command, status):
    state = tmp_path / "state"
    state.mkdir()
    write_executable(fake_bin / "kubectl", FAKE_PORT_FORWARD)
    result = run(
        "with_port_forward.sh",
        ["sns-staging", "service/sns-api", "18000:80", "--", command],
        fake_bin,
        tmp_path,
        FAKE_STATE=state,
    )
    assert result.returncode == status, result.stderr
    assert "port-forward --address 127.0.0.1 service/sns-api 18000:80" in (state / "calls").read_text()
    pid = (state / "pid").read_text().strip()
    assert not (pathlib.Path("/proc") / pid).exists(), "kubectl port-forward is still running"


def test_port_forward_that_cannot_start_fails(tmp_path, fake_bin):
    state = tmp_path / "state"
    state.mkdir()
    write_executable(fake_bin / "kubectl", FAKE_PORT_FORWARD)
    result = run(
        "with_port_forward.sh",
        ["sns-staging", "service/sns-api", "18000:80", "--", "true"],
        fake_bin,
        tmp_path,
        FAKE_STATE=state,
        FAKE_FORWARD="broken",
    )
    assert result.returncode == 1
    assert "not found" in result.stderr

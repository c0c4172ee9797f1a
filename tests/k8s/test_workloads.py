"""The API Deployment and the migration Job: image, configuration, probes, hardening."""

import re

from conftest import all_containers, config_data, env_of, one, pod_spec, render, workload

GIT_SHA_TAG = re.compile(r"^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*/sns-backend:[0-9a-f]{7,40}$")


def test_images_are_sns_backend_pinned_to_a_git_sha(build):
    for container in all_containers(workload(build)):
        image = container["image"]
        assert GIT_SHA_TAG.match(image), image
        assert not image.endswith(":latest")


def test_containers_are_locked_down(build):
    spec = pod_spec(workload(build))
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == 10001
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert spec["automountServiceAccountToken"] is False
    assert spec["serviceAccountName"] == "sns-api"
    for container in all_containers(workload(build)):
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] == 10001, container["name"]
        assert context["readOnlyRootFilesystem"] is True, container["name"]
        assert context["allowPrivilegeEscalation"] is False, container["name"]
        assert context["capabilities"]["drop"] == ["ALL"] and "add" not in context["capabilities"]
        assert context["seccompProfile"]["type"] == "RuntimeDefault"
        assert {"requests", "limits"} <= set(container["resources"]), container["name"]
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), container["name"]


def test_writable_paths_are_empty_dirs(build):
    docs = render(build)
    spec = pod_spec(workload(build))
    empty_dirs = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
    for container in all_containers(workload(build)):
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        assert mounts.get("/tmp") in empty_dirs, container["name"]
        if not build.endswith("/migrate"):
            multiproc = env_of(container, docs)["PROMETHEUS_MULTIPROC_DIR"]
            assert mounts.get(multiproc) in empty_dirs, (container["name"], multiproc)


def test_api_never_migrates_or_seeds(build):
    if build.endswith("/migrate"):
        return
    docs = render(build)
    assert config_data(docs)["RUN_MIGRATIONS"] == "false"
    for container in all_containers(workload(build)):
        env = env_of(container, docs)
        assert env["RUN_MIGRATIONS"] == "false" and env["AUTO_SEED"] == "false", container["name"]


def test_production_never_seeds_dummy_data():
    for build in ("production", "production/migrate"):
        docs = render(build)
        assert config_data(docs)["AUTO_SEED"] == "false"
        for container in all_containers(workload(build)):
            assert env_of(container, docs)["AUTO_SEED"] == "false"


def test_settings_are_production_settings(build):
    data = config_data(render(build))
    assert data["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert data["DJANGO_DEBUG"] == "false"


def test_migration_job_migrates_then_checks(stage):
    docs = render(f"{stage}/migrate")
    job = one(docs, "Job", "sns-migrate")
    (container,) = pod_spec(job)["containers"]
    assert "command" not in container, "keep the image's entrypoint: it waits for the database"
    assert container["args"] == ["python", "manage.py", "migrate", "--check"]
    assert env_of(container, docs)["RUN_MIGRATIONS"] == "true"
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] <= 3
    assert job["spec"]["activeDeadlineSeconds"] > 0


def test_api_waits_for_its_migrations_without_running_them(stage):
    (init,) = pod_spec(workload(stage))["initContainers"]
    script = " ".join(init["args"])
    assert "migrate --check" in script and "--noinput" not in script


def _probe_host(probe):
    return {h["name"]: h["value"] for h in probe["httpGet"].get("httpHeaders", [])}.get("Host")


def test_probes_hit_health_endpoints_with_an_allowed_host(stage):
    docs = render(stage)
    api = one(docs, "Deployment", "sns-api")
    (container,) = [c for c in pod_spec(api)["containers"] if c["name"] == "api"]
    allowed = config_data(docs)["DJANGO_ALLOWED_HOSTS"].split(",")
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        host = _probe_host(container[kind])
        assert host and any(host == a or (a.startswith(".") and host.endswith(a)) for a in allowed), (kind, host)
    # The startup budget outlasts the entrypoint's wait for the database.
    startup = container["startupProbe"]
    wait = int(config_data(docs)["DB_WAIT_TIMEOUT"])
    assert startup["periodSeconds"] * startup["failureThreshold"] > wait


def test_shutdown_outlasts_prestop_and_gunicorn_graceful_timeout(stage):
    docs = render(stage)
    spec = pod_spec(one(docs, "Deployment", "sns-api"))
    (container,) = [c for c in spec["containers"] if c["name"] == "api"]
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    graceful = int(config_data(docs)["GUNICORN_GRACEFUL_TIMEOUT"])
    assert pre_stop >= 5
    assert spec["terminationGracePeriodSeconds"] > pre_stop + graceful


def test_hpa_owns_the_replica_count(stage):
    assert "replicas" not in one(render(stage), "Deployment", "sns-api")["spec"]


def test_rollout_never_drops_below_the_current_count(stage):
    strategy = one(render(stage), "Deployment", "sns-api")["spec"]["strategy"]
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_pods_spread_across_nodes(stage):
    spec = pod_spec(one(render(stage), "Deployment", "sns-api"))
    by_key = {c["topologyKey"]: c for c in spec["topologySpreadConstraints"]}
    node = by_key["kubernetes.io/hostname"]
    assert node["whenUnsatisfiable"] == "DoNotSchedule" and node["maxSkew"] == 1
    assert node["nodeTaintsPolicy"] == "Honor", "a cordoned node must not count, or drains deadlock"
    labels = one(render(stage), "Deployment", "sns-api")["spec"]["template"]["metadata"]["labels"]
    assert node["labelSelector"]["matchLabels"].items() <= labels.items()


def test_resources_differ_per_stage():
    def api_resources(stage):
        spec = pod_spec(one(render(stage), "Deployment", "sns-api"))
        return next(c for c in spec["containers"] if c["name"] == "api")["resources"]

    assert api_resources("staging") != api_resources("production")

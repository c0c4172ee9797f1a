"""docker-compose.yml brings up the whole stack from a fresh clone (parsed here; no Docker engine)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_ENV = SERVICES["app"]["environment"]
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|ACCESS_KEY|DSN|DATABASE_URL")
_VARIABLE = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def interpolate(value, dotenv=None):
    """Compose's ${VAR}, ${VAR:-default} and $$ substitution, with `dotenv` as the .env file."""
    dotenv = dotenv or {}
    text = str(value).replace("$$", "\0")
    text = _VARIABLE.sub(lambda m: dotenv.get(m.group(1)) or (m.group(2) or ""), text)
    return text.replace("\0", "$")


def variables(value):
    return {m.group(1) for m in _VARIABLE.finditer(str(value))}


def healthcheck(service):
    check = SERVICES[service].get("healthcheck")
    assert check and not check.get("disable"), f"{service} has no health check"
    return " ".join(check["test"]) if isinstance(check["test"], list) else check["test"]


def depends(service, on):
    return SERVICES[service]["depends_on"][on]["condition"]


def test_postgres_15_with_named_volume_and_healthcheck():
    postgres = SERVICES["postgres"]
    assert re.match(r"postgres:15([.-]|$)", postgres["image"])
    volume = next(v.split(":")[0] for v in postgres["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert volume in COMPOSE["volumes"], "the data must live in a named volume"
    assert "pg_isready" in healthcheck("postgres")


def test_redis_with_healthcheck():
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert "ping" in healthcheck("redis")


def test_minio_with_healthcheck_and_a_one_shot_bucket_creator():
    assert "minio" in SERVICES["minio"]["image"] and "latest" not in SERVICES["minio"]["image"]
    healthcheck("minio")
    init = SERVICES["minio-init"]
    assert init["restart"] == "no"
    assert depends("minio-init", "minio") == "service_healthy"
    command = " ".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    assert "mb --ignore-existing" in command and "$$BUCKET" in command
    assert interpolate(init["environment"]["BUCKET"]) == interpolate(APP_ENV["AWS_STORAGE_BUCKET_NAME"])
    assert depends("app", "minio-init") == "service_completed_successfully"


def test_app_is_built_from_the_dockerfile_and_published_on_8000():
    app = SERVICES["app"]
    assert app["build"]["context"] == "."
    assert (REPO / app["build"].get("dockerfile", "Dockerfile")).is_file()
    assert any(str(port).endswith(":8000") for port in app["ports"])


@pytest.mark.parametrize("service", ["postgres", "redis"])
def test_app_waits_for_healthy(service):
    assert depends("app", service) == "service_healthy"


def test_app_talks_to_the_compose_services():
    defaults = {name: interpolate(value) for name, value in APP_ENV.items()}
    database = urlsplit(defaults["DATABASE_URL"])
    postgres_env = {k: interpolate(v) for k, v in SERVICES["postgres"]["environment"].items()}
    assert (database.scheme, database.hostname, database.port) == ("postgres", "postgres", 5432)
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.password == postgres_env["POSTGRES_PASSWORD"]
    assert database.path == "/" + postgres_env["POSTGRES_DB"]
    assert urlsplit(defaults["REDIS_URL"]).hostname == "redis"
    minio_names = {"minio", *SERVICES["minio"].get("networks", {}).get("default", {}).get("aliases", [])}
    assert urlsplit(defaults["AWS_S3_ENDPOINT_URL"]).hostname in minio_names
    assert defaults["AWS_S3_ADDRESSING_STYLE"] == "path", "MinIO has no virtual-host buckets here"
    minio_env = {k: interpolate(v) for k, v in SERVICES["minio"]["environment"].items()}
    assert defaults["AWS_ACCESS_KEY_ID"] == minio_env["MINIO_ROOT_USER"]
    assert defaults["AWS_SECRET_ACCESS_KEY"] == minio_env["MINIO_ROOT_PASSWORD"]


def test_app_runs_production_settings_that_start_with_the_defaults():
    defaults = {name: interpolate(value) for name, value in APP_ENV.items()}
    assert defaults["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert len(defaults["DJANGO_SECRET_KEY"]) >= 50, "production settings demand 50+ characters"
    assert defaults["RUN_MIGRATIONS"] == "true" and defaults["AUTO_SEED"] == "true"
    assert int(defaults["DB_WAIT_TIMEOUT"]) > 0
    assert defaults["DJANGO_SECURE_SSL_REDIRECT"] == "false", "plain HTTP on a laptop"


def _secret_settings():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                yield pytest.param(f"{name}.{key}", value, id=f"{name}.{key}")


@pytest.mark.parametrize(("where", "value"), list(_secret_settings()))
def test_secrets_are_local_defaults_overridable_by_dotenv(where, value):
    names = variables(value)
    assert names, f"{where} is baked in; use ${{VAR:-local-default}}"
    default = interpolate(value)
    assert "local" in default or default == "", f"{where}: the default must say it is local-only"
    overridden = interpolate(value, dict.fromkeys(names, "from-dotenv"))
    assert "local" not in overridden and "from-dotenv" in overridden


def test_needs_no_file_a_fresh_clone_lacks():
    for name, service in SERVICES.items():
        for entry in (
            service.get("env_file", []) if isinstance(service.get("env_file"), list) else [service.get("env_file")]
        ):
            if entry is None:
                continue
            required = entry.get("required", True) if isinstance(entry, dict) else True
            assert not required, f"{name} needs an env file; defaults belong in the compose file"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO / source).exists(), f"{name} mounts {source}, which a clone lacks"


def test_long_running_services_are_pinned():
    for name, service in SERVICES.items():
        image = service.get("image", "")
        assert image and not image.endswith(":latest") and ":" in image, f"{name}: {image!r}"

"""The Dockerfile and .dockerignore keep the runtime contract (no Docker engine needed)."""

import fnmatch
import json
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _instructions():
    """(INSTRUCTION, arguments) pairs with line continuations joined and comments dropped."""
    logical, current = [], ""
    for raw in (REPO / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # comment inside a continued instruction
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    pairs = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        pairs.append((keyword.upper(), rest.strip()))
    return pairs


INSTRUCTIONS = _instructions()
FROMS = [i for i, (kw, _) in enumerate(INSTRUCTIONS) if kw == "FROM"]
FINAL_STAGE = INSTRUCTIONS[FROMS[-1] :]


def _final(keyword):
    return [args for kw, args in FINAL_STAGE if kw == keyword]


def test_multi_stage_with_wheels_built_from_requirements():
    assert len(FROMS) >= 2
    builder = INSTRUCTIONS[FROMS[0] : FROMS[-1]]
    runs = " ".join(args for kw, args in builder if kw == "RUN")
    assert "pip wheel" in runs and "-r requirements.txt" in runs
    assert any(kw == "COPY" and args.startswith("--from=") for kw, args in FINAL_STAGE)


def test_final_base_is_slim_python_311_pinned_to_a_patch_release():
    image = INSTRUCTIONS[FROMS[-1]][1].split()[0]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", image), image


def test_runs_as_numeric_non_root_user():
    users = _final("USER")
    assert users and users[-1] == "10001:10001"


def test_environment_and_port():
    env = " ".join(_final("ENV"))
    for needed in ("PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus"):
        assert needed in env
    assert _final("EXPOSE") == ["8000"]


def test_no_secret_or_database_url_in_image_environment():
    env = " ".join(args for kw, args in INSTRUCTIONS if kw in ("ENV", "ARG"))
    for name in ("SECRET", "PASSWORD", "DATABASE_URL", "TOKEN", "AWS_"):
        assert name not in env.upper()


def test_collectstatic_at_build_with_throwaway_settings_in_that_run_only():
    runs = [args for args in _final("RUN") if "collectstatic" in args]
    assert len(runs) == 1
    assert "DJANGO_SECRET_KEY=" in runs[0] and "DATABASE_URL=sqlite://" in runs[0]
    key = re.search(r"DJANGO_SECRET_KEY=(\S+)", runs[0]).group(1)
    assert len(key) >= 50, "config.settings.production demands 50+ characters"


def test_healthcheck_probes_healthz():
    checks = _final("HEALTHCHECK")
    assert len(checks) == 1 and "/healthz" in checks[0] and "CMD" in checks[0]


def test_entrypoint_and_default_command():
    assert json.loads(_final("ENTRYPOINT")[-1]) == ["/app/docker/entrypoint.sh"]
    assert json.loads(_final("CMD")[-1]) == ["gunicorn", "-c", "/app/gunicorn.conf.py", "config.wsgi:application"]
    assert _final("WORKDIR")[-1] == "/app"


@pytest.mark.parametrize("suffix", ["source", "revision", "version", "created"])
def test_oci_labels_come_from_build_args(suffix):
    labels = " ".join(_final("LABEL"))
    match = re.search(rf'org\.opencontainers\.image\.{suffix}="\$\{{(\w+)\}}"', labels)
    assert match, suffix
    assert any(args.split("=")[0] == match.group(1) for args in _final("ARG"))


def test_entrypoint_script_is_executable_posix_sh():
    script = REPO / "docker" / "entrypoint.sh"
    assert os.access(script, os.X_OK), "git must record docker/entrypoint.sh as 100755"
    assert script.read_text().startswith("#!/bin/sh\n")


def _dockerignore_patterns():
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ignored(path, patterns):
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = Path(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        candidates = [pattern, pattern.removeprefix("**/")] if pattern.startswith("**/") else [pattern]
        hit = any(
            fnmatch.fnmatchcase(prefix, cand) or (cand != pattern and fnmatch.fnmatchcase(part, cand))
            for prefix in prefixes
            for cand in candidates
            for part in parts
        )
        if hit:
            ignored = not negate
    return ignored


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".venv/bin/python",
        ".tools/docker/bin/hadolint",
        ".env",
        "tests/docker/test_dockerfile.py",
        "posts/tests/test_api.py",
        "users/__pycache__/models.cpython-311.pyc",
        "db.sqlite3",
        "terraform/main.tf",
    ],
)
def test_build_context_leaves_out(path):
    assert _ignored(path, _dockerignore_patterns())


@pytest.mark.parametrize(
    "path",
    [
        "requirements.txt",
        "manage.py",
        "gunicorn.conf.py",
        "docker/entrypoint.sh",
        "docker/wait_for_db.py",
        "config/settings/production.py",
        "config/settings/test.py",
        "posts/models.py",
    ],
)
def test_build_context_keeps(path):
    assert not _ignored(path, _dockerignore_patterns())

"""The image build's Python steps, replayed on the host (there is no Docker engine here).

The build context is copied the way .dockerignore filters it, then the Dockerfile's collectstatic
RUN is executed with exactly the environment the Dockerfile gives it. This proves that production
settings accept the build-time values and that .dockerignore leaves out nothing the app imports.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_dockerfile import FINAL_STAGE, _dockerignore_patterns, _ignored

REPO = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", ".venv", ".tools", "node_modules"}  # large, and ignored anyway (asserted elsewhere)


def _image_env():
    env = {}
    for keyword, args in FINAL_STAGE:
        if keyword == "ENV":
            for token in shlex.split(args):
                name, _, value = token.partition("=")
                env[name] = value
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
    return env


def _collectstatic_run():
    runs = [args for keyword, args in FINAL_STAGE if keyword == "RUN" and "collectstatic" in args]
    command = next(part for part in runs[0].split("&&") if "collectstatic" in part)
    tokens = shlex.split(command)
    assignments = {}
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        assignments[name] = value
    assert tokens[:2] == ["python", "manage.py"], tokens
    return assignments, tokens


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """The files `COPY . .` puts in /app."""
    target = tmp_path_factory.mktemp("image") / "app"
    patterns = _dockerignore_patterns()
    for root, dirs, files in os.walk(REPO):
        relative_root = Path(root).relative_to(REPO)
        dirs[:] = [d for d in dirs if not (relative_root == Path(".") and d in SKIP_DIRS)]
        for name in files:
            relative = relative_root / name
            if not _ignored(str(relative), patterns):
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / relative, target / relative)
    return target


def test_context_has_no_tests_secrets_or_tooling(context):
    files = [str(p.relative_to(context)) for p in context.rglob("*") if p.is_file()]
    assert "manage.py" in files and "docker/entrypoint.sh" in files and "gunicorn.conf.py" in files
    offenders = [f for f in files if re.search(r"(^|/)(tests?/|test_[^/]*\.py$|conftest\.py$|\.env$)", f)]
    assert not offenders


def test_collectstatic_runs_with_only_the_build_time_environment(context):
    assignments, command = _collectstatic_run()
    env = {**_image_env(), **assignments}
    command[0] = sys.executable
    result = subprocess.run(command, cwd=context, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = context / "staticfiles" / "staticfiles.json"
    assert manifest.is_file(), "WhiteNoise's manifest storage writes hashed names"
    assert list((context / "staticfiles").rglob("*.gz")), "and compressed copies"


def test_the_app_loads_from_the_image_files_alone(context):
    env = {**_image_env(), **_collectstatic_run()[0]}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""Shared helpers for tests/github: the workflow files as data, and fake commands."""

import os
import pathlib
import re
import stat

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
GITHUB_DIR = ROOT / ".github"
WORKFLOWS_DIR = GITHUB_DIR / "workflows"
SCRIPTS_DIR = GITHUB_DIR / "scripts"
DEPLOY_ACTION = GITHUB_DIR / "actions" / "deploy" / "action.yml"


def load_yaml(path):
    """YAML as GitHub reads it: PyYAML (YAML 1.1) turns the key `on` into True."""
    data = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and True in data:
        data["on"] = data.pop(True)
    return data


def workflow(name):
    return load_yaml(WORKFLOWS_DIR / name)


def all_workflows():
    return {path.name: load_yaml(path) for path in sorted(WORKFLOWS_DIR.glob("*.yml"))}


def steps_of(doc):
    """(job id, step) for every step of a workflow, or of a composite action (job id None)."""
    if "runs" in doc:
        return [(None, step) for step in doc["runs"].get("steps", [])]
    return [(job_id, step) for job_id, job in doc["jobs"].items() for step in job.get("steps", [])]


MAKE_CALL = re.compile(r"(?:^|[\s;&|(])make((?:[ \t]+[^\s;&|)#]+)*)")


def make_targets(shell_text):
    """Targets of every `make` command in a piece of shell (options and VAR=value left out)."""
    targets = []
    for line in shell_text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        line = re.sub(r"\s#.*$", "", line)
        for match in MAKE_CALL.finditer(line):
            words = match.group(1).split()
            skip_next = False
            for word in words:
                if skip_next:
                    skip_next = False
                elif word in ("-C", "-f", "-j", "-l", "-o", "-W", "-I"):
                    skip_next = True
                elif word.startswith("-") or "=" in word or word.startswith(("$", '"', "'")):
                    continue
                else:
                    targets.append(word)
    return targets


def write_executable(path, text):
    path = pathlib.Path(path)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def fake_bin(tmp_path):
    """A directory put first on PATH for the scripts under test; write fakes into it."""
    directory = tmp_path / "bin"
    directory.mkdir()
    return directory


def script_env(fake_bin, **extra):
    env = {
        "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env

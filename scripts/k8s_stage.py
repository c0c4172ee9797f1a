#!/usr/bin/env python3
"""Deploy-time helpers for a stage's kustomize overlay (k8s/overlays/<stage>).

k8s_stage.py set-image STAGE --registry REGISTRY --tag GIT_SHA
    Point the stage's image (API and migration Job alike) at REGISTRY/sns-backend:GIT_SHA,
    editing k8s/overlays/STAGE/settings/kustomization.yaml in place (comments kept).
k8s_stage.py preflight STAGE [--kubectl BIN]
    Render the stage and refuse what cannot be deployed: the placeholder image, hostnames
    under example.com, `.invalid` endpoints, REPLACE_WITH_* values, documentation CIDRs.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERLAYS = ROOT / "k8s" / "overlays"
IMAGE_NAME = "sns-backend"

GIT_SHA = re.compile(r"^[0-9a-f]{7,40}$")
REGISTRY = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$")
IMAGES_ENTRY = re.compile(
    r"(?P<head>-\s+name:\s*" + IMAGE_NAME + r"\s*\n\s+newName:\s*)(?P<name>\S+)(?P<mid>\s*\n\s+newTag:\s*)(?P<tag>\S+)"
)
PLACEHOLDERS = {
    "placeholder image tag": re.compile(r":0{7,40}\b"),
    "`.invalid` name (RFC 2606)": re.compile(r"[a-z0-9-]\.invalid\b"),
    "example.com hostname": re.compile(r"\bexample\.com\b"),
    "REPLACE_WITH_ value": re.compile(r"REPLACE_WITH_[A-Z_]+"),
    "documentation CIDR (RFC 5737)": re.compile(r"\b(192\.0\.2|198\.51\.100|203\.0\.113)\.[0-9]+/[0-9]+"),
}


def stage_dir(stage: str, overlays: Path) -> Path:
    path = overlays / stage
    if not (path / "kustomization.yaml").is_file() or not (path / "settings").is_dir():
        known = sorted(p.name for p in overlays.iterdir() if (p / "settings").is_dir())
        raise SystemExit(f"k8s_stage: unknown stage {stage!r} (known: {', '.join(known)})")
    return path


def set_image(stage: str, registry: str, tag: str, overlays: Path = OVERLAYS) -> int:
    if not GIT_SHA.match(tag):
        print(
            f"k8s_stage: tag {tag!r} is not a git SHA (7-40 lowercase hex): images are never `latest`", file=sys.stderr
        )
        return 2
    registry = registry.rstrip("/")
    if not REGISTRY.match(registry):
        print(f"k8s_stage: {registry!r} is not a registry host (e.g. sns-xxxx.kr.ncr.ntruss.com)", file=sys.stderr)
        return 2
    path = stage_dir(stage, overlays) / "settings" / "kustomization.yaml"
    text = path.read_text(encoding="utf-8")
    new_name = f"{registry}/{IMAGE_NAME}"
    updated, count = IMAGES_ENTRY.subn(lambda m: f'{m["head"]}{new_name}{m["mid"]}"{tag}"', text)
    if count != 1:
        print(f"k8s_stage: expected one `- name: {IMAGE_NAME}` images entry in {path}, found {count}", file=sys.stderr)
        return 1
    path.write_text(updated, encoding="utf-8")
    print(f"{stage}: image {new_name}:{tag}")
    return 0


def render(kubectl: str, path: Path) -> str:
    result = subprocess.run([kubectl, "kustomize", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"k8s_stage: kubectl kustomize {path} failed:\n{result.stderr}")
    return result.stdout


def preflight(stage: str, kubectl: str, overlays: Path = OVERLAYS) -> int:
    base = stage_dir(stage, overlays)
    problems = []
    for path in (base / "migrate", base):
        rendered = render(kubectl, path)
        for number, line in enumerate(rendered.splitlines(), start=1):
            for what, pattern in PLACEHOLDERS.items():
                if pattern.search(line):
                    problems.append(
                        f"{stage}{str(path)[len(str(base)) :]} (rendered line {number}): {what}: {line.strip()}"
                    )
    for problem in problems:
        print(f"NOT READY {problem}", file=sys.stderr)
    if problems:
        print(
            f"\n{stage}: set these in k8s/overlays/{stage} (k8s/README.md, 'Values each stage needs').", file=sys.stderr
        )
        return 1
    print(f"{stage}: no placeholders left; remember the Secret sns-secrets (k8s/README.md)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    image = commands.add_parser("set-image", help="set the stage's image registry and tag")
    image.add_argument("stage")
    image.add_argument("--registry", required=True, help="NCR endpoint, e.g. sns-xxxx.kr.ncr.ntruss.com")
    image.add_argument("--tag", required=True, help="the git SHA the image was built from")
    check = commands.add_parser("preflight", help="refuse to deploy placeholders")
    check.add_argument("stage")
    check.add_argument("--kubectl", default=str(ROOT / ".tools" / "k8s" / "bin" / "kubectl"))
    for command in (image, check):
        command.add_argument("--overlays", type=Path, default=OVERLAYS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "set-image":
        return set_image(args.stage, args.registry, args.tag, args.overlays)
    return preflight(args.stage, args.kubectl, args.overlays)


if __name__ == "__main__":
    sys.exit(main())

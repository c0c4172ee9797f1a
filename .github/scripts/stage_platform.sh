#!/usr/bin/env bash
# Print the deployment platform of a stage, read from its Terraform variables:
# terraform/envs/STAGE/terraform.tfvars holds platform = "servers" | "kubernetes".
# Usage: stage_platform.sh STAGE      (also written as step output "platform")
set -euo pipefail

stage="${1:?usage: stage_platform.sh STAGE}"
tfvars="${TERRAFORM_DIR:-terraform}/envs/${stage}/terraform.tfvars"
[ -f "$tfvars" ] || { echo "no ${tfvars}" >&2; exit 1; }

platform="$(sed -nE 's/^[[:space:]]*platform[[:space:]]*=[[:space:]]*"([^"]*)".*$/\1/p' "$tfvars")"
case "$platform" in
  servers | kubernetes) ;;
  *)
    echo "${tfvars}: platform must be \"servers\" or \"kubernetes\", found '${platform}'" >&2
    exit 1
    ;;
esac
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "platform=${platform}" >>"$GITHUB_OUTPUT"
fi
echo "$platform"

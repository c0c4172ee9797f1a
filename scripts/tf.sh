#!/usr/bin/env bash
# One command per stage and action for the Terraform roots (walkthrough: terraform/README.md).
#
#   scripts/tf.sh <staging|production> <plan|apply|destroy|output|init> [terraform arguments...]
#   scripts/tf.sh bootstrap <plan|apply|output>
#
# For a stage it runs `terraform init` against that stage's own state in NCP Object Storage
# (bucket: $TF_STATE_BUCKET or state_bucket_name in terraform/bootstrap/terraform.tfvars; key:
# sns/<stage>/terraform.tfstate; S3 lock file), then the action with the stage's terraform.tfvars.
# Unknown stages are refused, and destroying production needs the stage name typed back
# (TF_CONFIRM_DESTROY=production confirms it in advance, for scripts).
#
# Environment: NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY (provider; also the state backend's
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY unless those are set), the TF_VAR_* secrets listed in
# terraform/README.md, TF_VAR_image_tag (default: the checked-out commit), TERRAFORM (binary).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
terraform_dir=$repo_root/terraform
terraform_bin=${TERRAFORM:-terraform}
min_terraform=1.10

die() {
  echo "tf.sh: $*" >&2
  exit "${exit_code:-2}"
}

usage() {
  echo "usage: scripts/tf.sh <staging|production> <plan|apply|destroy|output|init> [terraform arguments...]" >&2
  echo "       scripts/tf.sh bootstrap <plan|apply|output>" >&2
  exit 2
}

[ $# -ge 2 ] || usage
stage=$1
action=$2
shift 2

case $stage in
  staging | production | bootstrap) ;;
  *) die "unknown stage '$stage' (known: staging, production, bootstrap); nothing done" ;;
esac
case $action in
  plan | apply | destroy | output | init) ;;
  *) die "unknown action '$action' (known: plan, apply, destroy, output, init)" ;;
esac
if [ "$stage" = bootstrap ] && [ "$action" = destroy ]; then
  die "the bootstrap root holds the state bucket of every stage; it is never destroyed from here"
fi

if [ "$stage" = production ] && [ "$action" = destroy ] && [ "${TF_CONFIRM_DESTROY:-}" != production ]; then
  answer=
  if [ -t 0 ]; then
    read -r -p "Destroy PRODUCTION (database, photo bucket, cluster)? Type 'production' to go on: " answer
  fi
  if [ "$answer" != production ]; then
    exit_code=1 die "destroying production was not confirmed; nothing done"
  fi
fi

command -v "$terraform_bin" >/dev/null 2>&1 ||
  exit_code=127 die "terraform not found; install Terraform $min_terraform or newer"
version=$("$terraform_bin" version | sed -n '1s/^Terraform v\([0-9][0-9.]*\).*/\1/p')
if [ -z "$version" ] || [ "$(printf '%s\n%s\n' "$min_terraform" "$version" | sort -V | head -n1)" != "$min_terraform" ]; then
  exit_code=1 die "Terraform $min_terraform or newer is needed (S3 lock files), found '${version:-unknown}'"
fi

[ -n "${NCLOUD_ACCESS_KEY:-}" ] && [ -n "${NCLOUD_SECRET_KEY:-}" ] ||
  exit_code=1 die "set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (an NCP API key of the deploying sub account)"
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-$NCLOUD_ACCESS_KEY}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-$NCLOUD_SECRET_KEY}

tfvar() { # name file: the string value of `name = "value"` in a tfvars file
  sed -n "s/^$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$2" | head -n1
}

if [ "$stage" = bootstrap ]; then
  root=$terraform_dir/bootstrap
  "$terraform_bin" -chdir="$root" init -input=false
  exec "$terraform_bin" -chdir="$root" "$action" "$@"
fi

root=$terraform_dir/envs/$stage
[ -f "$root/terraform.tfvars" ] || exit_code=1 die "$root/terraform.tfvars is missing"

bucket=${TF_STATE_BUCKET:-$(tfvar state_bucket_name "$terraform_dir/bootstrap/terraform.tfvars")}
[ -n "$bucket" ] || exit_code=1 die "no state bucket: set TF_STATE_BUCKET or state_bucket_name in terraform/bootstrap/terraform.tfvars"

"$terraform_bin" -chdir="$root" init -input=false -reconfigure \
  -backend-config="bucket=$bucket" \
  -backend-config="key=sns/$stage/terraform.tfstate"

case $action in
  init | output)
    [ "$action" = init ] && exit 0
    exec "$terraform_bin" -chdir="$root" output "$@"
    ;;
esac

if [ -z "${TF_VAR_image_tag:-}" ]; then
  TF_VAR_image_tag=$(git -C "$repo_root" rev-parse HEAD 2>/dev/null) ||
    exit_code=1 die "set TF_VAR_image_tag (the git SHA of the image to run)"
  export TF_VAR_image_tag
  echo "tf.sh: image_tag=$TF_VAR_image_tag (the checked-out commit; TF_VAR_image_tag overrides)"
fi

platform=$(tfvar platform "$root/terraform.tfvars")
secrets=(db_password)
if [ "$platform" = servers ]; then
  secrets+=(django_secret_key object_storage_access_key object_storage_secret_key registry_username
    registry_password metrics_token slack_webhook_url discovery_access_key discovery_secret_key)
fi

if [ "$action" = destroy ]; then
  # Destroying reads no secret, but the configuration must still validate: stand-ins that pass
  # the variables' validations fill whatever is not set.
  declare -A stand_in=(
    [db_password]="Destroy-only-0" [django_secret_key]="$(printf 'd%.0s' {1..50})"
    [metrics_token]="$(printf 'm%.0s' {1..32})" [slack_webhook_url]="https://destroy.invalid/"
  )
  for name in "${secrets[@]}"; do
    var=TF_VAR_$name
    [ -n "${!var:-}" ] || export "$var=${stand_in[$name]:-destroy-only}"
  done
else
  missing=()
  for name in "${secrets[@]}"; do
    var=TF_VAR_$name
    [ -n "${!var:-}" ] || missing+=("$var")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    exit_code=1 die "missing secret(s) for $stage (platform $platform): ${missing[*]} (terraform/README.md, Secrets)"
  fi
fi

exec "$terraform_bin" -chdir="$root" "$action" "$@"

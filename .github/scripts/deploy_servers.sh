#!/usr/bin/env bash
# Server path of a deployment (the stage's terraform.tfvars says platform = "servers"):
# Terraform applies the stage with the new image tag, which rolls the auto
# scaling group onto it (see terraform/). `make tf-apply` wraps scripts/tf.sh;
# TF_CLI_ARGS_apply=-auto-approve (tf_output.sh) makes it non-interactive.
#   1. remember the tag that runs now (terraform output image)
#   2. TF_VAR_image_tag=SHA make tf-apply STAGE=stage
#   3. if the apply fails: apply the remembered tag again, and fail
# Usage: deploy_servers.sh STAGE IMAGE_TAG
# Env:   the stage's Terraform credentials and TF_VAR_* secrets (see .github/README.md);
#        IMAGE_REPOSITORY (optional, REGISTRY/sns-backend where cd.yml pushed): must be the
#        registry/image_name of the stage's terraform.tfvars, which the servers pull from
# Step outputs: previous_image_tag, applied (true once step 2 started),
#               url (http://<terraform output load_balancer_address>)
set -euo pipefail

stage="${1:?usage: deploy_servers.sh STAGE IMAGE_TAG}"
image_tag="${2:?usage: deploy_servers.sh STAGE IMAGE_TAG}"
if ! [[ "$image_tag" =~ ^[0-9a-f]{7,40}$ ]]; then
  echo "IMAGE_TAG must be a git commit SHA, got '${image_tag}'" >&2
  exit 2
fi
output="${GITHUB_OUTPUT:-/dev/null}"

# terraform.tfvars beats TF_VAR_*, so the registry cannot be passed in: compare instead.
if [ -n "${IMAGE_REPOSITORY:-}" ]; then
  tfvars="terraform/envs/${stage}/terraform.tfvars"
  tfvar() { sed -nE "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"([^\"]*)\".*$/\1/p" "$tfvars"; }
  pulled="$(tfvar registry)/$(tfvar image_name)"
  pulled="${pulled%/}"
  [[ "$pulled" == */* ]] || pulled="${pulled}/sns-backend"
  if [ "$pulled" != "$IMAGE_REPOSITORY" ]; then
    echo "the image was pushed to ${IMAGE_REPOSITORY}, but ${tfvars} makes the servers pull" >&2
    echo "${pulled}: set the NCR_REGISTRY variable and registry in ${tfvars} to the same registry" >&2
    exit 2
  fi
fi

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/tf_output.sh
. "${script_dir}/tf_output.sh"
tf_drop_empty_vars

previous_image_tag="$(tf_image_tag "$stage" || true)"
echo "previous_image_tag=${previous_image_tag}" >>"$output"
echo "stage ${stage}: ${previous_image_tag:-nothing deployed yet} -> ${image_tag}"

echo "applied=true" >>"$output"
if ! tf_apply "$stage" "$image_tag"; then
  echo "terraform apply of ${image_tag} failed" >&2
  if [ -n "$previous_image_tag" ] && [ "$previous_image_tag" != "$image_tag" ]; then
    echo "applying the previous image tag ${previous_image_tag} again" >&2
    tf_apply "$stage" "$previous_image_tag" || echo "the rollback apply failed too: look at the stage by hand" >&2
  fi
  exit 1
fi

lb_address="$(tf_output "$stage" load_balancer_address)"
echo "url=http://${lb_address}" >>"$output"
echo "stage ${stage} runs ${image_tag} behind ${lb_address}"

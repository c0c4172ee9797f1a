#!/usr/bin/env bash
# Apply one stage's infrastructure (terraform.yml). The image tag that runs now is
# kept: deployments change it (cd.yml), infrastructure changes do not.
# Usage: tf_apply.sh STAGE
# Env:   the Terraform credentials (see .github/README.md)
set -euo pipefail

stage="${1:?usage: tf_apply.sh STAGE}"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/tf_output.sh
. "${script_dir}/tf_output.sh"
tf_drop_empty_vars

current_image_tag="$(tf_image_tag "$stage" || true)"
if [ -n "$current_image_tag" ]; then
  echo "keeping image tag ${current_image_tag}"
else
  # Nothing runs yet (or the Kubernetes platform, which takes no image from Terraform):
  # scripts/tf.sh uses the checked-out commit.
  current_image_tag="$(git rev-parse HEAD)"
fi
tf_apply "$stage" "$current_image_tag"

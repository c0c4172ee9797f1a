#!/usr/bin/env bash
# Put back the release that ran before this deployment; called when the smoke
# test of the new release failed (a failed deploy step rolls itself back).
# Usage: rollback.sh PLATFORM STAGE
# Env:   kubernetes: PREVIOUS_REVISION (deploy_kubernetes.sh output), KUBECONFIG, NAMESPACE
#        servers:    PREVIOUS_IMAGE_TAG (deploy_servers.sh output) and the Terraform credentials
# Exit 0 when the previous release is back, 1 when there was none or the rollback failed.
set -euo pipefail

platform="${1:?usage: rollback.sh PLATFORM STAGE}"
stage="${2:?usage: rollback.sh PLATFORM STAGE}"

case "$platform" in
  kubernetes)
    namespace="${NAMESPACE:-sns-${stage}}"
    if [ -z "${PREVIOUS_REVISION:-}" ]; then
      echo "first deployment to ${stage}: nothing to roll back to" >&2
      exit 1
    fi
    echo "rolling deployment/sns-api in ${namespace} back to revision ${PREVIOUS_REVISION}"
    kubectl -n "$namespace" rollout undo deployment/sns-api --to-revision="$PREVIOUS_REVISION"
    kubectl -n "$namespace" rollout status deployment/sns-api --timeout="${ROLLOUT_TIMEOUT:-600s}"
    ;;
  servers)
    if [ -z "${PREVIOUS_IMAGE_TAG:-}" ]; then
      echo "first deployment to ${stage}: nothing to roll back to" >&2
      exit 1
    fi
    # shellcheck source=SCRIPTDIR/tf_output.sh
    . "$(dirname "${BASH_SOURCE[0]}")/tf_output.sh"
    tf_drop_empty_vars
    echo "applying ${stage} with the previous image tag ${PREVIOUS_IMAGE_TAG}"
    tf_apply "$stage" "$PREVIOUS_IMAGE_TAG"
    ;;
  *)
    echo "unknown platform '${platform}'" >&2
    exit 2
    ;;
esac
echo "rolled back ${stage}"

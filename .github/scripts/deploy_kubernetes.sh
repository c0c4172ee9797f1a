#!/usr/bin/env bash
# Kubernetes path of a deployment (the stage's terraform.tfvars says platform = "kubernetes"),
# in the order k8s/overlays/<stage>/migrate/kustomization.yaml documents:
#   1. point the stage at the image: kustomize edit set image sns-backend=IMAGE in
#      k8s/overlays/<stage>/settings, the component that both the API overlay and its
#      migrate overlay take their namespace and image from
#      and `make k8s-preflight STAGE=<stage>`, which refuses placeholders left in the overlay
#   2. the migration Job alone: delete the previous sns-migrate (a Job is immutable),
#      kubectl apply -k k8s/overlays/<stage>/migrate, and wait for it; the running pods
#      keep serving meanwhile, so migrations must work with the previous release too
#   3. kubectl apply -k k8s/overlays/<stage>, then kubectl rollout status deployment/sns-api
#   4. if the rollout does not finish: kubectl rollout undo to the revision that ran
#      before, and fail
# Usage: deploy_kubernetes.sh STAGE IMAGE     (IMAGE = REGISTRY/sns-backend:GIT_SHA)
# Env:   KUBECONFIG (nks_kubeconfig.sh), K8S_DIR (default k8s), NAMESPACE (default sns-STAGE),
#        MIGRATE_TIMEOUT seconds (default 960: the Job's activeDeadlineSeconds is 900),
#        ROLLOUT_TIMEOUT (default 600s)
# Step outputs: previous_revision, previous_image, applied (true once step 3 started).
set -euo pipefail

stage="${1:?usage: deploy_kubernetes.sh STAGE IMAGE}"
image="${2:?usage: deploy_kubernetes.sh STAGE IMAGE}"
tag="${image##*:}"
if [ "$tag" = "$image" ] || [ "$tag" = "latest" ] || [[ "$tag" == */* ]]; then
  echo "refusing to deploy ${image}: deployments use the git SHA tag" >&2
  exit 2
fi

k8s_dir="${K8S_DIR:-k8s}"
overlay="${k8s_dir}/overlays/${stage}"
namespace="${NAMESPACE:-sns-${stage}}"
migrate_timeout="${MIGRATE_TIMEOUT:-960}"
rollout_timeout="${ROLLOUT_TIMEOUT:-600s}"
deployment=sns-api
migrate_job=sns-migrate
output="${GITHUB_OUTPUT:-/dev/null}"

for dir in "$overlay" "${overlay}/migrate" "${overlay}/settings"; do
  [ -f "${dir}/kustomization.yaml" ] || { echo "no ${dir}/kustomization.yaml" >&2; exit 2; }
done

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# Record what runs now, for the rollback.
previous_revision="$(kubectl -n "$namespace" get deployment "$deployment" --ignore-not-found \
  -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')"
previous_image="$(kubectl -n "$namespace" get deployment "$deployment" --ignore-not-found \
  -o jsonpath='{.spec.template.spec.containers[0].image}')"
{
  echo "previous_revision=${previous_revision}"
  echo "previous_image=${previous_image}"
} >>"$output"
echo "stage ${stage}: ${previous_image:-nothing deployed yet} (revision ${previous_revision:-none}) -> ${image}"

# 1. The stage's image (a working-tree change in the runner only, never committed).
(cd "${overlay}/settings" && kustomize edit set image "sns-backend=${image}")
for dir in "${overlay}/migrate" "$overlay"; do
  kubectl kustomize "$dir" >"$workdir/rendered.yaml"
  if ! grep -qF "image: ${image}" "$workdir/rendered.yaml" ||
    grep -E '^[[:space:]]*(- )?image: ' "$workdir/rendered.yaml" | grep -vqF "image: ${image}"; then
    echo "${dir} does not render every container with ${image} after kustomize edit set image:" >&2
    grep -E '^[[:space:]]*(- )?image: ' "$workdir/rendered.yaml" | sort | uniq -c >&2
    exit 1
  fi
done
make k8s-preflight STAGE="$stage"

# 2. Migrations. A Job's pod template is immutable: replace the last run's Job.
kubectl -n "$namespace" delete job "$migrate_job" --ignore-not-found --wait=true
kubectl apply -k "${overlay}/migrate"
deadline=$((SECONDS + migrate_timeout))
until kubectl -n "$namespace" wait --for=condition=complete "job/${migrate_job}" --timeout=10s >/dev/null 2>&1; do
  failed="$(kubectl -n "$namespace" get job "$migrate_job" \
    -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}' 2>/dev/null || true)"
  if [ "$failed" = "True" ] || [ "$SECONDS" -ge "$deadline" ]; then
    echo "migration Job ${migrate_job} $([ "$failed" = "True" ] && echo failed || echo "timed out after ${migrate_timeout}s"); nothing else was changed" >&2
    kubectl -n "$namespace" logs "job/${migrate_job}" --all-containers --tail=200 >&2 || true
    exit 1
  fi
done
echo "migration Job ${migrate_job} complete"

# 3. The API (Deployment, Service, Ingress, HPA, ...).
echo "applied=true" >>"$output"
kubectl apply -k "$overlay"
if kubectl -n "$namespace" rollout status "deployment/${deployment}" --timeout="$rollout_timeout"; then
  echo "deployment/${deployment} rolled out ${image}"
  exit 0
fi

# 4. The new pods never became ready: back to what ran before.
echo "rollout of ${image} did not finish in ${rollout_timeout}; rolling back" >&2
if [ -n "$previous_revision" ]; then
  kubectl -n "$namespace" rollout undo "deployment/${deployment}" --to-revision="$previous_revision"
  kubectl -n "$namespace" rollout status "deployment/${deployment}" --timeout="$rollout_timeout" || true
else
  echo "first deployment of ${deployment}: nothing to roll back to" >&2
fi
exit 1

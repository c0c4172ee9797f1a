#!/usr/bin/env bash
# Write a kubeconfig for the stage's NKS cluster. NKS authenticates kubectl with
# NCP IAM: the kubeconfig runs `ncp-iam-authenticator token` for every request,
# so NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY must stay in the environment of every
# later kubectl call (the deploy and rollback steps pass them too).
# The API key's sub account needs NKS View/getClusterDetail and View/getClusterList,
# and a cluster role binding (ncp-auth ConfigMap) that lets it deploy into the namespace.
# Usage: nks_kubeconfig.sh
# Env:   NKS_CLUSTER_UUID (terraform output cluster_id), NKS_REGION (default KR),
#        NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY, NCLOUD_API_GW (default the public API gateway)
set -euo pipefail

: "${NKS_CLUSTER_UUID:?NKS_CLUSTER_UUID is required (terraform output cluster_id of the stage)}"
: "${NCLOUD_ACCESS_KEY:?NCLOUD_ACCESS_KEY is required}"
: "${NCLOUD_SECRET_KEY:?NCLOUD_SECRET_KEY is required}"
export NCLOUD_API_GW="${NCLOUD_API_GW:-https://ncloud.apigw.ntruss.com}"

kubeconfig="${RUNNER_TEMP:-/tmp}/kubeconfig-${NKS_CLUSTER_UUID}.yaml"
ncp-iam-authenticator create-kubeconfig \
  --region "${NKS_REGION:-KR}" --clusterUuid "$NKS_CLUSTER_UUID" --output "$kubeconfig"
chmod 0600 "$kubeconfig"
export KUBECONFIG="$kubeconfig"
if [ -n "${GITHUB_ENV:-}" ]; then
  echo "KUBECONFIG=${kubeconfig}" >>"$GITHUB_ENV"
fi
kubectl version

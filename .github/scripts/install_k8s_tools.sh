#!/usr/bin/env bash
# Install the two binaries the Kubernetes deploy path needs besides kubectl
# (which azure/setup-kubectl pins to the cluster's minor version):
#   kustomize              `kustomize edit set image` in the overlay
#   ncp-iam-authenticator  NKS IAM authentication (kubeconfig + token exec plugin)
# Pinned versions; each download is checked against the SHA-256 list of its release.
# Usage: install_k8s_tools.sh [DEST_DIR]   (default $RUNNER_TEMP/bin; added to $GITHUB_PATH)
set -euo pipefail

KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
NCP_IAM_AUTHENTICATOR_VERSION="${NCP_IAM_AUTHENTICATOR_VERSION:-1.1.1}"
dest="${1:-${RUNNER_TEMP:-/tmp}/bin}"

case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
mkdir -p "$dest"

download() { curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"; }

# verify FILE SUMS_FILE: the line for FILE's name in SUMS_FILE must match.
verify() {
  local file="$1" sums="$2" name expected actual
  name="$(basename "$file")"
  expected="$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$sums")"
  if [ -z "$expected" ]; then
    echo "no checksum for ${name} in $(basename "$sums")" >&2
    return 1
  fi
  actual="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ "$expected" != "$actual" ]; then
    echo "checksum mismatch for ${name}: expected ${expected}, got ${actual}" >&2
    return 1
  fi
}

# kustomize: tags are "kustomize/vX.Y.Z" (URL-encoded slash).
kustomize_base="https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}"
kustomize_tgz="$workdir/kustomize_${KUSTOMIZE_VERSION}_linux_${arch}.tar.gz"
download "${kustomize_base}/$(basename "$kustomize_tgz")" "$kustomize_tgz"
download "${kustomize_base}/checksums.txt" "$workdir/kustomize_checksums.txt"
verify "$kustomize_tgz" "$workdir/kustomize_checksums.txt"
tar -xzf "$kustomize_tgz" -C "$workdir" kustomize
install -m 0755 "$workdir/kustomize" "$dest/kustomize"

# ncp-iam-authenticator (goreleaser: binary assets plus one SHA256SUMS file).
ncp_base="https://github.com/NaverCloudPlatform/ncp-iam-authenticator/releases/download/v${NCP_IAM_AUTHENTICATOR_VERSION}"
ncp_bin="$workdir/ncp-iam-authenticator_linux_${arch}"
download "${ncp_base}/$(basename "$ncp_bin")" "$ncp_bin"
download "${ncp_base}/ncp-iam-authenticator_SHA256SUMS" "$workdir/ncp_SHA256SUMS"
verify "$ncp_bin" "$workdir/ncp_SHA256SUMS"
install -m 0755 "$ncp_bin" "$dest/ncp-iam-authenticator"

if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$dest" >>"$GITHUB_PATH"
fi
"$dest/kustomize" version
"$dest/ncp-iam-authenticator" version || true

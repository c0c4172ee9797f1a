#!/usr/bin/env bash
# Run a command while `kubectl port-forward` connects a local port to a Service.
# The smoke test uses it on the Kubernetes path for /readyz, which the Ingress does
# not route (only /api/, /static/ and /admin/ are public; see k8s/base/ingress.yaml).
# Usage: with_port_forward.sh NAMESPACE TARGET LOCAL_PORT:REMOTE_PORT -- COMMAND [ARG...]
#        e.g. with_port_forward.sh sns-staging service/sns-api 18000:80 -- curl -f http://127.0.0.1:18000/readyz
set -euo pipefail

namespace="${1:?usage: with_port_forward.sh NAMESPACE TARGET LOCAL:REMOTE -- COMMAND...}"
target="${2:?usage: with_port_forward.sh NAMESPACE TARGET LOCAL:REMOTE -- COMMAND...}"
ports="${3:?usage: with_port_forward.sh NAMESPACE TARGET LOCAL:REMOTE -- COMMAND...}"
shift 3
[ "${1:-}" = "--" ] && shift
[ "$#" -gt 0 ] || { echo "no command given" >&2; exit 2; }

log="$(mktemp)"
kubectl -n "$namespace" port-forward --address 127.0.0.1 "$target" "$ports" >"$log" 2>&1 &
forward_pid=$!
cleanup() {
  kill "$forward_pid" 2>/dev/null || true
  wait "$forward_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

# kubectl prints "Forwarding from 127.0.0.1:PORT -> ..." once it listens.
for _ in $(seq 60); do
  grep -q '^Forwarding from' "$log" && break
  if ! kill -0 "$forward_pid" 2>/dev/null; then
    echo "kubectl port-forward ${target} ${ports} exited:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
grep -q '^Forwarding from' "$log" || { echo "kubectl port-forward did not start in 30s" >&2; cat "$log" >&2; exit 1; }

"$@"

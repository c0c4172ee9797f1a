#!/usr/bin/env bash
# Install Debian/Ubuntu packages on a hosted runner without starting their
# services: the prometheus packages would otherwise start daemons on :9090 and
# :9093 that the monitoring checks do not want (they start their own).
# Usage: apt_install.sh PACKAGE...
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 PACKAGE..." >&2
  exit 2
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

# policy-rc.d exit 101 = "action forbidden": invoke-rc.d/deb-systemd-invoke skip the start.
policy=/usr/sbin/policy-rc.d
printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
"${sudo_cmd[@]}" chmod 0755 "$policy"
trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "$@"

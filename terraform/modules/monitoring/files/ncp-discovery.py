#!/usr/bin/python3
"""Prometheus file_sd for the sns app servers, from the NCP API.

Runs on the monitoring server every 30 seconds (systemd timer ncp-discovery.timer). It lists the
network interfaces of the region (vserver getNetworkInterfaceList), keeps those in use that carry
the app servers' access control group, which is exactly the auto scaling group's servers, and
writes one file_sd JSON file per scrape job. Files are replaced atomically and only when their
content changes; when the API fails the previous files stay, so Prometheus keeps its targets.

Configuration: /etc/ncp-discovery/config.json (written by Terraform, not secret) and
/etc/ncp-discovery/credentials.json (access key of a sub account with read-only server access).
Python 3.6 compatible (Rocky Linux 8), standard library only.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request

CONFIG_FILE = "/etc/ncp-discovery/config.json"
CREDENTIALS_FILE = "/etc/ncp-discovery/credentials.json"
PAGE_SIZE = 100


def signed_get(endpoint, path_and_query, access_key, secret_key):
    """GET with NCP API Gateway signature v2 (HMAC-SHA256 over method, URI, timestamp, key)."""
    timestamp = str(int(time.time() * 1000))
    message = "GET {}\n{}\n{}".format(path_and_query, timestamp, access_key)
    signature = base64.b64encode(hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).digest()).decode()
    request = urllib.request.Request(
        endpoint + path_and_query,
        headers={
            "x-ncp-apigw-timestamp": timestamp,
            "x-ncp-iam-access-key": access_key,
            "x-ncp-apigw-signature-v2": signature,
        },
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read().decode())


def network_interfaces(config, credentials):
    found, page = [], 1
    while True:
        query = urllib.parse.urlencode(
            {"regionCode": config["region"], "responseFormatType": "json", "pageNo": page, "pageSize": PAGE_SIZE}
        )
        body = signed_get(
            config["api_endpoint"],
            "/vserver/v2/getNetworkInterfaceList?" + query,
            credentials["access_key"],
            credentials["secret_key"],
        )["getNetworkInterfaceListResponse"]
        items = body.get("networkInterfaceList") or []
        found.extend(items)
        if not items or len(found) >= int(body.get("totalRows", 0)):
            return found
        page += 1


def app_server_ips(config, interfaces):
    ips = set()
    for nic in interfaces:
        status = (nic.get("networkInterfaceStatus") or {}).get("code")
        if status == "USED" and config["access_control_group_no"] in (nic.get("accessControlGroupNoList") or []):
            if nic.get("ip"):
                ips.add(nic["ip"])
    return sorted(ips, key=lambda ip: tuple(int(part) for part in ip.split(".")))


def write_if_changed(path, content):
    try:
        with open(path) as current:
            if current.read() == content:
                return False
    except FileNotFoundError:
        pass
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ncp-discovery-")
    with os.fdopen(fd, "w") as out:
        out.write(content)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def main():
    with open(CONFIG_FILE) as f:
        config = json.load(f)
    with open(CREDENTIALS_FILE) as f:
        credentials = json.load(f)
    try:
        ips = app_server_ips(config, network_interfaces(config, credentials))
    except Exception as err:  # keep the last good targets
        print("ncp-discovery: NCP API call failed, targets unchanged: {}".format(err), file=sys.stderr)
        return 1
    labels = dict(config.get("labels", {}))
    for job in config["jobs"]:
        hosts = ips + (config.get("self_ips", []) if job.get("include_self") else [])
        targets = [job["target_format"].format(ip=ip) for ip in hosts]
        groups = [{"targets": targets, "labels": labels}] if targets else []
        content = json.dumps(groups, indent=2, sort_keys=True) + "\n"
        if write_if_changed(job["file"], content):
            print("ncp-discovery: {} -> {} target(s)".format(job["file"], len(targets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

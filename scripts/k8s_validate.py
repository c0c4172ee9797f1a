#!/usr/bin/env python3
"""Validate rendered kustomize output: Kubernetes schemas, the two allowed CRDs, alert rules.

    k8s_validate.py [--kubernetes-validate BIN] [--kubernetes-version 1.30.0] [--promtool BIN] FILE...

Each FILE is the output of `kubectl kustomize` for one overlay. Built-in kinds go through
`kubernetes-validate --strict`, which only warns about kinds it has no schema for (CRDs,
removed APIs): here any warning fails. The only custom resources allowed are the Prometheus
Operator's ServiceMonitor and PrometheusRule; they get a structural check of their own (no
schema for them ships offline), the ServiceMonitor must select a Service of the same render
by a port it has, and the PrometheusRule's groups must pass `promtool check rules`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

MONITORING_API = "monitoring.coreos.com/v1"
ALLOWED_CRDS = {(MONITORING_API, "ServiceMonitor"), (MONITORING_API, "PrometheusRule")}

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
DURATION = re.compile(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")

# Field names from the monitoring.coreos.com/v1 CRDs (prometheus-operator 0.7x). A name outside
# these sets is a typo the operator would drop or the API server would reject.
METADATA_KEYS = {"name", "namespace", "labels", "annotations"}
SERVICEMONITOR_SPEC_KEYS = {
    "attachMetadata",
    "bodySizeLimit",
    "endpoints",
    "fallbackScrapeProtocol",
    "jobLabel",
    "keepDroppedTargets",
    "labelLimit",
    "labelNameLengthLimit",
    "labelValueLengthLimit",
    "namespaceSelector",
    "nativeHistogramBucketLimit",
    "nativeHistogramMinBucketFactor",
    "podTargetLabels",
    "sampleLimit",
    "scrapeClass",
    "scrapeClassicHistograms",
    "scrapeProtocols",
    "selector",
    "selectorMechanism",
    "targetLabels",
    "targetLimit",
}
ENDPOINT_KEYS = {
    "authorization",
    "basicAuth",
    "bearerTokenFile",
    "bearerTokenSecret",
    "enableHttp2",
    "filterRunning",
    "followRedirects",
    "honorLabels",
    "honorTimestamps",
    "interval",
    "metricRelabelings",
    "noProxy",
    "oauth2",
    "params",
    "path",
    "port",
    "proxyConnectHeader",
    "proxyFromEnvironment",
    "proxyUrl",
    "relabelings",
    "scheme",
    "scrapeTimeout",
    "targetPort",
    "tlsConfig",
    "trackTimestampsStaleness",
}
PROMETHEUSRULE_SPEC_KEYS = {"groups"}
GROUP_KEYS = {"name", "interval", "limit", "labels", "partial_response_strategy", "query_offset", "rules"}
RULE_KEYS = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}


def _unknown(mapping: dict, allowed: set[str], where: str) -> list[str]:
    return [f"{where}: unknown field {key!r}" for key in sorted(set(mapping) - allowed)]


def _string_map(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return [f"{where}: must map strings to strings"]
    return []


def check_metadata(doc: dict, where: str) -> list[str]:
    metadata = doc.get("metadata")
    if not isinstance(metadata, dict):
        return [f"{where}: metadata missing"]
    errors = _unknown(metadata, METADATA_KEYS, f"{where}.metadata")
    name = metadata.get("name")
    if not isinstance(name, str) or not DNS_SUBDOMAIN.match(name):
        errors.append(f"{where}.metadata.name: {name!r} is not a DNS subdomain")
    errors += _string_map(metadata.get("labels"), f"{where}.metadata.labels")
    errors += _string_map(metadata.get("annotations"), f"{where}.metadata.annotations")
    return errors


def check_servicemonitor(doc: dict, where: str, services: list[dict]) -> list[str]:
    errors = check_metadata(doc, where)
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        return [*errors, f"{where}: spec missing"]
    errors += _unknown(spec, SERVICEMONITOR_SPEC_KEYS, f"{where}.spec")
    selector = (spec.get("selector") or {}).get("matchLabels")
    if not isinstance(selector, dict) or not selector:
        errors.append(f"{where}.spec.selector.matchLabels: required (an empty selector scrapes every Service)")
        selector = {}
    errors += _string_map(selector, f"{where}.spec.selector.matchLabels")
    endpoints = spec.get("endpoints")
    if not isinstance(endpoints, list) or not endpoints:
        return [*errors, f"{where}.spec.endpoints: a non-empty list is required"]

    namespace = doc["metadata"].get("namespace")
    matched = [
        svc
        for svc in services
        if svc["metadata"].get("namespace") == namespace
        and selector.items() <= (svc["metadata"].get("labels") or {}).items()
    ]
    if selector and not matched:
        errors.append(f"{where}: selector {selector} matches no Service in namespace {namespace!r} of this render")
    port_names = {port.get("name") for svc in matched for port in svc["spec"].get("ports", [])}

    for index, endpoint in enumerate(endpoints):
        at = f"{where}.spec.endpoints[{index}]"
        if not isinstance(endpoint, dict):
            errors.append(f"{at}: must be a mapping")
            continue
        errors += _unknown(endpoint, ENDPOINT_KEYS, at)
        if "port" not in endpoint and "targetPort" not in endpoint:
            errors.append(f"{at}: needs port (a Service port name) or targetPort")
        if "port" in endpoint and matched and endpoint["port"] not in port_names:
            errors.append(
                f"{at}.port: {endpoint['port']!r} is not a port name of the selected Service(s) {sorted(port_names)}"
            )
        if not str(endpoint.get("path", "/metrics")).startswith("/"):
            errors.append(f"{at}.path: must start with /")
        if endpoint.get("scheme", "http") not in {"http", "https"}:
            errors.append(f"{at}.scheme: must be http or https")
        for key in ("interval", "scrapeTimeout"):
            if key in endpoint and not (isinstance(endpoint[key], str) and DURATION.match(endpoint[key])):
                errors.append(f"{at}.{key}: {endpoint[key]!r} is not a Prometheus duration")
        auth = endpoint.get("authorization")
        if auth is not None:
            credentials = auth.get("credentials") if isinstance(auth, dict) else None
            if not isinstance(credentials, dict) or not {"name", "key"} <= set(credentials):
                errors.append(f"{at}.authorization.credentials: needs the Secret's name and key")
            if isinstance(auth, dict):
                errors += _unknown(auth, {"type", "credentials"}, f"{at}.authorization")
    return errors


def check_prometheusrule(doc: dict, where: str) -> list[str]:
    errors = check_metadata(doc, where)
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        return [*errors, f"{where}: spec missing"]
    errors += _unknown(spec, PROMETHEUSRULE_SPEC_KEYS, f"{where}.spec")
    groups = spec.get("groups")
    if not isinstance(groups, list) or not groups:
        return [*errors, f"{where}.spec.groups: a non-empty list is required"]
    for g_index, group in enumerate(groups):
        at = f"{where}.spec.groups[{g_index}]"
        if not isinstance(group, dict):
            errors.append(f"{at}: must be a mapping")
            continue
        errors += _unknown(group, GROUP_KEYS, at)
        rules = group.get("rules")
        if not isinstance(rules, list):
            errors.append(f"{at}.rules: a list is required")
            continue
        for r_index, rule in enumerate(rules):
            rule_at = f"{at}.rules[{r_index}]"
            if not isinstance(rule, dict):
                errors.append(f"{rule_at}: must be a mapping")
                continue
            errors += _unknown(rule, RULE_KEYS, rule_at)
            # The operator's CRD types these strictly; promtool would accept numbers.
            errors += _string_map(rule.get("labels"), f"{rule_at}.labels")
            errors += _string_map(rule.get("annotations"), f"{rule_at}.annotations")
    return errors


def promtool_check(doc: dict, where: str, promtool: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.yml"
        path.write_text(yaml.safe_dump({"groups": doc["spec"]["groups"]}, sort_keys=False), encoding="utf-8")
        result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        return [f"{where}: promtool check rules failed:\n{result.stdout}{result.stderr}"]
    return []


def kubernetes_validate(docs: list[dict], where: str, binary: str, version: str) -> list[str]:
    if not docs:
        return []
    stream = yaml.safe_dump_all(docs, sort_keys=False)
    result = subprocess.run(
        [binary, "--strict", "-k", version, "--quiet", "-"], input=stream, capture_output=True, text=True
    )
    output = (result.stdout + result.stderr).strip()
    # --quiet prints only warnings and failures: a warning (unknown kind, removed API) fails too.
    if result.returncode != 0 or output:
        return [f"{where}: kubernetes-validate (exit {result.returncode}):\n{output}"]
    return []


def validate_file(path: Path, binary: str, version: str, promtool: str) -> list[str]:
    try:
        docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    if not docs:
        return [f"{path}: renders nothing"]

    errors: list[str] = []
    builtin, custom = [], []
    for doc in docs:
        if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
            errors.append(f"{path}: a document without apiVersion/kind")
            continue
        group = doc["apiVersion"].split("/")[0] if "/" in doc["apiVersion"] else ""
        (custom if "." in group and not group.endswith(".k8s.io") else builtin).append(doc)

    errors += kubernetes_validate(builtin, str(path), binary, version)

    services = [doc for doc in builtin if doc["kind"] == "Service"]
    for doc in custom:
        key = (doc["apiVersion"], doc["kind"])
        where = f"{path}: {doc['kind']}/{(doc.get('metadata') or {}).get('name')}"
        if key not in ALLOWED_CRDS:
            errors.append(
                f"{where}: custom resource {key[0]} {key[1]} is not allowed (only ServiceMonitor, PrometheusRule)"
            )
        elif doc["kind"] == "ServiceMonitor":
            errors += check_servicemonitor(doc, where, services)
        else:
            rule_errors = check_prometheusrule(doc, where)
            errors += rule_errors or promtool_check(doc, where, promtool)
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--kubernetes-validate", default="kubernetes-validate")
    parser.add_argument("--kubernetes-version", default="1.30.0")
    parser.add_argument("--promtool", default="promtool")
    args = parser.parse_args(argv)

    for tool in (args.kubernetes_validate, args.promtool):
        if shutil.which(tool) is None:
            hint = " (Debian package prometheus: apt-get install -y prometheus)" if tool == args.promtool else ""
            print(f"k8s_validate: {tool} not found{hint}", file=sys.stderr)
            return 2

    failed = False
    for path in args.files:
        errors = validate_file(path, args.kubernetes_validate, args.kubernetes_version, args.promtool)
        for error in errors:
            print(f"FAIL {error}", file=sys.stderr)
        if errors:
            failed = True
        else:
            print(f"ok   {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

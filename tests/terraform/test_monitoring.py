"""The monitoring server's configuration: it reads the repository's monitoring/ files (rules by
glob, whatever their names) and discovers app servers through the NCP API."""

import importlib.util
import json
import re

import pytest
import yaml

from conftest import ENVS, MODULES, REPO, collect, unquote

MONITORING = REPO / "monitoring"


def discovery_module():
    spec = importlib.util.spec_from_file_location(
        "ncp_discovery", MODULES / "monitoring" / "files" / "ncp-discovery.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_monitoring_files_come_from_the_repository_by_glob():
    main = (MODULES / "monitoring" / "main.tf").read_text(encoding="utf-8")
    assert 'fileset("${var.monitoring_dir}/rules", "*.{yml,yaml}")' in main
    assert "${var.monitoring_dir}/prometheus.yml" in main and "${var.monitoring_dir}/alertmanager.yml" in main
    call = collect(ENVS / "staging", "module")["monitoring"]
    assert unquote(call["monitoring_dir"]) == "${path.root}/../../../monitoring"
    assert (ENVS / "staging" / "../../../monitoring").resolve() == MONITORING


def test_discovery_keeps_only_app_servers_in_use():
    d = discovery_module()
    nics = [
        {"ip": "10.10.10.7", "accessControlGroupNoList": ["42"], "networkInterfaceStatus": {"code": "USED"}},
        {"ip": "10.10.10.12", "accessControlGroupNoList": ["7", "42"], "networkInterfaceStatus": {"code": "USED"}},
        {"ip": "10.10.10.9", "accessControlGroupNoList": ["42"], "networkInterfaceStatus": {"code": "NOTUSED"}},
        {"ip": "10.10.10.250", "accessControlGroupNoList": ["43"], "networkInterfaceStatus": {"code": "USED"}},
    ]
    assert d.app_server_ips({"access_control_group_no": "42"}, nics) == ["10.10.10.7", "10.10.10.12"]


def test_discovery_writes_file_sd_and_keeps_targets_on_api_errors(tmp_path, monkeypatch):
    d = discovery_module()
    config = {
        "api_endpoint": "https://api.invalid",
        "region": "KR",
        "access_control_group_no": "42",
        "labels": {"stage": "staging"},
        "self_ips": ["10.10.10.250"],
        "jobs": [
            {"file": str(tmp_path / "sns-api.json"), "target_format": "{ip}:8000", "include_self": False},
            {"file": str(tmp_path / "node.json"), "target_format": "{ip}:9100", "include_self": True},
        ],
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "credentials.json").write_text(json.dumps({"access_key": "a", "secret_key": "s"}))
    monkeypatch.setattr(d, "CONFIG_FILE", str(tmp_path / "config.json"))
    monkeypatch.setattr(d, "CREDENTIALS_FILE", str(tmp_path / "credentials.json"))
    pages = {
        1: {
            "getNetworkInterfaceListResponse": {
                "totalRows": 1,
                "networkInterfaceList": [
                    {"ip": "10.10.10.7", "accessControlGroupNoList": ["42"], "networkInterfaceStatus": {"code": "USED"}}
                ],
            }
        }
    }
    calls = []

    def fake_get(endpoint, path, access_key, secret_key):
        calls.append(path)
        return pages[1]

    monkeypatch.setattr(d, "signed_get", fake_get)
    assert d.main() == 0
    assert calls[0].startswith("/vserver/v2/getNetworkInterfaceList?regionCode=KR&responseFormatType=json")
    assert json.loads((tmp_path / "sns-api.json").read_text()) == [
        {"targets": ["10.10.10.7:8000"], "labels": {"stage": "staging"}}
    ]
    assert json.loads((tmp_path / "node.json").read_text())[0]["targets"] == ["10.10.10.7:9100", "10.10.10.250:9100"]

    def broken(*args):
        raise OSError("network down")

    monkeypatch.setattr(d, "signed_get", broken)
    assert d.main() == 1
    assert json.loads((tmp_path / "sns-api.json").read_text())[0]["targets"] == ["10.10.10.7:8000"]


def test_signature_is_ncp_v2(monkeypatch):
    d = discovery_module()
    seen = {}

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"{}"

    def fake_urlopen(request, timeout):
        seen.update(url=request.full_url, headers={k.lower(): v for k, v in request.header_items()})
        return Response()

    monkeypatch.setattr(d.urllib.request, "urlopen", fake_urlopen)
    monkeypatch.setattr(d.time, "time", lambda: 1700000000.0)
    d.signed_get("https://ncloud.apigw.ntruss.com", "/vserver/v2/x?a=1", "AK", "SK")
    # base64(HMAC-SHA256("SK", "GET /vserver/v2/x?a=1\n1700000000000\nAK")), computed independently
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(
        hmac.new(b"SK", b"GET /vserver/v2/x?a=1\n1700000000000\nAK", hashlib.sha256).digest()
    ).decode()
    assert seen["url"] == "https://ncloud.apigw.ntruss.com/vserver/v2/x?a=1"
    assert seen["headers"]["x-ncp-apigw-timestamp"] == "1700000000000"
    assert seen["headers"]["x-ncp-iam-access-key"] == "AK"
    assert seen["headers"]["x-ncp-apigw-signature-v2"] == expected


@pytest.mark.skipif(not (MONITORING / "prometheus.yml").exists(), reason="monitoring/prometheus.yml not written yet")
def test_prometheus_defines_the_jobs_the_rules_and_discovery_use():
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {sc["job_name"] for sc in config.get("scrape_configs", [])}
    rules = " ".join(p.read_text(encoding="utf-8") for p in (MONITORING / "rules").glob("*.yml"))
    referenced = set(re.findall(r'job="([a-z0-9-]+)"', rules))
    variables = collect(MODULES / "monitoring", "variable")
    discovered = {variables[v]["default"].strip('"') for v in ("app_job_name", "readiness_job_name", "node_job_name")}
    missing = (referenced & discovered) - jobs
    assert not missing, f"monitoring/prometheus.yml lacks scrape jobs {missing} that the rules query"

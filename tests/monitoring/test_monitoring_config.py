"""Static checks of monitoring/ that promtool and amtool do not make.

Every alert has a runbook entry, the labels routing and inhibition rely on, and promtool unit tests
that see it both firing and not firing; the webhook URL only ever comes from a file.
Run: make check-monitoring (PyYAML and pytest only, no Django).
"""

import re
from pathlib import Path

import pytest
import yaml

MONITORING = Path(__file__).resolve().parents[2] / "monitoring"
RULE_FILES = sorted((MONITORING / "rules").glob("*.yml"))
TEST_FILES = sorted((MONITORING / "tests").glob("*.yml"))
SCALE_ALERTS = {"SnsApiScaledUp", "SnsApiScaledDown"}


def load(path):
    return yaml.safe_load(path.read_text())


def alerts_in(rule_file):
    return [rule for group in load(rule_file)["groups"] for rule in group["rules"] if "alert" in rule]


ALL_ALERTS = sorted({rule["alert"] for rule_file in RULE_FILES for rule in alerts_in(rule_file)})


def runbook_sections():
    return re.findall(r"^## (\S+)\s*$", (MONITORING / "RUNBOOK.md").read_text(), flags=re.MULTILINE)


def test_rule_files_exist_and_name_their_alerts_once_per_file():
    assert {path.name for path in RULE_FILES} >= {"sns-api.yml", "servers.yml", "kubernetes.yml"}
    for rule_file in RULE_FILES:
        names = [rule["alert"] for rule in alerts_in(rule_file)]
        assert len(names) == len(set(names)), f"{rule_file.name} defines an alert twice"


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=lambda path: path.name)
def test_every_alert_carries_routing_labels_and_a_message(rule_file):
    for rule in alerts_in(rule_file):
        labels, annotations = rule.get("labels", {}), rule.get("annotations", {})
        assert labels.get("severity") in {"critical", "warning", "info"}, rule["alert"]
        assert labels.get("service"), rule["alert"]
        assert annotations.get("summary") and annotations.get("description"), rule["alert"]


def test_every_alert_has_exactly_one_runbook_entry_and_no_entry_is_stale():
    sections = runbook_sections()
    assert sorted(sections) == sorted(set(sections)), "duplicate runbook sections"
    assert set(ALL_ALERTS) == set(sections)


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=lambda path: path.name)
def test_every_alert_is_unit_tested_firing_and_not_firing(rule_file):
    firing, quiet = set(), set()
    for test_file in TEST_FILES:
        spec = load(test_file)
        loaded = {(test_file.parent / name).resolve() for name in spec["rule_files"]}
        if rule_file.resolve() not in loaded:
            continue
        for case in spec["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in alerts_in(rule_file)}
    assert not names - firing, f"never tested firing: {sorted(names - firing)}"
    assert not names - quiet, f"never tested not firing: {sorted(names - quiet)}"


def test_server_path_prometheus_loads_the_shared_and_server_rules_only():
    config = load(MONITORING / "prometheus.yml")
    assert config["rule_files"] == ["rules/sns-api.yml", "rules/servers.yml"]
    for rule_file in config["rule_files"]:
        assert (MONITORING / rule_file).is_file()
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert {"sns-api", "sns-api-readyz", "node"} <= set(jobs)
    app = jobs["sns-api"]
    assert app["metrics_path"] == "/metrics"
    assert app["authorization"]["credentials_file"], "production /metrics needs the bearer token"
    assert app["file_sd_configs"], "app servers must be discovered, not listed by hand"


def test_alertmanager_reads_the_webhook_url_from_a_file_only():
    config = load(MONITORING / "alertmanager.yml")
    for receiver in config["receivers"]:
        slack_configs = receiver.get("slack_configs", [])
        assert slack_configs, f"{receiver['name']} must notify Slack"
        for slack in slack_configs:
            assert "api_url" not in slack and slack["api_url_file"].startswith("/")
    assert "hooks.slack.com" not in "".join(path.read_text() for path in MONITORING.rglob("*") if path.is_file())


def route_for(route, alertname):
    """The receiver and settings the first matching child route (or the root) gives an alert."""
    for child in route.get("routes", []):
        for matcher in child.get("matchers", []):
            name, operator, value = re.match(r'(\w+)\s*(=~|=)\s*"(.*)"', matcher).groups()
            if name == "alertname" and (value == alertname if operator == "=" else re.fullmatch(value, alertname)):
                return {**route, **child}
    return route


def test_scale_events_are_one_message_each_and_5xx_is_quick():
    config = load(MONITORING / "alertmanager.yml")
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    for alertname in SCALE_ALERTS:
        route = route_for(config["route"], alertname)
        assert all(slack["send_resolved"] is False for slack in receivers[route["receiver"]]["slack_configs"])
    http_5xx = route_for(config["route"], "SnsApiHttp5xx")
    assert all(slack["send_resolved"] for slack in receivers[http_5xx["receiver"]]["slack_configs"])
    assert http_5xx["group_wait"] in {"0s", "5s", "10s", "15s"}, "a 5xx must reach the team within a minute"


def test_inhibition_rules_name_real_alerts():
    config = load(MONITORING / "alertmanager.yml")
    for rule in config["inhibit_rules"]:
        for matcher in rule["source_matchers"] + rule["target_matchers"]:
            pattern = re.match(r'alertname\s*=~?\s*"(.*)"', matcher).group(1)
            matched = [name for name in ALL_ALERTS if re.fullmatch(pattern, name)]
            for alternative in pattern.split("|"):
                assert alternative in ALL_ALERTS, f"inhibition names unknown alert {alternative}"
            assert matched


def test_templates_give_what_where_and_the_runbook():
    text = "".join(path.read_text() for path in (MONITORING / "templates").glob("*.tmpl"))
    for name in ("sns.slack.title", "sns.slack.text", "sns.slack.color", "sns.runbook.base"):
        assert f'define "{name}"' in text
    assert ".Annotations.summary" in text and ".Annotations.description" in text
    assert "*Where:*" in text and "*Runbook:*" in text

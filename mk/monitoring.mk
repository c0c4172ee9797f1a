# Prometheus rules, promtool unit tests, Alertmanager config and the alerting end-to-end test
# (owner: Monitoring helper). Needs Debian's prometheus and prometheus-alertmanager packages
# (promtool, amtool, prometheus, prometheus-alertmanager).
#
#   make check-monitoring      promtool check/test rules, promtool check config, amtool
#                              check-config, static tests of monitoring/ (offline, seconds)
#   make test-monitoring-e2e   app under gunicorn -> Prometheus -> Alertmanager -> webhook on
#                              loopback: a 500 fires and resolves, a scale up/down notifies once

MONITORING_TOOLS := .tools/monitoring
MONITORING_TOOLS_PKGS := PyYAML==6.0.4 pytest==9.2.0
MONITORING_PYTEST_ARGS := -c tests/monitoring/pytest.ini
PROMTOOL ?= promtool
AMTOOL ?= amtool

INFRA_CHECKS += check-monitoring

$(MONITORING_TOOLS)/.installed: mk/monitoring.mk
	rm -rf $(MONITORING_TOOLS)
	$(PYTHON) -m venv $(MONITORING_TOOLS)
	$(MONITORING_TOOLS)/bin/pip install -q --disable-pip-version-check $(MONITORING_TOOLS_PKGS)
	touch $@

.PHONY: check-monitoring test-monitoring-e2e monitoring-binaries

monitoring-binaries:
	@for tool in $(PROMTOOL) $(AMTOOL); do command -v $$tool >/dev/null || { \
		echo "$$tool not found: apt-get install -y prometheus prometheus-alertmanager" >&2; exit 1; }; done

check-monitoring: $(MONITORING_TOOLS)/.installed monitoring-binaries ## Validate and unit-test alert rules and Alertmanager config
	$(PROMTOOL) check rules monitoring/rules/*.yml
	$(PROMTOOL) test rules monitoring/tests/*.yml
	$(PROMTOOL) check config --syntax-only monitoring/prometheus.yml
	$(AMTOOL) check-config monitoring/alertmanager.yml
	$(MONITORING_TOOLS)/bin/python -m pytest $(MONITORING_PYTEST_ARGS) tests/monitoring/test_monitoring_config.py

test-monitoring-e2e: install monitoring-binaries ## 500 and scale up/down alerts end to end (gunicorn, Prometheus, Alertmanager; ~2.5 min)
	SNS_MONITORING_E2E=1 $(PY) -m pytest $(MONITORING_PYTEST_ARGS) tests/monitoring/test_alerts_e2e.py

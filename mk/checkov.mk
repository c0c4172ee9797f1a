# Shared checkov (owner: Terraform helper). Every area that scans with checkov depends on the stamp
# .tools/checkov/.installed and runs $(CHECKOV) with its own flags, e.g.
#   $(CHECKOV) -d terraform --framework terraform --skip-download --compact --quiet
# checkov lives in its own venv: its bc-python-hcl2 shadows python-hcl2 and it pins packaging.
# Note: checkov exits 0 on files it cannot parse; check parsing separately (or read the
# "parsing_errors" count of its JSON report).

CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .tools/checkov
CHECKOV := BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true $(CHECKOV_VENV)/bin/checkov

$(CHECKOV_VENV)/.installed: mk/checkov.mk
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check checkov==$(CHECKOV_VERSION)
	test "$$($(CHECKOV) --version)" = "$(CHECKOV_VERSION)"
	touch $@

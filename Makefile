# One entry point for every task. Infrastructure areas add their own file in mk/.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Infra areas append their validation targets here (see mk/*.mk).
INFRA_CHECKS :=
include $(sort $(wildcard mk/*.mk))

.PHONY: help install run serve migrate seed test lint format schema check check-infra clean

help: ## List the targets
	@grep -hE '^[a-zA-Z][a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install pinned dependencies

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Fill an empty database with dummy data (no-op when it has users)
	$(PY) manage.py create_dummy_data --if-empty

run: seed ## Set everything up and serve the API on http://127.0.0.1:8000 with gunicorn
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GUNICORN_BIND=$(HOST):$(PORT) FORWARDED_ALLOW_IPS=127.0.0.1 $(VENV)/bin/gunicorn -c gunicorn.conf.py config.wsgi:application

test: install ## Run the test suite (DATABASE_URL picks the database; SQLite by default)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff: lint and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: install ## Generate the OpenAPI schema with no warning and validate it
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py spectacular --validate --fail-on-warn --file /tmp/sns-openapi.yaml
	$(VENV)/bin/openapi-spec-validator /tmp/sns-openapi.yaml
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

check-infra: $(INFRA_CHECKS) ## Offline validation of Docker, Terraform, Kubernetes, monitoring and workflows

check: lint test schema check-infra ## Everything CI checks

clean: ## Remove the virtualenvs, tool caches and local data
	rm -rf $(VENV) .tools staticfiles db.sqlite3

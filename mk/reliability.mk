# Reliability and security checks against the running service (owner: reliability helper).
# Everything runs on loopback: gunicorn with production settings and a private PostgreSQL
# cluster (initdb on its own port, started and stopped by the scripts; the shared server on
# 5432 is never touched). Scripts and tests: tests/reliability/ (see the docstrings there).
#
#   make check-reliability-fast   what fits CI in a few minutes: hand-written bad input,
#                                 concurrency invariants, authorization matrix, security
#                                 settings (tests/reliability, app venv), schemathesis bounded
#                                 (fuzz.py), detect-secrets scan against the audited baseline
#   make reliability              all of the above, then sustained load, PostgreSQL crash and
#                                 restart under load, SIGTERM to gunicorn under load
#                                 (load_faults.py), and pip-audit (reports when its data is
#                                 unreachable, as offline here)
#   make reliability-fuzz | reliability-load | reliability-secrets | reliability-audit
#   make reliability-secrets-baseline   rewrite the baseline after auditing new findings
#
# Needs PostgreSQL's server binaries (initdb, pg_ctl: Debian postgresql) and the app venv.
# Tools (schemathesis, detect-secrets, pip-audit) live in .tools/reliability, pinned below.

INFRA_CHECKS += check-reliability-fast

REL_TOOLS := .tools/reliability
REL_TOOLS_PKGS := schemathesis==4.32.5 detect-secrets==1.5.0 pip-audit==2.10.1
REL_PYTEST := $(PY) -m pytest -c tests/reliability/pytest.ini tests/reliability
REL_FUZZ_ARGS ?= --max-examples 20 --max-time 120
REL_LOAD_ARGS ?= --duration 30

$(REL_TOOLS)/.installed: mk/reliability.mk
	rm -rf $(REL_TOOLS)
	$(PYTHON) -m venv $(REL_TOOLS)
	$(REL_TOOLS)/bin/pip install -q --disable-pip-version-check $(REL_TOOLS_PKGS)
	touch $@

.PHONY: check-reliability-fast reliability reliability-tests reliability-fuzz reliability-load \
	reliability-secrets reliability-secrets-baseline reliability-audit

check-reliability-fast: reliability-secrets reliability-tests reliability-fuzz ## Bad input, races, authz, fuzzing, secrets (CI)

reliability: check-reliability-fast reliability-load reliability-audit ## All reliability checks: + load, faults, pip-audit

reliability-tests: install ## Bad input, concurrency, authorization matrix, security settings
	$(REL_PYTEST)

reliability-fuzz: install $(REL_TOOLS)/.installed ## schemathesis against the running app, bounded
	$(PY) tests/reliability/fuzz.py $(REL_FUZZ_ARGS)

reliability-load: install ## Mixed load, PostgreSQL crash/restart and gunicorn SIGTERM under load
	$(PY) tests/reliability/load_faults.py $(REL_LOAD_ARGS)

reliability-secrets: $(REL_TOOLS)/.installed ## detect-secrets over every tracked or trackable file
	$(REL_TOOLS)/bin/python tests/reliability/secret_scan.py

reliability-secrets-baseline: $(REL_TOOLS)/.installed ## Accept the current findings (audit them first)
	$(REL_TOOLS)/bin/python tests/reliability/secret_scan.py --update

reliability-audit: $(REL_TOOLS)/.installed ## pip-audit of requirements.txt (needs its data online)
	$(REL_TOOLS)/bin/python tests/reliability/audit.py

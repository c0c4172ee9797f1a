# Load benchmark of the API against a raw-SQL floor (owner: performance). Not part of CI or
# check-infra: it needs PostgreSQL, Debian's wrk and a quiet machine. See benchmarks/README.md.
#
#   make bench-seed      seed sns_bench_big (10k users, 1M posts, ~505k follows) and sns_bench_small
#                        (1/100) once; reused later unless BENCH_RESEED=1
#   make bench           seed if needed, run every scenario on both sets, write and print
#                        benchmarks/results/$(BENCH_LABEL).{json,md,png}
#
# Options: BENCH_SETS=small,big BENCH_SCENARIOS=all BENCH_DURATION=20 BENCH_WARMUP=3
#          BENCH_CONNECTIONS=10 BENCH_THREADS=1 BENCH_LABEL=latest BENCH_RESEED=1
#          and any GUNICORN_* variable (GUNICORN_WORKERS=3 ...), given to the API and the floor alike.
# Quick look while developing: make bench BENCH_SETS=small BENCH_DURATION=5 BENCH_LABEL=dev

BENCH_TOOLS := .tools/bench
BENCH_TOOLS_PKGS := matplotlib==3.11.2
BENCH_SETS ?= small,big
BENCH_SCENARIOS ?= all
BENCH_DURATION ?= 20
BENCH_WARMUP ?= 3
BENCH_CONNECTIONS ?= 10
BENCH_THREADS ?= 1
BENCH_LABEL ?= latest
BENCH_RESEED ?=
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432
export BENCH_PG_URL

$(BENCH_TOOLS)/.installed: mk/bench.mk
	rm -rf $(BENCH_TOOLS)
	$(PYTHON) -m venv $(BENCH_TOOLS)
	$(BENCH_TOOLS)/bin/pip install -q --disable-pip-version-check $(BENCH_TOOLS_PKGS)
	touch $@

.PHONY: bench bench-seed bench-plot bench-wrk

bench-wrk:
	@command -v wrk >/dev/null || { echo "Installing Debian's wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "wrk not found and could not be installed: apt-get install -y wrk (as root)" >&2; exit 1; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }

bench-seed: install ## Seed the benchmark databases once (BENCH_RESEED=1 to redo; ~2.5 min for the big set)
	$(PY) -m benchmarks.bench seed --sets $(BENCH_SETS) $(if $(BENCH_RESEED),--reseed)

bench: install bench-wrk $(BENCH_TOOLS)/.installed ## Load-test the API and the raw-SQL floor with wrk; table + JSON + PNG in benchmarks/results/
	$(PY) -m benchmarks.bench run --sets $(BENCH_SETS) --scenarios $(BENCH_SCENARIOS) \
		--duration $(BENCH_DURATION) --warmup $(BENCH_WARMUP) --connections $(BENCH_CONNECTIONS) \
		--threads $(BENCH_THREADS) --label $(BENCH_LABEL) $(if $(BENCH_RESEED),--reseed)
	$(BENCH_TOOLS)/bin/python benchmarks/plot.py benchmarks/results/$(BENCH_LABEL).json

bench-plot: $(BENCH_TOOLS)/.installed ## Redraw benchmarks/results/$(BENCH_LABEL).png from its JSON
	$(BENCH_TOOLS)/bin/python benchmarks/plot.py benchmarks/results/$(BENCH_LABEL).json

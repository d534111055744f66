# Preceptor — `make run` starts the app with demo data; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000
# The stamp changes whenever a requirements file changes, so `make` reinstalls then.
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run setup test test-fast test-postgres lint format typecheck bench calibrate demo migrate clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py warm_simulation

## Reset the demo account to the demo data (everything entered in it is replaced).
demo: migrate
	$(BIN)/python manage.py seed_demo

## Set everything up, create the demo account if it does not exist (an existing one is kept)
## and start the web server, the workers and the reminder sender on $(ADDR).
run: migrate
	$(BIN)/python manage.py serve $(ADDR) --demo

## The whole suite: lint, format check, types, then every test (browser tests included).
test: setup
	@scripts/ensure-test-tools.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy preceptor
	$(BIN)/python -m pytest -p xdist -n 2 --dist loadgroup $(PYTEST_ARGS)

## The suite without browser tests, the production-stack test, lint or types: the quick
## loop while editing.
test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not stack" -x -q $(PYTEST_ARGS)

## The suite against a throwaway PostgreSQL cluster (started and stopped here). The Match
## engine's tests are left out: preceptor.match never touches a database, and `make test`
## has just run them; so is the production-stack test (tests/stack), which starts its own
## PostgreSQL cluster in `make test`.
test-postgres: setup
	scripts/with-postgres.sh $(BIN)/python -m pytest -p xdist -n 2 --dist loadgroup -m "not browser and not stack" --ignore=tests/match $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy preceptor

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks print their figures; they never fail the test run.
## `make bench BENCH_ARGS=--quick` gives every script's short run. The reminder sender is
## measured on SQLite and on a throwaway PostgreSQL cluster, and so is the load benchmark (50
## users on gunicorn, docs/speed.md); it and the page benchmark report, never stop the run.
## The Match engine's comparison and profiling tools (match_ab, match_identical,
## match_profile, match_perf) are run by hand: the first two need a git revision to compare
## with (see docs/match.md).
bench: migrate
	@set -e; for script in bench/*.py; do \
	  case $$script in \
	    bench/match_ab.py|bench/match_identical.py|bench/match_profile.py|bench/match_perf.py) continue;; \
	  esac; echo "== $$script"; \
	  case $$script in \
	    bench/notify_bench.py) scripts/with-postgres.sh $(BIN)/python $$script $(BENCH_ARGS);; \
	    bench/pages_bench.py) $(BIN)/python $$script $(BENCH_ARGS) || echo "$$script did not finish";; \
	    bench/load_bench.py) $(BIN)/python $$script $(BENCH_ARGS) || echo "$$script did not finish"; \
	      scripts/with-postgres.sh $(BIN)/python $$script $(BENCH_ARGS) || echo "$$script did not finish";; \
	    *) $(BIN)/python $$script $(BENCH_ARGS);; \
	  esac; done

## SmartPick's calibration report: simulated national outcomes next to the published NRMP figures.
calibrate: migrate
	$(BIN)/python manage.py calibrate

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# The two commands of the README: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint lock messages clean mutation assets

# The virtualenv gets the versions of requirements-dev.lock, each checked against its hash
# (pip itself is one of them). Edit requirements*.txt, then `make lock`.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# Browser libraries from the npm registry at the exact versions of package-lock.json (`npm ci`, needs
# node and npm: `apt-get install nodejs npm`), copied into static/vendor/ (generated, not committed),
# where the app serves them itself: no CDN. To move a pin, edit package.json and run `npm install`.
ECHARTS := static/vendor/echarts/echarts.min.js
$(ECHARTS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the charts: apt-get install nodejs npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	install -D -m 644 node_modules/echarts/dist/echarts.min.js $@
assets: $(ECHARTS)

# Serve the portal with the background jobs running. Embedded default: SQLite and a Celery worker
# (with embedded beat) on kombu's filesystem transport; DATABASE_URL / REDIS_URL switch to
# PostgreSQL / Redis. The worker stops when the server does.
run: $(VENV)/.installed assets
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_holidays
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py setup_schedules
	@DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A chainparty worker --beat --concurrency 1 --loglevel INFO \
		--schedule var/celerybeat-schedule > var/celery.log 2>&1 & echo $$! > var/celery.pid; \
	trap 'kill $$(cat var/celery.pid) 2>/dev/null; rm -f var/celery.pid' EXIT INT TERM; \
	echo "Background worker and scheduler started (log: var/celery.log)."; \
	echo "Portal: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# The checks, cheapest first, then the whole suite on PostgreSQL and Redis (DATABASE_URL / REDIS_URL,
# or their usual local addresses). ruff, import-linter (.importlinter) and mypy read their settings
# from the repository, so these lines are the same ones .pre-commit-config.yaml runs. The suite runs
# in one pytest-xdist worker per core (PYTEST_WORKERS=0: in one process, without workers), each worker
# with its own test database, Redis database and Celery queue (chainparty/test_settings.py).
PYTEST_WORKERS ?= logical
test: $(VENV)/.installed assets
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-pin requirements.txt into requirements.lock and requirements-dev.txt into requirements-dev.lock,
# exact versions with hashes, for Python 3.11 and newer on any platform. Versions already in a lock
# are kept unless the .txt no longer allows them; `make lock LOCK_ARGS=--upgrade` moves everything to
# the newest allowed, `LOCK_ARGS="--upgrade-package django"` one package. The dev lock is resolved
# within the runtime one, so the two never disagree.
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

# Mutation testing of the rule modules (docs/mutation.md), not part of `make test`: each mutant of a
# module is run against that module's own tests, on DATABASE_URL's test database. MODULE is one
# name of mutation/*.toml (credit_code, deadlines, workflow, calendar, ...); without it, all of them.
mutation: $(VENV)/.installed
	mutation/run.sh $(MODULE)

# Recompile translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l en --add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	@# Chinese has one plural form; makemessages still writes a second one.
	sed -i '/^msgstr\[1\] /d' locale/zh_Hans/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var $(VENV) .mypy_cache .ruff_cache node_modules static/vendor

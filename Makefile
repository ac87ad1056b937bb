# The two commands of the README: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@touch $@

# Serve the portal with the background jobs running. Embedded default: SQLite and a Celery worker
# (with embedded beat) on kombu's filesystem transport; DATABASE_URL / REDIS_URL switch to
# PostgreSQL / Redis. The worker stops when the server does.
run: $(VENV)/.installed
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

# The whole suite on PostgreSQL and Redis (DATABASE_URL / REDIS_URL, or their usual local addresses),
# plus ruff and the migrations check.
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Recompile translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	@# Chinese has one plural form; makemessages still writes a second one.
	sed -i '/^msgstr\[1\] /d' locale/zh_Hans/LC_MESSAGES/django.po
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var $(VENV)

# lesefrei — `make demo` runs the demo site, `make test` runs every test.
# Both set up what they need first (virtualenv, packages, database, browser).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
TEST_OUTPUT := var/test-output
PYTEST_ARGS ?=

PROD_DIR ?= var/production
PROD_PORT ?= 8080
APP_SERVER ?= granian
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lesefrei
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: install demo run production bench test test-sqlite test-postgres lint format css browser-deps server-deps audit migrate clean

# The translations (lesefrei/locale/<language>/LC_MESSAGES/django.po) compiled to .mo files,
# with Debian's gettext msgfmt, as Django's compilemessages does.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard lesefrei/locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(MO_FILES)

lesefrei/locale/%/LC_MESSAGES/django.mo: lesefrei/locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { \
	  echo "Installing gettext (msgfmt) for the translations"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null \
	    || { echo "Could not install gettext. Run 'apt-get install gettext' as root."; exit 1; }; }
	msgfmt --check-format -o $@ $<

# Exactly the packages in uv.lock (`.venv/bin/uv lock` makes it from pyproject.toml), no
# more: uv sync removes what the lockfile no longer has. uv is locked too (the dev extra);
# pip brings it only into a new virtualenv, at the version pyproject.toml pins.
$(STAMP): pyproject.toml uv.lock
	@interpreter=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$interpreter"; "$$interpreter" -m venv $(VENV) || exit 1; fi
	@[ -x $(VENV)/bin/uv ] || $(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --quiet --locked --extra dev
	@touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input -v0

# runserver (lesefrei/site/management/commands/runserver.py) publishes scheduled pages
# from a thread of its own: nothing else to start for `make demo` and `make run`.
demo: migrate
	$(PY) manage.py collectstatic --no-input -v0
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo_content
	@echo ""
	@echo "lesefrei läuft auf http://$(HOST):$(PORT)/  (Strg+C beendet)"
	@echo "E-Mails (Bestätigungslinks, Passwort vergessen, Spendenbestätigungen) erscheinen hier im Terminal."
	@echo "Leserkonto: leserin.kiel@example.org / lesefrei-demo"
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production profile on this machine: PostgreSQL, Redis, the app under $(APP_SERVER)
# (several processes), the task worker, scheduled publishing, the hourly refresh and nginx
# in front with deploy/nginx/lesefrei.conf, all started by honcho from deploy/Procfile.
production: install server-deps
	$(PY) scripts/production.py --dir $(PROD_DIR) --port $(PROD_PORT) --app-server $(APP_SERVER) \
	  --database-url $(PROD_DATABASE_URL) --redis-url $(PROD_REDIS_URL)
	@set -a; . $(PROD_DIR)/lesefrei.env; set +a; \
	$(PY) manage.py migrate --no-input -v0 && \
	$(PY) manage.py collectstatic --no-input -v0 && \
	$(PY) manage.py load_demo_content --quiet-accounts && \
	echo "" && echo "lesefrei (Produktionsprofil) läuft auf http://127.0.0.1:$(PROD_PORT)/  (Strg+C beendet)" && \
	echo "E-Mails landen als Dateien in $(PROD_DIR)/mail/; Logins wie bei make demo." && \
	exec $(VENV)/bin/honcho -f deploy/Procfile -d . -e $(PROD_DIR)/lesefrei.env start

# nginx (with brotli where Debian has it) for the production profile and its tests.
server-deps:
	@[ -x /usr/sbin/nginx ] || { \
	  echo "Installing nginx"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null \
	    || { echo "Could not install nginx. Run 'apt-get install nginx' as root."; exit 1; }; }
	@[ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static >/dev/null 2>&1 \
	    || echo "nginx runs without brotli (libnginx-mod-http-brotli-* not installable here): gzip only."; }

# Reader-experience audit (Lighthouse, Nu Html Checker, axe, bytes) of every demo page and
# state with ../shared/tools/reader-check (READER_CHECK=path elsewhere); writes
# docs/reader-experience.md. Run it on a quiet machine: Lighthouse measures CPU time.
audit: install browser-deps server-deps
	$(PY) scripts/audit.py $(AUDIT_ARGS)

# The benchmark suite (bench/README.md): BENCH_ARGS="--database postgres://… --corpus 10000".
bench: install server-deps
	@missing=""; command -v wrk >/dev/null || missing="$$missing wrk"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "Could not install:$$missing. Run 'apt-get install$$missing' as root."; exit 1; }; \
	fi
	$(PY) bench/run.py $(BENCH_ARGS)

css: install
	$(PY) scripts/build_css.py

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Debian's Chromium drives the browser tests (Playwright cannot download a browser here);
# Java runs the Nu Html Checker; npm installs the pinned checkers (package-lock.json).
browser-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the browser and HTML checks:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "Could not install:$$missing. Run 'apt-get install$$missing' as root."; exit 1; }; \
	fi
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error

test: install browser-deps server-deps lint
	@$(MAKE) --no-print-directory test-sqlite
	@if $(PY) scripts/reachable.py 127.0.0.1:5432; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "CI: PostgreSQL at 127.0.0.1:5432 is not reachable, but the PostgreSQL run is mandatory."; exit 1; \
	else \
	  echo "PostgreSQL at 127.0.0.1:5432 not reachable: skipped the PostgreSQL run."; \
	fi

test-sqlite: install
	@echo "== Test suite on SQLite (in-process cache)"
	mkdir -p $(TEST_OUTPUT)
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(PY) scripts/reachable.py 127.0.0.1:6379; then redis="$(REDIS_TEST_URL)"; else redis=""; \
	  echo "Redis at 127.0.0.1:6379 not reachable: PostgreSQL run uses the in-process cache."; fi; \
	echo "== Test suite on PostgreSQL$${redis:+ + Redis}"; \
	mkdir -p $(TEST_OUTPUT); \
	EXPECT_DATABASE=postgresql DATABASE_URL="$(PG_URL)" REDIS_URL="$$redis" $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3*

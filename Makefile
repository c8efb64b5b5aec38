VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test xmlsec1 lint deploy-lint format install migrate demo browser-test screenshots bench lock backup restore clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "  devboard is at http://$(HOST):$(PORT)/"
	@echo "  demo accounts: resident, faculty, director -- password: devboard-demo"
	@echo ""
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	$(MAKE) xmlsec1
	command -v docker-compose >/dev/null && command -v caddy >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker-compose caddy; }
	$(PY) -m pytest

# SAML signatures are made and checked by Debian's xmlsec1 (the SSO tests need it; so does a SAML site).
xmlsec1:
	test -x /usr/bin/xmlsec1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y xmlsec1; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The deployment files, checked without a Docker engine: compose files resolve, the Dockerfile lints.
deploy-lint: $(STAMP)
	command -v docker-compose >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker-compose; }
	SECRET_KEY=compose-config-check docker-compose -f docker-compose.yml config -q
	SECRET_KEY=compose-config-check docker-compose -f docker-compose.yml -f docker-compose.dev.yml config -q
	$(VENV)/bin/hadolint Dockerfile

# The image installs exactly these versions, each checked against its hash.
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

# Backups of the compose deployment's database (docs/operations.md). COMPOSE="docker-compose" for v1.
COMPOSE ?= docker compose
backup:
	mkdir -p backups
	$(COMPOSE) exec -T db pg_dump -U devboard --format=custom devboard > backups/devboard-$$(date -u +%Y%m%dT%H%M%SZ).dump
	@ls -l backups | tail -1

restore:
	test -n "$(FILE)" || { echo "usage: make restore FILE=backups/devboard-....dump"; exit 2; }
	$(COMPOSE) stop web worker scheduler
	$(COMPOSE) exec -T db pg_restore -U devboard -d devboard --clean --if-exists --no-owner --single-transaction < $(FILE)
	$(COMPOSE) start web worker scheduler

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

browser-test: $(STAMP)
	$(PY) -m pytest tests/browser

# The README's pictures (docs/screenshots/), from the demo data on a throwaway SQLite database.
screenshots: $(STAMP)
	test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	command -v pngquant >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y pngquant; }
	$(PY) scripts/screenshots.py

bench: $(STAMP)
	test -x /usr/bin/wrk || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	$(PY) scripts/bench/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

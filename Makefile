VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test xmlsec1 lint format install migrate demo browser-test bench clean

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
	$(PY) -m pytest

# SAML signatures are made and checked by Debian's xmlsec1 (the SSO tests need it; so does a SAML site).
xmlsec1:
	test -x /usr/bin/xmlsec1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y xmlsec1; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

browser-test: $(STAMP)
	$(PY) -m pytest tests/browser

bench: $(STAMP)
	test -x /usr/bin/wrk || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	$(PY) scripts/bench/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

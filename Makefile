# Two commands: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PORT  ?= 8000

# Settings may also come from a .env file (see .env.example).
ifneq (,$(wildcard .env))
include .env
export
endif

# `make run` is a local, single-machine run: debug on unless the environment says otherwise.
export DEBUG ?= true

.PHONY: run test install install-dev lint bench messages clean help

help:
	@echo "make run   - set up and serve the app and its worker on http://127.0.0.1:$(PORT)"
	@echo "make test  - set up and run every check and test"
	@echo "make bench - run the benchmarks under bench/"

$(PY):
	@python=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-base: requirements/base.lock | $(PY)
	$(PY) -m pip install -q -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(PY)
	$(PY) -m pip install -q -r requirements/dev.lock
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py serve --port $(PORT)

test: install-dev
	@bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/djlint estate/templates --check --quiet

messages: install-dev
	$(PY) scripts/messages.py

bench: install-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

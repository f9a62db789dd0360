# The two commands of the README. Everything installs into ./.venv; data lives in FANGKONG_HOME.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FANGKONG_HOME ?= $(CURDIR)/var

.PHONY: run test install lint

$(BIN)/fangkong: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/fangkong

install: $(BIN)/fangkong

run: install
	$(BIN)/fangkong run

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

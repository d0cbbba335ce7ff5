# Two commands for a newcomer: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
# Debian's own Python 3.11: the interpreter a Debian 12 kiosk runs (python3-venv, python3-dev).
PYTHON ?= /usr/bin/python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARTIFACTS ?= artifacts
# Test workers: one more than the cores, since UI and device tests spend much of their
# time waiting on a device or a frame (measured: 4 min 29 s with 2, 3 min 32 s with 3).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

# Debian packages, each with its reason in docs/SETUP.md. Four groups:
#  build: pyscard has no Linux wheel, so pip compiles it (C compiler, PC/SC and Python headers);
#  python: Debian's interpreter with venv;
#  run: PC/SC daemon, libusb for USB printers, Mesa GL + mtdev for Kivy, fonts;
#  test: vpcd virtual reader, OpenSC, Xvfb, socat pty pairs, Tesseract OCR, procps.
APT_BUILD := gcc libc6-dev pkg-config libpcsclite-dev
APT_PYTHON := python3 python3-venv python3-dev
APT_RUN := pcscd libpcsclite1 libusb-1.0-0 libgl1-mesa-dri libegl1 libmtdev1 fonts-dejavu-core
APT_TEST := vsmartcard-vpcd opensc xvfb xauth socat tesseract-ocr tesseract-ocr-spa procps
APT_PACKAGES := $(APT_BUILD) $(APT_PYTHON) $(APT_RUN) $(APT_TEST)
SOURCES := common kiosk drivers screens offline_cache procedure_api rig bench tests

.PHONY: demo test lint bench bundle system venv clean

demo: venv
	@if [ -n "$$DISPLAY" ]; then \
	  $(PY) -m kiosk demo --config config/demo.toml; \
	else \
	  echo "No display here: running the demo under xvfb-run for 20 s and saving $(ARTIFACTS)/demo.png"; \
	  mkdir -p $(ARTIFACTS); \
	  xvfb-run -a -s "-screen 0 1920x1920x24" $(PY) -m kiosk demo --config config/demo.toml \
	    --screenshot $(ARTIFACTS)/demo.png --exit-after 20; \
	fi

# Each worker has its own pcscd, vpcd port and Xvfb (pytest-xvfb). The order is new every
# run; pytest-randomly prints its seed, and PYTEST_ARGS=--randomly-seed=N repeats one.
# `make test TEST_WORKERS=0` runs in one process, for debugging.
# Every test starts several Python processes (app, API, card); with PYTHONDONTWRITEBYTECODE
# set, as on CI here, each would compile the project anew: compile it once (1.5 s -> 1.25 s
# to the kiosk's first frame).
test: venv
	mkdir -p $(ARTIFACTS)
	$(PY) -m compileall -q $(SOURCES)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: venv
	xvfb-run -a -s "-screen 0 1920x1920x24" $(PY) -m bench

bundle: venv
	$(VENV)/bin/pyinstaller --noconfirm --clean kiosk.spec
	./dist/kiosk/kiosk --version

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

venv: system $(STAMP)

# uv installs the project in ~13 s where pip took 44 s (warm caches, fresh clone, 2 cores).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "uv==0.13.9"
	$(VENV)/bin/uv pip install -q --python $(PY) -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf build dist $(ARTIFACTS) .pytest_cache .mypy_cache .ruff_cache

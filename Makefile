# Two commands for a newcomer: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARTIFACTS ?= artifacts

# Debian packages: PC/SC daemon + virtual reader driver, OpenSC (independent check of the
# virtual e-ID), X virtual framebuffer + Mesa GL for Kivy, socat for serial pseudo-terminals,
# fonts for the UI and receipts, Tesseract OCR so tests read screenshots as a person would,
# libusb for USB receipt printers.
APT_PACKAGES := pcscd vsmartcard-vpcd libpcsclite1 opensc xvfb xauth socat libmtdev1 \
	libgl1-mesa-dri libegl1 fonts-dejavu-core tesseract-ocr tesseract-ocr-spa libusb-1.0-0

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

test: venv
	mkdir -p $(ARTIFACTS)
	xvfb-run -a -s "-screen 0 1920x1920x24" $(PY) -m pytest $(PYTEST_ARGS)

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

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf build dist $(ARTIFACTS) .pytest_cache .mypy_cache .ruff_cache

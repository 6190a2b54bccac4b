# glassgrad: every target creates the virtual environment it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo test lint bench results clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,plot,progress,rl]'
	touch $@

demo: $(VENV)/.installed      ## train a small net on the embedded data set
	$(PY) -m glassgrad run demo

test: $(VENV)/.installed      ## the test suite (torch oracle tests run when torch is installed)
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(PY) -m pip install -q ruff
	$(VENV)/bin/ruff check glassgrad experiments benchmarks tests

bench: $(VENV)/.installed     ## glassgrad vs PyTorch timings (needs torch==2.13.0)
	$(PY) benchmarks/mlp.py

results: $(VENV)/.installed   ## regenerate docs/results.md from runs/*/results.json
	$(PY) -m glassgrad results

clean:
	rm -rf $(VENV) build *.egg-info

# glassgrad: every target creates the virtual environment it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo test wheel-check fixtures lint bench results clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,plot,progress,rl]'
	touch $@

demo: $(VENV)/.installed      ## train a small net on the embedded data set
	$(PY) -m glassgrad run demo

# Tests run with one BLAS thread: their arrays are tiny, and idle OpenBLAS threads spinning on
# two cores make them several times slower.
TEST_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# The first pass notes the tests during which a fast kernel ran (tests/helpers/kernel_relevance.py); the
# second runs those of the op, kernel, pooling, recurrent and optimiser tests again on the readable twins
# (GLASSGRAD_KERNELS=reference, glassgrad/kernels/__init__.py): the others run the same code in both modes.
KERNEL_TESTS := build/kernel-tests.txt

test: $(VENV)/.installed      ## the test suite (torch oracle tests run live when torch is installed, else from tests/fixtures)
	$(TEST_ENV) $(PY) -m pytest -q --record-kernel-tests $(KERNEL_TESTS)
	$(TEST_ENV) GLASSGRAD_KERNELS=reference $(PY) -m pytest -q --only-kernel-tests $(KERNEL_TESTS) tests/ops tests/kernels \
		tests/nn/test_pool.py tests/nn/test_recurrent.py tests/nn/test_recurrent_cells.py tests/optim/test_optimizers.py

wheel-check: $(VENV)/.installed  ## build the wheel, install it in a fresh venv, run `glassgrad run demo` outside the clone
	bash .ci/wheel_check

fixtures: $(VENV)/.installed  ## re-record torch's answers for the oracle tests (tests/fixtures; needs torch==2.13.0)
	rm -rf tests/fixtures/torch_oracle
	$(PY) -m tests.helpers.torch_signatures
	# torch's op and module database first (tests/fixtures/opdb; its sample generators need expecttest, in .[test])
	$(PY) -m tests.opdb.record
	$(PY) -m tests.opdb.record_modules
	GLASSGRAD_ORACLE=record $(PY) -m pytest -q

lint: $(VENV)/.installed
	$(PY) -m pip install -q ruff
	$(VENV)/bin/ruff check glassgrad glassgrad_experiments benchmarks tests tools

bench: $(VENV)/.installed     ## glassgrad vs PyTorch timings, every benchmark (needs torch==2.13.0)
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/run_all.py --log runs/bench.log

results: $(VENV)/.installed   ## regenerate docs/results.md from runs/*/results.json
	$(PY) -m glassgrad results

clean:
	rm -rf $(VENV) build *.egg-info

# make demo  - set up .venv and run the main job on the shipped samples (the city year, then the province's)
# make test  - set up .venv and run the tests (REQUIRE_OFFICE=1 makes office-suite skips fail)
# make test-fast - only the unit layer (tests/unit: rule tables, properties, layer contracts), in seconds
# make artifact - build sdist + wheel, install the wheel alone in a fresh venv, run the demo year with it
# make bench - time the check of a 2,000-row county workbook, the columnar rules against the row-by-row ones,
#              consolidation at city and province scale (and one resubmission), the workbench, and 应入尽入
#              (make bench-screening)
# make bench-national - the same plus national scale (2,850 workbooks; generated once into benchmarks/.cache)
# make bench-forecast - the pipeline forecast's backtest on generated years and its speed at 100,000 firms (docs/预测.md)
# make bench-screening - 应入尽入 at province scale (1,000,000 taxpayers × 12 months, 200,000 power accounts) and city
#              scale: import and screen timed with peak memory, polars and DuckDB side by side (benchmarks/.cache)
# make bench-pipeline - the cultivation pipeline of a national year (100,000 pool firms × 12 monthly returns in a real
#              store): read, tracking (row-by-row and column-wise), forecast and sheets timed with peak memory
# make mutate - the mutation run over the domain's rule modules (benchmarks/mutate.py, scores in docs/变异测试.md)
# make samples - regenerate the shipped samples (deterministic)
# make templates - rebuild the notice templates in templates/ (GB/T 9704 layout, Jinja tags)
# make docs - regenerate docs/问题代码.md from the code catalogues and the sample policy
# make pictures - render the pictures in docs/images/ from real workbooks and the demo's documents (needs LibreOffice)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo_output

.PHONY: demo test test-fast artifact docs bench bench-national bench-forecast bench-screening bench-pipeline mutate samples templates pictures clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# the whole sample year (toolkit/demo), as the installed wheel runs it: guishang demo DIR
demo: $(STAMP)
	rm -rf $(DEMO) $(DEMO)_省级
	$(BIN)/guishang demo $(DEMO)
	$(BIN)/guishang demo --province $(DEMO)_省级

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit

artifact:
	bash .ci/artifact

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_columns.py
	$(BIN)/python benchmarks/bench_consolidate.py
	$(BIN)/python benchmarks/bench_web.py
	$(MAKE) bench-screening

# the mutation run over the domain's rule modules (benchmarks/mutate.py): does a changed operator or constant fail a
# test? Writes benchmarks/mutation.json; docs/变异测试.md has the scores and the equivalent mutants
mutate: $(STAMP)
	$(BIN)/python benchmarks/mutate.py

bench-national: $(STAMP)
	$(BIN)/python benchmarks/bench_consolidate.py --national

bench-forecast: $(STAMP)
	$(BIN)/python benchmarks/backtest_forecast.py

bench-pipeline: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

# DuckDB is no dependency: it is installed into the venv for this comparison only
bench-screening: $(STAMP)
	$(BIN)/python -c "import duckdb" 2>/dev/null || $(BIN)/python -m pip install --quiet duckdb
	$(BIN)/python benchmarks/bench_screening.py

samples: $(STAMP)
	$(BIN)/python -m toolkit.demo.samples .

templates: $(STAMP)
	$(BIN)/python templates/build.py

docs: $(STAMP)
	$(BIN)/guishang codes --sample --out docs/问题代码.md

pictures: $(STAMP)
	$(BIN)/python docs/build_pictures.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info

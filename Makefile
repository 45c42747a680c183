# make demo  - set up .venv and run the main job on the shipped samples
# make test  - set up .venv and run the tests (REQUIRE_OFFICE=1 makes office-suite skips fail)
# make bench - time the check of a 2,000-row county workbook
# make samples - regenerate the shipped samples (deterministic)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo_output

.PHONY: demo test bench samples clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/guishang policy
	$(BIN)/guishang template --period 2022-06 --all --out $(DEMO)/模板
	# the samples of 茶陵县 and 攸县 carry deliberate mistakes, so check exits 1 here: that is expected
	$(BIN)/guishang check samples/县区报表/2022-06/*.xlsx --mark --out $(DEMO)/校验结果; \
	  code=$$?; if [ $$code -gt 1 ]; then exit $$code; fi
	@echo ""
	@echo "演示完成。模板：$(DEMO)/模板/   校验结果和标注副本：$(DEMO)/校验结果/"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py

samples: $(STAMP)
	$(BIN)/python -m samples.generate

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info

# make demo  - set up .venv and run the main job on the shipped samples
# make test  - set up .venv and run the tests (REQUIRE_OFFICE=1 makes office-suite skips fail)
# make bench - time the check of a 2,000-row county workbook, and consolidation at city and province scale
# make bench-national - the same plus national scale (2,850 workbooks; generated once into benchmarks/.cache)
# make samples - regenerate the shipped samples (deterministic)
# make templates - rebuild the notice templates in templates/ (GB/T 9704 layout, Jinja tags)
# make pictures - render the clerk's guide pictures in docs/images/ from real workbooks (needs LibreOffice)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo_output

.PHONY: demo test bench bench-national samples templates pictures clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# exit code 1 from check/consolidate means "a county has mistakes / is missing": expected on the samples
OK_OR_FINDINGS = code=$$?; if [ $$code -gt 1 ]; then exit $$code; fi

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/guishang policy
	# the county templates: .xlsx (the default for counties) and the .xlsm edition with buttons
	$(BIN)/guishang template --period 2022-06 --all --out $(DEMO)/模板 --xlsm
	# the samples of 茶陵县 and 攸县 carry deliberate mistakes, so check exits 1 here: that is expected
	$(BIN)/guishang check samples/县区报表/2022-06/*.xlsx --mark --out $(DEMO)/校验结果; $(OK_OR_FINDINGS)
	# the city's workspace (with its control workbook 市级控制台.xlsm/.xlsx): the returned workbooks go into
	# the inbox, then each period is consolidated
	$(BIN)/guishang init $(DEMO)/工作区
	cp samples/县区报表/2022-03/*.xlsx samples/县区报表/2022-06/*.xlsx $(DEMO)/工作区/收件箱/
	$(BIN)/guishang consolidate --workspace $(DEMO)/工作区 --period 2022-03; $(OK_OR_FINDINGS)
	$(BIN)/guishang consolidate --workspace $(DEMO)/工作区 --period 2022-06; $(OK_OR_FINDINGS)
	# the period's notices (PDF too when LibreOffice is installed); issuing them closes 2022-06
	$(BIN)/guishang notices --workspace $(DEMO)/工作区 --period 2022-06 --date 2022-07-08 --pdf
	# year end: the statistics office's confirmed list and the tax office's figures, then the 2022 reward batch
	cp samples/县区报表/2022-12/*.xlsx $(DEMO)/工作区/收件箱/
	$(BIN)/guishang consolidate --workspace $(DEMO)/工作区 --period 2022-12; $(OK_OR_FINDINGS)
	$(BIN)/guishang register import --workspace $(DEMO)/工作区 --confirmed --period 2022-12 "samples/部门数据/2022年规上工业企业新增退库确认名单（统计局）.xlsx"
	$(BIN)/guishang tax import --workspace $(DEMO)/工作区 --year 2022 "samples/部门数据/2022年新入规企业税收（税务局）.xlsx"
	$(BIN)/guishang rewards --workspace $(DEMO)/工作区 --year 2022 --date 2023-03-15 --number --pdf
	$(BIN)/guishang rewards --workspace $(DEMO)/工作区 --year 2022 --paid 1 --date 2023-04-20
	# a simulated 2023 in which some of 2022's new enterprises leave: second tranches and their exclusions
	cp samples/县区报表/2023-12/*.xlsx $(DEMO)/工作区/收件箱/
	$(BIN)/guishang consolidate --workspace $(DEMO)/工作区 --period 2023-12; $(OK_OR_FINDINGS)
	$(BIN)/guishang register import --workspace $(DEMO)/工作区 --confirmed --period 2023-12 "samples/部门数据/2023年规上工业企业新增退库确认名单（统计局）.xlsx"
	$(BIN)/guishang tax import --workspace $(DEMO)/工作区 --year 2023 "samples/部门数据/2023年新入规企业税收（税务局）.xlsx"
	$(BIN)/guishang rewards --workspace $(DEMO)/工作区 --year 2023 --date 2024-03-15 --number --pdf
	@echo ""
	@echo "演示完成。模板（.xlsx 和带按钮的 .xlsm）：$(DEMO)/模板/   校验结果：$(DEMO)/校验结果/"
	@echo "市级控制台：$(DEMO)/工作区/市级控制台.xlsm"
	@echo "汇总表：$(DEMO)/工作区/输出/汇总/   发回县市区的校验结果：$(DEMO)/工作区/输出/校验结果/"
	@echo "公文：$(DEMO)/工作区/输出/公文/2022-06/   奖励资金：$(DEMO)/工作区/输出/奖励/"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_consolidate.py

bench-national: $(STAMP)
	$(BIN)/python benchmarks/bench_consolidate.py --national

samples: $(STAMP)
	$(BIN)/python -m samples.generate

templates: $(STAMP)
	$(BIN)/python templates/build.py

pictures: $(STAMP)
	$(BIN)/python docs/build_pictures.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info

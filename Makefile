# sprss: `make demo` runs the whole job on real data, `make test` runs the test suite.
# Both create .venv and install the project when needed (`make install` does only that).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPRSS := $(BIN)/sprss
# Real public files for the demo; without them the demo downloads what has a known official URL.
DEMO_DATA ?= ../shared/data/real
DEMO_TERRITORY ?= orp:6105

.PHONY: install demo test lint bench bench-study bench-rpss bench-projection clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	@if [ -d "$(DEMO_DATA)" ]; then \
		$(SPRSS) import --list params.yaml --base "$(DEMO_DATA)"; \
	else \
		echo "Složka $(DEMO_DATA) neexistuje: stahuji z oficiálních adres zdrojů (META v pipeline/sources/<zdroj>.py)."; \
		echo "Publikace Počet obyvatel v obcích a Věkové složení obyvatelstva obcí stáhněte z csu.gov.cz a načtěte: sprss import SOUBOR…"; \
		$(SPRSS) fetch csu_struktura_uzemi && $(SPRSS) fetch csu_opendata && $(SPRSS) fetch csu_datastat; \
	fi
	$(SPRSS) run --territory "$(DEMO_TERRITORY)"  # ends with the analytical part: reports/orp-jihlava/analyticka-cast.html

# Test files spread over one worker per core (pytest-xdist); a file's tests stay together, sharing its fixtures.
test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile

# The layer contract (import-linter), the linter and the type checker on pipeline/ (README "Architecture").
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check pipeline
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench_country.py

bench-rpss: install
	$(BIN)/python benchmarks/bench_rpss.py

bench-study: install
	$(BIN)/python benchmarks/bench_study.py --all

bench-projection: install
	$(BIN)/python benchmarks/bench_projection.py

clean:
	rm -rf data/processed/*.duckdb reports/*/

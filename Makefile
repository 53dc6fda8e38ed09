# barometer: the two set-up commands of the README, plus helpers.
#   make report KOMMUN=0180   build the store and produce one kommun's report (end to end;
#                             YEAR=2022 for another year than the store's latest)
#   make test                 run the whole test suite
KOMMUN ?= 0180
# YEAR: empty = the store's latest year (barometer report decides); e.g. make report YEAR=2022
YEAR ?=
BAROMETER := .venv/bin/barometer

.PHONY: setup report test build explore bench clean

setup:
	@scripts/setup.sh --pdf

report: setup
	$(BAROMETER) build --quiet
	$(BAROMETER) report "$(KOMMUN)"$(if $(YEAR), --year "$(YEAR)")

test:
	@scripts/setup.sh --browser
	.venv/bin/python -m pytest

build: setup
	$(BAROMETER) build

explore: setup
	$(BAROMETER) explore

bench: setup
	$(BAROMETER) build --quiet
	@for f in benchmarks/bench_*.py; do echo "== $$f"; .venv/bin/python $$f; done

clean:
	rm -rf data/store data/tidy reports/*.html reports/*.pdf

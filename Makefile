# Two commands do everything on a fresh machine:
#   make demo   set up, then render the full lesson (narrated) at production quality into media/
#   make test   set up, then run the whole test suite (what CI runs)
VENV := .venv
STAMP := $(VENV)/.lessonkit-installed

.PHONY: demo test bench setup
demo: $(STAMP)
	$(VENV)/bin/lessonkit render --lesson --quality production

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/run.py
	$(VENV)/bin/python benchmarks/authoring.py

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

# Thin wrapper over CMake. `make report` and `make test` do all of the set-up.
BUILD     ?= build
ASAN_BUILD ?= build-asan
CONFIG    ?= config/iuc-lac-2019.ini
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
PREFIX    ?= /usr/local
# Under CI=true every test must run (scripts/run-tests.sh fails on a skip),
# so the test targets install TeX as well for e2e/latex.
TEST_DEPS := $(if $(filter true 1 yes,$(CI)),tex,test)

.PHONY: all deps build report test test-asan test-valgrind install deb bench bench-compare format format-check clean

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/CMakeCache.txt:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS)

report: build
	@$(BUILD)/reportc build $(CONFIG)

# Ends with "tests: N passed, N failed, N skipped" and why each skip.
test:
	@scripts/deps.sh $(TEST_DEPS)
	@$(MAKE) --no-print-directory build
	@scripts/run-tests.sh $(BUILD) -j $(JOBS)

test-asan:
	@scripts/deps.sh $(TEST_DEPS)
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRC_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 scripts/run-tests.sh $(ASAN_BUILD) -j $(JOBS)

# bin/reportc, share/reportc (fonts), the man page, bash completion and the
# sample under share/doc/reportc/examples; DESTDIR is honoured.
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package in build-deb/ (scripts/make-deb.sh; lintian when installed).
deb:
	@scripts/make-deb.sh

# Every unit test executable, `reportc check/metrics` (tests/e2e/metrics.sh),
# one full build of the sample and every bad-input case (tests/e2e/bad_inputs.sh)
# run under memcheck; any invalid access,
# use of uninitialised memory or definite/indirect leak fails the target.
# Logs: $(BUILD)/valgrind/<name>.log. See docs/reliability.md.
test-valgrind: build
	@scripts/deps.sh test
	@command -v valgrind >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; } || \
	  { echo "test-valgrind: valgrind is not installed (apt-get install valgrind)"; exit 2; }
	@vg="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-origins=yes"; \
	logs=$(BUILD)/valgrind; rm -rf $$logs; mkdir -p $$logs; pass=0; fail=0; \
	for t in $(BUILD)/test_*; do \
	  [ -f "$$t" ] && [ -x "$$t" ] || continue; n=$$(basename $$t); \
	  RC_SOURCE_DIR=$(CURDIR) CMOCKA_MESSAGE_OUTPUT=stdout $$vg --log-file=$$logs/$$n.log $$t >$$logs/$$n.out 2>&1; st=$$?; \
	  if [ $$st = 0 ] && [ ! -s $$logs/$$n.log ]; then pass=$$((pass+1)); echo "valgrind ok   $$n"; \
	  else fail=$$((fail+1)); echo "valgrind FAIL $$n (exit $$st, $$logs/$$n.log)"; head -20 $$logs/$$n.log; tail -5 $$logs/$$n.out; fi; \
	done; \
	printf '#!/bin/sh\nexec %s --log-file=%s/reportc.%%p.log %s "$$@"\n' "$$vg" "$$(realpath $$logs)" "$$(realpath $(BUILD)/reportc)" > $$logs/reportc; \
	chmod +x $$logs/reportc; \
	if bash tests/e2e/metrics.sh $$logs/reportc > $$logs/metrics.out 2>&1; then pass=$$((pass+1)); echo "valgrind ok   e2e/metrics"; \
	else fail=$$((fail+1)); echo "valgrind FAIL e2e/metrics ($$logs/metrics.out)"; tail -20 $$logs/metrics.out; fi; \
	out=$$(mktemp -d); \
	if $$logs/reportc build $(CONFIG) -o $$out > $$logs/build.out 2>&1; then pass=$$((pass+1)); echo "valgrind ok   reportc build $(CONFIG)"; \
	else fail=$$((fail+1)); echo "valgrind FAIL reportc build ($$logs/build.out)"; tail -20 $$logs/build.out; fi; \
	rm -rf $$out; \
	if bash tests/e2e/bad_inputs.sh $$logs/reportc > $$logs/bad_inputs.out 2>&1; then pass=$$((pass+1)); echo "valgrind ok   e2e/bad_inputs ($$(tail -1 $$logs/bad_inputs.out))"; \
	else fail=$$((fail+1)); echo "valgrind FAIL e2e/bad_inputs ($$logs/bad_inputs.out)"; grep -A5 FAIL $$logs/bad_inputs.out | head -30; fi; \
	for l in $$logs/reportc.*.log; do [ -s $$l ] && { echo "valgrind errors in $$l:"; head -30 $$l; fail=$$((fail+1)); }; done; \
	echo "valgrind: $$pass passed, $$fail failed"; [ $$fail = 0 ]

bench: build
	@bench/bench.py --reportc $(BUILD)/reportc --latex

# reportc against pdflatex x2 and Typst in one alternating run, and the pages
# curve (bench/compare.py; Typst needs TYPST_DIR, see the script's help).
bench-compare: build
	@bench/compare.py --reportc $(BUILD)/reportc $(if $(TYPST_DIR),--typst-dir $(TYPST_DIR)) --pages 35,200,1000,5000

format:
	@clang-format -i src/main.c src/*/*.[ch] include/rc/*.h tests/unit/*/*.[ch]

format-check:
	@clang-format --dry-run --Werror src/main.c src/*/*.[ch] include/rc/*.h tests/unit/*/*.[ch]

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) build-deb

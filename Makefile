# Thin wrapper over CMake. `make report` and `make test` do all of the set-up.
BUILD     ?= build
ASAN_BUILD ?= build-asan
CONFIG    ?= config/iuc-lac-2019.ini
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build report test test-asan test-valgrind bench format format-check clean

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/CMakeCache.txt:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS)

report: build
	@$(BUILD)/reportc build $(CONFIG)

test: 
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	@scripts/deps.sh test
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRC_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

test-valgrind: build
	@cd $(BUILD) && ctest --output-on-failure -T memcheck -L unit

bench: build
	@bench/bench.py --reportc $(BUILD)/reportc --latex

format:
	@clang-format -i src/*.c include/rc/*.h tests/unit/*.c

format-check:
	@clang-format --dry-run --Werror src/*.c include/rc/*.h tests/unit/*.c

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD)

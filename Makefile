# Tributary — the Makefile drives CMake + Ninja. `make run` and `make test` work on a fresh machine.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
RUN_DIR ?= data

.PHONY: all deps test-deps configure build run test test-unit test-all bench fmt fmt-check clean

all: build

# Installs missing Debian packages; a no-op when everything is present.
deps:
	@.ci/install-deps.sh build

test-deps:
	@.ci/install-deps.sh all

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# One broker on 127.0.0.1:9092, data under ./data. Ctrl-C stops it cleanly.
run: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tributary-broker
	$(BUILD_DIR)/broker/tributary-broker --set log.dirs=$(RUN_DIR)

# The default suite: everything but the `slow` label.
test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -LE slow -j $(JOBS) $(CTEST_ARGS)

test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit -j $(JOBS) $(CTEST_ARGS)

test-all: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: test-deps build
	bench/run.sh $(BUILD_DIR)

FORMAT_FILES = $(shell git ls-files '*.h' '*.cc' | grep -v '^tests/golden/')

fmt:
	clang-format -i $(FORMAT_FILES)

fmt-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD_DIR)

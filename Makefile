# Thin wrapper around meson. Every entry point bootstraps first, so a
# fresh Debian 12 machine (as root) needs nothing else.
BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_COV  ?= build-cov
BUILD_FUZZ ?= build-fuzz
MESON      ?= meson
PREFIX     ?= /usr/local

.PHONY: all bootstrap build demo test test-fast test-san coverage bench fuzz install clean format

all: build

bootstrap:
	@./scripts/bootstrap.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --prefix=$(PREFIX)

build: bootstrap $(BUILD)/build.ninja
	@ninja -C $(BUILD)

demo: build
	@./scripts/demo.sh $(BUILD)

# The full suite: normal build, then ASan/UBSan build, then tshark check.
test: build
	$(MESON) test -C $(BUILD) --print-errorlogs
	@$(MAKE) --no-print-directory test-san
	@./tests/check_tshark.sh $(BUILD)
	@./tests/summary.sh $(BUILD) $(BUILD_SAN)

test-fast: build
	$(MESON) test -C $(BUILD) --print-errorlogs

test-san: bootstrap
	@[ -f $(BUILD_SAN)/build.ninja ] || CC=clang $(MESON) setup $(BUILD_SAN) \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	@ninja -C $(BUILD_SAN)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
		$(MESON) test -C $(BUILD_SAN) --print-errorlogs --suite unit

coverage: bootstrap
	@[ -f $(BUILD_COV)/build.ninja ] || $(MESON) setup $(BUILD_COV) -Db_coverage=true -Dbuildtype=debug
	@ninja -C $(BUILD_COV)
	@find $(BUILD_COV) -name '*.gcda' -delete
	$(MESON) test -C $(BUILD_COV) --suite unit
	@./scripts/coverage.sh $(BUILD_COV)

bench: build
	@./scripts/bench.sh $(BUILD)

fuzz: bootstrap
	@[ -f $(BUILD_FUZZ)/build.ninja ] || CC=clang $(MESON) setup $(BUILD_FUZZ) -Dfuzz=true -Dbuildtype=debug
	@ninja -C $(BUILD_FUZZ)
	@./scripts/fuzz.sh $(BUILD_FUZZ) $${FUZZ_SECONDS:-60}

install: build
	$(MESON) install -C $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_COV) $(BUILD_FUZZ)

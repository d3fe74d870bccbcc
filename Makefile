# Makefile - the verbs users expect, on top of Meson.
#
#   make          build (installs missing Debian build packages first)
#   make check    every test, in a normal and an ASan+UBSan build, fuzz corpus
#                 replays and the format check
#   make demo     build, then run mailtls on the bundled sample data
#   make install  binary, man pages, example config under PREFIX (and DESTDIR)
#   make bench    benchmarks against reference tools
#   make fuzz     run every libFuzzer target for FUZZ_SECONDS each
PREFIX ?= /usr/local
BUILD ?= build
ASAN ?= build-asan
FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 600
MESON_TEST_ARGS ?=

all: build

build: deps-build $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

$(ASAN)/build.ninja:
	meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug

deps-build:
	@tools/deps.sh build

deps-check:
	@tools/deps.sh check

check: deps-check build $(ASAN)/build.ninja
	ninja -C $(ASAN)
	tools/check-format.sh
	meson test -C $(BUILD) --print-errorlogs $(MESON_TEST_ARGS)
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
	    meson test -C $(ASAN) --print-errorlogs --timeout-multiplier=4 $(MESON_TEST_ARGS)

demo: build
	tools/demo.sh $(BUILD)/src/mailtls/mailtls

# The build directory may have been set up with another prefix (by make check,
# say): PREFIX given now wins.
install: build
	meson configure $(BUILD) --prefix=$(PREFIX)
	meson install -C $(BUILD)

bench: build
	@tools/deps.sh bench
	tools/bench.sh $(BUILD)

fuzz:
	@tools/deps.sh fuzz
	[ -f $(FUZZ)/build.ninja ] || CC=clang meson setup $(FUZZ) -Dfuzz=true \
	    -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized
	ninja -C $(FUZZ)
	tools/fuzz.sh $(FUZZ) $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)

.PHONY: all build deps-build deps-check check demo install bench fuzz format clean

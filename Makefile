# Thin wrapper over Meson + Ninja. `make` builds, `make check` runs every test
# (plain and under ASan/UBSan), `make demo` shows a report of the samples.
BUILD      ?= build
ASAN_BUILD ?= build-asan
SHARED     ?= ../shared/data
MESON_OPTS ?=

.PHONY: all deps check test asan demo bench models eval eval-halves spotcheck install clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTS)

check: all $(ASAN_BUILD)/build.ninja
	meson test -C $(BUILD) --print-errorlogs
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN_BUILD) --print-errorlogs

demo: all
	@sh scripts/demo.sh $(BUILD)/heard

# Benchmarks measure an optimised build of their own (release: -O3, no
# assertions), so the figures are those of an installed heard.
BENCH_BUILD ?= build-release
bench: deps
	@[ -f $(BENCH_BUILD)/build.ninja ] || meson setup $(BENCH_BUILD) --buildtype=release $(MESON_OPTS) >/dev/null
	@sh bench/run.sh $(BENCH_BUILD)

models: all
	@sh scripts/models.sh $(BUILD)/heard $(SHARED)

eval: all
	@sh scripts/eval.sh $(BUILD)/heard $(SHARED)

# The GoEmotions figures with thresholds tuned on the other half of dev
# (the emotion heads trained again per half and seed; about 1 minute each).
HALVES_SEEDS ?= 1 2
eval-halves: all
	@sh scripts/halves.sh $(BUILD)/heard $(SHARED) $(HALVES_SEEDS)

# The labelled spot-check sets (data/spotcheck): no shared data needed.
spotcheck: all
	@for f in data/spotcheck/*.jsonl; do $(BUILD)/heard eval --labelled $$f --models models || exit 1; done

install: all
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

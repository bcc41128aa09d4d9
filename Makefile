# Incident Gateway: the two commands a newcomer needs.
#   make run   - install what is missing, build, seed var/mail with the
#                examples and start the service on config/gateway.conf
#   make test  - install what is missing, build, run unit and integration tests,
#                a short smoke run of every fuzz target with its regression
#                cases, the Debian package built (without its unit tests) and
#                checked by lintian, then the suite again under ASan+UBSan and the
#                unit tests under valgrind (both in short forms, see test:)
# Others: make build, make bench, make sanitize (the suite under ASan/UBSan only),
#         make valgrind (unit tests under valgrind only),
#         make accuracy (field precision/recall on tests/fixtures/corpus),
#         make fuzz (each libFuzzer target for FUZZ_SECONDS),
#         make coverage (the ctest suite in a gcov build, line and branch
#         coverage per file of gateway/ and parsers/),
#         make mutation (mutation score of the core modules; MUTATION_ARGS
#         passes options to tests/mutation/mutate.py), make install
#         (PREFIX, DESTDIR), make package (the Debian package with its unit
#         tests, lintian, then installed and started on a fresh Debian 12
#         booted with systemd-nspawn), make clean.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG ?= config/gateway.conf
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
COVERAGE_BUILD ?= build-coverage
MUTATION_ARGS ?=
PACKAGE_BUILD ?= build-package

.PHONY: all deps test-deps build fuzz-build run test fuzz bench sanitize valgrind accuracy coverage mutation install package clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The fuzz targets of tests/fuzz, with clang, libFuzzer, ASan and UBSan.
fuzz-build: test-deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIG_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

# PREFIX (default /usr/local) and DESTDIR as usual: the binary, the
# network module, templates, the example configuration, the manual page
# and the systemd unit.
PREFIX ?= /usr/local
install: build
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

run: build
	@scripts/seed-examples.sh var/mail
	$(BUILD)/incident-gateway -c $(CONFIG) run

# The sanitizer and valgrind passes in their short forms: under ASan the
# tests that inject one fault after another (test_atomic, the case fault
# tables) take every third (the first run took each one); valgrind's is
# valgrind.sh --short's.
test: test-deps build fuzz-build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz
	@grep -h -E '^(crash test|failover test|database restart test|IDLE latency: bare)' $(BUILD)/Testing/Temporary/LastTest.log || true
	@DEB_BUILD_OPTIONS="nocheck parallel=$(JOBS)" scripts/build-package.sh $(PACKAGE_BUILD)
	@IG_FAULT_STRIDE=3 $(MAKE) --no-print-directory sanitize
	@tests/unit/valgrind.sh --short $(BUILD)

sanitize: test-deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIG_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS) -LE 'once|pg_again'

valgrind: test-deps build
	@tests/unit/valgrind.sh $(BUILD)

fuzz: fuzz-build
	@tests/fuzz/run.sh fuzz $(FUZZ_BUILD)/tests/fuzz $(FUZZ_SECONDS)

accuracy: build
	/usr/bin/python3 tests/accuracy/accuracy.py $(BUILD)/incident-gateway tests/fixtures/corpus tests/fixtures/corpus.conf

# The same ctest suite as make test's first run, built unoptimised with gcov
# counters in its own build dir; old counters are cleared first so the
# figures are those of this run only; a failing test still gets its report,
# then fails the target. Two reports from one gcovr pass.
coverage: test-deps
	@cmake -S . -B $(COVERAGE_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_FLAGS="--coverage" -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
	@cmake --build $(COVERAGE_BUILD) -j $(JOBS)
	@find $(COVERAGE_BUILD) -name '*.gcda' -delete
	@status=0; (cd $(COVERAGE_BUILD) && ctest --output-on-failure -j $(JOBS)) || status=$$?; \
	  gcovr -r . --object-directory $(COVERAGE_BUILD) -f gateway/ -f parsers/ \
	    --json $(COVERAGE_BUILD)/coverage.json && \
	  echo "== Line coverage" && gcovr -r . -a $(COVERAGE_BUILD)/coverage.json && \
	  echo "== Branch coverage" && gcovr -r . -a $(COVERAGE_BUILD)/coverage.json --branches && \
	  exit $$status

# Mutants of the core modules, each built and tested in a scratch copy.
mutation: test-deps
	@/usr/bin/python3 tests/mutation/mutate.py $(MUTATION_ARGS)

bench: test-deps build
	@bench/run.sh $(BUILD)

package: test-deps
	@DEB_BUILD_OPTIONS="parallel=$(JOBS)" scripts/build-package.sh $(PACKAGE_BUILD)
	@tests/package/install_and_start.sh $(PACKAGE_BUILD)/incident-gateway_*.deb

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD) $(COVERAGE_BUILD) $(PACKAGE_BUILD)

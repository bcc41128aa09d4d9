# Incident Gateway: the two commands a newcomer needs.
#   make run   - install what is missing, build, seed var/mail with the
#                examples and start the service on config/gateway.conf
#   make test  - install what is missing, build, run unit and integration tests,
#                then the whole suite again under ASan+UBSan and the unit tests
#                under valgrind
# Others: make build, make bench, make sanitize (the suite under ASan/UBSan only),
#         make valgrind (unit tests under valgrind only),
#         make accuracy (field precision/recall on tests/fixtures/corpus), make clean.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG ?= config/gateway.conf

.PHONY: all deps test-deps build run test bench sanitize valgrind accuracy clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@scripts/seed-examples.sh var/mail
	$(BUILD)/incident-gateway -c $(CONFIG) run

test: test-deps build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@grep -h -E '^(crash test|ok: IDLE picked up)' $(BUILD)/Testing/Temporary/LastTest.log || true
	@$(MAKE) --no-print-directory sanitize
	@tests/unit/valgrind.sh $(BUILD)

sanitize: test-deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIG_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

valgrind: test-deps build
	@tests/unit/valgrind.sh $(BUILD)

accuracy: build
	/usr/bin/python3 tests/accuracy/accuracy.py $(BUILD)/incident-gateway tests/fixtures/corpus tests/fixtures/corpus.conf

bench: test-deps build
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan

# Attention Lab — the two commands of the quick start.
#   make run    install missing Debian packages, build Release, start the app
#   make test   the same with the test packages, then build and run every test (GUI test under Xvfb)
# Other targets: build, package (a .deb for baseline x86-64, checked by lintian), package-test (dpkg -i, run
# it, remove it), bench (attention kernels, then frame times under Xvfb), screenshots (the README's
# pictures from assets/screenshots/*.json), asan (tests under AddressSanitizer + UBSan), fuzz (every file
# reader under libFuzzer + ASan + UBSan, FUZZ_RUNS executions each, from the seeds in tests/fuzz/corpus), clean.

BUILD_DIR    ?= build
ASAN_DIR     ?= build-asan
FUZZ_DIR     ?= build-fuzz
PACKAGE_DIR  ?= build-package
FUZZ_RUNS    ?= 1000000
FUZZ_TARGETS := npy compute_config script session prefs hf_config model_file attention_import lesson
PACKAGE_LIST := cmake/debian-packages.txt
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

build_packages = $(shell awk '$$1=="build"{print $$2}' $(PACKAGE_LIST))
test_packages  = $(shell awk '$$1=="build"||$$1=="test"{print $$2}' $(PACKAGE_LIST))
fuzz_packages  = $(shell awk '$$1=="build"||$$1=="fuzz"{print $$2}' $(PACKAGE_LIST))
package_packages = $(shell awk '$$1=="build"||$$1=="test"||$$1=="package"{print $$2}' $(PACKAGE_LIST))

.PHONY: run test build bench screenshots asan fuzz package package-test clean deps-build deps-test deps-fuzz \
	deps-package

# Installs only what dpkg reports missing, so a second run touches nothing.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi
endef

deps-build:
	$(call install_missing,$(build_packages))

deps-test:
	$(call install_missing,$(test_packages))

deps-fuzz:
	$(call install_missing,$(fuzz_packages))

deps-package:
	$(call install_missing,$(package_packages))

# Configuring an existing build tree is quick and rebuilds nothing; it also picks up test packages that
# `make test` installed after a `make run`.
configure = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DATTN_WERROR=ON > $(BUILD_DIR).configure.log \
	|| { cat $(BUILD_DIR).configure.log; exit 1; }

build: deps-build
	@$(configure)
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/attention-lab

test: deps-test
	@$(configure)
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

XVFB := xvfb-run -a -s "-screen 0 1600x1000x24"

# Frame times with every panel open, at 16 tokens (8 heads) and 256 tokens, in a 1280x800 window.
bench: deps-test
	@$(configure)
	cmake --build $(BUILD_DIR) -j $(JOBS)
	./$(BUILD_DIR)/bench-attention
	$(XVFB) ./$(BUILD_DIR)/attention-lab --bench-frames 40 --size 1280x800 --script tests/gui/bench_16_tokens.json
	$(XVFB) ./$(BUILD_DIR)/attention-lab --bench-frames 40 --size 1280x800 --script tests/gui/bench_256_tokens.json
	$(XVFB) ./$(BUILD_DIR)/attention-lab --bench-frames 40 --size 1280x800 --script tests/gui/bench_1024_tokens.json
	$(XVFB) ./$(BUILD_DIR)/attention-lab --bench-frames 40 --size 1280x800 --script tests/gui/bench_2048_tokens.json

# Each assets/screenshots/NAME.json script gives NAME.png, as shown in the README.
screenshots: deps-test
	@$(configure)
	cmake --build $(BUILD_DIR) -j $(JOBS)
	for s in assets/screenshots/*.json; do \
	  $(XVFB) ./$(BUILD_DIR)/attention-lab --screenshot $${s%.json}.png --frames 6 --size 1280x800 --script $$s || exit 1; \
	done

asan: deps-test
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DATTN_SANITIZE=ON -DATTN_WERROR=ON
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS)

# New inputs go to $(FUZZ_DIR)/corpus/NAME; the seeds in the repository are only read. A crash stops the run
# with the input saved as $(FUZZ_DIR)/crash-*: turn it into a regression test in tests/app or tests/core.
fuzz: deps-fuzz
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTN_FUZZ=ON \
	  -DATTN_BUILD_TESTS=OFF > $(FUZZ_DIR).configure.log || { cat $(FUZZ_DIR).configure.log; exit 1; }
	cmake --build $(FUZZ_DIR) --target fuzz_targets -j $(JOBS)
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t && \
	  seeds=tests/fuzz/corpus/$$t; [ $$t = model_file ] && seeds="$$seeds assets/models"; \
	  [ $$t = lesson ] && seeds="$$seeds assets/lessons"; \
	  echo "== fuzz_$$t: $(FUZZ_RUNS) runs"; \
	  ./$(FUZZ_DIR)/fuzz/fuzz_$$t -runs=$(FUZZ_RUNS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus/$$t $$seeds || exit 1; \
	done

# The Debian package, built for baseline x86-64 (no -march=native) so it runs on any 64-bit PC, then
# checked by lintian (cmake/lintian-overrides explains the warnings kept).
package: deps-package
	cmake -S . -B $(PACKAGE_DIR) -DCMAKE_BUILD_TYPE=Release -DATTN_NATIVE=OFF -DATTN_PACKAGE=ON \
	  -DATTN_BUILD_TESTS=OFF -DATTN_WERROR=ON > $(PACKAGE_DIR).configure.log || { cat $(PACKAGE_DIR).configure.log; exit 1; }
	cmake --build $(PACKAGE_DIR) -j $(JOBS)
	cd $(PACKAGE_DIR) && cpack -G DEB
	lintian --tag-display-limit 0 --suppress-tags-from-file cmake/lintian-overrides $(PACKAGE_DIR)/attention-lab_*.deb

# Installs the package with dpkg, runs the installed program (--version and a screenshot under Xvfb) and
# removes it again, checking that nothing is left behind.
package-test: package
	cmake -DDEB_DIR=$(PACKAGE_DIR) -DXVFB_RUN=$$(command -v xvfb-run) -P tests/package_test.cmake

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) $(PACKAGE_DIR)

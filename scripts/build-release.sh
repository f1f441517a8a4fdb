#!/usr/bin/env bash
# The production build: the release server (target/release/portal, or under CARGO_TARGET_DIR)
# and the split browser bundle under target/site.
#
# The browser bundle is built with a standard library of its own whose panics abort at once
# (`-Cpanic=immediate-abort`, with `-Zbuild-std`): without the panic messages and their
# formatting, the bundle is 5% smaller (measured unsplit: 440.1 against 464.9 KB brotli). Both
# are unstable options of the stable toolchain, enabled by RUSTC_BOOTSTRAP=1 for this build
# only; they need the rust-src component (scripts/setup.sh adds it). A panic in the browser then
# stops the page without a message; the debug build (scripts/run.sh) keeps the messages.
#
# `-Zfmt-debug=none` and `-Zlocation-detail=none` leave out `Debug` formatting (`{:?}` prints
# nothing) and the file and line of panics: the main bundle is 3.5% smaller again (279.3 against
# 289.4 KB brotli). Nothing the browser shows may therefore come from `Debug`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
export RUSTC_BOOTSTRAP=1
# Replaces .cargo/config.toml's [build] rustflags for the browser build, so it repeats them.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
exec cargo leptos build --release --split --lib-cargo-args="-Zbuild-std=std,panic_abort" "$@"

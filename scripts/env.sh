# Sourced by the scripts: one set of build artifacts for cargo-leptos and plain cargo commands.
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# CI starts from a clean clone: keep compiled dependencies in a persistent directory.
if [ "${CI:-}" = "true" ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="${PORTAL_CACHE_DIR:-$HOME/.cache/my-careconnect-portal}/target"
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

#!/usr/bin/env bash
# Short, bounded fuzzing for CI: installs cargo-fuzz if missing, checks the
# fuzz workspace's formatting and lints (the root's `cargo fmt`/`clippy` do not
# reach it), builds every target in fuzz/ without a sanitizer (stable
# toolchain), and runs each for FUZZ_SECONDS (default 30), seeded from corpus/
# and bench/data/ with its dictionary (fuzz/targets.sh lists both per target).
# Any crash, property violation, slow input (over 10 s) or build failure makes
# the script exit non-zero, with the failing target's log tail on stderr.
#
# Usage: scripts/fuzz-ci.sh            (from anywhere; it works from the repo root)
#        FUZZ_SECONDS=60 scripts/fuzz-ci.sh
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-ci: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

echo "fuzz-ci: formatting and lints of the fuzz workspace"
cargo fmt --manifest-path fuzz/Cargo.toml --all -- --check
cargo clippy --quiet --manifest-path fuzz/properties/Cargo.toml -- -D warnings

echo "fuzz-ci: building the fuzz targets (cargo fuzz build -s none)"
cargo fuzz build -s none

# shellcheck source=../fuzz/targets.sh
. fuzz/targets.sh

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failed=0
run() {
    local target="$1"
    local log="$work/$target.log" seeds="$work/seeds/$target" dict="$work/$target.dict"
    mkdir -p "fuzz/corpus/$target"
    fuzz_stage_seeds "$target" "$seeds"
    fuzz_write_dict "$target" "$dict"
    local start=$SECONDS
    if cargo fuzz run -s none "$target" "fuzz/corpus/$target" "$seeds" -- \
        -dict="$dict" -max_len="$FUZZ_MAX_LEN" -max_total_time="$seconds" -timeout=10 \
        -print_final_stats=1 >"$log" 2>&1; then
        local runs
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
        local last
        last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)"
        echo "fuzz-ci: $target ok: ${runs:-?} runs in $((SECONDS - start)) s, ${last:-no coverage line}, $(find "$seeds" -type l | wc -l) seeds"
    else
        failed=1
        echo "fuzz-ci: $target FAILED after $((SECONDS - start)) s:" >&2
        # The violated property (the panic message), then where the input was saved.
        grep -A 6 'panicked at' "$log" | grep -v '^ *[0-9]*: \|^ *at ' >&2 || true
        grep -E 'Test unit written|^Base64|SUMMARY|ERROR' "$log" >&2 || tail -n 40 "$log" >&2
    fi
}

run xml_reader
run json_reader
# xml_vs_reference is not run here: it keeps finding places where roxmltree,
# the reference, departs from XML 1.0 (eight so far, each excused with its
# section in fuzz/properties/src/lib.rs), so a short CI run could fail with no
# change of ours. Its property still runs over every corpus file in cargo test
# (tests/properties.rs); run it by hand as fuzz/README.md says.
run same_in_both_formats
run chunked_and_prefix
run no_alloc
run typed_view
run records
run top_array
run classify

if [ "$failed" -ne 0 ]; then
    echo "fuzz-ci: FAILED (artifacts in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz-ci: all targets ok"

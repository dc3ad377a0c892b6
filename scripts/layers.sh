#!/usr/bin/env bash
# Checks the library's module layers (ARCHITECTURE.md), with grep and awk:
# - the XML and JSON readers (src/xml/, src/json/) never name a module above
#   them (the path engine, records, the typed view, owned forms, streams, axum);
# - the bottom layer (src/scan.rs, src/simd/, src/text.rs, src/error.rs,
#   src/config.rs, src/input.rs) never names the readers or anything above;
# - the path engine and framing (src/path/, records, named, stream) never
#   name the typed view, the owned forms or the integrations, and the engine
#   (src/path/) never names records, named or stream;
# - the typed view (src/callback/) never names the owned forms, axum or ser;
# - src/lib.rs holds only docs, attributes, `extern crate`, `mod`/`pub mod`
#   and `pub use` items.
# Comment lines are ignored (a doc link is not a dependency), and so are the
# `tests.rs` files: a test of a low layer may compare it with a higher one.
# Exits 1 with one line per violation, 0 when the layers hold.
#
# Usage: scripts/layers.sh   (from anywhere; it works from the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."

status=0

# Prints `file:line: text` for every non-comment line of the given files that
# matches the extended regular expression $1.
offending() {
    local pattern=$1
    shift
    grep -nE "$pattern" "$@" /dev/null | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true
}

check() {
    local what=$1 pattern=$2
    shift 2
    local hits
    hits=$(offending "$pattern" "$@")
    if [ -n "$hits" ]; then
        echo "layers: $what" >&2
        printf '%s\n' "$hits" | sed 's/^/  /' >&2
        status=1
    fi
}

# The names lib.rs re-exports from the modules above the readers, so that
# `use crate::{PathSet, ...}` (a path through the crate root) is caught too.
high_names=$(
    tr '\n' ' ' <src/lib.rs | grep -oE "pub use (path|named|records|callback|owned|stream|time)::(\{[^}]*\}|[A-Za-z_]+)" |
        sed -E 's/^pub use [a-z]+:://; s/[{}]//g; s/ as [A-Za-z_]+//g' | tr ', ' '\n\n' | grep -E '^[A-Za-z_]+$' |
        sort -u | paste -sd'|' -
)
root_high="crate::($high_names)\b|crate::\{[^}]*\b($high_names)\b"

readers=$(find src/xml src/json -name '*.rs' ! -name tests.rs | sort)
above_readers='path|records|named|callback|owned|stream|axum|ser|__simd_probe'
# shellcheck disable=SC2086
check "a reader (src/xml/, src/json/) imports a module above it" \
    "(crate|super::super)::($above_readers)\b|$root_high" $readers

bottom=$(
    find src/simd -name '*.rs' ! -name tests.rs
    echo src/scan.rs src/text.rs src/error.rs src/config.rs src/input.rs
)
# shellcheck disable=SC2086
check "a bottom-layer file (scan, simd, text, error, config, input) imports a higher layer" \
    "crate::(xml|json|time|$above_readers)\b|$root_high" $bottom

# The names lib.rs re-exports from the typed view and the owned forms.
typed_names=$(
    tr '\n' ' ' <src/lib.rs | grep -oE "pub use (callback|owned)::(\{[^}]*\}|[A-Za-z_]+)" |
        sed -E 's/^pub use [a-z]+:://; s/[{}]//g; s/ as [A-Za-z_]+//g' | tr ', ' '\n\n' | grep -E '^[A-Za-z_]+$' |
        sort -u | paste -sd'|' -
)
engine=$(
    find src/path src/stream -name '*.rs' ! -name tests.rs | sort
    echo src/records.rs src/named.rs src/stream.rs
)
# shellcheck disable=SC2086
check "the path engine or framing (path/, records, named, stream) imports the typed view or above" \
    "crate::(callback|owned|axum|ser)\b|crate::($typed_names)\b|crate::\{[^}]*\b($typed_names)\b" $engine

# Names lib.rs re-exports from the modules matching $1.
reexported() {
    tr '\n' ' ' <src/lib.rs | grep -oE "pub use ($1)::(\{[^}]*\}|[A-Za-z_]+)" |
        sed -E 's/^pub use [a-z]+:://; s/[{}]//g; s/ as [A-Za-z_]+//g' | tr ', ' '\n\n' | grep -E '^[A-Za-z_]+$' |
        sort -u | paste -sd'|' -
}

# Within the path layer: records, named and the stream framing build on the
# engine, never the other way.
over_engine=$(reexported 'records|named|stream')
# shellcheck disable=SC2086
check "the path engine (src/path/) imports records, named or stream" \
    "crate::(records|named|stream)\b|crate::($over_engine)\b|crate::\{[^}]*\b($over_engine)\b" \
    $(find src/path -name '*.rs' ! -name tests.rs | sort)

# The typed view never names the owned forms or the integrations above it.
owned_names=$(reexported 'owned')
# shellcheck disable=SC2086
check "the typed view (src/callback/) imports the owned forms or an integration" \
    "crate::(owned|axum|ser)\b|crate::($owned_names)\b|crate::\{[^}]*\b($owned_names)\b" \
    $(find src/callback -name '*.rs' ! -name tests.rs | sort)

# lib.rs: blank lines, comments, attributes (possibly over several lines),
# `extern crate`, `mod`/`pub mod` lines and `pub use` items (possibly over
# several lines); anything else is reported.
lib=$(awk '
    open > 0 {
        open += gsub(/[[(]/, "&") - gsub(/[])]/, "&")
        next
    }
    in_use { if ($0 ~ /;[[:space:]]*$/) in_use = 0; next }
    /^[[:space:]]*$/ || /^[[:space:]]*\/\// { next }
    /^#!?\[/ { open = gsub(/[[(]/, "&") - gsub(/[])]/, "&"); next }
    /^(pub(\(crate\))? )?mod [a-z_0-9]+;$/ { next }
    /^extern crate [a-z_0-9]+;$/ { next }
    /^pub use / { if ($0 !~ /;[[:space:]]*$/) in_use = 1; next }
    { printf "  src/lib.rs:%d: %s\n", NR, $0 }
' src/lib.rs)
if [ -n "$lib" ]; then
    echo "layers: src/lib.rs holds more than docs, attributes, mod lines and pub use" >&2
    printf '%s\n' "$lib" >&2
    status=1
fi

if [ "$status" -eq 0 ]; then
    echo "layers: ok (readers, bottom layer, path engine, typed view and lib.rs)"
fi
exit "$status"

# Seeds, dictionary and input-size cap of every fuzz target, in one place for
# scripts/fuzz-ci.sh and .clusterfuzzlite/build.sh (both source this file from
# the repository root). Paths are relative to the repository root.
#
# A target missing here makes both scripts fail, so a new target in
# fuzz/Cargo.toml must be added here too.

# Seed folders: the hand-written corpus (valid, invalid, fuzz regressions) and
# the standard documents of bench/data (quick-xml's macrobench documents,
# simdjson's corpus, simd-json's fuzz crash inputs).
FUZZ_XML_SEEDS=(corpus/xml/valid corpus/xml/invalid corpus/xml/regressions bench/data/xml)
FUZZ_JSON_SEEDS=(corpus/json/valid corpus/json/invalid corpus/json/regressions
    bench/data/json bench/data/json-crash)

# Longest input libFuzzer makes or reads (bytes). Longer seeds are cut to this
# length when loaded: whole, canada.json (2.2 MB) takes chunked_and_prefix
# over 20 s per run without a sanitizer, past the 10 s timeout of CI.
FUZZ_MAX_LEN=65536

# fuzz_seed_dirs TARGET: its seed folders, one per line.
fuzz_seed_dirs() {
    case "$1" in
    xml_reader | xml_vs_reference) printf '%s\n' "${FUZZ_XML_SEEDS[@]}" ;;
    json_reader) printf '%s\n' "${FUZZ_JSON_SEEDS[@]}" ;;
    # Its input is the raw material of a random tree (`arbitrary`), not a
    # document: the callback corpus is enough to start from.
    same_in_both_formats) printf '%s\n' corpus/json/valid ;;
    # Raw bytes for the block classifiers: documents of both formats hold
    # the quotes, backslashes and brackets the masks are about.
    chunked_and_prefix | no_alloc | typed_view | classify)
        printf '%s\n' "${FUZZ_XML_SEEDS[@]}" "${FUZZ_JSON_SEEDS[@]}"
        ;;
    # And batches (top-level JSON arrays), for the record prefix `#`.
    records)
        printf '%s\n' "${FUZZ_XML_SEEDS[@]}" "${FUZZ_JSON_SEEDS[@]}" tests/data/top-level-array
        ;;
    # Its property applies to JSON documents with an object on top.
    top_array) printf '%s\n' "${FUZZ_JSON_SEEDS[@]}" ;;
    *)
        echo "fuzz/targets.sh: no seeds listed for fuzz target '$1'" >&2
        return 1
        ;;
    esac
}

# fuzz_dicts TARGET: its dictionary files, one per line (libFuzzer takes one
# dictionary, so a target of both formats gets the two concatenated).
fuzz_dicts() {
    case "$1" in
    xml_reader | xml_vs_reference) echo fuzz/xml.dict ;;
    json_reader | same_in_both_formats | top_array) echo fuzz/json.dict ;;
    chunked_and_prefix | no_alloc | typed_view | records | classify)
        printf '%s\n' fuzz/xml.dict fuzz/json.dict
        ;;
    *)
        echo "fuzz/targets.sh: no dictionary listed for fuzz target '$1'" >&2
        return 1
        ;;
    esac
}

# fuzz_stage_seeds TARGET DIR: links every document of the target's seed
# folders into DIR (created), named after its path so that no two collide;
# licence, README and SOURCE files and `.expected` files are left out. Fails
# when a seed folder is missing or holds no document.
fuzz_stage_seeds() {
    local target="$1" out="$2" dir file n name
    local -a dirs
    mapfile -t dirs < <(fuzz_seed_dirs "$target") || return 1
    [ "${#dirs[@]}" -gt 0 ] || return 1
    mkdir -p "$out"
    for dir in "${dirs[@]}"; do
        if [ ! -d "$dir" ]; then
            echo "fuzz/targets.sh: seed folder $dir is missing" >&2
            return 1
        fi
        n=0
        for file in "$dir"/*; do
            case "$file" in
            *.xml | *.fodt | *.json) ;;
            *) continue ;;
            esac
            name="${file//\//_}"
            ln -sf "$PWD/$file" "$out/$name"
            n=$((n + 1))
        done
        if [ "$n" -eq 0 ]; then
            echo "fuzz/targets.sh: seed folder $dir holds no document" >&2
            return 1
        fi
    done
}

# fuzz_write_dict TARGET FILE: writes the target's dictionary to FILE.
fuzz_write_dict() {
    local -a dicts
    mapfile -t dicts < <(fuzz_dicts "$1") || return 1
    [ "${#dicts[@]}" -gt 0 ] || return 1
    cat "${dicts[@]}" >"$2"
}

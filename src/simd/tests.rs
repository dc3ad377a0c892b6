//! The block kernels against their byte-loop definitions, at every level
//! this CPU runs; the string state against a JSON string machine; the
//! prototype skip against the reader's skips.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::blocks::{
    brackets_block, json_block, json_spec, prefix_xor, xml_block, xml_spec, Brackets, JsonBlock,
    JsonBlocks, JsonCarry, XmlBlocks, BLOCK,
};
use super::level::{available, Level};
use super::skip::skip_container;
use crate::__simd_probe::{self as probe, SkipEnd};
use crate::MAX_DEPTH;

const CARRIES: [JsonCarry; 4] = [
    JsonCarry {
        escaped: false,
        in_string: false,
    },
    JsonCarry {
        escaped: true,
        in_string: false,
    },
    JsonCarry {
        escaped: false,
        in_string: true,
    },
    JsonCarry {
        escaped: true,
        in_string: true,
    },
];

fn levels() -> Vec<Level> {
    let all: Vec<Level> = available().collect();
    assert_eq!(all.first(), Some(&Level::PORTABLE), "portable always runs");
    all
}

/// Every byte value in every lane of a block, the other lanes one of a few
/// fillers, through every kernel and every carry. Under Miri, which is slow,
/// each byte value goes through one lane with one filler.
#[test]
fn every_byte_in_every_lane_agrees_with_the_definitions() {
    let fills: &[u8] = if cfg!(miri) {
        b"a"
    } else {
        b"a \"\\{\x00\x80\xFF"
    };
    for level in levels() {
        for lane in 0..BLOCK {
            for b in 0..=255u8 {
                if cfg!(miri) && usize::from(b) % BLOCK != lane {
                    continue;
                }
                for &fill in fills {
                    let mut block = [fill; BLOCK];
                    block[lane] = b;
                    for carry in CARRIES {
                        let (mut got_carry, mut want_carry) = (carry, carry);
                        let got = json_block(level, &block, &mut got_carry);
                        let want = json_spec(&block, &mut want_carry);
                        assert_eq!(
                            got, want,
                            "{level:?} lane {lane} byte {b:#04x} fill {fill:#04x} {carry:?}"
                        );
                        assert_eq!(got_carry, want_carry, "{level:?} lane {lane} byte {b:#04x}");
                        let mut bracket_carry = carry;
                        let outside = !want.in_string;
                        let brackets = Brackets {
                            open: want.raw.open & outside,
                            close: want.raw.close & outside,
                            stray: want.raw.backslash & outside,
                        };
                        assert_eq!(
                            brackets_block(level, &block, &mut bracket_carry),
                            brackets,
                            "{level:?} lane {lane} byte {b:#04x} {carry:?}"
                        );
                        assert_eq!(
                            bracket_carry, want_carry,
                            "{level:?} lane {lane} byte {b:#04x}"
                        );
                    }
                    assert_eq!(
                        xml_block(level, &block),
                        xml_spec(&block),
                        "{level:?} lane {lane} byte {b:#04x} fill {fill:#04x}"
                    );
                }
            }
        }
    }
}

#[test]
fn prefix_xor_is_a_running_parity() {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..200 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut want = 0u64;
        let mut parity = 0u64;
        for j in 0..64 {
            parity ^= x >> j & 1;
            want |= parity << j;
        }
        assert_eq!(prefix_xor(x), want, "{x:#x}");
    }
}

/// Deterministic bytes (xorshift) drawn from `alphabet`.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, alphabet: &[u8], len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

/// The masks of a cursor from `start`, block by block.
fn json_cursor(input: &[u8], start: usize, level: Level) -> Vec<(usize, JsonBlock)> {
    let mut blocks = JsonBlocks::new(input, start, level);
    let mut out = Vec::new();
    while let Some(b) = blocks.next_block() {
        out.push(b);
    }
    out
}

/// The definition's masks for the same blocks.
fn json_by_spec(input: &[u8], start: usize) -> Vec<(usize, JsonBlock)> {
    let mut carry = JsonCarry::default();
    let mut out = Vec::new();
    let mut at = start;
    while at < input.len() {
        let end = (at + BLOCK).min(input.len());
        out.push((at, json_spec(&input[at..end], &mut carry)));
        at = end;
    }
    out
}

/// Arbitrary bytes rich in the interesting ones, at every length up to 300
/// and many starting offsets (so every alignment of the loads and every
/// tail length), every level, against the definition block by block.
#[test]
fn documents_of_every_length_and_start_agree_with_the_definitions() {
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    let json_alphabet = b"\"\\\\\\{}[]:, a\n\t\x01\xC3";
    let xml_alphabet = b"<>&\"']= a\n\r\x01\xE4\x7F";
    let lens = if cfg!(miri) { 0..70 } else { 0..300 };
    for len in lens {
        let json = g.bytes(json_alphabet, len);
        let xml = g.bytes(xml_alphabet, len);
        for start in (0..=len.min(70)).step_by(if cfg!(miri) { 13 } else { 1 }) {
            let want = json_by_spec(&json, start);
            for level in levels() {
                assert_eq!(
                    json_cursor(&json, start, level),
                    want,
                    "{level:?} len {len} start {start}"
                );
                let mut blocks = XmlBlocks::new(&xml, start, level);
                let mut at = start;
                while let Some((got_at, got)) = blocks.next_block() {
                    let end = (at + BLOCK).min(len);
                    assert_eq!(
                        (got_at, got),
                        (at, xml_spec(&xml[at..end])),
                        "{level:?} len {len} start {start}"
                    );
                    at = end;
                }
                assert_eq!(at, len.max(start));
            }
        }
    }
}

/// Per byte: (inside a string, escaped) by a JSON string machine, where a
/// backslash escapes only inside strings. The masks agree with it wherever
/// backslashes stand only in strings, as in every valid document.
fn string_machine(input: &[u8], start: usize) -> Vec<(bool, bool)> {
    let (mut inside, mut escape) = (false, false);
    let mut out = Vec::new();
    for &b in &input[start..] {
        let escaped = escape;
        if escape {
            escape = false;
        } else if inside && b == b'\\' {
            escape = true;
        } else if b == b'"' {
            inside = !inside;
        }
        out.push((inside, escaped));
    }
    out
}

fn backslash_outside_strings(input: &[u8], start: usize) -> bool {
    string_machine(input, start)
        .iter()
        .zip(&input[start..])
        .any(|(&(inside, escaped), &b)| b == b'\\' && !inside && !escaped)
}

fn agree_with_string_machine(input: &[u8], start: usize, what: &str) {
    let want = string_machine(input, start);
    for level in levels() {
        for (at, block) in json_cursor(input, start, level) {
            for j in 0..BLOCK.min(input.len() - at) {
                let got = (block.in_string >> j & 1 == 1, block.escaped >> j & 1 == 1);
                assert_eq!(
                    got,
                    want[at - start + j],
                    "{what}: {level:?} byte {}",
                    at + j
                );
                let structural = block.structural_outside() >> j & 1 == 1;
                let b = input[at + j];
                assert_eq!(
                    structural,
                    !got.0 && b"{}[]:,".contains(&b),
                    "{what}: byte {}",
                    at + j
                );
                let quote = (block.raw.quote & !block.escaped) >> j & 1 == 1;
                assert_eq!(quote, b == b'"' && !got.1, "{what}: byte {}", at + j);
            }
        }
    }
}

/// Runs of 0 to 9 backslashes ending at every offset around the first two
/// block boundaries, inside strings, followed by a quote: whether the quote
/// closes the string depends on the run's parity across the boundary.
#[test]
fn backslash_runs_straddling_blocks_agree_with_the_string_machine() {
    let ends = if cfg!(miri) { 60..68 } else { 40..140 };
    for run in 0..10 {
        for end in ends.clone() {
            let mut doc = alloc::vec![b' '; 2];
            doc.extend_from_slice(b"[\"");
            doc.resize(end.max(doc.len() + run) - run, b'x');
            doc.extend(core::iter::repeat(b'\\').take(run));
            // An odd run escapes this quote, and the next one closes the string.
            doc.push(b'"');
            if run % 2 == 1 {
                doc.push(b'"');
            }
            doc.extend_from_slice(b" ,{\"k\":\"\\\\\"}]  ");
            assert!(!backslash_outside_strings(&doc, 0));
            for start in [0, 1, 2] {
                agree_with_string_machine(&doc, start, &alloc::format!("run {run} end {end}"));
            }
        }
    }
}

/// Random JSON-like token streams whose backslashes are all in strings.
#[test]
fn random_strings_agree_with_the_string_machine() {
    let mut g = Gen(0xD1B5_4A32_D192_ED03);
    let pieces: &[&[u8]] = &[b"a", b"\\\\", b"\\\"", b"\\n", b"\\u00e9", b"{", b":", b" "];
    for _ in 0..if cfg!(miri) { 20 } else { 400 } {
        let mut doc = Vec::new();
        for _ in 0..g.below(40) {
            match g.below(4) {
                0 => doc.push(b"{}[]:, \n"[g.below(8)]),
                _ => {
                    doc.push(b'"');
                    for _ in 0..g.below(30) {
                        doc.extend_from_slice(pieces[g.below(pieces.len())]);
                    }
                    doc.push(b'"');
                }
            }
        }
        agree_with_string_machine(
            &doc,
            0,
            &alloc::format!("{:?}", alloc::string::String::from_utf8_lossy(&doc)),
        );
    }
}

fn corpus(format: &str) -> Vec<(alloc::string::String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["valid", "invalid"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(format)
            .join(dir);
        let entries =
            std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == format) {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    assert!(
        out.len() > 20,
        "the {format} corpus is missing: {} files",
        out.len()
    );
    out
}

/// Every corpus document, every level: the definitions, and for JSON the
/// string machine where no backslash stands outside a string.
#[cfg(not(miri))]
#[test]
fn corpus_documents_agree_with_the_definitions() {
    for (name, doc) in corpus("json") {
        for level in levels() {
            assert_eq!(
                json_cursor(&doc, 0, level),
                json_by_spec(&doc, 0),
                "{name} {level:?}"
            );
        }
        if !backslash_outside_strings(&doc, 0) {
            agree_with_string_machine(&doc, 0, &name);
        }
    }
    for (name, doc) in corpus("xml") {
        for level in levels() {
            let mut blocks = XmlBlocks::new(&doc, 0, level);
            while let Some((at, got)) = blocks.next_block() {
                let end = (at + BLOCK).min(doc.len());
                assert_eq!(got, xml_spec(&doc[at..end]), "{name} {level:?} at {at}");
            }
        }
    }
}

/// The prototype skip against the reader's `Skim` skip at every container
/// outside a string of `doc` (and against the `Full` skip where that one
/// accepts), at every level.
fn skips_agree(doc: &[u8], room: usize, what: &str) -> usize {
    let machine = string_machine(doc, 0);
    let mut checked = 0;
    for (p, &b) in doc.iter().enumerate() {
        if !matches!(b, b'{' | b'[') || machine[p].0 || machine[p].1 {
            continue;
        }
        // Miri is slow: a sample of the starts.
        if cfg!(miri) && p % 16 != 0 {
            continue;
        }
        let skim = probe::skip_skim(doc, p, room);
        let full = probe::skip_full(doc, p, room);
        for level in levels() {
            let got = skip_container(doc, p, room, level);
            assert_eq!(got, skim, "{what}: {level:?} at {p}");
            if let Some(end) = full {
                assert_eq!(got, SkipEnd::End(end), "{what}: {level:?} at {p} (full)");
            }
        }
        checked += 1;
    }
    checked
}

#[cfg(not(miri))]
#[test]
fn the_mask_skip_agrees_with_the_readers_skips_on_the_corpus() {
    let mut checked = 0;
    for (name, doc) in corpus("json") {
        if backslash_outside_strings(&doc, 0) {
            continue;
        }
        checked += skips_agree(&doc, MAX_DEPTH, &name);
        checked += skips_agree(&doc, 3, &name);
    }
    assert!(checked > 500, "only {checked} containers");
}

#[test]
fn the_mask_skip_agrees_on_deep_and_unclosed_containers() {
    let deep: Vec<u8> = core::iter::repeat(b'[')
        .take(150)
        .chain(core::iter::repeat(b']').take(150))
        .collect();
    let rooms: &[usize] = if cfg!(miri) {
        &[2, 64, 151]
    } else {
        &[1, 2, 63, 64, 65, 100, 149, 150, 151]
    };
    for &room in rooms {
        skips_agree(&deep, room, &alloc::format!("deep, room {room}"));
    }
    skips_agree(&deep[..149], MAX_DEPTH, "unclosed");
    skips_agree(
        br#"{"a": "}\"]", "b": [1, {"c": "\\"}], "d": "["}"#,
        MAX_DEPTH,
        "strings",
    );
    skips_agree(br#"{"a": "unterminated ]}"#, MAX_DEPTH, "unterminated");
    assert_eq!(
        skip_container(b" {}", 0, 5, Level::PORTABLE),
        SkipEnd::NotAContainer
    );
    assert_eq!(probe::skip_skim(b" {}", 0, 5), SkipEnd::NotAContainer);
}

#[test]
fn random_token_streams_skip_alike() {
    let mut g = Gen(0x9E6C_63D0_676A_9A99);
    let pieces: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b" ",
        b"1",
        b"\"x\"",
        b"\"\\\\\"",
        b"\"\\\"]\"",
        b"\"{\"",
    ];
    for round in 0..if cfg!(miri) { 10 } else { 1500 } {
        let mut doc = Vec::new();
        for _ in 0..g.below(120) {
            doc.extend_from_slice(pieces[g.below(pieces.len())]);
        }
        skips_agree(&doc, 1 + g.below(8), &alloc::format!("round {round}"));
    }
}

/// The readers' `Skim` skip (the masks at the AVX2 level, the byte loop for
/// what they leave) against the byte loop alone: the same end or the same
/// error kind and offset, from every `{` and `[` of the corpus (inside
/// strings too) and of documents where the two ways differ (backslashes
/// outside strings, unclosed strings and containers, depth limits).
#[cfg(not(miri))]
#[test]
fn the_readers_skim_skip_is_the_byte_loops() {
    // Choose the level, as `Options::with_validation(Skim)` does.
    crate::simd::level::level();
    let mut docs = corpus("json");
    for extra in [
        &br#"[\"]"]"#[..],
        br#"[\]]"#,
        br#"{"a": [1, \]], "b": "\\"}"#,
        br#"[ "\\\"", \\", ]]"#,
        br#"{"a": "unterminated ]}"#,
        br#"[[[[[[[[[[]]]]]]]]]]"#,
        br#"[[[[[[[[[["#,
        br#"["\"#,
    ] {
        docs.push(("extra".into(), extra.to_vec()));
    }
    let long: Vec<u8> = core::iter::repeat(&br#"{"k": ["v\"]", 1, {}], "\\": 2},"#[..])
        .take(40)
        .flatten()
        .copied()
        .collect();
    let mut long_doc = b"[".to_vec();
    long_doc.extend_from_slice(&long);
    long_doc.extend_from_slice(b"0]");
    docs.push(("long".into(), long_doc.clone()));
    let mut stray = long_doc.clone();
    stray.insert(700, b'\\');
    docs.push(("long, a stray backslash".into(), stray));
    let mut checked = 0;
    for (name, doc) in &docs {
        for (p, &b) in doc.iter().enumerate() {
            if !matches!(b, b'{' | b'[') {
                continue;
            }
            for (depth, max_depth) in [(0, MAX_DEPTH), (1, 3), (0, 1), (5, 4)] {
                let [got, want] = probe::skim_both(doc, p, depth, max_depth);
                assert_eq!(got, want, "{name} at {p}, depth {depth} of {max_depth}");
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} containers");
}

/// The sweep the stop kernels (`string.rs`, `text.rs`) are tested with:
/// every byte value at every position of a `size`-byte input, from offset
/// 0; then each of `edges` (the bytes near the class's edges) at every
/// position of inputs of each length in `lens` (the loops' and the tail's
/// boundaries), from every offset up to 70 (every alignment). Each time,
/// `kernel(input, from, level)` at every available level must stop where
/// `spec(input, from)`, the definition, does. Under Miri (the portable level
/// only, where the kernel is the definition, so the sweep is for memory
/// safety) a sample: positions, bytes and offsets by 37, `lens` and `edges`
/// by `miri_sparse`.
pub(super) fn stop_sweep(
    size: usize,
    lens: &[usize],
    edges: &[u8],
    miri_sparse: usize,
    spec: impl Fn(&[u8], usize) -> usize,
    kernel: impl Fn(&[u8], usize, Level) -> usize,
) {
    let levels: Vec<Level> = available().collect();
    let check = |input: &[u8], k: usize| {
        let want = spec(input, k);
        for &level in &levels {
            let n = input.len();
            assert_eq!(
                kernel(input, k, level),
                want,
                "{level:?}, {n} bytes, from {k}: {input:?}"
            );
        }
    };
    let step = if cfg!(miri) { 37 } else { 1 };
    let sparse = if cfg!(miri) { miri_sparse } else { 1 };
    let mut buf = alloc::vec![b'a'; size];
    for at in (0..size).step_by(step) {
        for b in (0..=255u8).step_by(step) {
            buf.fill(b'a');
            buf[at] = b;
            check(&buf, 0);
        }
    }
    for &len in lens.iter().step_by(sparse) {
        for at in (0..len.max(1)).step_by(step) {
            for &b in edges.iter().step_by(sparse) {
                buf.fill(b'a');
                if let Some(slot) = buf.get_mut(at) {
                    *slot = b;
                }
                for k in (0..=len.min(70) + 2).step_by(step) {
                    check(&buf[..len], k);
                }
            }
        }
    }
}

//! Builds one input that traps naive scanners into quadratic time, at a size
//! given on the command line, extracts from it once and prints the answer.
//!
//! ```text
//! cargo run --release -p wanxiang-bench --example linear -- TRAP N [skim]
//! cargo run --release -p wanxiang-bench --example linear -- list
//! ```
//!
//! `scripts/linear-time.sh` runs it under callgrind at N and 4N and prints
//! the ratio of instruction counts (≈ 4 is linear, 16 would be quadratic).
//! Only [`extract_once`] is measured there (`--toggle-collect`), so building
//! the input does not count.

use std::hint::black_box;
use std::process::ExitCode;

use wanxiang::{Limits, Options, PathSet, Validation};

/// Every trap: its name, what it is, and the paths extracted from it. XML
/// traps sit inside `<x>` and most JSON ones inside `"x"`, which no path
/// names, so they are skipped: checked in `Full`, followed in `Skim`.
const TRAPS: &[(&str, &str, &[&str])] = &[
    ("lt", "N `<` with no `>`", &["Code"]),
    (
        "lt-attr",
        "N `<a x='` tags opened and never closed",
        &["Code"],
    ),
    ("lt-pi", "N `<` inside a PI that is never closed", &["Code"]),
    ("amp", "N `&` with no `;`", &["Code"]),
    (
        "cr-spaced",
        "N/100 lines of 98 bytes and `\\r\\n`, in the value of the path",
        &["x"],
    ),
    (
        "amp-spaced",
        "N/100 runs of 95 bytes and `&amp;`, in the value of the path",
        &["x"],
    ),
    (
        "ef-spaced",
        "`é`, then N/100 runs of 97 bytes and a full-width comma (`EF BC 8C`), in the value of the path",
        &["x"],
    ),
    (
        "esc-spaced-json",
        "N/100 runs of 98 bytes and a `\\n` escape in one skipped JSON string",
        &["Code"],
    ),
    ("amp-name", "one `&` then an N-byte name, no `;`", &["Code"]),
    ("charref", "`&#` then N digits, no `;`", &["Code"]),
    (
        "backslash",
        "two JSON strings of N backslashes each",
        &["Code"],
    ),
    (
        "backslash-open",
        "N+1 backslashes, string never closed",
        &["Code"],
    ),
    (
        "near-miss-xml",
        "N siblings named like `Code`, none equal",
        &["Code"],
    ),
    (
        "near-miss-json",
        "N keys named like `Code`, none equal",
        &["Code"],
    ),
    (
        "escaped-keys",
        "N escaped keys decoding near `Code`",
        &["Code"],
    ),
    (
        "repeat-xml",
        "`Code` as N siblings, path `Code.#`",
        &["Code.#"],
    ),
    (
        "repeat-json",
        "N items in one array, path `Code.#`",
        &["Code.#"],
    ),
    (
        "repeat-keys",
        "the key `Code` N times, path `Code.#`",
        &["Code.#"],
    ),
    (
        "deep-xml",
        "N/128 siblings, each 127 levels deep",
        &["a.#.a.a.#"],
    ),
    ("deep-json", "N/128 arrays, each 126 levels deep", &["a.#"]),
    (
        "attrs",
        "64 attributes (the limit) with N bytes of values",
        &["@z"],
    ),
    (
        "utf8-late",
        "N valid elements, then one invalid byte",
        &["Code"],
    ),
    (
        "wrapper-miss",
        "a `Response` wrapper with N members, then a 2nd key",
        &["k"],
    ),
];

/// The input of `trap` at size `n`.
fn build(trap: &str, n: usize) -> Option<Vec<u8>> {
    let near = [
        "Cod", "Codf", "CodeX", "code", "CODE", "Codd", "xCode", "Cde",
    ];
    let even = "\\".repeat(n / 2);
    // N/100 units of 100 bytes: `a`s, then `rare`.
    let spaced = |rare: &str| format!("{}{rare}", "a".repeat(100 - rare.len())).repeat(n / 100);
    let s = match trap {
        "lt" => format!("<R><x>{}", "<".repeat(n)),
        "lt-attr" => format!("<R><x>{}", "<a x='".repeat(n)),
        "lt-pi" => format!("<R><x><?p {}", "<".repeat(n)),
        "amp" => format!("<R><x>{}</x></R>", "&".repeat(n)),
        "amp-name" => format!("<R><x>&{}</x></R>", "a".repeat(n)),
        "charref" => format!("<R><x>&#{}</x></R>", "1".repeat(n)),
        // Rare bytes farther apart than the scanners' short run (64 bytes),
        // so each one is found by the long-run search.
        "cr-spaced" => format!("<R><x>{}</x></R>", spaced("\r\n")),
        "amp-spaced" => format!("<R><x>{}</x></R>", spaced("&amp;")),
        "ef-spaced" => format!("<R><x>\u{e9}{}</x></R>", spaced("\u{ff0c}")),
        "esc-spaced-json" => format!("{{\"x\": \"{}\"}}", spaced("\\n")),
        "backslash" => format!("{{\"Code\": \"{even}\", \"x\": \"{even}\"}}"),
        "backslash-open" => format!("{{\"x\": \"{even}\\\"}}"),
        "near-miss-xml" => {
            let mut s = String::from("<R>");
            for i in 0..n {
                let name = near[i % near.len()];
                s += &format!("<{name}>v</{name}>");
            }
            s + "</R>"
        }
        "near-miss-json" => {
            let mut s = String::from("{");
            for i in 0..n {
                s += &format!("\"{}\": 1, ", near[i % near.len()]);
            }
            s + "\"end\": 0}"
        }
        "escaped-keys" => {
            let near = ["Co\\u0064", "Co\\u0064f", "\\u0043odeX", "co\\u0064e"];
            let mut s = String::from("{");
            for i in 0..n {
                s += &format!("\"{}\": 1, ", near[i % near.len()]);
            }
            s + "\"end\": 0}"
        }
        "repeat-xml" => format!("<R>{}</R>", "<Code>v</Code>".repeat(n)),
        "repeat-json" => format!("{{\"Code\": [{}1]}}", "1, ".repeat(n - 1)),
        "repeat-keys" => format!("{{{}\"end\": 0}}", "\"Code\": 1, ".repeat(n)),
        "deep-xml" => {
            // The root is level 1: 127 more reach the default limit of 128.
            let one = format!("{}{}", "<a>".repeat(127), "</a>".repeat(127));
            format!("<R>{}</R>", one.repeat(n / 128))
        }
        "deep-json" => {
            // The object is level 1 and the list level 2: 126 more reach 128.
            let one = format!("{}{}", "[".repeat(126), "]".repeat(126));
            let items = vec![one; n / 128].join(",");
            format!("{{\"a\": [{items}]}}")
        }
        "attrs" => {
            let value = "v".repeat(n / 64);
            let attrs: String = (0..64).map(|i| format!(" a{i}='{value}'")).collect();
            format!("<R{attrs}/>")
        }
        "utf8-late" => {
            let mut s = format!("<R>{}</R>", "<a>v</a>".repeat(n)).into_bytes();
            s.push(0xFF);
            return Some(s);
        }
        "wrapper-miss" => format!(
            "{{\"Response\": {{{}\"e\": 0}}, \"x\": 1}}",
            "\"k\": [1], ".repeat(n)
        ),
        _ => return None,
    };
    Some(s.into_bytes())
}

/// The one measured call: an extraction that only counts what it finds.
#[inline(never)]
fn extract_once(set: &PathSet, input: &[u8], options: &Options) -> (usize, Result<(), String>) {
    let mut found = 0usize;
    let result = set.visit(black_box(input), options, |_| found += 1);
    (
        found,
        result
            .map(|_| ())
            .map_err(|e| format!("{:?} at {}", e.kind(), e.offset())),
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for (name, what, paths) in TRAPS {
            println!("{name:15} {what} (paths {paths:?})");
        }
        return ExitCode::SUCCESS;
    }
    let (Some(trap), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: linear TRAP N [skim]   (linear list: the traps)");
        return ExitCode::from(2);
    };
    let Some(&(_, _, paths)) = TRAPS.iter().find(|t| t.0 == trap) else {
        eprintln!("unknown trap {trap:?} (linear list: the traps)");
        return ExitCode::from(2);
    };
    let Some(input) = build(trap, n.max(1)) else {
        return ExitCode::from(2);
    };
    let skim = args.get(2).map(String::as_str) == Some("skim");
    // Lists longer than the default item limit are the point here.
    let options = Options::new()
        .limits(Limits::default().with_max_items(usize::MAX))
        .validation(if skim {
            Validation::Skim
        } else {
            Validation::Full
        });
    let set = match PathSet::compile(paths) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("bad paths: {e}");
            return ExitCode::from(2);
        }
    };
    let (found, result) = extract_once(&set, &input, &options);
    let mode = if skim { "skim" } else { "full" };
    match result {
        Ok(()) => println!(
            "{trap} n={n} {mode} bytes={}: ok, {found} values",
            input.len()
        ),
        Err(e) => println!(
            "{trap} n={n} {mode} bytes={}: error {e}, {found} values",
            input.len()
        ),
    }
    ExitCode::SUCCESS
}

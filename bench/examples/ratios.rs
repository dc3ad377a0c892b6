//! Prints the ratio table of issue 4 from criterion's results, as markdown.
//!
//! ```text
//! cargo bench -p wanxiang-bench --bench extract --bench sweeps
//! cargo run -p wanxiang-bench --example ratios [CRITERION_DIR...]
//! ```
//!
//! `CRITERION_DIR` defaults to `$CARGO_TARGET_DIR/criterion`, else
//! `target/criterion`. Every number is the median point estimate of
//! `<group>/<impl>/<workload>/new/estimates.json`; a ratio `peer / ours` above
//! 1 means we are faster. Only ratios from one run mean anything on a shared
//! machine: absolute times drift up to 2x between runs.
//!
//! With several directories (copies of `criterion/` from repeated runs of the
//! same build), each benchmark's time is the lowest of its medians: on a
//! machine shared with compilers the noise only ever adds time, so the
//! lowest median is the least disturbed one.

use wanxiang_bench as support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use support::{RatioFloor, RATIO_FLOORS};

/// One measurement: median time in ns and input bytes.
#[derive(Debug, Clone, Copy)]
struct M {
    ns: f64,
    bytes: u64,
}

struct Results {
    dirs: Vec<PathBuf>,
}

impl Results {
    /// The lowest median over the directories that have this benchmark.
    fn get(&self, group: &str, id: &str, workload: &str) -> Option<M> {
        self.dirs
            .iter()
            .filter_map(|d| Self::get_in(d, group, id, workload))
            .min_by(|a, b| a.ns.total_cmp(&b.ns))
    }

    fn get_in(dir: &Path, group: &str, id: &str, workload: &str) -> Option<M> {
        let base = dir.join(group).join(id).join(workload).join("new");
        let est = read_json(&base.join("estimates.json"))?;
        let ns = est.get("median")?.get("point_estimate")?.as_f64()?;
        let bench = read_json(&base.join("benchmark.json"))?;
        let bytes = bench
            .get("throughput")
            .and_then(|t| t.get("Bytes"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        Some(M { ns, bytes })
    }

    /// The implementations measured in `group`, in directory order.
    fn ids(&self, group: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d.join(group)).ok())
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "report")
            .collect();
        ids.sort_by_key(|id| (rank(id), id.clone()));
        ids.dedup();
        ids
    }
}

/// Ours first, then peers, then the limits (physical, and the non-validating scan).
fn rank(id: &str) -> u8 {
    if id.starts_with("ours") {
        0
    } else if id == "from-utf8" || id == "memchr" || id == "limit-scan" {
        2
    } else {
        1
    }
}

fn read_json(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn time(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn rate(m: M) -> String {
    if m.bytes == 0 {
        return String::from("–");
    }
    let gbs = m.bytes as f64 / m.ns; // bytes per ns = GB/s
    if gbs >= 1.0 {
        format!("{gbs:.2} GB/s")
    } else {
        format!("{:.0} MB/s", gbs * 1e3)
    }
}

fn ratio(peer: Option<M>, ours: Option<M>) -> String {
    match (peer, ours) {
        (Some(p), Some(o)) => format!("{:.2}×", p.ns / o.ns),
        _ => String::from("–"),
    }
}

/// A single-workload group: one row per implementation.
fn workload_table(r: &Results, out: &mut String, group: &str, workload: &str) {
    let ids = r.ids(group);
    if ids.is_empty() {
        return;
    }
    let full = r.get(group, "ours-full", workload);
    let skim = r.get(group, "ours-skim", workload);
    let bytes = full.map_or(0, |m| m.bytes);
    let _ = writeln!(out, "\n### `{group}` ({bytes} bytes)\n");
    let _ = writeln!(
        out,
        "| implementation | median | throughput | time / ours Full | time / ours Skim |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for id in &ids {
        let Some(m) = r.get(group, id, workload) else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {id} | {} | {} | {} | {} |",
            time(m.ns),
            rate(m),
            ratio(Some(m), full),
            ratio(Some(m), skim)
        );
    }
}

/// A sweep group: one row per workload, ours' times and each peer's ratio.
fn sweep_table(r: &Results, out: &mut String, group: &str, params: &[&str], unit: &str) {
    let ids = r.ids(group);
    if ids.is_empty() {
        return;
    }
    let peers: Vec<&String> = ids.iter().filter(|id| !id.starts_with("ours")).collect();
    let _ = writeln!(out, "\n### `{group}`\n");
    let mut head = format!("| {unit} | bytes | ours Full | Full ns/B | ours Skim |");
    let mut rule = String::from("|---:|---:|---:|---:|---:|");
    for p in &peers {
        let _ = write!(head, " {p} / Full |");
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for param in params {
        let full = r.get(group, "ours-full", param);
        let skim = r.get(group, "ours-skim", param);
        let Some(f) = full else { continue };
        let mut row = format!(
            "| {param} | {} | {} | {:.2} | {} |",
            f.bytes,
            time(f.ns),
            f.ns / f.bytes.max(1) as f64,
            skim.map_or(String::from("–"), |m| time(m.ns))
        );
        for p in &peers {
            let _ = write!(row, " {} |", ratio(r.get(group, p, param), full));
        }
        let _ = writeln!(out, "{row}");
    }
}

/// One floor of issue 4.
struct Floor {
    what: String,
    measured: Option<f64>,
    target: String,
    pass: Option<bool>,
}

/// A floor of [`RATIO_FLOORS`] from criterion's medians. The workload of a
/// group of `benches/extract.rs` is its name without the format
/// (`seed-xml` → `seed`).
fn ratio_floor(r: &Results, f: &RatioFloor) -> Floor {
    let workload = f.group.rsplit_once('-').map_or(f.group, |(w, _)| w);
    let measured = match (
        r.get(f.group, f.slow, workload),
        r.get(f.group, f.fast, workload),
    ) {
        (Some(s), Some(q)) => Some(s.ns / q.ns),
        _ => None,
    };
    Floor {
        what: f.name(),
        measured,
        target: f.bound.to_string(),
        pass: measured.map(|m| f.bound.holds(m)),
    }
}

/// Time per byte of ours across the jobs sweep: the largest deviation from
/// the mean time per byte of the four sizes.
fn linear(r: &Results, group: &str, id: &str) -> Floor {
    let per_byte: Option<Vec<f64>> = JOBS
        .iter()
        .map(|p| r.get(group, id, p).map(|m| m.ns / m.bytes.max(1) as f64))
        .collect();
    let measured = per_byte.map(|v| {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x / mean - 1.0).abs()).fold(0.0, f64::max)
    });
    let mode = if id == "ours-full" { "Full" } else { "Skim" };
    Floor {
        what: format!("`{group}`: ours {mode} ns/B, max deviation from the mean over 1…1000 jobs"),
        measured: measured.map(|m| m * 100.0),
        target: String::from("≤ 30%"),
        pass: measured.map(|m| m <= 0.30),
    }
}

const JOBS: &[&str] = &["1", "10", "100", "1000"];
const FIELDS: &[&str] = &["1", "7", "25"];

fn main() {
    let mut dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from);
        dirs.push(target.join("criterion"));
    }
    for dir in &dirs {
        if !dir.is_dir() {
            eprintln!(
                "ratios: no criterion results at {} (run `cargo bench -p wanxiang-bench` first, or pass the directory)",
                dir.display()
            );
            std::process::exit(2);
        }
    }
    let runs = dirs.len();
    let r = Results { dirs };
    let mut out = String::new();
    if runs > 1 {
        let _ = writeln!(out, "Each time: the lowest median of {runs} runs.\n");
    }

    let mut floors: Vec<Floor> = RATIO_FLOORS.iter().map(|f| ratio_floor(&r, f)).collect();
    floors.push(linear(&r, "jobs-xml", "ours-full"));
    floors.push(linear(&r, "jobs-json", "ours-full"));
    let _ = writeln!(out, "## Floors (issue 4)\n");
    let _ = writeln!(out, "| floor | measured | target | |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for f in &floors {
        let measured = match f.measured {
            Some(m) if f.target.ends_with('%') => format!("{m:.0}%"),
            Some(m) => format!("{m:.2}×"),
            None => String::from("not measured"),
        };
        let verdict = match f.pass {
            Some(true) => "pass",
            Some(false) => "**FAIL**",
            None => "–",
        };
        let _ = writeln!(
            out,
            "| {} | {measured} | {} | {verdict} |",
            f.what, f.target
        );
    }

    let _ = writeln!(out, "\n## Workloads");
    for (group, workload) in [
        ("seed-xml", "seed"),
        ("seed-json", "seed"),
        ("jobs100-xml", "jobs100"),
        ("jobs100-json", "jobs100"),
        ("userdata64k-xml", "userdata64k"),
        ("userdata64k-json", "userdata64k"),
    ] {
        workload_table(&r, &mut out, group, workload);
    }
    let _ = writeln!(out, "\n## Sweeps");
    sweep_table(&r, &mut out, "jobs-xml", JOBS, "jobs");
    sweep_table(&r, &mut out, "jobs-json", JOBS, "jobs");
    sweep_table(&r, &mut out, "fields-xml", FIELDS, "paths");
    sweep_table(&r, &mut out, "fields-json", FIELDS, "paths");
    print!("{out}");
}

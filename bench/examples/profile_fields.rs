//! What recording more fields costs the path engine itself: a `PathSet`
//! extraction, on the seed, of the first `K` of the paths the typed view
//! records for a callback (`EventName`, then the six job fields of the
//! bench's seven paths, then every other job field the typed view knows,
//! then the whole `JobsDetail.Input` container). With `K` = 7 it is the
//! bench's `ours-full`/`ours-skim`; with `K` = all it records what
//! `Callback::parse` records, through a `PathSet` instead of the schema.
//!
//! ```text
//! cargo build --profile bench -p wanxiang-bench --example profile_fields
//! B=target/release/examples/profile_fields
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/f.1 $B xml full 7 1000
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/f.2 $B xml full 7 3000
//! # instructions per document = (Ir of run 2 - Ir of run 1) / 2000
//! ```
//!
//! Arguments: `xml|json|jobs100-xml|jobs100-json`, `full|skim`, `K` (a
//! number, or `all`), `N`. On the 100 jobs the job paths take every item
//! (`JobsDetail.#.JobId`, ...), as `Callback::parse_each_job` reads them;
//! `K` = 3 is then the bench's `EVERY_JOB` (after `EventName`).

use std::hint::black_box;

use wanxiang::{Hit, JobField, Options, PathSet, Validation};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: profile_fields xml|json|jobs100-xml|jobs100-json full|skim K|all N");
        std::process::exit(2);
    }
    let (input, every) = match args[1].as_str() {
        "xml" => (wanxiang_bench::SEED_XML.to_vec(), false),
        "json" => (wanxiang_bench::seed_json_strict(), false),
        "jobs100-xml" => (wanxiang_bench::jobs_xml(100), true),
        "jobs100-json" => (wanxiang_bench::jobs_json(100), true),
        other => panic!("unknown workload {other}"),
    };
    let validation = match args[2].as_str() {
        "full" => Validation::Full,
        "skim" => Validation::Skim,
        other => panic!("unknown mode {other}"),
    };
    let paths = paths(every);
    let k = match args[3].as_str() {
        "all" => paths.len(),
        k => k.parse::<usize>().expect("K").min(paths.len()),
    };
    let n: usize = args[4].parse().expect("N");
    let set = PathSet::compile(&paths[..k]).expect("paths");
    let options = Options::default().with_validation(validation);
    let mut slots = vec![Hit::EMPTY; 64 * 100];
    let mut values = 0;
    for _ in 0..n {
        let found = set
            .extract_with(black_box(&input[..]), &options, &mut slots)
            .expect("extraction");
        values += found.hits().len();
    }
    println!("{k} paths: {values} values in {n} documents");
}

/// `EventName`, the six job fields of the bench's seven paths (with
/// `every`: `JobId` and `State`, then the other four), every other job
/// field, and the `Input` container, each below `JobsDetail` (with `every`:
/// `JobsDetail.#`).
fn paths(every: bool) -> Vec<String> {
    let jobs = if every { "JobsDetail.#" } else { "JobsDetail" };
    let mut paths = vec!["EventName".to_string()];
    let first = wanxiang_bench::SEVEN.iter().skip(1);
    for path in first.map(|p| p.trim_start_matches("JobsDetail.")) {
        paths.push(format!("{jobs}.{path}"));
    }
    for field in JobField::ALL {
        let path = format!("{jobs}.{}", field.path());
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths.push(format!("{jobs}.Input"));
    paths
}

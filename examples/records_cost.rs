//! Runs one extraction N times, for comparing the instruction count of
//! records with a plain `PathSet` over the same fields under callgrind.
//!
//! ```text
//! cargo build --release --example records_cost
//! B=target/release/examples/records_cost
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.1 $B records full corpus/xml/valid/seed.xml 1000
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.2 $B records full corpus/xml/valid/seed.xml 2000
//! # instructions per document = (Ir of run 2 - Ir of run 1) / 1000
//! ```
//!
//! `WHAT` is `plain` (a `PathSet` of `JobsDetail.#.<field>`) or `records`
//! (a `RecordSet` of `JobsDetail` and the fields); `MODE` is `full` or
//! `skim`; `FILE` a document, or `jobs100-xml`/`jobs100-json` for a
//! generated document of 100 jobs (every other one without an output).
//! Each run reads every value it found, so both do the same work.

use wanxiang::{Hit, Options, PathSet, RecordSet, Validation};

const FIELDS: [&str; 5] = [
    "JobId",
    "State",
    "Code",
    "Operation.Output.Object",
    "Input.CosHeaders.#.Key",
];

fn jobs100(xml: bool) -> Vec<u8> {
    let mut s = String::new();
    s.push_str(if xml {
        "<Response><EventName>TaskFinish</EventName>"
    } else {
        "{\"EventName\": \"TaskFinish\", \"JobsDetail\": ["
    });
    for k in 0..100 {
        let out = if k % 2 == 0 {
            String::new()
        } else if xml {
            format!("<Operation><Output><Object>out/{k}.pdf</Object></Output></Operation>")
        } else {
            format!(", \"Operation\": {{\"Output\": {{\"Object\": \"out/{k}.pdf\"}}}}")
        };
        if xml {
            s.push_str(&format!(
                "<JobsDetail><Code>Success</Code><JobId>j{k:031}</JobId><State>Success</State>\
                 <Tag>Translation</Tag>{out}</JobsDetail>"
            ));
        } else {
            let comma = if k == 0 { "" } else { ", " };
            s.push_str(&format!(
                "{comma}{{\"Code\": \"Success\", \"JobId\": \"j{k:031}\", \"State\": \"Success\", \
                 \"Tag\": \"Translation\"{out}}}"
            ));
        }
    }
    s.push_str(if xml { "</Response>" } else { "]}" });
    s.into_bytes()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: records_cost plain|records full|skim FILE N");
        std::process::exit(2);
    }
    let options = match args[2].as_str() {
        "full" => Options::new().validation(Validation::Full),
        "skim" => Options::new().validation(Validation::Skim),
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    };
    let input = match args[3].as_str() {
        "jobs100-xml" => jobs100(true),
        "jobs100-json" => jobs100(false),
        file => std::fs::read(file).expect("document"),
    };
    let n: usize = args[4].parse().expect("N");
    let mut slots = vec![Hit::EMPTY; 4096];
    let mut sum = 0usize;
    match args[1].as_str() {
        "plain" => {
            let paths: Vec<String> = FIELDS.iter().map(|f| format!("JobsDetail.#.{f}")).collect();
            let set = PathSet::compile(&paths).expect("paths");
            for _ in 0..n {
                let found = set
                    .extract_with(std::hint::black_box(&input), &options, &mut slots)
                    .expect("extract");
                for h in found.hits() {
                    sum += h.text().raw().len();
                }
            }
        }
        "records" => {
            let set = RecordSet::compile("JobsDetail", FIELDS).expect("fields");
            for _ in 0..n {
                let records = set
                    .extract_with(std::hint::black_box(&input), &options, &mut slots)
                    .expect("extract");
                for r in records.iter() {
                    for h in r.hits() {
                        sum += h.text().raw().len();
                    }
                }
            }
        }
        other => {
            eprintln!("unknown kind {other}");
            std::process::exit(2);
        }
    }
    println!("{} x {n} on {} bytes: {sum}", args[1], input.len());
}

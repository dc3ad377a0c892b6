//! Allocations of the typed view, counted by a global allocator.
//!
//! - `Callback` (borrowed): parsing, iterating jobs, tasks and headers,
//!   every accessor, typed values and raw paths allocate **nothing**, on
//!   every valid corpus document.
//! - `OwnedCallback`: parsing allocates **exactly once**, the span table, of
//!   `16 + index_size()` bytes; reading it afterwards allocates nothing.
//!
//! Counting is per thread (the test harness allocates on its own threads)
//! and only inside `measure`.

mod support;

use bytes::Bytes;
use serde_json::Value;
use support::counting::{measure, Counting};
use wanxiang::{Callback, JobField, JobFields, Options, OwnedCallback, TaskField, WorkflowField};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Everything a receiver would read from a callback; returns a checksum so
/// nothing is optimised away.
fn read_everything(cb: &Callback<'_>) -> usize {
    let mut sum = cb.event().is_some() as usize + cb.job_count();
    for job in cb.jobs() {
        for &f in JobField::ALL {
            sum += job.text(f).map_or(0, |t| t.raw().len());
            sum += job.field(f).map_or(0, |h| h.offset());
            // Comparison and formatting-free checks never allocate.
            sum += job.text(f).is_some_and(|t| t == "Success") as usize;
        }
        sum += job.state().is_some() as usize;
        sum += job
            .creation_time()
            .ok()
            .flatten()
            .map_or(0, |t| t.unix() as usize);
        sum += job.start_time().is_ok() as usize + job.end_time().is_ok() as usize;
        sum += job.job_level().ok().flatten().unwrap_or(0) as usize;
        for h in job.cos_headers() {
            sum += h.key.map_or(0, |t| t.raw().len()) + h.value.map_or(0, |t| t.raw().len());
        }
        for p in [
            "Operation.MediaInfo.Format.Duration",
            "Input.CosHeaders.#.Key",
            "@id",
        ] {
            sum += job.get(p).ok().flatten().map_or(0, |h| h.offset());
        }
        sum += job.raw().len();
    }
    if let Some(wf) = cb.workflow() {
        for &f in WorkflowField::ALL {
            sum += wf.text(f).map_or(0, |t| t.raw().len());
        }
        sum += wf.create_time().is_ok() as usize + wf.cos_headers().count();
        for task in wf.tasks() {
            for &f in TaskField::ALL {
                sum += task.text(f).map_or(0, |t| t.raw().len());
            }
            sum += task.state().is_some() as usize;
            sum += task
                .end_time()
                .ok()
                .flatten()
                .map_or(0, |t| t.unix() as usize);
            sum += task.get("ResultInfo.ObjectInfo.#.ObjectName").is_ok() as usize;
        }
    }
    sum += cb.get("JobsDetail.#.JobId").ok().flatten().is_some() as usize;
    sum
}

#[test]
fn the_typed_view_allocates_nothing_and_the_owned_form_once() {
    // Every input is read (and made 'static, so `Bytes` clones are free)
    // before anything is counted.
    let docs: Vec<&'static [u8]> = support::valid_documents()
        .iter()
        .filter(|d| {
            let spec = std::fs::read(support::expected_of(d)).unwrap_or_default();
            serde_json::from_slice::<Value>(&spec).is_ok_and(|v| v.is_object())
        })
        .map(|d| &*std::fs::read(d).unwrap().leak())
        .collect();
    assert!(docs.len() >= 40);

    // The counter counts: a known allocation is seen.
    let (_, n, bytes) = measure(|| std::hint::black_box(Vec::<u8>::with_capacity(100)));
    assert_eq!((n, bytes), (1, 100));

    let mut failures = Vec::new();
    for (i, &doc) in docs.iter().enumerate() {
        // Borrowed: zero.
        let (sum, n, _) = measure(|| {
            let cb = Callback::parse(doc).unwrap();
            read_everything(&cb)
        });
        std::hint::black_box(sum);
        if n != 0 {
            failures.push(format!("document {i}: borrowed view made {n} allocations"));
        }

        // The one-pass form: zero too.
        let (sum, n, _) = measure(|| {
            let mut sum = 0;
            let cb = Callback::parse_each_job(doc, &Options::default(), |job| {
                for &f in JobField::ALL {
                    sum += job.text(f).map_or(0, |t| t.raw().len());
                }
            })
            .unwrap();
            sum + read_everything(&cb)
        });
        std::hint::black_box(sum);
        if n != 0 {
            failures.push(format!("document {i}: parse_each_job made {n} allocations"));
        }

        // Some job fields only (the `Input` of `cos_headers` read by path): zero.
        for set in [support::SEVEN, JobFields::NONE] {
            let (sum, n, _) = measure(|| {
                let mut sum = 0;
                let options = Options::default();
                let cb = Callback::parse_each_job_fields(doc, &options, set, |job| {
                    sum += job.job_id().map_or(0, |t| t.raw().len());
                })
                .unwrap();
                sum += read_everything(&cb);
                let cb = Callback::parse_fields(doc, &options, set).unwrap();
                sum + read_everything(&cb)
            });
            std::hint::black_box(sum);
            if n != 0 {
                failures.push(format!(
                    "document {i}: parse_fields({set:?}) made {n} allocations"
                ));
            }
        }

        // Owned: exactly one allocation, the span table.
        let body = Bytes::from_static(doc);
        let (owned, n, bytes) = measure(|| OwnedCallback::parse(body).unwrap());
        let table = owned.index_size() + 2 * std::mem::size_of::<usize>();
        if (n, bytes) != (1, table) {
            failures.push(format!(
                "document {i}: owned parse made {n} allocations of {bytes} bytes, want 1 of {table}"
            ));
        }
        // Reading it (clones of the handle included) allocates nothing more.
        let (sum, n, _) = measure(|| {
            let mut sum = 0;
            for job in owned.jobs() {
                sum += job.bytes(JobField::JobId).map_or(0, |b| b.len());
                sum += job.view().state().is_some() as usize;
                sum += job.raw().len();
            }
            for task in owned.tasks() {
                sum += task.bytes(TaskField::State).map_or(0, |b| b.len());
            }
            sum += owned.workflow().map_or(0, |w| w.raw().len());
            sum + read_everything(&owned.view())
        });
        std::hint::black_box(sum);
        if n != 0 {
            failures.push(format!(
                "document {i}: reading the owned form made {n} allocations"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

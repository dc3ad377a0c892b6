//! The typed view read for some job fields only (`Callback::parse_fields`,
//! `parse_each_job_fields`, `OwnedCallback::parse_fields`) against the view
//! that reads them all (`Callback::parse`): for every field set of a
//! generated sample (with `ALL` and `NONE`), over every corpus document,
//! the fields asked for are the same values at the same offsets, the others
//! are absent, everything that is not a job field is the same, and an
//! ill-formed document (the invalid corpus, and cut copies of the valid
//! one) gives the same error at the same offset.

mod support;

use std::path::PathBuf;

use bytes::Bytes;
use support::SEVEN;
use wanxiang::{Callback, Error, Job, JobField, JobFields, Options, OwnedCallback};

/// `ALL`, `NONE`, every single field, every field but one, the seven, and
/// pseudo-random sets (a fixed linear congruential generator) of every size.
fn sample() -> Vec<JobFields> {
    let mut sets = vec![JobFields::ALL, JobFields::NONE, SEVEN];
    for &f in JobField::ALL {
        sets.push(JobFields::from(f));
        sets.push(JobFields::ALL.without(f));
    }
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..60 {
        let mut set = JobFields::NONE;
        for &f in JobField::ALL {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Denser sets as the rounds go on.
            if (x >> 33) % 60 < round {
                set = set.with(f);
            }
        }
        sets.push(set);
    }
    sets
}

/// The job read for `set` gives the full job's values for the fields in
/// `set` and nothing for the others.
fn same_job(full: &Job<'_>, part: &Job<'_>, set: JobFields) -> Result<(), String> {
    if part.requested_fields() != set {
        return Err(format!("requested_fields {:?}", part.requested_fields()));
    }
    if (full.offset(), full.raw()) != (part.offset(), part.raw()) {
        return Err(format!(
            "job at {} read at {}",
            full.offset(),
            part.offset()
        ));
    }
    for &f in JobField::ALL {
        let want = if set.contains(f) { full.field(f) } else { None };
        let want_text = if set.contains(f) { full.text(f) } else { None };
        if part.field(f) != want || part.text(f) != want_text {
            return Err(format!("{f:?}: {:?}, want {want:?}", part.field(f)));
        }
    }
    let pick = |f: JobField| set.contains(f);
    let checks = [
        (
            "state",
            pick(JobField::State),
            format!("{:?}", full.state()),
            format!("{:?}", part.state()),
        ),
        (
            "creation_time",
            pick(JobField::CreationTime),
            format!("{:?}", full.creation_time()),
            format!("{:?}", part.creation_time()),
        ),
        (
            "end_time",
            pick(JobField::EndTime),
            format!("{:?}", full.end_time()),
            format!("{:?}", part.end_time()),
        ),
        (
            "job_level",
            pick(JobField::JobLevel),
            format!("{:?}", full.job_level()),
            format!("{:?}", part.job_level()),
        ),
    ];
    for (name, asked, want, got) in checks {
        let absent = if name == "state" { "None" } else { "Ok(None)" };
        if (asked && got != want) || (!asked && got != absent) {
            return Err(format!("{name}: {got}, want {want} (asked: {asked})"));
        }
    }
    // Not job fields: the same whatever the set.
    let a: Vec<_> = full.cos_headers().map(|h| (h.key, h.value)).collect();
    let b: Vec<_> = part.cos_headers().map(|h| (h.key, h.value)).collect();
    if a != b {
        return Err("cos_headers differ".into());
    }
    for p in ["JobId", "Operation.MediaInfo.Format.Duration", "Input"] {
        if full.get(p) != part.get(p) {
            return Err(format!("get({p}) differs"));
        }
    }
    Ok(())
}

/// Everything `parse_fields`, `parse_each_job_fields` and the owned form
/// give for `set` agrees with `parse`.
fn agree(input: &[u8], set: JobFields) -> Result<(), String> {
    let options = Options::default();
    let full = Callback::parse(input);
    let part = Callback::parse_fields(input, &options, set);
    let mut each = Vec::new();
    let part_each = Callback::parse_each_job_fields(input, &options, set, |j| each.push(j));
    let (full, part, part_each) = match (full, part, part_each) {
        (Err(a), b, c) => {
            let same = |e: Result<Callback<'_>, Error>| {
                e.err()
                    .is_some_and(|e| e == a && (e.kind(), e.offset()) == (a.kind(), a.offset()))
            };
            if !same(b) || !same(c) {
                return Err(format!(
                    "the full view fails with {a:?}, not the one for {set:?}"
                ));
            }
            let owned = OwnedCallback::parse_fields(Bytes::copy_from_slice(input), &options, set);
            return match owned {
                Err(e) if e == a => Ok(()),
                other => Err(format!("owned: {other:?}, want {a:?}")),
            };
        }
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Ok(_), b, c) => return Err(format!("only the full view reads it: {b:?} {c:?}")),
    };
    for cb in [&part, &part_each] {
        if cb.requested_fields() != set
            || cb.job_count() != full.job_count()
            || cb.event_name() != full.event_name()
            || cb.format() != full.format()
            || cb.workflow() != full.workflow()
            || cb.get("JobsDetail.JobId") != full.get("JobsDetail.JobId")
        {
            return Err(format!("the callback differs for {set:?}"));
        }
        if cb.jobs().len() != full.jobs().len() {
            return Err("job counts differ".into());
        }
        for (k, (a, b)) in full.jobs().zip(cb.jobs()).enumerate() {
            same_job(&a, &b, set).map_err(|e| format!("job {k} of {set:?}: {e}"))?;
        }
    }
    if each.len() != full.job_count() {
        return Err(format!("{} jobs given to each", each.len()));
    }
    for (k, (a, b)) in full.jobs().zip(&each).enumerate() {
        same_job(&a, b, set).map_err(|e| format!("job {k} given to each, {set:?}: {e}"))?;
    }
    let owned = OwnedCallback::parse_fields(Bytes::copy_from_slice(input), &options, set)
        .map_err(|e| format!("owned: {e:?}"))?;
    if owned.requested_fields() != set || owned.job_count() != full.job_count() {
        return Err("owned callback differs".into());
    }
    for (k, (a, b)) in full.jobs().zip(owned.jobs()).enumerate() {
        same_job(&a, &b.view(), set).map_err(|e| format!("owned job {k} of {set:?}: {e}"))?;
        for &f in JobField::ALL {
            let want = set.contains(f).then(|| a.text(f)).flatten();
            if b.text(f) != want || b.bytes(f).is_some() != want.is_some() {
                return Err(format!("owned job {k}, {f:?}"));
            }
        }
    }
    Ok(())
}

fn all_documents() -> Vec<PathBuf> {
    let mut docs = support::valid_documents();
    docs.extend(support::invalid_documents());
    docs
}

#[test]
fn a_field_set_reads_the_same_values_as_the_full_view() {
    let docs = support::valid_documents();
    assert!(
        docs.len() >= 40,
        "corpus is missing: {} documents",
        docs.len()
    );
    let sets = sample();
    let mut failures = Vec::new();
    let (mut jobs, mut asked_present) = (0, 0);
    for doc in &docs {
        let input = std::fs::read(doc).expect("readable corpus document");
        let Ok(full) = Callback::parse(&input) else {
            continue; // valid for the path layer, not a callback the view reads (a scalar on top)
        };
        for &set in &sets {
            if let Err(e) = agree(&input, set) {
                failures.push(format!("{}: {e}", doc.display()));
            }
            for job in full.jobs() {
                jobs += 1;
                asked_present += set.iter().filter(|&f| job.field(f).is_some()).count();
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Not vacuous: many jobs, and many fields present and asked for.
    assert!(
        jobs >= 5_000 && asked_present >= 30_000,
        "{jobs} jobs, {asked_present} fields"
    );
}

#[test]
fn a_field_set_gives_the_same_errors_as_the_full_view() {
    let sets = [
        JobFields::ALL,
        JobFields::NONE,
        SEVEN,
        JobFields::from(JobField::Tag),
    ];
    let mut failures = Vec::new();
    let mut errors = 0;
    let mut check = |name: &str, input: &[u8]| {
        errors += usize::from(Callback::parse(input).is_err());
        for set in sets {
            if let Err(e) = agree(input, set) {
                failures.push(format!("{name}: {e}"));
            }
        }
    };
    for doc in all_documents() {
        let input = std::fs::read(&doc).expect("readable corpus document");
        let name = doc.display().to_string();
        check(&name, &input);
        // Cut copies: every prefix length a step apart.
        for n in (0..input.len()).step_by(61) {
            check(&format!("{name}[..{n}]"), &input[..n]);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(errors >= 1_500, "{errors} errors");
}

#[test]
fn the_set_type_behaves_as_a_set() {
    assert_eq!(JobFields::ALL.len(), JobField::ALL.len());
    assert!(JobFields::NONE.is_empty() && !JobFields::ALL.is_empty());
    assert_eq!(JobFields::default(), JobFields::ALL);
    assert_eq!(JobFields::ALL.iter().collect::<Vec<_>>(), JobField::ALL);
    assert_eq!(JobFields::of(JobField::ALL), JobFields::ALL);
    assert_eq!(
        JobField::ALL.iter().copied().collect::<JobFields>(),
        JobFields::ALL
    );
    for &f in JobField::ALL {
        let one = JobFields::from(f);
        assert!(one.contains(f) && one.len() == 1);
        assert_eq!(one.iter().collect::<Vec<_>>(), [f]);
        assert!(!JobFields::ALL.without(f).contains(f));
        assert_eq!(JobFields::ALL.without(f).len(), JobField::ALL.len() - 1);
        assert_eq!(JobFields::ALL.without(f).with(f), JobFields::ALL);
        assert_eq!(one | JobFields::ALL.without(f), JobFields::ALL);
        for &g in JobField::ALL {
            assert_eq!(one.contains(g), f == g);
        }
    }
    assert_eq!(SEVEN.len(), 7);
    assert_eq!(
        format!("{:?}", JobFields::of(&[JobField::State, JobField::JobId])),
        "{JobId, State}"
    );
}

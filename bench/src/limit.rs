//! The "limit" row of issue 16: a hand-written scan for the seven seed fields
//! ([`SEVEN`](crate::SEVEN)) that checks nothing. It finds each field's
//! opening tag (XML) or quoted key (JSON) with a precompiled `memmem`
//! finder, nested fields after their parent's, and takes the value up to the
//! next `<` or unescaped `"`. It trusts the document completely (a name
//! inside a comment, a string or another element would fool it, and it
//! never looks at anything after the last field), so it is a bound on how
//! fast a path extraction can go, not a reader. [`assert_matches_ours`]
//! checks it against our extraction on a document.

use memchr::memmem::Finder;
use wanxiang::{Hit, Options, PathSet};

use crate::{Digest, SEVEN};

/// The seven values, in [`SEVEN`](crate::SEVEN)'s order, as raw slices.
pub type Seven<'b> = [&'b [u8]; 7];

/// The finders for one format.
pub struct Limit {
    event_name: Finder<'static>,
    jobs_detail: Finder<'static>,
    job_id: Finder<'static>,
    state: Finder<'static>,
    code: Finder<'static>,
    tag: Finder<'static>,
    operation: Finder<'static>,
    output: Finder<'static>,
    object: Finder<'static>,
    user_data: Finder<'static>,
    json: bool,
}

impl Limit {
    fn with(json: bool) -> Limit {
        let f = |xml: &'static [u8], json_key: &'static [u8]| {
            Finder::new(if json { json_key } else { xml })
        };
        Limit {
            event_name: f(b"<EventName>", b"\"EventName\""),
            jobs_detail: f(b"<JobsDetail>", b"\"JobsDetail\""),
            job_id: f(b"<JobId>", b"\"JobId\""),
            state: f(b"<State>", b"\"State\""),
            code: f(b"<Code>", b"\"Code\""),
            tag: f(b"<Tag>", b"\"Tag\""),
            operation: f(b"<Operation>", b"\"Operation\""),
            output: f(b"<Output>", b"\"Output\""),
            object: f(b"<Object>", b"\"Object\""),
            user_data: f(b"<UserData>", b"\"UserData\""),
            json,
        }
    }

    pub fn xml() -> Limit {
        Limit::with(false)
    }

    pub fn json() -> Limit {
        Limit::with(true)
    }

    /// The offset just after the first match of `f` at or after `from`.
    #[inline(always)]
    fn after(input: &[u8], from: usize, f: &Finder<'_>) -> Option<usize> {
        Some(from + f.find(input.get(from..)?)? + f.needle().len())
    }

    /// The value whose tag or key `f` finds first at or after `from`.
    #[inline(always)]
    fn value<'b>(&self, input: &'b [u8], from: usize, f: &Finder<'_>) -> Option<&'b [u8]> {
        let mut start = Self::after(input, from, f)?;
        if !self.json {
            let len = memchr::memchr(b'<', input.get(start..)?)?;
            return input.get(start..start + len);
        }
        // `:` and whitespace, then a string (the seven are strings).
        while let Some(&b) = input.get(start) {
            if b == b'"' {
                break;
            }
            start += 1;
        }
        start += 1;
        let mut end = start;
        loop {
            end += memchr::memchr(b'"', input.get(end..)?)?;
            let slashes = input[start..end]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if slashes % 2 == 0 {
                return input.get(start..end);
            }
            end += 1;
        }
    }

    /// The seven values, or `None` when a tag or key is not found.
    #[inline]
    pub fn scan<'b>(&self, input: &'b [u8]) -> Option<Seven<'b>> {
        let event_name = self.value(input, 0, &self.event_name)?;
        let job = Self::after(input, 0, &self.jobs_detail)?;
        let job_id = self.value(input, job, &self.job_id)?;
        let state = self.value(input, job, &self.state)?;
        let code = self.value(input, job, &self.code)?;
        let tag = self.value(input, job, &self.tag)?;
        let operation = Self::after(input, job, &self.operation)?;
        let output = Self::after(input, operation, &self.output)?;
        let object = self.value(input, output, &self.object)?;
        let user_data = self.value(input, operation, &self.user_data)?;
        Some([event_name, job_id, state, code, tag, object, user_data])
    }

    /// [`scan`](Limit::scan) counted as the benches count our extraction.
    #[inline]
    pub fn digest(&self, input: &[u8]) -> Digest {
        let values = self.scan(input).expect("the limit scan found the seven");
        let mut d = Digest::default();
        for v in values {
            d.add(v.len());
        }
        d
    }
}

/// Our extraction of [`SEVEN`](crate::SEVEN) as raw slices.
pub fn ours_seven<'b>(input: &'b [u8], options: &Options) -> Seven<'b> {
    let set = PathSet::compile(SEVEN).expect("paths");
    let mut slots = [Hit::EMPTY; 16];
    let found = set.extract_with(input, options, &mut slots).expect("ours");
    std::array::from_fn(|i| {
        found
            .first(i)
            .expect("ours found every field")
            .text()
            .raw()
            .as_bytes()
    })
}

/// Panics unless the limit scan gives exactly our `Full` and `Skim` values.
pub fn assert_matches_ours(limit: &Limit, input: &[u8]) {
    let scanned = limit.scan(input).expect("the limit scan found the seven");
    for options in [crate::full(), crate::skim()] {
        let ours = ours_seven(input, &options);
        assert_eq!(
            scanned.map(String::from_utf8_lossy),
            ours.map(String::from_utf8_lossy),
            "the limit scan and ours ({:?}) differ",
            options.get_validation()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_matches_ours_on_the_seeds() {
        assert_matches_ours(&Limit::xml(), crate::SEED_XML);
        assert_matches_ours(&Limit::json(), &crate::seed_json_strict());
        // The lenient seed (trailing comma) scans the same.
        assert_matches_ours(&Limit::json(), crate::SEED_JSON);
    }

    #[test]
    fn limit_takes_escaped_quotes_and_fails_on_a_missing_field() {
        let doc = br#"{"EventName": "a\"b\\", "JobsDetail": {"JobId": "j", "State": "s",
            "Code": "c", "Tag": "t", "Operation": {"Output": {"Object": "o"}, "UserData": "u"}}}"#;
        assert_matches_ours(&Limit::json(), doc);
        assert_eq!(Limit::json().scan(doc).unwrap()[0], br#"a\"b\\"#);
        assert!(Limit::xml()
            .scan(b"<R><EventName>x</EventName></R>")
            .is_none());
    }
}

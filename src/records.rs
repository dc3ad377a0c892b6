//! Records: the fields of each item of a list, kept apart per item.
//!
//! A [`PathSet`] answers "every `JobId`" and "every `Output.Object`" as two
//! separate lists. Pairing them up by position is wrong as soon as one item
//! lacks a field: the second job's output then sits beside the first job's
//! id. A [`RecordSet`] is compiled from a *prefix* that names the list
//! (`JobsDetail`) and *fields* relative to one item (`JobId`,
//! `Operation.Output.Object`); extracting gives one [`Record`] per item, and
//! a field absent from an item is `None` for that item, whatever the others
//! hold.
//!
//! # How it works
//! The fields are compiled as ordinary paths under the prefix
//! (`JobsDetail.#.JobId`, …) into one set, and the trie node of the prefix's
//! last name is marked. Whenever the matcher enters an item of that node
//! which the paths select, it first emits a *marker* value (the item's
//! offset, no text), then whatever is found inside the item. Items are
//! walked one after the other, so the values between two markers are exactly
//! those of one item: grouping needs no offsets, no sorting and no storage
//! beyond one slot per item. Extraction is the same single pass as a plain
//! [`PathSet`] over the same fields, plus one slot write per item.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;

use crate::path::grammar::{self, Step};
use crate::path::{Hit, PathSet, MAX_PATHS};
use crate::{Error, ErrorKind, Format, Options, PathId, PathIndex};

/// Fields compiled relative to the items of a list, extracted per item.
///
/// The **prefix** names the list, in the path syntax. Its last name step
/// without a selector means every item (`JobsDetail` is the same as
/// `JobsDetail.#`); an index picks one item (`JobsDetail.2`). Earlier steps
/// select as in any path: `WorkflowExecution.Tasks` is every task of the
/// first `WorkflowExecution`, and a prefix with more than one `#`
/// (`JobsDetail.#.Input.CosHeaders`) gives the items of every such list,
/// numbered in document order across them. A JSON member whose value is not
/// an array is a one-item list, as everywhere. A prefix that is a lone
/// selector names the items of a top-level JSON array (`#`: one record per
/// item of a batch; `2`: the third item); a document that is not a top-level
/// array has no such items, so it gives no record.
///
/// Each **field** is a path relative to one item (`JobId`,
/// `Operation.Output.Object`, `Input.CosHeaders.#.Key`, `@id`). Within an
/// item it selects as a path does within a document: no selector is the
/// first match, `#` every match.
///
/// # Examples
/// Two jobs, the first without an output: the output belongs to the second.
/// ```
/// use wanxiang::{Hit, RecordSet};
/// let jobs = RecordSet::compile("JobsDetail", ["JobId", "Operation.Output.Object"])?;
/// let xml = b"<Response>\
///     <JobsDetail><JobId>j1</JobId></JobsDetail>\
///     <JobsDetail><JobId>j2</JobId><Operation><Output><Object>out/j2.pdf</Object></Output></Operation></JobsDetail>\
///     </Response>";
/// let json = br#"{"JobsDetail": [{"JobId": "j1"},
///     {"JobId": "j2", "Operation": {"Output": {"Object": "out/j2.pdf"}}}]}"#;
/// for body in [&xml[..], &json[..]] {
///     let mut slots = [Hit::EMPTY; 16];
///     let records = jobs.extract(body, &mut slots)?;
///     let rows: Vec<(&str, Option<&str>)> = records
///         .iter()
///         .map(|job| (job.first(0).unwrap().text().raw(), job.first(1).map(|h| h.text().raw())))
///         .collect();
///     assert_eq!(rows, [("j1", None), ("j2", Some("out/j2.pdf"))]);
/// }
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone)]
pub struct RecordSet {
    /// The fields as paths from the root, with the prefix's node marked.
    set: PathSet,
    prefix: String,
    fields: Vec<String>,
    /// Fields with a `#` step of their own.
    multi: u128,
}

/// A compile error of kind `kind` at `at` in `text`.
fn bad(kind: ErrorKind, at: usize, text: &str) -> Error {
    Error::at(kind, at, text.as_bytes())
}

impl RecordSet {
    /// Compiles a record prefix and fields relative to its items. This is
    /// where all the allocation happens.
    ///
    /// # Errors
    /// [`ErrorKind::BadPath`] with the offset into the text at fault: a
    /// prefix or field that does not follow the path grammar, a prefix that
    /// ends on an attribute (`JobsDetail.@id`: not a list), a field that starts
    /// with a selector, or no field at all (offset: the end of the prefix).
    /// [`ErrorKind::PathLimit`] for more than [`MAX_PATHS`] fields, or
    /// prefix and field together longer than
    /// [`MAX_STEPS`](crate::path::MAX_STEPS) steps.
    pub fn compile<I, S>(prefix: &str, fields: I) -> Result<RecordSet, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        PathSet::compile([prefix])?;
        // The prefix compiled: its steps read without error.
        let mut steps = grammar::steps(prefix);
        let lead = steps.lead();
        let steps: Vec<_> = steps.flatten().collect();
        let full = match steps.last() {
            // An attribute is the last segment, its `@` one byte before its name.
            Some(last) if last.attr => {
                return Err(bad(
                    ErrorKind::BadPath,
                    prefix.len() - last.name.len() - 1,
                    prefix,
                ))
            }
            Some(Step {
                select: Some(_), ..
            }) => String::from(prefix),
            None if lead.is_some() => String::from(prefix),
            _ => format!("{prefix}.#"),
        };
        // Selectors make no trie node: the prefix's node is this many names down.
        let depth = steps.len();
        let mut names: Vec<String> = Vec::new();
        let mut paths: Vec<String> = Vec::new();
        let mut multi: u128 = 0;
        for field in fields {
            let field = field.as_ref();
            if names.len() == MAX_PATHS {
                return Err(bad(ErrorKind::PathLimit, 0, field));
            }
            let alone = PathSet::compile([field])?;
            if grammar::steps(field).lead().is_some() {
                return Err(bad(ErrorKind::BadPath, 0, field));
            }
            if alone.is_multi(0) {
                multi |= 1 << names.len();
            }
            let path = format!("{full}.{field}");
            // Checked whole (the step limit); errors point into the field.
            if let Err(e) = PathSet::compile([path.as_str()]) {
                let at = e.offset().saturating_sub(full.len() + 1);
                return Err(bad(e.kind(), at, field));
            }
            names.push(String::from(field));
            paths.push(path);
        }
        if names.is_empty() {
            return Err(bad(ErrorKind::BadPath, prefix.len(), prefix));
        }
        let mut set = PathSet::compile(&paths)?;
        if !set.mark_items(depth) {
            return Err(bad(ErrorKind::BadPath, 0, prefix));
        }
        Ok(RecordSet {
            set,
            prefix: String::from(prefix),
            fields: names,
            multi,
        })
    }

    /// A builder that hands back a [`PathId`] for each field added, so code
    /// names fields by handle rather than by position.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, RecordSet};
    /// let mut b = RecordSet::builder("JobsDetail");
    /// let state = b.field("State")?;
    /// let job_id = b.field("JobId")?;
    /// let jobs = b.build()?;
    /// let mut slots = [Hit::EMPTY; 8];
    /// let body = br#"{"JobsDetail": [{"JobId": "a", "State": "Success"}, {"JobId": "b"}]}"#;
    /// let records = jobs.extract(body, &mut slots)?;
    /// let second = records.get(1).unwrap();
    /// assert!(second.first(job_id).unwrap().text() == "b");
    /// assert_eq!(second.first(state), None);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn builder(prefix: &str) -> RecordSetBuilder {
        RecordSetBuilder {
            prefix: String::from(prefix),
            fields: Vec::new(),
        }
    }

    /// The prefix, as given.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there is no field (never true: compiling needs one).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The text of field `i`, as given.
    pub fn field(&self, i: impl PathIndex) -> Option<&str> {
        self.fields.get(i.index()).map(String::as_str)
    }

    /// Whether field `i` has a `#` step of its own (and so may have many
    /// values in one record).
    pub fn is_multi(&self, i: impl PathIndex) -> bool {
        let i = i.index();
        i < MAX_PATHS && self.multi & (1 << i) != 0
    }

    /// The handle of the field whose text is `field`, as given, or `None`.
    pub fn id(&self, field: &str) -> Option<PathId> {
        self.fields
            .iter()
            .position(|f| f == field)
            .and_then(PathId::new)
    }

    /// The index of the marker hits.
    fn marker(&self) -> usize {
        self.fields.len()
    }

    /// Extracts the records of `input` (XML or JSON, sniffed) with the
    /// default [`Options`], into the caller's slots: one slot per item plus
    /// one per value found.
    ///
    /// # Errors
    /// Any [`Error`] of the document; otherwise [`ErrorKind::Capacity`] when
    /// `slots` is too small, with [`Error::needed`] the number needed.
    ///
    /// # Complexity
    /// One pass, like [`PathSet::extract`] over the same fields; no
    /// allocation.
    pub fn extract<'a, 'buf>(
        &'a self,
        input: &'buf [u8],
        slots: &'a mut [Hit<'buf>],
    ) -> Result<Records<'a, 'buf>, Error> {
        self.extract_with(input, &Options::default(), slots)
    }

    /// [`extract`](RecordSet::extract) with explicit options.
    ///
    /// # Errors
    /// As for [`extract`](RecordSet::extract).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, Options, RecordSet, Validation};
    /// let tasks = RecordSet::compile("WorkflowExecution.Tasks", ["JobId", "State"])?;
    /// let body = b"<Response><WorkflowExecution><Tasks><JobId>t1</JobId><State>Success</State></Tasks>\
    ///     <Tasks><State>Failed</State></Tasks></WorkflowExecution></Response>";
    /// let mut slots = [Hit::EMPTY; 8];
    /// let skim = Options::new().validation(Validation::Skim);
    /// let records = tasks.extract_with(body, &skim, &mut slots)?;
    /// assert_eq!(records.len(), 2);
    /// let last = records.iter().last().unwrap();
    /// assert_eq!((last.index(), last.first(0)), (1, None));
    /// assert!(last.first(1).unwrap().text() == "Failed");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn extract_with<'a, 'buf>(
        &'a self,
        input: &'buf [u8],
        options: &Options,
        slots: &'a mut [Hit<'buf>],
    ) -> Result<Records<'a, 'buf>, Error> {
        let found = self.set.extract_with(input, options, slots)?;
        Ok(Records::new(self, found.hits(), found.format()))
    }

    /// [`extract`](RecordSet::extract) into a `Vec` that grows as needed (it
    /// is cleared first); the [`Records`] borrow it.
    ///
    /// # Errors
    /// Any [`Error`] of the document.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, RecordSet};
    /// let jobs = RecordSet::compile("JobsDetail", ["JobId", "Input.CosHeaders.#.Key"])?;
    /// let mut hits: Vec<Hit> = Vec::new(); // reused: grows to the largest document
    /// let body = br#"{"JobsDetail": [{"JobId": "a", "Input": {"CosHeaders": [{"Key": "k1"}, {"Key": "k2"}]}},
    ///                                {"JobId": "b"}]}"#;
    /// let records = jobs.extract_vec(body, &mut hits)?;
    /// let keys: Vec<Vec<&str>> = records.iter().map(|r| r.all(1).map(|h| h.text().raw()).collect()).collect();
    /// assert_eq!(keys, [vec!["k1", "k2"], vec![]]);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn extract_vec<'a, 'buf>(
        &'a self,
        input: &'buf [u8],
        hits: &'a mut Vec<Hit<'buf>>,
    ) -> Result<Records<'a, 'buf>, Error> {
        self.extract_vec_with(input, &Options::default(), hits)
    }

    /// [`extract_vec`](RecordSet::extract_vec) with explicit options.
    ///
    /// # Errors
    /// As for [`extract_vec`](RecordSet::extract_vec).
    pub fn extract_vec_with<'a, 'buf>(
        &'a self,
        input: &'buf [u8],
        options: &Options,
        hits: &'a mut Vec<Hit<'buf>>,
    ) -> Result<Records<'a, 'buf>, Error> {
        let found = self.set.extract_vec_with(input, options, hits)?;
        Ok(Records::new(self, found.hits(), found.format()))
    }
}

impl fmt::Debug for RecordSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordSet")
            .field("prefix", &self.prefix)
            .field("fields", &self.fields)
            .finish()
    }
}

/// Builds a [`RecordSet`] one field at a time. Made by
/// [`RecordSet::builder`].
#[derive(Debug, Clone)]
pub struct RecordSetBuilder {
    prefix: String,
    fields: Vec<String>,
}

impl RecordSetBuilder {
    /// Adds a field (a path relative to one item) and returns its handle.
    /// Adding the same text twice gives the first handle again.
    ///
    /// # Errors
    /// [`ErrorKind::BadPath`] (offset into `field`) for a field that does not
    /// follow the grammar or starts with a selector; [`ErrorKind::PathLimit`]
    /// past [`MAX_PATHS`] fields or [`MAX_STEPS`](crate::path::MAX_STEPS) steps.
    pub fn field(&mut self, field: &str) -> Result<PathId, Error> {
        if let Some(i) = self.fields.iter().position(|f| f == field) {
            return PathId::new(i).ok_or_else(|| bad(ErrorKind::PathLimit, 0, field));
        }
        let id =
            PathId::new(self.fields.len()).ok_or_else(|| bad(ErrorKind::PathLimit, 0, field))?;
        // Checked now, so the error comes from the call that added it.
        RecordSet::compile(&self.prefix, [field])?;
        self.fields.push(String::from(field));
        Ok(id)
    }

    /// Compiles the prefix and the fields added so far.
    ///
    /// # Errors
    /// As for [`RecordSet::compile`].
    pub fn build(&self) -> Result<RecordSet, Error> {
        RecordSet::compile(&self.prefix, &self.fields)
    }
}

/// The records one document gave: one [`Record`] per item of the prefix's
/// list, in document order. Borrows the [`RecordSet`] and the slots.
#[derive(Clone, Copy)]
pub struct Records<'a, 'buf> {
    set: &'a RecordSet,
    /// Marker, the item's values, marker, …
    hits: &'a [Hit<'buf>],
    format: Format,
}

impl<'a, 'buf> Records<'a, 'buf> {
    fn new(set: &'a RecordSet, hits: &'a [Hit<'buf>], format: Format) -> Self {
        Records { set, hits, format }
    }

    /// The format the document was read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Number of records (items of the list); 0 when the prefix matches nothing.
    ///
    /// # Complexity
    /// Counts through the values found (no allocation).
    pub fn len(&self) -> usize {
        let marker = self.set.marker();
        self.hits.iter().filter(|h| h.path() == marker).count()
    }

    /// Whether the prefix matched no item.
    pub fn is_empty(&self) -> bool {
        // Values come only from inside items: any value means a marker first.
        self.hits.is_empty()
    }

    /// The records in document order.
    pub fn iter(&self) -> RecordIter<'a, 'buf> {
        RecordIter {
            set: self.set,
            rest: self.hits,
            next: 0,
        }
    }

    /// Record `k` (0-based), or `None` past the end.
    ///
    /// # Complexity
    /// Walks the values of the records before it; iterate with
    /// [`iter`](Records::iter) to visit them all.
    pub fn get(&self, k: usize) -> Option<Record<'a, 'buf>> {
        self.iter().nth(k)
    }
}

impl<'a, 'buf> IntoIterator for Records<'a, 'buf> {
    type Item = Record<'a, 'buf>;
    type IntoIter = RecordIter<'a, 'buf>;
    fn into_iter(self) -> RecordIter<'a, 'buf> {
        self.iter()
    }
}

impl<'a, 'buf> IntoIterator for &Records<'a, 'buf> {
    type Item = Record<'a, 'buf>;
    type IntoIter = RecordIter<'a, 'buf>;
    fn into_iter(self) -> RecordIter<'a, 'buf> {
        self.iter()
    }
}

impl fmt::Debug for Records<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The records of a [`Records`], in document order.
#[derive(Clone)]
pub struct RecordIter<'a, 'buf> {
    set: &'a RecordSet,
    /// Starts at a marker, or is empty.
    rest: &'a [Hit<'buf>],
    next: usize,
}

impl<'a, 'buf> Iterator for RecordIter<'a, 'buf> {
    type Item = Record<'a, 'buf>;

    fn next(&mut self) -> Option<Record<'a, 'buf>> {
        let marker = self.set.marker();
        let (start, after) = self.rest.split_first()?;
        let end = after
            .iter()
            .position(|h| h.path() == marker)
            .unwrap_or(after.len());
        let (hits, rest) = after.split_at(end);
        self.rest = rest;
        let record = Record {
            set: self.set,
            index: self.next,
            offset: start.offset(),
            hits,
        };
        self.next += 1;
        Some(record)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // At least one record when any value is left, at most one per value.
        (usize::from(!self.rest.is_empty()), Some(self.rest.len()))
    }
}

impl FusedIterator for RecordIter<'_, '_> {}

impl fmt::Debug for RecordIter<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordIter")
            .field("next", &self.next)
            .field("values_left", &self.rest.len())
            .finish()
    }
}

/// One item of the list: its fields' values, and only its own.
///
/// Fields are named by index (the order given to
/// [`RecordSet::compile`]), by [`PathId`], or by their text with the
/// `*_by_path` methods.
#[derive(Clone, Copy)]
pub struct Record<'a, 'buf> {
    set: &'a RecordSet,
    index: usize,
    offset: usize,
    hits: &'a [Hit<'buf>],
}

impl<'a, 'buf> Record<'a, 'buf> {
    /// The item's position in the list (0-based, document order).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Byte offset of the item in the document (its start tag, or its JSON value).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Every value found in the item, in the order found.
    pub fn hits(&self) -> &'a [Hit<'buf>] {
        self.hits
    }

    /// The first value of a field in this item, or `None` when the item has
    /// none.
    pub fn first(&self, field: impl PathIndex) -> Option<&'a Hit<'buf>> {
        let i = field.index();
        self.hits.iter().find(|h| h.path() == i)
    }

    /// Every value of a field in this item, in document order (one at most
    /// for a field without `#`).
    pub fn all(&self, field: impl PathIndex) -> impl Iterator<Item = &'a Hit<'buf>> + 'a {
        let i = field.index();
        self.hits.iter().filter(move |h| h.path() == i)
    }

    /// [`first`](Record::first) for the field whose text is `field` (as
    /// given to the set); `None` also when there is no such field.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, RecordSet};
    /// let jobs = RecordSet::compile("JobsDetail.#", ["JobId", "@id"])?;
    /// let mut slots = [Hit::EMPTY; 8];
    /// let xml = br#"<R><JobsDetail id="7"><JobId>a</JobId></JobsDetail></R>"#;
    /// let job = jobs.extract(xml, &mut slots)?.get(0).unwrap();
    /// assert!(job.first_by_path("JobId").unwrap().text() == "a");
    /// assert!(job.first_by_path("@id").unwrap().text() == "7");
    /// assert_eq!(job.first_by_path("Nope"), None);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn first_by_path(&self, field: &str) -> Option<&'a Hit<'buf>> {
        self.first(self.set.id(field)?)
    }

    /// [`all`](Record::all) for the field whose text is `field`; empty also
    /// when there is no such field.
    pub fn all_by_path(&self, field: &str) -> impl Iterator<Item = &'a Hit<'buf>> + 'a {
        let i = self.set.id(field).map_or(usize::MAX, PathId::index);
        self.hits.iter().filter(move |h| h.path() == i)
    }
}

impl fmt::Debug for Record<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Record");
        d.field("index", &self.index).field("offset", &self.offset);
        for h in self.hits {
            let name = self.set.field(h.path()).unwrap_or("?");
            d.field(name, &h.text().raw());
        }
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_fields_are_read_by_the_path_grammar() {
        let doc = br##"{"a.b": [{"x": 1, "#": 2}, {"x": 3}], "c": {"x": 4}}"##;
        let count = |prefix: &str, field: &str| {
            let set = RecordSet::compile(prefix, [field]).map_err(|e| (e.kind(), e.offset()))?;
            let mut slots = [Hit::EMPTY; 8];
            Ok(set.extract(doc, &mut slots).map(|r| r.len()).unwrap_or(99))
        };
        // An escaped dot is part of a name; a list prefix gets its items.
        assert_eq!(count(r"a\.b", "x"), Ok(2));
        // A prefix ending on a selector keeps it.
        assert_eq!(count(r"a\.b.1", "x"), Ok(1));
        assert_eq!(count("c", "x"), Ok(1));
        // An escaped `#` is a name, in a field too.
        assert_eq!(count(r"a\.b", r"\#"), Ok(2));
        // A prefix ending on an attribute: at its `@`.
        assert_eq!(count(r"a\.b.@id", "x"), Err((ErrorKind::BadPath, 5)));
        // A field starting with a selector.
        assert_eq!(count("c", "#.x"), Err((ErrorKind::BadPath, 0)));
        assert_eq!(count("c", "0"), Err((ErrorKind::BadPath, 0)));
    }
}

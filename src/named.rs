//! Naming paths so that code does not depend on their order, and output
//! storage that grows.
//!
//! [`Found::first`](crate::Found::first) and [`Found::all`](crate::Found::all)
//! take a path's index in the set; an index written as a number breaks
//! silently when the list of paths is reordered. [`PathSet::builder`] hands
//! back a [`PathId`] for each path as it is added, and [`PathSet::id`] finds
//! one by the path's text, so the value is looked up by what it is, not by
//! where it sits. [`PathSet::extract_vec`] writes into a `Vec` the set grows
//! itself, for callers that cannot know the number of values up front.

use alloc::string::String;
use alloc::vec::Vec;

use crate::path::{Hit, PathId, PathSet, Sink};
use crate::{Error, ErrorKind, Found, Options};

/// Builds a [`PathSet`] one path at a time, handing back a [`PathId`] for
/// each. Made by [`PathSet::builder`].
#[derive(Debug, Clone, Default)]
pub struct PathSetBuilder {
    paths: Vec<String>,
}

impl PathSetBuilder {
    /// Adds a path and returns its handle. Adding the same text twice gives
    /// the first handle again (the set holds it once).
    ///
    /// # Errors
    /// [`ErrorKind::BadPath`] (offset into `path`) for a path that does not
    /// follow the grammar; [`ErrorKind::PathLimit`] for a path with too many
    /// steps or a set that already holds [`MAX_PATHS`](crate::path::MAX_PATHS) paths.
    pub fn add(&mut self, path: &str) -> Result<PathId, Error> {
        if let Some(i) = self.paths.iter().position(|p| p == path) {
            return PathId::new(i).ok_or_else(|| Error::at(ErrorKind::PathLimit, 0, b""));
        }
        // Checked on its own now, so the error points into this path.
        PathSet::compile([path])?;
        let id = PathId::new(self.paths.len())
            .ok_or_else(|| Error::at(ErrorKind::PathLimit, 0, path.as_bytes()))?;
        self.paths.push(String::from(path));
        Ok(id)
    }

    /// Compiles the paths added so far.
    ///
    /// # Errors
    /// [`ErrorKind::PathLimit`] when the paths together need more than
    /// [`MAX_NODES`](crate::path::MAX_NODES) trie nodes.
    pub fn build(&self) -> Result<PathSet, Error> {
        PathSet::compile(&self.paths)
    }
}

impl<'buf> Hit<'buf> {
    /// Empties `hits` and gives back its allocation as a `Vec` that may hold
    /// hits of another document (another `'buf`), so one allocation serves
    /// documents that each live in a buffer of their own.
    ///
    /// No allocation: the empty vector is collected in place (the standard
    /// library reuses the allocation when collecting a `Vec`'s own iterator
    /// into a `Vec` of a type of the same size and alignment; the crate's
    /// allocation test checks that it does).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::Hit;
    /// let hits: Vec<Hit<'_>> = Vec::with_capacity(64);
    /// let spare: Vec<Hit<'static>> = Hit::recycle(hits);
    /// assert!(spare.is_empty() && spare.capacity() >= 64);
    /// ```
    pub fn recycle<'other>(mut hits: Vec<Hit<'buf>>) -> Vec<Hit<'other>> {
        hits.clear();
        hits.into_iter().map(|_| Hit::EMPTY).collect()
    }
}

/// The sink of [`PathSet::extract_vec`]: pushes every value.
struct Grow<'v, 'buf>(&'v mut Vec<Hit<'buf>>);

impl crate::path::OfTrie for Grow<'_, '_> {
    type Trie = PathSet;
}

impl<'buf> Sink<'buf> for Grow<'_, 'buf> {
    #[inline]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        self.0.push(hit);
        true
    }
}

impl PathSet {
    /// A builder that hands back a [`PathId`] for each path added.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, PathSet};
    /// let mut b = PathSet::builder();
    /// let ids = b.add("JobsDetail.#.JobId")?;
    /// let set = b.build()?;
    /// let mut slots = [Hit::EMPTY; 4];
    /// let found = set.extract(b"<R><JobsDetail><JobId>a</JobId></JobsDetail></R>", &mut slots)?;
    /// assert_eq!(found.all(ids).count(), 1);
    /// // A malformed path is refused when it is added, pointing into it.
    /// assert_eq!(b.add("JobsDetail..JobId").unwrap_err().offset(), 11);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn builder() -> PathSetBuilder {
        PathSetBuilder::default()
    }

    /// The handle of the path whose text is `path` exactly as it was given to
    /// [`compile`](PathSet::compile), or `None`.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Hit, PathSet};
    /// let set = PathSet::compile(["EventName", "JobsDetail.JobId"])?;
    /// let job_id = set.id("JobsDetail.JobId").unwrap();
    /// let mut slots = [Hit::EMPTY; 4];
    /// let found = set.extract(br#"{"JobsDetail": [{"JobId": "j1"}]}"#, &mut slots)?;
    /// assert!(found.first(job_id).unwrap().text() == "j1");
    /// assert_eq!(set.id("JobId"), None);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// Compares with each path's text in turn; look handles up once, not per
    /// document.
    pub fn id(&self, path: &str) -> Option<PathId> {
        (0..self.len())
            .find(|&i| self.path(i) == Some(path))
            .and_then(PathId::new)
    }

    /// [`extract`](PathSet::extract) into a `Vec` that grows to hold every
    /// value, so there is no [`ErrorKind::Capacity`] error. `hits` is cleared
    /// first; the returned [`Found`] borrows it.
    ///
    /// Reusing one `Vec` across documents allocates only while it grows past
    /// its largest size so far; [`extract`](PathSet::extract) into fixed slots
    /// never allocates.
    ///
    /// The hits borrow the document, so a `Vec` kept across documents that
    /// each live in a buffer of their own is handed from one to the next with
    /// [`Hit::recycle`], which keeps its allocation.
    ///
    /// # Errors
    /// Any [`Error`] of the document.
    ///
    /// # Examples
    /// A function can return what it found in the caller's `Vec` (a loop that
    /// retries [`extract`](PathSet::extract) with bigger slots cannot: the
    /// borrow checker rejects returning a borrow made in a loop that also
    /// grows the storage).
    /// ```
    /// use wanxiang::{Error, Found, Hit, PathSet};
    /// fn job_ids<'buf, 'out>(
    ///     set: &PathSet,
    ///     body: &'buf [u8],
    ///     hits: &'out mut Vec<Hit<'buf>>,
    /// ) -> Result<Found<'buf, 'out>, Error> {
    ///     set.extract_vec(body, hits)
    /// }
    /// let set = PathSet::compile(["JobsDetail.#.JobId"])?;
    /// let mut spare: Vec<Hit<'static>> = Vec::new();
    /// for k in 0..3 {
    ///     // A new buffer per document, as a server reads them.
    ///     let body = format!(r#"{{"JobsDetail": [{{"JobId": "a{k}"}}, {{"JobId": "b{k}"}}]}}"#).into_bytes();
    ///     let mut hits = Hit::recycle(spare);
    ///     let found = job_ids(&set, &body, &mut hits)?;
    ///     assert!(found.all(0).nth(1).unwrap().text() == format!("b{k}").as_str());
    ///     spare = Hit::recycle(hits);
    /// }
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// Sizing fixed slots from the error instead, without allocating on the
    /// second try:
    /// ```
    /// use wanxiang::{ErrorKind, Hit, PathSet};
    /// let set = PathSet::compile(["JobsDetail.#.JobId"])?;
    /// let body = br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}, {"JobId": "c"}]}"#;
    /// let mut slots = vec![Hit::EMPTY; 2];
    /// let found = match set.extract(body, &mut slots) {
    ///     Err(e) if e.kind() == ErrorKind::Capacity => {
    ///         slots.resize(e.needed().unwrap_or(0), Hit::EMPTY);
    ///         set.extract(body, &mut slots)?
    ///     }
    ///     other => other?,
    /// };
    /// assert_eq!(found.hits().len(), 3);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn extract_vec<'buf, 'out>(
        &self,
        input: &'buf [u8],
        hits: &'out mut Vec<Hit<'buf>>,
    ) -> Result<Found<'buf, 'out>, Error> {
        self.extract_vec_with(input, &Options::default(), hits)
    }

    /// [`extract_vec`](PathSet::extract_vec) with explicit options.
    ///
    /// # Errors
    /// As for [`extract_vec`](PathSet::extract_vec).
    pub fn extract_vec_with<'buf, 'out>(
        &self,
        input: &'buf [u8],
        options: &Options,
        hits: &'out mut Vec<Hit<'buf>>,
    ) -> Result<Found<'buf, 'out>, Error> {
        hits.clear();
        let format = crate::path::select(self, input, options, &mut Grow(&mut *hits))?;
        Ok(Found::new(hits, format))
    }
}

/// Declares a struct of named paths: one [`PathId`] field per path, and the
/// compiled set, so values are looked up by name.
///
/// Two forms. With a list of paths, the struct holds a [`PathSet`]
/// (`set()`); with `in "PREFIX"`, a [`RecordSet`](crate::RecordSet) whose
/// fields are relative to each item of the list `PREFIX`. `new()` compiles
/// (and is the only step that allocates); attributes and doc comments on
/// the struct and on each field are kept. The struct's own field is named
/// `set`, so no path may be named `set`.
///
/// # Examples
/// ```
/// use wanxiang::{Hit, Error};
///
/// wanxiang::paths! {
///     /// What the receiver reads from every callback.
///     pub struct Head {
///         event: "EventName",
///         /// Every job's id.
///         job_ids: "JobsDetail.#.JobId",
///     }
/// }
///
/// wanxiang::paths! {
///     /// The fields of one job.
///     pub struct JobRow in "JobsDetail" {
///         job_id: "JobId",
///         output: "Operation.Output.Object",
///     }
/// }
///
/// let head = Head::new()?;
/// let jobs = JobRow::new()?;
/// let body = br#"{"EventName": "TaskFinish", "JobsDetail": [{"JobId": "j1"},
///     {"JobId": "j2", "Operation": {"Output": {"Object": "out/j2.pdf"}}}]}"#;
/// let mut slots = [Hit::EMPTY; 16];
/// let found = head.set().extract(body, &mut slots)?;
/// assert!(found.first(head.event).unwrap().text() == "TaskFinish");
/// assert_eq!(found.all(head.job_ids).count(), 2);
///
/// let mut slots = [Hit::EMPTY; 16];
/// for job in jobs.set().extract(body, &mut slots)? {
///     let output = job.first(jobs.output).map(|h| h.text().raw());
///     match job.first(jobs.job_id).unwrap().text().raw() {
///         "j1" => assert_eq!(output, None),
///         _ => assert_eq!(output, Some("out/j2.pdf")),
///     }
/// }
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! paths {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident in $prefix:literal {
            $( $(#[$fattr:meta])* $field:ident : $path:literal ),* $(,)?
        }
    ) => {
        $crate::paths! {
            @struct RecordSet, builder($prefix), field, "Compiles the prefix and the fields.", "records";
            $(#[$attr])* $vis struct $name { $( $(#[$fattr])* $field: $path ),* }
        }
    };
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fattr:meta])* $field:ident : $path:literal ),* $(,)?
        }
    ) => {
        $crate::paths! {
            @struct PathSet, builder(), add, "Compiles the paths.", "paths";
            $(#[$attr])* $vis struct $name { $( $(#[$fattr])* $field: $path ),* }
        }
    };
    // Both forms: `$set` is built by `$set::builder($($arg)?)` and
    // `$add(path)` per field.
    (
        @struct $set:ident, builder($($arg:literal)?), $add:ident, $new_doc:literal, $what:literal;
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fattr:meta])* $field:ident : $path:literal ),*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone)]
        $vis struct $name {
            set: $crate::$set,
            $( $(#[$fattr])* pub $field: $crate::PathId, )*
        }

        impl $name {
            #[doc = $new_doc]
            ///
            /// # Errors
            #[doc = concat!("As for [`", stringify!($set), "::compile`]($crate::", stringify!($set), "::compile).")]
            // A program may never call it (a struct declared for later use).
            #[allow(dead_code)]
            pub fn new() -> ::core::result::Result<Self, $crate::Error> {
                let mut b = $crate::$set::builder($($arg)?);
                $( let $field = b.$add($path)?; )*
                ::core::result::Result::Ok($name { set: b.build()?, $( $field, )* })
            }

            #[doc = concat!("The compiled ", $what, ".")]
            // As for `new`.
            #[allow(dead_code)]
            pub fn set(&self) -> &$crate::$set {
                &self.set
            }
        }
    };
}

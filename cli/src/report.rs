//! Everything on stderr: errors (`source:line:col: error: …` and the place
//! in the line), warnings, and the progress of a `--stream` run.
//!
//! A write to a closed stderr (`2>&1 | head -1`) ends the run: it comes back
//! as a `BrokenPipe` error, which `main` turns into a quiet exit whose status
//! still says whether a document failed.

use std::cell::Cell;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use wanxiang::{Error, ErrorKind};

use crate::excerpt::excerpt;
use crate::input::Place;

/// Where the run's messages go, and whether any document failed.
pub struct Report {
    failed: Cell<bool>,
    progress: Option<Progress>,
}

/// The progress line: bytes read (the bar's position), documents framed,
/// documents per second.
struct Progress {
    bar: ProgressBar,
    documents: Arc<AtomicU64>,
}

impl Report {
    /// A report for a run; `stream` runs show progress when stderr is a
    /// terminal (and never otherwise: nothing is drawn into a pipe or file).
    pub fn new(stream: bool) -> Self {
        let progress = (stream && io::stderr().is_terminal()).then(Progress::new);
        Report {
            failed: Cell::new(false),
            progress,
        }
    }

    /// Whether a document failed (or could not be read).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// Marks the run failed without a message of its own.
    pub fn fail(&self) {
        self.failed.set(true);
    }

    /// `source:line:col: error: [document N: ]what`, positions counted in
    /// the whole file; with the document's `body`, then the line and a caret
    /// under the column, else ` (byte N)`. Trailing data that looks like the
    /// start of another document gets a hint to use `--stream`.
    pub fn error(&self, place: &Place<'_>, e: &Error, body: Option<&[u8]>) -> io::Result<()> {
        self.failed.set(true);
        let at = place.start.of(e);
        let mut msg = format!("{}:{}:{}: error: ", place.source, at.line, at.column);
        if let Some(i) = place.index {
            let _ = write!(msg, "document {i}: ");
        }
        let _ = write!(msg, "{}", e.kind());
        match body {
            None => {
                let _ = writeln!(msg, " (byte {})", at.offset);
            }
            Some(body) => {
                msg.push('\n');
                if let Some((text, caret)) = excerpt(body, e.offset()) {
                    let _ = writeln!(msg, "  {text}\n  {caret}");
                }
                if place.index.is_none() && another_document_follows(e, body) {
                    msg.push_str(
                        "  hint: what follows looks like another document; \
                         for NDJSON or concatenated documents, use --stream\n",
                    );
                }
            }
        }
        self.print(&msg)
    }

    /// `source:line:col: warning: [document N: ]what` for a value error in
    /// a document that is otherwise fine.
    pub fn warning(&self, place: &Place<'_>, e: &Error) -> io::Result<()> {
        let at = place.start.of(e);
        let mut msg = format!("{}:{}:{}: warning: ", place.source, at.line, at.column);
        if let Some(i) = place.index {
            let _ = write!(msg, "document {i}: ");
        }
        let _ = writeln!(msg, "{}", e.kind());
        self.print(&msg)
    }

    /// `source: error: cannot read: why`.
    pub fn unreadable(&self, source: &str, e: &io::Error) -> io::Result<()> {
        self.failed.set(true);
        self.print(&format!("{source}: error: cannot read: {e}\n"))
    }

    /// A message not about one document (`wanxiang: …`).
    pub fn note(&self, what: &str) -> io::Result<()> {
        self.print(&format!("wanxiang: {what}\n"))
    }

    /// An error that stopped the run (writing stdout failed, say): printed
    /// if stderr still takes it, and the run failed.
    pub fn fatal(&self, e: &io::Error) {
        self.failed.set(true);
        let _ = self.print(&format!("wanxiang: {e}\n"));
    }

    /// Progress after `documents` documents and `bytes` bytes of a stream.
    pub fn progress(&self, bytes: u64, documents: u64) {
        if let Some(p) = &self.progress {
            p.documents.store(documents, Ordering::Relaxed);
            p.bar.set_position(bytes);
        }
    }

    /// Erases the progress line, if one was drawn.
    pub fn finish(&self) {
        if let Some(p) = &self.progress {
            p.bar.finish_and_clear();
        }
    }

    /// Writes `msg` in one piece, the progress line (if any) taken away for
    /// it. Any failure means stderr is gone: `BrokenPipe`.
    fn print(&self, msg: &str) -> io::Result<()> {
        let write = || {
            let mut err = io::stderr().lock();
            err.write_all(msg.as_bytes()).and_then(|()| err.flush())
        };
        let written = match &self.progress {
            Some(p) => p.bar.suspend(write),
            None => write(),
        };
        written.map_err(|e| io::Error::new(io::ErrorKind::BrokenPipe, e))
    }
}

impl Progress {
    fn new() -> Self {
        let documents = Arc::new(AtomicU64::new(0));
        let (count, rate) = (Arc::clone(&documents), Arc::clone(&documents));
        let style = ProgressStyle::with_template(
            "{decimal_bytes} read, {documents} documents, {rate} documents/s",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key(
            "documents",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", count.load(Ordering::Relaxed));
            },
        )
        .with_key(
            "rate",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let secs = state.elapsed().as_secs_f64().max(1e-9);
                let _ = write!(w, "{:.0}", rate.load(Ordering::Relaxed) as f64 / secs);
            },
        );
        // At most four redraws a second.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4))
            .with_style(style);
        Progress { bar, documents }
    }
}

/// Whether `e` is trailing data whose first bytes open another document
/// (`{`, `[` or `<`): the input is probably NDJSON or concatenated.
fn another_document_follows(e: &Error, body: &[u8]) -> bool {
    if e.kind() != ErrorKind::TrailingData {
        return false;
    }
    let rest = body.get(e.offset()..).unwrap_or_default();
    let next = rest.iter().find(|b| !b.is_ascii_whitespace());
    matches!(next, Some(b'{' | b'[' | b'<'))
}

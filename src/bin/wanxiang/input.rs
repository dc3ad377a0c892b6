//! Where documents come from: one per file, or many per file with `--stream`
//! (framed in bounded memory), and where their errors are reported.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::time::{Duration, Instant};

use wanxiang::stream::{FrameReader, Framer, Location, ReadError};
use wanxiang::{Error, ErrorKind};

use crate::excerpt;

/// Where one document came from, to label its output and place its errors.
pub struct Place<'a> {
    /// The file name, or `-` for standard input.
    pub source: &'a str,
    /// The document's index in its stream (`--stream` only).
    pub index: Option<u64>,
    /// Where the document starts in its stream (the start of the file otherwise).
    pub start: Location,
}

impl Place<'_> {
    /// Prints `source:line:col: error: [document N: ]what` to stderr,
    /// positions counted in the whole file; with `body`, then the line and a
    /// caret under the column, else ` (byte N)`.
    pub fn error(&self, e: &Error, body: Option<&[u8]>) {
        let at = self.start.of(e);
        if self.index.is_some() && io::stderr().is_terminal() {
            // Erase a progress line (ANSI "clear line") before the message.
            eprint!("\r\x1b[2K");
        }
        let doc = self
            .index
            .map_or(String::new(), |i| format!("document {i}: "));
        let head = format!(
            "{}:{}:{}: error: {doc}{}",
            self.source,
            at.line,
            at.column,
            e.kind()
        );
        match body {
            None => eprintln!("{head} (byte {})", at.offset),
            Some(body) => {
                eprintln!("{head}");
                if let Some((text, caret)) = excerpt(body, e.offset()) {
                    eprintln!("  {text}\n  {caret}");
                }
            }
        }
    }

    /// Prints `source:line:col: warning: [document N: ]what` for a value
    /// error in a document that is otherwise fine.
    pub fn warning(&self, e: &Error) {
        let at = self.start.of(e);
        let doc = self
            .index
            .map_or(String::new(), |i| format!("document {i}: "));
        eprintln!(
            "{}:{}:{}: warning: {doc}{}",
            self.source,
            at.line,
            at.column,
            e.kind()
        );
    }
}

/// Calls `each` with every document of every file. Read and framing errors
/// are reported here and make the result `false`; so does `each` returning
/// `false`. Shows progress on a terminal for `--stream` runs.
pub fn documents(
    files: &[String],
    stream: bool,
    max: usize,
    mut each: impl FnMut(&Place<'_>, &[u8]) -> io::Result<bool>,
) -> io::Result<bool> {
    let mut ok = true;
    let mut progress = Progress::new(stream);
    for source in files {
        if !stream {
            let place = Place {
                source,
                index: None,
                start: Location::START,
            };
            match read(source, max) {
                Ok(Ok(body)) => ok &= each(&place, &body)?,
                Ok(Err(e)) => {
                    place.error(&e, None);
                    ok = false;
                }
                Err(e) => {
                    eprintln!("{source}: error: cannot read: {e}");
                    ok = false;
                }
            }
            continue;
        }
        let reader: Box<dyn Read> = if source == "-" {
            Box::new(io::stdin().lock())
        } else {
            match File::open(source) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    eprintln!("{source}: error: cannot read: {e}");
                    ok = false;
                    continue;
                }
            }
        };
        let mut frames = FrameReader::new(reader, Framer::new().with_max_frame(max));
        loop {
            let next = frames.next();
            progress.show(frames.framer());
            match next {
                None => break,
                Some(Ok((frame, body))) => {
                    let place = Place {
                        source,
                        index: Some(frame.index()),
                        start: frame.location(),
                    };
                    ok &= each(&place, &body)?;
                }
                Some(Err(ReadError::Io(e))) => {
                    progress.clear();
                    eprintln!("{source}: error: cannot read: {e}");
                    ok = false;
                    break;
                }
                Some(Err(ReadError::Frame(e))) => {
                    // A runaway or unclosed document: framing cannot go on.
                    progress.clear();
                    let place = Place {
                        source,
                        index: Some(frames.framer().documents()),
                        start: frames.framer().location(),
                    };
                    place.error(&e, None);
                    ok = false;
                    break;
                }
            }
        }
    }
    progress.clear();
    Ok(ok)
}

/// Reads a file (or stdin for `-`), refusing more than `max` bytes without
/// reading them all.
pub fn read(source: &str, max: usize) -> io::Result<Result<Vec<u8>, Error>> {
    let mut buf = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    if source == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        let file = File::open(source)?;
        if file.metadata()?.len() > max as u64 {
            return Ok(Err(Error::at(ErrorKind::SizeLimit, max, b"")));
        }
        file.take(limit).read_to_end(&mut buf)?;
    }
    if buf.len() > max {
        return Ok(Err(Error::at(ErrorKind::SizeLimit, max, &buf)));
    }
    Ok(Ok(buf))
}

/// Progress of a long `--stream` run on stderr: only when stderr is a
/// terminal, at most four times a second, erased at the end.
struct Progress {
    on: bool,
    started: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn new(stream: bool) -> Self {
        let now = Instant::now();
        Progress {
            on: stream && io::stderr().is_terminal(),
            started: now,
            last: now,
            shown: false,
        }
    }

    fn show(&mut self, framer: &Framer) {
        if !self.on || self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let docs = framer.documents();
        let bytes = framer.location().offset;
        eprint!(
            "\r{:.1} MB, {docs} documents, {:.0} documents/s   ",
            bytes as f64 / 1e6,
            docs as f64 / secs
        );
        let _ = io::stderr().flush();
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r{:60}\r", "");
            self.shown = false;
        }
    }
}

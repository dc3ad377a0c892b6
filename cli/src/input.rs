//! Where documents come from: one per file, or many per file with `--stream`
//! (framed in bounded memory).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use wanxiang::stream::{FrameReader, Framer, Location, ReadError};
use wanxiang::{Error, ErrorKind};

use crate::report::Report;

/// Where one document came from, to label its output and place its errors.
pub struct Place<'a> {
    /// The file name as shown (`-` for standard input; a name that is not
    /// UTF-8 with U+FFFD for what is not).
    pub source: &'a str,
    /// The document's index in its stream (`--stream` only).
    pub index: Option<u64>,
    /// Where the document starts in its stream (the start of the file otherwise).
    pub start: Location,
}

/// Whether `path` means standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Calls `each` with every document of every file. Read and framing errors
/// are reported here (and fail the run). An error from `each`, or from
/// writing to stderr, stops everything and is returned.
pub fn documents(
    files: &[PathBuf],
    stream: bool,
    max: usize,
    report: &Report,
    mut each: impl FnMut(&Place<'_>, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    for path in files {
        let source: Cow<'_, str> = path.to_string_lossy();
        let source = source.as_ref();
        if !stream {
            let place = Place {
                source,
                index: None,
                start: Location::START,
            };
            match read(path, max) {
                Ok(Ok(body)) => each(&place, &body)?,
                Ok(Err(e)) => report.error(&place, &e, None)?,
                Err(e) => report.unreadable(source, &e)?,
            }
            continue;
        }
        let reader: Box<dyn Read> = if is_stdin(path) {
            Box::new(io::stdin().lock())
        } else {
            match File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    report.unreadable(source, &e)?;
                    continue;
                }
            }
        };
        let mut frames = FrameReader::new(reader, Framer::new().with_max_frame(max));
        loop {
            let next = frames.next();
            let framer = frames.framer();
            report.progress(framer.location().offset, framer.documents());
            match next {
                None => break,
                Some(Ok((frame, body))) => {
                    let place = Place {
                        source,
                        index: Some(frame.index()),
                        start: frame.location(),
                    };
                    each(&place, &body)?;
                }
                Some(Err(ReadError::Io(e))) => {
                    report.unreadable(source, &e)?;
                    break;
                }
                Some(Err(ReadError::Frame(e))) => {
                    // A runaway or unclosed document: framing cannot go on.
                    let place = Place {
                        source,
                        index: Some(frames.framer().documents()),
                        start: frames.framer().location(),
                    };
                    report.error(&place, &e, None)?;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Reads a file (or stdin for `-`), refusing more than `max` bytes without
/// reading them all.
pub fn read(path: &Path, max: usize) -> io::Result<Result<Vec<u8>, Error>> {
    let mut buf = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    if is_stdin(path) {
        io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        let file = File::open(path)?;
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

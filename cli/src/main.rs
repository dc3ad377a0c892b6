//! `wanxiang`: the command line face of the crate. Arguments (clap), input,
//! output records (serde_json) and progress (indicatif) only; all parsing is
//! the library's.

mod bench;
mod excerpt;
mod input;
mod output;
mod report;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use wanxiang::{Callback, ErrorKind, Hit, Limits, Options, PathSet, RecordSet, Validation};

use output::{EachLine, ExtractLine, Fields, JobLine, Lines};
use report::Report;

const EXIT_STATUS: &str = "\
Exit status: 0 every document was read, 1 some document failed (the others
are still processed and printed), 2 usage error. Errors go to stderr as
SOURCE:LINE:COL: error: MESSAGE.";

/// Reads Tencent Cloud Infinite (数据万象) job callbacks, XML or JSON, and
/// prints what they say as JSON lines.
#[derive(Parser)]
#[command(
    name = "wanxiang",
    version,
    propagate_version = true,
    after_help = EXIT_STATUS,
    // No command at all is a usage error like any other: one line and a hint,
    // not the whole help.
    arg_required_else_help = false
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print chosen fields of every document, or of every item of a list, as JSON lines
    ///
    /// Each line is
    ///   {"source": FILE, "format": "xml"|"json", "fields": {PATH: VALUE, ...}}
    /// with the keys of "fields" in the order the paths were given. VALUE is
    /// the decoded string of the first match (null when absent or JSON null),
    /// or an array of strings for a path with a `#` step (empty when absent).
    /// A path that ends on an element or object gives its raw text. With
    /// --stream, lines also carry "document": N.
    ///
    /// Paths start inside the root element (XML) or the top-level object
    /// (JSON); a {"Response": {...}} wrapper is looked through. Examples:
    /// EventName, JobsDetail.#.JobId, JobsDetail.0.Operation.Output.Object.
    ///
    /// With --each PREFIX, one line per item of the list PREFIX instead:
    ///   {"source": FILE, "format": "xml"|"json", "item": K, "fields": {RELPATH: VALUE, ...}}
    /// K counts the items of a document from 0, and every RELPATH is read
    /// inside that item only: a field the item lacks is null (or []), never
    /// another item's value. A document whose prefix matches nothing prints
    /// no line. Example:
    ///   wanxiang extract --each JobsDetail -f JobId,State,Operation.Output.Object
    #[command(verbatim_doc_comment, after_help = EXIT_STATUS)]
    Extract(ExtractArgs),
    /// Print one JSON line per job (JobsDetail item) and per workflow task
    ///
    /// Keys, null when absent: source, format, event, kind ("job"|"task"),
    /// index, JobId, Tag, State, Code, Message, CreationTime, StartTime,
    /// EndTime (as written) and CreationTimeUnix, StartTimeUnix, EndTimeUnix
    /// (seconds), InputObject, OutputObject, UserData, QueueId, WorkflowId,
    /// RunId, WorkflowName, WorkflowNode. For a task, Tag is its Type,
    /// CreationTime its CreateTime, InputObject the workflow's Object. A
    /// timestamp that is present but invalid prints null and a warning.
    #[command(verbatim_doc_comment, after_help = EXIT_STATUS)]
    Jobs(TypedArgs),
    /// Validate documents; print each bad one's position and the place in the line.
    #[command(after_help = EXIT_STATUS)]
    Check(TypedArgs),
    /// Measure extraction speed on your own documents.
    ///
    /// Prints the throughput (GB/s, documents/s) and the median time per
    /// document. Without -f, the seven paths of the README's performance
    /// table are extracted.
    #[command(after_help = EXIT_STATUS)]
    Bench(BenchArgs),
    /// Print a completion script for SHELL on stdout.
    ///
    /// For example: wanxiang completions bash > ~/.local/share/bash-completion/completions/wanxiang
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where the documents come from, and the limits they are read with.
#[derive(Args)]
struct Input {
    /// Files to read; `-` (the default) is standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Each FILE holds many documents (NDJSON, concatenated JSON or XML)
    ///
    /// They are read in bounded memory; output lines gain a "document" index
    /// and errors say which document.
    #[arg(long)]
    stream: bool,
    /// Reject JSON trailing commas
    ///
    /// They are accepted by default: the official examples have them.
    #[arg(long)]
    strict: bool,
    /// The largest document accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_input())]
    max_size: usize,
}

#[derive(Args)]
struct ExtractArgs {
    /// Comma-separated paths (repeatable; `\,` for a literal comma); with
    /// --each, relative to one item.
    #[arg(short = 'f', long = "fields", value_name = "PATHS", required = true, value_parser = path_list)]
    fields: Vec<PathList>,
    /// One line per item of the list PREFIX, with the paths relative to it
    ///
    /// PREFIX names a list in the path syntax:
    ///   JobsDetail                     every job (the same as JobsDetail.#)
    ///   JobsDetail.0                   the first job only
    ///   WorkflowExecution.Tasks        every task of the workflow
    ///   JobsDetail.#.Input.CosHeaders  every header of every job, numbered
    ///                                  across the jobs
    ///   #                              every item of a top-level JSON array
    /// A relative path starts with a name or an attribute, not `#` or an
    /// index.
    #[arg(long, value_name = "PREFIX", value_parser = each_prefix, verbatim_doc_comment)]
    each: Option<String>,
    /// Stop reading a document once every value is known
    ///
    /// What comes after the last value needed is not checked.
    #[arg(long)]
    skim: bool,
    #[command(flatten)]
    input: Input,
}

#[derive(Args)]
struct TypedArgs {
    #[command(flatten)]
    input: Input,
}

#[derive(Args)]
struct BenchArgs {
    /// Comma-separated paths (repeatable; `\,` for a literal comma).
    #[arg(short = 'f', long = "fields", value_name = "PATHS", value_parser = path_list)]
    fields: Vec<PathList>,
    /// Stop reading a document once every value is known.
    #[arg(long)]
    skim: bool,
    /// Passes over the documents (default: enough for about a second).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rounds: Option<u32>,
    #[command(flatten)]
    input: Input,
}

/// The paths of one `-f` value, each checked to compile.
#[derive(Clone)]
struct PathList(Vec<String>);

/// Parses one `-f` value: `a,b\,c` is `a` and `b,c`. A path that does not
/// compile is a usage error that names it.
fn path_list(list: &str) -> Result<PathList, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                cur.push(',');
            }
            ',' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.retain(|s| !s.is_empty());
    if out.is_empty() {
        return Err("no path given".into());
    }
    for p in &out {
        if let Err(e) = PathSet::compile([p]) {
            return Err(format!(
                "bad path `{p}` at column {}: {}",
                e.column(),
                e.kind()
            ));
        }
    }
    Ok(PathList(out))
}

/// Parses the `--each` value: a prefix that names a list. A prefix that is
/// not a path, ends on an attribute, or leaves no step for a field is a usage
/// error that names it.
fn each_prefix(prefix: &str) -> Result<String, String> {
    if let Err(e) = PathSet::compile([prefix]) {
        return Err(format!(
            "bad prefix `{prefix}` at column {}: {}",
            e.column(),
            e.kind()
        ));
    }
    // With one field of one step: what is left to refuse is the prefix's.
    match RecordSet::compile(prefix, ["x"]) {
        Ok(_) => Ok(prefix.to_string()),
        Err(e) if e.kind() == ErrorKind::PathLimit => Err(format!(
            "bad prefix `{prefix}`: too many steps to leave room for a field"
        )),
        Err(e) => Err(format!(
            "bad prefix `{prefix}` at column {}: a prefix names a list (its last step a name, `#` or an index), not an attribute",
            e.column()
        )),
    }
}

/// Compiles the `--each` record set from a prefix and paths that each
/// passed their own parser; a path that cannot be relative to an item (it
/// starts with `#` or an index, or is too long beside the prefix) is a
/// usage error, exit status 2, before any document is read.
fn compile_records(prefix: &str, paths: &[String]) -> RecordSet {
    for path in paths {
        let why = match RecordSet::compile(prefix, [path]) {
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::PathLimit => {
                format!("bad path `{path}`: more than {} steps with the prefix", wanxiang::path::MAX_STEPS)
            }
            Err(e) => format!(
                "bad path `{path}` at column {}: a path relative to an item starts with a name or an attribute, not `#` or an index",
                e.column()
            ),
        };
        usage_error(format!(
            "invalid value for '--fields <PATHS>' with '--each {prefix}': {why}"
        ));
    }
    match RecordSet::compile(prefix, paths) {
        Ok(set) => set,
        Err(e) => usage_error(format!(
            "invalid value for '--fields <PATHS>': {}",
            e.kind()
        )),
    }
}

/// Prints a usage error the way clap prints its own (one line and a hint)
/// and exits with status 2.
fn usage_error(message: String) -> ! {
    let mut cli = Cli::command();
    cli.build();
    let extract = cli.find_subcommand_mut("extract");
    match extract {
        Some(cmd) => cmd.error(clap::error::ErrorKind::ValueValidation, message),
        None => cli.error(clap::error::ErrorKind::ValueValidation, message),
    }
    .exit()
}

/// Every path of every `-f`, in order.
fn flatten(lists: &[PathList]) -> Vec<String> {
    lists.iter().flat_map(|l| l.0.iter().cloned()).collect()
}

impl Input {
    fn options(&self, validation: Validation) -> Options {
        Options::new()
            .limits(Limits::default().with_max_input(self.max_size))
            .validation(validation)
            .strict(self.strict)
    }

    /// The files, standard input when none is given.
    fn files(&self) -> Vec<PathBuf> {
        if self.files.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.files.clone()
        }
    }
}

fn validation(skim: bool) -> Validation {
    if skim {
        Validation::Skim
    } else {
        Validation::Full
    }
}

fn main() -> ExitCode {
    // Help and the version exit 0 here; a usage error prints one line and a
    // hint and exits 2.
    let cli = Cli::parse();
    let stream = match &cli.command {
        Command::Extract(a) => a.input.stream,
        Command::Jobs(a) | Command::Check(a) => a.input.stream,
        Command::Bench(a) => a.input.stream,
        Command::Completions { .. } => false,
    };
    let report = Report::new(stream);
    let result = match &cli.command {
        Command::Extract(args) => extract(args, &report),
        Command::Jobs(args) => typed(args, true, &report),
        Command::Check(args) => typed(args, false, &report),
        Command::Bench(args) => bench::run(args, &report),
        Command::Completions { shell } => completions(*shell),
    };
    report.finish();
    match result {
        Ok(()) => {}
        // stdout or stderr was closed (`| head`): stop quietly; the status
        // still says whether a document failed before that.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => report.fatal(&e),
    }
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Compiles paths that each compiled alone (see [`path_list`]); exits with
/// status 2 should the set as a whole be refused.
fn compile(paths: &[String]) -> PathSet {
    match PathSet::compile(paths) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(io::stderr(), "wanxiang: {}", e.kind());
            std::process::exit(2);
        }
    }
}

/// `extract`: the fields of every document.
fn extract(args: &ExtractArgs, report: &Report) -> io::Result<()> {
    let paths = flatten(&args.fields);
    if let Some(prefix) = &args.each {
        let records = compile_records(prefix, &paths);
        return extract_each(args, &records, &paths, report);
    }
    let set = compile(&paths);
    let options = args.input.options(validation(args.skim));
    let mut out = Lines::stdout();
    // One list of hits for every document (`Hit::recycle` keeps its buffer).
    let mut spare: Vec<Hit<'static>> = Vec::new();
    input::documents(
        &args.input.files(),
        args.input.stream,
        args.input.max_size,
        report,
        |place, body| {
            let mut hits = Hit::recycle(std::mem::take(&mut spare));
            match set.visit(body, &options, |h| hits.push(h)) {
                Ok(format) => out.write(&ExtractLine {
                    source: place.source,
                    document: place.index,
                    format: format.as_str(),
                    fields: Fields {
                        set: &set,
                        paths: &paths,
                        hits: &hits,
                    },
                })?,
                Err(e) => {
                    out.flush()?;
                    report.error(place, &e, Some(body))?;
                }
            }
            spare = Hit::recycle(hits);
            Ok(())
        },
    )?;
    out.flush()
}

/// `extract --each`: the fields of every item of the prefix's list, one line
/// per item. The whole document is read before its lines are printed, so a
/// bad document prints no line at all, as without --each.
fn extract_each(
    args: &ExtractArgs,
    records: &RecordSet,
    paths: &[String],
    report: &Report,
) -> io::Result<()> {
    let options = args.input.options(validation(args.skim));
    let mut out = Lines::stdout();
    // One list of hits for every document (`Hit::recycle` keeps its buffer).
    let mut spare: Vec<Hit<'static>> = Vec::new();
    input::documents(
        &args.input.files(),
        args.input.stream,
        args.input.max_size,
        report,
        |place, body| {
            let mut hits = Hit::recycle(std::mem::take(&mut spare));
            match records.extract_vec_with(body, &options, &mut hits) {
                Ok(found) => {
                    let format = found.format().as_str();
                    for record in found.iter() {
                        out.write(&EachLine {
                            source: place.source,
                            document: place.index,
                            format,
                            item: record.index(),
                            fields: Fields {
                                set: records,
                                paths,
                                hits: record.hits(),
                            },
                        })?;
                    }
                }
                Err(e) => {
                    out.flush()?;
                    report.error(place, &e, Some(body))?;
                }
            }
            spare = Hit::recycle(hits);
            Ok(())
        },
    )?;
    out.flush()
}

/// `jobs` (with `print`) and `check`: every document through the typed
/// view, which checks the whole document before anything is printed for it.
fn typed(args: &TypedArgs, print: bool, report: &Report) -> io::Result<()> {
    let options = args.input.options(Validation::Full);
    let mut out = Lines::stdout();
    input::documents(
        &args.input.files(),
        args.input.stream,
        args.input.max_size,
        report,
        |place, body| {
            let cb = match Callback::parse_with(body, &options) {
                Ok(cb) => cb,
                Err(e) => {
                    out.flush()?;
                    return report.error(place, &e, Some(body));
                }
            };
            if !print {
                return Ok(());
            }
            for (i, job) in cb.jobs().enumerate() {
                let (line, times) = JobLine::job(place, &cb, i, &job);
                write_job(&mut out, report, place, &line, &times)?;
            }
            if let Some(wf) = cb.workflow() {
                for (i, task) in wf.tasks().enumerate() {
                    let (line, times) = JobLine::task(place, &cb, i, &task, &wf);
                    write_job(&mut out, report, place, &line, &times)?;
                }
            }
            Ok(())
        },
    )?;
    out.flush()
}

/// Prints one `jobs` line, then a warning for each timestamp that is
/// present but invalid (its Unix seconds print as null; the document itself
/// is fine).
fn write_job(
    out: &mut Lines,
    report: &Report,
    place: &input::Place<'_>,
    line: &JobLine<'_>,
    times: &output::Times,
) -> io::Result<()> {
    out.write(line)?;
    for e in times.iter().filter_map(|t| t.as_ref().err()) {
        out.flush()?;
        report.warning(place, e)?;
    }
    Ok(())
}

/// `completions SHELL`: the script, built in memory first (the generator
/// cannot report a closed stdout).
fn completions(shell: clap_complete::Shell) -> io::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "wanxiang", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn path_lists_split_on_unescaped_commas() {
        let got = path_list(r"a,b\,c,,d").unwrap().0;
        assert_eq!(got, ["a", "b,c", "d"]);
        assert!(path_list(",").is_err());
        let e = path_list("a..b").err().unwrap();
        assert!(e.starts_with("bad path `a..b` at column"), "{e}");
    }
}

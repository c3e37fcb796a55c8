//! The `cxmap` command: parse arguments, call the library, print diagnostics, exit with
//! 0 (success), 1 (content errors) or 2 (usage errors). One short function per command;
//! the arguments themselves are in [`cli`].

mod cli;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use cli::{Cli, Color, Command, ThemeAction};
use cxmap::diag::{Diagnostics, terminal_safe};
use cxmap::error::Error;
use cxmap::term::{self, Out, display_path};
use cxmap::text::plural;
use cxmap::{compare, export, report, scaffold};

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings on every core, and spends a third less time doing so.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Result<T = ExitCode> = std::result::Result<T, Error>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => Some(true),
        Color::Never => Some(false),
        Color::Auto => None,
    };
    let out = Out::new(color, cli.quiet);
    run(cli.command, out).unwrap_or_else(|e| {
        out.error(&e.to_string());
        ExitCode::from(e.exit_code())
    })
}

/// The switchboard: one command, one function.
fn run(command: Command, out: Out) -> Result {
    match command {
        Command::Init(args) => init(args, out),
        Command::Build(args) => build(args, out),
        Command::Serve(args) => serve(args, out),
        Command::Check(args) => check(args, out),
        Command::New(args) => new(args),
        Command::Theme {
            action: ThemeAction::Eject(args),
        } => theme_eject(args, out),
        Command::Export(args) => export(args, out),
        Command::Diff(args) => diff(args, out),
        Command::Report(args) => report(args, out),
        Command::Import(args) => import(args, out),
    }
}

fn init(args: cli::Init, out: Out) -> Result {
    let files = scaffold::init(&args.dir, args.force)?;
    if out.chatty {
        for f in &files {
            eprintln!("created {}", display_path(f));
        }
        let (dir, public) = (args.dir.display(), args.dir.join("public"));
        eprintln!(
            "\nNext: cxmap build {dir}  (then open {}/index.html)",
            public.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn build(args: cli::Build, out: Out) -> Result {
    let started = Instant::now();
    let root = cxmap::load::find_root(&args.dir)?;
    let dest = args.output.unwrap_or_else(|| root.join("public"));
    let outcome = cxmap::build(&root, Some(&dest))?;
    finish(out, &outcome.diagnostics, || {
        let secs = started.elapsed().as_secs_f64();
        let (pages, to) = (plural(outcome.pages, "page"), display_path(&dest));
        format!("built {pages} in {secs:.2} s into {to}")
    })
}

fn check(args: cli::Check, out: Out) -> Result {
    let root = cxmap::load::find_root(&args.dir)?;
    let outcome = cxmap::check(&root)?;
    if args.stale
        && let Some(site) = &outcome.site
    {
        print!("{}", terminal_safe(&term::stale_report(site)));
    }
    finish(out, &outcome.diagnostics, || {
        let site = outcome.site.as_ref();
        let (j, p) = site.map_or((0, 0), |s| (s.journeys.len(), s.personas.len()));
        let (j, p) = (plural(j, "journey"), plural(p, "persona"));
        format!("checked {j} and {p}: no errors")
    })
}

fn new(args: cli::New) -> Result {
    let root = cxmap::load::find_root(&args.root)?;
    let kind = match args.kind {
        cli::Kind::Journey => scaffold::NewKind::Journey,
        cli::Kind::Persona => scaffold::NewKind::Persona,
    };
    let path = scaffold::new(&root, kind, &args.name, args.force)?;
    println!("{}", display_path(&path));
    Ok(ExitCode::SUCCESS)
}

fn theme_eject(args: cli::Eject, out: Out) -> Result {
    let root = cxmap::load::find_root(&args.root)?;
    let files = cxmap::eject::run(&root, args.from.name(), &args.name)?;
    if out.chatty {
        for f in &files {
            eprintln!("created {}", display_path(f));
        }
        let name = &args.name;
        eprintln!("Set `theme = \"{name}\"` in cxmap.toml to build with it.");
    }
    Ok(ExitCode::SUCCESS)
}

fn export(args: cli::Export, out: Out) -> Result {
    let root = cxmap::load::find_root(&args.dir)?;
    let format = match args.format {
        cli::ExportFormat::Png => export::Format::Png,
        cli::ExportFormat::Pdf => export::Format::Pdf,
        cli::ExportFormat::Csv => export::Format::Csv,
        cli::ExportFormat::Json => export::Format::Json,
    };
    let request = export::Request {
        format,
        journeys: args.journeys,
        out: args.output,
        scale: args.scale,
        lang: args.lang,
        force: args.force,
    };
    let progress = |p: export::Progress<'_>| {
        if out.chatty && p.total > 1 {
            eprintln!("[{}/{}] journeys/{}", p.done, p.total, p.journey.0);
        }
    };
    // An unknown journey or a bad value is `Error::Usage`: exit 2 in `main`.
    let outcome = export::run(&root, &request, &progress)?;
    let written = &outcome.written;
    finish(out, &outcome.diagnostics, || match written.as_slice() {
        [] => "no journey has stages: no poster to export".to_string(),
        [one] => format!("wrote {}", display_path(one)),
        [first, ..] => {
            let folder = display_path(first.parent().unwrap_or(Path::new(".")));
            format!("wrote {} posters into {folder}", written.len())
        }
    })
}

fn import(args: cli::Import, out: Out) -> Result {
    use cxmap::mermaid::import;
    let cli::ImportFormat::Mermaid = args.format;
    let root = cxmap::load::find_root(&args.root)?;
    // A missing file or an `-o` outside `journeys/` is `Error::Usage`: exit 2.
    if !args.file.is_file() {
        let message = format!("`{}` is not a file", args.file.display());
        return Err(Error::Usage {
            message,
            help: None,
        });
    }
    let output = args.output.map(|o| import::output_path(&root, &o));
    let output = output.transpose()?;
    let outcome = import::mermaid(&root, &args.file, output.as_deref(), args.force)?;
    for path in &outcome.created {
        println!("{}", display_path(path));
    }
    let journey = outcome.created.first().map(|p| display_path(p));
    finish(out, &outcome.diagnostics, || {
        let (file, journey) = (args.file.display(), journey.unwrap_or_default());
        format!("imported {file} into {journey}")
    })
}

fn diff(args: cli::Diff, out: Out) -> Result {
    let request = match (args.before, args.after) {
        (Some(before), Some(after)) => compare::Request::Folders { before, after },
        _ => compare::Request::Revisions {
            root: args.root,
            revs: args.revs,
        },
    };
    let (before, after) = compare::sides(&request)?;
    for side in [&before, &after] {
        if !side.outcome.diagnostics.all().is_empty() {
            eprintln!("in the {}:", side.label);
            eprint!("{}", side.outcome.diagnostics.render(out.color));
        }
    }
    let Some(changes) = compare::changes(&before, &after) else {
        let word = term::error_word(out.color);
        eprintln!("{word}: content errors; nothing was compared");
        return Ok(ExitCode::from(1));
    };
    match args.format {
        cli::DiffFormat::Text => print!("{}", changes.to_text()),
        cli::DiffFormat::Markdown => print!("{}", changes.to_markdown()),
        cli::DiffFormat::Json => {
            let json = serde_json::to_string_pretty(&changes).unwrap_or_default();
            println!("{json}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report(args: cli::Report, out: Out) -> Result {
    let root = cxmap::load::find_root(&args.dir)?;
    let format = match args.format {
        cli::ReportFormat::Pdf => report::Format::Pdf,
        cli::ReportFormat::Html => report::Format::Html,
    };
    let request = report::Request {
        format,
        out: args.output,
        lang: args.lang,
        tag: args.tag,
        journeys: args.journeys,
        since: args.since,
        force: args.force,
    };
    // Refused before the portfolio is read, which takes a while.
    let path = report::path(&root, &request);
    cxmap::write::check(&root, &path, report::replace(&request))?;
    let started = Instant::now();
    out.say(|| "reading the site…".to_string());
    let (document, diagnostics) = report::build(&root, &request)?;
    if !diagnostics.all().is_empty() {
        eprint!("{}", diagnostics.render(out.color));
    }
    let Some(document) = document else {
        return Ok(ExitCode::from(1));
    };
    out.say(|| {
        let (j, pains) = (document.journeys.len(), document.pains.len());
        let personas = document.personas.len();
        format!("writing {j} journeys, {pains} pain points, {personas} personas…")
    });
    let path = report::write(&root, &request, &document)?;
    let ms = started.elapsed().as_millis();
    out.say(|| format!("wrote {} in {ms} ms", path.display()));
    Ok(ExitCode::SUCCESS)
}

/// Runs the preview until Ctrl+C; each build prints a line (or its diagnostics).
fn serve(args: cli::Serve, out: Out) -> Result {
    use cxmap::serve::{Options, Server};
    let root = cxmap::load::find_root(&args.dir)?;
    let on_build = Box::new(term::serve_reporter(out.color));
    let (bind, port) = (args.bind, args.port);
    let options = Options {
        bind,
        port,
        ..Options::default()
    };
    let server = Server::start(&root, &options, on_build)?;
    if let Some(taken) = server.port_taken {
        let port = server.addr().port();
        eprintln!("port {taken} is in use; using {port} instead");
    }
    if !bind.is_loopback() {
        eprintln!("warning: listening on {bind}: other machines on the network can see the site");
    }
    let url = server.url();
    println!("serving {} at {url}  (Ctrl+C to stop)", display_path(&root));
    if args.open {
        term::open_browser(&url);
    }
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Prints diagnostics and the closing line; the exit code follows the errors.
fn finish(out: Out, diags: &Diagnostics, success: impl FnOnce() -> String) -> Result {
    Ok(match out.finish(diags, success) {
        true => ExitCode::from(1),
        false => ExitCode::SUCCESS,
    })
}

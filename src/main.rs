//! The `cxmap` command: parse arguments, call the library, print diagnostics, exit with
//! 0 (success), 1 (content errors) or 2 (usage errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use cxmap::diag::terminal_safe;
use cxmap::error::Error;
use cxmap::scaffold::{self, NewKind};

/// mimalloc instead of the system allocator: a build allocates and frees many small
/// strings on every core, and spends a third less time doing so.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Customer journey maps as Markdown in git, built into a static site.
#[derive(Parser)]
#[command(name = "cxmap", version, about, long_about = None)]
struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    /// Print only errors and warnings.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site with a sample journey, persona and page.
    Init {
        /// Folder for the new site (created when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace the sample files when they exist already.
        #[arg(long)]
        force: bool,
    },
    /// Build the site into a folder of static files.
    Build {
        /// The site folder, or any folder inside it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: `public/` in the site).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Build the site into memory, serve it, and rebuild and reload the browser on
    /// every change.
    Serve {
        /// The site folder, or any folder inside it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port (default: 1111, or the next free one when it is taken; 0 for any
        /// free port). A port given here that is taken is an error.
        #[arg(short, long)]
        port: Option<u16>,
        /// The address to listen on; other machines can reach the preview only when
        /// this is not a loopback address (e.g. 0.0.0.0).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Validate every file of the site and write nothing; exit 1 on any error.
    Check {
        /// The site folder, or any folder inside it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also list the maps due for review (a report: it does not change the exit code).
        #[arg(long)]
        stale: bool,
    },
    /// Create a journey or persona file from a template.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: Kind,
        /// Title or path, e.g. "Returning an item" or retail/returns.
        name: String,
        /// The site folder (default: the site around the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace the file when it exists already.
        #[arg(long)]
        force: bool,
    },
    /// Work with themes: `cxmap theme eject` copies a built-in theme into the site.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Export journey posters (PNG, PDF) or the journey data (CSV, JSON).
    Export {
        /// The site folder, or any folder inside it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// What to write: posters as `png` or `pdf`, data as `csv` or `json`.
        #[arg(long, value_parser = ["png", "pdf", "csv", "json"])]
        format: String,
        /// Only this journey, by slug (e.g. retail/online-order); may be repeated.
        #[arg(long = "journey", value_name = "SLUG")]
        journeys: Vec<String>,
        /// Output folder (default: `exports/` in the site).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Pixels per map unit in PNG posters.
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// The language to export (one of the site's languages; default: the site's):
        /// each journey as that language shows it.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Replace files of the same names that cxmap did not write (files it wrote are
        /// always replaced; the site's sources never are).
        #[arg(long)]
        force: bool,
    },
    /// Say what changed in the maps between two git revisions (or two site folders), in
    /// journey terms.
    Diff {
        /// Revisions as git names them (HEAD, HEAD~2, main, a tag, a commit id). None:
        /// HEAD against the files on disk; one: it against the files on disk; two: the
        /// first against the second.
        #[arg(value_name = "REV", num_args = 0..=2, conflicts_with_all = ["before", "after"])]
        revs: Vec<String>,
        /// The site folder, or any folder inside it (default: the current folder).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Compare two folders instead: the site as it was (e.g. a checkout of main).
        #[arg(long, value_name = "DIR", requires = "after")]
        before: Option<PathBuf>,
        /// The site as it is now (with --before).
        #[arg(long, value_name = "DIR", requires = "before")]
        after: Option<PathBuf>,
        /// How to print the changes.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write a portfolio report: one PDF or printable HTML document of the selected maps.
    Report {
        /// The site folder, or any folder inside it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// `pdf` (vector, real text) or `html` (one self-contained file that prints).
        #[arg(long, value_parser = ["pdf", "html"], default_value = "pdf")]
        format: String,
        /// The file to write (default: report.pdf or report.html in the site folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The language (one of the site's; default: the site's).
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Only the journeys with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only this journey, by slug; may be repeated.
        #[arg(long = "journey", value_name = "SLUG")]
        journeys: Vec<String>,
        /// Also what changed in the maps since this git revision (a tag, a branch, HEAD~10).
        #[arg(long, value_name = "REV")]
        since: Option<String>,
        /// Replace a file that cxmap did not write (an earlier report is always
        /// replaced; the site's sources never are).
        #[arg(long)]
        force: bool,
    },
    /// Turn a diagram made with another tool into a journey file of the site.
    Import {
        /// The diagram's format.
        #[arg(value_enum)]
        format: ImportFormat,
        /// The diagram file, e.g. day.mmd.
        file: PathBuf,
        /// The journey file to write, in the site's `journeys/` (default: the title as a
        /// slug, e.g. journeys/my-working-day.md).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The site folder (default: the site around the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace the journey file when it exists already (persona files that exist
        /// are always kept).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Plain text for a terminal.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for other tools.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportFormat {
    /// A Mermaid user-journey diagram (`journey`).
    Mermaid,
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy a built-in theme into `themes/NAME/` of the site, to change it freely.
    Eject {
        /// The built-in theme to copy.
        #[arg(long, default_value = "default", value_parser = ["default", "workshop"])]
        from: String,
        /// The new theme's name (its folder under `themes/`).
        #[arg(long, default_value = "custom")]
        name: String,
        /// The site folder (default: the site around the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Journey,
    Persona,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stderr_tty = std::io::stderr().is_terminal();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stderr_tty && std::env::var_os("NO_COLOR").is_none(),
    };
    let chatty = !cli.quiet && stderr_tty;
    match run(cli.command, color, chatty) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "{}error{}: {}",
                if color { "\x1b[1;31m" } else { "" },
                if color { "\x1b[0m" } else { "" },
                terminal_safe(&e.to_string())
            );
            match e {
                Error::NotASite { .. }
                | Error::UnsafeOutput { .. }
                | Error::Exists { .. }
                | Error::Symlink { .. }
                | Error::NotMade { .. }
                | Error::SiteSource { .. }
                | Error::InvalidName { .. }
                | Error::Usage { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

fn run(command: Command, color: bool, chatty: bool) -> Result<ExitCode, Error> {
    match command {
        Command::Init { dir, force } => {
            let files = scaffold::init(&dir, force)?;
            if chatty {
                for f in &files {
                    eprintln!("created {}", display_rel(f));
                }
                eprintln!(
                    "\nNext: cxmap build {}  (then open {}/index.html)",
                    dir.display(),
                    dir.join("public").display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Theme {
            action: ThemeAction::Eject { from, name, root },
        } => {
            let root = cxmap::load::find_root(&root)?;
            let files = cxmap::eject::run(&root, &from, &name)?;
            if chatty {
                for f in &files {
                    eprintln!("created {}", display_rel(f));
                }
                eprintln!("Set `theme = \"{name}\"` in cxmap.toml to build with it.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            kind,
            name,
            root,
            force,
        } => {
            let root = cxmap::load::find_root(&root)?;
            let kind = match kind {
                Kind::Journey => NewKind::Journey,
                Kind::Persona => NewKind::Persona,
            };
            let path = scaffold::new(&root, kind, &name, force)?;
            println!("{}", display_rel(&path));
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            dir,
            format,
            journeys,
            output,
            scale,
            lang,
            force,
        } => {
            use cxmap::export::{self, Format};
            let root = cxmap::load::find_root(&dir)?;
            let format = match format.as_str() {
                "png" => Format::Png,
                "pdf" => Format::Pdf,
                "csv" => Format::Csv,
                _ => Format::Json,
            };
            let request = export::Request {
                format,
                journeys,
                out: output,
                scale,
                lang,
                force,
            };
            let progress = |p: export::Progress<'_>| {
                if chatty && p.total > 1 {
                    eprintln!("[{}/{}] journeys/{}", p.done, p.total, p.journey.0);
                }
            };
            // An unknown journey or a bad value is `Error::Usage`: exit 2 in `main`.
            let outcome = export::run(&root, &request, &progress)?;
            let written = &outcome.written;
            Ok(report(
                &outcome.diagnostics,
                color,
                || match written.as_slice() {
                    [] => "no journey has stages: no poster to export".to_string(),
                    [one] => format!("wrote {}", display_rel(one)),
                    [first, ..] => format!(
                        "wrote {} posters into {}",
                        written.len(),
                        display_rel(first.parent().unwrap_or(Path::new(".")))
                    ),
                },
                chatty,
            ))
        }
        Command::Import {
            format: ImportFormat::Mermaid,
            file,
            output,
            root,
            force,
        } => {
            use cxmap::mermaid::import;
            let root = cxmap::load::find_root(&root)?;
            // A missing file or an `-o` outside `journeys/` is `Error::Usage`: exit 2.
            if !file.is_file() {
                return Err(Error::Usage {
                    message: format!("`{}` is not a file", file.display()),
                    help: None,
                });
            }
            let output = output.map(|o| import::output_path(&root, &o)).transpose()?;
            let outcome = import::mermaid(&root, &file, output.as_deref(), force)?;
            for path in &outcome.created {
                println!("{}", display_rel(path));
            }
            let journey = outcome.created.first().map(|p| display_rel(p));
            Ok(report(
                &outcome.diagnostics,
                color,
                || {
                    format!(
                        "imported {} into {}",
                        file.display(),
                        journey.unwrap_or_default()
                    )
                },
                chatty,
            ))
        }
        Command::Diff {
            revs,
            root,
            before,
            after,
            format,
        } => {
            let ((before_label, before), (after_label, after)) = match (before, after) {
                (Some(b), Some(a)) => (
                    (
                        "--before site".to_string(),
                        cxmap::check(&cxmap::load::find_root(&b)?)?,
                    ),
                    (
                        "--after site".to_string(),
                        cxmap::check(&cxmap::load::find_root(&a)?)?,
                    ),
                ),
                _ => {
                    let root = cxmap::load::find_root(&root)?;
                    let at = |rev: Option<&String>| -> Result<(String, cxmap::Outcome), Error> {
                        Ok(match rev {
                            Some(rev) => (format!("site at `{rev}`"), cxmap::check_at(&root, rev)?),
                            None => ("site on disk".to_string(), cxmap::check(&root)?),
                        })
                    };
                    let head = "HEAD".to_string();
                    match revs.as_slice() {
                        [] => (at(Some(&head))?, at(None)?),
                        [one] => (at(Some(one))?, at(None)?),
                        [one, two, ..] => (at(Some(one))?, at(Some(two))?),
                    }
                }
            };
            let mut failed = false;
            for (label, outcome) in [(&before_label, &before), (&after_label, &after)] {
                if !outcome.diagnostics.all().is_empty() {
                    eprintln!("in the {label}:");
                    eprint!("{}", outcome.diagnostics.render(color));
                }
                failed |= outcome.diagnostics.has_errors();
            }
            let (Some(b), Some(a), false) = (&before.site, &after.site, failed) else {
                eprintln!(
                    "{}: content errors; nothing was compared",
                    if color {
                        "\x1b[1;31merror\x1b[0m"
                    } else {
                        "error"
                    }
                );
                return Ok(ExitCode::from(1));
            };
            let changes = cxmap::diff::sites(b, a);
            match format {
                DiffFormat::Text => print!("{}", changes.to_text()),
                DiffFormat::Markdown => print!("{}", changes.to_markdown()),
                DiffFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&changes).unwrap_or_default()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            dir,
            format,
            output,
            lang,
            tag,
            journeys,
            since,
            force,
        } => {
            use cxmap::report::{self, Format};
            let root = cxmap::load::find_root(&dir)?;
            let request = report::Request {
                format: if format == "html" {
                    Format::Html
                } else {
                    Format::Pdf
                },
                out: output,
                lang,
                tag,
                journeys,
                since,
                force,
            };
            // Refused before the portfolio is read, which takes a while.
            cxmap::write::check(
                &root,
                &report::path(&root, &request),
                report::replace(&request),
            )?;
            let started = Instant::now();
            if chatty {
                eprintln!("reading the site…");
            }
            let (report, diagnostics) = report::build(&root, &request)?;
            if !diagnostics.all().is_empty() {
                eprint!("{}", diagnostics.render(color));
            }
            let Some(report) = report else {
                return Ok(ExitCode::from(1));
            };
            if chatty {
                eprintln!(
                    "writing {} journeys, {} pain points, {} personas…",
                    report.journeys.len(),
                    report.pains.len(),
                    report.personas.len()
                );
            }
            let path = report::write(&root, &request, &report)?;
            if chatty {
                eprintln!(
                    "wrote {} in {} ms",
                    path.display(),
                    started.elapsed().as_millis()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { dir, stale } => {
            let root = cxmap::load::find_root(&dir)?;
            let outcome = cxmap::check(&root)?;
            if stale && let Some(site) = &outcome.site {
                print!("{}", terminal_safe(&stale_report(site)));
            }
            Ok(report(
                &outcome.diagnostics,
                color,
                || {
                    let site = outcome.site.as_ref();
                    let (j, p) = site.map_or((0, 0), |s| (s.journeys.len(), s.personas.len()));
                    format!(
                        "checked {} and {}: no errors",
                        plural(j, "journey"),
                        plural(p, "persona")
                    )
                },
                chatty,
            ))
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
        } => serve(&dir, port, bind, open, color),
        Command::Build { dir, output } => {
            let started = Instant::now();
            let root = cxmap::load::find_root(&dir)?;
            let out = output.unwrap_or_else(|| root.join("public"));
            let outcome = cxmap::build(&root, Some(&out))?;
            let pages = outcome.pages;
            Ok(report(
                &outcome.diagnostics,
                color,
                || {
                    format!(
                        "built {} in {:.2} s into {}",
                        plural(pages, "page"),
                        started.elapsed().as_secs_f64(),
                        display_rel(&out)
                    )
                },
                chatty,
            ))
        }
    }
}

/// Prints diagnostics and the closing line; the exit code follows the errors.
fn report(
    diags: &cxmap::diag::Diagnostics,
    color: bool,
    success: impl FnOnce() -> String,
    chatty: bool,
) -> ExitCode {
    if !diags.all().is_empty() {
        eprint!("{}", diags.render(color));
    }
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    if errors > 0 {
        eprintln!(
            "{}: {}{}; nothing was written",
            if color {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            },
            plural(errors, "error"),
            if warnings > 0 {
                format!(", {}", plural(warnings, "warning"))
            } else {
                String::new()
            }
        );
        ExitCode::from(1)
    } else {
        if chatty {
            let w = if warnings > 0 {
                format!(" ({})", plural(warnings, "warning"))
            } else {
                String::new()
            };
            eprintln!("{}{w}", success());
        }
        ExitCode::SUCCESS
    }
}

/// Runs the preview until Ctrl+C; each build prints a line (or its diagnostics).
fn serve(
    dir: &Path,
    port: Option<u16>,
    bind: std::net::IpAddr,
    open: bool,
    color: bool,
) -> Result<ExitCode, Error> {
    use cxmap::serve::{Options, Report, Server};
    let root = cxmap::load::find_root(dir)?;
    let mut first = true;
    let on_build = Box::new(move |r: &Report| {
        if !r.diagnostics.all().is_empty() {
            eprint!("{}", r.diagnostics.render(color));
        }
        if let Some(f) = &r.failure {
            eprintln!("error: {}", terminal_safe(&f.to_string()));
        }
        let ms = r.elapsed.as_secs_f64() * 1000.0;
        if r.failed() {
            eprintln!("build failed in {ms:.0} ms; still serving the last good build");
        } else if first {
            eprintln!("built {} in {ms:.0} ms", plural(r.files, "file"));
        } else {
            eprintln!(
                "rebuilt in {ms:.0} ms: {} changed",
                plural(r.changed, "file")
            );
        }
        first = false;
    });
    let on_build: Box<dyn FnMut(&Report) + Send> = on_build;
    let options = Options {
        bind,
        port,
        ..Options::default()
    };
    let server = Server::start(&root, &options, on_build)?;
    if let Some(taken) = server.port_taken {
        eprintln!(
            "port {taken} is in use; using {} instead",
            server.addr().port()
        );
    }
    if !bind.is_loopback() {
        eprintln!("warning: listening on {bind}: other machines on the network can see the site");
    }
    let url = server.url();
    println!("serving {} at {url}  (Ctrl+C to stop)", display_rel(&root));
    if open {
        open_browser(&url);
    }
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` with the system's handler; a failure only prints a note.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if cmd
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

/// `1 journey`, `2 journeys`.
/// The maps due for review, a line each, for `cxmap check --stale`.
fn stale_report(site: &cxmap::model::Site) -> String {
    let days = site.config.stale_after_days;
    let stale = site.stale();
    let Some(today) = site.content_date.filter(|_| !stale.is_empty()) else {
        return format!("no map is due for review (stale_after_days = {days})\n");
    };
    let mut out = format!(
        "{} due for review: not reviewed within {days} days of {today}, the newest date in the content\n",
        plural(stale.len(), "map")
    );
    for s in stale {
        out.push_str(&format!(
            "  {}  {} {}, {} days before\n",
            s.journey.source.display(),
            if s.reviewed {
                "reviewed"
            } else {
                "last changed"
            },
            s.seen,
            s.days
        ));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A path as the user would type it from here: relative to the current folder, `.` for
/// the current folder itself, never with a control character.
fn display_rel(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let rel = path.strip_prefix(&cwd).unwrap_or(path);
    let shown = if rel.as_os_str().is_empty() {
        ".".to_string()
    } else {
        rel.display().to_string()
    };
    terminal_safe(&shown).into_owned()
}

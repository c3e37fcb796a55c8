//! The command line as clap reads it: every command, flag, default and help text of the
//! `cxmap` binary. Only `main.rs` uses it; the library never sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Customer journey maps as Markdown in git, built into a static site.
#[derive(Parser)]
#[command(name = "cxmap", version, about, long_about = None)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    /// Print only errors and warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new site with a sample journey, persona and page.
    Init(Init),
    /// Build the site into a folder of static files.
    Build(Build),
    /// Build the site into memory, serve it, and rebuild and reload the browser on
    /// every change.
    Serve(Serve),
    /// Validate every file of the site and write nothing; exit 1 on any error.
    Check(Check),
    /// Create a journey or persona file from a template.
    New(New),
    /// Work with themes: `cxmap theme eject` copies a built-in theme into the site.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Export journey posters (PNG, PDF) or the journey data (CSV, JSON).
    Export(Export),
    /// Say what changed in the maps between two git revisions (or two site folders), in
    /// journey terms.
    Diff(Diff),
    /// Write a portfolio report: one PDF or printable HTML document of the selected maps.
    Report(Report),
    /// Turn a diagram made with another tool into a journey file of the site.
    Import(Import),
}

/// `cxmap init`.
#[derive(Args)]
pub struct Init {
    /// Folder for the new site (created when missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace the sample files when they exist already.
    #[arg(long)]
    pub force: bool,
}

/// `cxmap build`.
#[derive(Args)]
pub struct Build {
    /// The site folder, or any folder inside it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output folder (default: `public/` in the site).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `cxmap serve`.
#[derive(Args)]
pub struct Serve {
    /// The site folder, or any folder inside it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The port (default: 1111, or the next free one when it is taken; 0 for any
    /// free port). A port given here that is taken is an error.
    #[arg(short, long)]
    pub port: Option<u16>,
    /// The address to listen on; other machines can reach the preview only when
    /// this is not a loopback address (e.g. 0.0.0.0).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// `cxmap check`.
#[derive(Args)]
pub struct Check {
    /// The site folder, or any folder inside it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also list the maps due for review (a report: it does not change the exit code).
    #[arg(long)]
    pub stale: bool,
}

/// `cxmap new`.
#[derive(Args)]
pub struct New {
    /// What to create.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Title or path, e.g. "Returning an item" or retail/returns.
    pub name: String,
    /// The site folder (default: the site around the current folder).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Replace the file when it exists already.
    #[arg(long)]
    pub force: bool,
}

/// What `cxmap new` creates.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Journey,
    Persona,
}

/// `cxmap export`.
#[derive(Args)]
pub struct Export {
    /// The site folder, or any folder inside it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// What to write: posters as `png` or `pdf`, data as `csv` or `json`.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Only this journey, by slug (e.g. retail/online-order); may be repeated.
    #[arg(long = "journey", value_name = "SLUG")]
    pub journeys: Vec<String>,
    /// Output folder (default: `exports/` in the site).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Pixels per map unit in PNG posters.
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
    /// The language to export (one of the site's languages; default: the site's):
    /// each journey as that language shows it.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Replace files of the same names that cxmap did not write (files it wrote are
    /// always replaced; the site's sources never are).
    #[arg(long)]
    pub force: bool,
}

/// `cxmap export --format`. No doc comments on the variants: the help lists the values
/// on one line, as it always has.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Png,
    Pdf,
    Csv,
    Json,
}

/// `cxmap diff`.
#[derive(Args)]
pub struct Diff {
    /// Revisions as git names them (HEAD, HEAD~2, main, a tag, a commit id). None:
    /// HEAD against the files on disk; one: it against the files on disk; two: the
    /// first against the second.
    #[arg(value_name = "REV", num_args = 0..=2, conflicts_with_all = ["before", "after"])]
    pub revs: Vec<String>,
    /// The site folder, or any folder inside it (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Compare two folders instead: the site as it was (e.g. a checkout of main).
    #[arg(long, value_name = "DIR", requires = "after")]
    pub before: Option<PathBuf>,
    /// The site as it is now (with --before).
    #[arg(long, value_name = "DIR", requires = "before")]
    pub after: Option<PathBuf>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// `cxmap diff --format`.
#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Plain text for a terminal.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for other tools.
    Json,
}

/// `cxmap report`.
#[derive(Args)]
pub struct Report {
    /// The site folder, or any folder inside it.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// `pdf` (vector, real text) or `html` (one self-contained file that prints).
    #[arg(long, value_enum, default_value_t = ReportFormat::Pdf)]
    pub format: ReportFormat,
    /// The file to write (default: report.pdf or report.html in the site folder).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The language (one of the site's; default: the site's).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Only the journeys with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only this journey, by slug; may be repeated.
    #[arg(long = "journey", value_name = "SLUG")]
    pub journeys: Vec<String>,
    /// Also what changed in the maps since this git revision (a tag, a branch, HEAD~10).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Replace a file that cxmap did not write (an earlier report is always
    /// replaced; the site's sources never are).
    #[arg(long)]
    pub force: bool,
}

/// `cxmap report --format` (no doc comments on the variants, as for `export`).
#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Pdf,
    Html,
}

/// `cxmap import`.
#[derive(Args)]
pub struct Import {
    /// The diagram's format.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The diagram file, e.g. day.mmd.
    pub file: PathBuf,
    /// The journey file to write, in the site's `journeys/` (default: the title as a
    /// slug, e.g. journeys/my-working-day.md).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The site folder (default: the site around the current folder).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Replace the journey file when it exists already (persona files that exist
    /// are always kept).
    #[arg(long)]
    pub force: bool,
}

/// `cxmap import`'s formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// A Mermaid user-journey diagram (`journey`).
    Mermaid,
}

#[derive(Subcommand)]
pub enum ThemeAction {
    /// Copy a built-in theme into `themes/NAME/` of the site, to change it freely.
    Eject(Eject),
}

/// `cxmap theme eject`.
#[derive(Args)]
pub struct Eject {
    /// The built-in theme to copy.
    #[arg(long, value_enum, default_value_t = BuiltinTheme::Default)]
    pub from: BuiltinTheme,
    /// The new theme's name (its folder under `themes/`).
    #[arg(long, default_value = "custom")]
    pub name: String,
    /// The site folder (default: the site around the current folder).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The themes built into the binary, as `--from` names them.
#[derive(Clone, Copy, ValueEnum)]
pub enum BuiltinTheme {
    Default,
    Workshop,
}

impl BuiltinTheme {
    /// The theme's name in `render::theme`.
    pub fn name(self) -> &'static str {
        match self {
            BuiltinTheme::Default => "default",
            BuiltinTheme::Workshop => "workshop",
        }
    }
}

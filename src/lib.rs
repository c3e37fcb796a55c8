//! cxmap turns customer journeys written as Markdown with TOML frontmatter into a
//! static site of journey maps, personas and portfolio views.
//!
//! The pipeline, one value handed to the next (each stage a function; `serve` calls the
//! same ones and keeps their values between saves):
//!
//! ```text
//! load::sources            root                   -> Sources    the only reader of files
//! Config::read             cxmap.toml             -> Config
//! model::resolve::read_all Sources, Config        -> documents  each file on its own, every core
//! timeline::read           the git repository     -> Timeline   history, earlier versions, recent changes
//! model::resolve::link     documents, Timeline    -> Site       cross-file rules, back-links; complete
//! glyphs::check            Site, fonts/           -> warnings   characters no poster font draws
//! render::site_into        Site, Sources          -> files      views + Tera, handed on page by page
//! write::Staging           files                  -> public/    the only writer; all or nothing
//! ```
//!
//! Problems in content are [`diag::Diagnostic`]s, collected so one run reports them all;
//! system failures are [`error::Error`]s. Nothing depends on the clock or the file
//! system's order, so the same input always gives the same bytes.

pub mod compare;
pub mod config;
pub mod diag;
pub mod diagram;
pub mod diff;
pub mod eject;
pub mod error;
pub mod export;
pub mod glyphs;
pub mod history;
pub mod html;
pub mod i18n;
pub mod load;
pub mod mermaid;
pub mod model;
pub mod parse;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod stage_models;
pub mod term;
pub mod text;
pub mod timeline;
pub mod write;

use std::path::{Path, PathBuf};

use diag::Diagnostics;
use error::Result;
use model::Site;
use write::OutputFile;

/// What a check or build found.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem, sorted.
    pub diagnostics: Diagnostics,
    /// The site, when the content could be read (also with errors).
    pub site: Option<Site>,
    /// The rendered files, from [`render`] when there were no errors; empty after
    /// [`build`], which writes each file as it is made.
    pub files: Vec<OutputFile>,
    /// How many pages (`index.html` files) [`build`] wrote or [`render`] made.
    pub pages: usize,
}

/// Every stage before rendering: the files on disk to a linked site.
fn read(root: &Path) -> Result<(load::Sources, Site, Diagnostics)> {
    let mut diagnostics = Diagnostics::new();
    let sources = load::sources(root, &mut diagnostics)?;
    let config = config::Config::read(&sources.config_text, &mut diagnostics);
    let documents = model::resolve::read_all(&sources, &config);
    let timeline = timeline::read(root, &sources, &config, &mut diagnostics);
    let site = model::resolve::link(
        documents,
        &sources,
        &config,
        timeline.as_ref(),
        &mut diagnostics,
    );
    glyphs::check(&site, &sources.fonts, &mut diagnostics);
    diagnostics.sort();
    Ok((sources, site, diagnostics))
}

/// Reads and validates the site at `root` as it was committed at the git revision `rev`
/// (`HEAD`, `HEAD~3`, a branch, a tag, a commit id), without rendering. Only content
/// and `cxmap.toml` are read from the revision. An unknown revision, a folder outside a
/// git repository, or a revision without the site is [`error::Error::Usage`].
pub fn check_at(root: &Path, rev: &str) -> Result<Outcome> {
    let mut diagnostics = Diagnostics::new();
    let sources = timeline::sources_at(root, rev, &mut diagnostics)?;
    let site = timeline::untimed_site(&sources, &mut diagnostics);
    diagnostics.sort();
    Ok(Outcome {
        diagnostics,
        site: Some(site),
        files: Vec::new(),
        pages: 0,
    })
}

/// Reads and validates the site at `root` without rendering.
pub fn check(root: &Path) -> Result<Outcome> {
    let (sources, site, mut diagnostics) = read(root)?;
    // A missing theme or a broken template fails `build`; `check` says so too.
    render::theme::load(&sources, &site.config, &mut diagnostics)?;
    diagnostics.sort();
    Ok(Outcome {
        diagnostics,
        site: Some(site),
        files: Vec::new(),
        pages: 0,
    })
}

/// Reads, validates and renders the site at `root` into memory; nothing is rendered
/// when the content has errors.
pub fn render(root: &Path) -> Result<Outcome> {
    let (sources, site, mut diagnostics) = read(root)?;
    let files = if diagnostics.has_errors() {
        Vec::new()
    } else {
        let files = render::site(&site, &sources, &mut diagnostics)?;
        diagnostics.sort();
        files
    };
    let pages = files.iter().filter(|f| write::is_page(&f.path)).count();
    Ok(Outcome {
        diagnostics,
        site: Some(site),
        files,
        pages,
    })
}

/// Builds the site at `root` into `out` (default `root/public`). The previous output
/// is left untouched when the content has errors or anything fails.
pub fn build(root: &Path, out: Option<&Path>) -> Result<Outcome> {
    let out: PathBuf = out.map_or_else(|| root.join("public"), Path::to_path_buf);
    let disk = write::Disk::new(out, root)?;
    let (mut sources, site, mut diagnostics) = read(root)?;
    // The text of the content files is in the model now (and in the diagnostics that
    // quote it); a large portfolio's files need not stay in memory while it renders.
    sources.content = Vec::new();
    let mut pages = 0;
    if !diagnostics.has_errors() {
        // Pages go to disk as they are rendered, on every core; the staging folder is
        // swapped in only when all of them are there.
        let staging = disk.stage()?;
        render::site_into(&site, &sources, &staging, &mut diagnostics)?;
        pages = staging.pages();
        staging.commit()?;
        diagnostics.sort();
    }
    Ok(Outcome {
        diagnostics,
        site: Some(site),
        files: Vec::new(),
        pages,
    })
}

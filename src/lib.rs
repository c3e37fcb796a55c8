//! cxmap turns customer journeys written as Markdown with TOML frontmatter into a
//! static site of journey maps, personas and portfolio views.
//!
//! The pipeline, one value handed to the next:
//!
//! ```text
//! load::find_root   DIR           -> site root (nearest folder with cxmap.toml)
//! load::sources     root          -> Sources     (the only reader of content)
//! Config::parse     cxmap.toml    -> Config      (+ diagnostics)
//! model::resolve    Sources       -> Site        (read every file in parallel, check
//!                                                 references, link back; + diagnostics)
//! render::site      Site          -> Vec<OutputFile>   (views + Tera, in parallel)
//! write::Disk       Vec<OutputFile> -> public/   (the only writer; all or nothing)
//! ```
//!
//! Problems in content are [`diag::Diagnostic`]s, collected so one run reports them all;
//! system failures are [`error::Error`]s. Nothing depends on the clock or the file
//! system's order, so the same input always gives the same bytes.

pub mod config;
pub mod diag;
pub mod diagram;
pub mod diff;
pub mod error;
pub mod export;
pub mod history;
pub mod html;
pub mod i18n;
pub mod load;
pub mod mermaid;
pub mod model;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
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
    /// The rendered files, when there were no errors.
    pub files: Vec<OutputFile>,
}

/// Loads, parses and resolves the site: everything before rendering.
fn read(root: &Path) -> Result<(load::Sources, Site, Diagnostics)> {
    let mut diagnostics = Diagnostics::new();
    let sources = load::sources(root, &mut diagnostics)?;
    let mut config_problems = Vec::new();
    let config = config::Config::parse(
        &sources.config_text,
        Path::new(config::FILE_NAME),
        &mut config_problems,
    );
    for p in config_problems {
        diagnostics.push(p);
    }
    let site = model::resolve(&sources, &config, &mut diagnostics);
    diagnostics.sort();
    Ok((sources, site, diagnostics))
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
    Ok(Outcome {
        diagnostics,
        site: Some(site),
        files,
    })
}

/// Builds the site at `root` into `out` (default `root/public`). The previous output
/// is left untouched when the content has errors or anything fails.
pub fn build(root: &Path, out: Option<&Path>) -> Result<Outcome> {
    let out: PathBuf = out.map_or_else(|| root.join("public"), Path::to_path_buf);
    let disk = write::Disk::new(out, root)?;
    let mut outcome = render(root)?;
    if !outcome.diagnostics.has_errors() {
        disk.write(std::mem::take(&mut outcome.files))?;
    }
    Ok(outcome)
}

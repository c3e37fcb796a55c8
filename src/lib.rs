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
//! render::site_into Site          -> OutputFiles, handed to the writer page by page
//!                                                (views + Tera, in parallel)
//! write::Staging    OutputFiles   -> public/     (the only writer; all or nothing)
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
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod term;
pub mod text;
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

/// Loads, parses and resolves the site: everything before rendering.
fn read(root: &Path) -> Result<(load::Sources, Site, Diagnostics)> {
    let mut diagnostics = Diagnostics::new();
    let sources = load::sources(root, &mut diagnostics)?;
    let mut site = site_of(&sources, &mut diagnostics);
    if let Some((repo, history)) = git_history(root, &mut diagnostics) {
        model::resolve::attach_history(&mut site, &history);
        let earlier = earlier_versions(&site, &repo);
        set_earlier(&mut site, &earlier);
        set_recent(&mut site, &repo, &history);
    }
    diagnostics.sort();
    Ok((sources, site, diagnostics))
}

/// How many earlier versions of a journey its page draws.
const EARLIER_VERSIONS: usize = diagram::evolution::MAX_EARLIER;

/// Reads each journey as it was at its last few commits (its emotion over time). A
/// version that cannot be read (the file had another name then, or did not parse) is
/// left out.
pub(crate) fn earlier_versions(
    site: &Site,
    repo: &history::Repo,
) -> std::collections::BTreeMap<PathBuf, Vec<model::Earlier>> {
    use rayon::prelude::*;
    // The repository is read on one thread (its handle is not shared between threads);
    // the files it gives are parsed in parallel.
    let blobs = |j: &model::Journey| -> Vec<(model::Change, Vec<u8>)> {
        let Some(h) = &j.history else {
            return Vec::new();
        };
        // The last commit is the journey as it is, unless the file changed since.
        let skip = usize::from(!h.uncommitted);
        h.changes
            .iter()
            .skip(skip)
            .filter_map(|c| {
                Some((
                    c.clone(),
                    history::file_at(repo, &c.commit, &j.source).ok()??,
                ))
            })
            .take(EARLIER_VERSIONS)
            .collect()
    };
    let config = site.config.clone();
    let parse = |source: &Path, (change, bytes): (model::Change, Vec<u8>)| {
        let source = load::content_from_bytes(load::SourceKind::Journey, source, bytes)?;
        match model::resolve::read_doc(&source, &config).0? {
            model::resolve::Doc::Journey(doc) => Some(model::Earlier {
                change,
                journey: doc.journey,
            }),
            _ => None,
        }
    };
    let mut journeys: Vec<&model::Journey> = site.languages().flat_map(|s| &s.journeys).collect();
    journeys.sort_by(|a, b| a.source.cmp(&b.source));
    journeys.dedup_by(|a, b| a.source == b.source);
    let read: Vec<Vec<(model::Change, Vec<u8>)>> = journeys.iter().map(|j| blobs(j)).collect();
    journeys
        .par_iter()
        .zip(read)
        .map(|(j, versions)| {
            let parsed = versions
                .into_iter()
                .filter_map(|v| parse(&j.source, v))
                .collect();
            (j.source.clone(), parsed)
        })
        .collect()
}

/// How many commits the "What changed" page shows.
const RECENT_COMMITS: usize = 30;

/// Gives the site, in every language, its latest commits and what each changed in the
/// maps. Each commit is read as two small sites, of the journey and persona files it
/// changed as they were before and after it, compared language by language.
pub(crate) fn set_recent(site: &mut Site, repo: &history::Repo, history: &history::History) {
    let languages: Vec<String> = site.languages().map(|s| s.lang.clone()).collect();
    let mut by_lang: Vec<Vec<model::Recent>> = vec![Vec::new(); languages.len()];
    let is_content = |p: &Path| p.starts_with("journeys") || p.starts_with("personas");
    for (commit, changed) in history
        .commits
        .iter()
        .zip(&history.changed)
        .take(RECENT_COMMITS)
    {
        let parent = format!("{}^", commit.id);
        let config = Path::new(config::FILE_NAME);
        let read = |rev: &str, paths: &mut dyn Iterator<Item = &PathBuf>| {
            let mut files: Vec<(PathBuf, Vec<u8>)> = paths
                .filter_map(|p| Some((p.clone(), history::file_at(repo, rev, p).ok()??)))
                .collect();
            if let Ok(Some(bytes)) = history::file_at(repo, rev, config) {
                files.push((config.to_path_buf(), bytes));
            }
            files
        };
        let content: Vec<&history::FileChange> = changed
            .iter()
            .filter(|c| {
                [&c.before, &c.after]
                    .into_iter()
                    .flatten()
                    .any(|p| is_content(p))
            })
            .collect();
        let site_of_files = |files: Vec<(PathBuf, Vec<u8>)>| {
            let mut quiet = Diagnostics::new();
            load::sources_from_files(repo.workdir(), files, &mut quiet)
                .map(|sources| site_of(&sources, &mut quiet))
        };
        let after = site_of_files(read(
            &commit.id,
            &mut content.iter().filter_map(|c| c.after.as_ref()),
        ));
        let before = site_of_files(read(
            &parent,
            &mut content.iter().filter_map(|c| c.before.as_ref()),
        ));
        let empty = Site {
            config: after.as_ref().map(|s| s.config.clone()).unwrap_or_default(),
            journeys: Vec::new(),
            personas: Vec::new(),
            pages: Vec::new(),
            content_date: None,
            lang: String::new(),
            translations: Vec::new(),
            recent: None,
        };
        let change = model::Change {
            commit: commit.id.clone(),
            short: commit.short.clone(),
            date: commit.date,
            author: commit.author.clone(),
            subject: commit.subject.clone(),
        };
        let content_files: Vec<PathBuf> = content
            .iter()
            .filter_map(|c| c.after.clone().or_else(|| c.before.clone()))
            .collect();
        let other_files = changed.len() > content.len();
        for (k, lang) in languages.iter().enumerate() {
            let view = |s: &Option<Site>| -> Option<Site> {
                let s = s.as_ref()?;
                s.languages().find(|v| &v.lang == lang).cloned()
            };
            let (b, a) = (view(&before), view(&after));
            let changes = diff::sites(b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
            by_lang[k].push(model::Recent {
                change: change.clone(),
                changes,
                content_files: content_files.clone(),
                other_files,
            });
        }
    }
    let mut by_lang = by_lang.into_iter();
    site.recent = by_lang.next();
    for (s, recent) in site.translations.iter_mut().zip(by_lang) {
        s.recent = Some(recent);
    }
}

/// Gives each journey of the site, in every language, its earlier versions.
pub(crate) fn set_earlier(
    site: &mut Site,
    earlier: &std::collections::BTreeMap<PathBuf, Vec<model::Earlier>>,
) {
    let each = |s: &mut Site| {
        for j in &mut s.journeys {
            j.earlier = earlier.get(&j.source).cloned().unwrap_or_default();
        }
    };
    each(site);
    site.translations.iter_mut().for_each(each);
}

/// The repository the site is in and the history of the site's files; a history that
/// cannot be read is a warning (the site builds without it).
pub(crate) fn git_history(
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(history::Repo, history::History)> {
    let repo = history::open(root)?;
    match history::history(&repo) {
        Ok(h) => Some((repo, h)),
        Err(e) => {
            diagnostics.push(
                diag::Diagnostic::warning(config::FILE_NAME, format!("the git history could not be read: {e}"))
                    .help("pages are built without their history; `git status` in the site's folder may say why"),
            );
            None
        }
    }
}

/// The configuration and the content of `sources`, resolved into a site.
fn site_of(sources: &load::Sources, diagnostics: &mut Diagnostics) -> Site {
    let mut config_problems = Vec::new();
    let config = config::Config::parse(
        &sources.config_text,
        Path::new(config::FILE_NAME),
        &mut config_problems,
    );
    for p in config_problems {
        diagnostics.push(p);
    }
    model::resolve(sources, &config, diagnostics)
}

/// Reads and validates the site at `root` as it was committed at the git revision `rev`
/// (`HEAD`, `HEAD~3`, a branch, a tag, a commit id), without rendering. Only content
/// and `cxmap.toml` are read from the revision. An unknown revision, a folder outside a
/// git repository, or a revision without the site is [`error::Error::Usage`].
pub fn check_at(root: &Path, rev: &str) -> Result<Outcome> {
    let usage = |message: String, help: &str| error::Error::Usage {
        message,
        help: Some(help.to_string()),
    };
    let repo = history::open(root).ok_or_else(|| {
        usage(
            format!("`{}` is not in a git repository", root.display()),
            "compare two folders with `cxmap diff --before DIR --after DIR`",
        )
    })?;
    let files = history::files_at(&repo, rev).map_err(|e| {
        usage(
            e.to_string(),
            "name a revision as git does: `HEAD`, `HEAD~1`, a branch, a tag or a commit id",
        )
    })?;
    let mut diagnostics = Diagnostics::new();
    let sources = load::sources_from_files(root, files, &mut diagnostics).ok_or_else(|| {
        usage(
            format!("the site has no `cxmap.toml` at `{rev}`"),
            "name a revision where the site already existed",
        )
    })?;
    let site = site_of(&sources, &mut diagnostics);
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

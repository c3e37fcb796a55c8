//! Git history as a stage of the pipeline: what the repository says about the site,
//! read once and handed to linking as a value.
//!
//! In: the site root, its sources and configuration. Out: a [`Timeline`] (the history
//! of every file, each journey as it was at its last few commits, and per language the
//! latest commits in journey terms), or `None` outside a git repository. Linking gives
//! every journey and persona its history from it, and measures staleness once;
//! `serve` keeps it between saves. No clock: the same repository gives the same pages
//! any day.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::history::{self, FileChange, History, Repo};
use crate::load::{self, SourceKind, Sources};
use crate::model::{self, Change, Earlier, Recent, Site, Timeline};

/// How many earlier versions of a journey its page draws.
const EARLIER_VERSIONS: usize = crate::diagram::evolution::MAX_EARLIER;

/// How many commits the "What changed" page shows.
const RECENT_COMMITS: usize = 30;

/// Reads what git knows about the site at `root`; `None` outside a repository. A
/// history that cannot be read is a warning (the site builds without it).
pub fn read(
    root: &Path,
    sources: &Sources,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Timeline> {
    let repo = history::open(root)?;
    let history = match history::history(&repo) {
        Ok(h) => h,
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning(config::FILE_NAME, format!("the git history could not be read: {e}"))
                    .help("pages are built without their history; `git status` in the site's folder may say why"),
            );
            return None;
        }
    };
    let earlier = earlier_versions(&repo, &history, sources, config);
    let recent = recent(&repo, &history, config);
    Some(Timeline {
        history,
        earlier,
        recent,
    })
}

/// Each journey as it was at its last few commits (its emotion over time), by the
/// journey's path. A version that cannot be read (the file had another name then, or
/// did not parse) is left out.
fn earlier_versions(
    repo: &Repo,
    history: &History,
    sources: &Sources,
    config: &Config,
) -> BTreeMap<PathBuf, Vec<Earlier>> {
    let journeys: Vec<&Path> = sources
        .content
        .iter()
        .filter(|s| s.kind == SourceKind::Journey)
        .map(|s| s.rel.as_path())
        .collect();
    // The repository is read on one thread (its handle is not shared between threads);
    // the files it gives are parsed in parallel.
    let blobs: Vec<Vec<(Change, Vec<u8>)>> = journeys
        .iter()
        .map(|path| {
            let h = model::file_history(history, path);
            // The last commit is the journey as it is, unless the file changed since.
            let skip = usize::from(!h.uncommitted);
            h.changes
                .into_iter()
                .skip(skip)
                .filter_map(|c| {
                    let bytes = history::file_at(repo, &c.commit, path).ok()??;
                    Some((c, bytes))
                })
                .take(EARLIER_VERSIONS)
                .collect()
        })
        .collect();
    journeys
        .par_iter()
        .zip(blobs)
        .map(|(path, versions)| {
            let parsed = versions
                .into_iter()
                .filter_map(|(change, bytes)| {
                    let source = load::content_from_bytes(SourceKind::Journey, path, bytes)?;
                    match model::resolve::read_doc(&source, config).0? {
                        model::resolve::Doc::Journey(doc) => Some(Earlier {
                            change,
                            journey: doc.journey,
                        }),
                        _ => None,
                    }
                })
                .collect();
            (path.to_path_buf(), parsed)
        })
        .collect()
}

/// The latest commits and what each changed in the maps, for each of the site's
/// languages (in the order of [`Config::all_languages`]). Each commit is read as two
/// small sites, of the journey and persona files it changed as they were before and
/// after it, compared language by language.
fn recent(repo: &Repo, history: &History, config: &Config) -> Vec<Vec<Recent>> {
    let languages = config.all_languages();
    let mut by_lang: Vec<Vec<Recent>> = vec![Vec::new(); languages.len()];
    let commits = history.commits.iter().zip(&history.changed);
    for (commit, changed) in commits.take(RECENT_COMMITS) {
        let content: Vec<&FileChange> = changed
            .iter()
            .filter(|c| {
                [&c.before, &c.after]
                    .into_iter()
                    .flatten()
                    .any(|p| p.starts_with("journeys") || p.starts_with("personas"))
            })
            .collect();
        let after = small_site(
            repo,
            &commit.id,
            content.iter().filter_map(|c| c.after.as_ref()),
        );
        let before = small_site(
            repo,
            &format!("{}^", commit.id),
            content.iter().filter_map(|c| c.before.as_ref()),
        );
        let empty = Site::empty(after.as_ref().map(|s| s.config.clone()).unwrap_or_default());
        let change = Change {
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
        for (lang, list) in languages.iter().zip(&mut by_lang) {
            let changes = crate::diff::sites(
                language_view(before.as_ref(), lang).unwrap_or(&empty),
                language_view(after.as_ref(), lang).unwrap_or(&empty),
            );
            list.push(Recent {
                change: change.clone(),
                changes,
                content_files: content_files.clone(),
                other_files: changed.len() > content.len(),
            });
        }
    }
    by_lang
}

/// The view of `site` in `lang`, if it has one.
fn language_view<'a>(site: Option<&'a Site>, lang: &str) -> Option<&'a Site> {
    site?.languages().find(|v| v.lang == lang)
}

/// The site made of `paths` and `cxmap.toml` as they were at `rev` (what a commit
/// changed), with no history of its own.
fn small_site<'a>(
    repo: &Repo,
    rev: &str,
    paths: impl Iterator<Item = &'a PathBuf>,
) -> Option<Site> {
    let config_path = Path::new(config::FILE_NAME);
    let mut files: Vec<(PathBuf, Vec<u8>)> = paths
        .filter_map(|p| Some((p.clone(), history::file_at(repo, rev, p).ok()??)))
        .collect();
    if let Ok(Some(bytes)) = history::file_at(repo, rev, config_path) {
        files.push((config_path.to_path_buf(), bytes));
    }
    let mut quiet = Diagnostics::new();
    let sources = load::sources_from_files(repo.workdir(), files, &mut quiet)?;
    Some(untimed_site(&sources, &mut quiet))
}

/// The configuration and content of `sources` linked into a site without history:
/// the site at a revision, read for `cxmap diff` and the What changed page.
pub fn untimed_site(sources: &Sources, diagnostics: &mut Diagnostics) -> Site {
    let config = Config::read(&sources.config_text, diagnostics);
    model::resolve(sources, &config, diagnostics)
}

/// The sources of the site at `root` as committed at the git revision `rev` (`HEAD`,
/// `HEAD~3`, a branch, a tag, a commit id): content and `cxmap.toml` only. An unknown
/// revision, a folder outside a git repository, or a revision without the site is
/// [`crate::error::Error::Usage`].
pub fn sources_at(
    root: &Path,
    rev: &str,
    diagnostics: &mut Diagnostics,
) -> crate::error::Result<Sources> {
    let usage = |message: String, help: &str| crate::error::Error::Usage {
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
    load::sources_from_files(root, files, diagnostics).ok_or_else(|| {
        usage(
            format!("the site has no `cxmap.toml` at `{rev}`"),
            "name a revision where the site already existed",
        )
    })
}

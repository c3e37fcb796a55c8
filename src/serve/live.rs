//! The site as the preview holds it: every output file in memory, rebuilt after a
//! change, and the list of output paths whose bytes changed (what browsers are told).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Sources};
use crate::model::{self, resolve::Read};
use crate::write::{Contents, OutputFile};

/// Output path → bytes.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// What a rebuild did.
#[derive(Debug)]
pub enum Change {
    /// The site built; the output paths whose bytes changed, appeared or went.
    Built {
        /// Warnings.
        diagnostics: Diagnostics,
        /// Changed output paths, sorted.
        changed: Vec<String>,
    },
    /// The site did not build; the previous files are kept.
    Failed {
        /// The errors (and warnings).
        diagnostics: Diagnostics,
        /// A failure outside the content, e.g. a broken template.
        failure: Option<String>,
    },
}

/// A site kept in memory.
pub struct Live {
    root: PathBuf,
    files: Arc<Files>,
    cache: Option<Cache>,
    /// Whether the cache may be updated file by file.
    clean: bool,
}

/// What the last build read, kept so the next one reads again only changed files.
struct Cache {
    sources: Sources,
    config: Config,
    config_problems: Vec<Diagnostic>,
    /// What the walk found (problems, and the text of every file for quoting).
    loaded: Diagnostics,
    /// Each content file read on its own, by path relative to the root.
    docs: BTreeMap<PathBuf, Read>,
}

impl Live {
    /// Nothing built yet.
    pub fn new(root: PathBuf) -> Self {
        Live {
            root,
            files: Arc::default(),
            cache: None,
            clean: false,
        }
    }

    /// The last good build.
    pub fn files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for the first
    /// build) and keeps the result when it has no errors. When every changed path is a
    /// content file read before, only those files are read again; anything else (a new
    /// or deleted file, `cxmap.toml`, static files, templates, themes) reads the site
    /// again.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Change {
        let updated = !changed.is_empty() && self.update(changed);
        if !updated && let Err(e) = self.reload() {
            self.cache = None;
            return Change::Failed {
                diagnostics: Diagnostics::new(),
                failure: Some(e.to_string()),
            };
        }
        let Some(cache) = &self.cache else {
            return Change::Failed {
                diagnostics: Diagnostics::new(),
                failure: Some("the site could not be read".into()),
            };
        };
        let mut diagnostics = cache.loaded.clone();
        for p in &cache.config_problems {
            diagnostics.push(p.clone());
        }
        let site = model::resolve::link(
            cache.docs.values().cloned().collect(),
            &cache.sources,
            &cache.config,
            &mut diagnostics,
        );
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Change::Failed {
                diagnostics,
                failure: None,
            };
        }
        let rendered =
            crate::render::site(&site, &cache.sources, &mut diagnostics).and_then(to_files);
        diagnostics.sort();
        match rendered {
            Ok(files) => Change::Built {
                diagnostics,
                changed: self.replace(files),
            },
            Err(e) => Change::Failed {
                diagnostics,
                failure: Some(e.to_string()),
            },
        }
    }

    /// Reads the whole site again. A site whose files cannot all be read cleanly (a
    /// binary or non-UTF-8 file, a symlink) keeps no cache, so every change reads it
    /// all and its diagnostics stay exact.
    fn reload(&mut self) -> crate::error::Result<()> {
        let mut loaded = Diagnostics::new();
        let sources = load::sources(&self.root, &mut loaded)?;
        let mut config_problems = Vec::new();
        let config = Config::parse(
            &sources.config_text,
            std::path::Path::new(crate::config::FILE_NAME),
            &mut config_problems,
        );
        let docs = sources
            .content
            .par_iter()
            .map(|s| (s.rel.clone(), model::resolve::read_doc(s, &config)))
            .collect();
        // Walk problems are not tied to one file's read: never update such a cache.
        self.clean = loaded.all().is_empty();
        self.cache = Some(Cache {
            sources,
            config,
            config_problems,
            loaded,
            docs,
        });
        Ok(())
    }

    /// Reads again only the changed files; `false` when that is not enough.
    fn update(&mut self, changed: &[PathBuf]) -> bool {
        let Some(cache) = self.cache.as_mut().filter(|_| self.clean) else {
            return false;
        };
        let mut fresh = Vec::new();
        for rel in changed {
            if !cache.docs.contains_key(rel) || !self.root.join(rel).is_file() {
                return false;
            }
            match load::content_file(&self.root, rel) {
                Some((Some(source), problems, Some((rel, text)))) if problems.is_empty() => {
                    cache.loaded.add_source(&rel, text);
                    fresh.push(source);
                }
                _ => return false,
            }
        }
        for source in fresh {
            let read = model::resolve::read_doc(&source, &cache.config);
            cache.docs.insert(source.rel.clone(), read);
            if let Some(old) = cache
                .sources
                .content
                .iter_mut()
                .find(|s| s.rel == source.rel)
            {
                *old = source;
            }
        }
        true
    }

    /// Swaps in a new build and says which paths differ from the old one.
    fn replace(&mut self, files: Files) -> Vec<String> {
        let changed = diff(&self.files, &files);
        self.files = Arc::new(files);
        changed
    }
}

/// Output paths whose bytes differ between two builds, sorted.
pub fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

/// Output files in memory, reading the copied ones.
fn to_files(files: Vec<OutputFile>) -> crate::error::Result<Files> {
    files
        .into_iter()
        .map(|f| {
            let bytes: Arc<[u8]> = match f.contents {
                Contents::Bytes(b) => b.into(),
                Contents::Copy(src) => std::fs::read(&src)
                    .map_err(|e| crate::error::Error::io(&src, e))?
                    .into(),
            };
            Ok((f.path, bytes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_new_and_removed_paths() {
        let files = |list: &[(&str, &str)]| -> Files {
            list.iter()
                .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
                .collect()
        };
        let old = files(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = files(&[("a", "1"), ("b", "x"), ("d", "4")]);
        assert_eq!(diff(&old, &new), ["b", "c", "d"]);
    }
}

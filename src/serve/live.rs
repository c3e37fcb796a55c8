//! The site as the preview holds it: every output file in memory, rebuilt after a
//! change, and the list of output paths whose bytes changed (what browsers are told).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Sources};
use crate::model::{self, Site, resolve::Read};
use crate::render::{self, theme::Theme};
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
    /// The theme, loaded again only when templates, themes or `cxmap.toml` change.
    theme: Option<Theme>,
    /// What the last good build rendered, for rendering only what the next one changes.
    last: Option<Last>,
    /// Whether the last good build rendered only part of the site.
    partial: bool,
    /// A build that has shown the edited journeys' pages and has the rest to render
    /// ([`Live::finish`]).
    pending: Option<(Site, Diagnostics)>,
}

/// The last good build: its site and which part (a key of [`render::Parts`]) made each
/// output file.
struct Last {
    site: Site,
    keys: Vec<String>,
    owners: BTreeMap<String, String>,
    /// Warnings of the last whole render (static files that give way to pages).
    warnings: Vec<Diagnostic>,
}

/// What the last build read, kept so the next one reads again only changed files.
struct Cache {
    sources: Sources,
    config: Config,
    /// What the walk and `cxmap.toml` gave (problems, and the text of every file for
    /// quoting).
    loaded: Diagnostics,
    /// Each content file read on its own, by path relative to the root.
    docs: BTreeMap<PathBuf, Read>,
    /// What git said when the whole site was last read (files saved since are marked
    /// uncommitted); none outside git.
    timeline: Option<model::Timeline>,
}

impl Live {
    /// Nothing built yet.
    pub fn new(root: PathBuf) -> Self {
        Live {
            root,
            files: Arc::default(),
            cache: None,
            clean: false,
            theme: None,
            last: None,
            partial: false,
            pending: None,
        }
    }

    /// The last good build.
    pub fn files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// The interface strings of the theme last loaded (none before a theme loads).
    pub fn strings(&self) -> Option<&crate::i18n::Strings> {
        self.theme.as_ref().map(|t| &t.strings)
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for the first
    /// build) and keeps the result when it has no errors. When every changed path is a
    /// content file read before, only those files are read again; anything else (a new
    /// or deleted file, `cxmap.toml`, static files, templates, themes) reads the site
    /// again.
    ///
    /// When the change is an edit to journeys, the result may be a first step that
    /// shows only those journeys' pages (without the warnings); [`Live::finish`]
    /// renders the rest.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Change {
        self.pending = None;
        let updated = !changed.is_empty() && self.update(changed);
        if changed.is_empty() || changed.iter().any(|p| touches_theme(p)) {
            self.theme = None;
        }
        if !updated {
            // Only a change to content files read before renders part of the site.
            self.last = None;
            if let Err(e) = self.reload() {
                self.cache = None;
                return Change::Failed {
                    diagnostics: Diagnostics::new(),
                    failure: Some(e.to_string()),
                };
            }
        }
        let Some(cache) = &self.cache else {
            return Change::Failed {
                diagnostics: Diagnostics::new(),
                failure: Some("the site could not be read".into()),
            };
        };
        let mut diagnostics = cache.loaded.clone();
        // The same stage as a build: the documents kept, linked with the kept timeline.
        let site = model::resolve::link(
            cache
                .docs
                .par_iter()
                .map(|(_, read)| read.clone())
                .collect(),
            &cache.sources,
            &cache.config,
            cache.timeline.as_ref(),
            &mut diagnostics,
        );
        crate::glyphs::check(&site, &cache.sources.fonts, &mut diagnostics);
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Change::Failed {
                diagnostics,
                failure: None,
            };
        }
        let theme = match self.theme.take() {
            Some(theme) => theme,
            None => match render::theme::load(&cache.sources, &site.config, &mut diagnostics) {
                Ok(theme) => theme,
                Err(e) => {
                    return Change::Failed {
                        diagnostics,
                        failure: Some(e.to_string()),
                    };
                }
            },
        };
        if let Some(files) = self.first_step(&site, changed, &theme) {
            self.theme = Some(theme);
            // The warnings come with the rest, so they are told once.
            self.pending = Some((site, diagnostics));
            return Change::Built {
                diagnostics: Diagnostics::new(),
                changed: self.replace(files),
            };
        }
        // The cache is only read from here on; take it to lend it beside `self`.
        let cache = self.cache.take();
        let rendered = match &cache {
            Some(cache) => self.render(site, &cache.sources, &theme, &mut diagnostics),
            None => Ok(Files::new()),
        };
        self.cache = cache;
        self.theme = Some(theme);
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

    /// Renders what the first step of [`Live::rebuild`] left, if anything.
    pub fn finish(&mut self) -> Option<Change> {
        let (site, mut diagnostics) = self.pending.take()?;
        let theme = self.theme.take()?;
        let cache = self.cache.take();
        let rendered = match &cache {
            Some(cache) => self.render(site, &cache.sources, &theme, &mut diagnostics),
            None => Ok(Files::new()),
        };
        self.cache = cache;
        self.theme = Some(theme);
        diagnostics.sort();
        Some(match rendered {
            Ok(files) => Change::Built {
                diagnostics,
                changed: self.replace(files),
            },
            Err(e) => Change::Failed {
                diagnostics,
                failure: Some(e.to_string()),
            },
        })
    }

    /// The last good files with the pages of the edited journeys rendered again from
    /// the new site; `None` without a complete build to start from, when no journey file
    /// was edited, or when an edited page gains or loses a file (its map). `last` stays
    /// the last complete build, so the next change is measured from it even when the
    /// rest is never rendered.
    fn first_step(&self, site: &Site, changed: &[PathBuf], theme: &Theme) -> Option<Files> {
        let last = self.last.as_ref()?;
        // Any language's version of a journey may have been saved.
        let mut edited: Vec<&model::JourneyId> = site
            .languages()
            .flat_map(|ls| &ls.journeys)
            .filter(|j| changed.contains(&j.source))
            .map(|j| &j.id)
            .collect();
        edited.sort();
        edited.dedup();
        if edited.is_empty() {
            return None;
        }
        let parts = render::journey_pages(site, theme, &edited).ok()?;
        let mut files = (*self.files).clone();
        for (key, list) in parts {
            let before: BTreeSet<&String> = last
                .owners
                .iter()
                .filter(|(_, k)| **k == key)
                .map(|(p, _)| p)
                .collect();
            let made: BTreeSet<&String> = list.iter().map(|f| &f.path).collect();
            // A page that gains or loses its map waits for the whole step.
            if before != made {
                return None;
            }
            files.extend(to_files(list).ok()?);
        }
        Some(files)
    }

    /// Reads the whole site again. A site whose files cannot all be read cleanly (a
    /// binary or non-UTF-8 file, a symlink) keeps no cache, so every change reads it
    /// all and its diagnostics stay exact.
    fn reload(&mut self) -> crate::error::Result<()> {
        let mut loaded = Diagnostics::new();
        let sources = load::sources(&self.root, &mut loaded)?;
        // Walk problems are not tied to one file's read: never update such a cache.
        self.clean = loaded.all().is_empty();
        let config = Config::read(&sources.config_text, &mut loaded);
        let paths = sources.content.iter().map(|s| s.rel.clone());
        let docs = paths
            .zip(model::resolve::read_all(&sources, &config))
            .collect();
        let timeline = crate::timeline::read(&self.root, &sources, &config, &mut loaded);
        self.cache = Some(Cache {
            sources,
            config,
            loaded,
            docs,
            timeline,
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
            if let Some(timeline) = &mut cache.timeline {
                // A saved file differs from its last commit (as far as a preview needs).
                timeline.history.uncommitted.insert(source.rel.clone());
            }
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

impl Live {
    /// Renders what changed since the last good build (all of it when there is none,
    /// or when the site gained or lost a page) and keeps `site` for the next build.
    fn render(
        &mut self,
        site: Site,
        sources: &Sources,
        theme: &Theme,
        diagnostics: &mut Diagnostics,
    ) -> crate::error::Result<Files> {
        if let Some(last) = &self.last
            && let Some(affected) = render::incremental::affected(&last.site, &site)
        {
            let mut warnings = Diagnostics::new();
            let parts = render::parts(
                &site,
                sources,
                theme,
                &|k| affected.contains(k),
                &mut warnings,
            )?;
            if parts.keys == last.keys {
                let mut files = (*self.files).clone();
                let mut owners = last.owners.clone();
                let mut made = BTreeSet::new();
                let mut before = BTreeSet::new();
                for (path, key) in &last.owners {
                    if affected.contains(key) {
                        files.remove(path);
                        owners.remove(path);
                        before.insert(path.clone());
                    }
                }
                for (key, list) in parts.files {
                    for (path, bytes) in to_files(list)? {
                        owners.insert(path.clone(), key.clone());
                        made.insert(path.clone());
                        files.insert(path, bytes);
                    }
                }
                // A page that gained or lost a file (a map) could meet a static file of
                // the same path: only a whole render settles which one wins.
                if made == before || sources.static_files.is_empty() {
                    for w in &last.warnings {
                        diagnostics.push(w.clone());
                    }
                    self.last = Some(Last {
                        site,
                        keys: parts.keys,
                        owners,
                        warnings: last.warnings.clone(),
                    });
                    self.partial = true;
                    return Ok(files);
                }
            }
        }
        let mut warnings = Diagnostics::new();
        let parts = render::parts(&site, sources, theme, &|_| true, &mut warnings)?;
        let mut files = Files::new();
        let mut owners = BTreeMap::new();
        for (key, list) in parts.files {
            for (path, bytes) in to_files(list)? {
                owners.insert(path.clone(), key.clone());
                files.insert(path, bytes);
            }
        }
        for w in warnings.all() {
            diagnostics.push(w.clone());
        }
        self.partial = false;
        self.last = Some(Last {
            site,
            keys: parts.keys,
            owners,
            warnings: warnings.all().to_vec(),
        });
        Ok(files)
    }
}

/// Whether a change to this path (relative to the root) can change the theme.
fn touches_theme(path: &Path) -> bool {
    path.starts_with("templates")
        || path.starts_with("themes")
        || path.starts_with("i18n")
        || path == Path::new(crate::config::FILE_NAME)
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
                Contents::Copy(src) => crate::load::read_no_follow(&src)
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

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "public" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }

    /// Replaces `from` by `to` in a file of the site, once.
    fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        PathBuf::from(rel)
    }

    /// Rebuilds after `changed` and compares every output file with a fresh render.
    /// Says whether the rebuild showed the edited journeys first.
    fn same_as_fresh(
        live: &mut Live,
        root: &Path,
        changed: &[PathBuf],
        partial: bool,
        what: &str,
    ) -> bool {
        let change = live.rebuild(changed);
        assert!(matches!(change, Change::Built { .. }), "{what}: {change:?}");
        let fresh = to_files(crate::render(root).unwrap().files).unwrap();
        let first = live.pending.is_some();
        if first {
            // The first step shows the edited journeys' pages as a fresh build does.
            let Change::Built { changed, .. } = &change else {
                unreachable!()
            };
            for path in changed {
                // `journeys/…`, or `ca/journeys/…` in another language.
                let page = path
                    .split_once('/')
                    .filter(|(lang, _)| lang.len() == 2)
                    .map_or(path.as_str(), |(_, rest)| rest);
                assert!(
                    page.starts_with("journeys/"),
                    "{what}: {path} in the first step"
                );
                assert!(
                    live.files()[path] == fresh[path],
                    "{what}: {path} in the first step"
                );
            }
            let rest = live.finish();
            assert!(
                matches!(rest, Some(Change::Built { .. })),
                "{what}: {rest:?}"
            );
        }
        assert!(live.finish().is_none(), "{what}");
        assert_eq!(live.partial, partial, "{what}: partial render");
        let fresh = crate::render(root).unwrap();
        assert!(!fresh.diagnostics.has_errors(), "{what}");
        let fresh = to_files(fresh.files).unwrap();
        let kept = live.files();
        let paths = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
        assert_eq!(paths(&kept), paths(&fresh), "{what}: output paths");
        for (path, bytes) in fresh.iter() {
            assert!(
                kept[path] == *bytes,
                "{what}: {path} differs from a fresh build"
            );
        }
        first
    }

    #[test]
    fn partial_renders_match_a_fresh_build_after_every_edit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retail"),
            &root,
        );
        let mut live = Live::new(root.clone());
        same_as_fresh(&mut live, &root, &[], false, "first build");

        let base = "journeys/online/order-online.md";
        let future = "journeys/online/order-online-future.md";
        let returns = "journeys/returns/return-an-item.md";
        let a = edit(&root, base, "action = \"", "action = \"Edited: ");
        assert!(same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "an action of a baseline"
        ));
        let a = edit(
            &root,
            future,
            "persona = \"maria\"",
            "personas = [\"maria\", \"dev\"]",
        );
        same_as_fresh(&mut live, &root, &[a], true, "a persona list");
        let a = edit(
            &root,
            future,
            "name = \"Inspiration\"",
            "name = \"Dreaming\"",
        );
        same_as_fresh(&mut live, &root, &[a], true, "a stage renamed");
        let a = edit(
            &root,
            "personas/dev.md",
            "name = \"Dev Malhotra\"",
            "name = \"Dev M.\"",
        );
        assert!(!same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "a persona's name"
        ));
        let a = edit(
            &root,
            returns,
            "tags = [\"returns\", \"b2c\"",
            "tags = [\"returns\"",
        );
        same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "a tag dropped from a shared tag page",
        );
        let a = edit(&root, returns, "tags = [", "tags = [\"brand-new\", ");
        same_as_fresh(&mut live, &root, &[a], false, "a new tag");
        let a = edit(&root, returns, "[[stages]]", "[[stages]]\n");
        same_as_fresh(&mut live, &root, &[a], true, "a blank line");
        // Steps take their channel's label and colour as they are read: a change to
        // `[channels]` must reach every journey read before it.
        let a = edit(
            &root,
            "cxmap.toml",
            "label = \"Website\"",
            "label = \"Web shop\"",
        );
        same_as_fresh(&mut live, &root, &[a], false, "a channel relabelled");
        assert!(
            live.files()["journeys/online/order-online/index.html"]
                .windows(8)
                .any(|w| w == b"Web shop"),
            "the new label on a journey page"
        );

        // A content error keeps the last good build; the fix renders from it.
        let a = edit(&root, returns, "+++\n", "+++\ntitle = [\n");
        assert!(matches!(
            live.rebuild(std::slice::from_ref(&a)),
            Change::Failed { .. }
        ));
        let a = edit(&root, returns, "+++\ntitle = [\n", "+++\n");
        same_as_fresh(&mut live, &root, &[a], true, "a fixed error");

        std::fs::remove_file(root.join(returns)).unwrap();
        same_as_fresh(
            &mut live,
            &root,
            &[PathBuf::from(returns)],
            false,
            "a deleted journey",
        );
        let added = "journeys/returns/again.md";
        std::fs::write(
            root.join(added),
            "+++\ntitle = \"Again\"\npersona = \"ingrid\"\ntags = [\"b2c\"]\n\n[[stages]]\nname = \"Only\"\n\n  [[stages.steps]]\n  action = \"Tries again\"\n  emotion = 2\n+++\n",
        )
        .unwrap();
        same_as_fresh(
            &mut live,
            &root,
            &[PathBuf::from(added)],
            false,
            "an added journey",
        );
        let a = edit(&root, added, "Tries again", "Tries once more");
        same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "an action of the added journey",
        );
    }

    #[test]
    fn partial_renders_match_a_fresh_build_in_every_language() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mediterrani"),
            &root,
        );
        let mut live = Live::new(root.clone());
        same_as_fresh(&mut live, &root, &[], false, "first build");

        let a = edit(
            &root,
            "journeys/clinica/visita-especialista.ca.md",
            "action = \"",
            "action = \"Editat: ",
        );
        assert!(same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "an action of a Catalan translation"
        ));
        let a = edit(
            &root,
            "journeys/restaurante/reserva-y-cena.md",
            "action = \"",
            "action = \"Editado: ",
        );
        assert!(same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "an action in the site's language, translated into two others"
        ));
        let a = edit(
            &root,
            "journeys/hotel/reclamo.md",
            "action = \"",
            "action = \"Modificato: ",
        );
        assert!(same_as_fresh(
            &mut live,
            &root,
            &[a],
            true,
            "an action of a journey written only in Italian"
        ));
        std::fs::remove_file(root.join("journeys/restaurante/reserva-y-cena.it.md")).unwrap();
        same_as_fresh(
            &mut live,
            &root,
            &[PathBuf::from("journeys/restaurante/reserva-y-cena.it.md")],
            false,
            "a translation deleted",
        );
    }
}

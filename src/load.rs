//! Walking a site folder: the only module that reads content from disk.
//!
//! In: the site root. Out: [`Sources`] — the text of `cxmap.toml`, every journey,
//! persona and page file (with its slug), the static files to copy, the site's own
//! templates, and the files of the local theme `cxmap.toml` names ([`ThemeFiles`]).
//! Files are visited in sorted order, so the output never depends on the
//! file system's order. Unreadable or non-text files become diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::slug;

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// `journeys/**/*.md`
    Journey,
    /// `personas/**/*.md`
    Persona,
    /// `pages/**/*.md`
    Page,
}

impl SourceKind {
    /// The folder this kind lives in.
    pub fn folder(self) -> &'static str {
        match self {
            SourceKind::Journey => "journeys",
            SourceKind::Persona => "personas",
            SourceKind::Page => "pages",
        }
    }

    /// The field every file of this kind needs.
    pub fn required_key(self) -> &'static str {
        match self {
            SourceKind::Persona => "name",
            SourceKind::Journey | SourceKind::Page => "title",
        }
    }
}

/// One content file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Journey, persona or page.
    pub kind: SourceKind,
    /// Path relative to the site root, `/`-separated.
    pub rel: PathBuf,
    /// Slug from the path under the kind's folder.
    pub slug: String,
    /// When the file name ends in what may be a language code (`order.es.md`): that
    /// code, lower-cased, and the slug without it (`order`). Whether it is a language
    /// depends on the site's languages (`model::read` decides).
    pub translation: Option<(String, String)>,
    /// The whole file.
    pub text: Arc<str>,
}

/// A file to copy as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated.
    pub rel: String,
    /// Where it is on disk.
    pub abs: PathBuf,
}

/// One strings file of a theme or a site, as read (the interface words are made of
/// these by `i18n`).
#[derive(Debug, Clone, PartialEq)]
pub struct StringsFile {
    /// The language, from the file name (`i18n/es.toml` → `es`).
    pub lang: String,
    /// The file, relative to the site root (for diagnostics).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// Everything a build reads.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The site root.
    pub root: PathBuf,
    /// `cxmap.toml`.
    pub config_text: Arc<str>,
    /// Journeys, personas and pages, sorted by kind and path.
    pub content: Vec<Source>,
    /// `static/**`, sorted.
    pub static_files: Vec<StaticFile>,
    /// Site `templates/**` as (name, text), sorted.
    pub templates: Vec<(String, String)>,
    /// Site `i18n/<lang>.toml`: interface strings that add or override a language.
    pub strings: Vec<StringsFile>,
    /// The theme `cxmap.toml` names, when it is a local one (`themes/<name>/`).
    pub theme: ThemeFiles,
    /// Font files of `fonts/` (`.ttf`, `.otf`, `.ttc`) as (path from the site root,
    /// bytes), sorted: what posters and report PDFs draw with after the bundled Inter.
    pub fonts: Vec<(String, Vec<u8>)>,
}

/// The names of the themes built into the binary (their files are embedded in
/// [`crate::render::theme`]); a built-in name is never read from `themes/`.
pub const BUILTIN_THEMES: &[&str] = &["default", "workshop"];

/// A local theme, `themes/<name>/` of the site, as read: what
/// [`crate::render::theme::load`] lays over the built-in theme. Empty for a built-in
/// theme.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// The theme's name, as `cxmap.toml` gives it.
    pub name: String,
    /// Whether `themes/<name>/` is a real folder of the site (not a link, not under
    /// one); rendering with a local theme that was not found is an error.
    pub found: bool,
    /// `templates/**` as (name, bytes), sorted.
    pub templates: Vec<(String, Vec<u8>)>,
    /// `static/**` as (path under `static/`, bytes), sorted.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// `i18n/<lang>.toml`, sorted.
    pub strings: Vec<StringsFile>,
    /// What reading it met (links not followed, files that are not strings files),
    /// reported by [`crate::render::theme::load`] when the theme is used, so a build
    /// that stops at content errors says nothing about its theme, as before.
    pub problems: Vec<Diagnostic>,
}

/// Reads the local theme `name` of the site at `root` (nothing for a built-in name):
/// its templates, static files and strings, through the same walk as the site's own
/// folders, so no link is followed at any level.
pub fn theme(root: &Path, name: &str) -> Result<ThemeFiles> {
    let mut files = ThemeFiles {
        name: name.to_string(),
        ..ThemeFiles::default()
    };
    if BUILTIN_THEMES.contains(&name) {
        return Ok(files);
    }
    let mut diags = Diagnostics::new();
    let dir = Path::new("themes").join(name);
    if real_dir(root, &dir, &mut diags).is_some() {
        files.found = true;
        files.templates = tree(root, &dir.join("templates"), &mut diags)?;
        files.static_files = tree(root, &dir.join("static"), &mut diags)?;
        files.strings = strings_files(root, &dir.join("i18n"), &mut diags)?;
    }
    files.problems = diags.all().to_vec();
    Ok(files)
}

/// Finds the site root: `dir` or the nearest folder above it with a `cxmap.toml`.
pub fn find_root(dir: &Path) -> Result<PathBuf> {
    let start = dir.canonicalize().map_err(|_| Error::NotASite {
        path: dir.to_path_buf(),
    })?;
    start
        .ancestors()
        .find(|d| d.join(config::FILE_NAME).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NotASite {
            path: dir.to_path_buf(),
        })
}

/// Reads `cxmap.toml`; a `cxmap.toml` that is a symbolic link is refused, as every other
/// link in the site is (its target could be any file of the machine).
pub fn config_text(root: &Path) -> Result<Arc<str>> {
    let path = root.join(config::FILE_NAME);
    let bytes = read_no_follow(&path).map_err(|e| Error::io(&path, e))?;
    Ok(String::from_utf8_lossy(&bytes).into())
}

/// Reads every source of the site.
pub fn sources(root: &Path, diags: &mut Diagnostics) -> Result<Sources> {
    let config_text = config_text(root)?;
    diags.add_source(Path::new(config::FILE_NAME), config_text.clone());
    let mut files = Vec::new();
    for kind in [SourceKind::Journey, SourceKind::Persona, SourceKind::Page] {
        for (rel, abs) in walk(root, kind.folder(), diags) {
            if abs.extension().is_some_and(|e| e == "md") {
                files.push((kind, rel, abs));
            }
        }
    }
    let read: Vec<Read> = files
        .par_iter()
        .map(|(kind, rel, abs)| read_source(*kind, rel, abs))
        .collect();
    let mut content = Vec::new();
    for (source, problems, text) in read {
        if let Some((rel, text)) = text {
            diags.add_source(&rel, text);
        }
        for p in problems {
            diags.push(p);
        }
        content.extend(source);
    }
    let static_files = walk(root, "static", diags)
        .into_iter()
        .map(|(rel, abs)| StaticFile {
            rel: slash(rel.strip_prefix("static").unwrap_or(&rel))
                .to_string_lossy()
                .into_owned(),
            abs,
        })
        .collect();
    let mut templates = Vec::new();
    for (rel, abs) in walk(root, "templates", diags) {
        let name = slash(rel.strip_prefix("templates").unwrap_or(&rel))
            .to_string_lossy()
            .into_owned();
        let text = read_text(&abs)?;
        templates.push((name, text));
    }
    let strings = strings_files(root, Path::new("i18n"), diags)?;
    // Only the theme's name is wanted here: the configuration's problems are reported
    // where it is read for the build.
    let name =
        config::Config::parse(&config_text, Path::new(config::FILE_NAME), &mut Vec::new()).theme;
    let theme = theme(root, &name)?;
    let fonts = fonts(root, diags)?;
    Ok(Sources {
        root: root.to_path_buf(),
        config_text,
        content,
        static_files,
        templates,
        strings,
        theme,
        fonts,
    })
}

/// The folder of the site's own fonts.
pub const FONTS_FOLDER: &str = "fonts";

/// The font files of `fonts/`, through the same walk as every other folder (no link
/// followed, hidden files skipped). A font in a format cxmap does not read (`.woff`,
/// `.woff2`…) is skipped with a warning; other files (a font's licence, a readme) are
/// left alone. Whether a file really is a font is for whoever draws with it to say.
pub fn fonts(root: &Path, diags: &mut Diagnostics) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (rel, abs) in walk(root, FONTS_FOLDER, diags) {
        let ext = rel
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "ttf" | "otf" | "ttc" => {}
            "woff" | "woff2" | "eot" | "pfb" | "pfa" | "dfont" | "otc" => {
                diags.push(
                    Diagnostic::warning(slash(&rel), "a font in a format cxmap does not read; skipped")
                        .help("posters and report PDFs use the `.ttf`, `.otf` and `.ttc` files of `fonts/`"),
                );
                continue;
            }
            _ => continue,
        }
        let bytes = read_no_follow(&abs).map_err(|e| Error::io(&abs, e))?;
        out.push((slash(&rel).to_string_lossy().into_owned(), bytes));
    }
    Ok(out)
}

/// The strings files `<lang>.toml` under `folder` (relative to `root`), sorted; other
/// files there are skipped with a warning.
pub fn strings_files(
    root: &Path,
    folder: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<StringsFile>> {
    let mut out = Vec::new();
    for (rel, abs) in walk(root, &folder.to_string_lossy(), diags) {
        let lang = rel
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .filter(|_| rel.extension().is_some_and(|e| e == "toml"))
            .filter(|l| crate::config::is_language_code(l))
            .filter(|_| rel.parent() == Some(folder));
        let Some(lang) = lang else {
            diags.push(
                Diagnostic::warning(&rel, "not a strings file; skipped")
                    .help("strings files are named after their language, e.g. `i18n/es.toml`"),
            );
            continue;
        };
        let text = read_text(&abs)?;
        out.push(StringsFile {
            lang,
            path: rel,
            text,
        });
    }
    Ok(out)
}

/// The folder `rel` of the site (`static`, `themes/ours/templates`) when it is a real
/// folder: every part of the path from the root is looked at without following links,
/// so a folder that is itself a symbolic link, or lies under one, is never read
/// through; it is skipped with a warning. `None` when there is no such folder.
pub fn real_dir(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<PathBuf> {
    let mut at = root.to_path_buf();
    let mut shown = PathBuf::new();
    for part in rel.components() {
        // `..`, `/` or `C:` would leave the site (`theme = "../../etc"`).
        if !matches!(part, std::path::Component::Normal(_)) {
            return None;
        }
        at.push(part);
        shown.push(part);
        let meta = std::fs::symlink_metadata(&at).ok()?;
        if meta.file_type().is_symlink() {
            diags.push(link_skipped(&shown, true));
            return None;
        }
        if !meta.is_dir() {
            return None;
        }
    }
    Some(at)
}

/// The warning for a symbolic link that is not followed.
fn link_skipped(rel: &Path, folder: bool) -> Diagnostic {
    let what = if folder {
        "symbolic link skipped: not followed, nothing under it is read"
    } else {
        "symbolic link skipped: not followed"
    };
    Diagnostic::warning(slash(rel), what).help(
        "cxmap reads only real files and folders inside the site folder, so a link cannot publish a file from elsewhere; copy the files into the site instead",
    )
}

/// A relative path with `/` between its parts, whatever the system's separator; a `\`
/// in a file name on Linux or macOS stays part of that name.
pub fn slash(rel: &Path) -> PathBuf {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    PathBuf::from(parts.join("/"))
}

/// Opens a file of the site for reading without following a symbolic link at its own
/// name (the folders above it are checked by [`real_dir`] and the walk), so a file
/// swapped for a link after the walk is not read through it either.
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(target_os = "linux"))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("it is a symbolic link"));
    }
    options.open(path)
}

/// Reads a file of the site, as [`open_no_follow`] opens it.
pub fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    open_no_follow(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Files under `root/folder`, sorted, hidden files and folders skipped; no symbolic link
/// is followed, at any level (see [`real_dir`]).
fn walk(root: &Path, folder: &str, diags: &mut Diagnostics) -> Vec<(PathBuf, PathBuf)> {
    let Some(base) = real_dir(root, Path::new(folder), diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let walker = WalkDir::new(&base)
        .sort_by_file_name()
        .follow_links(false)
        .follow_root_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                out.push((rel, e.path().to_path_buf()));
            }
            Ok(e) if e.file_type().is_symlink() => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.push(link_skipped(rel, false));
            }
            Ok(_) => {}
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .unwrap_or_else(|| PathBuf::from(folder));
                // The path is the diagnostic's; the message only says why.
                let why = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                diags.push(Diagnostic::error(rel, format!("cannot be read: {why}")));
            }
        }
    }
    out
}

/// A text file of the site (a template, a strings file), never through a link.
fn read_text(abs: &Path) -> Result<String> {
    let bytes = read_no_follow(abs).map_err(|e| Error::io(abs, e))?;
    String::from_utf8(bytes).map_err(|e| Error::io(abs, std::io::Error::other(e)))
}

/// Files under the folder `rel` of the site as (`/`-separated path under it, bytes),
/// sorted; hidden files are skipped and no link is followed (a theme's `templates/`
/// and `static/`).
pub fn tree(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Result<Vec<(String, Vec<u8>)>> {
    let folder = rel.to_string_lossy();
    let mut out = Vec::new();
    for (file, abs) in walk(root, &folder, diags) {
        let under = file.strip_prefix(rel).unwrap_or(&file);
        let bytes = read_no_follow(&abs).map_err(|e| Error::io(&abs, e))?;
        out.push((slash(under).to_string_lossy().into_owned(), bytes));
    }
    Ok(out)
}

/// One content file as read: the source (when it is usable), its problems, and its text
/// for quoting in diagnostics.
pub type Read = (Option<Source>, Vec<Diagnostic>, Option<(PathBuf, Arc<str>)>);

/// Reads one content file again, by its path relative to the root (`serve` re-reads
/// only the files that changed); `None` when the path is not a journey, persona or
/// page file.
pub fn content_file(root: &Path, rel: &Path) -> Option<Read> {
    let rel_slash = slash(rel).to_string_lossy().into_owned();
    if !rel_slash.ends_with(".md") {
        return None;
    }
    let kind = [SourceKind::Journey, SourceKind::Persona, SourceKind::Page]
        .into_iter()
        .find(|k| {
            rel_slash
                .strip_prefix(k.folder())
                .is_some_and(|r| r.starts_with('/'))
        })?;
    // A file under a folder that became a link is not read through it.
    real_dir(root, rel.parent()?, &mut Diagnostics::default())?;
    Some(read_source(kind, rel, &root.join(rel)))
}

/// The largest journey, persona or page file cxmap reads: 10 MiB. Real maps are a few
/// kilobytes; a file far larger is a paste gone wrong or a data dump, and reading it
/// would take the build minutes and gigabytes, so it is an error that names its size.
pub const MAX_CONTENT_BYTES: u64 = 10 * 1024 * 1024;

/// The diagnostic for a file over [`MAX_CONTENT_BYTES`].
fn too_large(rel: &Path, size: u64) -> Diagnostic {
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0));
    Diagnostic::error(
        rel,
        format!(
            "this file is {} ({size} bytes); content files may be at most {} ({MAX_CONTENT_BYTES} bytes)",
            mib(size),
            mib(MAX_CONTENT_BYTES)
        ),
    )
    .help("split it into several journeys or pages, or move data files to `static/`")
}

fn read_source(kind: SourceKind, rel: &Path, abs: &Path) -> Read {
    let rel_slash = slash(rel);
    if let Ok(meta) = std::fs::metadata(abs)
        && meta.len() > MAX_CONTENT_BYTES
    {
        return (None, vec![too_large(&rel_slash, meta.len())], None);
    }
    match read_no_follow(abs) {
        Ok(bytes) => source(kind, rel, bytes),
        Err(e) => {
            let problem = Diagnostic::error(&rel_slash, format!("cannot be read: {e}"));
            (None, vec![problem], None)
        }
    }
}

/// The sources of a site from files in memory, as (path relative to the site root,
/// bytes): the site at a git revision. Content files and `cxmap.toml` only (no static
/// files, templates or strings: nothing is rendered from them). `None` when the files
/// have no `cxmap.toml`.
pub fn sources_from_files(
    root: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
    diags: &mut Diagnostics,
) -> Option<Sources> {
    let config = files
        .iter()
        .find(|(p, _)| p == Path::new(config::FILE_NAME))
        .map(|(_, b)| Arc::<str>::from(String::from_utf8_lossy(b)))?;
    diags.add_source(Path::new(config::FILE_NAME), config.clone());
    let mut content: Vec<Source> = Vec::new();
    let mut files: Vec<(SourceKind, PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter(|(p, _)| {
            p.extension().is_some_and(|e| e == "md")
                && !p
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .filter_map(|(p, b)| {
            let kind = [SourceKind::Journey, SourceKind::Persona, SourceKind::Page]
                .into_iter()
                .find(|k| p.starts_with(k.folder()))?;
            Some((kind, p, b))
        })
        .collect();
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (kind, rel, bytes) in files {
        let (source, problems, text) = source(kind, &rel, bytes);
        if let Some((rel, text)) = text {
            diags.add_source(&rel, text);
        }
        for p in problems {
            diags.push(p);
        }
        content.extend(source);
    }
    Some(Sources {
        root: root.to_path_buf(),
        config_text: config,
        content,
        ..Sources::default()
    })
}

/// A journey, persona or page from its bytes (an earlier version of a file), or `None`
/// when the bytes are not a readable text file.
pub fn content_from_bytes(kind: SourceKind, rel: &Path, bytes: Vec<u8>) -> Option<Source> {
    source(kind, rel, bytes).0
}

/// One content file from its bytes.
fn source(kind: SourceKind, rel: &Path, bytes: Vec<u8>) -> Read {
    let mut problems = Vec::new();
    let rel_slash = slash(rel);
    if bytes.len() as u64 > MAX_CONTENT_BYTES {
        problems.push(too_large(&rel_slash, bytes.len() as u64));
        return (None, problems, None);
    }
    if bytes.contains(&0) {
        problems.push(
            Diagnostic::error(&rel_slash, "this is not a text file")
                .help("journeys, personas and pages are Markdown text files; move other files to `static/`"),
        );
        return (None, problems, None);
    }
    let text: Arc<str> = match String::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = String::from_utf8_lossy(e.as_bytes()).into();
            // The lossy text has the same bytes up to `at`.
            problems.push(
                Diagnostic::error(&rel_slash, "this file is not valid UTF-8")
                    .at(at..at)
                    .label("invalid byte here")
                    .help("save the file as UTF-8 in your editor"),
            );
            return (None, problems, Some((rel_slash, lossy)));
        }
    };
    let under = rel_slash
        .strip_prefix(kind.folder())
        .unwrap_or(&rel_slash)
        .with_extension("");
    let Some(slug) = slug::slugify_path(&under.to_string_lossy()) else {
        problems.push(
            Diagnostic::error(&rel_slash, "this file name gives an empty URL")
                .help("rename the file with letters or digits, e.g. `online-order.md`"),
        );
        return (None, problems, Some((rel_slash, text)));
    };
    let translation = under
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .filter(|code| crate::config::is_language_code(code))
        .and_then(|code| {
            let stem = under.with_extension("");
            slug::slugify_path(&stem.to_string_lossy()).map(|s| (code, s))
        });
    (
        Some(Source {
            kind,
            rel: rel_slash.clone(),
            slug,
            translation,
            text: text.clone(),
        }),
        problems,
        Some((rel_slash, text)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_swapped_for_a_link_after_the_walk_is_not_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "TOP-SECRET").unwrap();
        let link = dir.path().join("logo.png");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        assert!(read_no_follow(&link).is_err());
        assert!(open_no_follow(&link).is_err());
        assert_eq!(read_no_follow(&secret).unwrap(), b"TOP-SECRET");
    }

    #[test]
    fn real_dir_never_climbs_out_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/themes")).unwrap();
        let root = dir.path().join("site");
        let mut diags = Diagnostics::default();
        assert!(real_dir(&root, Path::new("themes/../.."), &mut diags).is_none());
        assert!(real_dir(&root, Path::new("/etc"), &mut diags).is_none());
        assert!(real_dir(&root, Path::new("themes"), &mut diags).is_some());
    }
}

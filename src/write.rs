//! Writing the output: the only module that writes.
//!
//! [`Disk`] builds the new site in a sibling folder and swaps it in at the end, so a
//! build that fails half-way leaves the previous output as it was. [`Memory`] keeps the
//! files for `serve` and tests. Every single file written outside a build (reports,
//! exports, `init`, `new`, `import`, `theme eject`) goes through [`file`]: whole or not
//! at all, never through a symbolic link, never over a file it may not replace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes made by the build.
    Bytes(Vec<u8>),
    /// A file to copy as it is (static files).
    Copy(PathBuf),
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path in the output, `/`-separated, never starting with `/`, never with `..`.
    pub path: String,
    /// What it holds.
    pub contents: Contents,
}

impl OutputFile {
    /// A file made by the build.
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.into()),
        }
    }
}

/// Keeps the output in memory.
#[derive(Debug, Default)]
pub struct Memory {
    /// Files by path.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Memory {
    /// Stores every file, reading copies from disk.
    pub fn write(&mut self, files: Vec<OutputFile>) -> Result<()> {
        for f in files {
            let bytes = match f.contents {
                Contents::Bytes(b) => b,
                Contents::Copy(src) => {
                    crate::load::read_no_follow(&src).map_err(|e| Error::io(&src, e))?
                }
            };
            self.files.insert(f.path, bytes);
        }
        Ok(())
    }
}

/// Writes the output folder, all or nothing.
#[derive(Debug)]
pub struct Disk {
    /// The output folder.
    pub out: PathBuf,
}

impl Disk {
    /// Refuses output folders that would destroy the site's own files.
    pub fn new(out: PathBuf, site_root: &Path) -> Result<Self> {
        // A link that points nowhere: the new folder could only replace the link, and
        // the user meant the place it names.
        if std::fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink())
            && !out.exists()
        {
            return Err(Error::UnsafeOutput {
                path: out,
                reason: "it is a symbolic link to nothing (remove it, or point it at a folder)",
            });
        }
        let abs_out = absolute(&out);
        let abs_root = absolute(site_root);
        if abs_root.starts_with(&abs_out) {
            return Err(Error::UnsafeOutput {
                path: out,
                reason: "it holds the site itself",
            });
        }
        if abs_out.join(crate::config::FILE_NAME).exists() {
            return Err(Error::UnsafeOutput {
                path: out,
                reason: "it holds a `cxmap.toml`",
            });
        }
        for source in [
            "journeys",
            "personas",
            "pages",
            "static",
            "templates",
            "themes",
        ] {
            if abs_out == abs_root.join(source) || abs_out.starts_with(abs_root.join(source)) {
                return Err(Error::UnsafeOutput {
                    path: out,
                    reason: "it is one of the site's source folders",
                });
            }
        }
        if abs_out.is_file() {
            return Err(Error::UnsafeOutput {
                path: out,
                reason: "it is a file, not a folder",
            });
        }
        if abs_out.is_dir() && !is_replaceable(&abs_out) {
            return Err(Error::UnsafeOutput {
                path: out,
                reason: "it is not empty and not an earlier cxmap build (choose an empty or new folder)",
            });
        }
        Ok(Disk { out: abs_out })
    }

    /// Starts a build: a fresh staging folder beside the output, which [`Staging`]
    /// fills and then swaps in.
    ///
    /// The output folder always holds a whole build, the old one or the new one, even
    /// when the build is killed half-way: the new files go to the staging folder, and
    /// the two folders are exchanged in one step (`renameat2` with `RENAME_EXCHANGE` on
    /// Linux). Where that is not available, the old folder is moved aside first; a
    /// build killed between the two moves leaves it aside, and the next build puts it
    /// back before anything else. Staging folders of killed builds are removed by the
    /// next build, and a [`Staging`] dropped without [`Staging::commit`] removes its own.
    pub fn stage(&self) -> Result<Staging> {
        let parent = self.out.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = self
            .out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        recover(&parent, &name, &self.out)?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.cxmap-new-{pid}"));
        let old = parent.join(format!(".{name}.cxmap-old-{pid}"));
        remove_dir(&dir)?;
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dir,
            old,
            out: self.out.clone(),
            done: false,
            pages: std::sync::atomic::AtomicUsize::new(0),
        })
    }
}

/// A build being written: files go into a hidden folder beside the output as they are
/// rendered, from any number of threads, and [`Staging::commit`] swaps it in.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    old: PathBuf,
    out: PathBuf,
    done: bool,
    /// How many pages (`index.html` files) have been written.
    pages: std::sync::atomic::AtomicUsize,
}

/// Where a build's files go as soon as they are made, from any thread: whole, or
/// written piece by piece as they are made (a large page or data file is never held in
/// memory).
pub trait Sink: Sync {
    /// Writes `files`.
    fn files(&self, files: &[OutputFile]) -> Result<()>;

    /// Writes the file at `path` (as in [`OutputFile::path`]) with what `write` puts
    /// into the writer it is given.
    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()>;
}

impl Sink for Staging {
    fn files(&self, files: &[OutputFile]) -> Result<()> {
        self.write(files)
    }

    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        use std::io::Write as _;
        let target = self.place(path)?;
        let shown = || self.out.join(path);
        let file = std::fs::File::create(&target).map_err(|e| Error::io(shown(), e))?;
        let mut out = Recording {
            inner: std::io::BufWriter::with_capacity(64 * 1024, file),
            error: None,
        };
        let made = write(&mut out);
        // A failed write is reported as what it is, with the output path, whatever the
        // writer's user made of it.
        if let Some(e) = out.error.take() {
            return Err(Error::io(shown(), e));
        }
        made?;
        out.inner.flush().map_err(|e| Error::io(shown(), e))
    }
}

/// Whether the file at `path` (`/`-separated, relative) is a page: an `index.html`.
pub fn is_page(path: &str) -> bool {
    path.rsplit('/').next() == Some("index.html")
}

/// A writer that remembers its first error.
struct Recording<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> std::io::Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).inspect_err(|e| {
            self.error
                .get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Staging {
    /// Writes `files` (creating their folders). Safe to call from several threads at
    /// once for different files. An error names the file in the output folder.
    pub fn write(&self, files: &[OutputFile]) -> Result<()> {
        for f in files {
            let target = self.place(&f.path)?;
            let shown = || self.out.join(&f.path);
            match &f.contents {
                Contents::Bytes(b) => std::fs::write(&target, b).map_err(|e| Error::io(shown(), e)),
                // A static file swapped for a link since the walk is not copied through it.
                Contents::Copy(src) => crate::load::open_no_follow(src)
                    .map_err(|e| Error::io(src, e))
                    .and_then(|mut from| {
                        let mut to =
                            std::fs::File::create(&target).map_err(|e| Error::io(shown(), e))?;
                        std::io::copy(&mut from, &mut to)
                            .map(|_| ())
                            .map_err(|e| Error::io(shown(), e))
                    }),
            }?;
        }
        Ok(())
    }

    /// How many pages (`index.html` files) have been written so far.
    pub fn pages(&self) -> usize {
        self.pages.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Where the file at `path` goes in the staging folder, with its folder made; a
    /// page is counted. An error names the file in the output folder.
    fn place(&self, path: &str) -> Result<PathBuf> {
        debug_assert!(!path.starts_with('/') && !path.split('/').any(|s| s == ".."));
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(|e| Error::io(self.out.join(path), e))?;
        }
        if is_page(path) {
            self.pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(target)
    }

    /// Swaps the written folder in for the output; the previous output is removed.
    ///
    /// Every file is flushed to the disk before the swap, and the folder holding the
    /// output after it, so a power cut leaves the old output or the new one, whole.
    pub fn commit(self) -> Result<()> {
        sync_tree(&self.dir).map_err(|e| Error::io(&self.out, e))?;
        let out = self.out.clone();
        self.swap()?;
        sync_folder(out.parent().unwrap_or(Path::new(".")))
    }

    fn swap(mut self) -> Result<()> {
        let (staging, old, out) = (&self.dir, &self.old, &self.out);
        if out.exists() && exchange(staging, out) {
            // The staging folder now holds the previous output.
            remove_dir(staging)?;
        } else if out.exists() {
            remove_dir(old)?;
            std::fs::rename(out, old).map_err(|e| Error::io(out, e))?;
            if let Err(e) = std::fs::rename(staging, out) {
                // Put the previous output back before reporting.
                let _ = std::fs::rename(old, out);
                let _ = std::fs::remove_dir_all(staging);
                return Err(Error::io(out, e));
            }
            remove_dir(old)?;
        } else if let Err(e) = std::fs::rename(staging, out) {
            // The staging folder goes with the error (`Drop` removes it).
            return Err(Error::io(out, e));
        }
        self.done = true;
        Ok(())
    }
}

/// Flushes every file written under `dir` to the disk: one `syncfs` of its file system
/// on Linux (a build writes thousands of files; one call costs less than a `fsync`
/// each), else each file and folder in turn.
#[cfg(target_os = "linux")]
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    let folder = std::fs::File::open(dir)?;
    rustix::fs::syncfs(&folder).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            std::fs::OpenOptions::new()
                .write(true)
                .open(entry.path())?
                .sync_all()?;
        } else if cfg!(unix) && entry.file_type().is_dir() {
            std::fs::File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Exchanges two folders in one step; `false` when the system cannot (nothing moved).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Cleans up after a build that was killed while writing `out` (named `name` in
/// `parent`): an old output moved aside and never put back is restored when the output
/// is missing; leftover staging and old folders are removed.
fn recover(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<(bool, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix(&format!(".{name}.cxmap-"))?;
            let old = rest.starts_with("old-");
            (old || rest.starts_with("new-")).then(|| (old, e.path()))
        })
        .collect();
    leftovers.sort();
    for (old, path) in leftovers {
        if old && !out.exists() {
            std::fs::rename(&path, out).map_err(|e| Error::io(out, e))?;
        } else {
            remove_dir(&path)?;
        }
    }
    Ok(())
}

/// An output folder may be replaced when it is empty or is an earlier build: every
/// build writes `data/journeys.json` opening with `{"schema_version":`, and an
/// `index.html`. A folder that merely has a file of that name (`{}`, someone's data) is
/// not taken for a build.
fn is_replaceable(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    let data = dir.join("data/journeys.json");
    let built = !std::fs::symlink_metadata(&data).is_ok_and(|m| m.file_type().is_symlink())
        && Made::Json.made(&data)
        && dir.join("index.html").is_file();
    empty || built
}

/// `path` made absolute, `..` resolved as written, then the links of the part that
/// exists resolved (a new file's path compares with a canonical one).
fn absolute(path: &Path) -> PathBuf {
    let abs = lexical(path);
    // Resolve the symlinks of the part that exists.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n.to_os_string());
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    out
}

fn remove_dir(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// What [`file`] may do when its target exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Nothing: an existing file is [`Error::Exists`] and stays as it is (`init`, `new`,
    /// `import` and `theme eject` without `--force`, new persona files).
    Never,
    /// Replace the file: the user named it and said `--force` (`init`, `new`, `import`).
    Always,
    /// An output of `report` or `export`: never one of the site's sources (even with
    /// `force`); an existing file only when cxmap made it, or any file with `force`.
    Output {
        /// What cxmap writes there, to recognise its own earlier file.
        made: Made,
        /// The user's `--force`: replace a file cxmap did not make.
        force: bool,
    },
}

/// The kinds of file `report` and `export` write, each recognised by a mark cxmap puts
/// in every such file (and nothing else does by chance), so an earlier report or poster
/// is replaced without asking and anything else is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// A PDF whose creator is `cxmap` (reports and posters).
    Pdf,
    /// A PNG with a `Software` text chunk saying `cxmap` (posters).
    Png,
    /// An HTML file with `<meta name="generator" content="cxmap">` near its start.
    Html,
    /// A CSV whose first line is this header (`journeys.csv`'s columns).
    Csv(&'static [&'static str]),
    /// JSON that opens with `{"schema_version":` (`journeys.json`).
    Json,
}

/// The `Software` text chunk cxmap puts into every PNG it writes (see [`mark_png`]).
const PNG_MARK: &[u8] = b"tEXtSoftware\0cxmap";

/// How many bytes of a file [`Made::recognises`] needs, except for PDFs (whose
/// metadata may sit anywhere): the marks of the other kinds are at the start.
const HEAD: usize = 4096;

impl Made {
    /// Whether `bytes`, a whole file (or at least its first 4 KiB, except for a PDF),
    /// is a file of this kind that cxmap made.
    pub fn recognises(self, bytes: &[u8]) -> bool {
        let head = &bytes[..bytes.len().min(HEAD)];
        let has = |hay: &[u8], needle: &[u8]| memchr::memmem::find(hay, needle).is_some();
        match self {
            // krilla writes the information dictionary near the end of the file.
            Made::Pdf => {
                bytes.starts_with(b"%PDF-")
                    && (has(bytes, b"/Creator(cxmap)") || has(bytes, b"/Creator (cxmap)"))
            }
            Made::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n") && has(head, PNG_MARK),
            Made::Html => has(head, b"<meta name=\"generator\" content=\"cxmap\">"),
            Made::Csv(columns) => {
                let header = columns.join(",");
                let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
                first.strip_suffix(b"\r").unwrap_or(first) == header.as_bytes()
            }
            Made::Json => bytes.starts_with(b"{\"schema_version\":"),
        }
    }

    /// Whether the file at `path` is one cxmap made; `false` when it cannot be read.
    fn made(self, path: &Path) -> bool {
        use std::io::Read as _;
        let Ok(file) = std::fs::File::open(path) else {
            return false;
        };
        let limit = if self == Made::Pdf {
            u64::MAX
        } else {
            HEAD as u64
        };
        let mut bytes = Vec::new();
        file.take(limit).read_to_end(&mut bytes).is_ok() && self.recognises(&bytes)
    }
}

/// `png` with cxmap's `Software` text chunk right after its header chunk, so an
/// earlier poster is recognised ([`Made::Png`]). PNG readers skip text chunks.
pub fn mark_png(png: Vec<u8>) -> Vec<u8> {
    // The signature (8 bytes) and the IHDR chunk (4 + 4 + 13 + 4 bytes) come first.
    const AFTER_HEADER: usize = 33;
    if png.len() < AFTER_HEADER || !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png;
    }
    let data = &PNG_MARK[4..];
    let mut out = Vec::with_capacity(png.len() + PNG_MARK.len() + 8);
    out.extend_from_slice(&png[..AFTER_HEADER]);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(PNG_MARK);
    out.extend_from_slice(&crc32fast::hash(PNG_MARK).to_be_bytes());
    out.extend_from_slice(&png[AFTER_HEADER..]);
    out
}

/// The site's sources besides `cxmap.toml`: a report or an export is never written
/// into these folders.
pub const SOURCE_FOLDERS: [&str; 9] = [
    "journeys",
    "personas",
    "pages",
    "research",
    "metrics",
    "static",
    "templates",
    "themes",
    "i18n",
];

/// Writes one file for the site at `root`, whole or not at all: the bytes go to a new
/// hidden file beside `path`, are flushed to the disk, and the file is renamed over
/// `path`; then the folder is flushed too, so after a power cut `path` holds the old
/// bytes or the new ones. On any failure the temporary file is removed and `path` is
/// left as it was. Folders are created as needed.
///
/// Refused before anything is written (see [`check`]): a `path` that is a symbolic
/// link, or reached through a linked folder inside the site, and whatever `replace`
/// does not allow.
pub fn file(root: &Path, path: &Path, bytes: &[u8], replace: Replace) -> Result<()> {
    check(root, path, replace)?;
    let folder = folder_of(path);
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage {
            message: format!("`{}` does not name a file", path.display()),
            help: None,
        })?;
    let temp = Temp::create(folder, &name, path)?;
    temp.fill(bytes)?;
    match replace {
        Replace::Never => temp.rename_new(path)?,
        Replace::Always | Replace::Output { .. } => temp.rename_over(path)?,
    }
    sync_folder(folder)
}

/// Whether [`file`] may write `path` for the site at `root` with `replace`; nothing is
/// written. Commands that write several files check them all first, so a refusal
/// leaves nothing half done.
pub fn check(root: &Path, path: &Path, replace: Replace) -> Result<()> {
    no_links(root, path)?;
    if let Replace::Output { .. } = replace {
        not_a_source(root, path)?;
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    if !meta.is_file() {
        return Err(Error::Usage {
            message: format!("`{}` exists and is not a file", path.display()),
            help: Some("choose another path".into()),
        });
    }
    match replace {
        Replace::Never => Err(Error::Exists {
            path: path.to_path_buf(),
        }),
        Replace::Always | Replace::Output { force: true, .. } => Ok(()),
        Replace::Output { made, force: false } if made.made(path) => Ok(()),
        Replace::Output { .. } => Err(Error::NotMade {
            path: path.to_path_buf(),
        }),
    }
}

/// Refuses a `path` that is a symbolic link (working or dangling), and one inside the
/// site at `root` reached through a linked folder (`exports -> /elsewhere`): a write
/// there would land wherever the link points.
fn no_links(root: &Path, path: &Path) -> Result<()> {
    let path = lexical(path);
    let inside = [lexical(root), absolute(root)].into_iter().find_map(|r| {
        path.strip_prefix(&r)
            .ok()
            .map(|rest| (r.clone(), rest.to_path_buf()))
    });
    let mut steps = Vec::new();
    match inside {
        Some((mut at, rest)) => {
            for part in rest.components() {
                at.push(part);
                steps.push(at.clone());
            }
        }
        None => steps.push(path.clone()),
    }
    for step in steps {
        if std::fs::symlink_metadata(&step).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Symlink { path: step });
        }
    }
    Ok(())
}

/// Refuses a `path` that is `cxmap.toml` or inside one of [`SOURCE_FOLDERS`] of the
/// site at `root`, however it is reached (`..`, links above the site, letter case).
fn not_a_source(root: &Path, path: &Path) -> Result<()> {
    let (root, target) = (absolute(root), absolute(path));
    let Ok(rest) = target.strip_prefix(&root) else {
        return Ok(());
    };
    let mut parts = rest.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next().unwrap_or_default();
    let is = |name: &str| first.eq_ignore_ascii_case(name);
    let source = (is(crate::config::FILE_NAME) && parts.next().is_none())
        || SOURCE_FOLDERS.iter().any(|f| is(f));
    if source || rest.as_os_str().is_empty() {
        return Err(Error::SiteSource {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The folder a file is written into (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` made absolute, with `.` and `..` resolved as written (links not followed).
fn lexical(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// A new hidden file beside a target, removed when dropped unless renamed.
struct Temp {
    path: PathBuf,
    /// The target, which errors name: the user never asked for the temporary file.
    target: PathBuf,
    file: Option<std::fs::File>,
}

impl Temp {
    /// Creates `.<name>.cxmap-tmp-<pid>-<n>` in `folder` (never an existing file).
    fn create(folder: &Path, name: &str, target: &Path) -> Result<Temp> {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        loop {
            let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = folder.join(format!(".{name}.cxmap-tmp-{}-{n}", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(Temp {
                        path,
                        target: target.to_path_buf(),
                        file: Some(file),
                    });
                }
                // Left by a killed run with the same process id: take the next name.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(target, e)),
            }
        }
    }

    /// Writes `bytes` and waits until they are on the disk.
    fn fill(&self, bytes: &[u8]) -> Result<()> {
        use std::io::Write as _;
        let Some(mut file) = self.file.as_ref() else {
            return Ok(());
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&self.target, e))
    }

    /// Renames the file over `path`.
    fn rename_over(mut self, path: &Path) -> Result<()> {
        self.file = None;
        std::fs::rename(&self.path, path).map_err(|e| Error::io(path, e))?;
        self.path = PathBuf::new();
        Ok(())
    }

    /// Renames the file to `path` only if nothing is there ([`Error::Exists`] if
    /// something is, even when it appeared since [`check`]).
    fn rename_new(mut self, path: &Path) -> Result<()> {
        self.file = None;
        match rename_no_replace(&self.path, path) {
            Ok(()) => {
                self.path = PathBuf::new();
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Exists {
                path: path.to_path_buf(),
            }),
            Err(e) => Err(Error::io(path, e)),
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Renames `from` to `to` unless `to` exists: one step on Linux, else a hard link and
/// the removal of `from` (for file systems without `RENAME_NOREPLACE`, too).
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

/// Flushes `folder`'s entries (a rename is a change of the folder) to the disk.
fn sync_folder(folder: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let synced = std::fs::File::open(folder).and_then(|f| f.sync_all());
        match synced {
            // Some file systems cannot flush a folder; there is nothing more to do.
            Err(e) if e.kind() != std::io::ErrorKind::InvalidInput => {
                return Err(Error::io(folder, e));
            }
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cxmap.toml"), "title = \"x\"").unwrap();
        assert!(Disk::new(dir.path().to_path_buf(), dir.path()).is_err());
        assert!(Disk::new(dir.path().join("journeys"), dir.path()).is_err());
        assert!(Disk::new(dir.path().join(".."), dir.path()).is_err());
        assert!(Disk::new(dir.path().join("public"), dir.path()).is_ok());
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("thesis.txt"), "mine").unwrap();
        assert!(Disk::new(other.path().to_path_buf(), dir.path()).is_err());
        assert!(Disk::new(other.path().join("thesis.txt"), dir.path()).is_err());
        std::fs::create_dir_all(other.path().join("old/data")).unwrap();
        std::fs::write(
            other.path().join("old/data/journeys.json"),
            "{\"schema_version\":1,\"title\":\"x\"}\n",
        )
        .unwrap();
        std::fs::write(other.path().join("old/index.html"), "<!doctype html>").unwrap();
        assert!(Disk::new(other.path().join("old"), dir.path()).is_ok());
    }

    #[test]
    fn a_folder_with_only_an_empty_journeys_json_is_not_taken_for_a_build() {
        let site = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let out = other.path().join("mine");
        std::fs::create_dir_all(out.join("data")).unwrap();
        std::fs::write(out.join("data/journeys.json"), "{}").unwrap();
        std::fs::write(out.join("index.html"), "my own page").unwrap();
        std::fs::write(out.join("notes.txt"), "keep me").unwrap();
        let refused = Disk::new(out.clone(), site.path());
        assert!(
            matches!(refused, Err(Error::UnsafeOutput { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn a_dangling_symlink_output_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let out = other.path().join("public");
        std::os::unix::fs::symlink(other.path().join("nowhere"), &out).unwrap();
        let refused = Disk::new(out, site.path());
        assert!(
            matches!(refused, Err(Error::UnsafeOutput { .. })),
            "{refused:?}"
        );
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    const OUTPUT: Replace = Replace::Output {
        made: Made::Html,
        force: false,
    };
    const REPORT: &str = "<!doctype html><meta name=\"generator\" content=\"cxmap\">";

    #[test]
    fn file_writes_whole_files_and_leaves_no_temporary_file() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("deep/er/report.html");
        file(root.path(), &path, REPORT.as_bytes(), OUTPUT).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), REPORT);
        assert_eq!(names(&root.path().join("deep/er")), ["report.html"]);
    }

    #[test]
    fn file_never_replaces_an_existing_file_without_being_asked() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("journeys/a.md");
        file(root.path(), &path, b"one", Replace::Never).unwrap();
        let again = file(root.path(), &path, b"two", Replace::Never);
        assert!(matches!(again, Err(Error::Exists { .. })), "{again:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        file(root.path(), &path, b"three", Replace::Always).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        assert_eq!(names(&root.path().join("journeys")), ["a.md"]);
    }

    #[test]
    fn file_does_not_overwrite_a_file_cxmap_did_not_make() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("report.html");
        std::fs::write(&path, "my thesis").unwrap();
        let refused = file(root.path(), &path, REPORT.as_bytes(), OUTPUT);
        assert!(matches!(refused, Err(Error::NotMade { .. })), "{refused:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "my thesis");
        let forced = Replace::Output {
            made: Made::Html,
            force: true,
        };
        file(root.path(), &path, REPORT.as_bytes(), forced).unwrap();
        // Its own file is replaced without asking.
        file(
            root.path(),
            &path,
            b"<meta name=\"generator\" content=\"cxmap\">2",
            OUTPUT,
        )
        .unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().ends_with('2'));
    }

    #[test]
    fn file_never_writes_an_output_over_a_site_source_even_with_force() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("cxmap.toml"), "title = \"x\"").unwrap();
        let forced = Replace::Output {
            made: Made::Html,
            force: true,
        };
        for path in [
            "cxmap.toml",
            "journeys/a.md",
            "Personas/b.md",
            "i18n/en.toml",
            "exports/../themes/x.css",
        ] {
            let refused = file(root.path(), &root.path().join(path), b"x", forced);
            assert!(
                matches!(refused, Err(Error::SiteSource { .. })),
                "{path}: {refused:?}"
            );
        }
        assert_eq!(names(root.path()), ["cxmap.toml"]);
        assert_eq!(
            std::fs::read_to_string(root.path().join("cxmap.toml")).unwrap(),
            "title = \"x\""
        );
    }

    #[test]
    fn file_does_not_write_through_a_symlink() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let secret = elsewhere.path().join("secret");
        std::fs::write(&secret, "mine").unwrap();
        let link = root.path().join("link.md");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let dangling = root.path().join("dangling.md");
        std::os::unix::fs::symlink(elsewhere.path().join("none"), &dangling).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("journeys")).unwrap();
        for (path, replace) in [
            (link.clone(), Replace::Always),
            (dangling.clone(), Replace::Never),
            (root.path().join("journeys/new.md"), Replace::Never),
            (root.path().join("journeys/secret"), Replace::Always),
        ] {
            let refused = file(root.path(), &path, b"x", replace);
            assert!(
                matches!(refused, Err(Error::Symlink { .. })),
                "{}: {refused:?}",
                path.display()
            );
        }
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "mine");
        assert_eq!(names(elsewhere.path()), ["secret"]);
    }

    #[test]
    fn every_kind_of_output_recognises_its_own_mark_only() {
        let png = mark_png(
            resvg::tiny_skia::Pixmap::new(2, 2)
                .unwrap()
                .encode_png()
                .unwrap(),
        );
        assert!(Made::Png.recognises(&png));
        assert!(resvg::tiny_skia::Pixmap::decode_png(&png).is_ok());
        const CSV: [&str; 2] = ["journey", "stage"];
        assert!(Made::Csv(&CSV).recognises(b"journey,stage\r\na,b\n"));
        assert!(!Made::Csv(&CSV).recognises(b"journey,stage,mine\n"));
        assert!(Made::Json.recognises(b"{\"schema_version\":1}"));
        assert!(!Made::Json.recognises(b"{}"));
        assert!(Made::Html.recognises(REPORT.as_bytes()));
        assert!(!Made::Html.recognises(b"<html>"));
        assert!(Made::Pdf.recognises(b"%PDF-1.7 ... /Creator(cxmap) ..."));
        assert!(!Made::Pdf.recognises(b"%PDF-1.7 ... /Creator (Word) ..."));
        for made in [
            Made::Png,
            Made::Pdf,
            Made::Html,
            Made::Json,
            Made::Csv(&CSV),
        ] {
            assert!(!made.recognises(b""), "{made:?}");
        }
    }

    #[test]
    fn swaps_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let disk = Disk { out: out.clone() };
        let build = |files: &[OutputFile]| {
            let staging = disk.stage().unwrap();
            staging.write(files).unwrap();
            staging.commit().unwrap();
        };
        build(&[
            OutputFile::bytes("a/index.html", "one"),
            OutputFile::bytes("old.txt", "x"),
        ]);
        build(&[OutputFile::bytes("a/index.html", "two")]);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);

        // A build that stops before its commit leaves the output and nothing else.
        let staging = disk.stage().unwrap();
        staging
            .write(&[OutputFile::bytes("a/index.html", "three")])
            .unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}

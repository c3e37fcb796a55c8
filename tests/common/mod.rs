//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cxmap::write::{Contents, OutputFile};

/// The fixture site `tests/fixtures/<name>`, from a copy of `tests/fixtures` made once
/// per test program in a temporary folder: outside cxmap's own repository, so a build
/// never shows the git history of the fixtures (pages would name the commits that
/// changed them, and a snapshot cannot name the commit that holds it). Tests of git
/// make their own repositories. The copy is removed when the test program exits.
pub fn fixture(name: &str) -> PathBuf {
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    let base = COPY.get_or_init(|| {
        let dir = program_temp_dir("cxmap-fixtures-");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &dir,
        );
        dir
    });
    base.join(name)
}

/// A new temporary folder named `prefix…` that lasts until the test program exits, for
/// copies made once per program and kept in a static (a static is never dropped, so a
/// `TempDir` there would never be removed).
pub fn program_temp_dir(prefix: &str) -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("a temporary folder")
        .keep();
    remove_at_exit(&dir);
    dir
}

/// Removes `dir` when the test program exits.
fn remove_at_exit(dir: &Path) {
    static DIRS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    extern "C" fn remove() {
        if let Ok(dirs) = DIRS.lock() {
            for dir in dirs.iter() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
    let Ok(mut dirs) = DIRS.lock() else { return };
    if dirs.is_empty() {
        // SAFETY: registers a function that takes nothing and cannot unwind (it only
        // removes folders and ignores errors); the C library calls it once, at exit.
        unsafe { libc::atexit(remove) };
    }
    dirs.push(dir.to_path_buf());
}

/// The example site `examples/<name>`.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Renders a site into memory: path → bytes. Panics with the diagnostics on errors.
pub fn render(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let outcome = cxmap::render(root).expect("render");
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    files_to_map(outcome.files)
}

/// Output files as a map, reading copied files.
pub fn files_to_map(files: Vec<OutputFile>) -> BTreeMap<String, Vec<u8>> {
    files
        .into_iter()
        .map(|f| {
            let bytes = match f.contents {
                Contents::Bytes(b) => b,
                Contents::Copy(p) => std::fs::read(p).expect("static file"),
            };
            (f.path, bytes)
        })
        .collect()
}

/// One output file as text.
pub fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("no `{path}` in {:?}", files.keys().collect::<Vec<_>>()));
    String::from_utf8(bytes.clone()).expect("utf-8")
}

/// Copies a folder recursively; symbolic links are copied as links (the hostile fixture
/// holds links out of the site).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.path_is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs the `git` program in `dir` as `who` (name; the email is made from it) at `date`
/// (author and committer), with no system or user configuration and nothing inherited
/// from a surrounding git command; its standard output. For tests that make their own
/// repositories (cxmap itself never runs `git`; `scripts/setup` installs it).
pub fn git(dir: &Path, who: &str, date: &str, args: &[&str]) -> String {
    let email = format!(
        "{}@example.com",
        who.split(' ').next().unwrap_or("x").to_lowercase()
    );
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", &email)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .output()
        .expect("`git` runs (scripts/setup installs it)");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Compares a PNG with the committed reference `tests/fixtures/<reference>` (in the
/// repository, not the fixtures' temporary copy): the same size, and at most one pixel
/// in 10,000 differing by more than 3/255 in a channel (anti-aliasing may differ by a
/// step or two between CPUs). With `CXMAP_UPDATE_REFERENCE=1` it writes the reference
/// instead. On a difference it keeps the actual image under the test target folder and
/// names it, with the command (`cargo test --test <test>`) that regenerates it.
pub fn assert_matches_reference(actual_bytes: &[u8], reference: &str, test: &str) {
    use resvg::tiny_skia::Pixmap;
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(reference);
    if std::env::var_os("CXMAP_UPDATE_REFERENCE").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        std::fs::write(&expected_path, actual_bytes).unwrap();
        return;
    }
    let keep_actual = || {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
        std::fs::create_dir_all(&dir).unwrap();
        let name = expected_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let path = dir.join(format!("{name}.actual.png"));
        std::fs::write(&path, actual_bytes).unwrap();
        path
    };
    let again =
        format!("(if the change is intended: CXMAP_UPDATE_REFERENCE=1 cargo test --test {test})");
    let actual = Pixmap::decode_png(actual_bytes).expect("actual PNG decodes");
    let expected = Pixmap::decode_png(
        &std::fs::read(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
    )
    .expect("reference PNG decodes");
    if (actual.width(), actual.height()) != (expected.width(), expected.height()) {
        panic!(
            "the image is {}×{} pixels, the reference {}×{}; actual image: {}\n{again}",
            actual.width(),
            actual.height(),
            expected.width(),
            expected.height(),
            keep_actual().display()
        );
    }
    const TOLERANCE: u8 = 3;
    let differing = actual
        .data()
        .chunks_exact(4)
        .zip(expected.data().chunks_exact(4))
        .filter(|(a, e)| a.iter().zip(*e).any(|(a, e)| a.abs_diff(*e) > TOLERANCE))
        .count();
    let allowed = (actual.width() * actual.height()) as usize / 10_000;
    if differing > allowed {
        panic!(
            "{differing} pixels differ from the reference by more than {TOLERANCE} \
             (at most {allowed} may); actual image: {}\n{again}",
            keep_actual().display()
        );
    }
}

/// The text of a PDF as a viewer extracts it (`pdftotext` from poppler-utils, which
/// `scripts/setup` installs).
pub fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("`pdftotext` runs (install poppler-utils: scripts/setup does)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

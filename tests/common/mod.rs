//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cxmap::write::{Contents, OutputFile};

/// The fixture site `tests/fixtures/<name>`, from a copy of `tests/fixtures` made once
/// per test program in a temporary folder: outside cxmap's own repository, so a build
/// never shows the git history of the fixtures (pages would name the commits that
/// changed them, and a snapshot cannot name the commit that holds it). Tests of git
/// make their own repositories.
pub fn fixture(name: &str) -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let base = COPY.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("cxmap-fixtures-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &dir,
        );
        dir
    });
    base.join(name)
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

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
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

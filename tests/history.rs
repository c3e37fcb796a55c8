//! `cxmap::history` on temporary repositories made with the `git` command (which
//! `scripts/setup` installs; cxmap itself never runs it). Every commit has a fixed
//! author, committer and date, so ids and orders are the same on every run.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

mod common;

use cxmap::history::{self, Error, History};

/// A scratch repository.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// `git init` in a new temporary folder, branch `main`.
    fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("temporary folder");
        let scratch = Scratch { dir };
        scratch.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        scratch
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (folders made as needed).
    fn write(&self, path: &str, text: &str) {
        let path = self.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Runs git in the repository with a fixed identity and clock; its stdout.
    fn git(&self, args: &[&str]) -> String {
        self.git_as("Ana Ruiz", "2026-01-01T12:00:00+00:00", args)
    }

    fn git_as(&self, who: &str, date: &str, args: &[&str]) -> String {
        common::git(self.path(), who, date, args)
    }

    /// Stages everything and commits it as `who` at `date` (author and committer).
    fn commit(&self, who: &str, date: &str, message: &str) -> String {
        self.git_as(who, date, &["add", "-A"]);
        self.git_as(who, date, &["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    fn open(&self) -> history::Repo {
        history::open(self.path()).expect("a repository")
    }
}

/// The subjects of the commits of one file, newest first.
fn subjects(history: &History, path: &str) -> Vec<String> {
    history
        .files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} at HEAD: {:?}", history.files.keys()))
        .iter()
        .map(|&i| history.commits[i].subject.clone())
        .collect()
}

fn paths(items: &[&str]) -> BTreeSet<PathBuf> {
    items.iter().map(PathBuf::from).collect()
}

/// A journey long enough that a small edit keeps it recognisable after a rename.
fn journey(title: &str, extra: &str) -> String {
    let mut text = format!("+++\ntitle = \"{title}\"\n+++\n\n");
    for i in 1..=12 {
        text.push_str(&format!("Line {i} of the narrative about this journey.\n"));
    }
    text.push_str(extra);
    text
}

#[test]
fn authors_dates_and_subjects_per_file() {
    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"Retail\"\n");
    s.write("journeys/a.md", &journey("A", ""));
    s.write("journeys/b.md", &journey("B", ""));
    let first = s.commit(
        "Ana Ruiz",
        "2026-01-05T10:00:00+01:00",
        "Start the retail maps",
    );
    s.write("journeys/a.md", &journey("A", "Checkout pains.\n"));
    s.commit(
        "Ben Ode",
        "2026-02-10T23:30:00-05:00",
        "Checkout pains\n\nFrom the March interviews.",
    );
    s.write("journeys/b.md", &journey("B", "Returns.\n"));
    let third = s.commit("Ana Ruiz", "2026-03-01T00:15:00+02:00", "Returns stage");
    s.commit("Ana Ruiz", "2026-03-02T09:00:00+00:00", "Nothing at all");

    let repo = s.open();
    assert_eq!(repo.prefix(), Path::new(""));
    let h = history::history(&repo).unwrap();
    let all: Vec<&str> = h.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        all,
        ["Returns stage", "Checkout pains", "Start the retail maps"]
    );
    assert_eq!(
        subjects(&h, "journeys/a.md"),
        ["Checkout pains", "Start the retail maps"]
    );
    assert_eq!(
        subjects(&h, "journeys/b.md"),
        ["Returns stage", "Start the retail maps"]
    );
    assert_eq!(subjects(&h, "cxmap.toml"), ["Start the retail maps"]);
    assert_eq!(h.files.len(), 3);
    assert!(!h.shallow);
    assert!(h.uncommitted.is_empty(), "{:?}", h.uncommitted);

    let ben = &h.commits[1];
    assert_eq!(ben.author, "Ben Ode");
    assert_eq!(ben.email, "ben@example.com");
    assert_eq!(ben.offset_minutes, -300);
    assert_eq!(ben.time, 1_770_784_200); // 2026-02-11T04:30:00Z
    assert_eq!(ben.date.to_string(), "2026-02-10", "the author's own date");
    let newest = &h.commits[0];
    assert_eq!(newest.id, third);
    assert_eq!(newest.short, &third[..7]);
    assert_eq!(newest.date.to_string(), "2026-03-01");
    assert_eq!(newest.offset_minutes, 120);
    assert_eq!(h.commits[2].id, first);
    assert_eq!(h.commits[2].date.to_string(), "2026-01-05");

    assert_eq!(history::history(&repo).unwrap(), h, "the same every time");
}

#[test]
fn a_renamed_file_keeps_its_history() {
    let s = Scratch::new();
    s.write("journeys/old.md", &journey("Onboarding", ""));
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Onboarding map");
    s.write("journeys/old.md", &journey("Onboarding", "First edit.\n"));
    s.commit("Ben Ode", "2026-01-02T09:00:00+00:00", "First edit");
    s.git(&["mv", "journeys/old.md", "journeys/welcome.md"]);
    s.write("journeys/welcome.md", &journey("Welcome", "First edit.\n"));
    s.commit("Ana Ruiz", "2026-01-03T09:00:00+00:00", "Rename to welcome");
    fs::create_dir_all(s.path().join("journeys/new")).unwrap();
    s.git(&["mv", "journeys/welcome.md", "journeys/new/welcome.md"]);
    s.commit(
        "Ana Ruiz",
        "2026-01-04T09:00:00+00:00",
        "Move into a folder",
    );
    s.write("journeys/new/welcome.md", &journey("Welcome", "Later.\n"));
    s.commit("Ben Ode", "2026-01-05T09:00:00+00:00", "Later edit");
    // A new file at an old name starts its own history.
    s.write("journeys/old.md", "+++\ntitle = \"Other\"\n+++\n");
    s.commit("Ben Ode", "2026-01-06T09:00:00+00:00", "Another map");

    let h = history::history(&s.open()).unwrap();
    assert_eq!(
        subjects(&h, "journeys/new/welcome.md"),
        [
            "Later edit",
            "Move into a folder",
            "Rename to welcome",
            "First edit",
            "Onboarding map"
        ]
    );
    assert_eq!(subjects(&h, "journeys/old.md"), ["Another map"]);
    assert_eq!(h.files.len(), 2);
}

#[test]
fn merges_list_the_commits_of_the_branch() {
    let s = Scratch::new();
    s.write("journeys/a.md", &journey("A", ""));
    s.write("journeys/b.md", &journey("B", ""));
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Base");
    s.git(&["checkout", "-q", "-b", "side"]);
    s.write("journeys/b.md", &journey("B", "On the side.\n"));
    s.commit("Ben Ode", "2026-01-02T09:00:00+00:00", "Side edit of b");
    s.git(&["mv", "journeys/b.md", "journeys/c.md"]);
    s.commit(
        "Ben Ode",
        "2026-01-03T09:00:00+00:00",
        "Side rename of b to c",
    );
    s.git(&["checkout", "-q", "main"]);
    s.write("journeys/a.md", &journey("A", "On main.\n"));
    s.commit("Ana Ruiz", "2026-01-04T09:00:00+00:00", "Main edit of a");
    s.git_as(
        "Ana Ruiz",
        "2026-01-05T09:00:00+00:00",
        &["merge", "-q", "--no-ff", "-m", "Merge side", "side"],
    );

    let h = history::history(&s.open()).unwrap();
    let all: Vec<&str> = h.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        all,
        [
            "Main edit of a",
            "Side rename of b to c",
            "Side edit of b",
            "Base"
        ],
        "a clean merge changes nothing of its own"
    );
    assert_eq!(subjects(&h, "journeys/a.md"), ["Main edit of a", "Base"]);
    assert_eq!(
        subjects(&h, "journeys/c.md"),
        ["Side rename of b to c", "Side edit of b", "Base"]
    );
}

#[test]
fn a_site_in_a_subfolder_of_the_repository() {
    let s = Scratch::new();
    s.write("README.md", "The company's research.\n");
    let c1 = s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Readme");
    s.write("docs/cx/cxmap.toml", "title = \"CX\"\n");
    s.write("docs/cx/journeys/x.md", &journey("X", ""));
    s.write("docs/other.md", "Not the site.\n");
    let c2 = s.commit("Ana Ruiz", "2026-01-02T09:00:00+00:00", "Add the maps");
    s.write("README.md", "The company's research, and maps.\n");
    s.write("docs/other.md", "Still not the site.\n");
    s.commit("Ben Ode", "2026-01-03T09:00:00+00:00", "Readme again");
    s.write("docs/cx/journeys/x.md", &journey("X", "More.\n"));
    s.commit("Ben Ode", "2026-01-04T09:00:00+00:00", "Edit x");

    let repo = history::open(&s.path().join("docs/cx")).expect("the repository above");
    assert_eq!(repo.prefix(), Path::new("docs/cx"));
    let h = history::history(&repo).unwrap();
    let all: Vec<&str> = h.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(all, ["Edit x", "Add the maps"]);
    assert_eq!(
        h.files.keys().cloned().collect::<BTreeSet<_>>(),
        paths(&["cxmap.toml", "journeys/x.md"])
    );
    assert_eq!(subjects(&h, "journeys/x.md"), ["Edit x", "Add the maps"]);

    // The site as it was one commit ago, relative to the site root.
    let files = history::files_at(&repo, "HEAD~1").unwrap();
    let names: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    assert_eq!(names, [Path::new("cxmap.toml"), Path::new("journeys/x.md")]);
    assert_eq!(files[1].1, journey("X", "").into_bytes());
    let now = history::files_at(&repo, "main").unwrap();
    assert_eq!(now[1].1, journey("X", "More.\n").into_bytes());
    assert!(
        history::files_at(&repo, &c1).unwrap().is_empty(),
        "no site yet"
    );

    assert_eq!(
        history::file_at(&repo, &c2, Path::new("journeys/x.md")).unwrap(),
        Some(journey("X", "").into_bytes())
    );
    assert_eq!(
        history::file_at(&repo, &c1, Path::new("journeys/x.md")).unwrap(),
        None
    );
    assert_eq!(
        history::file_at(&repo, &c2, Path::new("journeys")).unwrap(),
        None,
        "a folder is no file"
    );
    assert_eq!(
        history::file_at(&repo, "HEAD", Path::new("../other.md")).unwrap(),
        None,
        "nothing outside the site"
    );

    // Uncommitted: changed, staged and untracked files of the site, nothing outside.
    s.write("docs/cx/journeys/x.md", &journey("X", "Unsaved.\n"));
    s.write("docs/cx/journeys/draft.md", &journey("Draft", ""));
    s.write("docs/cx/personas/p.md", "+++\nname = \"P\"\n+++\n");
    s.git(&["add", "docs/cx/personas/p.md"]);
    s.write("README.md", "Changed outside the site.\n");
    s.write("docs/untracked-outside.md", "Outside.\n");
    let h = history::history(&repo).unwrap();
    assert_eq!(
        h.uncommitted,
        paths(&["journeys/draft.md", "journeys/x.md", "personas/p.md"])
    );
    assert_eq!(h.commits.len(), 2, "the history is the committed one");
}

#[test]
fn uncommitted_files_at_the_root() {
    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"T\"\n");
    s.write("journeys/a.md", &journey("A", ""));
    s.write("journeys/gone.md", &journey("Gone", ""));
    s.write(".gitignore", "public/\n");
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Start");
    s.write("journeys/a.md", &journey("A", "Edited.\n"));
    fs::remove_file(s.path().join("journeys/gone.md")).unwrap();
    s.write("public/index.html", "<p>built</p>\n");
    s.write("new/b.md", "b\n");
    let h = history::history(&s.open()).unwrap();
    assert_eq!(
        h.uncommitted,
        paths(&["journeys/a.md", "journeys/gone.md", "new/b.md"]),
        "ignored output is not a change"
    );
}

#[test]
fn a_shallow_clone_says_where_history_starts() {
    let s = Scratch::new();
    for (i, day) in ["01", "02", "03", "04"].iter().enumerate() {
        s.write("journeys/a.md", &journey("A", &format!("Edit {i}.\n")));
        s.commit(
            "Ana Ruiz",
            &format!("2026-01-{day}T09:00:00+00:00"),
            &format!("Edit {i}"),
        );
    }
    let full = history::history(&s.open()).unwrap();
    assert!(!full.shallow);
    assert_eq!(full.commits.len(), 4);

    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", s.path().display());
    common::git(
        clone.path(),
        "Ana Ruiz",
        "2026-01-01T12:00:00+00:00",
        &["clone", "-q", "--depth", "2", &url, "shallow"],
    );
    let repo = history::open(&clone.path().join("shallow")).unwrap();
    let h = history::history(&repo).unwrap();
    assert!(h.shallow);
    assert_eq!(subjects(&h, "journeys/a.md"), ["Edit 3", "Edit 2"]);
    assert_eq!(h.commits[0], full.commits[0]);
    assert_eq!(history::resolve(&repo, "HEAD~1").unwrap().subject, "Edit 2");
    assert!(matches!(
        history::resolve(&repo, "HEAD~2"),
        Err(Error::UnknownRevision { .. })
    ));
}

#[test]
fn no_repository_and_bare_repositories_give_none() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cxmap.toml"), "title = \"T\"\n").unwrap();
    assert!(history::open(dir.path()).is_none());
    assert!(history::open(&dir.path().join("missing")).is_none());

    let bare = tempfile::tempdir().unwrap();
    common::git(
        bare.path(),
        "Ana Ruiz",
        "2026-01-01T12:00:00+00:00",
        &["-c", "init.defaultBranch=main", "init", "-q", "--bare"],
    );
    assert!(history::open(bare.path()).is_none());
}

#[test]
fn an_unborn_head_has_no_history() {
    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"T\"\n");
    let repo = s.open();
    let h = history::history(&repo).unwrap();
    assert!(h.commits.is_empty());
    assert!(h.files.is_empty());
    assert!(!h.shallow);
    assert_eq!(h.uncommitted, paths(&["cxmap.toml"]));
    assert!(matches!(
        history::files_at(&repo, "HEAD"),
        Err(Error::UnknownRevision { .. })
    ));
}

#[test]
fn revisions_resolve_or_say_they_do_not_exist() {
    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"T\"\n");
    let first = s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "First");
    s.git(&["tag", "-a", "v1", "-m", "Release one"]);
    s.write("cxmap.toml", "title = \"U\"\n");
    let second = s.commit("Ben Ode", "2026-01-02T09:00:00+00:00", "Second");
    let repo = s.open();

    assert_eq!(history::resolve(&repo, "HEAD").unwrap().id, second);
    assert_eq!(history::resolve(&repo, "HEAD~1").unwrap().id, first);
    assert_eq!(history::resolve(&repo, "v1").unwrap().id, first);
    assert_eq!(history::resolve(&repo, &first[..8]).unwrap().id, first);
    assert_eq!(history::resolve(&repo, "main").unwrap().subject, "Second");

    let unknown = history::resolve(&repo, "nope").unwrap_err();
    assert_eq!(unknown.to_string(), "no revision `nope` in the repository");
    assert!(matches!(
        history::resolve(&repo, ""),
        Err(Error::UnknownRevision { .. })
    ));
    assert!(matches!(
        history::files_at(&repo, "HEAD~5"),
        Err(Error::UnknownRevision { .. })
    ));
    assert!(matches!(
        history::file_at(
            &repo,
            "0123456789abcdef0123456789abcdef01234567",
            Path::new("x")
        ),
        Err(Error::UnknownRevision { .. })
    ));
    assert!(matches!(
        history::resolve(&repo, "HEAD:cxmap.toml"),
        Err(Error::NotACommit { .. })
    ));
}

#[test]
fn a_detached_head_reads_its_own_history() {
    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"T\"\n");
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "First");
    s.write("cxmap.toml", "title = \"U\"\n");
    s.commit("Ana Ruiz", "2026-01-02T09:00:00+00:00", "Second");
    s.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    let h = history::history(&s.open()).unwrap();
    assert_eq!(subjects(&h, "cxmap.toml"), ["First"]);
}

#[test]
fn submodules_and_symlinks_are_not_site_files() {
    let other = Scratch::new();
    other.write("readme.md", "A library.\n");
    other.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Library");

    let s = Scratch::new();
    s.write("cxmap.toml", "title = \"T\"\n");
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Site");
    let url = format!("file://{}", other.path().display());
    s.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "vendor/lib",
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink("cxmap.toml", s.path().join("link.toml")).unwrap();
    s.commit("Ana Ruiz", "2026-01-02T09:00:00+00:00", "Vendor a library");
    s.write("vendor/lib/readme.md", "Changed inside the submodule.\n");

    let repo = s.open();
    let h = history::history(&repo).unwrap();
    assert_eq!(
        h.files.keys().cloned().collect::<BTreeSet<_>>(),
        paths(&[".gitmodules", "cxmap.toml"])
    );
    assert!(h.uncommitted.is_empty(), "{:?}", h.uncommitted);
    let files = history::files_at(&repo, "HEAD").unwrap();
    assert_eq!(files.len(), 2);

    // A site inside the submodule is read from the submodule's own repository.
    let inner = history::open(&s.path().join("vendor/lib")).unwrap();
    assert_eq!(inner.prefix(), Path::new(""));
    let h = history::history(&inner).unwrap();
    assert_eq!(subjects(&h, "readme.md"), ["Library"]);
    assert_eq!(h.uncommitted, paths(&["readme.md"]));
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_utf8_are_skipped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let s = Scratch::new();
    s.write("journeys/a.md", &journey("A", ""));
    let odd = s
        .path()
        .join("journeys")
        .join(OsStr::from_bytes(b"caf\xe9.md"));
    fs::write(&odd, "odd\n").unwrap();
    s.commit("Ana Ruiz", "2026-01-01T09:00:00+00:00", "Odd names");
    fs::write(&odd, "odder\n").unwrap();

    let repo = s.open();
    let h = history::history(&repo).unwrap();
    assert_eq!(h.files.len(), 1);
    assert_eq!(subjects(&h, "journeys/a.md"), ["Odd names"]);
    assert!(h.uncommitted.is_empty(), "{:?}", h.uncommitted);
    assert_eq!(history::files_at(&repo, "HEAD").unwrap().len(), 1);
}

/// The figure `benches/history.sh` prints: `history()` over the repository it
/// generates (`CXMAP_HISTORY_BENCH=<repo>`), in release mode. Skipped without it.
#[test]
#[ignore = "run by benches/history.sh"]
fn bench_history() {
    let Some(dir) = std::env::var_os("CXMAP_HISTORY_BENCH") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let repo = history::open(&dir).expect("the generated repository");
        let h = history::history(&repo).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some(h);
    }
    let h = last.unwrap();
    let changes: usize = h.files.values().map(Vec::len).sum();
    println!(
        "history(): {} site commits, {} files at HEAD, {} file changes, {} uncommitted",
        h.commits.len(),
        h.files.len(),
        changes,
        h.uncommitted.len()
    );
    let runs: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    times.sort_by(f64::total_cmp);
    println!(
        "history(): {} ms (median of 5; runs: {} ms)",
        times[2].round(),
        runs.join(", ")
    );
    let repo = history::open(&dir).unwrap();
    let start = std::time::Instant::now();
    let files = history::files_at(&repo, "HEAD~1000").unwrap();
    println!(
        "files_at(HEAD~1000): {} files in {:.1} ms",
        files.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
}

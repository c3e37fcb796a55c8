//! Sites in git repositories made for the test with the `git` command (cxmap itself
//! reads them with gix): the history on journey and persona pages and in the data,
//! renames, uncommitted files, shallow clones, no repository at all, maps due for
//! review by their last change, and `cxmap diff REV [REV]`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository with the `languages` fixture site in its `atlas/` folder.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = Repo { dir };
        common::copy_dir(&common::fixture("languages"), &repo.site());
        repo.git("Ana Ruiz", "2026-01-10T09:00:00+01:00", &["init", "-q"]);
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn site(&self) -> PathBuf {
        self.root().join("atlas")
    }

    fn git(&self, who: &str, date: &str, args: &[&str]) -> String {
        common::git(self.root(), who, date, args)
    }

    fn commit(&self, who: &str, date: &str, message: &str) {
        self.git(who, date, &["add", "-A"]);
        self.git(who, date, &["commit", "-q", "-m", message]);
    }

    /// Replaces `from` by `to` in a site file (exactly once).
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.site().join(file);
        let text = fs::read_to_string(&path).expect("site file");
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }
}

/// A repository with three commits by two people.
fn repo_with_history() -> Repo {
    let repo = Repo::new();
    repo.commit(
        "Ana Ruiz",
        "2026-01-10T09:00:00+01:00",
        "First maps of the atlas",
    );
    repo.edit(
        "journeys/order.md",
        "action = \"Pays with her card\"\n  emotion = 4",
        "action = \"Pays with her card\"\n  emotion = 5",
    );
    repo.commit(
        "Bea Soler",
        "2026-03-02T17:30:00+01:00",
        "Checkout is smoother now",
    );
    repo.edit(
        "personas/maria.md",
        "role = \"Designer\"",
        "role = \"Lead designer\"",
    );
    repo.commit(
        "Ana Ruiz",
        "2026-04-15T10:00:00+02:00",
        "María leads the design team",
    );
    repo
}

fn cxmap(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cxmap runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pages_and_data_show_who_changed_what_and_when() {
    let repo = repo_with_history();
    let files = common::render(&repo.site());
    let page = common::text(&files, "journeys/order/index.html");
    assert!(
        page.contains("Last changed</dt><dd>2 March 2026 by Bea Soler</dd>"),
        "{page}"
    );
    let history = page
        .split("class=\"history\"")
        .nth(1)
        .expect("a History section");
    let checkout = history
        .find("Checkout is smoother now")
        .expect("second commit");
    let first = history
        .find("First maps of the atlas")
        .expect("first commit");
    assert!(checkout < first, "newest first");
    assert!(
        !history.contains("María leads"),
        "only commits that changed the file"
    );
    // The Spanish version has its own history, in Spanish words.
    let es = common::text(&files, "es/journeys/order/index.html");
    assert!(
        es.contains("Último cambio</dt><dd>10 de enero de 2026, por Ana Ruiz</dd>"),
        "{es}"
    );
    // Persona pages too.
    let persona = common::text(&files, "personas/maria/index.html");
    assert!(persona.contains("María leads the design team"), "{persona}");
    assert!(
        persona.contains("Last changed: 15 April 2026 by Ana Ruiz"),
        "{persona}"
    );
    // The data carries the same.
    let data: serde_json::Value = serde_json::from_slice(&files["data/journeys.json"]).unwrap();
    let order = &data["journeys"][1];
    assert_eq!(order["id"], "order");
    let changes = order["history"]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["author"], "Bea Soler");
    assert_eq!(changes[0]["date"], "2026-03-02");
    assert_eq!(changes[0]["subject"], "Checkout is smoother now");
    assert_eq!(changes[0]["short"].as_str().map(str::len), Some(7));
    assert_eq!(order["history"]["uncommitted"], false);
    assert_eq!(order["history"]["partial"], false);
}

#[test]
fn a_renamed_file_keeps_its_history() {
    let repo = repo_with_history();
    repo.git(
        "Ana Ruiz",
        "2026-05-01T10:00:00+02:00",
        &[
            "mv",
            "atlas/journeys/order.md",
            "atlas/journeys/purchase.md",
        ],
    );
    repo.commit(
        "Ana Ruiz",
        "2026-05-01T10:00:00+02:00",
        "Call it a purchase",
    );
    let files = common::render(&repo.site());
    let page = common::text(&files, "journeys/purchase/index.html");
    for subject in [
        "Call it a purchase",
        "Checkout is smoother now",
        "First maps of the atlas",
    ] {
        assert!(page.contains(subject), "{subject} in {page}");
    }
}

#[test]
fn uncommitted_and_new_files_say_so() {
    let repo = repo_with_history();
    repo.edit("journeys/botiga.md", "emotion = 2", "emotion = 3");
    fs::write(
        repo.site().join("journeys/new.md"),
        "+++\ntitle = \"A new map\"\n+++\n",
    )
    .unwrap();
    let files = common::render(&repo.site());
    let botiga = common::text(&files, "ca/journeys/botiga/index.html");
    assert!(botiga.contains("encara no s’han confirmat"), "{botiga}");
    let new = common::text(&files, "journeys/new/index.html");
    assert!(
        new.contains("Not committed to the repository yet."),
        "{new}"
    );
    let order = common::text(&files, "journeys/order/index.html");
    assert!(!order.contains("not committed yet"), "{order}");
}

#[test]
fn a_site_outside_git_builds_without_history() {
    let files = common::render(&common::fixture("languages"));
    let page = common::text(&files, "journeys/order/index.html");
    assert!(!page.contains("class=\"history\""));
    assert!(!page.contains("Last changed"));
    let data: serde_json::Value = serde_json::from_slice(&files["data/journeys.json"]).unwrap();
    assert_eq!(data["journeys"][0]["history"], serde_json::Value::Null);
}

#[test]
fn a_shallow_clone_says_its_history_is_cut_short() {
    let repo = repo_with_history();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.root().display());
    common::git(
        clone.path(),
        "Ana Ruiz",
        "2026-06-01T10:00:00+02:00",
        &["clone", "-q", "--depth", "1", &url, "copy"],
    );
    let files = common::render(&clone.path().join("copy/atlas"));
    let page = common::text(&files, "journeys/order/index.html");
    assert!(page.contains("The history is cut short"), "{page}");
    assert!(page.contains("María leads the design team"), "{page}");
}

#[test]
fn maps_without_a_review_date_are_due_by_their_last_change() {
    let repo = Repo::new();
    // `botiga` has no `reviewed`; `order` was reviewed on 2026-10-01.
    repo.edit("journeys/botiga.md", "reviewed = 2026-09-15\n", "");
    repo.commit("Ana Ruiz", "2026-01-10T09:00:00+01:00", "First maps");
    repo.edit("journeys/order.md", "emotion = 3", "emotion = 2");
    repo.commit(
        "Bea Soler",
        "2026-09-20T09:00:00+02:00",
        "Searching got worse",
    );
    let files = common::render(&repo.site());
    let botiga = common::text(&files, "ca/journeys/botiga/index.html");
    assert!(botiga.contains("stale-notice"), "{botiga}");
    assert!(botiga.contains("10 de gener de 2026"), "{botiga}");
    let order = common::text(&files, "journeys/order/index.html");
    assert!(!order.contains("stale-notice"));

    let (code, out, _) = cxmap(&["check", "--stale", "atlas"], repo.root());
    assert_eq!(code, 0, "a report, not an error");
    assert!(
        out.contains("1 map due for review: not reviewed within 180 days of 2026-10-01"),
        "{out}"
    );
    assert!(
        out.contains("journeys/botiga.md  last changed 2026-01-10, 264 days before"),
        "{out}"
    );
}

#[test]
fn diff_between_revisions_speaks_in_journey_terms() {
    let repo = repo_with_history();
    let site = repo.site();
    let dir = site.to_str().unwrap();
    let (code, out, err) = cxmap(&["diff", "HEAD~2", "HEAD~1", "--root", dir], repo.root());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "journey “Ordering a laptop online” (order)\n  emotion 4 → 5 ↑ at “Pays with her card” (“Decision”)\n"
    );
    let (_, out, _) = cxmap(&["diff", "HEAD~1", "HEAD", "--root", dir], repo.root());
    assert!(out.contains("persona “María Puig” (maria)"), "{out}");
    assert!(out.contains("`role` “Designer” → “Lead designer”"), "{out}");

    // Without revisions: HEAD against the files on disk; nothing changed yet.
    let (code, out, _) = cxmap(&["diff", "--root", dir], repo.root());
    assert_eq!((code, out.as_str()), (0, "no changes to the maps\n"));
    repo.edit(
        "journeys/order.md",
        "  action = \"Searches for a light laptop\"\n  emotion = 3\n",
        "  action = \"Searches for a light laptop\"\n  emotion = 3\n\n  [[stages.steps]]\n  action = \"Reads reviews\"\n  emotion = 2\n",
    );
    let (_, out, _) = cxmap(&["diff", "--root", dir, "--format", "markdown"], &site);
    assert!(
        out.contains("- Step “Reads reviews” added to “Discovery”"),
        "{out}"
    );
    // One revision: it against the files on disk.
    let (_, out, _) = cxmap(&["diff", "HEAD~2"], &site);
    assert!(out.contains("emotion 4 → 5"), "{out}");
    assert!(out.contains("step “Reads reviews” added"), "{out}");
}

#[test]
fn diff_names_what_it_cannot_read() {
    let repo = repo_with_history();
    let (code, _, err) = cxmap(&["diff", "nope"], &repo.site());
    assert_eq!(code, 2);
    assert!(err.contains("no revision `nope`"), "{err}");
    let outside = common::fixture("languages");
    let (code, _, err) = cxmap(&["diff"], &outside);
    assert_eq!(code, 2);
    assert!(err.contains("is not in a git repository"), "{err}");
}

#[test]
fn what_changed_lists_recent_commits_in_journey_terms_per_language() {
    let repo = repo_with_history();
    fs::remove_file(repo.site().join("journeys/botiga.md")).unwrap();
    repo.commit(
        "Bea Soler",
        "2026-05-05T10:00:00+02:00",
        "The shop map moves to the archive",
    );
    fs::write(
        repo.site().join("pages/about.md"),
        "+++\ntitle = \"About\"\n+++\n\nMore.\n",
    )
    .unwrap();
    repo.commit(
        "Ana Ruiz",
        "2026-05-06T10:00:00+02:00",
        "A longer about page",
    );
    let files = common::render(&repo.site());
    let page = common::text(&files, "changes/index.html");
    let doc = scraper::Html::parse_document(&page);
    let sel = |css: &str| scraper::Selector::parse(css).unwrap();
    let commits: Vec<String> = doc
        .select(&sel(".recent-commit .subject"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        commits,
        [
            "A longer about page",
            "The shop map moves to the archive",
            "María leads the design team",
            "Checkout is smoother now",
            "First maps of the atlas"
        ]
    );
    assert!(
        page.contains("emotion 4 → 5 ↑ at “Pays with her card” (“Decision”)"),
        "{page}"
    );
    assert!(page.contains("journey removed"), "{page}");
    assert!(page.contains("Changed other files of the atlas"), "{page}");
    // The removed journey is named but not linked; the others link to their pages.
    assert!(
        page.contains("Recollir a la botiga <span class=\"muted\">(removed)</span>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../journeys/order/index.html\">"),
        "{page}"
    );
    // Every language has the page, in its words; the navigation leads to it.
    let es = common::text(&files, "es/changes/index.html");
    assert!(es.contains("<h1>Qué ha cambiado</h1>"), "{es}");
    let home = common::text(&files, "ca/index.html");
    assert!(
        home.contains("href=\"changes/index.html\">Què ha canviat</a>"),
        "{home}"
    );
    // Outside git there is no such page.
    let plain = common::render(&common::fixture("languages"));
    assert!(!plain.contains_key("changes/index.html"));
}

//! Limits: whatever lands in a site folder, a build answers in seconds with a clear
//! message, never a hang, a crash or lost output. A 50 MB file, 10,000 steps, deep
//! nesting, symbolic links that loop or leave the site, unreadable files, an output
//! folder that cannot be written.
//!
//! Tests of permissions need an account the permissions apply to: run as root (where
//! `chmod 000` changes nothing), they run the `cxmap` program as `nobody` through
//! `setpriv`, and are skipped with a message when that is not possible.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cxmap::write::Contents;

/// A site in a new temporary folder (outside any git repository).
fn site(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("cxmap-limits-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("cxmap.toml"), "title = \"Limits\"\n").unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn journey(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

fn size(c: &Contents) -> usize {
    match c {
        Contents::Bytes(b) => b.len(),
        Contents::Copy(p) => std::fs::metadata(p).map_or(0, |m| m.len() as usize),
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Names in `dir` that a build leaves behind while it writes (`.public.cxmap-new-…`).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".cxmap-"))
        .collect()
}

fn cxmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
}

// ---------------------------------------------------------------------------------------
// Size

#[test]
fn a_fifty_megabyte_file_is_refused_in_seconds_with_its_size() {
    let notes = "A long paragraph of research notes. ".repeat(50_000_000 / 36 + 1);
    let dir = site(&[
        ("journeys/dump.md", journey("Dump", &notes)),
        ("journeys/fine.md", journey("Fine", "A normal map.")),
    ]);
    let start = Instant::now();
    let outcome = cxmap::render(dir.path()).unwrap();
    let took = start.elapsed();
    eprintln!("50 MB file refused in {took:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let text = outcome.diagnostics.render(false);
    assert!(outcome.diagnostics.has_errors());
    assert!(text.contains("journeys/dump.md"), "{text}");
    assert!(text.contains("47.7 MiB"), "the size: {text}");
    assert!(text.contains("at most 10.0 MiB"), "the limit: {text}");
    // The other files are still read and checked.
    let site = outcome.site.unwrap();
    assert!(site.journeys.iter().any(|j| j.title == "Fine"));
}

#[test]
fn a_file_just_under_the_limit_builds() {
    let limit = cxmap::load::MAX_CONTENT_BYTES as usize;
    let head = "+++\ntitle = \"Big\"\n+++\n";
    let line = "Notes from the workshop wall.\n\n";
    let body = line.repeat((limit - head.len()) / line.len());
    let dir = site(&[("journeys/big.md", format!("{head}{body}"))]);
    assert!(
        std::fs::metadata(dir.path().join("journeys/big.md"))
            .unwrap()
            .len()
            <= limit as u64
    );
    let start = Instant::now();
    let outcome = cxmap::render(dir.path()).unwrap();
    eprintln!("a 10 MiB file builds in {:?}", start.elapsed());
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
}

#[test]
fn ten_thousand_steps_build_in_bounded_time_and_size() {
    let mut text =
        String::from("+++\ntitle = \"Many steps\"\n\n[[stages]]\nname = \"Everything\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[stages.steps]]\naction = \"Step {i} of a very long service\"\nemotion = {}\nthought = \"Still going\"\npains = [\"Pain {i}\"]\n",
            i % 5 + 1
        ));
    }
    text.push_str("+++\nA journey of ten thousand steps.\n");
    let dir = site(&[("journeys/many.md", text)]);
    let start = Instant::now();
    let outcome = cxmap::render(dir.path()).unwrap();
    let took = start.elapsed();
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    let map = outcome
        .files
        .iter()
        .find(|f| f.path == "journeys/many/map.svg")
        .expect("a map");
    let total: usize = outcome.files.iter().map(|f| size(&f.contents)).sum();
    eprintln!(
        "10,000 steps: {took:?}, map.svg {} bytes, output {total} bytes",
        size(&map.contents)
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    // Linear in the steps: well under a kilobyte of map per step, and the whole
    // output (the page inlines the map) a small multiple of it.
    assert!(size(&map.contents) < 10_000 * 1_000);
    assert!(total < 100_000_000, "{total} bytes");
}

// ---------------------------------------------------------------------------------------
// Nesting

/// Renders on a thread with the default 2 MiB stack, and on rayon threads with the
/// same stack, as `cxmap build` does.
fn render_small_stack(root: &Path) -> cxmap::Outcome {
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .stack_size(2 << 20)
                .build()
                .unwrap()
                .install(|| cxmap::render(&root).unwrap())
        })
        .unwrap()
        .join()
        .expect("no stack overflow")
}

/// Bodies nested `levels` deep in every way Markdown and HTML nest. Nested lists are
/// indented one level per line, so their text grows with the square of the depth: they
/// are left out past 1,000 levels.
fn deep_bodies(levels: usize) -> Vec<(&'static str, String)> {
    let mut bodies = vec![
        ("quotes", format!("{}level {levels}\n", "> ".repeat(levels))),
        (
            "quotes-and-lists",
            format!("{}level {levels}\n", "> - ".repeat(levels)),
        ),
        (
            "emphasis",
            format!(
                "{}level {levels}{}\n",
                "*_".repeat(levels),
                "_*".repeat(levels)
            ),
        ),
        (
            "links",
            format!(
                "{}level {levels}{}\n",
                "[".repeat(levels),
                "](a)".repeat(levels)
            ),
        ),
        (
            "html",
            format!(
                "<div>\n\n{}level {levels}{}\n\n</div>\n",
                "<div>".repeat(levels),
                "</div>".repeat(levels)
            ),
        ),
    ];
    if levels <= 1_000 {
        let lists: String = (0..levels)
            .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
            .collect();
        let numbered: String = (0..levels)
            .map(|i| format!("{}1. level {i}\n", "   ".repeat(i)))
            .collect();
        bodies.push(("lists", lists));
        bodies.push(("numbered", numbered));
    }
    bodies
}

#[test]
fn a_hundred_levels_of_nesting_render_on_a_small_stack() {
    let files: Vec<(String, String)> = deep_bodies(100)
        .into_iter()
        .flat_map(|(name, body)| {
            [
                (format!("journeys/{name}.md"), journey(name, &body)),
                (format!("pages/{name}.md"), journey(name, &body)),
            ]
        })
        .collect();
    let refs: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let dir = site(&refs);
    let start = Instant::now();
    let outcome = render_small_stack(dir.path());
    eprintln!("100 levels of nesting, 14 files: {:?}", start.elapsed());
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    for (name, _) in deep_bodies(1) {
        let page = outcome
            .files
            .iter()
            .find(|f| f.path == format!("journeys/{name}/index.html"))
            .unwrap();
        let Contents::Bytes(bytes) = &page.contents else {
            panic!()
        };
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.contains("level 99") || text.contains("level 100"),
            "{name}: the deepest level is shown"
        );
    }
}

/// Found here: the HTML parser behind the sanitizer takes time in the square of the
/// depth, so 100,000 nested block quotes (200 kB) took minutes and gigabytes, and as many
/// `<div>`s as long. Deeper than 512 levels (where browsers stop) is now an error that
/// points at the line.
#[test]
fn nesting_deeper_than_browsers_build_is_an_error_not_a_hang() {
    let limit = cxmap::parse::markdown::MAX_NESTING;
    for (name, body) in deep_bodies(100_000) {
        let dir = site(&[("journeys/deep.md", journey(name, &body))]);
        let start = Instant::now();
        let outcome = render_small_stack(dir.path());
        let took = start.elapsed();
        let text = outcome.diagnostics.render(false);
        eprintln!("{name}, 100,000 levels: {took:?}");
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
        if matches!(name, "emphasis" | "links") {
            // Inline nesting is bounded by the Markdown parser itself.
            continue;
        }
        assert!(outcome.diagnostics.has_errors(), "{name}");
        assert!(
            text.contains("journeys/deep.md")
                && text.contains(&format!("more than {limit} levels")),
            "{name}: {text}"
        );
    }
    for (name, body) in deep_bodies(limit + 10) {
        let dir = site(&[("journeys/deep.md", journey(name, &body))]);
        let start = Instant::now();
        let outcome = render_small_stack(dir.path());
        eprintln!("{name}, {} levels: {:?}", limit + 10, start.elapsed());
        assert!(start.elapsed() < Duration::from_secs(30), "{name}");
        if matches!(name, "emphasis" | "links") {
            continue;
        }
        assert!(outcome.diagnostics.has_errors(), "{name}");
    }
}

#[test]
fn html_that_closes_what_it_never_opened_still_counts_as_nested() {
    // `</b>` closes nothing, so each `<div>` stays open: as deep as it looks.
    let body = "<div></b>".repeat(1_000);
    let dir = site(&[("journeys/deep.md", journey("Sneaky", &body))]);
    let outcome = cxmap::render(dir.path()).unwrap();
    assert!(outcome.diagnostics.has_errors());
    // Closed elements, void elements and paragraphs do not add up.
    let flat = "<div><br><img src=x><p>text</div><svg><path d=\"M0 0\"/></svg>\n".repeat(2_000);
    let dir = site(&[("journeys/flat.md", journey("Flat", &flat))]);
    let outcome = cxmap::render(dir.path()).unwrap();
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
}

// ---------------------------------------------------------------------------------------
// Symbolic links

#[test]
fn symbolic_links_that_loop_or_leave_the_site_are_skipped_with_a_warning() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        journey("Outside secret", "Not part of the site."),
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.txt"), "outside secret").unwrap();
    let dir = site(&[
        ("journeys/real.md", journey("Real", "Inside.")),
        ("static/logo.txt", "inside".to_string()),
        ("personas/p.md", "+++\nname = \"P\"\n+++\n".to_string()),
    ]);
    let root = dir.path();
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    // Loops: a folder linking to its parent, and to itself.
    link(Path::new(".."), "journeys/loop");
    link(Path::new("self"), "journeys/self");
    link(Path::new("."), "static/again");
    // Out of the site: a file and a folder, in content and in static/.
    link(&outside.path().join("secret.md"), "journeys/secret.md");
    link(outside.path(), "journeys/elsewhere");
    link(&outside.path().join("secret.txt"), "static/secret.txt");
    link(outside.path(), "static/elsewhere");
    link(Path::new("/"), "personas/root");

    let start = Instant::now();
    let outcome = cxmap::render(root).unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    let text = outcome.diagnostics.render(false);
    assert!(!outcome.diagnostics.has_errors(), "{text}");
    for skipped in [
        "journeys/loop",
        "journeys/self",
        "journeys/secret.md",
        "journeys/elsewhere",
        "static/again",
        "static/secret.txt",
        "static/elsewhere",
        "personas/root",
    ] {
        assert!(
            text.contains(&format!("{skipped}: symbolic link skipped")) || text.contains(skipped),
            "no warning for {skipped}: {text}"
        );
    }
    assert_eq!(text.matches("symbolic link skipped").count(), 8, "{text}");
    let paths: Vec<&str> = outcome.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"journeys/real/index.html"));
    assert!(paths.contains(&"logo.txt"));
    for f in &outcome.files {
        assert!(
            !f.path.contains("secret") && !f.path.contains("elsewhere"),
            "{}",
            f.path
        );
        if let Contents::Bytes(b) = &f.contents {
            assert!(
                !String::from_utf8_lossy(b).contains("Outside secret"),
                "{}",
                f.path
            );
        }
    }
}

/// A folder outside the site holding what a symlink could publish: a file like
/// `/etc/shadow`, journeys, personas, pages, templates, strings, a theme.
fn secrets() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    let put = |rel: &str, text: &str| {
        let path = outside.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    put("shadow", "root:TOP-SECRET-HASH:19000::::::\n");
    put(
        "outside.md",
        &journey("TOP-SECRET journey", "TOP-SECRET body."),
    );
    put("persona.md", "+++\nname = \"TOP-SECRET persona\"\n+++\n");
    put("index.html", "TOP-SECRET template");
    put("base.html", "TOP-SECRET template");
    put("en.toml", "[nav]\nhome = \"TOP-SECRET\"\n");
    put("templates/index.html", "TOP-SECRET theme template");
    put("static/theme.css", "/* TOP-SECRET */");
    put("i18n/en.toml", "[nav]\nhome = \"TOP-SECRET\"\n");
    outside
}

/// Every byte a build would publish from `root`, read as text.
fn published(root: &Path) -> (String, String) {
    let outcome = cxmap::render(root).unwrap();
    let mut all = String::new();
    for f in &outcome.files {
        all.push_str(&f.path);
        all.push('\n');
        match &f.contents {
            Contents::Bytes(b) => all.push_str(&String::from_utf8_lossy(b)),
            Contents::Copy(p) => all.push_str(&String::from_utf8_lossy(&std::fs::read(p).unwrap())),
        }
    }
    (all, outcome.diagnostics.render(false))
}

#[test]
fn a_symlinked_source_folder_is_not_read_through() {
    let outside = secrets();
    for folder in [
        "static",
        "journeys",
        "personas",
        "pages",
        "templates",
        "i18n",
    ] {
        let dir = site(&[("journeys/real.md", journey("Real", "Inside."))]);
        let at = dir.path().join(folder);
        if at.exists() {
            std::fs::remove_dir_all(&at).unwrap();
        }
        std::os::unix::fs::symlink(outside.path(), &at).unwrap();
        let (all, warnings) = published(dir.path());
        assert!(
            !all.contains("TOP-SECRET"),
            "{folder} was read through: {warnings}"
        );
        assert!(
            warnings.contains(&format!(
                "symbolic link skipped: not followed, nothing under it is read\n--> {folder}\n"
            )),
            "{folder}: {warnings}"
        );
    }
}

#[test]
fn a_symlink_deeper_in_a_theme_or_static_folder_is_not_read_through() {
    let outside = secrets();
    let dir = site(&[
        ("journeys/real.md", journey("Real", "Inside.")),
        ("themes/ours/theme.toml", String::new()),
        ("static/img/real.txt", "inside".to_string()),
    ]);
    std::fs::write(
        dir.path().join("cxmap.toml"),
        "title = \"L\"\ntheme = \"ours\"\n",
    )
    .unwrap();
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(outside.path().join(target), dir.path().join(at)).unwrap();
    };
    link("templates", "themes/ours/templates");
    link("static", "themes/ours/static");
    link("i18n", "themes/ours/i18n");
    link("static", "static/img/more");
    let (all, warnings) = published(dir.path());
    assert!(!all.contains("TOP-SECRET"), "{warnings}");
    assert!(all.contains("inside"), "real files are still published");
    for at in [
        "themes/ours/templates",
        "themes/ours/static",
        "themes/ours/i18n",
        "static/img/more",
    ] {
        assert!(
            warnings.contains("symbolic link skipped: not followed")
                && warnings.contains(&format!("--> {at}\n")),
            "{at}: {warnings}"
        );
    }

    // The theme folder itself a link: no theme is read from it.
    let dir = site(&[("journeys/real.md", journey("Real", "Inside."))]);
    std::fs::write(
        dir.path().join("cxmap.toml"),
        "title = \"L\"\ntheme = \"ours\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("themes/ours")).unwrap();
    let Err(e) = cxmap::render(dir.path()) else {
        panic!("a theme behind a link was used");
    };
    assert!(e.to_string().contains("symbolic link"), "{e}");
    // A theme name cannot climb out of `themes/`.
    std::fs::write(
        dir.path().join("cxmap.toml"),
        "title = \"L\"\ntheme = \"../../../../../..\"\n",
    )
    .unwrap();
    assert!(cxmap::render(dir.path()).is_err());
}

#[test]
fn a_symlinked_cxmap_toml_is_refused() {
    let outside = secrets();
    let dir = site(&[("journeys/real.md", journey("Real", "Inside."))]);
    std::fs::remove_file(dir.path().join("cxmap.toml")).unwrap();
    std::fs::write(
        outside.path().join("cxmap.toml"),
        "title = \"TOP-SECRET\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("cxmap.toml"),
        dir.path().join("cxmap.toml"),
    )
    .unwrap();
    assert!(cxmap::render(dir.path()).is_err());
}

#[test]
fn build_export_and_report_publish_nothing_through_a_symlinked_static_folder() {
    let outside = secrets();
    let dir = site(&[(
        "journeys/real.md",
        "+++\ntitle = \"Real\"\n[[stages]]\nname = \"S\"\n[[stages.steps]]\naction = \"A\"\n+++\n"
            .to_string(),
    )]);
    for folder in ["static", "templates"] {
        std::os::unix::fs::symlink(outside.path(), dir.path().join(folder)).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    let out = dir.path().join("out");
    for args in [
        vec!["build", root, "-o", out.to_str().unwrap()],
        vec!["export", root, "--format", "json"],
        vec!["export", root, "--format", "csv"],
        vec!["report", root, "--format", "html"],
    ] {
        let done = run(&[], &args);
        assert!(
            done.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(
            String::from_utf8_lossy(&done.stderr).contains("not followed"),
            "{args:?} says nothing of the link"
        );
    }
    for (path, bytes) in snapshot(dir.path()) {
        if path.starts_with("static") || path.starts_with("templates") {
            continue;
        }
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
            "{}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Permissions

/// How to run the `cxmap` program so that permissions apply: directly, or as `nobody`
/// when this test runs as root; `None` when neither works (the test is skipped).
fn unprivileged(probe: &Path) -> Option<Vec<String>> {
    if std::fs::read(probe).is_err() && std::fs::read_dir(probe).is_err() {
        return Some(Vec::new());
    }
    let setpriv = SETPRIV.map(String::from).to_vec();
    let denied = Command::new(&setpriv[0])
        .args(&setpriv[1..])
        .args(["cat", &probe.to_string_lossy()])
        .output()
        .is_ok_and(|o| !o.status.success() && !o.stderr.is_empty());
    denied.then_some(setpriv)
}

/// As [`unprivileged`], for writing into the folder `dir`.
fn unprivileged_writer(dir: &Path) -> Option<Vec<String>> {
    let probe = dir.join("probe");
    if std::fs::write(&probe, "x").is_err() {
        return Some(Vec::new());
    }
    std::fs::remove_file(&probe).unwrap();
    let setpriv = SETPRIV.map(String::from).to_vec();
    let denied = Command::new(&setpriv[0])
        .args(&setpriv[1..])
        .args(["touch", &probe.to_string_lossy()])
        .output()
        .is_ok_and(|o| !o.status.success());
    let _ = std::fs::remove_file(&probe);
    denied.then_some(setpriv)
}

/// Runs a program as `nobody`.
const SETPRIV: [&str; 4] = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
];

/// Opens a folder to every account (temporary folders are private).
fn open_to_all(dir: &Path) {
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.path_is_symlink() {
            continue;
        }
        let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `cxmap build SITE -o OUT`, run as [`run`] runs it.
fn build_into(out: &Path, site: &Path) -> std::process::Output {
    let (out, site) = (out.to_string_lossy(), site.to_string_lossy());
    run(&[], &["build", "-o", &out, &site])
}

fn run(prefix: &[String], args: &[&str]) -> std::process::Output {
    let mut cmd = match prefix.split_first() {
        Some((program, rest)) => {
            let mut c = Command::new(program);
            c.args(rest).arg(env!("CARGO_BIN_EXE_cxmap"));
            c
        }
        None => cxmap(),
    };
    cmd.args(args).args(["--color", "never"]);
    cmd.output().unwrap()
}

#[test]
fn unreadable_files_are_named_and_every_other_error_still_reported() {
    let dir = site(&[
        ("journeys/locked.md", journey("Locked", "Secret.")),
        ("journeys/fine.md", journey("Fine", "Readable.")),
        ("journeys/broken.md", "+++\ntitle = \n+++\n".to_string()),
        (
            "journeys/shut/inside.md",
            journey("Inside", "In a shut folder."),
        ),
        ("static/locked.css", "body {}".to_string()),
    ]);
    let root = dir.path();
    open_to_all(root);
    chmod(&root.join("journeys/locked.md"), 0o000);
    chmod(&root.join("journeys/shut"), 0o000);
    let Some(prefix) = unprivileged(&root.join("journeys/locked.md")) else {
        eprintln!("skipped: this account reads any file and `setpriv` cannot drop that");
        chmod(&root.join("journeys/shut"), 0o755);
        return;
    };
    let start = Instant::now();
    let out = run(&prefix, &["check", &root.to_string_lossy()]);
    let took = start.elapsed();
    chmod(&root.join("journeys/shut"), 0o755);
    chmod(&root.join("journeys/locked.md"), 0o644);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert!(took < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("journeys/locked.md"), "{stderr}");
    assert!(stderr.contains("journeys/shut"), "{stderr}");
    assert_eq!(
        stderr.matches("cannot be read: Permission denied").count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("journeys/broken.md"),
        "the other error too: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_read_only_output_parent_is_an_error_and_the_previous_output_stays() {
    let dir = site(&[("journeys/a.md", journey("First", "One."))]);
    let root = dir.path();
    let parent = root.join("out");
    let public = parent.join("public");
    let outcome = cxmap::build(root, Some(&public)).unwrap();
    assert!(!outcome.diagnostics.has_errors());
    let before = snapshot(&public);
    std::fs::write(root.join("journeys/a.md"), journey("Second", "Two.")).unwrap();
    open_to_all(root);
    chmod(&parent, 0o555);
    let Some(prefix) = unprivileged_writer(&parent) else {
        chmod(&parent, 0o755);
        eprintln!("skipped: this account writes anywhere and `setpriv` cannot drop that");
        return;
    };
    let out = run(
        &prefix,
        &[
            "build",
            &root.to_string_lossy(),
            "--output",
            &public.to_string_lossy(),
        ],
    );
    chmod(&parent, 0o755);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("out"), "names the folder: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(snapshot(&public) == before, "the previous output changed");
    assert_eq!(leftovers(&parent), Vec::<String>::new());
}

/// A full disk, for any account: the file size limit (`ulimit -f`) makes writes fail as
/// they would on a full disk (EFBIG instead of ENOSPC), half-way through the build.
#[test]
fn a_full_disk_is_an_error_and_the_previous_output_stays() {
    let dir = site(&[
        ("journeys/a.md", journey("First", "One.")),
        ("static/big.bin", "x".repeat(200_000)),
    ]);
    let root = dir.path();
    let public = root.join("public");
    let outcome = cxmap::build(root, None).unwrap();
    assert!(!outcome.diagnostics.has_errors());
    let before = snapshot(&public);
    std::fs::write(root.join("journeys/a.md"), journey("Second", "Two.")).unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 64 && exec '{}' build --color never '{}'",
        env!("CARGO_BIN_EXE_cxmap"),
        root.display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        out.status.code().is_some(),
        "ended by a signal: {:?}",
        out.status
    );
    assert!(stderr.to_lowercase().contains("file too large"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(snapshot(&public) == before, "the previous output changed");
    assert_eq!(leftovers(root), Vec::<String>::new());
    // With room again, the same build goes through.
    let outcome = cxmap::build(root, None).unwrap();
    assert!(!outcome.diagnostics.has_errors());
    assert!(
        std::fs::read_to_string(public.join("journeys/a/index.html"))
            .unwrap()
            .contains("Second")
    );
}

// ---------------------------------------------------------------------------------------
// The output folder

#[test]
fn build_refuses_a_dangling_symlink_output_and_leaves_no_staging_folder() {
    let dir = site(&[("journeys/a.md", journey("First", "One."))]);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    std::os::unix::fs::symlink(parent.path().join("nowhere"), &out).unwrap();
    let run = build_into(&out, dir.path());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("symbolic link to nothing"), "{stderr}");
    assert_eq!(leftovers(parent.path()), Vec::<String>::new());
    assert!(!parent.path().join("nowhere").exists());
    // Pointed at a folder, the link is followed as before.
    std::fs::create_dir(parent.path().join("nowhere")).unwrap();
    let run = build_into(&out, dir.path());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(parent.path().join("nowhere/index.html").is_file());
    assert_eq!(leftovers(parent.path()), Vec::<String>::new());
}

#[test]
fn build_does_not_take_a_folder_with_only_an_empty_journeys_json_for_its_own() {
    let dir = site(&[("journeys/a.md", journey("First", "One."))]);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("mine");
    std::fs::create_dir_all(out.join("data")).unwrap();
    std::fs::write(out.join("data/journeys.json"), "{}").unwrap();
    std::fs::write(out.join("index.html"), "my page").unwrap();
    std::fs::write(out.join("thesis.txt"), "years of work").unwrap();
    let before = snapshot(&out);
    let run = build_into(&out, dir.path());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not an earlier cxmap build"), "{stderr}");
    assert!(snapshot(&out) == before, "the folder changed");
    // An earlier build is still replaced.
    let public = parent.path().join("public");
    for _ in 0..2 {
        let run = build_into(&public, dir.path());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

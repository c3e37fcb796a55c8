//! What a report says (`cxmap::report::build` on `tests/fixtures/report-site`): the
//! selection, the figures, the pain points ranked across journeys, the opportunities by
//! owner and priority, the personas of the selection, the changes since a revision, and
//! the command's usage errors. How the PDF and the HTML lay it out is tested beside them
//! (`tests/report_pdf.rs`, `tests/report_html.rs`).

mod common;

use std::path::Path;
use std::process::Command;

use cxmap::report::{self, Format, Report, Request};

fn request() -> Request {
    Request::new(Format::Html)
}

fn build(root: &Path, request: &Request) -> Report {
    let (report, diagnostics) = report::build(root, request).expect("report");
    assert!(!diagnostics.has_errors(), "{}", diagnostics.render(false));
    report.expect("a report")
}

fn site() -> std::path::PathBuf {
    common::fixture("report-site")
}

#[test]
fn the_figures_count_the_selection() {
    let r = build(&site(), &request());
    assert_eq!(r.title, "Report Atlas");
    assert_eq!(r.selection, "All journeys");
    assert_eq!(r.date.as_deref(), Some("10 September 2026"));
    let f = &r.figures;
    assert_eq!((f.journeys, f.steps, f.personas), (3, 5, 2));
    assert_eq!(f.mean_emotion.as_deref(), Some("2.2"));
    let pains: Vec<(&str, usize)> = f.pains.iter().map(|(w, n)| (w.as_str(), *n)).collect();
    assert_eq!(
        pains,
        [
            ("critical", 1),
            ("high", 1),
            ("medium", 2),
            ("low", 1),
            ("No severity", 1)
        ]
    );
    let opportunities: Vec<(&str, usize)> = f
        .opportunities
        .iter()
        .map(|(w, n)| (w.as_str(), *n))
        .collect();
    assert_eq!(opportunities, [("high", 2), ("medium", 1), ("low", 1)]);
    assert_eq!(
        f.stale, 1,
        "the store journey is 193 days older than the newest review"
    );
}

#[test]
fn pain_points_are_ranked_by_severity_then_reach() {
    let r = build(&site(), &request());
    let ranked: Vec<(&str, &str, usize, usize)> = r
        .pains
        .iter()
        .map(|p| {
            (
                p.text.as_str(),
                p.severity_key.as_str(),
                p.journeys,
                p.stages,
            )
        })
        .collect();
    assert_eq!(
        ranked,
        [
            ("Confusing fees", "critical", 1, 1),
            // Written twice, in two journeys: counted once, at its highest severity.
            ("Slow checkout", "high", 2, 2),
            ("Long queue", "medium", 1, 2),
            ("Typo on the button", "none", 1, 1),
        ]
    );
    assert_eq!(
        r.pains[1].places,
        [
            "Buying online › Checkout",
            "Reordering in the app › Checkout"
        ]
    );
}

#[test]
fn opportunities_are_grouped_by_owner_then_priority() {
    let r = build(&site(), &request());
    // (owner, [(priority, [opportunity])]).
    type Groups<'a> = Vec<(&'a str, Vec<(&'a str, Vec<&'a str>)>)>;
    let groups: Groups<'_> = r
        .owners
        .iter()
        .map(|o| {
            (
                o.owner.as_str(),
                o.priorities
                    .iter()
                    .map(|p| {
                        (
                            p.priority_key.as_str(),
                            p.items.iter().map(|i| i.text.as_str()).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("Store team", vec![("medium", vec!["Queue app"])]),
            (
                "Web team",
                vec![
                    ("high", vec!["One-page checkout"]),
                    ("low", vec!["Dark mode"])
                ]
            ),
            ("No owner", vec![("high", vec!["Fee calculator"])]),
        ]
    );
}

#[test]
fn journey_pages_carry_their_map_funnel_and_stage_figures() {
    let r = build(&site(), &request());
    let online = &r.journeys[0];
    assert_eq!(online.title, "Buying online");
    assert!(online.map.as_deref().is_some_and(|m| m.starts_with("<svg")));
    assert!(online.funnel.is_some(), "a stage knows its drop-off");
    assert_eq!(online.stages[0].dropoff.as_deref(), Some("30 %"));
    assert_eq!(online.stages[1].pains, 2);
    assert!(r.journeys[2].funnel.is_none());
    assert!(r.journeys[1].stale);
}

#[test]
fn a_tag_or_journeys_narrow_the_report_and_its_personas() {
    let r = build(
        &site(),
        &Request {
            tag: Some("WEB".into()),
            ..request()
        },
    );
    let titles: Vec<&str> = r.journeys.iter().map(|j| j.title.as_str()).collect();
    assert_eq!(titles, ["Buying online", "Reordering in the app"]);
    assert_eq!(r.selection, "Journeys tagged “WEB”");
    let names: Vec<&str> = r.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["María Puig"]);
    assert_eq!(
        r.personas[0].journeys,
        ["Buying online", "Reordering in the app"]
    );
    assert!(r.pains.iter().all(|p| p.text != "Confusing fees"));

    let r = build(
        &site(),
        &Request {
            journeys: vec!["journeys/b-store.md".into()],
            ..request()
        },
    );
    assert_eq!(r.journeys.len(), 1);
    assert_eq!(r.selection, "1 selected journeys");
    assert_eq!(r.personas[0].name, "Jon Etxeberria");
}

#[test]
fn unknown_tags_journeys_languages_and_revisions_are_usage_errors() {
    let err = |request: Request| match report::build(&site(), &request) {
        Err(cxmap::error::Error::Usage { message, help }) => {
            format!("{message} / {}", help.unwrap_or_default())
        }
        other => panic!("expected a usage error, got {other:?}"),
    };
    assert_eq!(
        err(Request {
            tag: Some("wbe".into()),
            ..request()
        }),
        "no journey has the tag `wbe` / the tags are `store`, `web`"
    );
    assert!(
        err(Request {
            journeys: vec!["a-onlin".into()],
            ..request()
        })
        .contains("did you mean `a-online`?")
    );
    assert!(
        err(Request {
            lang: Some("fr".into()),
            ..request()
        })
        .starts_with("`fr` is not one of the site's languages")
    );
    assert!(
        err(Request {
            since: Some("HEAD~1".into()),
            ..request()
        })
        .contains("is not in a git repository")
    );
}

#[test]
fn a_report_in_another_language_speaks_it() {
    let r = build(
        &common::fixture("languages"),
        &Request {
            lang: Some("es".into()),
            ..request()
        },
    );
    assert_eq!(r.lang, "es");
    assert_eq!(r.selection, "Todos los recorridos");
    assert_eq!(r.words["report.figures"], "Cifras principales");
    assert!(
        r.journeys
            .iter()
            .any(|j| j.title == "Comprar un portátil en línea")
    );
    assert_eq!(r.date.as_deref(), Some("1 de octubre de 2026"));
}

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, "Ana Ruiz", "2026-10-01T10:00:00+02:00", args);
}

#[test]
fn since_a_revision_the_report_says_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&site(), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "First report"]);
    git(dir.path(), &["tag", "q3"]);
    let file = dir.path().join("journeys/b-store.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen(
            "emotion = 1\n  pains = [{ text = \"Long",
            "emotion = 3\n  pains = [{ text = \"Long",
            1,
        ),
    )
    .unwrap();
    let r = build(
        dir.path(),
        &Request {
            since: Some("q3".into()),
            ..request()
        },
    );
    let changes = r.changes.expect("a changes section");
    assert_eq!(changes.since, "q3, 1 October 2026");
    assert_eq!(
        changes.items,
        [(
            "Paying in store".to_string(),
            vec!["emotion 1 → 3 ↑ at “Waits in line” (“Queue”)".to_string()]
        )]
    );
}

#[test]
fn the_command_writes_the_file_it_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports/q3.html");
    let status = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["report", "--format", "html", "-o"])
        .arg(&out)
        .arg(site())
        .status()
        .unwrap();
    assert!(status.success());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Report Atlas"));

    let bad = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["report", "--tag", "nope"])
        .arg(site())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no journey has the tag `nope`"));
}

// ---------------------------------------------------------------------------------------
// What the report replaces

/// A copy of the report site in a new temporary folder, to write reports into.
fn own_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&site(), dir.path());
    dir
}

/// `cxmap report` with `args` on the site at `root`, colourless.
fn report_cmd(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["report", "--color", "never"])
        .args(args)
        .arg(root)
        .current_dir(root)
        .output()
        .unwrap()
}

/// Names in `dir` that a write leaves behind when it stops half-way.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".cxmap-"))
        .collect()
}

#[test]
fn report_refuses_to_overwrite_cxmap_toml_even_with_force() {
    let dir = own_site();
    let root = dir.path();
    let config = std::fs::read(root.join("cxmap.toml")).unwrap();
    let journey = std::fs::read_dir(root.join("journeys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_file())
        .unwrap();
    let before = std::fs::read(&journey).unwrap();
    for target in [root.join("cxmap.toml"), journey.clone()] {
        for force in [&[][..], &["--force"][..]] {
            let mut args = vec!["--format", "html", "-o", target.to_str().unwrap()];
            args.extend(force);
            let out = report_cmd(root, &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("one of the site's sources"), "{stderr}");
        }
    }
    assert_eq!(std::fs::read(root.join("cxmap.toml")).unwrap(), config);
    assert_eq!(std::fs::read(&journey).unwrap(), before);
}

#[test]
fn report_does_not_overwrite_a_file_it_did_not_make() {
    let dir = own_site();
    let root = dir.path();
    for (format, name) in [("html", "report.html"), ("pdf", "report.pdf")] {
        let path = root.join(name);
        std::fs::write(&path, "my notes, not a report").unwrap();
        let out = report_cmd(root, &["--format", format]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("was not written by cxmap"), "{stderr}");
        assert!(stderr.contains("--force"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "my notes, not a report"
        );
        // Said so: replaced.
        let out = report_cmd(root, &["--format", format, "--force"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_ne!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            "my notes, not a report"
        );
    }
}

#[test]
fn report_replaces_its_own_report() {
    let dir = own_site();
    let root = dir.path();
    for (format, name) in [("html", "report.html"), ("pdf", "report.pdf")] {
        for _ in 0..2 {
            let out = report_cmd(root, &["--format", format]);
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(root.join(name).is_file());
    }
    assert_eq!(temporaries(root), Vec::<String>::new());
}

#[test]
fn report_does_not_write_through_a_symlink() {
    let dir = own_site();
    let root = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("notes.html");
    std::fs::write(&secret, "mine").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("report.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), root.join("reports")).unwrap();
    for args in [
        &["--format", "html", "--force"][..],
        &["--format", "html", "-o", "reports/q3.html"][..],
    ] {
        let out = report_cmd(root, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}

/// A full disk: with the file size limit at zero (`ulimit -f 0`) every write fails as
/// it would on a full disk (EFBIG instead of ENOSPC).
#[test]
fn report_on_a_full_disk_keeps_the_previous_report() {
    let dir = own_site();
    let root = dir.path();
    for (format, name) in [("html", "report.html"), ("pdf", "report.pdf")] {
        let out = report_cmd(root, &["--format", format]);
        assert!(out.status.success());
        let before = std::fs::read(root.join(name)).unwrap();
        let script = format!(
            "trap '' XFSZ; ulimit -f 0 && exec '{}' report --color never --format {format} '{}'",
            env!("CARGO_BIN_EXE_cxmap"),
            root.display()
        );
        let out = Command::new("sh").args(["-c", &script]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.to_lowercase().contains("file too large"), "{stderr}");
        assert!(stderr.contains(name), "{stderr}");
        assert!(
            std::fs::read(root.join(name)).unwrap() == before,
            "the previous report changed"
        );
        assert_eq!(temporaries(root), Vec::<String>::new());
    }
}

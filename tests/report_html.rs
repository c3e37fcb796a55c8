//! The HTML report (`cxmap::report::html::write`) of the retail example, copied outside
//! the repository: every journey, pain point (in ranked order), opportunity and persona
//! is in it; nothing in it loads from another file or host and it runs no script; it
//! parses, passes the Nu validator, and is the same twice. Escaping of hostile text is
//! checked on a report edited by hand. `tests/browser/report.test.mjs` opens and prints
//! it in Chromium.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cxmap::report::{self, Format, Report, Request};
use scraper::{Html, Selector};

fn request() -> Request {
    Request::new(Format::Html)
}

/// The retail example, copied once per test program into a temporary folder outside
/// any repository (a report of the copy names no commit), removed when it exits.
fn retail() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let to = common::program_temp_dir("cxmap-report-html-").join("retail");
        common::copy_dir(&common::example("retail"), &to);
        to
    })
    .clone()
}

fn build(root: &Path) -> Report {
    let (report, diagnostics) = report::build(root, &request()).expect("report");
    assert!(!diagnostics.has_errors(), "{}", diagnostics.render(false));
    report.expect("a report")
}

fn text_of(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_report_holds_the_portfolio_in_order() {
    let r = build(&retail());
    assert!(r.journeys.len() >= 3 && !r.pains.is_empty() && !r.personas.is_empty());
    let html = report::html::write(&r).unwrap();
    let doc = Html::parse_document(&html);

    let lang = Selector::parse("html").unwrap();
    assert_eq!(
        doc.select(&lang).next().unwrap().value().attr("lang"),
        Some(r.lang.as_str())
    );
    assert_eq!(text_of(&doc, "h1"), vec![squash(&r.title)]);

    // Every journey has its page, in the report's order, each with its map.
    let titles = text_of(&doc, ".journey-page h3");
    let expected: Vec<String> = r.journeys.iter().map(|j| squash(&j.title)).collect();
    assert_eq!(titles, expected);
    let maps = Selector::parse(".journey-page svg.cx-map").unwrap();
    assert_eq!(
        doc.select(&maps).count(),
        r.journeys.iter().filter(|j| j.map.is_some()).count()
    );

    // Pain points in ranked order.
    let texts = text_of(&doc, "table.ranked tbody .pain-text");
    let ranks = text_of(&doc, "table.ranked tbody td:first-child");
    let expected: Vec<String> = r.pains.iter().map(|p| squash(&p.text)).collect();
    assert_eq!(texts, expected);
    let numbers: Vec<String> = (1..=r.pains.len()).map(|i| i.to_string()).collect();
    assert_eq!(ranks, numbers);

    // Every opportunity, under its owner.
    let items = text_of(&doc, ".items .text");
    let expected: Vec<String> = r
        .owners
        .iter()
        .flat_map(|o| &o.priorities)
        .flat_map(|p| &p.items)
        .map(|i| squash(&i.text))
        .collect();
    assert_eq!(items, expected);
    let owners = text_of(&doc, ".owner-group h3");
    assert_eq!(
        owners,
        r.owners
            .iter()
            .map(|o| squash(&o.owner))
            .collect::<Vec<_>>()
    );

    // Every persona, with the empathy map when it has one.
    let names = text_of(&doc, ".persona-page h3");
    assert_eq!(
        names,
        r.personas
            .iter()
            .map(|p| squash(&p.name))
            .collect::<Vec<_>>()
    );

    // The sections in the order, each reachable from the contents.
    let order = [
        "id=\"cover\"",
        "id=\"figures\"",
        "id=\"journeys\"",
        "id=\"pains\"",
        "id=\"opportunities\"",
        "id=\"personas\"",
    ];
    let at: Vec<usize> = order.iter().map(|s| html.find(s).expect(s)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    let links = Selector::parse("nav.contents a").unwrap();
    for a in doc.select(&links) {
        let href = a.value().attr("href").unwrap();
        let id = href.strip_prefix('#').expect("an in-page link");
        let sel = Selector::parse(&format!("[id=\"{id}\"]")).unwrap();
        assert_eq!(doc.select(&sel).count(), 1, "{href}");
    }

    // Headings in order: one h1, no level skipped.
    let headings = Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
    let mut last = 0;
    for h in doc.select(&headings) {
        let level: usize = h.value().name()[1..].parse().unwrap();
        assert!(level <= last + 1, "h{level} after h{last}");
        last = level;
    }
    assert_eq!(doc.select(&Selector::parse("h1").unwrap()).count(), 1);

    // Data tables have a caption and scoped header cells.
    let tables = Selector::parse("table").unwrap();
    let caption = Selector::parse("caption").unwrap();
    let th = Selector::parse("th").unwrap();
    for t in doc.select(&tables) {
        assert!(t.select(&caption).next().is_some());
        for cell in t.select(&th) {
            assert!(cell.value().attr("scope").is_some());
        }
    }
}

#[test]
fn the_report_loads_nothing_and_runs_nothing() {
    let html = report::html::write(&build(&retail())).unwrap();
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script");
    assert!(!lower.contains("<link"), "no linked style sheet or icon");
    assert!(!lower.contains("<img"), "images are inline SVG");
    assert!(!lower.contains("<iframe") && !lower.contains("<object") && !lower.contains("<embed"));
    assert!(!lower.contains("@import"));
    // The only URLs: in-page anchors, the fonts' data URLs, and SVG's namespace name.
    for attr in ["src=", "href=", "srcset=", "poster=", "data="] {
        for (at, _) in lower.match_indices(attr) {
            let value = &lower[at + attr.len()..];
            let value = value.trim_start_matches(['"', '\'']);
            assert!(
                value.starts_with('#'),
                "{attr} must stay in the page: {}",
                &html[at..(at + 80).min(html.len())]
            );
        }
    }
    for (at, _) in lower.match_indices("url(") {
        let value = lower[at + 4..].trim_start_matches(['"', '\'']);
        assert!(value.starts_with("data:"), "url() must be a data URL");
    }
    let without_namespace = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_namespace.contains("http://") && !without_namespace.contains("https://"),
        "no address of another host"
    );
}

#[test]
fn the_report_is_the_same_twice() {
    let a = report::html::write(&build(&retail())).unwrap();
    let b = report::html::write(&build(&retail())).unwrap();
    assert!(a == b, "two reports of the same site differ");
}

#[test]
fn text_from_the_content_is_escaped() {
    let mut r = build(&retail());
    let evil = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>";
    r.title = evil.into();
    r.description = Some(evil.into());
    r.selection = evil.into();
    r.date = Some(evil.into());
    if let Some(j) = r.journeys.first_mut() {
        j.title = evil.into();
        j.summary = Some(evil.into());
        j.scenario = Some(evil.into());
        j.owner = Some(evil.into());
        j.state = evil.into();
        j.personas = vec![evil.into()];
        if let Some(s) = j.stages.first_mut() {
            s.name = evil.into();
            s.metrics = vec![evil.into()];
            s.dropoff = Some(evil.into());
        }
    }
    if let Some(p) = r.pains.first_mut() {
        p.text = evil.into();
        p.severity = evil.into();
        p.severity_key = evil.into();
        p.places = vec![evil.into()];
    }
    if let Some(o) = r.owners.first_mut() {
        o.owner = evil.into();
        if let Some(p) = o.priorities.first_mut() {
            p.priority = evil.into();
            p.priority_key = "\" onclick=\"x".into();
            if let Some(i) = p.items.first_mut() {
                i.text = evil.into();
                i.place = evil.into();
                i.status = Some(evil.into());
            }
        }
    }
    if let Some(p) = r.personas.first_mut() {
        p.name = evil.into();
        p.role = Some(evil.into());
        p.quote = Some(evil.into());
        p.goals = vec![evil.into()];
        p.journeys = vec![evil.into()];
    }
    r.changes = Some(cxmap::report::ChangesSection {
        since: evil.into(),
        items: vec![(evil.into(), vec![evil.into()])],
    });
    for v in r.words.values_mut() {
        *v = format!("{v}{evil}");
    }
    let html = report::html::write(&r).unwrap();
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script got through");
    assert!(!lower.contains("<img"), "an element got through");
    assert!(!lower.contains("onclick=\"x"), "an attribute got through");
    let doc = Html::parse_document(&html);
    assert_eq!(text_of(&doc, "h1"), vec![squash(evil)]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.html"), &html).unwrap();
    validate(dir.path());
}

fn validate(dir: &Path) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(manifest.join("scripts/validate-html"))
        .arg(dir)
        .status()
        .expect("scripts/validate-html runs (install with scripts/setup)");
    assert!(
        status.success(),
        "the Nu validator found errors in the report"
    );
}

#[test]
fn the_report_is_valid_html() {
    let dir = tempfile::tempdir().unwrap();
    let r = build(&retail());
    std::fs::write(
        dir.path().join("report.html"),
        report::html::write(&r).unwrap(),
    )
    .unwrap();
    // With what changed, too (no revision here: made by hand).
    let mut with_changes = r.clone();
    with_changes.changes = Some(cxmap::report::ChangesSection {
        since: "v1, 3 April 2026".into(),
        items: vec![(
            r.journeys[0].title.clone(),
            vec!["A stage was added.".into()],
        )],
    });
    std::fs::write(
        dir.path().join("changes.html"),
        report::html::write(&with_changes).unwrap(),
    )
    .unwrap();
    assert!(
        report::html::write(&with_changes)
            .unwrap()
            .contains("id=\"changes\"")
    );
    validate(dir.path());
}

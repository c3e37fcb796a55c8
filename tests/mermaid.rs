//! Mermaid user-journey diagrams: ```` ```journey ```` blocks in Markdown bodies, and
//! `cxmap import mermaid`. One fixture site per case under `tests/fixtures/mermaid-*/`.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

fn cxmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
}

#[test]
fn two_blocks_on_a_page_both_render_with_their_own_ids() {
    let files = common::render(&common::fixture("mermaid-two-blocks"));
    let html = common::text(&files, "workshop/index.html");
    let doc = scraper::Html::parse_document(&html);
    let svg = scraper::Selector::parse("div.map-scroll > svg.cx-map").unwrap();
    let svgs: Vec<_> = doc.select(&svg).collect();
    assert_eq!(svgs.len(), 2, "{html}");
    assert_eq!(
        svgs[0].attr("aria-labelledby"),
        Some("cx-workshop-m1-title cx-workshop-m1-desc")
    );
    assert_eq!(
        svgs[1].attr("aria-labelledby"),
        Some("cx-workshop-m2-title cx-workshop-m2-desc")
    );
    ids(&html);
    // The second block keeps its place in the list, and its accessible name.
    let item = scraper::Selector::parse("li svg title").unwrap();
    let title: Vec<String> = doc
        .select(&item)
        .map(|t| t.text().collect::<String>())
        .collect();
    assert_eq!(title, ["A lazy Saturday"]);
    for text in ["Make tea", "Sit down", "Feed the cat", "Actors: Me, Cat."] {
        assert!(html.contains(text), "`{text}` missing from {html}");
    }
    assert!(!html.contains("language-journey"), "{html}");
    assert!(!html.contains("cxmap-diagram-"), "{html}");
}

#[test]
fn a_sites_own_words_show_in_its_fence_diagrams() {
    // `i18n/en.toml` renames the actions lane and the label of an untitled diagram.
    let files = common::render(&common::fixture("mermaid-strings"));
    for page in ["workshop/index.html", "journeys/day/index.html"] {
        let html = common::text(&files, page);
        let doc = scraper::Html::parse_document(&html);
        let fence =
            scraper::Selector::parse("div.map-scroll[aria-label^=\"Workshop sketch\"]").unwrap();
        let drawn: Vec<_> = doc.select(&fence).collect();
        assert_eq!(drawn.len(), 1, "{page}: {html}");
        assert_eq!(
            drawn[0].attr("aria-label"),
            Some("Workshop sketch 1, scroll it sideways")
        );
        let words: String = drawn[0].text().collect();
        assert!(words.contains("What they do"), "{page}: {words}");
        assert!(!words.contains("Actions"), "{page}: {words}");
        assert!(!html.contains("cxmap-diagram-"), "{page}: {html}");
    }
    // The stage's sketch is drawn in its section, and in `data/journeys.json` alike.
    let data = common::text(&files, "data/journeys.json");
    assert!(
        data.contains("Workshop sketch 1, scroll it sideways"),
        "{data}"
    );
    assert!(!data.contains("cxmap-diagram-"), "{data}");
}

/// Every `id` of an HTML page, checked for repeats.
fn ids(html: &str) -> BTreeSet<String> {
    let doc = scraper::Html::parse_document(html);
    let any = scraper::Selector::parse("[id]").unwrap();
    let mut seen = BTreeSet::new();
    for el in doc.select(&any) {
        let id = el.attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "id `{id}` is used twice");
    }
    seen
}

#[test]
fn blocks_on_a_journey_page_never_share_ids_with_its_map() {
    let files = common::render(&common::fixture("mermaid-two-blocks"));
    let html = common::text(&files, "journeys/day/index.html");
    let ids = ids(&html);
    for id in ["cx-day-title", "cx-day-m1-title", "cx-day-m2-title"] {
        assert!(ids.contains(id), "no `{id}` in {ids:?}");
    }
    assert!(html.contains("Make coffee"), "{html}");
}

#[test]
fn a_score_of_seven_is_an_error_at_the_blocks_line() {
    let root = common::fixture("mermaid-bad-score");
    let outcome = cxmap::check(&root).expect("check runs");
    let text = outcome.diagnostics.render(false);
    assert_eq!(outcome.diagnostics.error_count(), 1, "{text}");
    assert!(text.contains("journeys/day.md:9:13"), "{text}");
    insta::assert_snapshot!("bad_score", text);
    // The build stops there.
    let outcome = cxmap::render(&root).expect("render runs");
    assert!(outcome.files.is_empty());
}

#[test]
fn import_mermaids_example_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&common::fixture("mermaid-import"), &site);
    let out = cxmap()
        .args(["import", "mermaid", "working-day.mmd"])
        .current_dir(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "journeys/my-working-day.md\npersonas/me.md\npersonas/cat.md\n"
    );
    for file in [
        "journeys/my-working-day.md",
        "personas/me.md",
        "personas/cat.md",
    ] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    let journey = std::fs::read_to_string(site.join("journeys/my-working-day.md")).unwrap();
    insta::assert_snapshot!("imported_journey", journey);

    let out = cxmap().arg("check").arg(&site).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome = cxmap::check(&site).unwrap();
    assert!(
        outcome.diagnostics.all().is_empty(),
        "{}",
        outcome.diagnostics.render(false)
    );
    let site_model = outcome.site.unwrap();
    let j = &site_model.journeys[0];
    assert_eq!(j.personas.len(), 2);
    let steps: Vec<(&str, Option<u8>)> = j
        .steps()
        .map(|(_, s)| (s.action.as_str(), s.emotion))
        .collect();
    assert_eq!(
        steps,
        [
            ("Make tea", Some(5)),
            ("Go upstairs", Some(3)),
            ("Do work", Some(1)),
            ("Go downstairs", Some(5)),
            ("Sit down", Some(5)),
        ]
    );

    // A second import would overwrite the journey: refused, exit 2.
    let out = cxmap()
        .args(["import", "mermaid", "working-day.mmd", "--root"])
        .arg(&site)
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // `-o` outside `journeys/` is a usage error too.
    let out = cxmap()
        .args(["import", "mermaid", "working-day.mmd", "-o", "day.md"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!site.join("day.md").exists());
    // Into a folder of `journeys/`, with `-o`.
    let out = cxmap()
        .args([
            "import",
            "mermaid",
            "working-day.mmd",
            "-o",
            "journeys/office/day.md",
        ])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "journeys/office/day.md\n"
    );
}

#[test]
fn import_with_errors_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&common::fixture("mermaid-import-errors"), &site);
    let out = cxmap()
        .args(["import", "mermaid", "day.mmd", "--color", "never"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!site.join("journeys").exists() && !site.join("personas").exists());
    insta::assert_snapshot!("import_errors", String::from_utf8_lossy(&out.stderr));
}

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

/// What cxmap does with one of Mermaid's own diagrams (`tests/fixtures/mermaid-compat/`:
/// those of its rendering tests, parser tests and syntax page).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Compat {
    /// Imports with this many tasks; a fence draws it.
    Imports(usize),
    /// Sections but no task: a fence draws its sections, import has nothing to import.
    SectionsOnly,
    /// A title and nothing else: a fence stays code (with a warning), import has nothing
    /// to import.
    TitleOnly,
    /// A score Mermaid refuses too (it throws): an error.
    Refused,
}

const COMPAT: [(&str, Compat); 22] = [
    ("cypress-01-title-and-section", Compat::SectionsOnly),
    ("cypress-02-working-day", Compat::Imports(5)),
    ("cypress-03-e-commerce", Compat::Imports(2)),
    ("cypress-04-indented-frontmatter", Compat::Imports(5)),
    ("cypress-05-long-legend", Compat::Imports(8)),
    ("cypress-06-long-word", Compat::Imports(1)),
    ("cypress-07-wrap-on-spaces", Compat::Imports(1)),
    ("cypress-08-long-labels", Compat::Imports(5)),
    ("cypress-09-title-style", Compat::Imports(6)),
    ("cypress-10-stray-line", Compat::Imports(4)),
    ("cypress-14-score-valid", Compat::Imports(4)),
    ("refused-11-score-not-a-number", Compat::Refused),
    ("refused-12-score-below-range", Compat::Refused),
    ("refused-13-score-above-range", Compat::Refused),
    ("parser-01-title", Compat::TitleOnly),
    ("parser-02-acc-descr", Compat::SectionsOnly),
    ("parser-03-acc-descr-block", Compat::SectionsOnly),
    ("parser-04-acc-title", Compat::SectionsOnly),
    ("parser-05-section", Compat::SectionsOnly),
    ("parser-06-line-breaks", Compat::SectionsOnly),
    ("parser-07-tasks", Compat::Imports(8)),
    ("syntax-01-working-day", Compat::Imports(5)),
];

fn compat_text(name: &str) -> String {
    let path = common::fixture("mermaid-compat").join(format!("{name}.mmd"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_compat_fixture_is_listed() {
    let dir = common::fixture("mermaid-compat");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = COMPAT.iter().map(|(n, _)| format!("{n}.mmd")).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn mermaids_own_diagrams_draw_as_fences() {
    let labels = cxmap::diagram::Labels::default();
    let config = cxmap::config::Config::default();
    for (name, expect) in COMPAT {
        let text = compat_text(name);
        let block = cxmap::mermaid::render_block(&text, &config, &labels, "x-", 1);
        let errors: Vec<_> = block
            .problems
            .iter()
            .filter(|p| p.severity == cxmap::diag::Severity::Error)
            .collect();
        match expect {
            Compat::Refused => assert!(!errors.is_empty(), "{name}"),
            _ => assert!(errors.is_empty(), "{name}: {errors:?}"),
        }
        if expect == Compat::TitleOnly {
            assert!(block.html.is_none(), "{name}");
            continue;
        }
        let html = block.html.unwrap_or_else(|| panic!("{name} is not drawn"));
        let svg = &html[html.find("<svg").unwrap()..html.rfind("</svg>").unwrap() + 6];
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let words: String = doc
            .descendants()
            .filter(|n| n.has_tag_name("tspan") || n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        let parsed = cxmap::mermaid::parse_fence(&text);
        for section in &parsed.journey.sections {
            // Wrapped or broken at a `<br>`, the words stay in order.
            let said = section
                .name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                words.contains(&said),
                "{name}: `{said}` not drawn in {words}"
            );
        }
        // accTitle names the diagram when there is no title; accDescr describes it.
        let j = &parsed.journey;
        let title = j.acc_title.clone().or_else(|| j.title.clone());
        if let Some(title) = title {
            assert!(svg.contains(&format!(">{}</title>", title)), "{name}");
        }
        if let Some(descr) = &j.acc_descr {
            assert!(svg.contains(&format!(">{descr}</desc>")), "{name}: {svg}");
        }
    }
}

#[test]
fn mermaids_own_diagrams_import_or_say_there_is_nothing_to_import() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("cxmap.toml"), "title = \"Compat\"\n").unwrap();
    let root = root.canonicalize().unwrap();
    let mut imported = 0;
    for (name, expect) in COMPAT {
        let file = root.join(format!("{name}.mmd"));
        std::fs::write(&file, compat_text(name)).unwrap();
        let output = root.join("journeys").join(format!("{name}.md"));
        let out = cxmap::mermaid::import::mermaid(&root, &file, Some(&output), false);
        match (expect, out) {
            (Compat::Imports(tasks), Ok(out)) => {
                assert_eq!(out.diagnostics.error_count(), 0, "{name}");
                assert_eq!(out.created[0], output, "{name}");
                let text = std::fs::read_to_string(&output).unwrap();
                assert_eq!(text.matches("[[stages.steps]]").count(), tasks, "{name}");
                imported += 1;
            }
            (Compat::Refused, Ok(out)) => {
                assert!(out.diagnostics.error_count() > 0, "{name}");
                assert!(out.created.is_empty(), "{name}");
            }
            (Compat::SectionsOnly | Compat::TitleOnly, Err(e)) => {
                assert_eq!(e.exit_code(), 2, "{name}");
                assert!(e.to_string().contains("nothing to import"), "{name}: {e}");
                assert!(!output.exists(), "{name}");
            }
            (expect, out) => panic!("{name}: expected {expect:?}, got {out:?}"),
        }
        std::fs::remove_file(&file).unwrap();
    }
    assert_eq!(imported, 12);
    // Every imported journey passes `check`.
    let outcome = cxmap::check(&root).unwrap();
    assert_eq!(
        outcome.diagnostics.error_count(),
        0,
        "{}",
        outcome.diagnostics.render(false)
    );
    assert_eq!(outcome.site.unwrap().journeys.len(), 12);
}

#[test]
fn the_warnings_and_errors_of_mermaids_own_diagrams() {
    let mut out = String::new();
    for (name, _) in COMPAT {
        let text = compat_text(name);
        let file = std::path::PathBuf::from(format!("{name}.mmd"));
        let parsed = cxmap::mermaid::parse(&text, cxmap::mermaid::Header::Required);
        if parsed.problems.is_empty() {
            continue;
        }
        let mut diagnostics = cxmap::diag::Diagnostics::new();
        diagnostics.add_source(&file, text.as_str().into());
        for p in &parsed.problems {
            diagnostics.push(p.to_diagnostic(&file, 0));
        }
        out.push_str(&diagnostics.render(false));
    }
    insta::assert_snapshot!("compat_diagnostics", out);
}

#[test]
fn importing_a_diagram_without_tasks_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("cxmap.toml"), "title = \"T\"\n").unwrap();
    std::fs::write(
        site.join("plan.mmd"),
        compat_text("cypress-01-title-and-section"),
    )
    .unwrap();
    let out = cxmap()
        .args(["import", "mermaid", "plan.mmd", "--color", "never"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(!site.join("journeys").exists() && !site.join("personas").exists());
    insta::assert_snapshot!("import_nothing", String::from_utf8_lossy(&out.stderr));
}
